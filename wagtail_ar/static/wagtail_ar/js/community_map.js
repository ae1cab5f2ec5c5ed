/*
 * The maps of wagtail_ar: the community map page and the map block.
 *
 * Plain ES2017, no build step; needs Leaflet and supercluster, both served by the package
 * (wagtail_ar/vendor/), and base_map.js with topojson-client for the base map. Nothing is
 * fetched from anywhere but the site itself and the tile server of the configuration.
 *
 * Clustering: the organisations are loaded once into a supercluster index (the clustering
 * engine of Mapbox and MapLibre); after every move or zoom only the groups and markers in view
 * (plus a margin) are Leaflet markers, and those already drawn are kept, so that the page
 * holds a few hundred elements whatever the number of organisations.
 *
 * Every element with data-ar-map="<id>" becomes a map; <id> is the id of a JSON data script
 * (Django's json_script) that holds its configuration:
 *
 *   tileUrl, attribution, maxZoom     the tile server (WAGTAIL_AR_TILE_URL…; none: no tiles)
 *   baseMap {url, attribution}        the Natural Earth base map under the tiles (base_map.js)
 *   center [lat, lng], zoom           the first view
 *   icons {marker, marker2x, shadow}  the marker images (static URLs)
 *   labels {…}                        translated words; {name} placeholders are filled in here
 *   typeLabels {code: label}          organisation types by the one-letter code of the GeoJSON
 *   organisations {url, detailsUrl}   the GeoJSON of the organisations, and the URL of one
 *                                     organisation's details ({id} is replaced by its id)
 *   layers [{name, label, url}]       optional overlays (geographical clusters, activities)
 *   fitToData                         fit the view to the organisations (filtered maps)
 *   openDetails                       the id of an organisation whose details open at once
 *   place {lat, lng, name}            one marker instead of organisations (map block)
 *
 * Keyboard: the map takes the focus (arrow keys pan, + and - zoom, and the zoom buttons mean
 * nothing needs dragging). Markers and groups of markers are buttons in the tab order: Enter
 * or Space on a group zooms to where it splits and the focus returns to the map, from where
 * Tab reaches the markers (at the closest zoom it spreads its markers around it instead and
 * the first of them takes the focus); Enter or Space on a marker opens its
 * details, which take the focus; Escape or the close button gives the focus back to the
 * marker. A polite live region says how many organisations are on the map and in view.
 *
 * When the first clustered view is drawn, the map element gets data-ar-map-state="ready", the
 * performance mark "wagtail_ar:map-clustered" is set and the event "wagtail_ar:map-ready" is
 * dispatched on the element (bench/map_first_paint.py waits for them).
 */
(function () {
  "use strict";

  if (typeof window.L === "undefined" || typeof window.Supercluster !== "function") {
    return;
  }
  const L = window.L;
  // The clustering radius in pixels (Leaflet.markercluster's, so the map looks as it did),
  // and the margin around the view drawn ahead of a pan (a share of its width and height).
  const CLUSTER_RADIUS = 80;
  const VIEW_MARGIN = 0.15;
  // Markers spread around a group at the closest zoom: the radius of their circle in pixels.
  const SPREAD_RADIUS = 36;
  const reducedMotion =
    typeof window.matchMedia === "function" &&
    window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, (match, key) =>
      Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match
    );
  }

  function mark(name) {
    if (window.performance && typeof window.performance.mark === "function") {
      window.performance.mark(name);
    }
  }

  function escapeHtml(text) {
    const span = document.createElement("span");
    span.textContent = String(text);
    return span.innerHTML;
  }

  function isSafeUrl(url) {
    return typeof url === "string" && /^(\/(?!\/)|https?:\/\/)/i.test(url);
  }

  function readConfig(element) {
    const script = document.getElementById(element.dataset.arMap);
    if (!script) {
      return null;
    }
    try {
      return JSON.parse(script.textContent);
    } catch (error) {
      return null;
    }
  }

  function isActivationKey(event) {
    return event.key === "Enter" || event.key === " " || event.key === "Spacebar";
  }

  // A div icon with an accessible name: Leaflet names <img> icons by their alt text only.
  const LabelledDivIcon = L.DivIcon.extend({
    createIcon(oldIcon) {
      const div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
      if (this.options.label) {
        div.setAttribute("aria-label", this.options.label);
      }
      return div;
    },
  });

  function markerIcon(icons) {
    return L.icon({
      iconUrl: icons.marker,
      iconRetinaUrl: icons.marker2x,
      shadowUrl: icons.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      shadowSize: [41, 41],
    });
  }

  // The direction of the text around the map: the nearest dir attribute above the map element
  // (the package's pages set it on their <article>, hosts on <html>).
  function isRightToLeft(element) {
    const around = element.parentNode && element.parentNode.closest("[dir]");
    return Boolean(around) && around.getAttribute("dir").toLowerCase() === "rtl";
  }

  // In a right-to-left page the attribution goes to the bottom left and its text reads
  // right to left; the zoom and layer controls are placed by their creators.
  function mirrorControls(map, rtl) {
    if (!rtl || !map.attributionControl) {
      return;
    }
    map.attributionControl.setPosition("bottomleft");
    map.attributionControl.getContainer().dir = "rtl";
  }

  class CommunityMap {
    constructor(element, config) {
      this.element = element;
      this.config = config;
      this.labels = config.labels || {};
      this.status = element.parentNode.querySelector("[data-ar-map-status]");
      this.details = new Map();
      this.openMarker = null;
      this.icon = markerIcon(config.icons || {});

      element.textContent = "";
      // Right-to-left pages (Arabic): the map itself stays left-to-right (dir="ltr" on the
      // element, Leaflet's geometry assumes it) and its controls change sides.
      this.rtl = isRightToLeft(element);
      this.map = L.map(element, {
        center: config.center,
        zoom: config.zoom,
        maxZoom: config.maxZoom,
        keyboard: true,
        zoomControl: false,
        // The wheel zooms only once the map has the focus: scrolling the page stays scrolling.
        scrollWheelZoom: false,
        zoomAnimation: !reducedMotion,
        markerZoomAnimation: !reducedMotion,
        fadeAnimation: !reducedMotion,
      });
      L.control
        .zoom({
          position: this.rtl ? "topright" : "topleft",
          zoomInTitle: this.labels.zoomIn || "Zoom in",
          zoomOutTitle: this.labels.zoomOut || "Zoom out",
        })
        .addTo(this.map);
      mirrorControls(this.map, this.rtl);
      this.map.on("focus", () => this.map.scrollWheelZoom.enable());
      this.map.on("blur", () => this.map.scrollWheelZoom.disable());
      // The base map (base_map.js) lies under the tiles: it is what shows while they load or
      // fail, and alone when the site has no tile server.
      if (config.baseMap && window.wagtailAr && window.wagtailAr.addBaseMap) {
        window.wagtailAr.addBaseMap(this.map, config.baseMap.url, config.baseMap.attribution);
      }
      if (config.tileUrl) {
        L.tileLayer(config.tileUrl, {
          attribution: config.attribution,
          maxZoom: config.maxZoom,
        }).addTo(this.map);
      }

      this.popup = L.popup({
        maxWidth: 320,
        minWidth: 200,
        // Above the marker's tip: the icon's popup anchor plus Leaflet's own offset.
        offset: [1, -27],
        autoPanPadding: [16, 16],
      });
      this.map.on("popupclose", (event) => this.onPopupClose(event));

      if (config.place) {
        this.addPlace(config.place);
        this.ready(1);
      } else if (config.organisations && config.organisations.url) {
        this.loadOrganisations();
      } else {
        this.ready(0);
      }
      if (Array.isArray(config.layers) && config.layers.length) {
        this.addLayerControl(config.layers);
      }
    }

    say(message) {
      if (this.status) {
        this.status.textContent = message;
      }
    }

    ready(count) {
      window.requestAnimationFrame(() => {
        // The frame is painted before a task queued from requestAnimationFrame runs.
        window.setTimeout(() => {
          mark("wagtail_ar:map-clustered");
          this.element.dataset.arMapState = "ready";
          this.element.dispatchEvent(
            new CustomEvent("wagtail_ar:map-ready", { bubbles: true, detail: { count: count } })
          );
        }, 0);
      });
    }

    addPlace(place) {
      const marker = L.marker([place.lat, place.lng], {
        icon: this.icon,
        keyboard: true,
        alt: place.name || "",
        title: place.name || "",
      }).addTo(this.map);
      if (place.name) {
        marker.bindPopup(escapeHtml(place.name));
      }
    }

    loadOrganisations() {
      // The same request as the page's <link rel="preload">, so that the browser reuses it.
      fetch(this.config.organisations.url, { credentials: "same-origin" })
        .then((response) => {
          if (!response.ok) {
            throw new Error(`HTTP ${response.status}`);
          }
          return response.json();
        })
        .then((data) => {
          mark("wagtail_ar:map-data");
          this.addOrganisations(data.features || []);
        })
        .catch(() => {
          this.say(this.labels.dataError);
          this.element.dataset.arMapState = "error";
        });
    }

    addOrganisations(features) {
      const labels = this.labels;
      const typeLabels = this.config.typeLabels || {};
      this.altTexts = {};
      Object.keys(typeLabels).forEach((type) => {
        this.altTexts[type] = format(labels.marker, { type: typeLabels[type] });
      });
      this.altTexts[""] = format(labels.marker, { type: "" });
      this.features = features;
      this.drawn = new Map();
      this.spread = null;
      mark("wagtail_ar:map-markers");
      // maxZoom: groups exist up to the map's closest zoom, as with Leaflet.markercluster;
      // extent 256: the radius is in Leaflet's pixels (256-pixel tiles).
      this.index = new window.Supercluster({
        radius: CLUSTER_RADIUS,
        extent: 256,
        maxZoom: this.map.getMaxZoom(),
      }).load(features);
      mark("wagtail_ar:map-clustering");

      // One group holds every drawn marker; their clicks and keys reach it.
      this.layer = L.featureGroup().addTo(this.map);
      this.layer.on("click", (event) => this.activate(event.layer));
      this.layer.on("keydown", (event) => {
        if (isActivationKey(event.originalEvent)) {
          // No keypress follows, hence no second "click" from Leaflet.
          event.originalEvent.preventDefault();
          this.activate(event.layer, true);
        }
      });
      this.map.on("moveend", () => this.draw());

      if (this.config.fitToData && features.length) {
        this.map.fitBounds(this.dataBounds(), { padding: [24, 24], maxZoom: 10, animate: false });
      }
      this.draw();
      this.say(format(labels.status, { count: features.length }));
      if (this.config.openDetails !== undefined) {
        const chosen = features.find((feature) => feature.id === this.config.openDetails);
        if (chosen) {
          this.reveal(chosen);
          this.openDetails(this.markerFor(chosen.id), { focus: false });
        }
      }
      this.ready(features.length);
    }

    dataBounds() {
      let south = 90;
      let west = 180;
      let north = -90;
      let east = -180;
      for (const feature of this.features) {
        const [lng, lat] = feature.geometry.coordinates;
        south = Math.min(south, lat);
        north = Math.max(north, lat);
        west = Math.min(west, lng);
        east = Math.max(east, lng);
      }
      return L.latLngBounds([south, west], [north, east]);
    }

    zoomLevel() {
      return Math.round(this.map.getZoom());
    }

    // The groups and markers in view and around it: new ones are added, those out of it
    // removed, the others kept (so a pan touches only its edges).
    draw() {
      const zoom = this.zoomLevel();
      if (this.spread && this.spread.zoom !== zoom) {
        this.layer.removeLayer(this.spread.layer);
        this.spread = null;
      }
      const bounds = this.map.getBounds().pad(VIEW_MARGIN);
      const items = this.index.getClusters(
        [bounds.getWest(), bounds.getSouth(), bounds.getEast(), bounds.getNorth()],
        zoom
      );
      const spreadId = this.spread ? this.spread.id : null;
      const sameZoom = zoom === this.drawnZoom;
      const next = new Map();
      for (const item of items) {
        const properties = item.properties || {};
        if (properties.cluster && properties.cluster_id === spreadId) {
          continue;
        }
        const key = properties.cluster ? `c${properties.cluster_id}` : `p${item.id}`;
        let marker = this.drawn.get(key);
        if (!marker) {
          marker = properties.cluster ? this.clusterMarker(item) : this.pointMarker(item);
          this.layer.addLayer(marker);
        }
        next.set(key, marker);
      }
      const active = document.activeElement;
      this.drawn.forEach((marker, key) => {
        if (next.has(key)) {
          return;
        }
        const icon = marker.getElement();
        if (sameZoom && icon && icon === active && marker.arCluster !== spreadId) {
          next.set(key, marker); // A pan does not take the focus away from under the reader.
        } else {
          this.layer.removeLayer(marker);
        }
      });
      this.drawn = next;
      this.drawnZoom = zoom;
    }

    pointMarker(feature, latlng) {
      const coordinates = feature.geometry.coordinates;
      const type = (feature.properties && feature.properties.t) || "";
      const marker = L.marker(latlng || [coordinates[1], coordinates[0]], {
        icon: this.icon,
        keyboard: true,
        alt: this.altTexts[type] || format(this.labels.marker, { type: "" }),
      });
      marker.arId = feature.id;
      return marker;
    }

    clusterMarker(cluster) {
      const coordinates = cluster.geometry.coordinates;
      const marker = L.marker([coordinates[1], coordinates[0]], {
        icon: this.clusterIcon(cluster.properties.point_count),
        keyboard: true,
      });
      marker.arCluster = cluster.properties.cluster_id;
      return marker;
    }

    markerFor(id) {
      const marker = this.drawn && this.drawn.get(`p${id}`);
      if (marker) {
        return marker;
      }
      const spread = this.spread ? this.spread.layer.getLayers() : [];
      return spread.find((layer) => layer.arId === id) || null;
    }

    activate(marker, fromKeyboard) {
      if (!marker) {
        return;
      }
      if (marker.arCluster === undefined) {
        this.openDetails(marker);
        return;
      }
      const zoom = this.index.getClusterExpansionZoom(marker.arCluster);
      if (zoom > this.map.getMaxZoom()) {
        this.spreadCluster(marker.arCluster, marker.getLatLng(), fromKeyboard);
        return;
      }
      // The focus first: the group's marker goes once the view has moved.
      if (fromKeyboard) {
        this.map.getContainer().focus({ preventScroll: true });
      }
      this.map.once("moveend", () => this.sayInView());
      this.map.setView(marker.getLatLng(), zoom, { animate: !reducedMotion });
    }

    // At the closest zoom a group cannot split: its markers go around it on a circle, joined
    // to its place by a line, until the zoom changes.
    spreadCluster(clusterId, center, focus) {
      if (this.spread) {
        this.layer.removeLayer(this.spread.layer);
      }
      const leaves = this.index.getLeaves(clusterId, Infinity);
      const zoom = this.zoomLevel();
      const origin = this.map.project(center, zoom);
      // A feature group: the clicks and keys of its markers reach this.layer.
      const layer = L.featureGroup();
      const step = (2 * Math.PI) / leaves.length;
      const radius = SPREAD_RADIUS * Math.max(1, leaves.length / 8);
      leaves.forEach((leaf, position) => {
        const offset = L.point(Math.cos(step * position), Math.sin(step * position));
        const latlng = this.map.unproject(origin.add(offset.multiplyBy(radius)), zoom);
        L.polyline([center, latlng], { className: "ar-map-spread-leg", interactive: false }).addTo(
          layer
        );
        layer.addLayer(this.pointMarker(leaf, latlng));
      });
      this.spread = { id: clusterId, zoom: zoom, layer: layer };
      this.layer.addLayer(layer);
      this.draw();
      this.say(format(this.labels.zoomed, { count: leaves.length }));
      const first = layer.getLayers().find((item) => item.arId !== undefined);
      if (focus && first && first.getElement()) {
        first.getElement().focus({ preventScroll: true });
      }
    }

    // The view in which an organisation is a marker of its own: the first zoom (from today's)
    // at which it is no longer in a group, else its group spread at the closest zoom.
    reveal(feature) {
      const [lng, lat] = feature.geometry.coordinates;
      const maxZoom = this.map.getMaxZoom();
      const near = 1e-6;
      for (let zoom = Math.max(this.zoomLevel(), 0); zoom <= maxZoom; zoom += 1) {
        const items = this.index.getClusters([lng - near, lat - near, lng + near, lat + near], zoom);
        if (items.some((item) => !(item.properties || {}).cluster && item.id === feature.id)) {
          this.map.setView([lat, lng], zoom, { animate: false });
          this.draw();
          return;
        }
      }
      this.map.setView([lat, lng], maxZoom, { animate: false });
      this.draw();
      const around = this.map.getBounds();
      const groups = this.index.getClusters(
        [around.getWest(), around.getSouth(), around.getEast(), around.getNorth()],
        maxZoom
      );
      const group = groups.find(
        (item) =>
          (item.properties || {}).cluster &&
          this.index.getLeaves(item.properties.cluster_id, Infinity).some((leaf) => leaf.id === feature.id)
      );
      if (group) {
        const [groupLng, groupLat] = group.geometry.coordinates;
        this.spreadCluster(group.properties.cluster_id, L.latLng(groupLat, groupLng), false);
      }
    }

    sayInView() {
      const bounds = this.map.getBounds();
      let count = 0;
      for (const feature of this.features) {
        const coordinates = feature.geometry.coordinates;
        if (bounds.contains([coordinates[1], coordinates[0]])) {
          count += 1;
        }
      }
      this.say(format(this.labels.zoomed, { count: count }));
    }

    clusterIcon(count) {
      let size = "large";
      if (count < 10) {
        size = "small";
      } else if (count < 100) {
        size = "medium";
      }
      return new LabelledDivIcon({
        html: `<div><span aria-hidden="true">${Number(count)}</span></div>`,
        className: `marker-cluster marker-cluster-${size}`,
        iconSize: L.point(40, 40),
        label: format(this.labels.cluster, { count: count }),
      });
    }

    openDetails(marker, options) {
      if (!marker || marker.arId === undefined) {
        return;
      }
      // Opened by the page itself (not by the reader): the focus stays where it is.
      const focus = !(options && options.focus === false);
      this.openMarker = marker;
      this.openId = marker.arId;
      this.popup.setLatLng(marker.getLatLng());
      if (!this.map.hasLayer(this.popup)) {
        this.popup.openOn(this.map);
      }
      const id = marker.arId;
      if (this.details.has(id)) {
        this.showDetails(marker, this.details.get(id), focus);
        return;
      }
      this.popup.setContent(escapeHtml(this.labels.loading));
      const url = format(this.config.organisations.detailsUrl, { id: id });
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then((response) => {
          if (!response.ok) {
            throw new Error(`HTTP ${response.status}`);
          }
          return response.text();
        })
        .then((html) => {
          this.details.set(id, html);
          if (this.openId === id) {
            this.showDetails(marker, html, focus);
          }
        })
        .catch(() => {
          if (this.openId === id) {
            this.popup.setContent(escapeHtml(this.labels.detailsError));
          }
        });
    }

    showDetails(marker, html, focus) {
      // The fragment comes from the site itself, rendered with Django's autoescaping.
      const content = document.createElement("div");
      content.className = "ar-map-popup";
      content.innerHTML = html;
      this.popup.setContent(content);
      const popupElement = this.popup.getElement();
      if (popupElement && !popupElement.dataset.arKeys) {
        popupElement.dataset.arKeys = "1";
        popupElement.addEventListener("keydown", (event) => {
          if (event.key === "Escape") {
            event.preventDefault();
            this.map.closePopup(this.popup);
          }
        });
      }
      if (focus !== false) {
        const heading = content.querySelector("[tabindex='-1']") || content;
        heading.focus({ preventScroll: true });
      }
    }

    onPopupClose(event) {
      if (event.popup !== this.popup || !this.openMarker) {
        return;
      }
      // The marker may have been drawn again since (a move): the one drawn now takes the focus.
      const drawn = this.markerFor(this.openId) || this.openMarker;
      const icon = drawn.getElement();
      this.openMarker = null;
      this.openId = undefined;
      // Give the focus back only if the details had it (it may be elsewhere by now).
      const active = document.activeElement;
      const popupElement = this.popup.getElement();
      const hadFocus =
        !active || active === document.body || (popupElement && popupElement.contains(active));
      if (!hadFocus) {
        return;
      }
      if (icon && document.body.contains(icon)) {
        icon.focus({ preventScroll: true });
      } else {
        this.map.getContainer().focus({ preventScroll: true });
      }
    }

    addLayerControl(layers) {
      const overlays = {};
      layers.forEach((layer) => {
        if (!layer || !layer.url) {
          return;
        }
        const group = L.layerGroup();
        group.arLayer = layer;
        // The layer control writes names as HTML.
        overlays[`<span class="ar-map-layer-name ar-map-layer-name--${escapeHtml(layer.name)}">${escapeHtml(layer.label)}</span>`] = group;
      });
      const control = L.control.layers(null, overlays, {
        collapsed: false,
        position: this.rtl ? "topleft" : "topright",
      });
      control.addTo(this.map);
      if (this.rtl) {
        control.getContainer().dir = "rtl";
      }
      this.map.on("overlayadd", (event) => {
        const group = event.layer;
        if (group.arLayer && !group.arLoaded) {
          group.arLoaded = true;
          this.loadLayer(group);
        }
      });
    }

    loadLayer(group) {
      const layer = group.arLayer;
      fetch(layer.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then((response) => {
          if (!response.ok) {
            throw new Error(`HTTP ${response.status}`);
          }
          return response.json();
        })
        .then((data) => {
          (data.features || []).forEach((feature) => {
            group.addLayer(this.layerMarker(layer, feature));
          });
        })
        .catch(() => {
          group.arLoaded = false;
          this.say(this.labels.dataError);
        });
    }

    layerMarker(layer, feature) {
      const properties = feature.properties || {};
      const coordinates = feature.geometry.coordinates;
      const name = properties.n || "";
      const marker = L.marker([coordinates[1], coordinates[0]], {
        keyboard: true,
        icon: new LabelledDivIcon({
          className: `ar-map-layer-marker ar-map-layer-marker--${layer.name}`,
          iconSize: [22, 22],
          label: format(this.labels.layerMarker, { name: name }),
          html: "",
        }),
      });
      const content = document.createElement("div");
      content.className = "ar-map-popup";
      const title = document.createElement("p");
      title.className = "ar-map-popup__title";
      if (isSafeUrl(properties.u)) {
        const link = document.createElement("a");
        link.href = properties.u;
        link.textContent = name;
        title.appendChild(link);
      } else {
        title.textContent = name;
      }
      content.appendChild(title);
      if (properties.d) {
        const date = document.createElement("p");
        date.textContent = properties.d;
        content.appendChild(date);
      }
      marker.bindPopup(content, { offset: [0, -4] });
      marker.on("popupopen", () => {
        const link = content.querySelector("a");
        if (link) {
          link.focus({ preventScroll: true });
        }
      });
      marker.on("popupclose", () => {
        const icon = marker.getElement();
        if (icon && content.contains(document.activeElement)) {
          icon.focus({ preventScroll: true });
        }
      });
      marker.on("keydown", (event) => {
        const key = event.originalEvent.key;
        if (key === " " || key === "Spacebar") {
          event.originalEvent.preventDefault();
          marker.togglePopup();
        }
      });
      return marker;
    }
  }

  function start() {
    document.querySelectorAll("[data-ar-map]").forEach((element) => {
      if (element.dataset.arMapState) {
        return;
      }
      const config = readConfig(element);
      if (!config) {
        return;
      }
      element.dataset.arMapState = "loading";
      element.arMap = new CommunityMap(element, config);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
