"""The cluster factsheet and the cluster report: what they show, their roadmap timeline,
metadata (JSON-LD, Open Graph), print stylesheet and query budget."""

import datetime
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from wagtail.blocks import StreamValue

from wagtail_ar.models import (
    ClusterPage,
    ClusterParticipant,
    ClusterReportAttachment,
    ClusterReportPage,
    CommunityMapPage,
)
from wagtail_ar.timeline import build_timeline

from .test_clusters import (  # noqa: F401 - fixtures
    catalogue_fixture,
    count_queries,
    days,
    make_cluster,
    publish,
    tree_fixture,
)
from .test_rendering import outline
from .utils import make_document, make_organisation

pytestmark = pytest.mark.django_db


def make_report(cluster, slug, date, *, title=None, report_type="interim", live=True):
    report = cluster.add_child(
        instance=ClusterReportPage(
            title=title or f"Report {slug}",
            slug=slug,
            report_type=report_type,
            date=date,
            summary=f"Summary of {slug}.",
            live=live,
        )
    )
    revision = report.save_revision()
    if live:
        revision.publish()
    report.refresh_from_db()
    return report


def json_ld(html):
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1, scripts
    return json.loads(scripts[0])


def open_graph(html):
    return dict(re.findall(r'<meta property="((?:og|article):[a-z_]+)" content="([^"]*)">', html))


def html_of(client, page, query=""):
    response = client.get(page.url + query)
    assert response.status_code == 200
    return response.content.decode()


# The factsheet -----------------------------------------------------------------------------------


def test_factsheet_shows_the_cluster_at_a_glance(client, tree):
    cluster = tree["cluster"]
    ClusterParticipant.objects.create(
        page=cluster,
        organisation=make_organisation("Plan Bleu", roles=("c4n",), country="FR", city="Marseille"),
        role="c4n",
    )
    html = html_of(client, cluster)
    for text in (
        "Geographical cluster",  # category
        f"ar-status--{cluster.status}",  # status
        'datetime="2025-05-16"',  # dates
        "How can marine protected areas monitor seagrass cheaply?",  # question
        "Adopt the protocol in three MPAs.",  # objectives
        "Transference",  # expected outcomes
        "Lead partner",
        "Regione Campania",
        "Université de Tunis",
        "WG1 Connectivity of ecosystems",
        "MPA4Change",
        "Seagrass monitoring protocol",
        "Croatia",
        "seagrass",
        "Regional",  # transfer level
    ):
        assert text in html, text
    # Participants grouped by role, in the order of the roles.
    participants = html.split('id="ar-participants"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<h3>([^<]+)</h3>", participants) == [
        "Lead partner",
        "C4N",
        "External partner",
    ]
    # Tags, countries and the category lead to the listing, filtered.
    index_url = tree["index"].url
    assert f'href="{index_url}?tag=seagrass"' in html
    assert f'href="{index_url}?country=HR"' in html
    assert f'href="{index_url}?category=geographical"' in html


def test_factsheet_outline_is_ordered(client, catalogue):
    cluster = catalogue["clusters"]["posidonia"]
    make_report(cluster, "first", days(-5))
    parsed = outline(html_of(client, cluster))
    assert parsed.headings.count(1) == 1
    for previous, current in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert current <= previous + 1
    assert len(parsed.ids) == len(set(parsed.ids))
    assert all(parsed.times)


def test_participants_are_linked_to_the_community_map(client, tree):
    cluster, map_page = tree["cluster"], tree["map"]
    nowhere = make_organisation("Online-only network", roles=("external",), lat=None)
    ClusterParticipant.objects.create(page=cluster, organisation=nowhere, role="external")
    html = html_of(client, cluster)
    assert f'href="{map_page.url}?organisation={tree["lead"].pk}"' in html
    assert f'href="{map_page.url}?organisation={tree["member"].pk}"' in html
    assert f"?organisation={nowhere.pk}" not in html  # no location, no map link
    assert "Online-only network" in html
    # The link says whom it shows, for screen readers.
    assert '<span class="ar-visually-hidden">Université de Tunis</span> on the map' in html


def test_no_map_links_without_a_visible_map(client, tree):
    tree["map"].unpublish()
    assert "?organisation=" not in html_of(client, tree["cluster"])
    CommunityMapPage.objects.all().delete()
    assert "?organisation=" not in html_of(client, tree["cluster"])


def test_unpublished_organisations_are_left_out(client, tree):
    member = tree["member"]
    member.live = False
    member.save()
    html = html_of(client, tree["cluster"])
    assert "Université de Tunis" not in html
    assert "External partner" not in html  # the role's heading goes with its last member


def test_reports_newest_first(client, tree):
    cluster = tree["cluster"]
    make_report(cluster, "older", datetime.date(2024, 1, 5), title="Older report")
    make_report(cluster, "newest", datetime.date(2025, 9, 1), title="Newest report")
    html = html_of(client, cluster)
    reports = html.split('id="ar-reports"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'id="ar-report-\d+-title"><a href="[^"]+">([^<]+)</a>', reports) == [
        "Newest report",
        "Interim report",  # 2025-06-15, from build_tree
        "Older report",
    ]


# Related clusters --------------------------------------------------------------------------------


def related_slugs(html):
    if 'id="ar-related-clusters"' not in html:
        return []
    section = html.split('id="ar-related-clusters"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'href="/[^"]*/([^/"]+)/">', section)


def test_related_clusters_share_a_working_group_or_tags(client, catalogue):
    clusters = catalogue["clusters"]
    # drought: wg2, tag drought. review shares wg2; nobody else shares anything.
    assert related_slugs(html_of(client, clusters["drought"])) == ["review"]
    # wetlands: wg1, tag wetlands -> the other wg1 clusters.
    assert set(related_slugs(html_of(client, clusters["wetlands"]))) == {"seagrass", "posidonia"}
    # posidonia: wg1 and tag seagrass (seagrass: both; wetlands: wg1; review: the tag).
    assert related_slugs(html_of(client, clusters["posidonia"])) == [
        "seagrass",
        "wetlands",
        "review",
    ]


def test_related_clusters_are_limited(client, catalogue):
    for number in range(6):
        make_cluster(catalogue["index"], f"more-{number}", working_group=catalogue["wg2"])
    assert len(related_slugs(html_of(client, catalogue["clusters"]["drought"]))) == 4


def test_a_cluster_without_group_or_tags_has_no_related_clusters(client, catalogue):
    lonely = make_cluster(catalogue["index"], "lonely")
    assert related_slugs(html_of(client, lonely)) == []


# The roadmap timeline ----------------------------------------------------------------------------


def roadmap(*stages):
    return StreamValue(
        ClusterPage._meta.get_field("roadmap").stream_block,
        [
            (
                "stage",
                {
                    "title": title,
                    "start_date": start,
                    "end_date": end,
                    "format": fmt,
                    "description": "",
                },
            )
            for title, start, end, fmt in stages
        ],
    )


STAGES = (
    ("Kick-off", datetime.date(2025, 1, 10), None, "online"),
    ("Field visit", datetime.date(2025, 3, 1), datetime.date(2025, 3, 3), "in_person"),
    ("Training", datetime.date(2025, 4, 1), datetime.date(2025, 6, 30), "hybrid"),
)


def test_timeline_places_stages_along_the_dates_and_marks_today():
    timeline = build_timeline(
        roadmap(*STAGES),
        datetime.date(2025, 1, 10),
        datetime.date(2025, 7, 31),
        today=datetime.date(2025, 4, 15),
    )
    kickoff, visit, training = timeline.stages
    assert [s.number for s in timeline.stages] == [1, 2, 3]
    assert kickoff.x < visit.x < training.x
    assert training.width > visit.width >= 5  # three months against three days
    assert [s.state for s in timeline.stages] == ["done", "done", "current"]
    assert timeline.today_position == "inside"
    assert training.x < timeline.today_x < training.x + training.width
    assert timeline.first == datetime.date(2025, 1, 10)
    assert timeline.last == datetime.date(2025, 7, 31)
    assert [label for _value, label in timeline.formats] == ["In person", "Online", "Hybrid"]
    assert [t.label for t in timeline.ticks if t.label][:2] == ["Feb", "Mar"]


@pytest.mark.parametrize(
    "today, position, states",
    [
        (datetime.date(2024, 12, 1), "before", ["upcoming", "upcoming", "upcoming"]),
        (datetime.date(2025, 3, 2), "inside", ["done", "current", "upcoming"]),
        (datetime.date(2026, 1, 1), "after", ["done", "done", "done"]),
    ],
)
def test_timeline_today_before_inside_or_after(today, position, states):
    timeline = build_timeline(
        roadmap(*STAGES), datetime.date(2025, 1, 10), datetime.date(2025, 7, 31), today=today
    )
    assert timeline.today_position == position
    assert [s.state for s in timeline.stages] == states


def test_open_ended_timeline_reaches_today():
    timeline = build_timeline(
        roadmap(*STAGES), datetime.date(2025, 1, 10), None, today=datetime.date(2027, 3, 1)
    )
    assert timeline.last == datetime.date(2027, 3, 1)
    assert timeline.today_position == "inside"
    assert [t.label for t in timeline.ticks] == ["2026", "2027"]


def test_no_timeline_without_stages():
    assert build_timeline(roadmap(), datetime.date(2025, 1, 1), None) is None


def test_roadmap_is_a_picture_and_an_ordered_list(client, catalogue):
    cluster = catalogue["clusters"]["drought"]
    cluster.roadmap = roadmap(
        ("Kick-off", days(-100), None, "online"),
        ("Workshops", days(-20), days(20), "hybrid"),
        ("Closing meeting", days(90), days(91), "in_person"),
    )
    publish(cluster)
    html = html_of(client, cluster)
    section = html.split('id="ar-roadmap"', 1)[1].split("</section>", 1)[0]
    figure = section.split("<figure", 1)[1].split("</figure>", 1)[0]
    assert 'aria-hidden="true"' in figure.split(">", 1)[0]  # the picture is not read out
    assert "<svg" in figure and ">Today<" in figure and 'stroke-dasharray="5 3"' in figure
    # Formats by pattern, not by colour alone, and named in the key.
    assert 'fill="url(#ar-timeline-online)"' in figure
    assert 'fill="url(#ar-timeline-hybrid)"' in figure
    assert 'fill="currentColor"' in figure
    for label in ("Online", "Hybrid", "In person"):
        assert label in figure.split("<figcaption", 1)[1]
    # The list says the same in words, in order, with where today is.
    items = section.split('<ol class="ar-roadmap">', 1)[1].split("</ol>", 1)[0]
    assert re.findall(r'class="ar-stage__title">([^<]+)<', items) == [
        "Kick-off",
        "Workshops",
        "Closing meeting",
    ]
    assert re.findall(r'class="ar-badge ar-badge--\w+">([^<]+)<', items) == [
        "Done",
        "Under way",
        "Upcoming",
    ]
    assert re.findall(r'class="ar-badge">([^<]+)<', items) == ["Online", "Hybrid", "In person"]


def test_timeline_numbers_are_not_localised(client, catalogue, settings):
    settings.LANGUAGE_CODE = "fr"
    cluster = catalogue["clusters"]["drought"]
    cluster.roadmap = roadmap(("Kick-off", days(-100), days(-33), "online"))
    publish(cluster)
    figure = html_of(client, cluster).split("<svg", 1)[1].split("</svg>", 1)[0]
    assert not re.search(r'(x|width)="\d+,\d+"', figure)


# Print -------------------------------------------------------------------------------------------


def test_factsheet_prints_on_a4_without_navigation(client, tree):
    html = html_of(client, tree["cluster"])
    assert 'href="/static/wagtail_ar/css/wagtail_ar_print.css" media="print"' in html
    css = Path(finders.find("wagtail_ar/css/wagtail_ar_print.css")).read_text()
    page_rule = re.search(r"@page\s*{([^}]*)}", css).group(1)
    assert re.search(r"size:\s*A4", page_rule)
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    hidden = {
        selector.strip()
        for selectors, declarations in re.findall(r"([^{}]+){([^{}]*)}", css)
        if "display: none" in declarations
        for selector in selectors.split(",")
    }
    for selector in ("nav", ".ar-breadcrumbs", ".ar-related", ".ar-map-link", ".ar-filters"):
        assert selector in hidden, selector
    # Whatever the host page holds around the article (header, footer, banners).
    assert re.search(
        r"body :not\(\.ar-page, \.ar-page \*, :has\(\.ar-page\)\)\s*{\s*display: none", css
    )


# Metadata ----------------------------------------------------------------------------------------


def test_factsheet_json_ld_and_open_graph(client, tree):
    cluster = tree["cluster"]
    html = html_of(client, cluster)
    head = html.split("</head>", 1)[0]
    data = json_ld(head)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Project"
    assert data["name"] == cluster.title
    assert data["url"] == cluster.full_url
    assert data["foundingDate"] == "2025-05-16"
    assert {c["identifier"] for c in data["areaServed"]} == {"HR", "IT"}
    roles = {m["member"]["name"]: m["roleName"] for m in data["member"]}
    assert roles == {"Regione Campania": "Lead partner", "Université de Tunis": "External partner"}
    assert [r["name"] for r in data["subjectOf"]] == ["Interim report"]
    graph = open_graph(head)
    assert graph["og:type"] == "website"
    assert graph["og:title"] == cluster.title
    assert graph["og:url"] == cluster.full_url
    assert graph["og:description"] == cluster.summary


def test_json_ld_cannot_break_out_of_its_script(client, tree):
    cluster = tree["cluster"]
    cluster.title = 'Seagrass </script><script>alert("x")</script> & co'
    publish(cluster)
    html = html_of(client, cluster)
    assert '<script>alert("x")' not in html
    assert json_ld(html)["name"] == cluster.title


# The report --------------------------------------------------------------------------------------


def test_report_shows_its_cluster_attachments_and_neighbours(client, catalogue):
    cluster = catalogue["clusters"]["drought"]
    first = make_report(cluster, "first", datetime.date(2025, 1, 1), title="First report")
    second = make_report(cluster, "second", datetime.date(2025, 3, 1), title="Second report")
    third = make_report(cluster, "third", datetime.date(2025, 6, 1), title="Third report")
    make_report(catalogue["clusters"]["review"], "elsewhere", datetime.date(2025, 2, 1))
    ClusterReportAttachment.objects.create(page=second, document=make_document("Annex on soils"))

    html = html_of(client, second)
    # Its cluster's context.
    assert f'<a href="{cluster.url}">{cluster.title}</a>' in html
    assert "Thematic cluster" in html and cluster.summary in html
    # Its attachments, with type and size.
    assert re.search(
        r"Annex on soils <span class=\"ar-document-link__meta\">\(PDF, \d+\xa0bytes\)</span>", html
    )
    # The neighbouring reports of the same cluster.
    assert f'rel="prev" href="{first.url}"' in html
    assert f'rel="next" href="{third.url}"' in html
    assert "elsewhere" not in html
    first_html = html_of(client, first)
    assert 'rel="prev"' not in first_html and f'rel="next" href="{second.url}"' in first_html
    assert 'rel="next"' not in html_of(client, third)


def test_reports_of_the_same_day_are_neighbours_in_order_of_creation(client, catalogue):
    cluster = catalogue["clusters"]["drought"]
    a = make_report(cluster, "a", datetime.date(2025, 1, 1))
    b = make_report(cluster, "b", datetime.date(2025, 1, 1))
    assert f'rel="next" href="{b.url}"' in html_of(client, a)
    assert f'rel="prev" href="{a.url}"' in html_of(client, b)


def test_report_outline_and_metadata(client, tree):
    report = tree["report"]
    report.save_revision().publish()
    html = html_of(client, report)
    parsed = outline(html)
    assert parsed.headings.count(1) == 1
    for previous, current in zip(parsed.headings, parsed.headings[1:], strict=False):
        assert current <= previous + 1
    data = json_ld(html.split("</head>", 1)[0])
    assert data["@type"] == "Report"
    assert data["name"] == "Interim report"
    assert data["datePublished"] == "2025-06-15"
    assert data["about"] == {
        "@type": "Project",
        "name": tree["cluster"].title,
        "url": tree["cluster"].full_url,
    }
    assert data["associatedMedia"][0]["name"] == "Annex"
    assert data["associatedMedia"][0]["contentUrl"].startswith("http://testserver/documents/")
    graph = open_graph(html)
    assert graph["og:type"] == "article"
    assert graph["article:published_time"] == "2025-06-15"


# Query budget ------------------------------------------------------------------------------------


def populate(cluster, participants, reports):
    """``participants`` more organisations (located, of every role) and ``reports`` reports."""
    roles = ["pp", "c4n", "d4n", "tp_partner", "ap", "tp_ap", "external", "expert"]
    for number in range(participants):
        organisation = make_organisation(
            f"Organisation {cluster.slug} {number}",
            roles=("external",),
            lat=40 + number / 10,
            lng=5,
        )
        ClusterParticipant.objects.create(
            page=cluster, organisation=organisation, role=roles[number % len(roles)]
        )
    for number in range(reports):
        make_report(
            cluster, f"report-{number}", datetime.date(2025, 1, 1) + datetime.timedelta(days=number)
        )


def test_factsheet_query_budget_does_not_grow_with_participants_and_reports(client, catalogue):
    small, large = catalogue["clusters"]["drought"], catalogue["clusters"]["review"]
    populate(small, participants=2, reports=1)
    populate(large, participants=50, reports=20)
    with_2, small_response = count_queries(client, small.url)
    with_50, large_response = count_queries(client, large.url)
    assert large_response.content.decode().count("?organisation=") == 50
    assert large_response.content.decode().count('class="ar-card ar-card--report"') == 20
    print(f"factsheet queries: {with_2} with 2 participants, {with_50} with 50 and 20 reports")
    assert with_2 == with_50
