"""Every page type of the example site in Chromium: no WCAG A/AA violation, and screenshots.

axe-core (tests/browser/package.json) runs with the tags of WCAG 2.0, 2.1 and 2.2 at levels A
and AA on each page, rendered in the example site's base template with its demo content,
scripts included (the maps are drawn first). A page with an image that has no text
alternative must fail the same check: the check can fail.

The screenshots, phone (375 px) and desktop (1280 px) wide, full page, go to
``build/screenshots/`` (or ``AR_SCREENSHOT_DIR``), for a person to look at; on the way, no page
may be wider than the screen.
"""

import pytest

from ..browser_support import (
    DESKTOP,
    PHONE,
    axe_violations,
    describe_violations,
    screenshot_dir,
    screenshot_name,
)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# name: (a name of DemoSite.paths, what to add to its path, expected HTTP status)
PAGES = {
    "amplification-room": ("amplification_room", "", 200),
    "working-group": ("working_group", "", 200),
    "cluster-index": ("cluster_index", "", 200),
    "cluster-index-filtered": ("cluster_index", "?category=thematic", 200),
    "cluster-index-bad-filter": ("cluster_index", "?category=nonsense", 400),
    "cluster-factsheet": ("cluster", "", 200),
    "cluster-report": ("cluster_report", "", 200),
    "activity-index": ("activity_index", "", 200),
    "activity": ("activity", "", 200),
    "community-map": ("community_map", "", 200),
    "forum-board": ("forum", "", 200),
    "forum-post-form": ("forum", "new/", 200),
    "accessibility-statement": ("accessibility_statement", "", 200),
}
# Pages the example site has only once another feature's demo content is there.
OPTIONAL = {"forum"}


def open_page(visit, demo_site, name, **options):
    """A new browser context on the page ``name`` of PAGES, its maps drawn; the Visit."""
    key, suffix, status = PAGES[name]
    if key not in demo_site.paths and key in OPTIONAL:
        pytest.skip(f"The demo content has no {key} page yet.")
    opened = visit(**options)
    response = opened.goto(demo_site.paths[key] + suffix, wait_until="networkidle")
    assert response.status == status, f"{name}: HTTP {response.status}"
    if options.get("scripts", True):
        opened.page.wait_for_function(
            "() => [...document.querySelectorAll('[data-ar-map-state]')]"
            ".every(el => el.dataset.arMapState === 'ready')"
        )
    return opened


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_wcag_violations(visit, demo_site, name):
    opened = open_page(visit, demo_site, name)
    violations = axe_violations(opened.page)
    assert not violations, f"{name}:\n{describe_violations(violations)}"
    assert not opened.errors


def test_map_list_without_javascript_has_no_wcag_violations(visit, demo_site):
    """Without its scripts the community map page is its list of organisations, which is the
    map's alternative: checked as such. (axe is itself a script: the page's script files are
    refused instead of switching JavaScript off.)"""
    opened = open_page(visit, demo_site, "community-map", scripts=False)
    page = opened.page
    assert page.locator("#ar-map").get_attribute("data-ar-map-state") is None
    assert page.locator(".ar-map-list li").count() >= 1
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_an_image_without_alt_text_fails_the_check(visit, demo_site):
    """The check can fail: the same page, with one <img> without alt added, has a violation."""
    opened = open_page(visit, demo_site, "cluster-factsheet")
    assert not axe_violations(opened.page)
    opened.page.evaluate(
        """() => {
            const image = document.createElement('img');
            image.src = '/static/wagtail_ar/vendor/leaflet/images/marker-icon.png';
            document.querySelector('main').append(image);
        }"""
    )
    violations = axe_violations(opened.page)
    assert [violation["id"] for violation in violations] == ["image-alt"]
    (node,) = violations[0]["nodes"]
    assert "marker-icon.png" in node["html"]


def test_screenshots_of_every_page_type(visit, demo_site):
    """Also: at phone width no page scrolls sideways (WCAG 1.4.10 Reflow; axe cannot tell)."""
    folder = screenshot_dir()
    saved = []
    too_wide = {}
    for viewport in (PHONE, DESKTOP):
        opened = visit(viewport=viewport)
        for name, (key, suffix, _status) in PAGES.items():
            if key not in demo_site.paths and key in OPTIONAL:
                continue
            opened.goto(demo_site.paths[key] + suffix, wait_until="networkidle")
            width = opened.page.evaluate("() => document.documentElement.scrollWidth")
            if width > viewport["width"]:
                too_wide[f"{name} at {viewport['width']} px"] = width
            path = folder / screenshot_name(name, viewport["width"])
            opened.page.screenshot(path=str(path), full_page=True)
            saved.append(path)
        assert not opened.errors
    for path in saved:
        assert path.stat().st_size > 1000, path
    assert not too_wide, f"Pages wider than the screen: {too_wide}"
    # Phone and desktop of each page, nothing missing.
    assert len(saved) == 2 * len({path.name.rsplit("-", 1)[0] for path in saved})
