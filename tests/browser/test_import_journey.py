"""An editor imports organisations in the admin, in Chromium: upload, preview, correct, confirm.

Log in; open the organisations' listing and its Import button; upload a CSV file with one bad
row: the preview marks the bad cell at its row and column and offers no confirmation; upload
the corrected file: the preview shows the rows to create; confirm; the listing names the
counts and shows the new rows. The demo content is served by ``demo_site`` (see conftest.py).

The test's transaction never commits (the live server shares it on SQLite), so the import's
tasks are enqueued at once rather than on commit, as a committed request would do.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from wagtail_ar import tasks
from wagtail_ar.imports import jobs
from wagtail_ar.models import Organisation

from ..browser_support import axe_violations, describe_violations

pytestmark = [pytest.mark.slow, pytest.mark.browser]

PASSWORD = "importer-password-for-tests"  # noqa: S105
HEADER = "name,acronym,organisation_type,country,city"
BAD = f"""{HEADER}
Imported Lagoon Trust,ILT,other,IT,Venezia
Imported Reef Society,IRS,research,Atlantis,Split
"""
GOOD = BAD.replace("Atlantis", "HR")


@pytest.fixture(scope="module")
def importer_facts(demo_site, django_db_blocker):
    with django_db_blocker.unblock():
        get_user_model().objects.create_superuser("importer", "importer@example.org", PASSWORD)
        return {
            "login": reverse("wagtailadmin_login"),
            "listing": reverse(Organisation.snippet_viewset.get_url_name("list")),
        }


@pytest.fixture
def enqueue_at_once(monkeypatch):
    monkeypatch.setattr(jobs, "enqueue_on_commit", tasks.enqueue)


def upload(page, name, text):
    page.locator("input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": text.encode("utf-8")}]
    )
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()


def test_an_editor_previews_corrects_and_imports_a_file(
    page, demo_site, importer_facts, enqueue_at_once
):
    facts = importer_facts
    page.goto(demo_site(facts["login"]))
    page.locator("#id_username").fill("importer")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(demo_site("/admin/"))

    page.goto(demo_site(facts["listing"]))
    page.get_by_role("link", name="Import").click()
    page.wait_for_url("**/import/")

    # One bad row: the cell is marked at its row and column, and nothing can be confirmed.
    upload(page, "organisations.csv", BAD)
    table = page.get_by_role("table", name="What importing organisations.csv would do, row by row")
    bad_cell = table.locator("tr[data-row='3'] td[data-column='country']")
    assert "Atlantis" in bad_cell.inner_text()
    assert "is not a country" in bad_cell.inner_text()
    assert bad_cell.get_attribute("aria-invalid") == "true"
    assert "Row 3, column “country”" in page.locator("[role='alert']").first.inner_text()
    assert page.get_by_role("button", name="Confirm the import").count() == 0
    assert table.locator("tr[data-row='2']").get_attribute("data-outcome") == "created"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    # The corrected file: both rows to create, then confirmed.
    upload(page, "organisations-fixed.csv", GOOD)
    assert "To be created: 2" in page.locator("[data-ar-import-counts]").inner_text()
    page.get_by_role("button", name="Confirm the import").click()
    page.wait_for_url(demo_site(facts["listing"]))
    assert "2 created, 0 updated, 0 unchanged" in page.locator(".messages").inner_text()
    # Found in the listing, by its search.
    page.goto(demo_site(facts["listing"] + "?q=Imported"))
    listing = page.locator("main").inner_text()
    assert "Imported Lagoon Trust" in listing and "Imported Reef Society" in listing
