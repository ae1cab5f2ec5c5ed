"""A visitor's journeys through the example site, in Chromium, from the keyboard where it matters.

Filter the clusters and page through them; open a factsheet and its report; print a factsheet;
find an organisation on the map with the keyboard; take an activity into one's calendar; post
a need on the forum. The demo content is served by ``demo_site`` (see conftest.py).
"""

import re

import pytest

from wagtail_ar.models import ClusterIndexPage

from ..browser_support import screenshot_dir

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def heading(page):
    return page.locator("h1").inner_text()


def test_filter_the_clusters_and_page_through_them(page, demo_site, monkeypatch):
    # Two a page, so that the thematic clusters of the demo need more than one.
    monkeypatch.setattr(ClusterIndexPage, "per_page", 2)
    total = demo_site.paths["thematic_cluster_count"]
    assert total > 2
    page.goto(demo_site("cluster_index"))
    page.get_by_label("Category").select_option("thematic")
    page.get_by_role("button", name="Show clusters").click()
    page.wait_for_url(re.compile(r"category=thematic"))
    seen = []
    for number in range(1, (total + 1) // 2 + 1):
        start = (number - 1) * 2 + 1
        end = min(number * 2, total)
        status = page.locator(".ar-result-count").inner_text()
        assert status == f"Clusters {start} to {end} of {total}"
        # Only thematic clusters, in their own section.
        assert page.locator(".ar-category").count() == 1
        assert page.locator(".ar-category--thematic").count() == 1
        seen += page.locator(".ar-category--thematic .ar-card__title").all_inner_texts()
        current = page.locator(".ar-pagination [aria-current='page']").inner_text()
        assert current.split()[-1] == str(number)
        if end < total:
            page.get_by_role("link", name="Next page").click()
            page.wait_for_url(re.compile(rf"page={number + 1}"))
            assert "category=thematic" in page.url  # the filter is kept
    assert sorted(seen) == demo_site.paths["thematic_clusters"]
    assert page.get_by_role("link", name="Next page").count() == 0
    assert not page.visit.errors


def test_open_a_factsheet_and_its_report(page, demo_site):
    title = demo_site.paths["cluster_title"]
    report = demo_site.paths["cluster_report_title"]
    page.goto(demo_site("cluster_index"))
    page.get_by_label("Search").fill(title)
    page.get_by_role("button", name="Show clusters").click()
    page.get_by_role("link", name=title, exact=True).click()
    page.wait_for_url(demo_site("cluster"))
    assert heading(page) == title
    assert page.get_by_role("heading", name="Lead partner", exact=True).is_visible()
    page.get_by_role("link", name=report, exact=True).first.click()
    page.wait_for_url(demo_site("cluster_report"))
    assert heading(page) == report
    # The way back: the breadcrumbs name the factsheet.
    breadcrumbs = page.get_by_role("navigation", name="Breadcrumb")
    breadcrumbs.get_by_role("link", name=title).click()
    page.wait_for_url(demo_site("cluster"))
    assert not page.visit.errors


def test_print_a_factsheet(page, demo_site):
    page.goto(demo_site("cluster"))
    header = page.locator(".site-header")
    assert header.is_visible()
    page.emulate_media(media="print")
    # The factsheet alone: no site header, navigation, footer, filters or actions.
    assert not header.is_visible()
    assert not page.locator(".site-footer").is_visible()
    assert not page.locator(".ar-breadcrumbs").is_visible()
    assert page.locator("#ar-title").is_visible()
    assert page.locator("#ar-title").inner_text() == demo_site.paths["cluster_title"]
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    (screenshot_dir() / "cluster-factsheet-print.pdf").write_bytes(pdf)
    assert not page.visit.errors


def test_the_map_shows_markers_and_opens_one_with_the_keyboard(page, demo_site):
    page.goto(demo_site("community_map"))
    page.wait_for_selector("#ar-map[data-ar-map-state='ready']")
    count = demo_site.paths["mapped_organisations"]
    status = page.locator("[data-ar-map-status]").inner_text()
    assert f"Organisations on the map: {count}." in status
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() >= 1
    # Groups of markers open with Enter until single markers are there to Tab to.
    for _attempt in range(12):
        if page.locator(".leaflet-marker-icon:not(.marker-cluster)").count():
            break
        zoom = page.evaluate("() => document.getElementById('ar-map').arMap.map.getZoom()")
        page.locator(".marker-cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.getElementById('ar-map').arMap.map.getZoom() > {zoom}"
        )
        page.wait_for_timeout(600)  # the zoom animation
    marker = page.locator(".leaflet-marker-icon:not(.marker-cluster)").first
    assert marker.get_attribute("alt").startswith("Organisation: ")
    marker.focus()
    page.keyboard.press("Enter")
    details = page.wait_for_selector(".ar-map-details__name")
    assert details.inner_text() in demo_site.paths["organisation_names"]
    page.wait_for_function(
        "() => document.activeElement.classList.contains('ar-map-details__name')"
    )
    page.keyboard.press("Escape")
    page.wait_for_selector(".ar-map-details__name", state="detached")
    assert page.evaluate("() => document.activeElement.classList.contains('leaflet-marker-icon')")
    assert not page.visit.errors


def test_take_an_activity_into_ones_calendar(page, demo_site):
    title = demo_site.paths["activity_title"]
    page.goto(demo_site("activity"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Add to calendar")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".ics")
    calendar = open(download.path(), encoding="utf-8").read()
    assert calendar.startswith("BEGIN:VCALENDAR")
    assert "BEGIN:VEVENT" in calendar
    assert title.replace(",", "\\,")[:40] in calendar.replace("\r\n ", "")

    # The whole calendar, from the index.
    page.goto(demo_site("activity_index"))
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("Every activity")).click()
    calendar = open(download_info.value.path(), encoding="utf-8").read()
    assert calendar.count("BEGIN:VEVENT") > 1
    assert not page.visit.errors


def test_post_a_need_on_the_forum(page, demo_site, settings):
    if "forum" not in demo_site.paths:
        pytest.skip("The demo content has no forum page yet.")
    # A person takes longer than a test: no minimum time, and no limit from earlier tests.
    settings.WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 0
    settings.WAGTAIL_AR_FORUM_RATE_LIMIT = 1000
    page.goto(demo_site("forum"))
    page.get_by_role("link", name=re.compile("Post a need or an offer")).first.click()
    page.get_by_label(re.compile(r"^Your name")).fill("Ana Test")
    page.get_by_label(re.compile(r"^Organisation")).fill("Test organisation of Split")
    page.get_by_label(re.compile(r"^Country")).select_option("HR")
    page.get_by_label(re.compile(r"^Role in the community")).select_option(index=1)
    page.get_by_label(re.compile(r"^E-mail address")).fill("ana@example.org")
    page.get_by_label("Need", exact=True).check()
    page.get_by_label(re.compile(r"^Title")).fill("Partners for a seagrass monitoring pilot")
    page.get_by_label(re.compile(r"^Description")).fill(
        "We look for two MPAs to test a low-cost seagrass monitoring protocol in 2027."
    )
    page.get_by_label(re.compile("I agree to be contacted")).check()
    page.get_by_role("button", name="Send for moderation").click()
    page.wait_for_selector("h1:has-text('Thank you')")
    assert heading(page) == "Thank you: your post was sent"
    assert not page.visit.errors
