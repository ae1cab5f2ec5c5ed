"""Every page type renders, inside the host site's base template, as semantic HTML."""

import re
from html.parser import HTMLParser

import pytest
from django.test import override_settings

from .utils import PAGE_KEYS, build_tree

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Collects headings, <time> elements and ids of a page."""

    def __init__(self):
        super().__init__()
        self.headings, self.times, self.ids = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "time":
            self.times.append(attrs.get("datetime"))
        if "id" in attrs:
            self.ids.append(attrs["id"])


def outline(html):
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def tree():
    return build_tree()


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_page_renders_inside_host_base_template(client, tree, key):
    page = tree[key]
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-host-base="testapp"' in html
    assert "wagtail_ar/css/wagtail_ar.css" in html  # the layout emitted the stylesheet
    parsed = outline(html)
    assert parsed.headings.count(1) == 1, "exactly one h1"
    assert parsed.headings[0] == 1
    for previous, current in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert current <= previous + 1, f"heading level skipped: h{previous} then h{current}"
    assert all(parsed.times), "every <time> has a datetime attribute"
    assert len(parsed.ids) == len(set(parsed.ids)), "ids are unique"


@pytest.mark.parametrize("key", ["cluster", "report", "activity", "wg"])
def test_dates_are_in_time_elements(client, tree, key):
    assert outline(client.get(tree[key].url).content.decode()).times


@override_settings(WAGTAIL_AR_BASE_TEMPLATE="otherhost/base.html")
def test_base_template_setting_is_read_per_request(client, tree):
    html = client.get(tree["cluster"].url).content.decode()
    assert 'data-host-base="otherhost"' in html


def test_factsheet_shows_the_cluster_at_a_glance(client, tree):
    html = client.get(tree["cluster"].url).content.decode()
    for text in (
        "Geographical cluster",
        "How can marine protected areas monitor seagrass cheaply?",
        "Transference",
        "Adoption",
        "Kick-off",
        "Regione Campania",
        "Université de Tunis",
        "External partner",
        "MPA4Change",
        "Seagrass monitoring protocol",
        "Croatia",
        "seagrass",
        "Interim report",
        'datetime="2025-05-16"',
    ):
        assert text in html, text


def test_activity_shows_its_own_time_zone(client, tree):
    html = client.get(tree["activity"].url).content.decode()
    assert "Europe/Madrid" in html
    assert 'datetime="2024-11-29T11:00+01:00"' in html


def test_report_links_back_to_its_cluster(client, tree):
    html = client.get(tree["report"].url).content.decode()
    assert tree["cluster"].url in html
    assert "Annex" in html


def test_cluster_index_groups_clusters_by_category(client, tree):
    html = client.get(tree["index"].url).content.decode()
    for label in ("Geographical cluster", "Thematic cluster", "Peer-review cluster"):
        assert label in html
    assert tree["cluster"].url in html


def test_draft_organisations_are_not_shown(client, tree):
    lead = tree["lead"]
    lead.live = False
    lead.save()
    assert "Regione Campania" not in client.get(tree["map"].url).content.decode()


def test_rich_text_and_titles_are_escaped(client, tree):
    cluster = tree["cluster"]
    cluster.question = '<script>alert("x")</script>'
    cluster.save_revision().publish()
    html = client.get(cluster.url).content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
