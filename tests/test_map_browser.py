"""The community map in a real browser: headless Chromium driven by Playwright.

Every request the page makes is recorded: only the site itself and the configured tile server
may be asked for anything. With the tile server refused, or none configured, the Natural Earth
base map is painted: a pixel of Sicily is land, a pixel of the Tyrrhenian Sea is sea. The keyboard path is walked too: a group of markers opens with
Enter or Space, a marker's details open with Enter, take the focus and give it back on Escape,
and the optional layers are switched on from the keyboard.

Chromium, Playwright and the skip-or-fail rule: see ``tests/browser_support.py``.
"""

import base64
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from wagtail_ar.models import ClusterPage

from .browser_support import DESKTOP, chromium
from .test_map import cluster_fields, located_page
from .utils import build_tree, make_organisation

TILE_HOST = "tiles.example.test"
TILE_URL = f"https://{TILE_HOST}/{{z}}/{{x}}/{{y}}.png"
EMPTY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)

# The live server needs committed data; the rows made by migrations (locale, site) come back
# after each test.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def community(db):
    tree = build_tree()
    # A crowd in Napoli (a group of markers at the first zoom) and a few elsewhere.
    for number in range(25):
        make_organisation(
            f"Napoli partner {number}",
            roles=("ap",),
            lat=40.80 + number * 0.004,
            lng=14.20 + number * 0.004,
        )
    make_organisation("Marseille partner", lat=43.30, lng=5.37, country="FR", city="Marseille")
    located_page(ClusterPage, tree["index"], **cluster_fields("istria", lat=45.2, lng=13.9))
    # Read now: the database is out of reach while the browser runs.
    tree["map_url"] = tree["map"].url
    tree["lead_id"] = tree["lead"].pk
    return tree


@pytest.fixture
def browser(community):
    """Chromium, started once the test's rows are written and stopped before they are flushed
    (see tests/browser_support.py: no database work may overlap with it)."""
    with chromium() as browser:
        yield browser


class Recorder:
    """Every request of a browser context; tiles answered locally, other hosts refused."""

    def __init__(self, context, site, tiles=True):
        self.site = urlsplit(site).netloc
        self.tiles = tiles
        self.urls = []
        context.on("request", lambda request: self.urls.append(request.url))
        context.route("**/*", self.route)

    def route(self, route):
        host = urlsplit(route.request.url).netloc
        if host == self.site:
            return route.continue_()
        if host == TILE_HOST and self.tiles:
            return route.fulfill(body=EMPTY_PNG, content_type="image/png")
        return route.abort()

    @property
    def hosts(self):
        return {
            urlsplit(url).netloc for url in self.urls if urlsplit(url).scheme in ("http", "https")
        }


@pytest.fixture
def open_map(browser, live_server, community):
    contexts = []

    def open_map(path=None, tiles=True):
        context = browser.new_context(viewport=DESKTOP)
        contexts.append(context)
        recorder = Recorder(context, live_server.url, tiles=tiles)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(live_server.url + (path or community["map_url"]))
        page.wait_for_selector("#ar-map[data-ar-map-state='ready']", timeout=30_000)
        return page, recorder, errors

    with override_settings(WAGTAIL_AR_TILE_URL=TILE_URL):
        yield open_map
    for context in contexts:
        context.close()


def active(page, expression):
    return page.evaluate(f"() => {{ const el = document.activeElement; return {expression}; }}")


def zoom(page):
    return page.evaluate("() => document.getElementById('ar-map').arMap.map.getZoom()")


def test_requests_go_to_the_site_and_the_tile_server_only(open_map, live_server):
    page, recorder, errors = open_map()
    # The layers are fetched when switched on: switch them on too.
    for label in ("Geographical clusters", "Activities"):
        page.get_by_label(label).check()
    page.wait_for_selector(".ar-map-layer-marker--clusters")
    page.locator(".leaflet-marker-icon:not(.marker-cluster)").first.click()
    page.wait_for_selector(".ar-map-details__name")
    assert recorder.hosts == {urlsplit(live_server.url).netloc, TILE_HOST}, recorder.urls
    assert any(urlsplit(url).netloc == TILE_HOST for url in recorder.urls)
    assert not errors


def test_markers_are_clustered_and_counted(open_map):
    page, _recorder, errors = open_map()
    assert page.locator(".marker-cluster").count() >= 1
    assert "Organisations on the map: 28." in page.locator("[data-ar-map-status]").inner_text()
    label = page.locator(".marker-cluster").first.get_attribute("aria-label")
    assert label.startswith("Group of organisations:")
    assert not errors


def test_groups_and_markers_work_from_the_keyboard(open_map):
    page, _recorder, errors = open_map()
    before = zoom(page)
    cluster = page.locator(".marker-cluster").first
    assert cluster.get_attribute("tabindex") == "0" and cluster.get_attribute("role") == "button"
    cluster.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        f"() => document.getElementById('ar-map').arMap.map.getZoom() > {before}"
    )
    page.wait_for_timeout(600)  # the zoom animation
    assert active(page, "el.id") == "ar-map"  # the focus is back on the map

    # Space opens a group too, until single markers are reachable with Tab.
    for _attempt in range(12):
        if page.locator(".leaflet-marker-icon:not(.marker-cluster)").count():
            break
        level = zoom(page)
        page.locator(".marker-cluster").first.focus()
        page.keyboard.press(" ")
        page.wait_for_function(
            f"() => document.getElementById('ar-map').arMap.map.getZoom() > {level}"
            " || document.querySelector('.leaflet-marker-icon:not(.marker-cluster)')"
        )
        page.wait_for_timeout(600)
    marker = page.locator(".leaflet-marker-icon:not(.marker-cluster)").first
    assert marker.get_attribute("alt").startswith("Organisation: ")
    marker.focus()
    page.keyboard.press("Enter")
    heading = page.wait_for_selector(".ar-map-details__name")
    assert "partner" in heading.inner_text() or "Regione" in heading.inner_text()
    page.wait_for_function(
        "() => document.activeElement.classList.contains('ar-map-details__name')"
    )

    page.keyboard.press("Escape")
    page.wait_for_selector(".ar-map-details__name", state="detached")
    assert active(page, "el.classList.contains('leaflet-marker-icon')")
    assert not errors


def test_layers_switch_on_from_the_keyboard(open_map):
    page, _recorder, errors = open_map()
    checkbox = page.get_by_label("Geographical clusters")
    checkbox.focus()
    page.keyboard.press(" ")
    layer_marker = page.wait_for_selector(".ar-map-layer-marker--clusters")
    assert layer_marker.get_attribute("aria-label").startswith("Cluster istria")
    layer_marker.focus()
    page.keyboard.press("Enter")
    link = page.wait_for_selector(".ar-map-popup a")
    assert link.inner_text() == "Cluster istria"
    assert not errors


def test_filtered_map_shows_the_filtered_organisations(open_map, community):
    page, _recorder, errors = open_map(community["map_url"] + "?country=FR")
    assert "Organisations on the map: 1." in page.locator("[data-ar-map-status]").inner_text()
    assert page.locator(".leaflet-marker-icon:not(.marker-cluster)").count() == 1
    assert "Marseille partner" in page.locator(".ar-map-list").inner_text()
    assert not errors


def test_link_to_one_organisation_opens_its_details(open_map, community):
    page, _recorder, errors = open_map(
        community["map_url"] + f"?organisation={community['lead_id']}"
    )
    heading = page.wait_for_selector(".ar-map-details__name")
    assert heading.inner_text() == "Regione Campania"
    assert active(page, "el === document.body")  # opened by the page: the focus is not moved
    assert not errors


# The base map -----------------------------------------------------------------------------

# Pale land and sea of base_map.js (RGB), and two places: inland Sicily and the Tyrrhenian Sea.
LAND, SEA = (0xF4, 0xF1, 0xE8), (0xD7, 0xE6, 0xF0)
SICILY, TYRRHENIAN = (37.55, 14.25), (39.8, 12.4)


def pixel_at(page, latlng):
    """The colour the map paints at ``latlng`` (markers and controls hidden)."""
    from io import BytesIO

    from PIL import Image

    page.add_style_tag(
        content=".leaflet-marker-pane, .leaflet-shadow-pane, .leaflet-control-container "
        "{ visibility: hidden !important; }"
    )
    point = page.evaluate(
        "([lat, lng]) => { const p = document.getElementById('ar-map').arMap.map"
        ".latLngToContainerPoint([lat, lng]); return [Math.round(p.x), Math.round(p.y)]; }",
        list(latlng),
    )
    image = Image.open(BytesIO(page.locator("#ar-map").screenshot())).convert("RGB")
    return image.getpixel(tuple(point))


def close_to(colour, expected, tolerance=12):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def assert_base_map_painted(page):
    page.wait_for_selector("#ar-map[data-ar-base-map='ready']", timeout=30_000)
    assert page.locator("#ar-map .ar-base-map__land").count() >= 1
    assert page.locator("#ar-map .ar-base-map__border").count() >= 1
    # The view of the Mediterranean: Sicily is land, the sea around it is sea.
    page.evaluate(
        "() => document.getElementById('ar-map').arMap.map.setView([38.5, 13.5], 6, {animate: false})"
    )
    page.wait_for_timeout(100)
    assert close_to(pixel_at(page, SICILY), LAND), pixel_at(page, SICILY)
    assert close_to(pixel_at(page, TYRRHENIAN), SEA), pixel_at(page, TYRRHENIAN)


def test_the_base_map_is_painted_when_the_tile_server_is_refused(open_map, live_server):
    page, recorder, errors = open_map(tiles=False)
    assert_base_map_painted(page)
    # The tiles were asked for, and refused: every other request went to the site.
    assert recorder.hosts == {urlsplit(live_server.url).netloc, TILE_HOST}
    assert "Natural Earth" in page.locator(".leaflet-control-attribution").text_content()
    assert not errors


def test_without_a_tile_server_the_base_map_is_the_map(open_map, live_server):
    with override_settings(WAGTAIL_AR_TILE_URL=None):
        page, recorder, errors = open_map()
    assert_base_map_painted(page)
    assert recorder.hosts == {urlsplit(live_server.url).netloc}, recorder.urls
    assert page.locator("#ar-map .leaflet-tile").count() == 0
    assert not errors
