"""The map block's place picker in the admin, in Chromium: an editor adds two Map blocks to the
empty body of a host page (``tests/hostapp``; made beforehand under the demo's home page, whose
page type allows none of it as a child), places the first by clicking its map and the second from
the keyboard alone, publishes, and the page shows each marker where it was placed.

Every request leaves for the live server or the test tile host only (``Visit`` in conftest.py
refuses the rest, and this module counts any that was tried). The picker's unit tests:
``tests/test_map_block_picker.py``. This module writes (a user and a page), so it has its own
facts, read before the browser starts.
"""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import Site

from tests.hostapp.models import HostPage

from ..browser_support import AXE_TAGS, axe_source, describe_violations
from .conftest import TILE_HOST

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PASSWORD = "picker-password-for-tests"  # noqa: S105
TITLE = "Where the partners meet"


@pytest.fixture(scope="module")
def picker_facts(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        get_user_model().objects.create_superuser("picker", "picker@example.org", PASSWORD)
        root = Site.objects.get(is_default_site=True).root_page
        host_page = root.add_child(instance=HostPage(title=TITLE, slug="meet", live=False))
        return {
            "login": reverse("wagtailadmin_login"),
            "edit_page": reverse("wagtailadmin_pages:edit", args=(host_page.pk,)),
            "page_url": root.url + "meet/",
        }


def log_in(page, demo_site, facts):
    page.goto(demo_site(facts["login"]))
    page.locator("#id_username").fill("picker")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo_site("/admin/"))


def add_map_block(page, number):
    """Adds a Map block at the end of the body; its picker, once started."""
    page.locator("[data-contentpath='body'] button[title='Insert a block']").last.click()
    page.get_by_role("option", name="Map", exact=True).click()
    picker = page.locator(".ar-place-picker").nth(number)
    picker.locator(".leaflet-container").wait_for()
    page.locator(f"#body-{number}-value-show").select_option("place")
    page.wait_for_timeout(500)  # the new block's slide-down
    picker.locator(".leaflet-container").scroll_into_view_if_needed()
    return picker


def place_of(picker):
    text = picker.locator("input[type='hidden']").input_value()
    return json.loads(text) if text else None


def status_of(picker):
    return picker.locator("[aria-live='polite']").inner_text()


def shown(place):
    return f"Chosen place: {place['latitude']:.4f}, {place['longitude']:.4f}"


def test_an_editor_places_map_blocks_with_the_mouse_and_the_keyboard(
    page, demo_site, picker_facts, settings
):
    # Wagtail's own outside requests (avatars, its release check) are switched off, so that
    # any request left would be the picker's.
    settings.WAGTAIL_GRAVATAR_PROVIDER_URL = None
    settings.WAGTAIL_ENABLE_UPDATE_CHECK = False
    outside = []
    site_host = urlsplit(demo_site.url).netloc
    page.on(
        "request",
        lambda request: (
            urlsplit(request.url).netloc not in (site_host, TILE_HOST)
            and not request.url.startswith("data:")
            and outside.append(request.url)
        ),
    )
    log_in(page, demo_site, picker_facts)
    page.goto(demo_site(picker_facts["edit_page"]))

    # The first block: a click on its map, away from the centre, places the marker there.
    first = add_map_block(page, 0)
    assert status_of(first) == "No place chosen yet." and place_of(first) is None
    # The package's base map lies under the tiles, from the site.
    first.locator(".leaflet-container[data-ar-base-map='ready']").wait_for(state="attached")
    map_box = first.locator(".leaflet-container").bounding_box()
    page.mouse.click(
        map_box["x"] + map_box["width"] / 2 + 80, map_box["y"] + map_box["height"] / 2 - 50
    )
    first.locator(".leaflet-marker-icon").wait_for()
    clicked = place_of(first)
    assert clicked and status_of(first) == shown(clicked)
    # The marker stands where the map was clicked (measured again: the page may have scrolled).
    icon = first.locator(".leaflet-marker-icon").bounding_box()
    map_box = first.locator(".leaflet-container").bounding_box()
    tip = (icon["x"] + icon["width"] / 2, icon["y"] + icon["height"])
    expected = (map_box["x"] + map_box["width"] / 2 + 80, map_box["y"] + map_box["height"] / 2 - 50)
    assert abs(tip[0] - expected[0]) <= 2 and abs(tip[1] - expected[1]) <= 2, (tip, expected)

    # The second block, from the keyboard: focus the map, move it, zoom, place, use the zoom.
    second = add_map_block(page, 1)
    second_map = second.locator(".leaflet-container")
    second_map.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('leaflet-container')")
    for key in ("ArrowRight", "ArrowRight", "ArrowUp", "+"):
        page.keyboard.press(key)
        page.wait_for_timeout(300)  # Leaflet's pan and zoom animations
    page.keyboard.press("Enter")
    second.locator(".leaflet-marker-icon").wait_for()
    by_keyboard = place_of(second)
    assert by_keyboard and status_of(second) == shown(by_keyboard)
    # "Clear", then the button "Place the marker at the centre of the map", by Tab and Enter.
    clear = second.get_by_role("button", name="Clear")
    clear.focus()
    page.keyboard.press("Enter")
    assert place_of(second) is None and status_of(second) == "No place chosen yet."
    assert second.locator(".leaflet-marker-icon").count() == 0
    second.get_by_role("button", name="Place the marker at the centre of the map").focus()
    page.keyboard.press("Enter")
    assert place_of(second) == by_keyboard
    second.get_by_role("button", name="Use the map's zoom").focus()
    page.keyboard.press("Enter")
    zoom = page.locator("#body-1-value-zoom").input_value()
    assert zoom and status_of(second) == f"Zoom of the map: {zoom}"
    # The first block kept its place: each picker has its own.
    assert place_of(first) == clicked
    # The pickers pass axe (WCAG 2.2 A/AA); the rest of Wagtail's page is not ours to check.
    page.add_script_tag(content=axe_source())
    result = page.evaluate(
        """tags => axe.run({include: [['.ar-place-picker']]},
            {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})
            .then(result => ({violations: result.violations, passes: result.passes.length}))""",
        AXE_TAGS,
    )
    violations = result["violations"]
    assert result["passes"] > 0  # axe did look at the pickers
    assert not violations, describe_violations(violations)

    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("button[name='action-publish']").click()
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert TITLE in page.locator(".messages").inner_text()

    # Stored: the edit form opens each picker at its place.
    page.goto(demo_site(picker_facts["edit_page"]))
    pickers = page.locator(".ar-place-picker")
    pickers.nth(1).locator(".leaflet-marker-icon").wait_for()
    assert [place_of(pickers.nth(0)), place_of(pickers.nth(1))] == [clicked, by_keyboard]
    assert status_of(pickers.nth(0)) == shown(clicked)

    # Published: each map shows its marker at the stored place.
    page.goto(demo_site(picker_facts["page_url"]))
    for number, place in enumerate((clicked, by_keyboard), start=1):
        selector = f"#ar-map-block-{number}"
        config = json.loads(page.locator(f"{selector}-config").text_content())
        assert (config["place"]["lat"], config["place"]["lng"]) == (
            place["latitude"],
            place["longitude"],
        )
        page.locator(selector).scroll_into_view_if_needed()
        page.wait_for_selector(f"{selector}[data-ar-map-state='ready']")
        marker = page.locator(f"{selector} .leaflet-marker-icon")
        marker.wait_for(state="visible")
        # The map is centred on its place: the marker's tip is at the map's centre.
        box, icon = page.locator(selector).bounding_box(), marker.bounding_box()
        centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tip = (icon["x"] + icon["width"] / 2, icon["y"] + icon["height"])
        assert abs(tip[0] - centre[0]) <= 3 and abs(tip[1] - centre[1]) <= 3, (tip, centre)
    assert int(config["zoom"]) == int(zoom)
    assert not outside, outside
    assert not page.visit.errors
