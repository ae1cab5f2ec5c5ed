// The place picker of the admin (wagtail_ar/place_picker.py): a Stimulus controller, so a
// picker added later (a new StreamField block, a ListBlock item) starts by itself. The hidden
// input holds the place as JSON ({"latitude": …, "longitude": …}) or nothing; Wagtail's
// telepath widget fills it before the controller connects and reads it when the page is saved.
(function () {
  "use strict";

  var DECIMALS = 6;

  function round(number) {
    var factor = Math.pow(10, DECIMALS);
    return Math.round(number * factor) / factor;
  }

  function parse(text) {
    if (!text) return null;
    try {
      var data = JSON.parse(text);
      var lat = Number(data.latitude);
      var lng = Number(data.longitude);
      if (isFinite(lat) && isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) {
        return { lat: lat, lng: lng };
      }
    } catch (error) {
      // Not a place: the picker starts empty and the server says what is wrong.
    }
    return null;
  }

  class PlacePickerController extends window.StimulusModule.Controller {
    static targets = ["input", "map", "status"];
    static values = { options: Object, empty: String, chosen: String, zoom: String };

    connect() {
      var options = this.optionsValue;
      var place = parse(this.inputTarget.value);
      var zoomInput = this.zoomInput();
      var zoom = zoomInput && zoomInput.value ? Number(zoomInput.value) : options.zoom;
      this.map = L.map(this.mapTarget, { keyboard: true, maxZoom: options.maxZoom || 18 });
      this.map.setView(place ? [place.lat, place.lng] : options.center, zoom || options.zoom);
      // The package's base map under the tiles (base_map.js), as on every map of the package.
      if (options.baseMap && window.wagtailAr && window.wagtailAr.addBaseMap) {
        window.wagtailAr.addBaseMap(this.map, options.baseMap.url, options.baseMap.attribution);
      }
      if (options.tileUrl) {
        L.tileLayer(options.tileUrl, {
          attribution: options.attribution,
          maxZoom: options.maxZoom || 18,
        }).addTo(this.map);
      }
      this.icon = L.icon({
        iconUrl: options.icons.marker,
        iconRetinaUrl: options.icons.marker2x,
        shadowUrl: options.icons.shadow,
        iconSize: [25, 41],
        iconAnchor: [12, 41],
        popupAnchor: [1, -34],
        shadowSize: [41, 41],
      });
      this.map.on("click", (event) => this.choose(event.latlng));
      if (place) this.showMarker(place);
      this.show(place, false);
      // A block added collapsed, or shown later: Leaflet needs the map's size.
      if (window.ResizeObserver) {
        this.resizeObserver = new ResizeObserver(() => this.map && this.map.invalidateSize());
        this.resizeObserver.observe(this.mapTarget);
      }
    }

    disconnect() {
      if (this.resizeObserver) this.resizeObserver.disconnect();
      if (this.map) this.map.remove();
      this.map = null;
      this.marker = null;
    }

    zoomInput() {
      var field = this.optionsValue.zoomField;
      var id = this.inputTarget.id;
      if (!field || id.indexOf("-") === -1) return null;
      return document.getElementById(id.split("-").slice(0, -1).join("-") + "-" + field);
    }

    showMarker(latlng) {
      if (this.marker) {
        this.marker.setLatLng(latlng);
        return;
      }
      this.marker = L.marker(latlng, { draggable: true, icon: this.icon, keyboard: false });
      this.marker.on("dragend", () => this.choose(this.marker.getLatLng()));
      this.marker.addTo(this.map);
    }

    choose(latlng) {
      var place = { lat: round(latlng.lat), lng: round(L.Util.wrapNum(latlng.lng, [-180, 180], true)) };
      place.lat = Math.max(-90, Math.min(90, place.lat));
      this.showMarker(place);
      this.inputTarget.value = JSON.stringify({ latitude: place.lat, longitude: place.lng });
      this.inputTarget.dispatchEvent(new Event("change", { bubbles: true }));
      this.show(place, true);
    }

    show(place, announce) {
      var text = place
        ? this.chosenValue.replace("{place}", place.lat.toFixed(4) + ", " + place.lng.toFixed(4))
        : this.emptyValue;
      // The live region speaks a change only; the first text is there before anyone listens.
      if (announce || this.statusTarget.textContent !== text) this.statusTarget.textContent = text;
    }

    placeAtCentre() {
      this.choose(this.map.getCenter());
    }

    useZoom() {
      var input = this.zoomInput();
      if (!input) return;
      input.value = String(this.map.getZoom());
      input.dispatchEvent(new Event("change", { bubbles: true }));
      this.statusTarget.textContent = this.zoomValue.replace("{zoom}", input.value);
    }

    clear() {
      if (this.marker) this.marker.remove();
      this.marker = null;
      this.inputTarget.value = "";
      this.inputTarget.dispatchEvent(new Event("change", { bubbles: true }));
      this.show(null, true);
    }

    keydown(event) {
      if (event.target !== this.mapTarget) return;
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.placeAtCentre();
      }
    }
  }

  window.wagtail.app.register("ar-place-picker", PlacePickerController);
})();
