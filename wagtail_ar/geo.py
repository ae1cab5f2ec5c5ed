"""Points as wagtailgeowidget stores them: ``SRID=4326;POINT(<longitude> <latitude>)``.

wagtailgeowidget validates nothing on the server; everything that reads or writes a point in
this package goes through :func:`parse_point`, so a malformed or out-of-range point is an
error and never a stored value.
"""

import math
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SRID = 4326
# Decimal numbers only: no exponent, no "nan", no "inf".
_NUMBER = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"  # ASCII digits: "٣" is no coordinate
POINT_RE = re.compile(
    rf"^\s*(?:SRID=(?P<srid>[0-9]{{1,9}});)?\s*POINT\s*\(\s*(?P<lng>{_NUMBER})\s+(?P<lat>{_NUMBER})\s*\)\s*$",
    re.IGNORECASE,
)


def parse_point(value):
    """Return ``(latitude, longitude)`` for a stored point, or raise ``ValidationError``."""
    if not isinstance(value, str):
        raise ValidationError(
            _("A location must be text such as SRID=4326;POINT(14.25 40.85)."), code="invalid"
        )
    match = POINT_RE.match(value)
    if not match:
        raise ValidationError(
            _(
                "“%(value)s” is not a point. Place the marker on the map, or type the "
                "coordinates as latitude,longitude (for example 40.85,14.25)."
            ),
            code="invalid",
            params={"value": value[:80]},
        )
    srid = match.group("srid")
    if srid is not None and int(srid) != SRID:
        raise ValidationError(
            _("Only WGS 84 coordinates (SRID 4326) are accepted, not SRID %(srid)s."),
            code="srid",
            params={"srid": srid},
        )
    lat, lng = float(match.group("lat")), float(match.group("lng"))
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise ValidationError(
            _("The latitude %(lat)s is out of range: it must lie between -90 and 90."),
            code="latitude",
            params={"lat": match.group("lat")},
        )
    if not (math.isfinite(lng) and -180 <= lng <= 180):
        raise ValidationError(
            _("The longitude %(lng)s is out of range: it must lie between -180 and 180."),
            code="longitude",
            params={"lng": match.group("lng")},
        )
    return lat, lng


def format_point(latitude, longitude):
    """The stored form of a point, as wagtailgeowidget writes it."""
    return f"SRID={SRID};POINT({float(longitude)} {float(latitude)})"
