"""The place picker: a point chosen on a Leaflet map in the admin, without typing coordinates.

:class:`PlacePickerWidget` renders a hidden input (the place as JSON, ``{"latitude": …,
"longitude": …}``, or empty), a map, the chosen place as text in a live region and buttons
("Place the marker at the centre of the map", "Clear", and "Use the map's zoom" when the widget
knows a zoom field). Its script (``wagtail_ar/js/place_picker.js``) is a Stimulus controller of
the Wagtail admin, so a picker added with a StreamField block, in a StructBlock or a ListBlock,
starts by itself; Wagtail's telepath adapter of Django widgets fills and reads the hidden input.
Leaflet is the package's own (``wagtail_ar/vendor/leaflet/``), the tiles those of
``WAGTAIL_AR_TILE_URL`` (none: no tiles), over the package's base map (``WAGTAIL_AR_BASE_MAP``,
as every map of the package): the picker makes no request but to the site and the tile server.

:class:`PlaceField` validates what the input holds: a :class:`Place` or ``None``. The block
built on them is :class:`wagtail_ar.blocks.PlaceBlock`.
"""

import json
import math
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from .conf import settings as ar_settings
from .map.config import BASE_MAP_SCRIPTS, base_map_source
from .site_settings import site_value

LEAFLET_JS = "wagtail_ar/vendor/leaflet/leaflet.js"
LEAFLET_CSS = "wagtail_ar/vendor/leaflet/leaflet.css"
PICKER_JS = "wagtail_ar/js/place_picker.js"
PICKER_CSS = "wagtail_ar/css/place_picker.css"
ICONS = "wagtail_ar/vendor/leaflet/images/"
#: Decimals kept of a picked coordinate (about 10 cm).
DECIMALS = 6
#: The longest text taken for a place: anything longer is not one (and is not parsed).
MAX_LENGTH = 200


@dataclass(frozen=True)
class Place:
    """A point in decimal degrees (WGS 84). ``str()`` gives "36.7200, -4.4200"."""

    latitude: float
    longitude: float

    def __str__(self):
        return f"{self.latitude:.4f}, {self.longitude:.4f}"

    def as_dict(self):
        return {"latitude": self.latitude, "longitude": self.longitude}

    @classmethod
    def parse(cls, data):
        """A :class:`Place` from a mapping with ``latitude`` and ``longitude`` (numbers or
        numeric strings, in range), else ``ValueError``."""
        if not isinstance(data, dict):
            raise ValueError("not a mapping")
        numbers = []
        for name, limit in (("latitude", 90), ("longitude", 180)):
            number = data.get(name)
            if isinstance(number, bool) or not isinstance(number, (int, float, str)):
                raise ValueError(name)
            number = float(number)
            if not math.isfinite(number) or not -limit <= number <= limit:
                raise ValueError(name)
            numbers.append(round(number, DECIMALS))
        return cls(*numbers)

    @classmethod
    def from_stored(cls, data):
        """A :class:`Place` from stored data (a mapping, or its JSON), or ``None`` (nothing
        there, or not a place)."""
        if isinstance(data, cls) or data is None:
            return data
        try:
            if isinstance(data, str):
                data = json.loads(data) if len(data) <= MAX_LENGTH else None
            return cls.parse(data)
        except (TypeError, ValueError):
            return None


class PlacePickerWidget(forms.Widget):
    """A map on which the editor places a marker; the value is a :class:`Place` as JSON.

    ``zoom_field``: the name of a sibling field (same prefix, as in a StructBlock) that
    "Use the map's zoom" fills with the map's zoom and that gives the map its first zoom.
    """

    template_name = "wagtail_ar/admin/widgets/place_picker.html"

    def __init__(self, attrs=None, zoom_field=None):
        super().__init__(attrs)
        self.zoom_field = zoom_field

    def format_value(self, value):
        if isinstance(value, Place):
            return json.dumps(value.as_dict())
        return "" if value in (None, "") else str(value)

    def id_for_label(self, id_):
        return None  # the label names the group; the map has its own accessible name

    def options(self):
        centre = site_value("MAP_CENTER")
        return {
            "tileUrl": site_value("TILE_URL"),
            "attribution": site_value("TILE_ATTRIBUTION"),
            "baseMap": base_map_source(),
            "center": [centre["lat"], centre["lng"]],
            "zoom": site_value("MAP_ZOOM"),
            "maxZoom": ar_settings.MAP_MAX_ZOOM,
            "zoomField": self.zoom_field or "",
            "icons": {
                "marker": static(ICONS + "marker-icon.png"),
                "marker2x": static(ICONS + "marker-icon-2x.png"),
                "shadow": static(ICONS + "marker-shadow.png"),
            },
        }

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["options"] = json.dumps(self.options())
        context["widget"]["zoom_field"] = self.zoom_field
        return context

    @property
    def media(self):
        return forms.Media(
            css={"all": (LEAFLET_CSS, PICKER_CSS)}, js=(LEAFLET_JS, *BASE_MAP_SCRIPTS, PICKER_JS)
        )


class PlaceField(forms.Field):
    """The place of a :class:`PlacePickerWidget`: a :class:`Place`, or ``None`` when empty."""

    widget = PlacePickerWidget
    default_error_messages = {
        "required": _("Choose the place on the map."),
        "invalid": _("This is not a place on the map. Choose it again on the map."),
    }

    def __init__(self, *, zoom_field=None, **kwargs):
        kwargs.setdefault("widget", PlacePickerWidget(zoom_field=zoom_field))
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, Place):
            return value or None
        try:
            if isinstance(value, str) and len(value) > MAX_LENGTH:
                raise ValueError("too long")
            data = json.loads(value) if isinstance(value, str) else value
            return Place.parse(data)
        except (TypeError, ValueError) as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error

    def prepare_value(self, value):
        return self.widget.format_value(value)
