"""Site settings (AmplificationRoomSettings): what a site's editors set, with the Django settings
as defaults, per site."""

import json
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page, Site

from wagtail_ar import cache, site_settings
from wagtail_ar.conf import settings as ar_settings
from wagtail_ar.dashboard import AmplificationRoomPanel
from wagtail_ar.forum.mail import moderator_addresses, notify_moderators
from wagtail_ar.models import AmplificationRoomSettings, CommunityMapPage, ForumPage
from wagtail_ar.site_settings import site_value

from .utils import build_tree, make_forum_post

pytestmark = pytest.mark.django_db

SECOND_HOST = "second.example.org"
OTHER_TILES = "https://tiles.example.org/{z}/{x}/{y}.png"


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def default_site():
    return Site.objects.get(is_default_site=True)


@pytest.fixture
def second_site():
    """Another site (its own host and root page) with a community map and a forum."""
    home = Page.objects.get(depth=1).add_child(instance=Page(title="Second home", slug="second"))
    home.add_child(instance=CommunityMapPage(title="Second map", slug="map"))
    forum = home.add_child(instance=ForumPage(title="Second forum", slug="forum"))
    site = Site.objects.create(hostname=SECOND_HOST, port=80, root_page=home)
    return {"site": site, "forum": forum}


def map_config_of(html, config_id="ar-map-config"):
    match = re.search(rf'<script id="{config_id}" type="application/json">(.*?)</script>', html)
    assert match, f"no {config_id}"
    return json.loads(match.group(1))


def map_config(response):
    assert response.status_code == 200
    return map_config_of(response.content.decode())


def request_for(host="localhost"):
    return RequestFactory().get("/", HTTP_HOST=host)


# Fallback and precedence -----------------------------------------------------------------------


def test_blank_values_fall_back_to_the_django_settings(settings, default_site):
    settings.WAGTAIL_AR_FORUM_MODERATORS = ["django@example.org"]
    settings.WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR = 3
    settings.WAGTAIL_AR_TILE_URL = OTHER_TILES
    settings.WAGTAIL_AR_TILE_ATTRIBUTION = "Django tiles"
    settings.WAGTAIL_AR_MAP_CENTER = {"lat": 1.0, "lng": 2.0}
    settings.WAGTAIL_AR_MAP_ZOOM = 4
    expected = {
        "FORUM_MODERATORS": ["django@example.org"],
        "MIN_ACTIVITIES_PER_YEAR": 3,
        "TILE_URL": OTHER_TILES,
        "TILE_ATTRIBUTION": "Django tiles",
        "MAP_CENTER": {"lat": 1.0, "lng": 2.0},
        "MAP_ZOOM": 4,
    }
    # No row for the site, then a row with every field blank.
    for blank_row in (False, True):
        if blank_row:
            AmplificationRoomSettings.objects.create(site=default_site)
        for name, value in expected.items():
            assert site_value(name, site=default_site) == value, name
            assert site_value(name, request=request_for()) == value, name
    assert site_value("TILE_URL") == OTHER_TILES  # neither site nor request


def test_a_site_value_wins(settings, default_site):
    settings.WAGTAIL_AR_FORUM_MODERATORS = ["django@example.org"]
    AmplificationRoomSettings.objects.create(
        site=default_site,
        forum_moderators="one@example.org\ntwo@example.org, three@example.org",
        min_activities_per_year=0,
        tile_url="/tiles/{z}/{x}/{y}.png",
        tile_attribution="Tiles <b>by</b> us",
        map_latitude=43.3,
        map_longitude=5.4,
        map_zoom=0,
    )
    assert site_value("FORUM_MODERATORS", site=default_site) == [
        "one@example.org",
        "two@example.org",
        "three@example.org",
    ]
    # 0 is a value, not a blank.
    assert site_value("MIN_ACTIVITIES_PER_YEAR", site=default_site) == 0
    assert site_value("MAP_ZOOM", site=default_site) == 0
    assert site_value("TILE_URL", site=default_site) == "/tiles/{z}/{x}/{y}.png"
    # Leaflet shows the attribution as HTML: an editor's text stays text.
    assert site_value("TILE_ATTRIBUTION", site=default_site) == "Tiles &lt;b&gt;by&lt;/b&gt; us"
    assert site_value("MAP_CENTER", site=default_site) == {"lat": 43.3, "lng": 5.4}
    with pytest.raises(AttributeError):
        site_value("BASE_TEMPLATE", site=default_site)


def test_without_wagtail_contrib_settings_the_django_settings_are_read(
    default_site, monkeypatch, django_assert_num_queries
):
    AmplificationRoomSettings.objects.create(site=default_site, tile_url=OTHER_TILES)
    monkeypatch.setattr(site_settings, "is_enabled", lambda: False)
    with django_assert_num_queries(0):
        assert site_value("TILE_URL", site=default_site) == ar_settings.TILE_URL
        assert site_value("TILE_URL", request=request_for()) == ar_settings.TILE_URL


def test_the_lookup_is_cached_on_the_request_and_creates_no_row(
    default_site, django_assert_num_queries
):
    request = request_for()
    Site.find_for_request(request)  # Wagtail keeps the site on the request
    with django_assert_num_queries(1):
        for name in site_settings.NAMES:
            site_value(name, request=request)
    assert not AmplificationRoomSettings.objects.exists()


# Two sites --------------------------------------------------------------------------------------


def test_each_site_has_its_own_map_tiles_and_view(client, tree, default_site, second_site):
    AmplificationRoomSettings.objects.create(
        site=default_site, tile_url=OTHER_TILES, map_latitude=43.3, map_longitude=5.4, map_zoom=8
    )
    AmplificationRoomSettings.objects.create(
        site=second_site["site"], tile_url="/second/{z}/{x}/{y}.png", tile_attribution="Second"
    )
    first = map_config(client.get(tree["map"].url))
    assert (first["tileUrl"], first["center"], first["zoom"]) == (OTHER_TILES, [43.3, 5.4], 8)
    second = map_config(client.get("/map/", HTTP_HOST=SECOND_HOST))
    assert second["tileUrl"] == "/second/{z}/{x}/{y}.png"
    assert second["attribution"] == "Second"
    assert second["center"] == [38.0, 15.0] and second["zoom"] == 5  # the Django defaults
    # And the first site again: the cache of one site's page does not serve the other.
    assert map_config(client.get(tree["map"].url))["tileUrl"] == OTHER_TILES


def test_moderators_of_the_posts_site_are_mailed(settings, tree, default_site, second_site):
    settings.WAGTAIL_AR_FORUM_MODERATORS = ["django@example.org"]
    AmplificationRoomSettings.objects.create(
        site=second_site["site"], forum_moderators="second@example.org"
    )
    notify_moderators(make_forum_post(tree["forum"]))
    notify_moderators(make_forum_post(second_site["forum"]))
    assert [message.to for message in mail.outbox] == [
        ["django@example.org"],
        ["second@example.org"],
    ]
    assert moderator_addresses(second_site["site"]) == ["second@example.org"]


def test_a_post_sent_through_the_form_goes_to_the_sites_moderators(
    client, tree, default_site, commit_each_request
):
    from .test_forum import send_post

    AmplificationRoomSettings.objects.create(
        site=default_site, forum_moderators="site-moderator@example.org"
    )
    assert send_post(client, tree).status_code == 302
    assert [message.to for message in mail.outbox] == [["site-moderator@example.org"]]


def test_the_dashboard_rule_uses_the_sites_minimum(settings, admin_user, tree, default_site):
    settings.WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR = 2
    request = request_for()
    request.user = admin_user
    assert [group.pk for group in AmplificationRoomPanel(request).working_groups_below_minimum()]
    AmplificationRoomSettings.objects.create(site=default_site, min_activities_per_year=0)
    request = request_for()
    request.user = admin_user
    panel = AmplificationRoomPanel(request)
    assert panel.working_groups_below_minimum() == []
    assert panel.get_context_data()["minimum_activities"] == 0
    assert not tree["wg"].is_below_minimum()


# The admin --------------------------------------------------------------------------------------


def edit_url(site):
    return reverse(
        "wagtailsettings:edit", args=["wagtail_ar", "amplificationroomsettings", site.pk]
    )


VALID = {
    "forum_moderators": "",
    "min_activities_per_year": "",
    "tile_url": "",
    "tile_attribution": "",
    "map_latitude": "",
    "map_longitude": "",
    "map_zoom": "",
}


def test_the_settings_are_edited_in_the_admin(admin_client, default_site):
    assert admin_client.get(edit_url(default_site)).status_code == 200
    data = VALID | {
        "forum_moderators": "a@example.org\nb@example.org",
        "min_activities_per_year": "3",
        "tile_url": OTHER_TILES,
        "map_latitude": "43.3",
        "map_longitude": "5.4",
        "map_zoom": "7",
    }
    response = admin_client.post(edit_url(default_site), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = AmplificationRoomSettings.objects.get(site=default_site)
    assert (saved.min_activities_per_year, saved.tile_url, saved.map_zoom) == (3, OTHER_TILES, 7)
    assert site_value("FORUM_MODERATORS", site=default_site) == ["a@example.org", "b@example.org"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("forum_moderators", "moderator@example.org\nnot an address"),
        ("min_activities_per_year", "-1"),
        ("min_activities_per_year", "many"),
        ("tile_url", "https://tiles.example.org/{z}/{x}.png"),
        ("tile_url", "javascript:alert(1)//{z}/{x}/{y}"),
        ("tile_url", "tiles/{z}/{x}/{y}.png"),
        ("tile_url", "https://tiles.example.org/{z}/{x}/{y}.png onerror"),
        ("map_latitude", "91"),
        ("map_longitude", "-180.5"),
        ("map_zoom", "20"),
    ],
)
def test_invalid_values_are_form_errors(admin_client, default_site, field, value):
    data = VALID | {field: value}
    if field == "map_latitude":
        data["map_longitude"] = "5"
    if field == "map_longitude":
        data["map_latitude"] = "5"
    response = admin_client.post(edit_url(default_site), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not AmplificationRoomSettings.objects.filter(**{f"{field}__isnull": False}).exclude(
        **{field: ""} if field in ("forum_moderators", "tile_url") else {}
    )


def test_half_a_centre_is_a_form_error(admin_client, default_site):
    response = admin_client.post(edit_url(default_site), VALID | {"map_latitude": "43"})
    assert response.status_code == 200
    assert "map_longitude" in response.context["form"].errors


# Caching and cost -------------------------------------------------------------------------------


def test_saving_the_settings_clears_the_cache(client, settings, tree, default_site):
    settings.WAGTAIL_AR_CACHE_TIMEOUT = 300
    url = tree["map"].url
    assert map_config(client.get(url))["tileUrl"] == ar_settings.TILE_URL
    before = cache.generation()
    site_setting = AmplificationRoomSettings.objects.create(site=default_site)
    assert cache.generation() != before
    site_setting.tile_url = OTHER_TILES
    site_setting.save()
    assert map_config(client.get(url))["tileUrl"] == OTHER_TILES


def test_the_lookup_adds_at_most_one_query_to_a_map_page(
    client, settings, tree, default_site, monkeypatch
):
    settings.WAGTAIL_AR_CACHE_TIMEOUT = 0
    AmplificationRoomSettings.objects.create(site=default_site, tile_url=OTHER_TILES)
    url = tree["map"].url
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    with_settings = count()
    monkeypatch.setattr(site_settings, "is_enabled", lambda: False)
    without = count()
    assert with_settings - without <= 1


def test_map_blocks_and_activity_maps_use_the_sites_tiles(client, tree, default_site):
    from .test_map import landing_with_maps

    AmplificationRoomSettings.objects.create(
        site=default_site, tile_url=OTHER_TILES, map_latitude=43.3, map_longitude=5.4, map_zoom=8
    )
    landing_with_maps(
        tree,
        {"show": "organisations"},
        {"show": "place", "latitude": 1.0, "longitude": 2.0, "zoom": 12},
    )
    html = client.get(tree["ar"].url).content.decode()
    first = map_config_of(html, "ar-map-block-1-config")
    assert (first["tileUrl"], first["center"], first["zoom"]) == (OTHER_TILES, [43.3, 5.4], 8)
    # A block's own view wins over the site's.
    second = map_config_of(html, "ar-map-block-2-config")
    assert (second["tileUrl"], second["center"], second["zoom"]) == (OTHER_TILES, [1.0, 2.0], 12)
    activity = tree["activity"].specific
    assert activity.map_config(request_for())["tileUrl"] == OTHER_TILES
    assert activity.map_config()["tileUrl"] == ar_settings.TILE_URL  # no request: Django's
