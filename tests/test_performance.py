"""Query budgets: every page and endpoint of the Amplification Room makes as many SQL queries with
a few items as with many, from the database (cache off) and from the cache (a hit).

Budgets already asserted elsewhere stay there (cluster listing at 10 and 1,000 clusters in
test_clusters, factsheet in test_clusters_pages, activity index in test_activities, working
group page in test_working_groups, landing in test_landing, GeoJSON at 5,000 in test_map);
this file covers every URL at once, including the feeds, calendars, marker details, report
and activity pages, the map page and the forum board.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail_ar.models import (
    ActivityPage,
    ClusterPage,
    ClusterParticipant,
    ClusterReportPage,
    ForumPost,
)

from .utils import TODAY, build_tree, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    return build_tree()


def urls(tree):
    lead = tree["lead"].pk
    return {
        "landing": tree["ar"].url,
        "cluster listing": tree["index"].url,
        "cluster listing, filtered and searched": tree["index"].url
        + "?category=geographical&status=active&tag=seagrass&q=seagrass",
        "factsheet": tree["cluster"].url,
        "cluster report": tree["report"].url,
        "RSS feed": tree["index"].url + "feed/",
        "Atom feed": tree["index"].url + "feed/atom/",
        "working group page": tree["wg"].url,
        "activity index": tree["activities"].url,
        "activity index, filtered": tree["activities"].url + "?when=upcoming&format=online",
        "activities iCal": tree["activities"].url + "ical/",
        "activity page": tree["activity"].url,
        "activity iCal": tree["activity"].url + "ical/",
        "map page": tree["map"].url,
        "GeoJSON": tree["map"].url + "geojson/",
        "GeoJSON layers": tree["map"].url + "geojson/?layer=activities",
        "marker details": tree["map"].url + f"organisations/{lead}/",
        "forum board": tree["forum"].url,
    }


def grow(tree, n, first=0):
    """``n`` more clusters (each with a report, 3 participants and tags), activities,
    organisations and forum posts, all visible."""
    index, activities, wg = tree["index"], tree["activities"], tree["wg"]
    start = timezone.now() + datetime.timedelta(days=3)
    for number in range(first, first + n):
        organisation = make_organisation(f"Grown organisation {number}", country="ES")
        cluster = index.add_child(
            instance=ClusterPage(
                title=f"Seagrass cluster {number}",
                slug=f"grown-{number}",
                category="geographical",
                summary="Seagrass.",
                question="How?",
                objectives="<p>Seagrass.</p>",
                start_date=TODAY - datetime.timedelta(days=10),
                end_date=TODAY + datetime.timedelta(days=4000),
                working_group=wg,
                lead_partner=organisation,
                countries=["ES"],
            )
        )
        cluster.tags.add("seagrass")
        cluster.save()
        for member in (tree["lead"], tree["member"], organisation):
            ClusterParticipant.objects.create(page=cluster, organisation=member, role="external")
        cluster.add_child(
            instance=ClusterReportPage(
                title=f"Report {number}",
                slug="report",
                report_type="interim",
                date=TODAY,
                summary="Half way.",
            )
        )
        activity = activities.add_child(
            instance=ActivityPage(
                title=f"Grown activity {number}",
                slug=f"grown-activity-{number}",
                start=start + datetime.timedelta(days=number),
                end=start + datetime.timedelta(days=number, hours=2),
                time_zone="Europe/Rome",
                format="online",
                summary="A session.",
                working_group=wg,
                cluster=cluster,
            )
        )
        activity.organisers.add(organisation, tree["lead"])
        activity.save()
        # The first cluster's relations grow too: its related clusters share its tag.
        tree["cluster"].tags.add("seagrass")
        ForumPost.objects.create(
            forum=tree["forum"],
            status="published",
            kind="need",
            title=f"Need {number}",
            description="Seagrass monitoring.",
            name="A. Person",
            organisation="An NGO",
            community_role="external",
            email=f"person{number}@example.org",
            consent_at=timezone.now(),
            published_at=timezone.now(),
        )
    ClusterPage.objects.get(pk=tree["cluster"].pk).save_revision().publish()


def count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return len(queries)


def budgets(client, tree):
    """``{name: (queries from the database, queries on a cache hit)}``."""
    from django.test import override_settings

    counts = {}
    for name, url in urls(tree).items():
        with override_settings(WAGTAIL_AR_CACHE_TIMEOUT=0):
            client.get(url)  # Wagtail's site root paths, as a running site has them
            uncached = count(client, url)
        client.get(url)  # stored
        counts[name] = (uncached, count(client, url))
    return counts


def test_no_page_or_endpoint_costs_more_queries_with_more_content(client, site):
    # A few of everything first, so that no list is empty (an empty list costs less).
    grow(site, 2)
    few = budgets(client, site)
    grow(site, 12, first=2)
    many = budgets(client, site)
    print("\nqueries (database / cache hit) with 3 items of each and with 14:")
    for name in few:
        print(
            f"  {name:40} {few[name][0]:3} / {few[name][1]:<3} {many[name][0]:3} / {many[name][1]}"
        )
    assert many == few
    for name, (uncached, cached) in many.items():
        assert cached <= uncached, name


def test_geojson_of_the_organisations_takes_at_most_two_queries_at_10000(client, site):
    """The view's own queries, cache off (the whole request adds Wagtail's routing)."""
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory, override_settings
    from wagtail.models import Locale

    from wagtail_ar.map.views import community_map_geojson
    from wagtail_ar.models import Organisation

    locale = Locale.get_default()
    Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Bulk {n}",
                country="GR",
                location=f"{35 + n % 10},{20 + n % 7}",
                latitude=35 + n % 10,
                longitude=20 + n % 7,
                locale=locale,
                live=True,
            )
            for n in range(10000)
        ],
        batch_size=1000,
    )
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with override_settings(WAGTAIL_AR_CACHE_TIMEOUT=0):
        with CaptureQueriesContext(connection) as queries:
            response = community_map_geojson(request, site["map"])
    assert response.status_code == 200
    assert response.content.count(b'"Feature"') == 10002
    assert len(queries) <= 2


ROUTING_TABLES = {"wagtailcore_site", "wagtailcore_page", "wagtailcore_pageviewrestriction"}


def test_a_cached_hit_of_a_listing_or_page_makes_only_wagtails_routing_queries(client, site):
    """Listings (filtered and searched too), landing, working group, map, factsheet, report
    and activity pages: on a hit Wagtail finds the site and routes down the tree (each page on the way read as its
    type, the view restrictions checked), and nothing else is read."""
    import re

    grow(site, 14)
    pages = {
        "landing": "ar",
        "cluster listing": "index",
        "cluster listing, filtered and searched": "index",
        "working group page": "wg",
        "activity index": "activities",
        "activity index, filtered": "activities",
        "map page": "map",
        "factsheet": "cluster",
        "cluster report": "report",
        "activity page": "activity",
    }
    all_urls = urls(site)
    for name, key in pages.items():
        page = site[key]
        allowed = ROUTING_TABLES | {
            ancestor.specific_class._meta.db_table
            for ancestor in page.get_ancestors(inclusive=True)
            if ancestor.specific_class is not None
        }
        client.get(all_urls[name])  # stored
        with CaptureQueriesContext(connection) as queries:
            response = client.get(all_urls[name])
        assert response.status_code == 200, name
        read = {t for q in queries for t in re.findall(r'(?:FROM|JOIN) "(\w+)"', q["sql"])}
        assert read <= allowed, (name, read - allowed)
        # Two per level of the tree at most (the child, then its specific type): no more.
        assert len(queries) <= 2 * page.depth, (name, len(queries))


def test_links_reuse_the_request_s_site_root_paths(client, site, monkeypatch):
    # Wagtail keeps the site root paths on the request; a link built without the request
    # (an include "only" that dropped it, a page's .url) reads them from the cache again:
    # a Redis round trip per link, 13 per listing before the includes passed the request.
    from django.test import override_settings
    from wagtail.models import Site

    grow(site, 4)
    reads = []
    original = Site.get_site_root_paths

    def counted():
        reads.append(1)
        return original()

    monkeypatch.setattr(Site, "get_site_root_paths", staticmethod(counted))
    too_many = {}
    with override_settings(WAGTAIL_AR_CACHE_TIMEOUT=0):
        for name, url in urls(site).items():
            reads.clear()
            assert client.get(url).status_code == 200, name
            if len(reads) > 1:
                too_many[name] = len(reads)
    assert too_many == {}
