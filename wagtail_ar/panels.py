"""Admin panels of wagtail_ar.

The location panels are wagtailgeowidget's address and Leaflet panels with two changes:
Leaflet is served from this package (wagtailgeowidget loads it from a CDN), and the tile layer,
attribution, default centre and geocoder come from the ``WAGTAIL_AR_`` settings, read when the
form is built rather than when Python starts.
"""

import json

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel
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


class ActivityRulePanel(Panel):
    """Read-only: how many activities a working group has this year, against the rule.

    "Each working group runs at least 2 activities per year" (the page's site's Amplification Room
    settings, else ``WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR``).
    Shown in the edit view of a saved working group page, whose model provides
    ``activity_count(year, include_private=True)``, ``draft_activity_count(year)``,
    ``minimum_activities_per_year(site=...)`` and ``code`` (see ``WorkingGroupPage``). Published
    activities count, members-only ones included; drafts do not, and are named apart.
    """

    template_name = "wagtail_ar/admin/panels/activity_rule_panel.html"

    class BoundPanel(Panel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.template_name = self.panel.template_name

        def is_shown(self):
            return bool(getattr(self.instance, "pk", None)) and hasattr(
                self.instance, "activity_count"
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            year = timezone.localdate().year
            count = page.activity_count(year, include_private=True)
            minimum = page.minimum_activities_per_year(site=page.get_site())
            context.update(
                year=year,
                count=count,
                minimum=minimum,
                below_minimum=count < minimum,
                drafts=page.draft_activity_count(year),
                last_year=year - 1,
                last_year_count=page.activity_count(year - 1, include_private=True),
                code=page.code,
            )
            return context


__all__ = [
    "ActivityRulePanel",
    "FieldPanel",
    "GeoAddressPanel",
    "LeafletField",
    "LeafletPanel",
    "location_panels",
]
