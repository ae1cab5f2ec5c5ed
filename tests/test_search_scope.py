"""Search scope (issue 18): what the backend ranks is what the listing may show.

The backend returns its best ``max_search_results`` (1,000) matches. It used to rank the whole
model and the listing then kept the visible ones of its locale, so drafts, private clusters,
other languages and the default locale's versions of translated clusters took places, and a
common word dropped clusters that should be listed. The scope is now written on search
``FilterField`` fields (``live``, ``path``/``depth`` of the restricted sections, ``locale``,
``translation_key``) and applied by the backend before it ranks.

The acceptance test has 3,000 clusters matching one word in 3 locales, and in each locale 10
drafts and 10 private clusters that rank above them all: each locale's listing shows exactly
its 1,000 visible clusters (999 translations and the one English cluster without a
translation). It runs on SQLite and on PostgreSQL (legs 1 and 2 of CI); without the scope,
every one of the three listings loses clusters.
"""

import elasticsearch
import pytest
from django.test import override_settings
from elasticsearch.serializer import JSONSerializer
from wagtail.models import Locale, PageViewRestriction

from wagtail_ar import listing
from wagtail_ar.listing import Listing
from wagtail_ar.models import ClusterPage

from .test_clusters import clone_clusters, make_cluster
from .test_i18n_pages import in_language, multilingual_site, translate  # noqa: F401
from .utils import build_tree

pytestmark = pytest.mark.django_db

WORD = "cymodocea"
# Higher in the ranking than every visible cluster: the word, many times, in a short text.
LOUD = " ".join([WORD.capitalize()] * 6)
CODES = ("en", "fr", "ar")


def hidden_clusters(index, code, count=10):
    """``count`` drafts and ``count`` private clusters below ``index`` that match loudly."""
    for number in range(count):
        make_cluster(index, f"draft-{code}-{number}", title=LOUD, summary=LOUD, live=False)
        private = make_cluster(index, f"private-{code}-{number}", title=LOUD, summary=LOUD)
        PageViewRestriction.objects.create(
            page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )


@pytest.fixture
def three_locales(multilingual_site):  # noqa: F811 - the fixture imported above
    """1,000 English clusters with the word, 999 of them translated into French and Arabic,
    and the hidden ones of each locale. Returns ``{code: (index, visible keys)}``."""
    tree = build_tree()
    english = make_cluster(tree["index"], "cymodocea", title="Cymodocea meadows", summary=WORD)
    copies = clone_clusters(english, 998)
    only_english = make_cluster(
        tree["index"], "only-english", title="Cymodocea in English only", summary=WORD
    )
    keys = list(ClusterPage.objects.filter(pk__in=copies).order_by("path"))
    keys = [page.translation_key for page in keys]
    visible = {"en": {english.pk, only_english.pk, *copies}}
    indexes = {"en": tree["index"]}
    hidden_clusters(tree["index"], "en")
    for code in CODES[1:]:
        translation = translate(english, code, slug=f"cymodocea-{code}")
        indexes[code] = translation.get_parent().specific
        visible[code] = {translation.pk, only_english.pk, *clone_clusters(translation, 998, keys)}
        hidden_clusters(indexes[code], code)
    assert ClusterPage.objects.filter(live=True).count() > 3000
    return {code: (indexes[code], visible[code]) for code in CODES}


def listed(client, index, code):
    response = client.get(in_language(index, code), {"q": WORD})
    assert response.status_code == 200
    result = response.context["listing"]
    return set(result.paginator.object_list.values_list("pk", flat=True))


def test_a_word_in_3000_clusters_in_3_locales_lists_each_locale_s_1000(client, three_locales):
    # One test for the three locales: the content is built once (about 10 s on SQLite).
    assert Listing.max_search_results == 1000
    for code in CODES:
        index, visible = three_locales[code]
        assert len(visible) == 1000
        assert listed(client, index, code) == visible, code


# Other backends ------------------------------------------------------------------------------


@pytest.fixture
def small(multilingual_site):  # noqa: F811 - the fixture imported above
    """In English: 4 visible clusters with the word, one of them untranslated, and hidden
    ones that rank first; in French the 3 others translated, and hidden ones."""
    tree = build_tree()
    hidden_clusters(tree["index"], "en", count=2)  # first: the first keys, first in key order
    english = [
        make_cluster(tree["index"], f"c{number}", title=f"Cymodocea {number}", summary=WORD)
        for number in range(4)
    ]
    french = [translate(page, "fr", slug=f"c{n}-fr") for n, page in enumerate(english[:3])]
    fr_index = french[0].get_parent().specific
    hidden_clusters(fr_index, "fr", count=2)
    return {
        "en": (tree["index"], {page.pk for page in english}),
        "fr": (fr_index, {page.pk for page in french} | {english[3].pk}),
    }


@pytest.mark.parametrize("code", ["en", "fr"])
@pytest.mark.parametrize(
    "backend",
    ["wagtail.search.backends.database", "modelsearch.backends.database.fallback"],
)
def test_each_database_backend_searches_the_scope(client, small, monkeypatch, code, backend):
    """Wagtail's backend for the database in use (SQLite's FTS5 or PostgreSQL's), and the
    fallback one (other databases: no ranking, key order), with room for 4 results: the
    hidden clusters and the translated English versions, first in rank or in key order, used
    to take the places of visible ones."""
    monkeypatch.setattr(Listing, "max_search_results", 4)
    index, visible = small[code]
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": backend}}):
        assert listing.backend_runs_subqueries()
        assert listed(client, index, code) == visible


class FakeElasticsearch:
    """Stands for an Elasticsearch server (none can run here): records the search requests
    the backend sends and answers with hits for ``pks``, as a server holding them would."""

    def __init__(self, pks):
        self.pks = pks
        self.requests = []

    def search(self, _client, **request):
        self.requests.append(request)
        hits = [{"fields": {"pk": [str(pk)]}, "_score": 1.0} for pk in self.pks]
        return {"hits": {"hits": hits, "total": {"value": len(hits)}}, "_scroll_id": "s"}

    def scroll(self, _client, **request):
        return {"hits": {"hits": []}, "_scroll_id": "s"}

    def clear_scroll(self, _client, **request):
        return {}


def test_elasticsearch_is_sent_the_scope_as_filters(client, small, monkeypatch):
    """The listing does not bypass Elasticsearch (or OpenSearch, the same compiler): its scope
    reaches the server as filters of the search request, written with values (no sub-query,
    which the backend cannot send): the French and English locales, the translated keys the
    English versions must not have, the restricted sections, live only."""
    index, visible = small["fr"]
    fake = FakeElasticsearch(sorted(visible))
    for name in ("search", "scroll", "clear_scroll"):
        monkeypatch.setattr(
            elasticsearch.Elasticsearch,
            name,
            lambda self, *a, _n=name, **kw: getattr(fake, _n)(self, *a, **kw),
        )
    es = {"BACKEND": "modelsearch.backends.elasticsearch9", "URLS": ["http://127.0.0.1:9"]}
    with override_settings(WAGTAILSEARCH_BACKENDS={"default": es}):
        assert not listing.backend_runs_subqueries()
        assert listed(client, index, "fr") == visible
    (request,) = fake.requests
    # Serialised as the client sends it (the real client: UUIDs as text).
    body = JSONSerializer().dumps(request["query"]).decode()
    french = ClusterPage.objects.filter(pk__in=visible, locale__language_code="fr")
    for key in french.values_list("translation_key", flat=True):
        assert str(key) in body
    for private in PageViewRestriction.objects.filter(page__locale__language_code="fr"):
        assert private.page.path in body
    assert '{"term":{"live_filter":true}}' in body, body
    fr, en = (Locale.objects.get(language_code=code).pk for code in ("fr", "en"))
    assert f'{{"terms":{{"locale_id_filter":[{fr}]}}}}' in body, body
    assert f'{{"terms":{{"locale_id_filter":[{en}]}}}}' in body, body
