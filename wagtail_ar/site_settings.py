"""The values a site's editors may set (``AmplificationRoomSettings``), with the Django
settings as defaults.

:func:`site_value` is the one lookup: the site setting of the request's (or the given) site
when an editor filled it in, else ``wagtail_ar.conf.settings.<NAME>``. Without
``wagtail.contrib.settings`` in ``INSTALLED_APPS`` it reads the Django setting and makes no query.

Imports no model: the models import this module (for its validators), so the settings model
is found in the app registry when a value is read.
"""

import re

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from .conf import settings as ar_settings

#: The attribute of a request that keeps its site's settings (``None``: the site has none).
REQUEST_CACHE_ATTR = "_wagtail_ar_site_settings"

_NOT_FOUND = object()


def parse_addresses(value):
    """The e-mail addresses of a text, one per line or separated by commas or semicolons."""
    return [address.strip() for address in re.split(r"[\n,;]+", value or "") if address.strip()]


def validate_tile_url(value):
    """An XYZ tile address: ``http(s)://``, ``//host/…`` or a path of the site, with {z}, {x}
    and {y} (what the check ``wagtail_ar.W004`` asks of ``WAGTAIL_AR_TILE_URL``)."""
    if not value:
        return
    missing = [part for part in ("{z}", "{x}", "{y}") if part not in value]
    if missing:
        raise ValidationError(
            _("The tile URL needs %(parts)s in it."),
            code="tile_placeholders",
            params={"parts": ", ".join(missing)},
        )
    relative = value.startswith("/")
    if not (relative or re.match(r"^https?://[^/\s]+", value, re.IGNORECASE)) or re.search(
        r"\s", value
    ):
        raise ValidationError(
            _("The tile URL starts with https://, http:// or / and has no spaces."),
            code="tile_scheme",
        )


def _from_settings(settings):
    return {
        "FORUM_MODERATORS": parse_addresses(settings.forum_moderators) or None,
        "MIN_ACTIVITIES_PER_YEAR": settings.min_activities_per_year,
        "TILE_URL": settings.tile_url or None,
        # Leaflet shows the attribution as HTML: an editor's text is shown as text.
        "TILE_ATTRIBUTION": escape(settings.tile_attribution)
        if settings.tile_attribution
        else None,
        "MAP_CENTER": (
            {"lat": settings.map_latitude, "lng": settings.map_longitude}
            if settings.map_latitude is not None and settings.map_longitude is not None
            else None
        ),
        "MAP_ZOOM": settings.map_zoom,
    }


#: The Django settings (``WAGTAIL_AR_<NAME>``) a site may override.
NAMES = (
    "FORUM_MODERATORS",
    "MIN_ACTIVITIES_PER_YEAR",
    "TILE_URL",
    "TILE_ATTRIBUTION",
    "MAP_CENTER",
    "MAP_ZOOM",
)


def is_enabled():
    """Whether editors may set values: ``wagtail.contrib.settings`` is installed."""
    return apps.is_installed("wagtail.contrib.settings")


def settings_for(request=None, site=None):
    """The ``AmplificationRoomSettings`` of ``site`` (else of the request's site), or ``None``.

    One query, none when the request already holds its site's settings. Never creates a row
    (Wagtail's ``for_site`` would, on a visitor's first request)."""
    if not is_enabled():
        return None
    if site is None:
        if request is None:
            return None
        cached = getattr(request, REQUEST_CACHE_ATTR, _NOT_FOUND)
        if cached is not _NOT_FOUND:
            return cached
        from wagtail.models import Site

        found = _load(Site.find_for_request(request))
        setattr(request, REQUEST_CACHE_ATTR, found)
        return found
    return _load(site)


def _load(site):
    if site is None:
        return None
    model = apps.get_model("wagtail_ar", "AmplificationRoomSettings")
    return model.objects.filter(site_id=site.pk).first()


def site_value(name, request=None, site=None):
    """``name``'s value for ``site`` (else the request's site): the site setting when an editor
    set it, else the Django setting ``WAGTAIL_AR_<name>``."""
    if name not in NAMES:
        raise AttributeError(f"Not a site setting of wagtail_ar: {name}")
    settings = settings_for(request, site)
    if settings is not None:
        value = _from_settings(settings)[name]
        if value is not None:
            return value
    return getattr(ar_settings, name)
