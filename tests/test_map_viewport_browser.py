"""The community map draws only what is in view: 2,000 organisations, a few hundred elements.

community_map.js clusters the organisations with supercluster and makes Leaflet markers of
the groups and markers in view only (plus a margin); zoomed in on one place, the markers that
show are exactly the organisations in view. Chromium, Playwright and the skip-or-fail rule:
see ``tests/browser_support.py``.
"""

import random

import pytest
from django.test import override_settings
from wagtail.models import Locale

from wagtail_ar.geo import format_point
from wagtail_ar.models import Organisation

from .browser_support import DESKTOP, chromium
from .test_map_browser import TILE_URL, Recorder
from .utils import build_tree

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CROWD = 2_000
# A grid of 4 × 4 organisations near Palermo, 0.005° apart: single markers at zoom 15.
PALERMO = (38.1075, 13.3075)
# Five organisations at one address in Crete: a group even at the closest zoom.
SAME_PLACE = (35.2, 24.9)
GRID = [(38.10 + row * 0.005, 13.30 + column * 0.005) for row in range(4) for column in range(4)]


def organisation(number, lat, lng, locale):
    return Organisation(
        name=f"Organisation {number:05d}",
        community_roles=["pp"],
        country="IT",
        location=format_point(lat, lng),
        # bulk_create skips save(), which derives these from location.
        latitude=lat,
        longitude=lng,
        locale=locale,
        live=True,
    )


@pytest.fixture
def crowd(db):
    tree = build_tree()
    rng = random.Random(20)
    locale = Locale.get_default()
    places = [
        (round(rng.uniform(30.0, 46.0), 6), round(rng.uniform(-6.0, 36.0), 6))
        for _number in range(CROWD - len(GRID))
    ]
    places += GRID + [SAME_PLACE] * 5
    Organisation.objects.bulk_create(
        [organisation(number, lat, lng, locale) for number, (lat, lng) in enumerate(places)]
    )
    # Read now: the database is out of reach while the browser runs.
    tree["map_url"] = tree["map"].url
    tree["places"] = list(
        Organisation.objects.filter(live=True).values_list("latitude", "longitude")
    )
    return tree


@pytest.fixture
def page(crowd, live_server):
    with override_settings(WAGTAIL_AR_TILE_URL=TILE_URL), chromium() as browser:
        context = browser.new_context(viewport=DESKTOP)
        Recorder(context, live_server.url)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(live_server.url + crowd["map_url"])
        page.wait_for_selector("#ar-map[data-ar-map-state='ready']", timeout=30_000)
        yield page
        assert not errors
        context.close()


# What shows in the map's frame: single markers by their tip, groups by their centre, with
# the number of organisations each stands for.
SHOWN = """() => {
    const element = document.getElementById("ar-map");
    const frame = element.getBoundingClientRect();
    const inside = (x, y) =>
        x >= frame.left && x <= frame.right && y >= frame.top && y <= frame.bottom;
    let markers = 0, grouped = 0;
    for (const icon of element.querySelectorAll(".leaflet-marker-icon")) {
        const box = icon.getBoundingClientRect();
        if (icon.classList.contains("marker-cluster")) {
            if (inside(box.left + box.width / 2, box.top + box.height / 2)) {
                grouped += Number(icon.textContent);
            }
        } else if (inside(box.left + 12, box.top + 41)) {
            markers += 1;
        }
    }
    const bounds = element.arMap.map.getBounds();
    return {
        elements: element.querySelectorAll(".leaflet-marker-icon").length,
        markers: markers,
        grouped: grouped,
        bounds: [bounds.getSouth(), bounds.getWest(), bounds.getNorth(), bounds.getEast()],
    };
}"""


def in_bounds(places, bounds):
    south, west, north, east = bounds
    return sum(1 for lat, lng in places if south <= lat <= north and west <= lng <= east)


def test_only_the_groups_and_markers_in_view_are_elements(page, crowd):
    total = len(crowd["places"])
    assert total > CROWD
    assert (
        f"Organisations on the map: {total}." in page.locator("[data-ar-map-status]").inner_text()
    )
    first = page.evaluate(SHOWN)
    # Groups, a few hundred elements at most: never one per organisation.
    assert 1 <= first["elements"] <= 200, first
    assert page.locator(".marker-cluster").count() >= 1

    page.evaluate(
        "([lat, lng]) => document.getElementById('ar-map').arMap.map"
        ".setView([lat, lng], 15, {animate: false})",
        list(PALERMO),
    )
    page.wait_for_function("() => document.querySelectorAll('.leaflet-marker-icon').length < 60")
    zoomed = page.evaluate(SHOWN)
    expected = in_bounds(crowd["places"], zoomed["bounds"])
    assert expected >= len(GRID)
    # The markers that show are the organisations in view, one each, none grouped.
    assert (zoomed["markers"], zoomed["grouped"]) == (expected, 0), zoomed
    # And hardly any more are elements: only those of the margin around the view.
    assert zoomed["elements"] <= expected + 10, zoomed


def test_a_group_at_the_closest_zoom_spreads_from_the_keyboard(page):
    page.evaluate(
        "([lat, lng]) => { const map = document.getElementById('ar-map').arMap.map;"
        " map.setView([lat, lng], map.getMaxZoom(), {animate: false}); }",
        list(SAME_PLACE),
    )
    group = page.locator(".marker-cluster", has_text="5")
    group.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".ar-map-spread-leg", state="attached")
    assert page.locator(".marker-cluster", has_text="5").count() == 0
    spread = page.locator(".leaflet-marker-icon:not(.marker-cluster)")
    assert spread.count() == 5
    # The first of them takes the focus, and Enter on it opens its details.
    assert page.evaluate("() => document.activeElement.classList.contains('leaflet-marker-icon')")
    assert "in view: 5" in page.locator("[data-ar-map-status]").inner_text()
    page.keyboard.press("Enter")
    page.wait_for_selector(".ar-map-details__name")
    # A zoom out folds them back into groups.
    page.evaluate("() => document.getElementById('ar-map').arMap.map.zoomOut(1, {animate: false})")
    page.wait_for_selector(".ar-map-spread-leg", state="detached")
