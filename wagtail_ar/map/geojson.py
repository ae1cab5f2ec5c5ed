"""GeoJSON (RFC 7946) of the community map: lean organisation features and page layers.

Every function is handed the querysets or pages it writes; none imports a model, so the map
block and the page model can use them at import time.
"""

import itertools

from django.utils import formats

from ..locales import i18n_enabled, localize
from ..metadata import inert_json
from ..visibility import visible
from .config import ORGANISATION_TYPE_CODES

GEOJSON_CONTENT_TYPE = "application/geo+json"
COORDINATE_DECIMALS = 5


def dumps(data):
    """Compact JSON, with ``<``, ``>`` and ``&`` escaped."""
    return inert_json(data, compact=True)


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


#: Rows read and written at a time: the rows are never all in memory, only the text.
GEOJSON_CHUNK_ROWS = 2000


def organisations_geojson(organisations):
    """The lean FeatureCollection of ``organisations`` as JSON text, in one query whatever
    their number. The rows are streamed from the database (``iterator``) and written a chunk
    at a time, so a request holds the text and one chunk of rows, not every row as Python
    objects (at 100,000 organisations: about 11 MB of text; see ``tests/test_map.py``)."""
    rows = (
        organisations.order_by("pk")
        .values_list("pk", "longitude", "latitude", "organisation_type")
        .iterator(chunk_size=GEOJSON_CHUNK_ROWS)
    )
    codes = ORGANISATION_TYPE_CODES
    # One join at the end, of the chunks with their separators: the text is then held twice
    # at most (the chunks and the result), never a third time by a concatenation.
    parts = ['{"type":"FeatureCollection","features":[']
    while chunk := list(itertools.islice(rows, GEOJSON_CHUNK_ROWS)):
        if len(parts) > 1:
            parts.append(",")
        parts.append(
            ",".join(
                ORGANISATION_FEATURE
                % (pk, coordinate(longitude), coordinate(latitude), codes.get(kind, ""))
                for pk, longitude, latitude, kind in chunk
            )
        )
    parts.append("]}")
    return "".join(parts)


def layer_pages(page, pages, bbox=None):
    """Those of ``pages`` (a queryset) that visitors may see
    (:func:`wagtail_ar.visibility.visible`), with a location: in ``page``'s locale, or with
    i18n localized (:func:`wagtail_ar.locales.localize`)."""
    pages = visible(pages).filter(latitude__isnull=False, longitude__isnull=False)
    # After the exclusions: a private translation falls back to its public source.
    pages = localize(pages) if i18n_enabled() else pages.filter(locale_id=page.locale_id)
    if bbox is not None:
        pages = pages.filter(bbox.q())
    return pages.order_by("pk")


def cluster_features(request, page, clusters, bbox=None):
    """Features of the geographical ``clusters`` (a queryset of cluster pages)."""
    clusters = layer_pages(page, clusters, bbox)
    return [
        {
            "type": "Feature",
            "id": cluster.pk,
            "geometry": point(cluster.longitude, cluster.latitude),
            "properties": {"n": cluster.title, "u": cluster.get_url(request)},
        }
        for cluster in clusters.only("title", "url_path", "latitude", "longitude")
    ]


def activity_features(request, page, activities, bbox=None):
    """Features of ``activities`` (a queryset of activity pages), with their dates."""
    activities = layer_pages(page, activities, bbox).only(
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
