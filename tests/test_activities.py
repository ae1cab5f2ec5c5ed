"""The activity index (upcoming and past, filters, bad input, pagination) and the activity page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from wagtail.models import PageViewRestriction

from wagtail_ar.geo import format_point
from wagtail_ar.models import ActivityPage, ClusterPage, WorkingGroupPage

from .utils import build_tree, make_organisation

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def at(days, hours=0):
    """A moment ``days`` (and ``hours``) from now, at whole minutes."""
    return (NOW + datetime.timedelta(days=days, hours=hours)).replace(second=0, microsecond=0)


def make_activity(index, slug, start, end=None, publish=True, organisers=(), **fields):
    fields.setdefault("title", slug.replace("-", " ").capitalize())
    fields.setdefault("time_zone", "Europe/Madrid")
    fields.setdefault("format", "online")
    activity = index.add_child(
        instance=ActivityPage(
            slug=slug, start=start, end=end or start + datetime.timedelta(hours=2), **fields
        )
    )
    for organisation in organisers:
        activity.organisers.add(organisation)
    revision = activity.save_revision()
    if publish:
        revision.publish()
    else:
        activity.unpublish()
    activity.refresh_from_db()
    return activity


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def calendar(tree):
    """The build_tree activities, plus upcoming, ongoing, past, draft and private ones."""
    index = tree["activities"]
    spain = make_organisation(
        "Junta de Andalucía", roles=("pp",), lat=37.39, lng=-5.99, country="ES", city="Sevilla"
    )
    wg2 = tree["ar"].add_child(
        instance=WorkingGroupPage(title="WG2 Climate", slug="wg2", number=2, theme="Climate")
    )
    activities = {
        "upcoming": make_activity(
            index, "upcoming-webinar", at(10), working_group=tree["wg"], organisers=[spain]
        ),
        "later": make_activity(index, "later-visit", at(40), format="in_person"),
        "ongoing": make_activity(index, "ongoing-workshop", at(0, -1), at(0, 1), format="hybrid"),
        "past": make_activity(index, "past-meeting", at(-10), working_group=wg2),
        "draft": make_activity(index, "draft-meeting", at(5), publish=False),
        "private": make_activity(index, "private-meeting", at(6), working_group=tree["wg"]),
    }
    PageViewRestriction.objects.create(
        page=activities["private"], restriction_type=PageViewRestriction.LOGIN
    )
    return {**tree, **activities, "spain": spain, "wg2": wg2}


def slugs(response):
    return [activity.slug for activity in response.context["listing"].objects]


def get(client, tree, query=""):
    return client.get(tree["activities"].url + query)


# Upcoming and past --------------------------------------------------------------------------------


def test_upcoming_first_soonest_first_then_past_latest_first(client, calendar):
    response = get(client, calendar)
    assert response.status_code == 200
    # An activity is upcoming until it ends: the ongoing workshop comes first.
    assert slugs(response) == [
        "ongoing-workshop",
        "upcoming-webinar",
        "later-visit",
        "past-meeting",
        "malaga",
    ]
    html = response.content.decode()
    assert html.index("Upcoming activities") < html.index("Ongoing workshop")
    assert html.index("Later visit") < html.index("Past activities") < html.index("Past meeting")


def test_the_split_is_at_now(client, calendar):
    ongoing = calendar["ongoing"]
    ongoing.end = timezone.now() - datetime.timedelta(minutes=1)
    ongoing.save_revision().publish()
    assert "ongoing-workshop" in slugs(get(client, calendar, "?when=past"))
    assert "ongoing-workshop" not in slugs(get(client, calendar, "?when=upcoming"))
    assert ActivityPage.objects.get(pk=ongoing.pk).is_past


def test_when_filter(client, calendar):
    assert slugs(get(client, calendar, "?when=upcoming")) == [
        "ongoing-workshop",
        "upcoming-webinar",
        "later-visit",
    ]
    assert slugs(get(client, calendar, "?when=past")) == ["past-meeting", "malaga"]


def test_no_upcoming_activity_is_said(client, tree):
    html = get(client, tree).content.decode()
    assert "No activities are planned at the moment." in html
    assert "Malaga Institutional dialogue event" in html


# Filters ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?working_group=wg1", ["upcoming-webinar", "malaga"]),
        ("?working_group=wg2", ["past-meeting"]),
        ("?cluster=seagrass", ["malaga"]),
        ("?format=in_person", ["later-visit", "malaga"]),
        ("?format=hybrid", ["ongoing-workshop"]),
        # Spain: an organiser from there. Italy: an organiser (Regione Campania) and the cluster.
        ("?country=ES", ["upcoming-webinar"]),
        ("?country=es", ["upcoming-webinar"]),
        ("?country=IT", ["malaga"]),
        # Croatia: only the cluster of the Malaga event lists it.
        ("?country=HR", ["malaga"]),
        ("?country=FR", []),
        ("?month=2024-11", ["malaga"]),
        ("?month=2024-10", []),
        ("?working_group=wg1&when=past", ["malaga"]),
        ("?working_group=wg1&format=online&country=ES", ["upcoming-webinar"]),
        ("?q=Malaga", ["malaga"]),
        # Unknown parameter names are ignored.
        ("?utm_source=newsletter&working_group=wg2", ["past-meeting"]),
    ],
)
def test_filters(client, calendar, query, expected):
    response = get(client, calendar, query)
    assert response.status_code == 200, response.context["listing"].errors
    assert slugs(response) == expected


def test_month_filter_finds_activities_overlapping_the_month(client, calendar):
    month_of = at(10)
    spanning = make_activity(
        calendar["activities"],
        "spanning-course",
        at(-40),
        at(10),
        title="Spanning course",
    )
    month = timezone.localtime(month_of).strftime("%Y-%m")
    found = slugs(get(client, calendar, f"?month={month}"))
    assert spanning.slug in found and "upcoming-webinar" in found
    before = timezone.localtime(at(-40)).replace(day=1) - datetime.timedelta(days=1)
    assert spanning.slug not in slugs(get(client, calendar, f"?month={before:%Y-%m}"))


def test_a_working_group_without_activities_is_an_empty_result_not_an_error(client, calendar):
    calendar["ar"].add_child(
        instance=WorkingGroupPage(title="WG3 Value", slug="wg3", number=3, theme="Value")
    )
    response = get(client, calendar, "?working_group=wg3")
    assert response.status_code == 200
    assert slugs(response) == []
    assert "Nothing matches these filters." in response.content.decode()


@pytest.mark.parametrize(
    "query, message",
    [
        ("?working_group=wg9", "There is no working group “wg9”"),
        ("?cluster=nope", "There is no cluster “nope”"),
        ("?format=carrier-pigeon", "is not a format of activities"),
        ("?country=XX", "is not a country code"),
        ("?country=Spain", "is not a country code"),
        ("?month=2024-13", "is not a month"),
        ("?month=november", "is not a month"),
        ("?month=2024-1", "is not a month"),
        ("?month=1800-01", "Choose a month between"),
        ("?when=tomorrow", "use upcoming or past"),
        ("?page=0", "not a page number"),
        ("?page=abc", "not a page number"),
        ("?page=99", "There is no page 99"),
        ("?q=" + "x" * 201, "too long"),
    ],
)
def test_bad_values_answer_400_with_a_message(client, calendar, query, message):
    response = get(client, calendar, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'role="alert"' in html
    assert "ar-card--activity" not in html  # the page shows the messages, not results


def test_a_draft_working_group_cannot_be_chosen(client, calendar):
    calendar["wg2"].unpublish()
    assert get(client, calendar, "?working_group=wg2").status_code == 400


def test_menus_offer_only_what_the_activities_have(client, calendar):
    form = get(client, calendar).context["listing"].filterset.form
    assert [key for key, _label in form.fields["working_group"].choices if key] == ["wg1", "wg2"]
    assert [key for key, _label in form.fields["country"].choices if key] == ["HR", "IT", "ES"]
    months = [key for key, _label in form.fields["month"].choices if key]
    assert "2024-11" in months and months == sorted(months, reverse=True)


def test_the_form_is_labelled_and_keeps_the_filters(client, calendar):
    html = get(client, calendar, "?working_group=wg1&format=online").content.decode()
    for name in ("when", "working_group", "cluster", "format", "country", "month"):
        assert f'<label for="id_{name}">' in html, name
    assert '<option value="wg1" selected>' in html
    assert 'href="/amplification-room/activities/ical/?working_group=wg1&amp;format=online"' in html


def test_pagination_keeps_the_filters(client, calendar, settings):
    index = calendar["activities"]
    for day in range(1, 15):
        make_activity(index, f"series-{day}", at(100 + day), format="in_person")
    response = get(client, calendar, "?format=in_person")
    listing = response.context["listing"]
    assert listing.paginator.num_pages == 2
    assert 'href="?format=in_person&amp;page=2"' in response.content.decode()
    second = get(client, calendar, "?format=in_person&page=2")
    assert second.status_code == 200
    assert slugs(second)[-1] == "malaga"


# Nothing draft, private or expired -----------------------------------------------------------------


def test_drafts_private_and_expired_activities_are_never_listed(client, calendar):
    expired = make_activity(calendar["activities"], "expired-meeting", at(3))
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save(update_fields=["expire_at"])
    response = get(client, calendar)
    html = response.content.decode()
    for slug in ("draft-meeting", "private-meeting", "expired-meeting"):
        assert slug not in slugs(response)
        assert slug not in html
    assert response.context["listing"].paginator.count == 5


def test_a_draft_organiser_does_not_place_an_activity_in_its_country(client, calendar):
    calendar["spain"].live = False
    calendar["spain"].save()
    assert slugs(get(client, calendar, "?country=ES")) == []


def test_a_draft_cluster_is_neither_offered_nor_matched(client, calendar):
    calendar["cluster"].unpublish()
    response = get(client, calendar)
    assert [
        k for k, _l in response.context["listing"].filterset.form.fields["cluster"].choices if k
    ] == []
    assert slugs(get(client, calendar, "?country=HR")) == []


# Queries ------------------------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_listing_makes_as_many_queries_for_5_as_for_50_activities(client, tree, settings):
    settings.WAGTAIL_AR_CACHE_TIMEOUT = 0  # the database's queries; cache hits: test_cache
    index = tree["activities"]
    organisation = make_organisation("Org ES", country="ES")
    for n in range(4):
        make_activity(
            index, f"a-{n}", at(n + 1), working_group=tree["wg"], organisers=[organisation]
        )
    client.get(index.url)  # warm caches (site root paths)
    few = count_queries(client, index.url + "?format=online")
    for n in range(4, 49):
        make_activity(
            index, f"a-{n}", at(n + 1), working_group=tree["wg"], organisers=[organisation]
        )
    many = count_queries(client, index.url + "?format=online")
    assert few == many, (few, many)


# The activity page ---------------------------------------------------------------------------------


def test_activity_page_shows_what_a_visitor_needs(client, calendar):
    activity = calendar["upcoming"]
    activity.venue = "Palacio de Ferias"
    activity.address = "Avenida de José Ortega y Gasset 201, Málaga, Spain"
    activity.location = format_point(36.72, -4.42)
    activity.format = "hybrid"
    activity.online_link = "https://meet.example.org/ar"
    activity.registration_link = "https://forms.example.org/register"
    activity.save_revision().publish()
    html = client.get(activity.url).content.decode()
    for text in (
        "Europe/Madrid",
        "Palacio de Ferias",
        "Avenida de José Ortega y Gasset 201",
        "https://meet.example.org/ar",
        "https://forms.example.org/register",
        "Junta de Andalucía",
        calendar["wg"].url,
        activity.url + "ical/",
        "Add to calendar",
        "data-ar-activity-map",
        'data-lat="36.720000"',
        "wagtail_ar/js/activity_map.js",
        "wagtail_ar/vendor/leaflet/leaflet.js",
        "https://www.openstreetmap.org/?mlat=36.720000",
    ):
        assert text in html, text
    # No request leaves for the map before its script runs: no tile <img>, no CDN.
    assert "unpkg.com" not in html and "<img" not in html


def test_activity_times_are_shown_in_the_readers_language_and_the_activitys_zone(client, tree):
    activity = tree["activity"]
    with translation.override("fr"):
        html = client.get(activity.url).content.decode()
    # 10:00 UTC is 11:00 in Málaga in November, whatever the site's or the reader's zone.
    assert 'datetime="2024-11-29T11:00+01:00"' in html
    assert "29 novembre 2024 11:00" in html
    assert "Europe/Madrid" in html and "CET" in html


def test_past_activity_hides_registration_and_says_it_is_over(client, tree):
    activity = tree["activity"]
    activity.registration_link = "https://forms.example.org/register"
    activity.online_link = "https://meet.example.org/ar"
    activity.save_revision().publish()
    html = client.get(activity.url).content.decode()
    assert "Past activity" in html
    assert "https://forms.example.org/register" not in html
    assert "https://meet.example.org/ar" not in html
    assert activity.url + "ical/" in html


def test_activity_without_a_point_has_no_map_and_no_leaflet(client, calendar):
    html = client.get(calendar["upcoming"].url).content.decode()
    assert "data-ar-activity-map" not in html
    assert "leaflet.js" not in html


def test_links_to_draft_or_private_working_groups_and_clusters_are_hidden(client, tree):
    activity = tree["activity"]
    tree["wg"].unpublish()
    PageViewRestriction.objects.create(
        page=ClusterPage.objects.get(pk=tree["cluster"].pk),
        restriction_type=PageViewRestriction.LOGIN,
    )
    html = client.get(activity.url).content.decode()
    assert tree["wg"].url not in html
    assert tree["cluster"].url not in html


def test_activity_venue_name_is_escaped(client, calendar):
    activity = calendar["later"]
    activity.venue = '<img src=x onerror="alert(1)">'
    activity.location = format_point(36.72, -4.42)
    activity.save_revision().publish()
    html = client.get(activity.url).content.decode()
    assert '<img src=x onerror="alert(1)">' not in html
    assert re.search(r'data-marker-label="&lt;img src=x onerror=&quot;alert\(1\)&quot;&gt;"', html)


def test_private_activity_page_asks_for_a_login(client, calendar):
    response = client.get(calendar["private"].url)
    assert response.status_code == 302
