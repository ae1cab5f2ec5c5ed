"""Events as data (issue 21, point 5): every activity page carries a schema.org ``Event`` in
JSON-LD, parsed here as a search engine reads it: dates with the activity's UTC offset, the way
to attend, the venue or the online address, the published organisers.
"""

import datetime

import pytest

from wagtail_ar.models import Organisation

from .test_clusters_pages import json_ld, open_graph
from .utils import build_tree

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


def event_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200
    return json_ld(response.content.decode())


def republish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_an_in_person_activity_is_an_event_at_its_venue(client, tree):
    activity = tree["activity"]
    event = event_of(client, activity)
    assert event["@context"] == "https://schema.org"
    assert event["@type"] == "Event"
    assert event["name"] == "Malaga Institutional dialogue event"
    assert event["url"] == activity.get_full_url()
    # 10:00 UTC on 29 November 2024 is 11:00 in Madrid (UTC+1 in winter).
    assert event["startDate"] == "2024-11-29T11:00:00+01:00"
    assert event["endDate"] == "2024-11-29T18:00:00+01:00"
    start = datetime.datetime.fromisoformat(event["startDate"])
    assert start == activity.start
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    (place,) = event["location"]
    assert place["@type"] == "Place"
    assert place["name"] == "Palacio de Ferias"
    assert place["geo"] == {"@type": "GeoCoordinates", "latitude": 36.72, "longitude": -4.42}
    assert event["organizer"] == [{"@type": "Organization", "name": "Regione Campania"}]


def test_an_online_activity_gives_its_address_and_no_place(client, tree):
    activity = republish(
        tree["activity"], format="online", online_link="https://meet.example.org/room"
    )
    event = event_of(client, activity)
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["location"] == [
        {"@type": "VirtualLocation", "url": "https://meet.example.org/room"}
    ]


def test_a_hybrid_activity_gives_both(client, tree):
    activity = republish(
        tree["activity"], format="hybrid", online_link="https://meet.example.org/room"
    )
    event = event_of(client, activity)
    assert event["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [where["@type"] for where in event["location"]] == ["Place", "VirtualLocation"]


def test_an_unsafe_online_link_is_left_out(client, tree):
    # Saved by code, past the URL field's validation (the admin and the import refuse it).
    activity = republish(tree["activity"], format="online")
    type(activity).objects.filter(pk=activity.pk).update(online_link="javascript:alert(1)")
    event = event_of(client, activity)
    assert "location" not in event
    assert "javascript" not in str(event)


def test_an_unpublished_organiser_is_not_named(client, tree):
    Organisation.objects.filter(pk=tree["lead"].pk).update(live=False)
    activity = republish(tree["activity"])
    event = event_of(client, activity)
    assert "organizer" not in event
    assert "Regione Campania" not in str(event)


def test_the_title_cannot_end_the_script_element(client, tree):
    activity = republish(tree["activity"], title="</script><script>alert(1)</script>")
    response = client.get(activity.url)
    html = response.content.decode()
    assert "</script><script>alert(1)" not in html
    assert json_ld(html)["name"] == "</script><script>alert(1)</script>"


def test_the_event_and_open_graph_survive_the_fragment_cache(client, tree):
    activity = tree["activity"]
    first = client.get(activity.url).content.decode()
    second = client.get(activity.url).content.decode()
    assert json_ld(second) == json_ld(first)
    assert open_graph(second)["og:title"] == "Malaga Institutional dialogue event"
