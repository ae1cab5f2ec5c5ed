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
differently or wrap them.
"""

import hashlib
import json
import re
from typing import NamedTuple

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries
from wagtail.models import PageViewRestriction

from . import cache
from .conf import settings as ar_settings
from .fields import has_choice
from .listing import Listing
from .locales import i18n_enabled, localize
from .models import ActivityPage, ClusterPage, Organisation
from .models.choices import ClusterCategory, CommunityRole, OrganisationType, ParticipantRole

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

LAYER_ORGANISATIONS = "organisations"
LAYER_CLUSTERS = "clusters"
LAYER_ACTIVITIES = "activities"
LAYERS = (LAYER_ORGANISATIONS, LAYER_CLUSTERS, LAYER_ACTIVITIES)

GEOJSON_CONTENT_TYPE = "application/geo+json"
COORDINATE_DECIMALS = 5

# Decimal numbers only: no exponent, no "nan", no "inf" (as in wagtail_ar.geo).
_NUMBER_RE = re.compile(r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*$")
# "<", ">" and "&" written as \u escapes: the JSON stays inert wherever it ends up.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


# Parameters -------------------------------------------------------------------------------------


class BoundingBox(NamedTuple):
    west: float
    south: float
    east: float
    north: float

    @property
    def crosses_antimeridian(self):
        return self.west > self.east

    def q(self, latitude="latitude", longitude="longitude"):
        """A ``Q`` matching rows whose point lies in the box (edges included)."""
        inside = Q(**{f"{latitude}__gte": self.south, f"{latitude}__lte": self.north})
        if self.crosses_antimeridian:
            return inside & (
                Q(**{f"{longitude}__gte": self.west}) | Q(**{f"{longitude}__lte": self.east})
            )
        return inside & Q(**{f"{longitude}__gte": self.west, f"{longitude}__lte": self.east})


def parse_bbox(value):
    """``west,south,east,north`` as a :class:`BoundingBox`, or a ``ValidationError`` that says why."""
    parts = value.split(",")
    if len(parts) != 4 or not all(_NUMBER_RE.match(part) for part in parts):
        raise ValidationError(
            _(
                "“%(value)s” is not a bounding box. Give four numbers in degrees separated by "
                "commas, west,south,east,north, for example 10.5,35.2,15.8,42.0."
            ),
            code="invalid",
            params={"value": value[:80]},
        )
    west, south, east, north = (float(part) for part in parts)
    for longitude in (west, east):
        if not -180 <= longitude <= 180:
            raise ValidationError(
                _(
                    "The longitude %(value)s is out of range: west and east lie between -180 and 180."
                ),
                code="longitude",
                params={"value": longitude},
            )
    for latitude in (south, north):
        if not -90 <= latitude <= 90:
            raise ValidationError(
                _(
                    "The latitude %(value)s is out of range: south and north lie between -90 and 90."
                ),
                code="latitude",
                params={"value": latitude},
            )
    if south > north:
        raise ValidationError(
            _(
                "The south edge (%(south)s) is north of the north edge (%(north)s). Give the "
                "corners in the order west,south,east,north."
            ),
            code="inverted",
            params={"south": south, "north": north},
        )
    return BoundingBox(west, south, east, north)


class PlainChoiceErrorMixin:
    """A wrong choice is an error that names the right stored values."""

    def __init__(self, *args, invalid_message, **kwargs):
        self.invalid_message = invalid_message
        super().__init__(*args, **kwargs)

    def validate(self, value):
        try:
            super().validate(value)
        except ValidationError as error:
            if error.code != "invalid_choice":
                raise
            raise ValidationError(
                self.invalid_message,
                code="invalid_choice",
                params={
                    "value": str(value)[:40],
                    "choices": ", ".join(str(key) for key, _label in self.choices if key),
                },
            ) from error


class StoredChoiceField(PlainChoiceErrorMixin, django_filters.fields.ChoiceField):
    pass


class StoredChoiceFilter(django_filters.ChoiceFilter):
    field_class = StoredChoiceField


class CountryCodeField(forms.CharField):
    """An ISO 3166-1 alpha-2 code, in upper or lower case; cleaned to upper case."""

    def to_python(self, value):
        return super().to_python(value).strip().upper()

    def validate(self, value):
        super().validate(value)
        if value and value not in all_countries:
            raise ValidationError(
                _(
                    "“%(value)s” is not a country code. Use the two letters of ISO 3166-1, "
                    "for example IT or TN."
                ),
                code="invalid",
                params={"value": value[:40]},
            )


class CountryCodeFilter(django_filters.CharFilter):
    field_class = CountryCodeField


class OrganisationFilterSet(django_filters.FilterSet):
    """The filters of the community map, its GeoJSON and its list: role, type, country, and
    ``organisation`` (one organisation, by id, whose details the map opens).

    Any ISO 3166-1 alpha-2 country code is accepted; the country menu offers those of the
    organisations being filtered (read when the menu is drawn, never for the GeoJSON).
    """

    role = StoredChoiceFilter(
        label=_("Community role"),
        choices=CommunityRole.choices,
        empty_label=_("Any role"),
        method="filter_role",
        invalid_message=_("“%(value)s” is not a community role. Use one of: %(choices)s."),
    )
    type = StoredChoiceFilter(
        label=_("Type of organisation"),
        field_name="organisation_type",
        choices=OrganisationType.choices,
        empty_label=_("Any type"),
        invalid_message=_("“%(value)s” is not a type of organisation. Use one of: %(choices)s."),
    )
    country = CountryCodeFilter(label=_("Country"), field_name="country")
    # One organisation: where a cluster factsheet's "Show … on the map" leads. Not in the
    # form (a hidden field), so that choosing other filters shows the others again.
    organisation = django_filters.NumberFilter(
        label=_("Organisation"), field_name="pk", widget=forms.HiddenInput
    )

    class Meta:
        model = Organisation
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and data.get("country"):
            # "tn" is Tunisia too, and the menu shows it chosen.
            data = data.copy()
            data["country"] = str(data["country"]).strip().upper()
        super().__init__(data, *args, **kwargs)
        self.filters["country"].extra["widget"] = forms.Select(choices=self.country_choices)

    def country_choices(self):
        codes = set(
            self.queryset.exclude(country="")
            .order_by()
            .values_list("country", flat=True)
            .distinct()
        )
        selected = str((self.data or {}).get("country") or "").strip().upper()
        if selected in all_countries:
            codes.add(selected)
        named = sorted(((code, all_countries.name(code)) for code in codes), key=lambda c: c[1])
        return [("", _("Any country")), *named]

    def filter_role(self, queryset, name, value):
        return queryset.filter(has_choice("community_roles", value))

    @property
    def active_filters(self):
        """``{name: value}`` of the valid filters in use, in the order of the form."""
        if not self.is_valid():
            return {}
        data = self.form.cleaned_data
        return {name: data[name] for name in self.filters if data.get(name)}


class GeoJSONParametersForm(forms.Form):
    """What ``geojson/`` takes besides the filters: a bounding box and a layer."""

    bbox = forms.CharField(required=False)
    layer = forms.CharField(required=False)

    def clean_bbox(self):
        value = self.cleaned_data["bbox"].strip()
        return parse_bbox(value) if value else None

    def clean_layer(self):
        value = self.cleaned_data["layer"].strip() or LAYER_ORGANISATIONS
        if value not in LAYERS:
            raise ValidationError(
                _("“%(value)s” is not a layer of the map. Use one of: %(choices)s."),
                code="invalid_choice",
                params={"value": value[:40], "choices": ", ".join(LAYERS)},
            )
        return value


class OrganisationListing(Listing):
    """The list beside the map. No full-text search: the map and its list show the same
    organisations, and the GeoJSON has no search."""

    search_param = None

    def __init__(self, request, page):
        super().__init__(
            request,
            page.organisations().order_by("name", "pk"),
            OrganisationFilterSet,
            per_page=ar_settings.MAP_LIST_PER_PAGE,
        )


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
