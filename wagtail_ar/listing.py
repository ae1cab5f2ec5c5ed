"""Listings whose whole state lives in the URL: filters, full-text search and page number.

A listing page (clusters, activities, the forum board, the map's list) builds a :class:`Listing`
from the request and a django-filter ``FilterSet``. Bad input never raises: every unknown or
malformed value becomes a plain-language message in ``listing.errors``, the listing shows
nothing, and :class:`~wagtail_ar.models.mixins.ListingPageMixin` answers 400.
"""

import importlib.metadata
import re
import unicodedata
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Case, CharField, Count, IntegerField, Value, When
from django.db.models.functions import Cast, Concat, StrIndex
from django.http import HttpResponseBadRequest, QueryDict
from django.utils.translation import gettext_lazy as _

from . import cache, locales
from .conf import settings as ar_settings


def query_string_error(request):
    """A 400 ``HttpResponse`` when the query string is absurdly long, repeats a parameter
    too often (``WAGTAIL_AR_MAX_QUERY_STRING_LENGTH``, ``WAGTAIL_AR_MAX_PARAMETER_VALUES``) or
    holds a NUL character (which PostgreSQL refuses in text: a 500 otherwise), else ``None``.
    Checked before a page of the package is served: no legitimate link of a listing comes near
    the limits, and nothing is parsed or queried for such a request."""
    limit = ar_settings.MAX_QUERY_STRING_LENGTH
    if len(request.META.get("QUERY_STRING", "")) > limit:
        message = _("The address is too long: its query string has more than %(max)s characters.")
        return _bad_request(message % {"max": limit})
    repeats = ar_settings.MAX_PARAMETER_VALUES
    # Too many fields altogether raise TooManyFieldsSent here: Django answers 400 itself.
    if any(len(values) > repeats for _key, values in request.GET.lists()):
        message = _("A parameter is repeated more than %(max)s times in the address.")
        return _bad_request(message % {"max": repeats})
    if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
        return _bad_request(_("The address holds a NUL character (%00)."))
    return None


# Visitor input ------------------------------------------------------------------------------------

MAX_INT_DIGITS = 18  # below 2**63: any integer column takes it


def parse_int(raw, minimum=None, maximum=None, max_digits=MAX_INT_DIGITS):
    """The integer written in ``raw`` with ASCII digits only (no sign, no space), or ``None``
    when it is not one, has more than ``max_digits`` digits or lies outside ``minimum`` and
    ``maximum`` (each optional).

    ``str.isdigit()`` and ``int()`` are not enough: ``"²".isdigit()`` is true and ``int("²")``
    raises, ``int("٣")`` is 3, ``int(" 1_0 ")`` is 10 and ``int()`` of 5,000 digits raises.
    """
    if not isinstance(raw, str) or not 0 < len(raw) <= max_digits or not raw.isascii():
        return None
    if not raw.isdigit():
        return None
    number = int(raw)
    if minimum is not None and number < minimum:
        return None
    if maximum is not None and number > maximum:
        return None
    return number


def _is_noncharacter(char):
    code = ord(char)
    return 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE


def clean_text(text):
    """Visitor text fit for XML, iCalendar, JSON and headers: control and format characters
    (Unicode categories Cc, Cf), lone surrogates and noncharacters dropped, every run of
    white space (newlines, ``\\r``, tabs, U+2028…) one space, no space at either end."""
    kept = []
    for char in text or "":
        if char.isspace():
            kept.append(" ")
        elif unicodedata.category(char) not in ("Cc", "Cf", "Cs") and not _is_noncharacter(char):
            kept.append(char)
    return " ".join("".join(kept).split())


# Words of the search syntax of the backends (FTS5, PostgreSQL's websearch, Elasticsearch's
# query strings) when written in capitals; in lower case they are words like others.
SEARCH_OPERATORS = frozenset({"AND", "OR", "NOT", "NEAR"})


def search_text(text):
    """Visitor text as a query safe for any search backend: its words (letters, digits and
    combining marks of any script, ``_``) separated by single spaces; quotes, operators
    (``" * ( ) | & ! : ^ - + ~``, ``AND OR NOT NEAR``) and control characters dropped. An empty
    answer means no search: every object."""
    chars = [
        char if char == "_" or unicodedata.category(char)[0] in "LNM" else " "
        for char in text or ""
    ]
    words = "".join(chars).split()
    # A combining mark alone (after an operator) is no word.
    words = [word for word in words if unicodedata.category(word[0])[0] != "M" or len(word) > 1]
    return " ".join(word for word in words if word not in SEARCH_OPERATORS)


def matching_pks(model, query, limit, scope=None):
    """The primary keys of at most ``limit`` objects of ``model`` matching ``query`` in Wagtail's
    search backend, best match first.

    Only the keys are read: building a thousand full pages costs more than the search. With
    Wagtail's database backends the results' queryset gives them directly (the PostgreSQL
    search of 1,000 clusters: 34 ms as pages, 7 ms as keys); on SQLite the match is ranked in
    one pass over the full-text index (:func:`_sqlite_ranked_pks`). Other backends
    (Elasticsearch, OpenSearch) answer through their own results.

    A string ``query`` is visitor text: only its words reach the backend (:func:`search_text`);
    a query object (``wagtail.search.query``) is passed as it is. ``scope`` (a queryset of
    ``model`` filtered on its search ``FilterField``s: live, locale, status) is what the backend
    searches, so that drafts, other languages or a flood of pending posts cannot take the best
    ``limit`` places.
    """
    if isinstance(query, str):
        query = search_text(query)
        if not query:
            return []
    base = scope if scope is not None else model.objects.all()
    results = base.only("pk").search(query)[:limit]
    pks = _sqlite_ranked_pks(results, model, limit)
    if pks is not None:
        return pks
    get_queryset = getattr(results, "get_queryset", None)
    if get_queryset is not None:
        return list(get_queryset().values_list("pk", flat=True))
    return [match.pk for match in results]


def backend_runs_subqueries(backend_name="default"):
    """Whether the search backend runs a search as SQL on the database (Wagtail's database
    backends for SQLite, PostgreSQL, MySQL and the fallback one), so that a filter of its
    scope may hold a sub-query; Elasticsearch and OpenSearch are sent lists of values."""
    from wagtail.search.backends import get_search_backend

    module = type(get_search_backend(backend_name)).__module__
    return module.startswith(("modelsearch.backends.database", "wagtail.search.backends.database"))


# The releases of modelsearch (major, minor) whose SQLite query compiler _sqlite_ranked_pks was
# written against: it calls the private ``_build_rank_expression(vectors, config)``. With any
# other release the backend's own search answers (tests/test_search.py checks the signature).
MODELSEARCH_SHORTCUT_RELEASES = {(1, 3)}


def _modelsearch_version():
    try:
        return importlib.metadata.version("modelsearch")
    except importlib.metadata.PackageNotFoundError:
        return None


def _modelsearch_shortcut_supported():
    """Whether the installed modelsearch is one :func:`_sqlite_ranked_pks` was written for."""
    match = re.match(r"(\d+)\.(\d+)", _modelsearch_version() or "")
    return bool(match) and (int(match[1]), int(match[2])) in MODELSEARCH_SHORTCUT_RELEASES


def _sqlite_ranked_pks(results, model, limit):
    """Keys of the SQLite database backend's matches, in the backend's own order (its bm25
    rank, then the newest key), or ``None`` for any other backend or query.

    The backend ranks each candidate with a sub-query that runs the full-text match again, per
    row: 370 ms for a word found in 1,000 clusters. Ordering the match itself by the same rank
    expression takes 3 ms. This reads modelsearch's query compiler, private methods included:
    it is taken only with the releases of :data:`MODELSEARCH_SHORTCUT_RELEASES`, and any change
    there falls back to the backend's own search (``tests/test_search.py`` checks that both give
    the same keys).
    """
    # That module defines models of its own: it may be imported only where its backend runs.
    if type(results).__module__ != "modelsearch.backends.database.sqlite.sqlite":
        return None
    if not _modelsearch_shortcut_supported():
        return None
    # The tie-break below orders keys as integers, as the backend does for integer keys only.
    pk = model._meta.pk
    while pk.is_relation:  # a page's key is its link to wagtailcore's Page
        pk = pk.target_field
    if not isinstance(pk, IntegerField):
        return None
    try:
        from modelsearch.backends.database.sqlite.sqlite import (
            MatchExpression,
            SQLiteFTSIndexEntry,
            normalize,
        )
        from modelsearch.query import MatchAll, Not
        from modelsearch.utils import get_descendants_content_types_pks

        compiler = results.query_compiler
        query = normalize(compiler.query)
        if isinstance(query, (MatchAll, Not)) or compiler.fields:
            return None
        config = compiler.get_config(results.backend)
        match = MatchExpression(
            compiler.FTS_TABLE_FIELDS, compiler.build_search_query(query, config=config)
        )
        rank = compiler._build_rank_expression(compiler.get_search_vectors(), config)
        # The index entries of the scope's objects only (their keys are stored as text).
        scope = compiler.queryset.order_by().annotate(_key=Cast("pk", CharField())).values("_key")
        entries = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(index_entry__content_type__in=get_descendants_content_types_pks(model))
            .filter(index_entry__object_id__in=scope)
            .annotate(score=rank)
            .order_by("score", Cast("index_entry__object_id", IntegerField()).desc())
            .values_list("index_entry__object_id", flat=True)[:limit]
        )
        return [model._meta.pk.to_python(pk) for pk in entries]
    except (ImportError, LookupError, AttributeError, TypeError):
        return None


def _bad_request(message):
    response = HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


class Listing:
    """The filtered, searched and paginated objects of one request.

    Override :meth:`search` to change how ``q`` is matched; override ``per_page``,
    ``max_search_results`` or the parameter names on a subclass.
    """

    page_param = "page"
    search_param = "q"
    per_page = 12
    max_query_length = 200
    max_search_results = 1000

    def __init__(self, request, queryset, filterset_class, per_page=None):
        self.request = request
        # No request (a page's context built outside a request): the unfiltered first page.
        self.params = request.GET if request is not None else QueryDict()
        self.per_page = per_page or self.per_page
        self.errors = []
        self._search_pks = {}
        self.filterset = filterset_class(self.params, queryset=queryset, request=request)
        if self.filterset.is_valid():
            objects = self.filterset.qs
        else:
            self.errors.extend(self._form_errors(self.filterset.form))
            objects = queryset.none()

        # Cleaned: the query is echoed in feeds' titles and calendars' names.
        self.query = clean_text(self.params.get(self.search_param, ""))
        if len(self.query) > self.max_query_length:
            self.errors.append(
                _("The search text is too long: use at most %(max)s characters.")
                % {"max": self.max_query_length}
            )
            self.query = ""
            objects = queryset.none()
        # What the backend is asked: the query's words, none when it holds only operators.
        self.search_terms = search_text(self.query)
        if self.search_terms and not self.errors:
            objects = self.search(objects, self.search_terms)

        self.paginator = Paginator(objects, self.per_page, allow_empty_first_page=True)
        self.page = self._get_page()

    @staticmethod
    def _form_errors(form):
        messages = []
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else None
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        return messages

    def _get_page(self):
        raw = self.params.get(self.page_param) or "1"  # "?page=" is the first page
        number = parse_int(raw, minimum=1)
        if self.errors:
            return self.paginator.page(1)
        if number is None:
            self.errors.append(
                _("“%(page)s” is not a page number: use 1, 2, 3…") % {"page": clean_text(raw)[:20]}
            )
            return self.paginator.page(1)
        if number > self.paginator.num_pages:
            self.errors.append(
                _("There is no page %(page)s: the results fill %(count)s page(s).")
                % {"page": number, "count": self.paginator.num_pages}
            )
            return self.paginator.page(1)
        return self.paginator.page(number)

    def search(self, objects, query):
        """Narrow ``objects`` to those matching ``query`` through Wagtail's search backend.

        The backend searches :meth:`search_scope`; its matches are then intersected with the
        filtered queryset (whose filters need not be search ``FilterField``s) and kept in
        order of relevance.
        """
        pks = self.search_pks(objects.model, query)
        if not pks:
            return objects.none()
        return objects.filter(pk__in=pks).order_by(self.relevance(pks))

    def search_scope(self, model):
        """What the backend searches for this listing, written on search ``FilterField`` fields
        only so that the backend applies it before it ranks: for pages, those visitors may see
        (live, outside every view-restricted section) in the active locale or, for what it has
        not translated, the default one (:func:`wagtail_ar.locales.localize_for_search`); for
        other models, their published objects (``published()`` of the manager, forum posts) in
        the locales of the listing's own objects. Drafts, private pages, other languages and
        a flood of pending posts then cannot take the best ``max_search_results`` places.
        Override to narrow further."""
        from wagtail.models import Page

        manager = model._default_manager
        if issubclass(model, Page):
            # public() excludes the restricted sections by path and depth, both FilterFields.
            scope = manager.live().public()
            return locales.localize_for_search(scope, evaluate=not backend_runs_subqueries())
        published = getattr(manager, "published", None)
        scope = published() if published is not None else manager.all()
        locale_ids = self._listing_locales()
        if locale_ids is not None:
            scope = scope.filter(locale_id__in=locale_ids)
        return scope

    def _listing_locales(self):
        """The locales of the listing's objects (one query), or ``None`` for a model without
        (pages are scoped by :func:`~wagtail_ar.locales.localize_for_search` instead)."""
        from wagtail.models import Page

        if not hasattr(self, "_locales"):
            model = self.filterset.queryset.model
            self._locales = (
                sorted(
                    set(
                        self.filterset.queryset.order_by()
                        .values_list("locale_id", flat=True)
                        .distinct()
                    )
                )
                if hasattr(model, "locale_id") and not issubclass(model, Page)
                else None
            )
        return self._locales

    def search_pks(self, model, query):
        """The primary keys of the objects of ``model`` matching ``query``, best first; the
        search backend is asked once per model and query (facet counts reuse the answer)."""
        key = (model, query)
        if key not in self._search_pks:
            scope = self.search_scope(model)

            def search():
                return matching_pks(model, query, self.max_search_results, scope=scope)

            # The scope depends on the active language (in every key) and on the locales of
            # the listing's objects for models that are not pages.
            self._search_pks[key] = cache.get_or_build(
                self.request,
                "search",
                search,
                parts=(model._meta.label, query, self._listing_locales()),
                vary_on_query=False,
                bounded=True,
            )
        return self._search_pks[key]

    @staticmethod
    def relevance(pks):
        """An ``order_by`` expression that keeps the order of ``pks`` (best match first): the
        position of ``,<pk>,`` in one string of them all, a single cheap expression where a
        ``CASE`` of a thousand branches took longer than the search itself."""
        if len(pks) <= 20:
            return Case(
                *[When(pk=pk, then=rank) for rank, pk in enumerate(pks)],
                output_field=IntegerField(),
            )
        ranks = "," + ",".join(str(pk) for pk in pks) + ","
        return StrIndex(Value(ranks), Concat(Value(","), Cast("pk", CharField()), Value(",")))

    def counts(self, field, ignore=()):
        """``{value: number of objects}`` grouped by ``field``: facet counts.

        The filters named in ``ignore`` are left out, the others and the search apply, so that
        each count says how many objects choosing that value would show (``ignore=("category",)``
        for the counts next to the categories). Empty when the parameters are not valid.
        """
        if self.errors:
            return {}
        objects = self.filterset.queryset
        for name, value in self.filterset.form.cleaned_data.items():
            if name not in ignore:
                objects = self.filterset.filters[name].filter(objects, value)
        if self.search_terms:
            objects = self.search(objects, self.search_terms)
        rows = (
            objects.order_by().values(field).annotate(count=Count("pk")).values_list(field, "count")
        )
        return dict(rows)

    @property
    def objects(self):
        """The objects of the current page."""
        return self.page.object_list

    @property
    def status_code(self):
        return 400 if self.errors else 200

    @classmethod
    def parameter_names(cls, filterset_class):
        """The query parameters a listing of ``filterset_class`` understands: its filters,
        the search and the page number. Nothing else changes what it shows (the cache keys
        on these alone, see :mod:`wagtail_ar.cache`)."""
        names = set(filterset_class.base_filters) if filterset_class is not None else set()
        names.update(name for name in (cls.search_param, cls.page_param) if name)
        return frozenset(names)

    @property
    def cache_params(self):
        return self.parameter_names(type(self.filterset))

    @property
    def is_filtered(self):
        """Whether any filter or search narrows the listing (unknown parameters do not)."""
        known = {self.search_param, *self.filterset.filters}
        return any(value for key, value in self.params.items() if key in known)

    def querystring(self, **changes):
        """The current query string with ``changes`` applied (``None`` removes a parameter).
        Parameters the listing does not understand are left out of its links."""
        known = self.cache_params
        params = {
            key: values for key, values in self.params.lists() if values != [""] and key in known
        }
        for key, value in changes.items():
            if value is None:
                params.pop(key, None)
            else:
                params[key] = [str(value)]
        return "?" + urlencode(params, doseq=True) if params else "?"

    def page_url(self, number):
        return self.querystring(**{self.page_param: None if number == 1 else number})

    @property
    def clear_url(self):
        """The listing with no filter, search or page."""
        return "?"

    @property
    def page_links(self):
        """``[(number or None for a gap, url, is_current), …]`` around the current page."""
        links = []
        for number in self.paginator.get_elided_page_range(
            self.page.number, on_each_side=2, on_ends=1
        ):
            if number == self.paginator.ELLIPSIS:
                links.append((None, None, False))
            else:
                links.append((number, self.page_url(number), number == self.page.number))
        return links

    @property
    def previous_url(self):
        return self.page_url(self.page.previous_page_number()) if self.page.has_previous() else None

    @property
    def next_url(self):
        return self.page_url(self.page.next_page_number()) if self.page.has_next() else None
