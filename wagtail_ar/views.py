"""The community map's data: GeoJSON of its organisations and layers, and marker details.

A :class:`~wagtail_ar.models.CommunityMapPage` serves them under its own URL (it is a
``RoutablePageMixin`` page, see :mod:`wagtail_ar.models.map`):

``geojson/``
    A GeoJSON ``FeatureCollection`` (RFC 7946) of the page's organisations: published, with a
    location, in the page's locale. Each feature is as small as it can be, about 100 bytes:
    its ``id`` (the organisation's primary key), its point with coordinates rounded to 5
    decimals (about a metre) and one property, ``t``, a one-letter code of its type (see
    :data:`ORGANISATION_TYPE_CODES`). Names and the rest are loaded when a marker is opened.

    Parameters, all optional (an empty one is ignored, and so is an unknown one):

    ``role``     a community role as stored (``pp``, ``c4n``, ``tp_partner``…)
    ``type``     an organisation type as stored (``ngo``, ``research``…)
    ``country``  an ISO 3166-1 alpha-2 code, in upper or lower case (``IT``, ``tn``)
    ``bbox``     ``west,south,east,north`` in decimal degrees (WGS 84), the order of RFC 7946.
                 West greater than east is a box that crosses the antimeridian (180°): from
                 170,-20,-170,20 come the points east of 170° *and* west of -170°. South
                 greater than north is refused: a box upside down is a mistake, not a shape.
                 Longitudes must lie between -180 and 180, latitudes between -90 and 90.
    ``layer``    ``organisations`` (the default), ``clusters`` (geographical cluster
                 factsheets with a location) or ``activities`` (activities with a location);
                 layer features carry their title ``n``, URL ``u`` and, for activities, their
                 date ``d``. Only live pages outside private sections are included.

    A bad parameter is a ``400`` with a JSON body ``{"error": "…", "errors": {"bbox": […]}}``
    in plain language. Answers carry an ``ETag`` (a hash of the payload: an unchanged map is a
    ``304`` for ``If-None-Match``) and ``Cache-Control: public, max-age=…``
    (``WAGTAIL_AR_GEOJSON_MAX_AGE`` seconds; ``private`` when the map page is in a private
    section). The organisations take two SQL queries whatever their number.

``organisations/<id>/``
    What a marker shows when it is opened, as an HTML fragment
    (``wagtail_ar/includes/map_organisation_details.html``): name, type, community roles,
    country, website, and the published clusters and working groups the organisation takes
    part in.

The functions take the request and the page, so that a subclass of the page may route them
differently or wrap them. The parameters are read by :mod:`wagtail_ar.map_parameters`.
"""

import hashlib
import json

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageViewRestriction

from . import cache
from .choices import ClusterCategory, OrganisationType, ParticipantRole
from .conf import settings as ar_settings
from .locales import i18n_enabled, localize
from .map_parameters import (
    LAYER_ACTIVITIES,
    LAYER_CLUSTERS,
    GeoJSONParametersForm,
    OrganisationFilterSet,
    OrganisationListing,
)
from .models import ActivityPage, ClusterPage

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

GEOJSON_CONTENT_TYPE = "application/geo+json"
COORDINATE_DECIMALS = 5

# "<", ">" and "&" written as \u escapes: the JSON stays inert wherever it ends up.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Responses --------------------------------------------------------------------------------------


def restricted_paths():
    """The tree paths of the private sections of the site (one query)."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def is_private(page, paths):
    return any(page.path.startswith(path) for path in paths)


def dumps(data):
    """Compact JSON, with ``<``, ``>`` and ``&`` escaped."""
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).translate(_JSON_ESCAPES)


def cached_response(request, content, content_type, private=False):
    """``content`` with an ETag and Cache-Control, or a 304 when the client has it already."""
    response = HttpResponse(content, content_type=content_type)
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    response["ETag"] = f'"{digest}"'
    patch_cache_control(
        response,
        **({"private": True} if private else {"public": True}),
        max_age=ar_settings.GEOJSON_MAX_AGE,
    )
    return get_conditional_response(request, etag=response["ETag"], response=response)


def bad_request(*forms_):
    """A 400 that says, in plain language, which parameters are wrong and why."""
    errors = {}
    for form in forms_:
        for field, messages in form.errors.items():
            errors.setdefault(field, []).extend(str(message) for message in messages)
    first_field, first_messages = next(iter(errors.items()))
    body = dumps({"error": f"{first_field}: {first_messages[0]}", "errors": errors})
    response = HttpResponse(body, status=400, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


# GeoJSON ----------------------------------------------------------------------------------------


def point(longitude, latitude):
    return {
        "type": "Point",
        "coordinates": [
            round(longitude, COORDINATE_DECIMALS),
            round(latitude, COORDINATE_DECIMALS),
        ],
    }


def feature_collection(features):
    return {"type": "FeatureCollection", "features": features}


def coordinate(value):
    """A coordinate as JSON, to 5 decimals (about a metre) without trailing zeros."""
    return f"{value:.{COORDINATE_DECIMALS}f}".rstrip("0").rstrip(".")


# A feature of the organisations' GeoJSON, written directly: at 10,000 organisations this is
# four times faster than building dictionaries for json.dumps. Every value is a number or a
# code of ORGANISATION_TYPE_CODES, so nothing needs escaping.
ORGANISATION_FEATURE = (
    '{"type":"Feature","id":%d,"geometry":{"type":"Point","coordinates":[%s,%s]},'
    '"properties":{"t":"%s"}}'
)


def organisations_geojson(organisations):
    """The lean FeatureCollection of ``organisations`` as JSON text, in one query whatever
    their number."""
    rows = organisations.order_by("pk").values_list(
        "pk", "longitude", "latitude", "organisation_type"
    )
    features = ",".join(
        ORGANISATION_FEATURE
        % (pk, coordinate(longitude), coordinate(latitude), ORGANISATION_TYPE_CODES.get(kind, ""))
        for pk, longitude, latitude, kind in rows
    )
    return '{"type":"FeatureCollection","features":[' + features + "]}"


def layer_pages(page, model, paths, bbox=None):
    """Live pages of ``model`` with a location, outside private sections: in ``page``'s
    locale, or with i18n localized (:func:`wagtail_ar.locales.localize`)."""
    pages = (
        model.objects.live()
        .exclude(expire_at__lte=timezone.now())  # before publish_scheduled runs
        .filter(latitude__isnull=False, longitude__isnull=False)
    )
    for path in paths:
        pages = pages.exclude(path__startswith=path)
    # After the exclusions: a private translation falls back to its public source.
    pages = localize(pages) if i18n_enabled() else pages.filter(locale_id=page.locale_id)
    if bbox is not None:
        pages = pages.filter(bbox.q())
    return pages.order_by("pk")


def cluster_features(request, page, paths, bbox=None):
    clusters = layer_pages(page, ClusterPage, paths, bbox).filter(
        category=ClusterCategory.GEOGRAPHICAL
    )
    return [
        {
            "type": "Feature",
            "id": cluster.pk,
            "geometry": point(cluster.longitude, cluster.latitude),
            "properties": {"n": cluster.title, "u": cluster.get_url(request)},
        }
        for cluster in clusters.only("title", "url_path", "latitude", "longitude")
    ]


def activity_features(request, page, paths, bbox=None):
    activities = layer_pages(page, ActivityPage, paths, bbox).only(
        "title", "url_path", "latitude", "longitude", "start", "time_zone"
    )
    return [
        {
            "type": "Feature",
            "id": activity.pk,
            "geometry": point(activity.longitude, activity.latitude),
            "properties": {
                "n": activity.title,
                "u": activity.get_url(request),
                "d": formats.date_format(activity.local_start, "DATE_FORMAT"),
            },
        }
        for activity in activities
    ]


def community_map_geojson(request, page):
    """``geojson/`` of a community map page: see the module's docstring."""
    filterset = OrganisationFilterSet(request.GET, queryset=page.organisations())
    parameters = GeoJSONParametersForm(request.GET)
    valid = filterset.is_valid()  # both forms are validated, to report every mistake at once
    if not (parameters.is_valid() and valid):
        return bad_request(filterset.form, parameters)
    bbox, layer = parameters.cleaned_data["bbox"], parameters.cleaned_data["layer"]

    def build():
        paths = restricted_paths()
        if layer == LAYER_CLUSTERS:
            content = dumps(feature_collection(cluster_features(request, page, paths, bbox)))
        elif layer == LAYER_ACTIVITIES:
            content = dumps(feature_collection(activity_features(request, page, paths, bbox)))
        else:
            organisations = filterset.qs
            if bbox is not None:
                organisations = organisations.filter(bbox.q())
            content = organisations_geojson(organisations)
        return content, is_private(page, paths)

    # A hit makes no query; a private map is never stored (its privacy is known from ``paths``).
    content, private = cache.get_or_build(
        request, "geojson", build, parts=(page.pk,), cacheable=lambda value: not value[1]
    )
    return cached_response(request, content, GEOJSON_CONTENT_TYPE, private=private)


# Marker details ---------------------------------------------------------------------------------


def organisation_details_context(organisation):
    """The clusters and working groups of ``organisation``, each with the part it plays there."""
    participant_roles = dict(ParticipantRole.choices)
    clusters = [
        (
            cluster,
            _("Lead partner")
            if cluster.lead_partner_id == organisation.pk
            else participant_roles.get(cluster.participant_role, cluster.participant_role),
        )
        for cluster in organisation.clusters()
    ]
    working_groups = [
        (group, _("Coordinator") if group.is_coordinator else _("Member"))
        for group in organisation.working_groups()
    ]
    return {"organisation": organisation, "clusters": clusters, "working_groups": working_groups}


def organisation_details(request, page, pk):
    """``organisations/<id>/`` of a community map page: what an opened marker shows."""

    def build():
        organisation = page.organisations().filter(pk=pk).first()
        if organisation is None:
            return None, False
        html = render_to_string(
            "wagtail_ar/includes/map_organisation_details.html",
            {**organisation_details_context(organisation), "heading_level": 3},
            request=request,
        )
        return html, is_private(page, restricted_paths())

    html, private = cache.get_or_build(
        request,
        "organisation_details",
        build,
        parts=(page.pk, pk),
        cacheable=lambda value: value[0] is not None and not value[1],
    )
    if html is None:
        raise Http404("No such organisation on this map.")
    return cached_response(request, html, "text/html; charset=utf-8", private=private)


# The map page and the map block ----------------------------------------------------------------


def map_assets():
    """Static files every map needs, for the templates (``includes/map_assets.html``)."""
    return {
        "css": [
            "wagtail_ar/vendor/leaflet/leaflet.css",
            "wagtail_ar/vendor/leaflet.markercluster/MarkerCluster.css",
            "wagtail_ar/vendor/leaflet.markercluster/MarkerCluster.Default.css",
            "wagtail_ar/css/map.css",
        ],
        "js": [
            "wagtail_ar/vendor/leaflet/leaflet.js",
            "wagtail_ar/vendor/leaflet.markercluster/leaflet.markercluster.js",
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


def base_map_config(center=None, zoom=None):
    """Tiles, view, icons and words shared by the map page and the map block."""
    center = center or ar_settings.MAP_CENTER
    icons = "wagtail_ar/vendor/leaflet/images/"
    return {
        "tileUrl": ar_settings.TILE_URL,
        "attribution": ar_settings.TILE_ATTRIBUTION,
        "center": [center["lat"], center["lng"]],
        "zoom": zoom if zoom is not None else ar_settings.MAP_ZOOM,
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


def community_map_context(request, page):
    """What ``community_map_page.html`` needs: the listing (filters and one page of the list)
    and the map's configuration. With a bad parameter the listing shows its messages (the
    page answers 400) and the map stays empty, as the list does."""
    listing = OrganisationListing(request, page)
    filters = listing.filterset.active_filters
    config = base_map_config()
    if not listing.errors:
        config.update(organisation_sources(request, page, filters))
    config["fitToData"] = bool(filters)
    if filters.get("organisation") is not None:
        config["openDetails"] = int(filters["organisation"])
    return {
        "listing": listing,
        "filters": filters,
        "map_config": config,
        "map_assets": map_assets(),
    }
