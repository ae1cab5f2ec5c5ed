"""The cluster listing: filters alone and combined, search, counts, pagination, bad values, and
its query budget. The builders here (``catalogue``, ``make_cluster``, ``clone_clusters``) are
used by the other ``test_clusters_*.py`` files and ``test_feeds.py`` too."""

import datetime
import re
import uuid
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from wagtail_ar.models import ClusterIndexPage, ClusterPage, ClusterPageTag, WorkingGroupPage

from .test_rendering import outline
from .utils import build_tree

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_cluster(
    parent,
    slug,
    *,
    title=None,
    category="thematic",
    start=None,
    end=None,
    working_group=None,
    countries=(),
    tags=(),
    live=True,
    **fields,
):
    """A cluster factsheet below ``parent``, published (``live=False``: a draft only)."""
    cluster = parent.add_child(
        instance=ClusterPage(
            title=title or slug.replace("-", " ").capitalize(),
            slug=slug,
            category=category,
            summary=fields.pop("summary", f"Summary of {slug}."),
            question=fields.pop("question", f"The question of {slug}?"),
            objectives="<p>Objectives.</p>",
            expected_outcomes=["networking"],
            start_date=start or days(-10),
            end_date=end,
            working_group=working_group,
            countries=list(countries),
            live=live,
            **fields,
        )
    )
    if tags:
        cluster.tags.add(*tags)
    revision = cluster.save_revision()
    if live:
        revision.publish()
    cluster.refresh_from_db()
    return cluster


# Named fixtures (``name=``): the other test files import them without shadowing their names.
@pytest.fixture(name="tree")
def tree_fixture():
    return build_tree()


@pytest.fixture(name="catalogue")
def catalogue_fixture(tree):
    """Five clusters of every category and status under the tree's index, in two WGs.

    ==========  ============  =========  ====  =======  ==============================
    slug        category      status     WG    country  tags
    ==========  ============  =========  ====  =======  ==============================
    seagrass    geographical  completed  wg1   HR, IT   seagrass        (2023)
    posidonia   geographical  planned    wg1   FR, ES   seagrass, restoration
    drought     thematic      active     wg2   CY, GR   drought
    wetlands    thematic      completed  wg1   TN       wetlands        (2021–2022)
    review      peer_review   active     wg2   IT       seagrass, peer review (open end)
    ==========  ============  =========  ====  =======  ==============================
    """
    index, wg1 = tree["index"], tree["wg"]
    wg2 = tree["ar"].add_child(
        instance=WorkingGroupPage(
            title="WG2 Climate change", slug="wg2", number=2, theme="Climate change"
        )
    )
    publish(wg2)
    seagrass = tree["cluster"]
    seagrass.start_date = datetime.date(2023, 1, 10)
    seagrass.end_date = datetime.date(2023, 12, 20)
    publish(seagrass)
    clusters = {
        "seagrass": seagrass,
        "posidonia": make_cluster(
            index,
            "posidonia",
            title="Posidonia restoration in the Balearic Sea",
            category="geographical",
            start=days(30),
            end=days(400),
            working_group=wg1,
            countries=["FR", "ES"],
            tags=["seagrass", "restoration"],
        ),
        "drought": make_cluster(
            index,
            "drought",
            title="Drought early warning for farmers",
            category="thematic",
            start=days(-100),
            end=days(100),
            working_group=wg2,
            countries=["CY", "GR"],
            tags=["drought"],
        ),
        "wetlands": make_cluster(
            index,
            "wetlands",
            title="Wetland services in local budgets",
            category="thematic",
            start=datetime.date(2021, 3, 1),
            end=datetime.date(2022, 2, 1),
            working_group=wg1,
            countries=["TN"],
            tags=["wetlands"],
        ),
        "review": make_cluster(
            index,
            "review",
            title="Peer review of the restoration protocols",
            category="peer_review",
            start=days(-50),
            end=None,
            working_group=wg2,
            countries=["IT"],
            tags=["seagrass", "peer review"],
        ),
    }
    return {**tree, "wg2": wg2, "clusters": clusters}


class Links(HTMLParser):
    """The cluster cards' links, selects and their labels, of a listing page."""

    def __init__(self):
        super().__init__()
        self.card_links, self.selects, self.label_for, self.inputs = [], [], set(), []
        self._in_card_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag) and "ar-card__title" in (attrs.get("class") or ""):
            self._in_card_title = True
        elif tag == "a" and self._in_card_title:
            self.card_links.append(attrs["href"])
        elif tag == "select":
            self.selects.append(attrs)
        elif tag == "label":
            self.label_for.add(attrs.get("for"))
        elif tag == "input":
            self.inputs.append(attrs)

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag):
            self._in_card_title = False


def parse(html):
    parser = Links()
    parser.feed(html)
    return parser


def slugs(response):
    """The slugs of the clusters a listing page shows, in order."""
    return [
        href.rstrip("/").rsplit("/", 1)[-1] for href in parse(response.content.decode()).card_links
    ]


def get(client, index, query=""):
    return client.get(index.url + query)


# Every filter alone ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"seagrass", "posidonia", "drought", "wetlands", "review"}),
        ("?category=geographical", {"seagrass", "posidonia"}),
        ("?category=thematic", {"drought", "wetlands"}),
        ("?category=peer_review", {"review"}),
        ("?status=planned", {"posidonia"}),
        ("?status=active", {"drought", "review"}),
        ("?status=completed", {"seagrass", "wetlands"}),
        ("?working_group=wg1", {"seagrass", "posidonia", "wetlands"}),
        ("?working_group=wg2", {"drought", "review"}),
        ("?country=IT", {"seagrass", "review"}),
        ("?country=it", {"seagrass", "review"}),
        ("?country=TN", {"wetlands"}),
        ("?tag=seagrass", {"seagrass", "posidonia", "review"}),
        ("?tag=peer-review", {"review"}),
        ("?year=2021", {"wetlands"}),
        ("?year=2022", {"wetlands"}),
        ("?year=2023", {"seagrass"}),
        ("?q=drought", {"drought"}),
        ("?q=restoration", {"posidonia", "review"}),
    ],
)
def test_each_filter_alone(client, catalogue, query, expected):
    response = get(client, catalogue["index"], query)
    assert response.status_code == 200
    assert set(slugs(response)) == expected


def test_year_counts_clusters_running_during_the_year(client, catalogue):
    response = get(client, catalogue["index"], f"?year={today().year}")
    # Running now: the active one with an end, and the open-ended one.
    assert {"drought", "review"} <= set(slugs(response))
    assert not {"seagrass", "wetlands"} & set(slugs(response))


def test_open_ended_cluster_runs_in_later_years(client, catalogue):
    response = get(client, catalogue["index"], f"?year={today().year + 5}")
    assert "review" in slugs(response) and "drought" not in slugs(response)


def test_valid_values_without_clusters_are_an_empty_result_not_an_error(client, catalogue):
    for query in ("?country=DE", "?year=2024", "?q=nothingmatchesthis"):
        response = get(client, catalogue["index"], query)
        assert response.status_code == 200, query
        html = response.content.decode()
        assert slugs(response) == []
        assert "Nothing matches these filters." in html
        assert 'href="?">Clear all filters</a>' in html


def test_working_group_without_clusters_is_an_empty_result(client, catalogue):
    wg3 = publish(
        catalogue["ar"].add_child(
            instance=WorkingGroupPage(title="WG3", slug="wg3", number=3, theme="Value")
        )
    )
    response = get(client, catalogue["index"], f"?working_group={wg3.slug}")
    assert response.status_code == 200 and slugs(response) == []


# Combined ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?category=geographical&tag=seagrass&status=planned", {"posidonia"}),
        ("?working_group=wg2&country=IT", {"review"}),
        ("?category=thematic&status=completed&year=2021", {"wetlands"}),
        ("?tag=seagrass&q=restoration", {"posidonia", "review"}),
        ("?tag=seagrass&status=completed&country=HR", {"seagrass"}),
        ("?category=thematic&working_group=wg1&status=active", set()),
    ],
)
def test_filters_combine(client, catalogue, query, expected):
    response = get(client, catalogue["index"], query)
    assert response.status_code == 200
    assert set(slugs(response)) == expected


def test_every_filter_at_once(client, catalogue):
    query = (
        "?category=peer_review&status=active&working_group=wg2&country=IT&tag=peer-review"
        f"&year={today().year}&q=protocols&page=1"
    )
    response = get(client, catalogue["index"], query)
    assert response.status_code == 200
    assert slugs(response) == ["review"]


def test_unknown_parameter_names_are_ignored(client, catalogue):
    response = get(client, catalogue["index"], "?utm_source=newsletter&fbclid=abc")
    assert response.status_code == 200
    assert len(slugs(response)) == 5
    assert "Clear all filters" not in response.content.decode()
    response = get(client, catalogue["index"], "?utm_source=newsletter&category=peer_review")
    assert slugs(response) == ["review"]


def test_clusters_are_grouped_by_category_in_order(client, catalogue):
    html = get(client, catalogue["index"]).content.decode()
    headings = re.findall(r'<h2 id="ar-category-([a-z_]+)"', html)
    assert headings == ["geographical", "thematic", "peer_review"]
    # Within a category: newest start first.
    assert slugs(get(client, catalogue["index"], "?category=geographical")) == [
        "posidonia",
        "seagrass",
    ]


def test_search_results_stay_grouped_by_category(client, catalogue):
    html = get(client, catalogue["index"], "?q=restoration").content.decode()
    assert re.findall(r'<h2 id="ar-category-([a-z_]+)"', html) == ["geographical", "peer_review"]


# Counts ------------------------------------------------------------------------------------------


def facet_counts(html):
    """``{category value or "": count}`` from the category links."""
    counts = {}
    nav = html.split('class="ar-facets"', 1)[1].split("</nav>", 1)[0]
    for href, count in re.findall(
        r'<a href="([^"]*)"[^>]*>[^<]*<span class="ar-count">\((\d+) cluster', nav
    ):
        match = re.search(r"category=([a-z_]+)", href)
        counts[match.group(1) if match else ""] = int(count)
    return counts


def test_counts_without_filters(client, catalogue):
    html = get(client, catalogue["index"]).content.decode()
    assert facet_counts(html) == {"": 5, "geographical": 2, "thematic": 2, "peer_review": 1}
    assert re.search(
        r'id="ar-category-thematic">Thematic cluster <span class="ar-count">\(2 clusters\)', html
    )


def test_counts_follow_every_filter_but_the_category(client, catalogue):
    html = get(client, catalogue["index"], "?status=active").content.decode()
    assert facet_counts(html) == {"": 2, "geographical": 0, "thematic": 1, "peer_review": 1}
    html = get(client, catalogue["index"], "?status=active&category=thematic").content.decode()
    # The category chosen does not change the counts of the others: they say what choosing
    # them would show.
    assert facet_counts(html) == {"": 2, "geographical": 0, "thematic": 1, "peer_review": 1}
    assert 'aria-current="true">Thematic cluster' in html
    assert "?status=active&amp;category=geographical" in html  # the other filters are kept
    html = get(client, catalogue["index"], "?q=restoration").content.decode()
    assert facet_counts(html) == {"": 2, "geographical": 1, "thematic": 0, "peer_review": 1}


# Pagination --------------------------------------------------------------------------------------


@pytest.fixture
def two_per_page(monkeypatch):
    monkeypatch.setattr(ClusterIndexPage, "per_page", 2)


def test_pages_of_results(client, catalogue, two_per_page):
    index = catalogue["index"]
    first = get(client, index)
    assert slugs(first) == ["posidonia", "seagrass"]
    html = first.content.decode()
    assert '<a href="?page=2" aria-current="page">' not in html
    assert 'rel="next" href="?page=2"' in html
    assert "Clusters 1 to 2 of 5" in html
    third = get(client, index, "?page=3")
    assert third.status_code == 200 and slugs(third) == ["review"]
    assert 'href="?page=3" aria-current="page"' in third.content.decode()
    filtered = get(client, index, "?tag=seagrass&page=2")
    assert slugs(filtered) == ["review"]
    assert 'rel="prev" href="?tag=seagrass"' in filtered.content.decode()


@pytest.mark.parametrize("page", ["0", "999", "abc", "-1", "1.5", ""])
def test_pagination_edges(client, catalogue, two_per_page, page):
    response = get(client, catalogue["index"], f"?page={page}")
    if page == "":
        assert response.status_code == 200  # an empty parameter is no parameter
        return
    assert response.status_code == 400
    html = response.content.decode()
    assert "could not be understood" in html
    assert "page" in html.lower()


# Bad values --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, message",
    [
        ("?category=volcanic", "“volcanic” is not a category of clusters"),
        ("?category=Thematic", "is not a category of clusters"),
        ("?status=ongoing", "“ongoing” is not a status"),
        ("?working_group=wg9", "There is no working group “wg9”"),
        ("?working_group=../../etc", "There is no working group"),
        ("?country=XX", "“XX” is not a country code"),
        ("?country=FRA", "“FRA” is not a country code"),
        ("?country=F1", "is not a country code"),
        ("?tag=no-such-tag", "No cluster here has the tag “no-such-tag”"),
        ("?year=20x5", "“20x5” is not a year"),
        ("?year=25", "“25” is not a year"),
        ("?year=99999", "is not a year"),
        ("?year=1800", "Choose a year between 2000 and 2100"),
        ("?q=" + "x" * 201, "too long"),
        ("?page=0", "not a page number"),
    ],
)
def test_bad_values_answer_400_with_a_message(client, catalogue, query, message):
    response = get(client, catalogue["index"], query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert slugs(response) == []
    assert '<form method="get"' in html  # the visitor can correct the filters right there


def test_several_bad_values_are_all_reported(client, catalogue):
    html = get(client, catalogue["index"], "?category=x&status=y&year=z").content.decode()
    for label in ("Category:", "Status:", "Year:"):
        assert label in html


def test_bad_values_are_escaped_and_shortened(client, catalogue):
    response = get(client, catalogue["index"], "?category=<script>alert(1)</script>" + "a" * 300)
    assert response.status_code == 400
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)" in html
    assert "a" * 100 not in html


def test_tag_of_a_draft_cluster_is_unknown(client, catalogue):
    make_cluster(catalogue["index"], "secret", tags=["only-on-a-draft"], live=False)
    response = get(client, catalogue["index"], "?tag=only-on-a-draft")
    assert response.status_code == 400


# The form ----------------------------------------------------------------------------------------


def test_filter_form_works_without_javascript(client, catalogue):
    html = get(client, catalogue["index"], "?tag=seagrass&country=IT").content.decode()
    parsed = parse(html)
    assert '<form method="get"' in html
    assert '<button type="submit"' in html
    names = {select["name"] for select in parsed.selects}
    assert names == {"category", "status", "working_group", "country", "tag", "year"}
    for control in parsed.selects + [i for i in parsed.inputs if i.get("type") == "search"]:
        assert control["id"] in parsed.label_for, control
    assert '<option value="seagrass" selected>seagrass</option>' in html
    assert '<option value="IT" selected>Italy</option>' in html
    assert 'value="wg2"' in html and "WG2 Climate change" in html
    assert "<script" not in html.split("<body", 1)[1]


def test_a_valid_country_without_clusters_stays_selected(client, catalogue):
    html = get(client, catalogue["index"], "?country=de").content.decode()
    assert '<option value="DE" selected>Germany</option>' in html


def test_listing_pages_have_an_ordered_outline(client, catalogue, two_per_page):
    for query in ("", "?page=2", "?status=active", "?category=volcanic", "?country=DE"):
        parsed = outline(get(client, catalogue["index"], query).content.decode())
        assert parsed.headings.count(1) == 1
        for previous, current in zip(parsed.headings, parsed.headings[1:], strict=False):
            assert current <= previous + 1, query
        assert len(parsed.ids) == len(set(parsed.ids)), query


def test_context_without_a_request(catalogue):
    """The index's context can be built outside a request (the admin's tests do)."""
    context = catalogue["index"].get_context(None)
    groups = {value: clusters for value, _label, clusters in context["clusters_by_category"]}
    assert {c.slug for c in groups["thematic"]} == {"drought", "wetlands"}


# Query budget ------------------------------------------------------------------------------------


def clone_clusters(template, count, translation_keys=None):
    """``count`` copies of the published cluster ``template`` beside it (its tags included),
    inserted in bulk: fast enough for a thousand clusters on SQLite. ``translation_keys``
    (``count`` of them): the copies are translations of the pages that have these keys.
    Returns the copies' keys, in the order of their numbers."""
    parent = Page.objects.get(pk=template.get_parent().pk)
    now = timezone.now()
    page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
    pages = []
    for number in range(1, count + 1):
        page = Page(**{f.attname: getattr(template, f.attname) for f in page_fields})
        slug = f"{template.slug}-copy-{number}"
        page.path = ClusterPage._get_path(parent.path, parent.depth + 1, parent.numchild + number)
        page.depth = parent.depth + 1
        page.numchild = 0
        page.slug = slug
        page.url_path = f"{parent.url_path}{slug}/"
        page.translation_key = translation_keys[number - 1] if translation_keys else uuid.uuid4()
        page.first_published_at = page.last_published_at = now
        page.latest_revision_id = page.live_revision_id = None
        pages.append(page)
    Page.objects.bulk_create(pages)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + count)
    created = Page.objects.filter(path__in=[page.path for page in pages])
    local_fields = [f for f in ClusterPage._meta.local_concrete_fields if not f.primary_key]
    tag_ids = [tag.pk for tag in template.tags.all()]
    tagged = []
    for page in created:
        cluster = ClusterPage(
            page_ptr_id=page.pk, **{f.attname: getattr(template, f.attname) for f in local_fields}
        )
        cluster.save_base(raw=True, force_insert=True)  # this table only; the search index too
        tagged += [ClusterPageTag(content_object_id=page.pk, tag_id=tag_id) for tag_id in tag_ids]
    ClusterPageTag.objects.bulk_create(tagged)
    # Raw saves skip the search index: add the copies to it in bulk.
    get_search_backend().add_bulk(ClusterPage, list(ClusterPage.objects.filter(pk__in=created)))
    return list(created.order_by("path").values_list("pk", flat=True))


def count_queries(client, url):
    client.get(url)  # warm the caches (site root paths) the way a running site has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries.captured_queries), response


@pytest.fixture
def budget_clusters(tree):
    template = make_cluster(
        tree["index"],
        "budget",
        title="Budget cluster on seagrass meadows",
        category="geographical",
        start=days(-30),
        end=days(300),
        working_group=tree["wg"],
        countries=["FR", "IT"],
        tags=["budget"],
    )
    clone_clusters(template, 9)
    return tree, template


EVERY_FILTER = (
    "?category=geographical&status=active&working_group=wg1&country=FR&tag=budget"
    "&year={year}&q=budget&page=1"
)


def test_listing_query_budget_does_not_grow_with_clusters(client, budget_clusters):
    tree, template = budget_clusters
    url = tree["index"].url + EVERY_FILTER.format(year=today().year)
    plain_url = tree["index"].url
    with_10, response = count_queries(client, url)
    assert len(slugs(response)) == 10
    plain_10, _ = count_queries(client, plain_url)

    clone_clusters(ClusterPage.objects.get(pk=template.pk), 990)
    assert ClusterPage.objects.live().filter(tags__slug="budget").count() == 1000
    with_1000, response = count_queries(client, url)
    assert len(slugs(response)) == 12  # a full page of the 1,000
    assert "Clusters 1 to 12 of 1000" in response.content.decode()
    plain_1000, _ = count_queries(client, plain_url)

    print(f"listing queries, every filter: {with_10} with 10 clusters, {with_1000} with 1,000")
    print(f"listing queries, no filter: {plain_10} with 10 clusters, {plain_1000} with 1,000")
    assert with_10 == with_1000
    assert plain_10 == plain_1000
