"""The RSS 2.0 and Atom feeds of a cluster index, read by a real feed parser."""

import datetime
import time

import feedparser
import pytest
from django.utils import timezone

from wagtail_ar.models import ClusterIndexPage

from .test_clusters import catalogue_fixture, days, make_cluster, tree_fixture  # noqa: F401
from .test_clusters_pages import make_report

pytestmark = pytest.mark.django_db


def feed(client, index, path="feed/", query=""):
    response = client.get(index.url + path + query)
    assert response.status_code == 200, response.content[:500]
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.bozo_exception
    return response, parsed


def titles(parsed):
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def published(catalogue):
    """The catalogue's clusters and some reports, published one after the other (oldest first:
    seagrass … review, then the reports)."""
    clusters = catalogue["clusters"]
    reports = {
        "drought-interim": make_report(
            clusters["drought"], "drought-interim", days(-5), title="Drought interim report"
        ),
        "wetlands-final": make_report(
            clusters["wetlands"],
            "wetlands-final",
            datetime.date(2022, 2, 1),
            title="Wetlands final report",
            report_type="final",
        ),
    }
    # Distinct publication times, in a known order.
    start = timezone.now() - datetime.timedelta(days=30)
    order = [
        clusters["seagrass"],
        catalogue["report"],
        clusters["posidonia"],
        clusters["drought"],
        clusters["wetlands"],
        clusters["review"],
        reports["drought-interim"],
        reports["wetlands-final"],
    ]
    for number, page in enumerate(order):
        page.first_published_at = start + datetime.timedelta(days=number)
        page.save(update_fields=["first_published_at"])
    return {**catalogue, "reports": reports, "order": order}


def test_rss_feed_of_clusters_and_reports_newest_first(client, published):
    response, parsed = feed(client, published["index"])
    assert response["Content-Type"].startswith("application/rss+xml")
    assert parsed.version == "rss20"
    assert titles(parsed) == [page.title for page in reversed(published["order"])]
    dates = [entry.published_parsed for entry in parsed.entries]
    assert dates == sorted(dates, reverse=True)
    review = next(e for e in parsed.entries if e.title == published["clusters"]["review"].title)
    assert review.link == published["clusters"]["review"].full_url
    assert review.summary == published["clusters"]["review"].summary
    assert {tag.term for tag in review.tags} == {"Peer-review cluster", "seagrass", "peer review"}
    report = next(e for e in parsed.entries if e.title == "Drought interim report")
    assert [tag.term for tag in report.tags] == ["Interim report"]
    assert parsed.feed.title == "Clusters: new clusters and reports"
    assert parsed.feed.link == published["index"].full_url


def test_atom_feed(client, published):
    response, parsed = feed(client, published["index"], "feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert parsed.version == "atom10"
    assert titles(parsed) == [page.title for page in reversed(published["order"])]
    assert all(entry.updated_parsed for entry in parsed.entries)
    assert parsed.feed.links[-1].rel == "self"


@pytest.mark.parametrize("path", ["feed/", "feed/atom/"])
def test_feeds_respect_the_filters(client, published, path):
    _response, parsed = feed(client, published["index"], path, "?category=thematic")
    assert set(titles(parsed)) == {
        "Drought early warning for farmers",
        "Wetland services in local budgets",
        "Drought interim report",
        "Wetlands final report",
    }
    assert "(Thematic cluster)" in parsed.feed.title
    _response, parsed = feed(
        client, published["index"], path, "?status=active&working_group=wg2&q=drought"
    )
    assert titles(parsed) == ["Drought interim report", "Drought early warning for farmers"]
    _response, parsed = feed(client, published["index"], path, "?year=2022&utm_source=x")
    assert titles(parsed) == ["Wetlands final report", "Wetland services in local budgets"]
    _response, parsed = feed(client, published["index"], path, "?country=DE")
    assert titles(parsed) == []


@pytest.mark.parametrize("path", ["feed/", "feed/atom/"])
@pytest.mark.parametrize(
    "query, message",
    [
        ("?category=volcanic", "is not a category of clusters"),
        ("?year=20x5", "is not a year"),
        ("?tag=nope", "No cluster here has the tag"),
        ("?page=abc", "not a page number"),
    ],
)
def test_feeds_answer_400_to_bad_filters(client, published, path, query, message):
    response = client.get(published["index"].url + path + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert message in response.content.decode()


def test_feeds_are_limited(client, published, monkeypatch):
    monkeypatch.setattr(ClusterIndexPage, "feed_limit", 3)
    for path in ("feed/", "feed/atom/"):
        _response, parsed = feed(client, published["index"], path)
        assert titles(parsed) == [page.title for page in reversed(published["order"])][:3]


def test_feeds_are_advertised_with_the_current_filters(client, published):
    html = client.get(published["index"].url + "?category=thematic&page=1").content.decode()
    url = published["index"].url
    assert (
        f'<link rel="alternate" type="application/rss+xml" title="Clusters (RSS)" href="{url}feed/?category=thematic">'
        in html
    )
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Clusters (Atom)" href="{url}feed/atom/?category=thematic">'
        in html
    )
    assert f'<a href="{url}feed/?category=thematic" type="application/rss+xml">RSS feed</a>' in html


def test_feed_of_an_unpublished_index_is_not_found(client, published):
    index = published["index"]
    url = index.url
    index.unpublish()
    assert client.get(url + "feed/").status_code == 404
    assert client.get(url + "feed/atom/").status_code == 404


def test_reports_without_publication_date_still_have_one(client, tree):
    """Pages created in code without a revision have no first_published_at: their own date
    (midnight in the site's time zone, the evening before in UTC)."""
    _response, parsed = feed(client, tree["index"], "feed/atom/")
    report = next(e for e in parsed.entries if e.title == "Interim report")
    assert time.strftime("%Y-%m-%d %H:%M", report.published_parsed) == "2025-06-14 22:00"


def test_a_new_cluster_appears_first(client, published):
    newest = make_cluster(published["index"], "brand-new", title="Brand new cluster")
    _response, parsed = feed(client, published["index"])
    assert parsed.entries[0].title == newest.title
