"""Regression tests of issue 18: hostile input never answers 5xx.

- page numbers written with digits other than ASCII ones (``²``, ``③``, ``٣``, ``１``) or too
  many of them;
- full-text search syntax (SQLite FTS5 raised ``fts5: syntax error``);
- control characters in ``q`` on the feeds (XML 1.0 refuses them) and newlines in any
  parameter of the activity calendar (iCalendar content lines refuse them).
"""

import pytest
from django.core.cache import cache
from django.test import Client

from wagtail_ar.listing import clean_text, parse_int, search_text

from .utils import module_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The pages, built once for the module and rolled back after."""
    with module_tree(django_db_blocker, tmp_path_factory) as tree:
        yield tree


LISTINGS = {
    "cluster_listing": lambda t: t["index"].url,
    "cluster_rss": lambda t: t["index"].url + "feed/",
    "cluster_atom": lambda t: t["index"].url + "feed/atom/",
    "activity_listing": lambda t: t["activities"].url,
    "activity_ical": lambda t: t["activities"].url + "ical/",
    "map": lambda t: t["map"].url,
    "forum_board": lambda t: t["forum"].url,
}

ODD_NUMBERS = ["²", "¹", "③", "٣", "１", "9" * 5000, "1²", "-1", "+1", " 1", "1.0"]


# Numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", 1),
        ("0012", 12),
        ("²", None),
        ("¹", None),
        ("③", None),
        ("٣", None),
        ("１", None),
        ("9" * 5000, None),
        ("", None),
        ("-1", None),
        ("+1", None),
        (" 1", None),
        ("1_000", None),
        ("0", None),
        ("100", None),
    ],
)
def test_parse_int_reads_ascii_digits_within_bounds(raw, expected):
    assert parse_int(raw, minimum=1, maximum=99) == expected


@pytest.mark.parametrize("route", LISTINGS)
@pytest.mark.parametrize("page", ODD_NUMBERS)
def test_a_page_number_that_is_not_ascii_digits_is_not_a_5xx(site, route, page):
    response = Client().get(LISTINGS[route](site), {"page": page})
    assert response.status_code < 500, response.status_code


@pytest.mark.parametrize("page", ["²", "③", "١"])
def test_a_page_number_in_other_digits_is_a_400_on_the_listings(site, page):
    for route in ("cluster_listing", "activity_listing", "forum_board"):
        response = Client().get(LISTINGS[route](site), {"page": page})
        assert response.status_code == 400, (route, response.status_code)


# Search syntax ------------------------------------------------------------------------------------

SYNTAX = [
    'x|y "z',
    '"',
    '"seagrass',
    "*",
    "seagrass*",
    "(",
    "(seagrass",
    "seagrass)",
    "NEAR",
    "NEAR(seagrass meadows)",
    "AND OR NOT",
    "seagrass AND",
    "NOT seagrass",
    "^",
    "^seagrass",
    ":",
    "title:seagrass",
    "-",
    "-seagrass",
    "seagrass - meadows",
    "&",
    "!",
    "'",
    "a'b",
    "\\",
    "{}[]",
    "+",
    "٣²",
    "e\u0301",
    "\u200f\u05e9\u05dc\u05d5\u05dd",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('x|y "z', "x y z"),
        ('"', ""),
        ("AND OR NOT", ""),
        ("NEAR(seagrass meadows)", "seagrass meadows"),
        ("title:seagrass^2", "title seagrass 2"),
        ("  Seagrass   meadows ", "Seagrass meadows"),
        ("herbiers de posidonie", "herbiers de posidonie"),
        ("Ῥόδος ٣", "Ῥόδος ٣"),
        ("e\u0301t\u00e9", "e\u0301t\u00e9"),
        ("and or not", "and or not"),
        ("", ""),
    ],
)
def test_search_text_keeps_words_and_drops_operators(text, expected):
    assert search_text(text) == expected


@pytest.mark.parametrize("route", ["cluster_listing", "activity_listing", "forum_board"])
@pytest.mark.parametrize("query", SYNTAX)
def test_search_syntax_is_not_a_5xx(site, route, query):
    response = Client().get(LISTINGS[route](site), {"q": query})
    assert response.status_code < 500, response.status_code


@pytest.mark.parametrize("route", ["cluster_rss", "cluster_atom", "activity_ical"])
@pytest.mark.parametrize("query", ['x|y "z', '"', "(", "NEAR", "AND OR NOT", "^", ":", "-"])
def test_search_syntax_is_not_a_5xx_on_feeds_and_calendars(site, route, query):
    response = Client().get(LISTINGS[route](site), {"q": query})
    assert response.status_code < 500, response.status_code


def test_search_still_finds_what_it_should(site):
    response = Client().get(site["index"].url, {"q": '"Seagrass" |'})
    assert response.status_code == 200
    assert site["cluster"].title in response.content.decode()


def test_a_query_of_operators_only_is_no_search(site):
    everything = Client().get(site["index"].url).content.decode()
    response = Client().get(site["index"].url, {"q": '" AND ( *'})
    assert response.status_code == 200
    assert site["cluster"].title in everything
    assert site["cluster"].title in response.content.decode()


# Control characters -------------------------------------------------------------------------------

CONTROLS = ["\x0c", "\x0b", "\x1b", "\x07", "\x7f", "\x85", "\u200b", "\u202e", "\ufeff", "\x00"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\x0cb", "a b"),
        ("a\nb", "a b"),
        ("a\r\nb", "a b"),
        ("a\u2028b\u2029c", "a b c"),
        ("a\x00\x1b[31mb", "a[31mb"),
        ("\u202eevil\u202c", "evil"),
        ("  a \t b  ", "a b"),
        ("Ῥόδος", "Ῥόδος"),
    ],
)
def test_clean_text_drops_controls_and_newlines(text, expected):
    assert clean_text(text) == expected


@pytest.mark.parametrize("route", ["cluster_rss", "cluster_atom", "activity_ical"])
@pytest.mark.parametrize("control", CONTROLS)
def test_a_control_character_in_the_search_is_not_a_5xx(site, route, control):
    response = Client().get(LISTINGS[route](site), {"q": f"sea{control}grass"})
    assert response.status_code < 500, response.status_code
    if control != "\x00":  # refused with a 400 before anything else
        assert response.status_code == 200
        assert control.encode() not in response.content


@pytest.mark.parametrize("newline", ["\n", "\r", "\r\n", "\u2028", "\x85"])
@pytest.mark.parametrize(
    "param",
    ["q", "format", "working_group", "country", "month", "year", "cluster", "page", "unknown"],
)
def test_a_newline_in_any_parameter_of_the_calendar_is_not_a_5xx(site, param, newline):
    response = Client().get(site["activities"].url + "ical/", {param: f"a{newline}b"})
    assert response.status_code < 500, response.status_code
    if response.status_code == 200:
        assert b"a\r\n" not in response.content


@pytest.mark.parametrize("theme", ["9" * 50, "²", "٣", "-1", "1.5", ""])
def test_a_theme_key_that_is_no_key_is_a_form_error(site, theme):
    """A key of 50 digits overflowed SQLite's integer (``OverflowError``, a 500; found by
    ``test_fuzz.py``'s wider numbers)."""
    cache.clear()  # no rate limit
    response = Client().post(site["forum"].url + "new/", {"themes": theme, "title": "Data"})
    assert response.status_code == 400, response.status_code  # the form, with its errors
    assert "themes" in response.context["form"].errors


@pytest.mark.parametrize("path", ["forum_post", "organisation_details"])
def test_a_key_in_the_path_too_large_for_any_column_is_a_404(site, path):
    url = {
        "forum_post": site["forum"].url + "9" * 30 + "/",
        "organisation_details": site["map"].url + "organisations/" + "9" * 30 + "/",
    }[path]
    assert Client().get(url).status_code == 404
