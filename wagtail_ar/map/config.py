"""The map's configuration: static files, the words of its script, tiles, view and icons.

Shared by the community map page and the map block; imports no model.
"""

from django.templatetags.static import static
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..choices import OrganisationType
from ..conf import settings as ar_settings
from ..site_settings import site_value

# The layers of the map's GeoJSON (``?layer=``).
LAYER_ORGANISATIONS = "organisations"
LAYER_CLUSTERS = "clusters"
LAYER_ACTIVITIES = "activities"
LAYERS = (LAYER_ORGANISATIONS, LAYER_CLUSTERS, LAYER_ACTIVITIES)

# One letter per organisation type, the ``t`` property of the GeoJSON features. Stable: the
# map's script and other sites' code read them. A type missing here (a project's own) is "".
ORGANISATION_TYPE_CODES = {
    OrganisationType.PUBLIC_AUTHORITY: "a",
    OrganisationType.PROTECTED_AREA: "p",
    OrganisationType.RESEARCH: "r",
    OrganisationType.NGO: "n",
    OrganisationType.BUSINESS: "b",
    OrganisationType.SECTORAL_AGENCY: "s",
    OrganisationType.INTERNATIONAL: "i",
    OrganisationType.OTHER: "o",
}


# The base map's scripts, before the map scripts that call it (the activity page loads them too).
BASE_MAP_SCRIPTS = (
    "wagtail_ar/vendor/topojson-client/topojson-client.min.js",
    "wagtail_ar/js/base_map.js",
)


def map_assets():
    """Static files every map needs, for the templates (``includes/map_assets.html``)."""
    return {
        "css": [
            "wagtail_ar/vendor/leaflet/leaflet.css",
            "wagtail_ar/css/map.css",
        ],
        "js": [
            "wagtail_ar/vendor/leaflet/leaflet.js",
            "wagtail_ar/vendor/supercluster/supercluster.min.js",
            *BASE_MAP_SCRIPTS,
            "wagtail_ar/js/community_map.js",
        ],
    }


def map_labels():
    """The words of the map's script, translated here (the script has no catalogue of its own)."""
    return {
        "loading": _("Loading…"),
        "detailsError": _(
            "The details could not be loaded. The list of organisations holds the same organisations."
        ),
        "dataError": _(
            "The map could not load its organisations. The list of organisations holds them all."
        ),
        # Placeholders in braces are filled in by the script.
        "marker": _("Organisation: {type}. Press Enter for its details."),
        "cluster": _("Group of organisations: {count}. Press Enter to show them."),
        "status": _("Organisations on the map: {count}."),
        "zoomed": _("Map zoomed in. Organisations in view: {count}. Press Tab to reach them."),
        "layerMarker": _("{name}. Press Enter for the link."),
        "close": _("Close"),
        # Leaflet's zoom buttons say "Zoom in" and "Zoom out" in English otherwise.
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
    }


BASE_MAP_FILE = "wagtail_ar/vendor/natural-earth/euromed.topo.json"
BASE_MAP_ATTRIBUTION = '<a href="https://www.naturalearthdata.com/">Natural Earth</a>'


def base_map_source():
    """``{url, attribution}`` of the base map under the tiles (``WAGTAIL_AR_BASE_MAP``), or
    ``None`` when the site has none."""
    setting = ar_settings.BASE_MAP
    if not setting:
        return None
    path = BASE_MAP_FILE if setting is True else str(setting)
    return {"url": static(path), "attribution": BASE_MAP_ATTRIBUTION}


def base_map_config(center=None, zoom=None, request=None):
    """Tiles, view, icons and words shared by the map page and the map block. The tiles and the
    default view are those of the request's site (``site_value``), else the Django settings."""
    center = center or site_value("MAP_CENTER", request)
    icons = "wagtail_ar/vendor/leaflet/images/"
    return {
        "tileUrl": site_value("TILE_URL", request),
        "attribution": site_value("TILE_ATTRIBUTION", request),
        "baseMap": base_map_source(),
        "center": [center["lat"], center["lng"]],
        "zoom": zoom if zoom is not None else site_value("MAP_ZOOM", request),
        "maxZoom": ar_settings.MAP_MAX_ZOOM,
        "icons": {
            "marker": static(icons + "marker-icon.png"),
            "marker2x": static(icons + "marker-icon-2x.png"),
            "shadow": static(icons + "marker-shadow.png"),
        },
        "labels": map_labels(),
        "typeLabels": {
            code: OrganisationType(value).label for value, code in ORGANISATION_TYPE_CODES.items()
        },
    }


def organisation_sources(request, page, filters=None, layers=True):
    """The URLs from which a map loads ``page``'s organisations (and its layers)."""
    base = page.get_url(request) if page.pk else None
    if not base:
        return {}
    geojson = base + page.reverse_subpage("geojson")
    details = base + page.reverse_subpage("organisation_details", args=[0])
    query = urlencode(filters or {})
    sources = {
        "organisations": {
            "url": f"{geojson}?{query}" if query else geojson,
            # The script puts the organisation's id in place of {id}.
            "detailsUrl": details.rsplit("0/", 1)[0] + "{id}/",
        }
    }
    if layers:
        sources["layers"] = [
            {
                "name": LAYER_CLUSTERS,
                "label": _("Geographical clusters"),
                "url": f"{geojson}?layer={LAYER_CLUSTERS}",
            },
            {
                "name": LAYER_ACTIVITIES,
                "label": _("Activities"),
                "url": f"{geojson}?layer={LAYER_ACTIVITIES}",
            },
        ]
    return sources
