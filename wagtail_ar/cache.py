"""Caching of what visitors read: the map's GeoJSON, listings, factsheet fragments, feeds, calendars.

Everything goes through Django's cache framework, in the cache named by
``WAGTAIL_AR_CACHE_ALIAS`` (``"default"``), for ``WAGTAIL_AR_CACHE_TIMEOUT`` seconds (``0``
switches caching off). Keys start with ``wagtail_ar:`` and are built from:

- a **generation** number kept in the cache itself and bumped by :func:`invalidate` whenever
  visible content may have changed (a page published, unpublished, moved or deleted, a snippet
  saved or deleted, a view restriction changed: see :mod:`wagtail_ar.signals`). Nothing is
  deleted: keys of the old generation are simply never asked for again and expire;
- the active language, the scheme of the request and the Wagtail ``Site`` it matched (not its
  ``Host`` header, which a visitor chooses), its path;
- the parameters of the query string **that the cached thing understands** (``params``: a
  listing's filters, ``q`` and ``page``; the map's filters, ``bbox`` and ``layer``), empty ones
  dropped, sorted by name, each name and value percent-encoded, so that no two filter states
  share a key (``?category%3Dthematic%26q=water`` is not ``?category=thematic&q=water``) and
  junk parameters (``?utm_campaign=x1``, ``x2``…) add no entry. A request with a parameter
  that is not understood may read the cache (the answer does not depend on it) but never
  writes it; tracking parameters (``utm_*``, ``fbclid``, ``gclid``…) are simply left out;
- the name of what is cached and the page it belongs to.

Each page keeps at most ``WAGTAIL_AR_CACHE_MAX_VARIANTS`` entries per cached thing and
generation (a search for every word of a dictionary cannot fill the cache); beyond that,
answers are built and not stored.

Pages that mix in :class:`CachedFragmentsMixin` (the landing, working group, listing, map,
factsheet, report and activity pages) keep the HTML of their own part of the page (``{% wagtail_ar_fragment %}`` in
``wagtail_ar/pages/base_page.html``: the ``<head>`` additions, the ``<article>`` and the scripts)
for anonymous visitors: a hit renders the host's base template around the stored HTML without
building the page's context, so it makes only Wagtail's routing queries.

What is never cached, for anyone: what a preview, a logged-in user (an editor), a request
other than GET/HEAD, or a page in a private section (password, login or group restriction on
the page or an ancestor) produced. Logged-in users never read the cache either: editors always
see the database.

A cache that fails (Redis down) is logged and skipped: the page is built from the database.

With the local-memory cache (Django's default) each process has its own cache and its own
generation: a site served by several processes should use a shared cache (Redis, Memcached),
or a process may show what it cached up to ``WAGTAIL_AR_CACHE_TIMEOUT`` seconds after an edit
made through another process.

Code that changes what visitors see without a signal (a ``QuerySet.update()``, raw SQL, a new
model in another app) calls :func:`invalidate`.
"""

import contextlib
import hashlib
import logging
import re
import threading
import time
from urllib.parse import urlencode

from django import template
from django.core.cache import caches
from django.http import HttpResponse
from django.template.response import SimpleTemplateResponse, TemplateResponse
from django.utils.translation import get_language

from .conf import settings as ar_settings

logger = logging.getLogger(__name__)

PREFIX = "wagtail_ar:"
GENERATION_KEY = PREFIX + "generation"
_MISSING = object()
# Parameters that only say where a visitor came from: no page reads them.
TRACKING_PARAMETER = re.compile(r"utm_[a-z_]*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|_ga")


def get_cache():
    """The cache of wagtail_ar (``WAGTAIL_AR_CACHE_ALIAS``)."""
    return caches[ar_settings.CACHE_ALIAS]


def is_enabled():
    return ar_settings.CACHE_TIMEOUT != 0


def _fresh_generation():
    # Started from the clock, not from 1: should the counter be evicted, a new one never
    # meets keys written under an old number.
    return time.time_ns() // 1000


def generation():
    """The current generation number (it is created on first use)."""
    cache = get_cache()
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), timeout=None)
        value = cache.get(GENERATION_KEY)
    return value


#: Inside :func:`batched_invalidation` (of this thread): whether something invalidated.
_batch = threading.local()


@contextlib.contextmanager
def batched_invalidation():
    """Within the block, :func:`invalidate` (and so every save's signal) only takes note; the
    cache is made stale once, as the block ends, if anything invalidated. For code that saves
    many objects in a row (the imports). Nested blocks invalidate once, at the outermost end."""
    outermost = not hasattr(_batch, "pending")
    if outermost:
        _batch.pending = False
    try:
        yield
    finally:
        if outermost:
            pending = _batch.pending
            del _batch.pending
            if pending:
                invalidate()


def invalidate(**_signal_kwargs):
    """Make every cached wagtail_ar entry stale at once. Safe to call often, from anywhere
    (it also serves as a signal receiver). Call it after changing, by code that sends no
    signal, anything that visitors see."""
    if hasattr(_batch, "pending"):
        _batch.pending = True
        return
    if not is_enabled():
        return
    cache = get_cache()
    try:
        try:
            cache.incr(GENERATION_KEY)
        except ValueError:  # no generation yet, or it was evicted
            cache.set(GENERATION_KEY, _fresh_generation(), timeout=None)
    except Exception:  # noqa: BLE001 - a broken cache must not break publishing
        logger.exception("wagtail_ar could not invalidate its cache")


def _parameters(request):
    """``(name, values)`` of the query string: a parameter whose values are all empty is left
    out (``?q=`` is no search), and so are tracking parameters. A parameter with a value and an
    empty one keeps both: ``?category=thematic&category=`` reads as no category (the last
    value counts), so it must not share the key of ``?category=thematic``."""
    for key, values in request.GET.lists():
        if any(value != "" for value in values) and not TRACKING_PARAMETER.fullmatch(key):
            yield key, values


def normalised_query(request, params=()):
    """The query string reduced to the parameters in ``params`` (see :func:`_parameters`),
    sorted by name (values keep their order), names and values percent-encoded."""
    pairs = sorted((key, values) for key, values in _parameters(request) if key in params)
    return urlencode([(key, value) for key, values in pairs for value in values])


def has_unknown_parameters(request, params=()):
    """Whether the query string holds a non-empty parameter outside ``params`` (and not a
    tracking one): such a request may read the cache, but does not write it."""
    return any(key not in params for key, _values in _parameters(request))


def site_part(request):
    """The site of the request for a key: the ``Site`` that Wagtail's ``serve()`` matched
    (it keeps it on the request), so that a forged ``Host`` header, which Wagtail routes to the
    default site, shares that site's entries instead of adding its own. A request Wagtail has
    not routed (a view called directly) keys on its host."""
    site = getattr(request, "_wagtail_site", None)
    return f"site{site.pk}" if site is not None else f"host:{request.get_host()}"


def is_public(page):
    """Whether ``page`` is outside every private section (one query)."""
    return page is None or not page.get_view_restrictions().exists()


def can_use_cache(request):
    """Whether this request may read and write the cache: caching is on, and the request is an
    anonymous GET or HEAD that is not a preview."""
    if request is None or not is_enabled():
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if getattr(request, "is_preview", False):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def make_key(request, name, page=None, parts=(), params=()):
    """The cache key of ``name`` for this request (see the module's docstring): the query
    string counts through the parameters in ``params`` only."""
    raw = "\n".join(
        str(part)
        for part in (
            generation(),
            get_language() or "",
            request.scheme,
            site_part(request),
            request.path,
            normalised_query(request, params),
            page.pk if page is not None else "",
            *parts,
        )
    )
    return f"{PREFIX}{name}:{hashlib.sha256(raw.encode()).hexdigest()[:40]}"


def _may_store(request, name, page, params):
    """Whether an answer of this request may be stored: it has no parameter outside
    ``params``, and ``page`` has fewer than ``WAGTAIL_AR_CACHE_MAX_VARIANTS`` entries of
    ``name`` in this generation (counted here)."""
    if has_unknown_parameters(request, params):
        return False
    if not params or not any(key in params for key, _values in _parameters(request)):
        return True  # the one unfiltered entry is always allowed
    return _within_variants(name, page)


def _within_variants(name, page):
    """Count one more stored variant of ``name`` for ``page``; whether it is within
    ``WAGTAIL_AR_CACHE_MAX_VARIANTS``."""
    limit = ar_settings.CACHE_MAX_VARIANTS
    if not limit:
        return True
    counter = f"{PREFIX}variants:{generation()}:{name}:{page.pk if page is not None else ''}"
    try:
        cache = get_cache()
        cache.add(counter, 0, timeout=ar_settings.CACHE_TIMEOUT)
        return cache.incr(counter) <= limit
    except Exception:  # noqa: BLE001 - a broken cache must not break the site
        return False


def _read(request, name, page, parts, params=()):
    """``(key, value)``, value ``_MISSING`` on a miss; ``(None, _MISSING)`` if the cache fails."""
    try:
        key = make_key(request, name, page, parts, params)
        return key, get_cache().get(key, _MISSING)
    except Exception:  # noqa: BLE001 - a broken cache must not break the site
        logger.exception("wagtail_ar could not read its cache")
        return None, _MISSING


def _write(key, value):
    try:
        get_cache().set(key, value, ar_settings.CACHE_TIMEOUT)
    except Exception:  # noqa: BLE001
        logger.exception("wagtail_ar could not write its cache")


def get_or_build(
    request,
    name,
    build,
    page=None,
    parts=(),
    cacheable=None,
    params=(),
    vary_on_query=True,
    bounded=False,
):
    """``build()``, or what it returned to an earlier request with the same key.

    ``params`` are the query parameters the value depends on (see the module's docstring).
    ``vary_on_query=False``: the value does not depend on the query string at all (what
    every filter state of a page shares, or a value whose ``parts`` hold all it depends on):
    one entry, stored whatever the query string; ``bounded=True`` then counts it among the
    variants of ``name`` (``parts`` that come from a visitor, such as a search text). The value (anything picklable) is stored
    only when the request may use the cache, ``cacheable(value)`` is true (if given) and
    ``page`` (if given) is public. A hit makes no SQL query.
    """
    if not can_use_cache(request):
        return build()
    key, value = _read(request, name, page, parts, params if vary_on_query else ())
    if value is not _MISSING:
        return value
    value = build()
    # Privacy is checked only when storing: adding a restriction bumps the generation, so an
    # entry stored while a page was public is never read once it is private.
    if (
        key is not None
        and (cacheable is None or cacheable(value))
        and is_public(page)
        and (
            _may_store(request, name, page, params)
            if vary_on_query
            else not bounded or _within_variants(name, page)
        )
    ):
        _write(key, value)
    return value


def cached_response(request, name, build, page=None, parts=(), params=()):
    """The response ``build()`` makes; a 200 that sets no cookie is cached as its content,
    status and headers (Wagtail's own checks, such as view restrictions, run before this).
    ``params``: the query parameters it depends on (see the module's docstring)."""
    if not can_use_cache(request):
        return build()
    key, stored = _read(request, name, page, parts, params)
    if stored is not _MISSING:
        content, status, headers = stored
        response = HttpResponse(content, status=status)
        for header, value in headers.items():
            response[header] = value
        return response
    response = build()
    if (
        key is not None
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and is_public(page)
        and _may_store(request, name, page, params)
    ):
        _write(key, (response.content, response.status_code, dict(response.items())))
    return response


# Fragments of pages ----------------------------------------------------------------------------

#: Context keys: the fragments read from the cache (a hit), the fragments rendered (a miss).
FRAGMENTS = "wagtail_ar_fragments"
FRAGMENT_STORE = "wagtail_ar_fragment_store"
_UNCACHEABLE = "\x00uncacheable"


class CachedFragmentsMixin:
    """For page types: the HTML of the page's own part is kept for anonymous visitors.

    Put it first among the bases (before ``ListingPageMixin`` and ``RoutablePageMixin``). On a
    miss the page is served as usual and what each ``{% wagtail_ar_fragment "name" %}`` of its
    templates rendered is stored, when the answer is a 200 that sets no cookie, no fragment
    used the CSRF token and the page is public. On a hit the page's template is rendered with
    only ``page``, ``self``, ``request`` and ``wagtail_ar_base_template`` in the context: the
    fragments print what was stored, and the page's ``get_context`` is not called.

    Only the page's own URL is concerned (the index route of a ``RoutablePageMixin`` page: its
    feeds, calendars and GeoJSON have caches of their own). A site whose templates use the
    page's context outside the fragments (``wagtail_ar_assets_head``, ``wagtail_ar_content`` and
    ``wagtail_ar_assets_scripts`` of ``base_page.html`` hold them) sets
    ``cache_fragments = False`` on its page class. Where the fragments go (the host's
    ``<head>`` or its content block, see ``{% wagtail_ar_assets %}``) is decided on every
    request, a hit and a miss alike."""

    #: ``False`` turns the fragment cache off for a page type.
    cache_fragments = True

    def serve(self, request, *args, **kwargs):
        if not self._fragments_apply(request, args, kwargs):
            return super().serve(request, *args, **kwargs)
        template_name = self.get_template(request)
        params = self.get_cache_params() if hasattr(self, "get_cache_params") else ()
        key, stored = _read(request, "fragments", self, (template_name,), params)
        if stored is not _MISSING:
            return TemplateResponse(
                request, template_name, self.get_fragment_context(request, stored)
            )
        response = super().serve(request, *args, **kwargs)
        if key is None or not isinstance(response, SimpleTemplateResponse) or response.is_rendered:
            return response
        fragments = {}
        response.context_data[FRAGMENT_STORE] = fragments

        def store(rendered):
            if (
                rendered.status_code == 200
                and fragments
                and _UNCACHEABLE not in fragments
                and not rendered.cookies
                and is_public(self)
                and _may_store(request, "fragments", self, params)
            ):
                _write(key, fragments)

        response.add_post_render_callback(store)
        return response

    def _fragments_apply(self, request, args, kwargs):
        if not self.cache_fragments or kwargs or not can_use_cache(request):
            return False
        if not args:
            return True
        # RoutablePageMixin.serve(request, view, args, kwargs): only its index route.
        view, view_args, view_kwargs = (list(args) + [None, None, None])[:3]
        return getattr(view, "__name__", "") == "index_route" and not view_args and not view_kwargs

    def get_fragment_context(self, request, fragments):
        """The context of a hit: what the templates need outside the fragments."""
        from wagtail.models import Page

        context = Page.get_context(self, request)
        context["wagtail_ar_base_template"] = ar_settings.BASE_TEMPLATE
        context[FRAGMENTS] = fragments
        return context


class FragmentNode(template.Node):
    """``{% wagtail_ar_fragment "name" %}…{% end_wagtail_ar_fragment %}`` (see
    :class:`CachedFragmentsMixin`); outside such a page it only renders its content."""

    def __init__(self, name, nodelist):
        self.name = name
        self.nodelist = nodelist

    @classmethod
    def parse(cls, parser, token):
        bits = token.split_contents()
        if len(bits) != 2 or bits[1][0] not in "\"'" or bits[1][0] != bits[1][-1]:
            raise template.TemplateSyntaxError(f"{bits[0]} takes one quoted name")
        nodelist = parser.parse((f"end_{bits[0]}",))
        parser.delete_first_token()
        return cls(bits[1][1:-1], nodelist)

    def render(self, context):
        hits = context.get(FRAGMENTS)
        if hits is not None and self.name in hits:
            return hits[self.name]
        fragments = context.get(FRAGMENT_STORE)
        request = context.get("request")
        if fragments is None or request is None:
            return self.nodelist.render(context)
        # A fragment holding a CSRF token (a form that posts) is never stored: the token is
        # the visitor's own. get_token() raises this flag when a token is used.
        flag = "CSRF_COOKIE_NEEDS_UPDATE"
        before = request.META.get(flag, False)
        request.META[flag] = False
        html = self.nodelist.render(context)
        used_token = request.META[flag]
        request.META[flag] = before or used_token
        fragments[_UNCACHEABLE if used_token else self.name] = html
        return html
