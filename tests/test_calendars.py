"""iCalendar files (RFC 5545): one activity, the whole calendar and its filters, read back with
the icalendar parser."""

import datetime
import zoneinfo
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar
from wagtail.models import PageViewRestriction

from wagtail_ar.cache import invalidate
from wagtail_ar.geo import format_point
from wagtail_ar.models import ActivityIndexPage, ActivityPage

from .test_activities import at, make_activity
from .utils import build_tree, make_organisation

pytestmark = pytest.mark.django_db

MADRID = zoneinfo.ZoneInfo("Europe/Madrid")


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture(autouse=True)
def every_past_activity(settings):
    """The tree's activities have fixed dates (2024) that leave the calendar's window as time
    passes: the whole calendar holds every past activity here, the window has its own test."""
    settings.WAGTAIL_AR_CALENDAR_PAST_DAYS = None


def parse(response):
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def madrid(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=MADRID)


def test_one_activity(client, tree):
    activity = tree["activity"]
    response = client.get(activity.url + "ical/")
    assert response["Content-Disposition"] == 'attachment; filename="malaga.ics"'
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0" and "wagtail-amplification-room" in calendar["PRODID"]
    (event,) = calendar.walk("VEVENT")
    assert event["UID"] == f"activity-{activity.translation_key}@localhost"
    assert event["SUMMARY"] == "Malaga Institutional dialogue event"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    # Stored 10:00 UTC; written as 11:00 in Madrid, with its TZID.
    assert start == datetime.datetime(2024, 11, 29, 10, tzinfo=datetime.timezone.utc)
    assert (start.hour, str(start.tzinfo)) == (11, "Europe/Madrid")
    assert end - start == datetime.timedelta(hours=7)
    assert event["DTSTART"].params["TZID"] == "Europe/Madrid"
    url = "http://localhost/amplification-room/activities/malaga/"
    assert event["URL"] == url
    assert url in event["DESCRIPTION"]
    assert "Regione Campania" in event["DESCRIPTION"]
    assert "WG1 Connectivity of ecosystems" in event["DESCRIPTION"]
    assert event["LOCATION"] == "Palacio de Ferias"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (36.72, -4.42)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Madrid"]
    assert calendar.get_missing_tzids() == set()


def test_times_across_the_daylight_saving_change(client, tree):
    """Spain moves its clocks on 30 March 2025: 10:00 stays 10:00 on either side."""
    index = tree["activities"]
    before = make_activity(index, "before-dst", madrid(2025, 3, 29, 10), title="Before")
    after = make_activity(index, "after-dst", madrid(2025, 3, 31, 10), title="After")
    calendar = parse(client.get(index.url + "ical/?month=2025-03"))
    found = events(calendar)
    assert set(found) == {"Before", "After"}
    for event in found.values():
        start = event.decoded("DTSTART")
        assert (start.hour, start.minute, str(start.tzinfo)) == (10, 0, "Europe/Madrid")
        assert event.to_ical().decode().count("DTSTART;TZID=Europe/Madrid:202503") == 1
    assert found["Before"].decoded("DTSTART").utcoffset() == datetime.timedelta(hours=1)
    assert found["After"].decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)
    assert found["Before"].decoded("DTSTART") == before.start  # 09:00 UTC
    assert found["After"].decoded("DTSTART") == after.start  # 08:00 UTC
    # The VTIMEZONE carries the change, for clients that do not know the zone.
    (vtimezone,) = calendar.timezones
    assert vtimezone.tz_name == "Europe/Madrid"
    text = vtimezone.to_ical().decode()
    assert "TZOFFSETTO:+0200" in text and "TZOFFSETTO:+0100" in text
    assert "20250330T030000" in text


def test_each_activity_in_its_own_zone(client, tree):
    index = tree["activities"]
    make_activity(
        index,
        "tunis",
        datetime.datetime(2025, 6, 2, 9, tzinfo=zoneinfo.ZoneInfo("Africa/Tunis")),
        title="Tunis",
        time_zone="Africa/Tunis",
    )
    calendar = parse(client.get(index.url + "ical/"))
    event = events(calendar)["Tunis"]
    assert event["DTSTART"].params["TZID"] == "Africa/Tunis"
    assert event.decoded("DTSTART").hour == 9
    assert {tz.tz_name for tz in calendar.timezones} == {"Africa/Tunis", "Europe/Madrid"}


def test_uid_is_stable_across_edits_and_moves(client, tree):
    activity = tree["activity"]
    uid = parse(client.get(activity.url + "ical/")).walk("VEVENT")[0]["UID"]
    activity.title = "Malaga institutional dialogue (new title)"
    activity.slug = "malaga-2024"
    activity.save_revision().publish()
    activity.refresh_from_db()
    second = parse(client.get(activity.url + "ical/")).walk("VEVENT")[0]
    assert second["UID"] == uid
    whole = parse(client.get(tree["activities"].url + "ical/"))
    assert [str(e["UID"]) for e in whole.walk("VEVENT")] == [uid]


def test_whole_calendar_and_its_filters(client, tree):
    index = tree["activities"]
    spain = make_organisation("Junta", country="ES", city="Sevilla", lat=37.39, lng=-5.99)
    make_activity(index, "webinar", at(10), title="Webinar", organisers=[spain])
    make_activity(index, "visit", at(20), title="Visit", format="in_person")
    response = client.get(index.url + "ical/")
    assert response["Content-Disposition"] == 'attachment; filename="activities.ics"'
    calendar = parse(response)
    assert set(events(calendar)) == {"Webinar", "Visit", "Malaga Institutional dialogue event"}
    assert calendar["X-WR-CALNAME"] == "Activities"
    for query, expected in [
        ("?format=in_person", {"Visit", "Malaga Institutional dialogue event"}),
        ("?country=ES", {"Webinar"}),
        ("?when=upcoming", {"Webinar", "Visit"}),
        ("?when=past&working_group=wg1", {"Malaga Institutional dialogue event"}),
        ("?month=2024-11&cluster=seagrass", {"Malaga Institutional dialogue event"}),
        ("?utm_campaign=x&format=online", {"Webinar"}),
    ]:
        assert set(events(parse(client.get(index.url + "ical/" + query)))) == expected, query
    named = parse(client.get(index.url + "ical/?format=online&country=ES"))
    assert named["X-WR-CALNAME"] == "Activities (Online, Spain)"


def test_whole_calendar_is_not_paginated(client, tree):
    index = tree["activities"]
    for n in range(15):
        make_activity(index, f"n-{n}", at(n + 1))
    assert len(parse(client.get(index.url + "ical/")).walk("VEVENT")) == 16


@pytest.mark.parametrize(
    "query",
    ["?format=fax", "?working_group=nope", "?country=XX", "?month=2025-00", "?when=soon"],
)
def test_bad_filter_answers_400_in_plain_text(client, tree, query):
    response = client.get(tree["activities"].url + "ical/" + query)
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.strip()
    assert b"BEGIN:VCALENDAR" not in response.content


def test_nothing_draft_private_or_expired_in_the_calendar(client, tree):
    index = tree["activities"]
    make_activity(index, "draft", at(3), title="Draft", publish=False)
    private = make_activity(index, "private", at(4), title="Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    expired = make_activity(index, "expired", at(5), title="Expired")
    expired.expire_at = timezone.now() - datetime.timedelta(minutes=1)
    expired.save(update_fields=["expire_at"])
    calendar = parse(client.get(index.url + "ical/"))
    assert set(events(calendar)) == {"Malaga Institutional dialogue event"}
    # The calendar of a draft or private activity is not served either.
    assert client.get(ActivityPage.objects.get(slug="draft").url + "ical/").status_code == 404
    assert client.get(private.url + "ical/").status_code == 302


def test_draft_organisers_and_working_groups_are_not_named(client, tree):
    tree["lead"].live = False
    tree["lead"].save()
    tree["wg"].unpublish()
    (event,) = parse(client.get(tree["activity"].url + "ical/")).walk("VEVENT")
    assert "Regione Campania" not in event["DESCRIPTION"]
    assert "WG1" not in event["DESCRIPTION"]
    assert "WG1" not in event.to_ical().decode()


def test_private_activity_index_serves_no_calendar(client, tree):
    index = ActivityIndexPage.objects.get(pk=tree["activities"].pk)
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(index.url + "ical/").status_code == 302


def test_online_activity_location_and_links(client, tree):
    activity = make_activity(
        tree["activities"],
        "webinar",
        at(3),
        title="Webinar",
        online_link="https://meet.example.org/ar",
        registration_link="https://forms.example.org/r",
        summary="What a cluster is.",
    )
    (event,) = parse(client.get(activity.url + "ical/")).walk("VEVENT")
    assert event["LOCATION"] == "https://meet.example.org/ar"
    assert "GEO" not in event
    description = str(event["DESCRIPTION"])
    assert description.startswith("What a cluster is.")
    assert "https://forms.example.org/r" in description
    assert description.endswith(activity.full_url)


def test_located_activity_has_geo_and_address(client, tree):
    activity = make_activity(
        tree["activities"],
        "tarifa",
        at(3),
        title="Tarifa",
        venue="Harbour room",
        address="Tarifa, Spain",
        location=format_point(36.01, -5.6),
    )
    (event,) = parse(client.get(activity.url + "ical/")).walk("VEVENT")
    assert event["LOCATION"] == "Harbour room, Tarifa, Spain"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (36.01, -5.6)


def test_calendar_queries_do_not_grow_with_activities(client, tree):
    index = tree["activities"]
    organisation = make_organisation("Org", country="ES")

    def queries():
        invalidate()  # compare two misses: a cached calendar costs fewer queries
        with CaptureQueriesContext(connection) as captured:
            assert client.get(index.url + "ical/").status_code == 200
        return len(captured)

    for n in range(4):
        make_activity(
            index, f"a-{n}", at(n + 1), working_group=tree["wg"], organisers=[organisation]
        )
    queries()
    few = queries()
    for n in range(4, 49):
        make_activity(
            index, f"a-{n}", at(n + 1), working_group=tree["wg"], organisers=[organisation]
        )
    assert queries() == few


def test_past_activities_beyond_the_window_cost_nothing(client, tree, settings):
    """The whole calendar holds every upcoming activity and those ended in the past
    ``WAGTAIL_AR_CALENDAR_PAST_DAYS``: 200 older ones add no byte and no query (issue 18)."""
    settings.WAGTAIL_AR_CALENDAR_PAST_DAYS = 365  # the default
    index = tree["activities"]
    make_activity(index, "recent", at(-30), working_group=tree["wg"])
    make_activity(index, "upcoming", at(30), working_group=tree["wg"])

    def calendar(query=""):
        invalidate()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(index.url + "ical/" + query)
        assert response.status_code == 200
        return response.content, len(captured)

    calendar()
    before, queries = calendar()
    for n in range(200):
        make_activity(index, f"old-{n}", at(-400 - n), working_group=tree["wg"])
    after, queries_after = calendar()
    assert (after, queries_after) == (before, queries)
    assert {"Recent", "Upcoming"} <= set(events(Calendar.from_ical(after)))

    # A month is its own window, whatever its age; no window holds every activity.
    month = at(-400).strftime("%Y-%m")
    assert "Old 0" in events(Calendar.from_ical(calendar(f"?month={month}")[0]))
    settings.WAGTAIL_AR_CALENDAR_PAST_DAYS = None
    assert {"Old 0", "Old 199"} <= set(events(Calendar.from_ical(calendar()[0])))
    settings.WAGTAIL_AR_CALENDAR_PAST_DAYS = 500
    assert "Old 0" in events(Calendar.from_ical(calendar()[0]))
    assert "Old 199" not in events(Calendar.from_ical(calendar()[0]))


# The example site ---------------------------------------------------------------------------------


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_demo_malaga_event_is_past_with_its_calendar_entry(client, demo):
    malaga = ActivityPage.objects.get(slug="malaga-institutional-dialogue-event")
    index = ActivityIndexPage.objects.get()
    response = client.get(index.url + "?when=past")
    assert response.status_code == 200
    assert malaga.pk in [a.pk for a in response.context["listing"].paginator.object_list]
    upcoming = client.get(index.url + "?when=upcoming").context["listing"].paginator.object_list
    assert malaga.pk not in [a.pk for a in upcoming]

    html = client.get(malaga.url).content.decode()
    assert "Past activity" in html and malaga.url + "ical/" in html

    (event,) = parse(client.get(malaga.url + "ical/")).walk("VEVENT")
    start = event.decoded("DTSTART")
    assert (start.date(), start.hour, str(start.tzinfo)) == (
        datetime.date(2024, 11, 29),
        9,
        "Europe/Madrid",
    )
    assert event["URL"] == malaga.full_url
    assert event["UID"].startswith(f"activity-{malaga.translation_key}@")
    whole = parse(client.get(index.url + "ical/?month=2024-11"))
    assert "Malaga Institutional dialogue event" in events(whole)


def test_the_uid_host_is_the_page_s_first_site_whoever_asks(tree, rf):
    # Two sites on the same root (www. and the bare domain): one set of UIDs, not one per host,
    # or a subscriber to both would see every event twice. The host keeps its case.
    from wagtail.models import Site

    from wagtail_ar.calendars import site_host

    activity = tree["activity"]
    site = activity.get_site()
    site.hostname = "Example.org"
    site.save()
    Site.objects.create(hostname="WWW.Example.org", port=8080, root_page=site.root_page)
    activity = type(activity).objects.get(pk=activity.pk)  # without get_site()'s memo
    for host in ("Example.org", "www.example.org:8080"):
        request = rf.get("/", HTTP_HOST=host)
        assert site_host(activity, request) == activity.get_site().hostname == "Example.org"
    assert site_host(activity) == "Example.org"
