"""``wagtail_ar.listing.matching_pks``: the keys a listing's search reads, in the backend's order.

On SQLite the package ranks the full-text match in one pass instead of letting the backend
re-run the match per row (370 ms to 3 ms for a word in 1,000 clusters, ``make bench``); these
tests hold the two to the same answer, and fail if the fast path stops being taken.
"""

import inspect

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail_ar import listing
from wagtail_ar.listing import _sqlite_ranked_pks, matching_pks, search_text
from wagtail_ar.models import ClusterPage

from .test_clusters import make_cluster
from .utils import build_tree

pytestmark = pytest.mark.django_db

QUERIES = (
    "seagrass",
    "seagrass meadows",
    "Seagrass",
    "posidonia",
    "wetlands restoration",
    '"seagrass meadows"',
    "seagrass OR dunes",
    "nothing matches this",
    "a",
)


@pytest.fixture
def clusters():
    tree = build_tree()
    index = tree["index"]
    # Word counts and places differ so that ranks differ; two copies tie on rank.
    make_cluster(index, "meadows", title="Seagrass meadows of the Adriatic")
    make_cluster(index, "posidonia", title="Posidonia", summary="Seagrass meadows of posidonia.")
    make_cluster(index, "wetlands", title="Coastal wetlands", summary="Wetlands restoration.")
    make_cluster(index, "dunes", title="Dunes and seagrass", summary="Seagrass, seagrass, dunes.")
    make_cluster(index, "twin-1", title="Twin seagrass cluster")
    make_cluster(index, "twin-2", title="Twin seagrass cluster")
    make_cluster(index, "draft", title="Seagrass draft", live=False)
    return tree


def backend_pks(query, limit=1000):
    """The backend's own answer to the query ``matching_pks`` sends it: the words of a string."""
    if isinstance(query, str):
        query = search_text(query)
    return [match.pk for match in ClusterPage.objects.search(query)[:limit]]


@pytest.mark.parametrize("query", QUERIES)
def test_same_keys_in_the_same_order_as_the_backend(clusters, query):
    assert matching_pks(ClusterPage, query, 1000) == backend_pks(query)


def test_the_queries_find_something_and_rank_it():
    # Guards the test above against comparing two empty lists.
    build_tree()
    index = ClusterPage.objects.first().get_parent()
    make_cluster(index, "low", title="Meadows", summary="One seagrass mention.")
    make_cluster(index, "high", title="Seagrass seagrass", summary="Seagrass seagrass seagrass.")
    found = matching_pks(ClusterPage, "seagrass", 1000)
    high, low = (ClusterPage.objects.get(slug=slug).pk for slug in ("high", "low"))
    assert high in found and low in found
    assert found.index(high) < found.index(low)
    assert found == backend_pks("seagrass")


def test_the_limit_keeps_the_best_matches(clusters):
    assert matching_pks(ClusterPage, "seagrass", 2) == backend_pks("seagrass")[:2]
    assert len(backend_pks("seagrass")) > 2


def test_one_query(clusters):
    matching_pks(ClusterPage, "seagrass", 1000)  # content types are cached after the first
    with CaptureQueriesContext(connection) as queries:
        matching_pks(ClusterPage, "seagrass meadows", 1000)
    assert len(queries) == 1


def test_the_one_pass_ranking_is_taken_on_sqlite_only(clusters):
    results = ClusterPage.objects.only("pk").search("seagrass")[:1000]
    fast = _sqlite_ranked_pks(results, ClusterPage, 1000)
    if connection.vendor == "sqlite":
        assert fast == backend_pks("seagrass")
    else:
        assert fast is None


def test_query_objects_give_the_backend_s_answer(clusters):
    # Phrases, OR, and a NOT inside an AND: the rank expression is built from the parsed query.
    from wagtail.search.query import And, Not, Or, Phrase, PlainText

    for query in (
        Phrase("seagrass meadows"),
        Or([PlainText("posidonia"), PlainText("dunes")]),
        And([PlainText("seagrass"), Not(PlainText("dunes"))]),
        Not(PlainText("seagrass")),  # the backend's own path
    ):
        assert matching_pks(ClusterPage, query, 1000) == backend_pks(query), query
    assert matching_pks(ClusterPage, Phrase("seagrass meadows"), 1000)
    assert matching_pks(ClusterPage, Or([PlainText("posidonia"), PlainText("dunes")]), 1000)


@pytest.mark.parametrize(
    "query",
    [
        'x|y "z',
        '"',
        '"seagrass',
        "*",
        "(",
        "NEAR(seagrass",
        "AND OR NOT",
        "^",
        ":",
        "-",
        "a'b",
        "\\",
    ],
)
def test_search_syntax_in_visitor_text_is_words_only(clusters, query):
    """FTS5 raised ``fts5: syntax error`` for these on SQLite (issue 18): only the words are
    sent; a text of operators only matches nothing (the listing then does not search)."""
    found = matching_pks(ClusterPage, query, 1000)
    assert found == backend_pks(query) if search_text(query) else found == []


def test_quotes_and_operators_do_not_hide_the_words(clusters):
    assert matching_pks(ClusterPage, '"seagrass" | (meadows', 1000) == backend_pks(
        "seagrass meadows"
    )
    assert matching_pks(ClusterPage, '"seagrass" | (meadows', 1000)


def test_the_private_rank_method_has_the_signature_the_shortcut_calls():
    # _sqlite_ranked_pks calls compiler._build_rank_expression(vectors, config).
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite backend's module is imported only where it runs")
    if not listing._modelsearch_shortcut_supported():
        pytest.skip(f"modelsearch {listing._modelsearch_version()}: the shortcut is not taken")
    from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchQueryCompiler

    parameters = inspect.signature(SQLiteSearchQueryCompiler._build_rank_expression).parameters
    assert list(parameters) == ["self", "vectors", "config"]


def test_the_installed_modelsearch_is_one_the_shortcut_was_written_for():
    # A new modelsearch release: check the private method, then add the release to the set.
    assert listing._modelsearch_shortcut_supported(), listing._modelsearch_version()


@pytest.mark.parametrize("version", ["1.2.9", "1.4.0", "2.0", None, "unknown"])
def test_other_modelsearch_releases_take_the_backend_s_search(clusters, monkeypatch, version):
    monkeypatch.setattr(listing, "_modelsearch_version", lambda: version)
    results = ClusterPage.objects.only("pk").search("seagrass")[:1000]
    assert _sqlite_ranked_pks(results, ClusterPage, 1000) is None
    found = matching_pks(ClusterPage, "seagrass", 1000)
    assert found == backend_pks("seagrass")
    assert ClusterPage.objects.get(slug="meadows").pk in found


def test_drafts_do_not_take_the_best_places_of_a_search(client, monkeypatch):
    """Issue 18: the backend searched the whole model and the listing then kept the visible
    matches of its best ``max_search_results``; drafts that rank higher (the word in their
    title, many times) pushed live clusters out. The listing's scope (live, its locales) is now
    passed to the backend: every live match is listed."""
    from wagtail_ar.listing import Listing

    monkeypatch.setattr(Listing, "max_search_results", 4)
    tree = build_tree()
    index = tree["index"]
    for number in range(8):
        make_cluster(
            index,
            f"draft-{number}",
            title="Caulerpa caulerpa caulerpa caulerpa",
            summary="Caulerpa caulerpa caulerpa.",
            live=False,
        )
    for number in range(4):
        make_cluster(index, f"live-{number}", title=f"Live cluster {number}", summary="Caulerpa.")
    html = client.get(index.url, {"q": "caulerpa"}).content.decode()
    assert [n for n in range(4) if f"Live cluster {n}" in html] == [0, 1, 2, 3]
