"""Nothing leaks: draft, unpublished, expired and privacy-restricted clusters and reports are in
no listing, count, filter option, search result, feed or related-clusters block."""

import datetime
import re
from io import StringIO

import feedparser
import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from .test_clusters import (  # noqa: F401 - fixtures
    catalogue_fixture,
    make_cluster,
    parse,
    slugs,
    tree_fixture,
)
from .test_clusters_pages import make_report, related_slugs

pytestmark = pytest.mark.django_db

# Every hidden cluster has what only it has: this word in its title (for search), the tag
# "hush-hush", Malta among its countries, the year 2019; and the working group and tag
# "seagrass" of visible clusters (for related clusters).
SECRET = "Confidential"


def hidden_cluster(catalogue, slug, **kwargs):
    return make_cluster(
        catalogue["index"],
        slug,
        title=f"{SECRET} {slug} cluster",
        category="peer_review",
        start=datetime.date(2019, 5, 1),
        end=datetime.date(2019, 6, 1),
        working_group=catalogue["wg"],
        countries=["MT"],
        tags=["seagrass", "hush-hush"],
        **kwargs,
    )


def restrict(page, restriction_type):
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=restriction_type, password="secret"
    )
    if restriction_type == PageViewRestriction.GROUPS:
        restriction.groups.add(Group.objects.create(name="Insiders"))


def draft(catalogue):
    return hidden_cluster(catalogue, "draft", live=False)


def unpublished(catalogue):
    cluster = hidden_cluster(catalogue, "unpublished")
    cluster.unpublish()
    return cluster


def expired(catalogue):
    """Expired by Wagtail's scheduled publishing command."""
    cluster = hidden_cluster(catalogue, "expired")
    cluster.expire_at = timezone.now() - datetime.timedelta(hours=1)
    cluster.save()
    call_command("publish_scheduled", stdout=StringIO())
    cluster.refresh_from_db()
    assert cluster.expired and not cluster.live
    return cluster


def expiring(catalogue):
    """Past its expiry date, before the scheduled publishing command has run."""
    cluster = hidden_cluster(catalogue, "expiring")
    cluster.expire_at = timezone.now() - datetime.timedelta(minutes=5)
    cluster.save()
    assert cluster.live
    return cluster


def password(catalogue):
    cluster = hidden_cluster(catalogue, "password")
    restrict(cluster, PageViewRestriction.PASSWORD)
    return cluster


def login(catalogue):
    cluster = hidden_cluster(catalogue, "login")
    restrict(cluster, PageViewRestriction.LOGIN)
    return cluster


def groups(catalogue):
    cluster = hidden_cluster(catalogue, "groups")
    restrict(cluster, PageViewRestriction.GROUPS)
    return cluster


CASES = [draft, unpublished, expired, expiring, password, login, groups]


@pytest.fixture(params=CASES, ids=[case.__name__ for case in CASES])
def hidden(request, catalogue):
    return request.param(catalogue)


def visible_count(catalogue):
    return len(catalogue["clusters"])


def test_not_in_the_listing_its_counts_or_its_options(client, catalogue, hidden):
    index = catalogue["index"]
    response = client.get(index.url)
    html = response.content.decode()
    assert SECRET not in html
    assert hidden.slug not in slugs(response)
    # Counts: every category, and the total, count the visible clusters only.
    assert f'All categories <span class="ar-count">({visible_count(catalogue)} clusters)' in html
    assert 'Peer-review cluster <span class="ar-count">(1 cluster)' in html
    # Filter options: nothing that only the hidden cluster has.
    options = " ".join(str(select) for select in parse(html).selects) + html
    assert "hush-hush" not in options
    assert "Malta" not in options
    assert '<option value="2019">' not in html


def test_not_found_by_its_filters_or_search(client, catalogue, hidden):
    index = catalogue["index"]
    assert client.get(index.url + "?tag=hush-hush").status_code == 400  # an unknown tag here
    for query in ("?country=MT", "?year=2019", f"?q={SECRET}", "?q=hush-hush"):
        response = client.get(index.url + query)
        assert response.status_code == 200, query
        assert slugs(response) == [], query
    response = client.get(index.url + "?category=peer_review&tag=seagrass")
    assert slugs(response) == ["review"]


def test_not_in_the_feeds(client, catalogue, hidden):
    for path in ("feed/", "feed/atom/"):
        response = client.get(catalogue["index"].url + path)
        parsed = feedparser.parse(response.content)
        assert parsed.entries
        assert not [e.title for e in parsed.entries if SECRET in e.title], path


def test_not_among_related_clusters(client, catalogue, hidden):
    # posidonia shares the working group and the tag "seagrass" with every hidden cluster.
    html = client.get(catalogue["clusters"]["posidonia"].url).content.decode()
    assert related_slugs(html)
    assert hidden.slug not in related_slugs(html)
    assert SECRET not in html


# Reports -----------------------------------------------------------------------------------------


def hidden_report(cluster, case):
    report = make_report(
        cluster,
        f"{case}-report",
        datetime.date(2025, 2, 1),
        title=f"{SECRET} {case} report",
        live=case != "draft",
    )
    if case == "unpublished":
        report.unpublish()
    elif case == "expiring":
        report.expire_at = timezone.now() - datetime.timedelta(minutes=5)
        report.save()
    elif case in ("password", "login"):
        restrict(report, case)
    return report


@pytest.mark.parametrize("case", ["draft", "unpublished", "expiring", "password", "login"])
def test_hidden_reports_are_nowhere(client, catalogue, case):
    cluster = catalogue["clusters"]["drought"]
    before = make_report(cluster, "before", datetime.date(2025, 1, 1), title="January report")
    hidden_report(cluster, case)
    after = make_report(cluster, "after", datetime.date(2025, 3, 1), title="March report")
    factsheet = client.get(cluster.url).content.decode()
    assert "January report" in factsheet and SECRET not in factsheet
    # The neighbours of the visible reports skip it.
    assert f'rel="next" href="{after.url}"' in client.get(before.url).content.decode()
    assert f'rel="prev" href="{before.url}"' in client.get(after.url).content.decode()
    for path in ("feed/", "feed/atom/"):
        parsed = feedparser.parse(client.get(catalogue["index"].url + path).content)
        assert "March report" in [e.title for e in parsed.entries]
        assert not [e.title for e in parsed.entries if SECRET in e.title]


def test_reports_of_a_restricted_cluster_are_not_in_the_feed(client, catalogue):
    cluster = password(catalogue)
    make_report(
        cluster, "inside", datetime.date(2025, 2, 1), title="Report inside a restricted cluster"
    )
    parsed = feedparser.parse(client.get(catalogue["index"].url + "feed/").content)
    assert "Report inside a restricted cluster" not in [e.title for e in parsed.entries]


def test_a_restricted_index_does_not_give_its_feed_away(client, catalogue):
    index = catalogue["index"]
    restrict(index, PageViewRestriction.PASSWORD)
    for path in ("", "feed/", "feed/atom/"):
        response = client.get(index.url + path)
        assert "Drought early warning" not in response.content.decode(), path
        assert not re.search(rb"<(rss|feed)\b", response.content), path
