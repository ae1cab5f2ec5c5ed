"""The cache of wagtail_ar: hits make no query, every invalidating event empties it, and nothing
private, previewed, posted or edited is ever served from it to someone else.

Runs on the test settings' cache (local memory, or Redis when REDIS_URL is set).
"""

import json
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.base import BaseCache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.models import Page, PageViewRestriction

from wagtail_ar import cache
from wagtail_ar.map.views import community_map_geojson
from wagtail_ar.models import ClusterIndexPage, ClusterPage, Organisation, ThematicProject

from .utils import TODAY, build_tree, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def anonymous_get(path="/", data=None):
    request = RequestFactory().get(path, data or {})
    request.user = AnonymousUser()
    return request


def captured(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    return response, [query["sql"] for query in queries]


def touches(queries, table):
    return any(f'"{table}"' in sql for sql in queries)


def listing_html(client, index):
    response = client.get(index.url)
    assert response.status_code == 200
    return response.content.decode()


def feature_ids(client, page, query=""):
    response = client.get(page.url + "geojson/" + query)
    assert response.status_code == 200
    return {feature["id"] for feature in json.loads(response.content)["features"]}


# Hits -------------------------------------------------------------------------------------------


def test_a_geojson_hit_makes_no_sql_query(tree, django_assert_num_queries):
    make_organisation("Posidonia NGO", roles=("ap",), country="ES", lat=39.5, lng=2.6)
    request = anonymous_get(data={"role": "ap"})
    with CaptureQueriesContext(connection) as miss:
        first = community_map_geojson(request, tree["map"])
    assert 1 <= len(miss) <= 2
    with django_assert_num_queries(0):
        second = community_map_geojson(anonymous_get(data={"role": "ap"}), tree["map"])
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert len(json.loads(second.content)["features"]) == 1


def test_the_whole_geojson_request_on_a_hit_reads_no_organisation(client, tree):
    """Wagtail finds the site and the page before the view runs (its routing queries stay);
    the view itself reads nothing more on a hit."""
    url = tree["map"].url + "geojson/"
    _response, miss = captured(client, url)
    response, hit = captured(client, url)
    assert response.status_code == 200
    assert touches(miss, "wagtail_ar_organisation")
    assert not touches(hit, "wagtail_ar_organisation")
    assert not touches(hit, "wagtailcore_pageviewrestriction") or len(hit) < len(miss)
    print(f"GeoJSON request: {len(miss)} queries on a miss, {len(hit)} on a hit (routing)")


def test_hits_of_listing_factsheet_details_feeds_and_calendars_skip_the_content(client, tree):
    urls = {
        "listing": (
            tree["index"].url + "?category=geographical&q=seagrass",
            "wagtail_ar_clusterparticipant",
        ),
        "factsheet": (tree["cluster"].url, "wagtail_ar_clusterparticipant"),
        "marker details": (
            tree["map"].url + f"organisations/{tree['lead'].pk}/",
            "wagtail_ar_organisation",
        ),
        "rss": (tree["index"].url + "feed/", "taggit_tag"),
        "ical": (tree["activities"].url + "ical/", "wagtail_ar_activitypage"),
        "activity ical": (tree["activity"].url + "ical/", "wagtail_ar_activitypage_organisers"),
    }
    for name, (url, table) in urls.items():
        first, miss = captured(client, url)
        second, hit = captured(client, url)
        assert first.status_code == second.status_code == 200, name
        assert second.content == first.content, name
        assert len(hit) < len(miss), (name, len(hit), len(miss))
        if name != "listing":
            assert touches(miss, table), name
            assert not touches(hit, table), name


def test_keys_follow_language_site_and_normalised_query():
    params = {"type", "role"}

    def key(request):
        return cache.make_key(request, "geojson", params=params)

    plain = key(anonymous_get("/map/geojson/", {"type": "ngo"}))
    same = key(anonymous_get("/map/geojson/", {"role": "", "type": "ngo", "utm_source": "x"}))
    other = key(anonymous_get("/map/geojson/", {"type": "research"}))
    assert plain == same != other
    assert plain.startswith("wagtail_ar:geojson:")
    # A parameter the cached thing does not understand is not in its key.
    assert key(anonymous_get("/map/geojson/", {"type": "ngo", "junk": "1"})) == plain
    with translation.override("fr"):
        assert key(anonymous_get("/map/geojson/", {"type": "ngo"})) != plain
    elsewhere = RequestFactory().get("/map/geojson/", {"type": "ngo"}, HTTP_HOST="other.example")
    assert key(elsewhere) != plain


# Invalidation -----------------------------------------------------------------------------------


def new_cluster(index, slug, title, live=True):
    return index.add_child(
        instance=ClusterPage(
            title=title,
            slug=slug,
            category="geographical",
            summary="A cluster.",
            question="Why?",
            objectives="<p>Map the wetlands.</p>",
            start_date=TODAY,
            live=live,
        )
    )


def test_publishing_a_page_invalidates(client, tree):
    draft = new_cluster(tree["index"], "wetlands", "Wetlands of the Camargue", live=False)
    assert "Wetlands of the Camargue" not in listing_html(client, tree["index"])
    draft.save_revision().publish()
    assert "Wetlands of the Camargue" in listing_html(client, tree["index"])


def test_unpublishing_a_page_invalidates(client, tree):
    assert "Seagrass meadows of the Adriatic" in listing_html(client, tree["index"])
    tree["cluster"].unpublish()
    assert "Seagrass meadows of the Adriatic" not in listing_html(client, tree["index"])


def test_moving_a_page_invalidates(client, tree):
    other = tree["ar"].add_child(instance=ClusterIndexPage(title="Other clusters", slug="other"))
    assert "Seagrass meadows of the Adriatic" in listing_html(client, tree["index"])
    assert "Seagrass meadows of the Adriatic" not in listing_html(client, other)
    ClusterPage.objects.get(pk=tree["cluster"].pk).move(other, pos="last-child")
    assert "Seagrass meadows of the Adriatic" not in listing_html(client, tree["index"])
    assert "Seagrass meadows of the Adriatic" in listing_html(client, other)


def test_deleting_a_page_invalidates(client, tree):
    rss = tree["index"].url + "feed/"
    assert "Seagrass meadows of the Adriatic" in client.get(rss).content.decode()
    ClusterPage.objects.get(pk=tree["cluster"].pk).delete()
    assert "Seagrass meadows of the Adriatic" not in client.get(rss).content.decode()


def test_saving_a_snippet_invalidates(client, tree):
    url = tree["map"].url + f"organisations/{tree['lead'].pk}/"
    assert "Regione Campania" in client.get(url).content.decode()
    lead = Organisation.objects.get(pk=tree["lead"].pk)
    lead.name = "Regione Campania, Directorate for the environment"
    lead.save()
    assert "Directorate for the environment" in client.get(url).content.decode()
    # The factsheet names its lead partner too.
    assert "Directorate for the environment" in client.get(tree["cluster"].url).content.decode()


def test_deleting_a_snippet_invalidates(client, tree):
    member = tree["member"]
    assert member.pk in feature_ids(client, tree["map"])
    Organisation.objects.get(pk=member.pk).delete()
    assert member.pk not in feature_ids(client, tree["map"])


def test_publishing_a_snippet_invalidates(client, tree):
    project = ThematicProject.objects.get(pk=tree["project"].pk)
    assert "MPA4Change" in client.get(tree["cluster"].url).content.decode()
    project.acronym = "MPA4Nature"
    project.save_revision().publish()
    assert "MPA4Nature" in client.get(tree["cluster"].url).content.decode()


def test_saving_a_draft_revision_does_not_invalidate(tree):
    before = cache.generation()
    cluster = ClusterPage.objects.get(pk=tree["cluster"].pk)
    cluster.title = "A draft title"
    cluster.save_revision()
    assert cache.generation() == before


def test_every_other_model_of_the_app_invalidates_when_saved_or_deleted():
    """Snippets, participants, forum posts…: any model of wagtail_ar that is not a page."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import Page

    models = [
        model
        for model in apps.get_app_config("wagtail_ar").get_models()
        if not issubclass(model, Page)
    ]
    assert Organisation in models
    for model in models:
        assert post_save.has_listeners(model), model
        assert post_delete.has_listeners(model), model


def test_invalidate_is_public_and_bumps_the_generation():
    before = cache.generation()
    cache.invalidate()
    assert cache.generation() != before


# Never cached for others ------------------------------------------------------------------------


def restrict(page, kind, password="secret"):  # noqa: S107 - a test password
    return PageViewRestriction.objects.create(
        page=page, restriction_type=kind, password=password if kind == "password" else ""
    )


def test_private_page_never_served_from_cache_to_an_anonymous_visitor(client, tree):
    restrict(tree["map"], PageViewRestriction.PASSWORD)
    url = tree["map"].url + "geojson/"
    # A visitor who knows the password sees the map's organisations, twice from the database.
    insider = client
    restriction = PageViewRestriction.objects.get(page=tree["map"])
    session = insider.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    first, miss = captured(insider, url)
    assert first.status_code == 200 and first["Content-Type"] == "application/geo+json"
    assert "private" in first["Cache-Control"]
    _second, again = captured(insider, url)
    assert touches(again, "wagtail_ar_organisation"), "a private map was stored"
    # Another anonymous visitor gets the password form, never the cached or uncached map.
    from django.test import Client

    stranger = Client().get(url)
    assert stranger["Content-Type"] != "application/geo+json"
    assert b"FeatureCollection" not in stranger.content


def test_a_page_made_private_is_no_longer_served_from_cache(client, tree):
    url = tree["map"].url + "geojson/"
    assert client.get(url)["Content-Type"] == "application/geo+json"
    restrict(tree["map"], PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 302
    assert b"FeatureCollection" not in response.content


def test_private_factsheet_is_never_stored(tree):
    restrict(tree["cluster"], PageViewRestriction.PASSWORD)
    page = ClusterPage.objects.get(pk=tree["cluster"].pk)
    page.get_context(anonymous_get(tree["cluster"].url))
    with CaptureQueriesContext(connection) as second:
        page.get_context(anonymous_get(tree["cluster"].url))
    assert touches([query["sql"] for query in second], "wagtail_ar_clusterparticipant")


def test_a_preview_is_never_cached(client, tree):
    cluster = ClusterPage.objects.get(pk=tree["cluster"].pk)
    cluster.summary = "A DRAFT SUMMARY NOBODY SHOULD SEE"
    cluster.tags.add("draft-only-tag")
    # make_preview_request() without a request is an anonymous GET of the page's own URL:
    # only ``is_preview`` tells it apart from a visitor.
    preview = cluster.make_preview_request()
    assert b"draft-only-tag" in preview.content
    published = client.get(tree["cluster"].url).content
    assert b"draft-only-tag" not in published
    assert cache.can_use_cache(anonymous_get()) is True
    request = anonymous_get()
    request.is_preview = True
    assert cache.can_use_cache(request) is False


def test_a_post_is_never_cached(client, tree):
    url = tree["map"].url + "geojson/"
    assert client.post(url).status_code == 200
    _response, queries = captured(client, url)
    assert touches(queries, "wagtail_ar_organisation"), "the POST's answer was stored"


def test_logged_in_editors_neither_write_nor_read_the_cache(client, tree, admin_user):
    from django.test import Client

    editor = Client()
    editor.force_login(admin_user)
    url = tree["map"].url + "geojson/"
    editor.get(url)
    _response, queries = captured(client, url)
    assert touches(queries, "wagtail_ar_organisation"), "an editor's answer was stored"
    # A change that sends no signal: visitors keep the cached map, the editor sees it at once.
    Organisation.objects.filter(pk=tree["member"].pk).update(live=False)
    assert tree["member"].pk in feature_ids(client, tree["map"])
    response = editor.get(url)
    assert tree["member"].pk not in {f["id"] for f in json.loads(response.content)["features"]}


class BrokenCache(BaseCache):
    """A cache whose server is down."""

    def __init__(self, *args, **kwargs):
        super().__init__({})

    def get(self, *args, **kwargs):
        raise ConnectionError("cache down")

    add = set = incr = delete = clear = get


def test_a_broken_cache_does_not_break_the_site(client, tree, settings):
    settings.CACHES = {
        **settings.CACHES,
        "broken": {"BACKEND": "tests.test_cache.BrokenCache"},
    }
    settings.WAGTAIL_AR_CACHE_ALIAS = "broken"
    for url in (tree["map"].url + "geojson/", tree["index"].url, tree["cluster"].url):
        assert client.get(url).status_code == 200, url
    cluster = ClusterPage.objects.get(pk=tree["cluster"].pk)
    cluster.save_revision().publish()  # invalidate() on a broken cache
    assert client.get(tree["cluster"].url).status_code == 200


def test_timeout_zero_switches_caching_off(client, tree, settings):
    settings.WAGTAIL_AR_CACHE_TIMEOUT = 0
    url = tree["map"].url + "geojson/"
    client.get(url)
    _response, queries = captured(client, url)
    assert touches(queries, "wagtail_ar_organisation")


# Fragments of pages (CachedFragmentsMixin) -----------------------------------------------------

#: The page types whose own HTML is kept for visitors, by their key in build_tree().
FRAGMENT_PAGES = {
    "landing": "ar",
    "working group page": "wg",
    "cluster listing": "index",
    "activity index": "activities",
    "map page": "map",
    "factsheet": "cluster",
    "cluster report": "report",
    "activity page": "activity",
}
#: What Wagtail reads to find the site and the page and to check view restrictions.
ROUTING_TABLES = {"wagtailcore_site", "wagtailcore_page", "wagtailcore_pageviewrestriction"}


def routing_tables(page):
    """Wagtail routes from the site's root down, reading each page on the way as its type."""
    return ROUTING_TABLES | {
        ancestor.specific_class._meta.db_table
        for ancestor in page.get_ancestors(inclusive=True)
        if ancestor.specific_class is not None
    }


def tables_read(queries):
    return {table for sql in queries for table in re.findall(r'(?:FROM|JOIN) "(\w+)"', sql)}


def live(tree, name):
    page = tree[FRAGMENT_PAGES[name]]
    return page.specific_class.objects.get(pk=page.pk)


def article(client, url):
    """The page's own part (the host's <title> shows the page's current title)."""
    html = client.get(url).content.decode()
    return html[html.index("<article") : html.index("</article>")]


def retitle_without_signal(page, title):
    """A change that sends no signal: only an entry that was stored goes on showing the old
    title."""
    Page.objects.filter(pk=page.pk).update(title=title)


@pytest.mark.parametrize("name", FRAGMENT_PAGES)
def test_a_hit_of_a_cached_page_makes_only_wagtails_routing_queries(client, tree, name):
    page = live(tree, name)
    first, miss = captured(client, page.url)
    second, hit = captured(client, page.url)
    assert first.status_code == second.status_code == 200
    assert second.content.decode() == first.content.decode()
    assert len(hit) < len(miss)
    assert tables_read(hit) <= routing_tables(page), tables_read(hit)
    assert 'class="ar-page' in second.content.decode()


@pytest.mark.parametrize("query", ["?category=geographical&q=seagrass", "?q=seagrass&page=1"])
def test_a_hit_of_a_filtered_listing_makes_only_routing_queries(client, tree, query):
    url = tree["index"].url + query
    _first, miss = captured(client, url)
    second, hit = captured(client, url)
    client.get(tree["index"].url)
    _again, plain_hit = captured(client, tree["index"].url)
    assert second.status_code == 200
    assert "Seagrass meadows of the Adriatic" in second.content.decode()
    assert tables_read(hit) <= routing_tables(tree["index"])
    # The same routing, whatever the filters.
    assert len(hit) == len(plain_hit) < len(miss)


def test_the_query_string_is_part_of_the_key(client, tree):
    geographical = client.get(tree["index"].url + "?category=geographical").content.decode()
    thematic = client.get(tree["index"].url + "?category=thematic").content.decode()
    assert "Seagrass meadows of the Adriatic" in geographical
    assert "Seagrass meadows of the Adriatic" not in thematic


@pytest.mark.parametrize("name", FRAGMENT_PAGES)
def test_publishing_invalidates_a_cached_page(client, tree, name):
    page = live(tree, name)
    assert page.title in article(client, page.url)
    retitle_without_signal(page, "Changed behind the back of the cache")
    assert "Changed behind the back of the cache" not in article(client, page.url)
    page = live(tree, name)
    page.title = "Published a moment ago"
    page.save_revision().publish()
    assert "Published a moment ago" in article(client, page.url)


def test_publishing_an_activity_invalidates_the_activity_index_and_working_group(client, tree):
    from wagtail_ar.models import ActivityPage

    urls = (tree["activities"].url, tree["wg"].url)
    for url in urls:
        assert "A brand new exchange visit" not in client.get(url).content.decode()
    activity = ActivityPage.objects.get(pk=tree["activity"].pk)
    activity.title = "A brand new exchange visit"
    activity.save_revision().publish()
    assert "A brand new exchange visit" in client.get(tree["activities"].url).content.decode()


def test_saving_a_snippet_invalidates_the_map_page(client, tree):
    url = tree["map"].url
    assert "Regione Campania" in client.get(url).content.decode()
    lead = Organisation.objects.get(pk=tree["lead"].pk)
    lead.name = "Campania Region"
    lead.save()
    assert "Campania Region" in client.get(url).content.decode()


@pytest.mark.parametrize("name", FRAGMENT_PAGES)
def test_a_private_cached_page_is_never_stored_nor_served(client, tree, name):
    from django.test import Client

    page = live(tree, name)
    client.get(page.url)  # stored while public
    restriction = restrict(page, PageViewRestriction.PASSWORD)
    stranger = Client().get(page.url)
    assert 'class="ar-page' not in stranger.content.decode()
    assert b'name="password"' in stranger.content
    # Someone who knows the password reads the database every time.
    insider = Client()
    session = insider.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    assert 'class="ar-page' in insider.get(page.url).content.decode()
    retitle_without_signal(page, "Seen only by insiders")
    assert "Seen only by insiders" in article(insider, page.url)


def test_a_page_below_a_private_section_is_never_stored(client, tree):
    from django.test import Client

    restriction = restrict(tree["ar"], PageViewRestriction.PASSWORD)
    session = client.session
    session[PageViewRestriction.passed_view_restrictions_session_key] = [restriction.pk]
    session.save()
    url = tree["index"].url
    client.get(url)
    _response, again = captured(client, url)
    assert touches(again, "wagtail_ar_clusterpage"), "a page of a private section was stored"
    assert 'class="ar-page' not in Client().get(url).content.decode()


def test_a_cached_page_made_login_only_is_no_longer_served(client, tree):
    url = tree["map"].url
    assert client.get(url).status_code == 200
    restrict(tree["map"], PageViewRestriction.LOGIN)
    response = client.get(url)
    assert response.status_code == 302
    assert b'class="ar-page' not in response.content


def test_logged_in_editors_neither_write_nor_read_cached_pages(client, tree, admin_user):
    from django.test import Client

    editor = Client()
    editor.force_login(admin_user)
    url = tree["index"].url
    editor.get(url)
    _response, queries = captured(client, url)
    assert touches(queries, "wagtail_ar_clusterpage"), "an editor's page was stored"
    retitle_without_signal(tree["index"], "Renamed for editors")
    assert "Renamed for editors" not in article(client, url)
    assert "Renamed for editors" in article(editor, url)


def test_a_listing_with_a_bad_parameter_is_never_stored(client, tree):
    url = tree["index"].url + "?category=nonsense"
    assert client.get(url).status_code == 400
    # A stored page would answer 200, without the message.
    response = client.get(url)
    assert response.status_code == 400
    assert "nonsense" in response.content.decode()


def test_a_post_to_a_cached_page_is_not_stored(client, tree):
    url = tree["wg"].url
    client.post(url)
    _response, queries = captured(client, url)
    assert len(queries) > 0 and tables_read(queries) - ROUTING_TABLES - {
        "wagtail_ar_workinggrouppage"
    }


def test_feeds_below_a_cached_listing_keep_their_own_answer(client, tree):
    client.get(tree["index"].url)
    response = client.get(tree["index"].url + "feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")


def test_a_fragment_using_the_csrf_token_is_never_stored():
    from django.template import RequestContext, Template

    fragments = {}
    request = anonymous_get()
    template = Template(
        '{% load wagtail_ar_tags %}{% wagtail_ar_fragment "form" %}<form method="post">'
        '{% csrf_token %}</form>{% end_wagtail_ar_fragment %}{% wagtail_ar_fragment "text" %}'
        "<p>Hello</p>{% end_wagtail_ar_fragment %}"
    )
    # RequestContext adds the lazy csrf_token, as for every page.
    html = template.render(RequestContext(request, {cache.FRAGMENT_STORE: fragments}))
    assert "csrfmiddlewaretoken" in html
    assert "form" not in fragments and fragments["text"] == "<p>Hello</p>"
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True  # the cookie is still sent


def test_the_fragment_tag_outside_a_cached_page_only_renders():
    from django.template import Context, Template

    template = Template(
        '{% load wagtail_ar_tags %}{% wagtail_ar_fragment "x" %}<p>{{ v }}</p>'
        "{% end_wagtail_ar_fragment %}"
    )
    assert template.render(Context({"v": "plain"})) == "<p>plain</p>"
    hit = Context({"v": "new", cache.FRAGMENTS: {"x": "<p>stored</p>"}})
    assert template.render(hit) == "<p>stored</p>"


def test_filter_choices_are_shared_by_every_query_string_of_the_page(client, tree):
    _first, miss = captured(client, tree["index"].url + "?category=geographical")
    _other, other_miss = captured(client, tree["index"].url + "?category=thematic")
    year_choices = [sql for sql in miss if 'MIN("wagtail_ar_clusterpage"."start_date")' in sql]
    assert year_choices, "the year filter's choices were not read on the first miss"
    assert not [sql for sql in other_miss if 'MIN("wagtail_ar_clusterpage"."start_date")' in sql]
    assert len(other_miss) < len(miss)


def test_a_new_forum_post_awaiting_moderation_leaves_the_cache_alone(tree):
    # Anyone may send one: a stream of posts must not keep every page uncached.
    from .utils import make_forum_post

    before = cache.generation()
    post = make_forum_post(tree["forum"], "pending")
    assert cache.generation() == before
    post.publish()
    published = cache.generation()
    assert published != before
    post.archive()
    assert cache.generation() != published
    before = cache.generation()
    make_forum_post(tree["forum"], "published")
    assert cache.generation() != before
    before = cache.generation()
    post.delete()
    assert cache.generation() != before


def test_the_themes_of_a_pending_post_leave_the_cache_alone(tree):
    # ForumPostForm.save() creates the pending post, then sets its themes.
    from wagtail_ar.models import ForumPost

    from .utils import make_forum_post

    before = cache.generation()
    post = make_forum_post(tree["forum"], "pending")
    post.themes.set([tree["wg"]])
    assert post.themes.count() == 1
    assert cache.generation() == before
    # A post created as published (an import, the admin) is seen at once: it invalidates.
    ForumPost.objects.create(
        forum=tree["forum"],
        status="published",
        **{
            f: getattr(post, f)
            for f in ("kind", "title", "description", "name", "email", "consent_at")
        },
    )
    assert cache.generation() != before
    before = cache.generation()
    post.publish()
    assert cache.generation() != before
    before = cache.generation()
    post.themes.clear()  # a published post's themes are shown
    assert cache.generation() != before
