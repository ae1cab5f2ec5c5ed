"""An editor's journey in the Wagtail admin, in Chromium: from logging in to a published factsheet.

Log in; add an organisation and place it on the map widget (dragging its marker, as an editor
does); add a cluster factsheet under the demo's cluster index with a lead partner and
participants chosen in the choosers; publish it; find it in the site's cluster listing. The demo
content is served by ``demo_site`` (see conftest.py); this module writes, so it has its own.
"""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail_ar.models import ClusterIndexPage, Organisation

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PASSWORD = "editor-password-for-tests"  # noqa: S105
ORGANISATION = "Parco Nazionale del Cilento"
CLUSTER = "Posidonia meadows of the Tyrrhenian coast"


@pytest.fixture(scope="module")
def editor_facts(demo_site, django_db_blocker):
    """An editor account and the admin addresses, made before any browser starts."""
    with django_db_blocker.unblock():
        get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
        index = ClusterIndexPage.objects.live().get()
        organisations = list(Organisation.objects.filter(live=True).order_by("name")[:3])
        return {
            "login": reverse("wagtailadmin_login"),
            "add_organisation": reverse(Organisation.snippet_viewset.get_url_name("add")),
            "add_cluster": reverse(
                "wagtailadmin_pages:add", args=("wagtail_ar", "clusterpage", index.pk)
            ),
            "cluster_index": index.url,
            "lead": organisations[0].name,
            "participant": organisations[1].name,
        }


def log_in(page, demo_site, facts):
    page.goto(demo_site(facts["login"]))
    page.locator("#id_username").fill("editor")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo_site("/admin/"))


def publish(page):
    """The footer's "Publish", in the menu beside "Save draft"."""
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("button[name='action-publish']").click()


def choose(page, chooser, name):
    """Open an organisation chooser (its ``…-chooser`` element) and pick ``name`` in the modal."""
    chooser.locator(".chooser__choose-button").click()
    modal = page.locator(".modal-dialog")
    modal.locator("input[name='q']").fill(name)
    # The chooser names an organisation "Name (ACRONYM)".
    modal.get_by_role("link", name=re.compile(rf"^{re.escape(name)}( \(|$)")).click()
    modal.wait_for(state="detached")
    assert chooser.locator(".chooser__title").inner_text().startswith(name)


def test_an_editor_publishes_an_organisation_and_a_factsheet(page, demo_site, editor_facts):
    facts = editor_facts
    log_in(page, demo_site, facts)

    # The organisation, placed on the map by dragging the widget's marker.
    page.goto(demo_site(facts["add_organisation"]))
    page.locator("#id_name").fill(ORGANISATION)
    page.locator("#id_organisation_type").select_option(index=1)
    location = page.locator("#id_location")
    assert location.input_value() == ""
    marker = page.locator("#id_location_map .leaflet-marker-icon")
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    start_x, start_y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(start_x, start_y)
    page.mouse.down()
    page.mouse.move(start_x + 40, start_y + 30, steps=8)
    page.mouse.up()
    page.wait_for_function("() => document.getElementById('id_location').value")
    assert re.fullmatch(r"SRID=4326;POINT\(-?[\d.]+ -?[\d.]+\)", location.input_value())
    publish(page)
    page.wait_for_url(re.compile(r"/admin/snippets/wagtail_ar/organisation/$"))
    assert ORGANISATION in page.locator(".messages").inner_text()

    # The factsheet.
    page.goto(demo_site(facts["add_cluster"]))
    page.locator("#id_title").fill(CLUSTER)
    page.locator("#id_category").select_option("thematic")
    page.locator("#id_summary").fill("Three parks share how they map seagrass.")
    page.locator("#id_question").fill("How to monitor Posidonia at low cost?")
    page.locator("[data-contentpath='objectives'] [contenteditable='true']").click()
    page.keyboard.type("Compare three monitoring protocols.")
    page.locator("#id_start_date").fill("2026-12-01")
    page.keyboard.press("Escape")
    choose(page, page.locator("#id_lead_partner-chooser"), facts["lead"])
    for number, name in enumerate((ORGANISATION, facts["participant"])):
        page.locator("#id_participants-ADD").click()
        choose(page, page.locator(f"#id_participants-{number}-organisation-chooser"), name)
        page.locator(f"#id_participants-{number}-role").select_option(index=1)
    publish(page)
    page.wait_for_url(re.compile(r"/admin/pages/\d+/$"))
    assert CLUSTER in page.locator(".messages").inner_text()

    # On the site: in the listing, and its factsheet names who takes part.
    page.goto(demo_site(facts["cluster_index"]))
    page.get_by_label("Search").fill("Posidonia")
    page.get_by_role("button", name="Show clusters").click()
    page.get_by_role("link", name=CLUSTER, exact=True).click()
    assert page.locator("h1").inner_text() == CLUSTER
    participants_section = page.locator("main")
    for name in (facts["lead"], ORGANISATION, facts["participant"]):
        assert participants_section.get_by_text(name).first.is_visible()
    assert not page.visit.errors
