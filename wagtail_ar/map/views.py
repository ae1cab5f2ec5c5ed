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

    A client that accepts gzip gets the payload gzipped (``Content-Encoding: gzip``, ``Vary:
    Accept-Encoding``, its own ``ETag``): compressed once when the answer is built and kept
    with it in the cache, since the GeoJSON of 100,000 organisations is 11 MB of text but
    1.4 MB gzipped, and compressing it again for each request (as Django's ``GZipMiddleware``
    does) costs about 0.3 s. A host's ``GZipMiddleware`` leaves an encoded answer alone.

``organisations/<id>/``
    What a marker shows when it is opened, as an HTML fragment
    (``wagtail_ar/includes/map_organisation_details.html``): name, type, community roles,
    country, website, and the published clusters and working groups the organisation takes
    part in.

The functions take the request and the page, so that a subclass of the page may route them
differently or wrap them. The parameters are read by :mod:`wagtail_ar.map.parameters`.
"""

import gzip
import hashlib

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.regex_helper import _lazy_re_compile
from django.utils.translation import gettext_lazy as _

from .. import cache
from ..choices import ClusterCategory, ParticipantRole
from ..conf import settings as ar_settings
from ..models import ActivityPage, ClusterPage
from ..visibility import is_private, restricted_paths
from .config import (
    LAYER_ACTIVITIES,
    LAYER_CLUSTERS,
    base_map_config,
    map_assets,
    organisation_sources,
)
from .geojson import (
    GEOJSON_CONTENT_TYPE,
    activity_features,
    cluster_features,
    dumps,
    feature_collection,
    organisations_geojson,
)
from .parameters import (
    CommunityMapFilterSet,
    GeoJSONParametersForm,
    OrganisationListing,
)

# What the GeoJSON's answer depends on (the cache keys on these alone).
GEOJSON_PARAMETERS = frozenset(
    [*CommunityMapFilterSet.base_filters, *GeoJSONParametersForm.base_fields]
)

# Responses --------------------------------------------------------------------------------------


# What Django's GZipMiddleware reads in Accept-Encoding.
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")
# Compressing is worth it above this size (Django's GZipMiddleware's threshold).
GZIP_MIN_BYTES = 200


def digest(body):
    return hashlib.sha256(body).hexdigest()[:32]


class EncodedPayload:
    """A payload as bytes, gzipped once, with the ETag of each encoding: what the GeoJSON's
    cache entry holds, so that a hit neither hashes nor compresses the text again."""

    def __init__(self, content):
        self.body = content.encode() if isinstance(content, str) else bytes(content)
        self.etag = digest(self.body)
        self.gzipped = None
        if len(self.body) >= GZIP_MIN_BYTES:
            # mtime=0: the same payload always compresses to the same bytes (one ETag).
            self.gzipped = gzip.compress(self.body, compresslevel=6, mtime=0)
            self.gzip_etag = digest(self.gzipped)

    def response(self, request, content_type, private=False):
        """The answer to ``request``: gzipped when it accepts gzip, a 304 when it has it."""
        body, etag = self.body, self.etag
        use_gzip = self.gzipped is not None and ACCEPTS_GZIP.search(
            request.headers.get("Accept-Encoding", "")
        )
        if use_gzip:
            body, etag = self.gzipped, self.gzip_etag
        response = cached_response(request, body, content_type, private=private, etag=etag)
        if self.gzipped is not None:
            patch_vary_headers(response, ("Accept-Encoding",))
        if use_gzip and response.status_code == 200:
            response["Content-Encoding"] = "gzip"
        return response


def cached_response(request, content, content_type, private=False, etag=None):
    """``content`` with an ETag and Cache-Control, or a 304 when the client has it already;
    ``etag``: the ETag's value when it is known (else a hash of ``content``)."""
    response = HttpResponse(content, content_type=content_type)
    response["ETag"] = f'"{etag or digest(response.content)}"'
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


def geographical_clusters():
    return ClusterPage.objects.filter(category=ClusterCategory.GEOGRAPHICAL)


def community_map_geojson(request, page):
    """``geojson/`` of a community map page: see the module's docstring."""
    filterset = CommunityMapFilterSet(request.GET, queryset=page.organisations())
    parameters = GeoJSONParametersForm(request.GET)
    valid = filterset.is_valid()  # both forms are validated, to report every mistake at once
    if not (parameters.is_valid() and valid):
        return bad_request(filterset.form, parameters)
    bbox, layer = parameters.cleaned_data["bbox"], parameters.cleaned_data["layer"]

    def build():
        paths = restricted_paths(request)
        if layer == LAYER_CLUSTERS:
            content = dumps(
                feature_collection(cluster_features(request, page, geographical_clusters(), bbox))
            )
        elif layer == LAYER_ACTIVITIES:
            content = dumps(
                feature_collection(
                    activity_features(request, page, ActivityPage.objects.all(), bbox)
                )
            )
        else:
            organisations = filterset.qs
            if bbox is not None:
                organisations = organisations.filter(bbox.q())
            content = organisations_geojson(organisations)
        return EncodedPayload(content), is_private(page, paths)

    # A hit makes no query; a private map is never stored (its privacy is known from ``paths``).
    payload, private = cache.get_or_build(
        request,
        "geojson_payload",
        build,
        parts=(page.pk,),
        cacheable=lambda value: not value[1],
        params=GEOJSON_PARAMETERS,
    )
    return payload.response(request, GEOJSON_CONTENT_TYPE, private=private)


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
            {
                **organisation_details_context(organisation),
                "heading_level": 3,
                "profile_url": page.organisation_profile_url(organisation, request),
            },
            request=request,
        )
        return html, is_private(page, restricted_paths(request))

    html, private = cache.get_or_build(
        request,
        "organisation_details",
        build,
        parts=(page.pk, pk),
        cacheable=lambda value: value[0] is not None and not value[1],
        vary_on_query=False,
    )
    if html is None:
        raise Http404("No such organisation on this map.")
    return cached_response(request, html, "text/html; charset=utf-8", private=private)


# The map page and the map block ----------------------------------------------------------------


def community_map_context(request, page):
    """What ``community_map_page.html`` needs: the listing (filters and one page of the list)
    and the map's configuration. With a bad parameter the listing shows its messages (the
    page answers 400) and the map stays empty, as the list does."""
    listing = OrganisationListing(request, page)
    filters = listing.filterset.active_filters
    config = base_map_config(request=request)
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
