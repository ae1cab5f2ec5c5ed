/*
 * wagtail_ar: the small map of an activity's venue (templates/wagtail_ar/includes/activity_map.html).
 *
 * Reads everything from the element's data attributes: data-lat, data-lng, data-zoom,
 * data-tile-url, data-attribution (HTML from the site's settings; no URL: no tiles),
 * data-base-map and data-base-map-attribution (the base map under the tiles, base_map.js) and
 * data-marker-label.
 * Needs Leaflet (served by the package, wagtail_ar/vendor/leaflet). Without JavaScript, or
 * when Leaflet is missing, the element stays hidden and the address is shown on its own.
 */
(function () {
  "use strict";

  function drawMap(element) {
    var lat = parseFloat(element.dataset.lat);
    var lng = parseFloat(element.dataset.lng);
    if (!isFinite(lat) || !isFinite(lng)) {
      return;
    }
    element.hidden = false;
    // Right-to-left pages: the map stays left-to-right (dir="ltr" on the element), its
    // controls change sides.
    var around = element.parentNode && element.parentNode.closest("[dir]");
    var rtl = Boolean(around) && around.getAttribute("dir").toLowerCase() === "rtl";
    var map = window.L.map(element, {
      center: [lat, lng],
      zoom: parseInt(element.dataset.zoom, 10) || 15,
      // The page scrolls under the wheel; the map zooms with its buttons or the keyboard.
      scrollWheelZoom: false,
      zoomControl: false,
    });
    window.L.control
      .zoom({
        position: rtl ? "topright" : "topleft",
        zoomInTitle: element.dataset.zoomInLabel || "Zoom in",
        zoomOutTitle: element.dataset.zoomOutLabel || "Zoom out",
      })
      .addTo(map);
    if (rtl && map.attributionControl) {
      map.attributionControl.setPosition("bottomleft");
      map.attributionControl.getContainer().dir = "rtl";
    }
    if (element.dataset.baseMap && window.wagtailAr && window.wagtailAr.addBaseMap) {
      window.wagtailAr.addBaseMap(map, element.dataset.baseMap, element.dataset.baseMapAttribution);
    }
    if (element.dataset.tileUrl) {
      window.L.tileLayer(element.dataset.tileUrl, {
        attribution: element.dataset.attribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    var marker = window.L.marker([lat, lng], {
      title: element.dataset.markerLabel || "",
      alt: element.dataset.markerLabel || "",
      keyboard: false,
    }).addTo(map);
    if (element.dataset.markerLabel) {
      // Leaflet reads a string as HTML: the venue's name goes in as text.
      var label = document.createElement("span");
      label.textContent = element.dataset.markerLabel;
      marker.bindTooltip(label);
    }
  }

  function init() {
    if (!window.L) {
      return;
    }
    document.querySelectorAll("[data-ar-activity-map]").forEach(drawMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
