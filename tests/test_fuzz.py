"""Fuzzing: no query parameter of any route of the package gives a 5xx, and oversize input is
refused with a 400 before any work is done.

Hypothesis draws query strings for every route below (their known parameters, the parameters of
their filter sets read from the classes, and unknown ones) with values of every kind: text in
any script, control characters, numbers too large for any column, ``nan`` and ``inf``, bounding
boxes of all shapes, percent-encoded bytes that are not UTF-8. The content is built once for the
module; hypothesis runs ``derandomize=True`` (the same examples every run, so CI is
deterministic) with a small budget, so the module runs in well under a minute.

What finds the four crashes of issue 18 (checked by reverting each fix and running this module;
the examples are those hypothesis reports, the same every run):

- ``?page=²`` (``int("²")`` raised; ``listing.parse_int``): ``test_no_single_parameter_gives_a_5xx[page-…]``
  on every paginated route, ``page='²'`` drawn from ``NUMBERS`` (its other-digit samples, and
  its ``st.characters(categories=["N"])`` text);
- FTS5 syntax (``fts5: syntax error`` / ``unterminated string`` on SQLite;
  ``listing.search_text``): ``test_no_single_parameter_gives_a_5xx[q-…]`` on every route that searches,
  ``q='"'`` drawn from ``SEARCHES``;
- a control character on ``feed/`` (``UnserializableContentError``; ``listing.clean_text``):
  ``test_no_single_parameter_gives_a_5xx[q-cluster_rss|q-cluster_atom]``, ``q='\\x08'`` from
  ``HOSTILE_TEXT``;
- a newline on ``ical/`` (icalendar's ``AssertionError``; ``listing.clean_text``):
  ``test_no_single_parameter_gives_a_5xx[q-activity_ical]``, ``q='0\\n0'`` (a newline inside the text).

The wider numbers found a fifth: a theme key of 50 digits posted to the forum's form overflowed
SQLite's integer (``OverflowError``): ``test_no_forum_form_post_gives_a_5xx[new]``,
``data={'themes': '9' * 50}`` from ``NUMBERS``.
"""

import string
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_ar.filters import ActivityFilterSet, ClusterFilterSet
from wagtail_ar.forum.filters import ForumBoardFilterSet
from wagtail_ar.map.parameters import CommunityMapFilterSet, GeoJSONParametersForm

from .utils import module_tree

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The pages, built once for the module and rolled back after."""
    with module_tree(django_db_blocker, tmp_path_factory) as tree:
        yield tree


def names(*classes):
    found = {"q", "page"}
    for cls in classes:
        found |= set(getattr(cls, "base_filters", None) or getattr(cls, "base_fields", {}))
    return sorted(found)


# Every route of the package, with the parameters it knows.
ROUTES = {
    "landing": (lambda t: t["ar"].url, names()),
    "working_group": (lambda t: t["wg"].url, names()),
    "cluster_listing": (lambda t: t["index"].url, names(ClusterFilterSet)),
    "cluster_rss": (lambda t: t["index"].url + "feed/", names(ClusterFilterSet)),
    "cluster_atom": (lambda t: t["index"].url + "feed/atom/", names(ClusterFilterSet)),
    "factsheet": (lambda t: t["cluster"].url, names()),
    "report": (lambda t: t["report"].url, names()),
    "activity_listing": (lambda t: t["activities"].url, names(ActivityFilterSet)),
    "activity_ical": (lambda t: t["activities"].url + "ical/", names(ActivityFilterSet)),
    "activity": (lambda t: t["activity"].url, names()),
    "activity_own_ical": (lambda t: t["activity"].url + "ical/", names()),
    "map": (lambda t: t["map"].url, names(CommunityMapFilterSet)),
    "geojson": (
        lambda t: t["map"].url + "geojson/",
        names(CommunityMapFilterSet, GeoJSONParametersForm),
    ),
    "organisation_details": (
        lambda t: t["map"].url + f"organisations/{t['lead'].pk}/",
        names(),
    ),
    "organisation_profile": (
        lambda t: t["map"].organisation_profile_url(t["lead"]),
        names(),
    ),
    "forum_board": (lambda t: t["forum"].url, names(ForumBoardFilterSet)),
    "forum_new": (lambda t: t["forum"].url + "new/", names()),
    "forum_post": (lambda t: t["forum"].url + f"{t['post'].pk}/", names()),
    "forum_thanks": (lambda t: t["forum"].url + "thanks/", names()),
}

# Characters that narrow alphabets never draw, each a crash once (issue 18): NUL, C0 and C1
# controls (XML 1.0 refuses them), newlines of every kind (iCalendar content lines refuse them),
# format characters (bidi controls, zero-width, BOM), digits that are not ASCII ones ("²".isdigit()
# is true, int("²") raises), combining marks, right-to-left letters, noncharacters.
HOSTILE = (
    "\x00\x07\x08\x0b\x0c\x1b\x1f\x7f\x85\x9f\n\r\t\u2028\u2029"
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u00ad"
    "²¹³⁴₁③⑩٣۴१１½Ⅻ"
    "\u0301\u0308\u0327\u064b\u05d0\u05e9\u0627\u0644\u200f"
    "\ufffe\uffff\ufdd0\U0001f600"
)
# The query syntax of the search backends (SQLite FTS5, PostgreSQL, Elasticsearch).
SYNTAX = ['"', "*", "(", ")", "|", "&", "!", ":", "^", "-", "+", "~", "NEAR", "AND", "OR", "NOT"]
WORDS = ["seagrass", "x", "y", "z", "posidonia", ""]

NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["nan", "-inf", "1e309", "0x10", "٣", "½", "1_000", " 2 ", "-0", "00"]),
    st.sampled_from(["²", "¹", "③", "١", "１", "2²", "9" * 50]),
    # Any digits of any script: Nd, Nl and No.
    st.text(st.characters(categories=["N"]), min_size=1, max_size=4),
)
BBOXES = st.lists(st.one_of(NUMBERS, st.just(""), st.text(max_size=3)), min_size=0, max_size=6).map(
    ",".join
)
SEARCHES = st.lists(st.sampled_from(SYNTAX + WORDS), min_size=1, max_size=6).flatmap(
    lambda tokens: st.sampled_from([" ".join(tokens), "".join(tokens)])
)
# Hostile characters between letters (a newline only breaks iCalendar inside the text: the
# listing strips its ends), newlines as often as letters.
HOSTILE_TEXT = st.lists(
    st.one_of(st.sampled_from(["a", "b", " ", "\n", "\r\n"]), st.sampled_from(HOSTILE)),
    max_size=10,
).map("".join)
VALUES = st.one_of(
    st.text(max_size=40),
    # The full Unicode range but surrogates (those come percent-encoded, in RAW below).
    st.text(st.characters(codec=None), max_size=40),
    st.text(st.characters(categories=["C", "M", "N", "Z"]), max_size=10),
    st.text(alphabet=string.printable, max_size=40),
    HOSTILE_TEXT,
    SEARCHES,
    NUMBERS,
    BBOXES,
    st.sampled_from(
        [
            "",
            "geographical",
            "active",
            "wg1",
            "IT",
            "it",
            "2024",
            "2024-13",
            "organisations",
            "clusters",
            "activities",
            "need",
            "seagrass",
            "\x00",
            "<script>",
            "' OR 1=1 --",
            "%",
            "../../etc/passwd",
            'x|y "z',
            "sea\x0cgrass",
            "sea\ngrass",
            "\u202eevil",
        ]
    ),
)
# Raw query-string pieces: percent-encoded bytes that are not UTF-8, lone separators.
RAW = st.sampled_from(["%FF", "%C3%28", "%ED%A0%80", "%", "%%", "&&", "==", ";", "%00", "+"])


@st.composite
def query_strings(draw, known):
    pairs = draw(
        st.lists(
            st.tuples(st.one_of(st.sampled_from(known), st.text(max_size=10)), VALUES),
            max_size=6,
        )
    )
    parts = [f"{quote(k, safe='')}={quote(v, safe='')}" for k, v in pairs]
    parts += draw(
        st.lists(st.builds(lambda k, raw: f"{k}={raw}", st.sampled_from(known), RAW), max_size=2)
    )
    draw(st.randoms(use_true_random=False)).shuffle(parts)
    return "&".join(parts)


def assert_no_5xx(client, url, method="get"):
    response = getattr(client, method)(url)
    assert response.status_code < 500, (url, response.status_code)
    return response


@pytest.mark.parametrize("route", list(ROUTES))
def test_no_query_string_gives_a_5xx(site, route):
    url, known = ROUTES[route]
    path = url(site)
    client = Client()

    @FUZZ
    @given(query=query_strings(known))
    def check(query):
        assert_no_5xx(client, f"{path}?{query}")

    check()


# The routes that search: their q alone, so that no bad filter or page answers 400 first.
SEARCH_ROUTES = [
    "cluster_listing",
    "cluster_rss",
    "cluster_atom",
    "activity_listing",
    "activity_ical",
    "forum_board",
]


# The routes that read a page number: it alone, for the same reason.
PAGED_ROUTES = ["cluster_listing", "cluster_rss", "activity_listing", "map", "forum_board"]
SINGLE_PARAMETERS = {
    "q": (SEARCH_ROUTES, st.one_of(SEARCHES, HOSTILE_TEXT, VALUES)),
    "page": (PAGED_ROUTES, st.one_of(NUMBERS, HOSTILE_TEXT, VALUES)),
}


@pytest.mark.parametrize(
    "name, route",
    [(name, route) for name, (routes, _values) in SINGLE_PARAMETERS.items() for route in routes],
)
def test_no_single_parameter_gives_a_5xx(site, name, route):
    """The search text alone on every route that searches, the page number alone on every
    paginated one: among several random parameters, a bad filter answers 400 first."""
    path = ROUTES[route][0](site)
    client = Client()

    @FUZZ
    @given(value=SINGLE_PARAMETERS[name][1])
    def check(value):
        response = client.get(path, {name: value})
        assert response.status_code < 500, (name, value, response.status_code)

    check()


# Path segments: what a visitor may put where the routes take an id and a slug.
SEGMENTS = st.one_of(
    NUMBERS,
    VALUES,
    st.sampled_from(["0", "-1", "00", "1x", "9" * 40, "..", ".", "%2F", "%00", "%FF", "%ED%A0%80"]),
)


@pytest.mark.parametrize("route", ["organisation_details", "organisation_profile"])
def test_no_path_segment_gives_a_5xx(site, route):
    """The organisation's id and the profile's slug, any text in any script, percent-encoded
    or raw: a 404, a 301 to the right address or the page, never a 5xx."""
    base = site["map"].url + "organisations/"
    client = Client()

    @FUZZ
    @given(pk=SEGMENTS, slug=SEGMENTS, raw=st.booleans())
    def check(pk, slug, raw):
        if route == "organisation_details":
            slug = None
        parts = [pk, slug] if slug is not None else [pk]
        encode = (lambda part: part) if raw else (lambda part: quote(part, safe=""))
        path = base + "/".join(encode(part) for part in parts) + "/"
        if raw and any(c in "".join(parts) for c in "?#"):
            path = path.replace("?", "%3F").replace("#", "%23")
        response = client.get(path)
        assert response.status_code < 500, (path, response.status_code)

    check()
    # And the real organisation under each of those slugs: the profile or a 301 to it.
    lead = site["lead"]

    @FUZZ
    @given(slug=SEGMENTS)
    def check_slug(slug):
        response = client.get(f"{base}{lead.pk}/{quote(slug, safe='')}/")
        assert response.status_code in (200, 301, 404), (slug, response.status_code)

    if route == "organisation_profile":
        check_slug()


FORUM_FIELDS = [
    "kind",
    "title",
    "description",
    "themes",
    "name",
    "organisation",
    "country",
    "community_role",
    "email",
    "consent",
    "website",
    "started",
    "message",
]


@pytest.mark.parametrize("form", ["new", "reply"])
def test_no_forum_form_post_gives_a_5xx(site, form):
    """Any body sent to the forum's forms is a form error, a 429 or a redirect, never a 5xx."""
    path = site["forum"].url + ("new/" if form == "new" else f"{site['post'].pk}/")
    client = Client()

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(FORUM_FIELDS), VALUES, max_size=len(FORUM_FIELDS)))
    def check(data):
        cache.clear()  # no rate limit: every example reaches validation
        response = client.post(path, data)
        assert response.status_code < 500, (data, response.status_code)

    check()


# Oversize input -----------------------------------------------------------------------------------

LISTINGS = ["cluster_listing", "activity_listing", "map", "geojson", "forum_board"]


@pytest.mark.parametrize("route", LISTINGS)
@pytest.mark.parametrize(
    "query",
    [
        "q=" + "a" * 5000,
        "page=" + "9" * 400,
        "page=99999999999999999999",
        "country=" + "I" * 5000,
        "&".join(["country=IT"] * 60),  # beyond WAGTAIL_AR_MAX_PARAMETER_VALUES
        "&".join(f"p{i}=1" for i in range(1500)),  # beyond the length and Django's 1,000 fields
        "country=%00",
        "bbox=nan,nan,nan,nan",
        "bbox=-inf,-90,inf,90",
        "bbox=1e309,0,0,0",
    ],
    ids=[
        "long_search",
        "page_of_400_digits",
        "huge_page",
        "long_value",
        "60_repeats",
        "1500_parameters",
        "nul",
        "bbox_nan",
        "bbox_inf",
        "bbox_overflow",
    ],
)
def test_oversize_or_absurd_input_is_a_400(site, route, query):
    url, known = ROUTES[route]
    if query.startswith("bbox") and "bbox" not in known:
        pytest.skip("no bbox here")
    if query.startswith("page") and route == "geojson":
        pytest.skip("the GeoJSON is not paginated: page= is ignored there, as any unknown name")
    response = Client().get(f"{url(site)}?{query}")
    assert response.status_code == 400, response.status_code


def test_a_query_string_of_thousands_of_parameters_is_refused_before_the_page_is_built(
    site, django_assert_max_num_queries
):
    """Django's DATA_UPLOAD_MAX_NUMBER_FIELDS refuses it when the parameters are read: before
    the listing queries anything."""
    query = "&".join(f"p{i}=1" for i in range(5000))
    with django_assert_max_num_queries(12):
        response = Client().get(f"{site['index'].url}?{query}")
    assert response.status_code == 400


def test_the_limits_are_settings(site, settings):
    settings.WAGTAIL_AR_MAX_QUERY_STRING_LENGTH = 10
    assert Client().get(site["index"].url + "?q=seagrass+meadows").status_code == 400
    settings.WAGTAIL_AR_MAX_QUERY_STRING_LENGTH = 2048
    assert Client().get(site["index"].url + "?q=seagrass+meadows").status_code == 200
    settings.WAGTAIL_AR_MAX_PARAMETER_VALUES = 1
    assert Client().get(site["index"].url + "?country=IT&country=HR").status_code == 400


def test_pages_of_other_apps_are_left_alone(site):
    """The limit is the package's: the site's own pages are not refused."""
    assert Client().get("/?q=" + "a" * 3000).status_code == 200
