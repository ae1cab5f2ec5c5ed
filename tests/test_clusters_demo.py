"""The example site's clusters through the listing: each category, each status and combined
filters show the clusters the demo content describes (example_site/demo/content/clusters.py)."""

from io import StringIO

import feedparser
import pytest
from demo.content.clusters import CLUSTERS
from django.core.management import call_command

from wagtail_ar.models import ClusterIndexPage, WorkingGroupPage

from .test_clusters import slugs


def status(spec):
    """The status the demo's day offsets give (the demo is loaded today)."""
    if spec.start > 0:
        return "planned"
    if spec.end is not None and spec.end < 0:
        return "completed"
    return "active"


def expected(**conditions):
    return {
        spec.slug
        for spec in CLUSTERS
        if all(
            (status(spec) if name == "status" else getattr(spec, name)) == value
            if not callable(value)
            else value(getattr(spec, name))
            for name, value in conditions.items()
        )
    }


@pytest.fixture
def demo_index(db):
    call_command("load_demo", stdout=StringIO())
    return ClusterIndexPage.objects.live().get()


def shown(client, index, query):
    response = client.get(index.url + query)
    assert response.status_code == 200, query
    return set(slugs(response))


def test_demo_has_clusters_of_every_category_and_status():
    assert {spec.category for spec in CLUSTERS} == {"geographical", "thematic", "peer_review"}
    assert {status(spec) for spec in CLUSTERS} == {"planned", "active", "completed"}


def test_each_category_status_and_combination_in_the_demo(client, demo_index):
    for category in ("geographical", "thematic", "peer_review"):
        assert shown(client, demo_index, f"?category={category}") == expected(category=category)
    for value in ("planned", "active", "completed"):
        assert shown(client, demo_index, f"?status={value}") == expected(status=value)
    combined = expected(category="thematic", status="active")
    assert combined == {"nature-based-solutions-urban-floods", "wetland-services-in-local-budgets"}
    assert shown(client, demo_index, "?category=thematic&status=active") == combined
    wg2 = WorkingGroupPage.objects.get(number=2)
    assert shown(client, demo_index, f"?working_group={wg2.slug}&status=completed") == expected(
        working_group=2, status="completed"
    )
    assert shown(client, demo_index, "?country=TN&category=geographical") == expected(
        category="geographical", countries=lambda codes: "TN" in codes
    )
    assert shown(client, demo_index, "?tag=peer-review&status=active") == expected(
        status="active", tags=lambda tags: "peer review" in tags
    )
    # The whole demo, on two pages of twelve.
    everything = shown(client, demo_index, "") | shown(client, demo_index, "?page=2")
    assert everything == {spec.slug for spec in CLUSTERS}


def test_demo_feed_and_search(client, demo_index):
    assert shown(client, demo_index, "?q=seagrass") >= {
        "seagrass-payments-for-ecosystem-services",
        "peer-review-seagrass-restoration-protocols",
    }
    parsed = feedparser.parse(client.get(demo_index.url + "feed/?category=peer_review").content)
    reports = {spec.slug: spec.reports for spec in CLUSTERS if spec.category == "peer_review"}
    assert len(parsed.entries) == len(reports) + sum(len(r) for r in reports.values())
