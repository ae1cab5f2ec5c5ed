"""Admin panels of wagtail_ar.

The location panels are wagtailgeowidget's address and Leaflet panels with two changes:
Leaflet is served from this package (wagtailgeowidget loads it from a CDN), and the tile layer,
attribution, default centre and geocoder come from the ``WAGTAIL_AR_`` settings, read when the
form is built rather than when Python starts.
"""

import json

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtailgeowidget import panels as geo_panels
from wagtailgeowidget import widgets as geo_widgets

from .conf import settings as ar_settings

LEAFLET_JS = "wagtail_ar/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "wagtail_ar/vendor/leaflet/leaflet.css"


class LeafletField(geo_widgets.LeafletField):
    """wagtailgeowidget's Leaflet widget, with Leaflet and tiles as this package configures them."""

    options_attr = "data-leaflet-field-options-value"

    def build_attrs(self, *args, **kwargs):
        attrs = super().build_attrs(*args, **kwargs)
        if self.options_attr in attrs:
            options = json.loads(attrs[self.options_attr])
            options["tileLayer"] = ar_settings.TILE_URL
            options["tileLayerOptions"] = {"attribution": ar_settings.TILE_ATTRIBUTION}
            if not self.value_data:
                options["defaultLocation"] = ar_settings.MAP_CENTER
                options["zoom"] = ar_settings.MAP_ZOOM
            attrs[self.options_attr] = json.dumps(options)
        return attrs

    @property
    def media(self):
        return forms.Media(
            css={"all": (LEAFLET_CSS, "wagtailgeowidget/css/leaflet-field.css")},
            js=(
                LEAFLET_JS,
                "wagtailgeowidget/js/leaflet-field.js",
                "wagtailgeowidget/js/leaflet-field-controller.js",
            ),
        )


class LeafletPanel(geo_panels.LeafletPanel):
    """A map on which the editor places the point of a :class:`~wagtail_ar.fields.PointField`."""

    def widget_overrides(self):
        return {
            self.field_name: LeafletField(
                address_field=self.address_field,
                zoom_field=self.zoom_field,
                hide_latlng=self.hide_latlng,
                zoom=self.zoom,
                srid=4326,
                id_prefix="id_",
            )
        }


class GeoAddressPanel(geo_panels.GeoAddressPanel):
    """An address field that moves the map marker, through the geocoder ``WAGTAIL_AR_GEOCODER``.

    With ``WAGTAIL_AR_GEOCODER = None`` the address is plain text and no request leaves the
    editor's browser.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("geocoder", None)
        super().__init__(*args, **kwargs)

    def widget_overrides(self):
        geocoder = self.geocoder or ar_settings.GEOCODER
        if not geocoder:
            return {}
        return {self.field_name: geo_widgets.GeocoderField(geocoder=geocoder)}


def location_panels(heading=None, extra=()):
    """The panels of :class:`~wagtail_ar.models.mixins.LocationMixin`, in one group."""
    return MultiFieldPanel(
        [
            *extra,
            GeoAddressPanel("address"),
            LeafletPanel("location", address_field="address", hide_latlng=False),
        ],
        heading=heading or _("Location"),
    )


__all__ = ["FieldPanel", "GeoAddressPanel", "LeafletField", "LeafletPanel", "location_panels"]
