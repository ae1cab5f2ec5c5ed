/*
 * The maps of wagtail_ar: the community map page and the map block.
 *
 * Plain ES2017, no build step; needs Leaflet and Leaflet.markercluster, both served by the
 * package (wagtail_ar/vendor/), and base_map.js with topojson-client for the base map. Nothing is fetched from anywhere but the site itself and the
 * tile server of the configuration.
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
 * or Space on a group zooms to it (or spreads its markers at the closest zoom) and the focus
 * returns to the map, from where Tab reaches the markers; Enter or Space on a marker opens its
 * details, which take the focus; Escape or the close button gives the focus back to the
 * marker. A polite live region says how many organisations are on the map and in view.
 *
 * When the first clustered view is drawn, the map element gets data-ar-map-state="ready", the
 * performance mark "wagtail_ar:map-clustered" is set and the event "wagtail_ar:map-ready" is
 * dispatched on the element (bench/map_first_paint.py waits for them).
 */
(function () {
  "use strict";

  if (typeof window.L === "undefined" || typeof window.L.markerClusterGroup !== "function") {
    return;
  }
  const L = window.L;
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
      const altTexts = {};
      const markers = new Array(features.length);
      for (let i = 0; i < features.length; i += 1) {
        const feature = features[i];
        const coordinates = feature.geometry.coordinates;
        const type = (feature.properties && feature.properties.t) || "";
        if (!(type in altTexts)) {
          altTexts[type] = format(labels.marker, { type: typeLabels[type] || "" });
        }
        const marker = L.marker([coordinates[1], coordinates[0]], {
          icon: this.icon,
          keyboard: true,
          alt: altTexts[type],
        });
        marker.arId = feature.id;
        markers[i] = marker;
      }

      const group = L.markerClusterGroup({
        showCoverageOnHover: false,
        spiderfyOnMaxZoom: true,
        zoomToBoundsOnClick: true,
        animate: !reducedMotion,
        iconCreateFunction: (cluster) => this.clusterIcon(cluster),
      });
      mark("wagtail_ar:map-markers");
      // On the map first: addLayers() on a group that is not on a map checks every marker
      // against all those before it (quadratic); on the map it clusters them in one pass.
      this.map.addLayer(group);
      group.addLayers(markers);
      mark("wagtail_ar:map-clustering");
      this.group = group;
      this.markers = markers;

      // Markers: a click, Enter or Space opens the details.
      group.on("click", (event) => this.openDetails(event.layer));
      group.on("keydown", (event) => {
        if (isActivationKey(event.originalEvent)) {
          event.originalEvent.preventDefault();
          this.openDetails(event.layer);
        }
      });
      // Groups: Leaflet.markercluster zooms on a click and on Enter; Space does the same here.
      group.on("clusterkeydown", (event) => {
        const key = event.originalEvent.key;
        if (key === " " || key === "Spacebar") {
          event.originalEvent.preventDefault();
          // The group names events from its clusters "cluster…": this becomes "clusterclick".
          group.fire("click", { layer: event.layer, originalEvent: event.originalEvent });
          this.map.getContainer().focus();
        }
        if (isActivationKey(event.originalEvent)) {
          this.map.once("moveend", () => this.sayInView());
        }
      });

      if (this.config.fitToData && markers.length) {
        this.map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 10, animate: false });
      }
      this.say(format(labels.status, { count: markers.length }));
      if (this.config.openDetails !== undefined) {
        const chosen = markers.find((marker) => marker.arId === this.config.openDetails);
        if (chosen) {
          group.zoomToShowLayer(chosen, () => this.openDetails(chosen, { focus: false }));
        }
      }
      this.ready(markers.length);
    }

    sayInView() {
      const bounds = this.map.getBounds();
      let count = 0;
      for (const marker of this.markers) {
        if (bounds.contains(marker.getLatLng())) {
          count += 1;
        }
      }
      this.say(format(this.labels.zoomed, { count: count }));
    }

    clusterIcon(cluster) {
      const count = cluster.getChildCount();
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
          if (this.openMarker === marker) {
            this.showDetails(marker, html, focus);
          }
        })
        .catch(() => {
          if (this.openMarker === marker) {
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
      const icon = this.openMarker.getElement();
      this.openMarker = null;
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
