"""The Amplification Room page as a landing page: community, working groups, latest clusters,
upcoming activities, map teaser, services and FAQ (with schema.org FAQPage data)."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from wagtail_ar.models import AmplificationRoomPage, ClusterPage, WorkingGroupPage

from .test_activities import at, make_activity
from .utils import TODAY, build_tree, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def add_cluster(index, slug, category, days_ago, publish=True, **fields):
    cluster = index.add_child(
        instance=ClusterPage(
            title=fields.pop("title", slug.replace("-", " ").capitalize()),
            slug=slug,
            category=category,
            summary="A cluster.",
            question="Which question?",
            objectives="<p>Objectives.</p>",
            expected_outcomes=["networking"],
            start_date=TODAY - datetime.timedelta(days=days_ago),
            **fields,
        )
    )
    if not publish:
        cluster.unpublish()
    return cluster


def get_html(client, tree):
    response = client.get(tree["ar"].url)
    assert response.status_code == 200
    return response.content.decode()


def test_landing_page_has_every_section(client, tree):
    make_activity(tree["activities"], "next-webinar", at(7), title="Next webinar")
    html = get_html(client, tree)
    for text in (
        "The space where the core community comes together.",  # who the community is
        '<h2 id="ar-working-groups">',
        "Connectivity of ecosystems",
        '<h2 id="ar-latest-clusters">',
        "Geographical cluster",
        "Seagrass meadows of the Adriatic",
        '<h2 id="ar-upcoming-activities">',
        "Next webinar",
        tree["activities"].url,
        '<h2 id="ar-map-teaser">',
        tree["map"].url,
        "Portfolio of services",
        "Peer exchange",
        "Frequently asked questions",
        "Who can create a cluster?",
        'type="application/ld+json"',
    ):
        assert text in html, text
    # The past Malaga event is not "upcoming".
    section = html[html.index('id="ar-upcoming-activities"') : html.index('id="ar-map-teaser"')]
    assert "Malaga" not in section


def test_map_teaser_counts_published_located_organisations_and_their_countries(client, tree):
    make_organisation("Draft org", country="FR", city="Paris", lat=48.85, lng=2.35)
    draft = make_organisation("Draft org 2", country="GR", city="Athens", lat=37.98, lng=23.72)
    draft.live = False
    draft.save()
    make_organisation("Nowhere", country="MT", lat=None)
    response = client.get(tree["ar"].url)
    teaser = response.context["community_map"]
    # Regione Campania (IT), Université de Tunis (TN), Draft org (FR, published despite its name).
    assert (teaser["organisations"], teaser["countries"]) == (3, 3)
    html = response.content.decode()
    assert "<dt>Organisations</dt><dd>3</dd>" in html
    assert "<dt>Countries</dt><dd>3</dd>" in html


def test_latest_clusters_a_few_per_category_newest_first(client, tree):
    index = tree["index"]
    for n in range(5):
        add_cluster(index, f"thematic-{n}", "thematic", days_ago=n * 10, title=f"Thematic {n}")
    add_cluster(index, "peer", "peer_review", days_ago=3, title="Peer review")
    groups = {
        value: [c.title for c in clusters]
        for value, _label, clusters in tree["ar"].latest_clusters_by_category()
    }
    assert groups == {
        "geographical": ["Seagrass meadows of the Adriatic"],
        "thematic": ["Thematic 0", "Thematic 1", "Thematic 2"],
        "peer_review": ["Peer review"],
    }
    html = get_html(client, tree)
    assert "Thematic 2" in html and "Thematic 3" not in html
    assert re.search(r'<h3 id="ar-latest-clusters-thematic">Thematic cluster</h3>', html)


def test_nothing_draft_or_private_on_the_landing_page(client, tree):
    index = tree["activities"]
    make_activity(index, "draft", at(3), title="Draft meeting", publish=False)
    private = make_activity(index, "private", at(4), title="Private meeting")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    add_cluster(tree["index"], "draft-cluster", "thematic", 1, publish=False, title="Draft cluster")
    hidden = add_cluster(tree["index"], "hidden-cluster", "thematic", 1, title="Hidden cluster")
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    wg2 = tree["ar"].add_child(
        instance=WorkingGroupPage(title="WG2 Climate", slug="wg2", number=2, theme="Climate")
    )
    wg2.unpublish()
    html = get_html(client, tree)
    for text in (
        "Draft meeting",
        "Private meeting",
        "Draft cluster",
        "Hidden cluster",
        "WG2 Climate",
    ):
        assert text not in html, text
    assert "No activities are planned at the moment." in html


def test_faq_json_ld_is_valid_and_cannot_close_its_script(client, tree):
    ar = AmplificationRoomPage.objects.get(pk=tree["ar"].pk)
    ar.body = [
        (
            "faq",
            {"question": "What is </script><script>alert(1)</script>?", "answer": "<p>A & B</p>"},
        ),
    ]
    ar.save_revision().publish()
    html = get_html(client, tree)
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@type"] == "FAQPage"
    assert data["mainEntity"][0]["name"] == "What is </script><script>alert(1)</script>?"
    assert "A & B" in data["mainEntity"][0]["acceptedAnswer"]["text"]
    assert "<script>alert(1)" not in html


def test_landing_page_queries_do_not_grow(client, tree, settings):
    settings.WAGTAIL_AR_CACHE_TIMEOUT = 0  # the database's queries; cache hits: test_cache

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(tree["ar"].url).status_code == 200
        return len(captured)

    add_cluster(tree["index"], "t-0", "thematic", 1)
    make_activity(tree["activities"], "u-0", at(5))
    queries()
    few = queries()
    for n in range(1, 15):
        add_cluster(tree["index"], f"t-{n}", "thematic", n)
        add_cluster(tree["index"], f"p-{n}", "peer_review", n)
        make_activity(tree["activities"], f"u-{n}", at(5 + n))
        make_organisation(f"Org {n}", country="ES")
    assert queries() == few
