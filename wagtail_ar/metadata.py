"""Metadata for search engines and link previews: schema.org JSON-LD and Open Graph.

Pages that have them (the cluster factsheet and the cluster report) return plain data from
``get_json_ld(request)`` (a dict) and ``get_open_graph(request)`` (``[(property, content), …]``);
``wagtail_ar/includes/page_metadata.html`` writes them through the ``wagtail_ar_head`` block of
``base_page.html``, into the host's ``<head>`` when its base template has
``{% wagtail_ar_assets "head" %}`` there, else at the top of its content block. Override either
method on a subclass to change what is said.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Site

# As Django's json_script: "<", ">" and "&" as \\u escapes, so that the data can never end the
# <script> element or start markup, whatever editors type.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def inert_json(data, compact=False):
    """``data`` as JSON text with ``<``, ``>`` and ``&`` escaped: safe in a ``<script>``
    element, an attribute or a response of its own. ``compact`` drops the spaces."""
    separators = (",", ":") if compact else None
    return json.dumps(
        data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=separators
    ).translate(_JSON_SCRIPT_ESCAPES)


def json_ld_script(data):
    """``<script type="application/ld+json">…</script>`` holding ``data``; nothing without data."""
    if not data:
        return ""
    payload = inert_json(data)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308 - escaped above


# Schemes a link of stored data may use. URL fields are validated by the admin and the CSV import
# (http and https only), but an object saved by code or a shell skips both: defence in depth.
_SAFE_URL_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "?")


def safe_url(value):
    """``value`` when it is a web, e-mail or relative address, else ``""``: never a
    ``javascript:`` or ``data:`` link (the ``|safe_url`` filter of templates)."""
    url = str(value or "").strip()
    return url if url.lower().startswith(_SAFE_URL_SCHEMES) else ""


def rendition_url(image, spec, request=None):
    """The address of ``image``'s rendition ``spec`` (absolute with ``request``), for Open
    Graph and JSON-LD; ``None`` without an image or when its file is missing from storage
    (Wagtail's ``{% image %}`` tag shows a placeholder then; a page must not answer 500)."""
    from wagtail.images.models import SourceImageIOError

    if image is None:
        return None
    try:
        url = image.get_rendition(spec).url
    except SourceImageIOError:
        return None
    return request.build_absolute_uri(url) if request is not None else url


def plain_text(html, length=300):
    """Rich text or a long text as one plain line for a description."""
    text = " ".join(strip_tags(str(html or "")).split())
    return Truncator(text).chars(length)


def site_name(request):
    site = Site.find_for_request(request) if request is not None else None
    return (site.site_name or site.hostname) if site else ""


def open_graph(page, request, og_type, description, *extra):
    """The Open Graph tags every page shares (``[(property, content), …]``), then ``extra``."""
    return [
        ("og:type", og_type),
        ("og:title", page.seo_title or page.title),
        ("og:description", plain_text(page.search_description or description)),
        ("og:url", page.get_full_url(request)),
        ("og:site_name", site_name(request)),
        *extra,
    ]


def compact(data):
    """``data`` without its empty values (recursively in dicts), for tidy JSON-LD."""
    if isinstance(data, dict):
        return {
            key: compact(value) for key, value in data.items() if value not in (None, "", [], {})
        }
    if isinstance(data, list):
        return [compact(value) for value in data]
    return data
