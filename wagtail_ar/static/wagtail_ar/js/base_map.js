/*
 * wagtail_ar: the base map under the tiles of every map of the package.
 *
 * Natural Earth's land, coastlines and country borders of the Euro-MED area, a TopoJSON file
 * served by the package (vendor/natural-earth/euromed.topo.json) and decoded by
 * topojson-client (vendor/topojson-client). It lies in a pane under Leaflet's tile pane, so
 * the tiles cover it once they load; it is what the visitor sees while the tiles are slow or
 * fail, and all there is when the site sets no tile server (WAGTAIL_AR_TILE_URL = None).
 *
 *   window.wagtailAr.addBaseMap(map, url[, attribution])
 *
 * draws it on a Leaflet map; several maps on one page share one download. Needs Leaflet and
 * topojson-client; without them, or when the file cannot be read, the map simply has no base
 * layer. Sets data-ar-base-map="ready" (or "failed") on the map's container, for the tests.
 */
(function () {
  "use strict";

  const PANE = "arBaseMap";
  const downloads = {};

  function load(url) {
    if (!downloads[url]) {
      downloads[url] = fetch(url, { credentials: "same-origin" }).then((response) => {
        if (!response.ok) {
          throw new Error(`base map: HTTP ${response.status}`);
        }
        return response.json();
      });
    }
    return downloads[url];
  }

  function layers(topology) {
    const topojson = window.topojson;
    const countries = topology.objects.countries;
    return {
      land: topojson.feature(topology, countries),
      // An arc shared by two countries is a border; an arc of one country is its coast (or
      // the edge of the clipped area, which lies outside the Euro-MED view).
      borders: topojson.mesh(topology, countries, (a, b) => a !== b),
    };
  }

  // Colours from the page's custom properties (set them in the host's stylesheet), else a
  // pale land on a pale sea that keeps markers and their outlines readable.
  function colours(container) {
    const style = window.getComputedStyle(container);
    const read = (name, fallback) => style.getPropertyValue(name).trim() || fallback;
    return {
      sea: read("--ar-map-sea", "#d7e6f0"),
      land: read("--ar-map-land", "#f4f1e8"),
      coast: read("--ar-map-coast", "#8fa9bd"),
      border: read("--ar-map-border", "#b4a99a"),
    };
  }

  function addBaseMap(map, url, attribution) {
    const container = map.getContainer();
    if (!url || typeof window.topojson === "undefined" || !window.L) {
      return;
    }
    const L = window.L;
    if (!map.getPane(PANE)) {
      // Under the tile pane (z-index 200), over the map's background (the sea, map.css).
      map.createPane(PANE).style.zIndex = "150";
    }
    const colour = colours(container);
    container.style.backgroundColor = colour.sea;
    const renderer = L.svg({ pane: PANE, padding: 0.5 });
    load(url)
      .then((topology) => {
        const shapes = layers(topology);
        L.geoJSON(shapes.land, {
          pane: PANE,
          renderer: renderer,
          interactive: false,
          style: {
            className: "ar-base-map__land",
            color: colour.coast,
            weight: 0.8,
            fillColor: colour.land,
            fillOpacity: 1,
          },
        }).addTo(map);
        L.geoJSON(shapes.borders, {
          pane: PANE,
          renderer: renderer,
          interactive: false,
          style: { className: "ar-base-map__border", color: colour.border, weight: 0.8, fill: false },
        }).addTo(map);
        if (attribution && map.attributionControl) {
          map.attributionControl.addAttribution(attribution);
        }
        container.dataset.arBaseMap = "ready";
      })
      .catch(() => {
        container.dataset.arBaseMap = "failed";
      });
  }

  window.wagtailAr = window.wagtailAr || {};
  window.wagtailAr.addBaseMap = addBaseMap;
})();
