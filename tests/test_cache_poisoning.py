"""The cache attacked as a hostile visitor would (issue 17, points 4 and 5): a query string that
spells one state in another's words, junk parameters, forged hosts and endless searches. The
cache must store only what it can tell apart, and stay bounded.

Run on local memory by default and on Redis with ``REDIS_URL`` (CI's PostgreSQL leg)."""

from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.utils import build_tree
from wagtail_ar import cache
from wagtail_ar.conf import settings as ar_settings
from wagtail_ar.listing import Listing
from wagtail_ar.models import ClusterPage

pytestmark = pytest.mark.django_db


def entries():
    """How many wagtail_ar entries the cache holds (local memory or Redis)."""
    backend = caches[ar_settings.CACHE_ALIAS]
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):
        return sum(1 for key in backend._cache if "wagtail_ar:" in key)
    client = backend._cache.get_client()
    return len(client.keys("*wagtail_ar:*"))


@pytest.fixture
def tree():
    tree = build_tree()
    index = tree["index"]
    for slug, category, title in (
        ("thematic-water", "thematic", "Thematic water cluster"),
        ("geo-water", "geographical", "Geographical water cluster"),
    ):
        cluster = index.add_child(
            instance=ClusterPage(
                title=title,
                slug=slug,
                category=category,
                summary="Water.",
                question="Why water?",
                objectives="<p>Water.</p>",
                start_date=tree["cluster"].start_date,
                end_date=tree["cluster"].end_date,
                lead_partner=tree["lead"],
                working_group=tree["wg"],
            )
        )
        cluster.save_revision().publish()
    cache.invalidate()
    return tree


def test_an_encoded_query_string_does_not_poison_the_real_one(tree):
    client = Client()
    url = tree["index"].url
    # One unknown parameter named "category=thematic&q" (value "water"): the unfiltered list.
    poisoned = client.get(url + "?category%3Dthematic%26q=water")
    assert poisoned.status_code == 200
    assert "Geographical water cluster" in poisoned.content.decode()
    real = client.get(url + "?category=thematic&q=water")
    html = real.content.decode()
    assert "Thematic water cluster" in html
    assert "Geographical water cluster" not in html


def test_a_repeated_parameter_with_an_empty_last_value_has_a_key_of_its_own(tree):
    # Found by the property test below: the listing reads the last value ("", no category),
    # so this answer, the unfiltered list, must not be stored under "?category=thematic".
    client = Client()
    url = tree["index"].url
    assert (
        "Geographical water cluster"
        in client.get(url + "?category=thematic&category=").content.decode()
    )
    html = client.get(url + "?category=thematic").content.decode()
    assert "Thematic water cluster" in html
    assert "Geographical water cluster" not in html


def test_the_same_holds_for_the_feed(tree):
    client = Client()
    feed = tree["index"].url + "feed/"
    client.get(feed + "?category%3Dthematic=1")
    body = client.get(feed + "?category=thematic").content.decode()
    assert "Thematic water cluster" in body
    assert "Geographical water cluster" not in body


@pytest.mark.parametrize(
    "junk",
    [
        lambda n: {"utm_campaign": f"x{n}"},
        lambda n: {f"junk{n}": "1"},
        lambda n: {"category": "thematic", "unknown": str(n)},
    ],
    ids=["tracking", "unknown-name", "unknown-beside-a-filter"],
)
def test_junk_parameters_add_no_entries(tree, junk):
    client = Client()
    url = tree["index"].url
    client.get(url)
    client.get(url, {"category": "thematic"})
    before = entries()
    for number in range(300):
        response = client.get(url, junk(number))
        assert response.status_code == 200
    assert entries() == before


def test_links_leave_junk_parameters_out(tree):
    html = Client().get(tree["index"].url, {"category": "thematic", "utm_x": "evil"}).content
    assert b"evil" not in html


def test_forged_hosts_share_the_sites_entries(tree):
    url = tree["index"].url
    Client().get(url)
    before = entries()
    for number in range(100):
        assert Client(HTTP_HOST=f"evil{number}.example").get(url).status_code == 200
    assert entries() == before


def test_searches_and_filters_are_bounded_per_page(tree, settings):
    settings.WAGTAIL_AR_CACHE_MAX_VARIANTS = 10
    client = Client()
    url = tree["index"].url
    client.get(url)
    before = entries()
    for number in range(200):
        assert client.get(url, {"q": f"word{number}"}).status_code == 200
    # Per variant: the listing's fragments, its results, the search hits; and a counter of
    # each of the three. Unbounded, this would be 600 entries.
    assert entries() - before <= 10 * 3 + 3
    # The unfiltered page is still served from its entry.
    assert client.get(url).status_code == 200


# The property: two query strings share a key only when the listing reads the same state.

NAMES = ["category", "status", "q", "page", "working_group", "country", "junk", "utm_source"]
VALUES = st.one_of(
    st.sampled_from(["", "thematic", "geographical", "water", "2", "1", "FR", "fr", "wg1"]),
    st.text(alphabet="=&%?#+ abc", max_size=6),
)
QUERY = st.lists(st.tuples(st.sampled_from(NAMES + ["category=thematic&q"]), VALUES), max_size=5)


def listing_state(request, index):
    listing = index.get_listing(request)
    if listing.errors:
        return ("errors", tuple(sorted(str(error) for error in listing.errors)))
    data = listing.filterset.form.cleaned_data
    filters = tuple(sorted((name, str(data.get(name))) for name in listing.filterset.filters))
    return (filters, listing.query, listing.page.number)


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(first=QUERY, second=QUERY)
def test_two_query_strings_share_a_key_only_for_the_same_state(rf, tree, first, second):
    index = tree["index"].specific
    params = Listing.parameter_names(index.get_filterset_class())
    requests = [rf.get(index.url + "?" + urlencode(pairs)) for pairs in (first, second)]
    keys = [
        cache.make_key(request, "cluster_listing", index, params=params) for request in requests
    ]
    if keys[0] == keys[1]:
        assert listing_state(requests[0], index) == listing_state(requests[1], index)
