"""Maps in a host whose base template has only a title and a content block (and its scripts in
a block of another name): the community map page and a host page with a MapBlock paint their
markers in Chromium. Fixtures and the request rules: ``tests/test_map_browser.py``.
"""

import pytest
from django.test import override_settings

from tests.hostapp.models import HostPage

from .browser_support import DESKTOP, chromium
from .test_map_browser import TILE_URL, Recorder, community  # noqa: F401 (a fixture)
from .utils import site_root

pytestmark = [
    pytest.mark.slow,
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HOST = "testapp/hosts/title_content.html"


@pytest.fixture
def host_page_url(community):  # noqa: F811
    page = site_root().add_child(
        instance=HostPage(
            title="Our partners",
            slug="partners",
            body=[
                ("text", "<p>Who takes part</p>"),
                ("map", {"heading": "Partners", "show": "organisations"}),
                ("map", {"heading": "Marseille", "show": "organisations", "country": "FR"}),
            ],
        )
    )
    return page.url


@pytest.fixture
def open_page(community, host_page_url, live_server):  # noqa: F811
    """Opens a path in Chromium (started after the rows are written) in the host above."""
    with override_settings(WAGTAIL_AR_TILE_URL=TILE_URL, WAGTAIL_AR_BASE_TEMPLATE=HOST):
        with chromium() as browser:
            context = browser.new_context(viewport=DESKTOP)
            Recorder(context, live_server.url)

            def open_page(path, map_selector):
                page = context.new_page()
                errors = []
                page.on("pageerror", lambda error: errors.append(str(error)))
                page.goto(live_server.url + path)
                assert page.locator('body[data-host-base="title_content"]').count() == 1
                page.wait_for_selector(f"{map_selector}[data-ar-map-state='ready']", timeout=30_000)
                return page, errors

            yield open_page
            context.close()


def painted_markers(page, map_selector):
    icons = page.locator(f"{map_selector} .leaflet-marker-icon")
    icons.first.wait_for(state="visible", timeout=10_000)
    return [icons.nth(i).is_visible() for i in range(icons.count())]


def test_the_community_map_paints_its_markers(open_page, community):  # noqa: F811
    page, errors = open_page(community["map_url"], "#ar-map")
    markers = painted_markers(page, "#ar-map")
    assert markers and all(markers)
    assert page.locator("#ar-map .marker-cluster").count() >= 1
    assert "Organisations on the map: 28." in page.locator("[data-ar-map-status]").inner_text()
    assert not errors


def test_map_blocks_of_a_host_page_paint_their_markers(open_page, host_page_url):
    page, errors = open_page(host_page_url, "#ar-map-block-1")
    page.wait_for_selector("#ar-map-block-2[data-ar-map-state='ready']", timeout=30_000)
    first = painted_markers(page, "#ar-map-block-1")
    assert first and all(first)
    assert page.locator("#ar-map-block-1 .marker-cluster").count() >= 1
    page.locator("#ar-map-block-2").scroll_into_view_if_needed()
    second = painted_markers(page, "#ar-map-block-2")
    assert len(second) == 1 and second[0]  # Marseille alone
    # Leaflet's stylesheet is there: the tiles pane is positioned, the map has a height.
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.leaflet-pane')).position")
        == "absolute"
    )
    assert page.locator("#ar-map-block-1").bounding_box()["height"] > 100
    assert not errors
