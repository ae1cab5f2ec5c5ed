"""Escaping: a payload in every text field of every model comes out inert in every output.

Every plain text field (``CharField`` and ``TextField`` without choices) of every model of
``wagtail_ar``, found by introspection so that a new field is covered without editing this file,
gets :data:`PAYLOAD` (cut to its ``max_length``); every URL field gets ``javascript:alert(1)``;
tags get the payload too. Rich text is left out: Wagtail's editor cleans it on the way in (its
whitelist), and the package renders it with ``|richtext`` as Wagtail does.

Then every output is read and checked in its own language: HTML (no live ``<script>``, no
attribute broken out of, no ``javascript:`` link), JSON-LD (valid JSON that cannot close its
``<script>``), GeoJSON and the API (valid JSON), RSS and Atom (well-formed XML with the payload as
text), iCal (one event per activity: no line break can add a property or an event), and the CSV
and XLSX exports (no cell a spreadsheet would run as a formula).
"""

import csv
import datetime
import io
import json
import re
import xml.etree.ElementTree as ET  # noqa: N817 - parses our own feeds only

import icalendar
import openpyxl
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import models, transaction
from django.test import override_settings
from django.urls import reverse
from wagtail.models import Page, Site

from wagtail_ar.geo import format_point
from wagtail_ar.models import (
    AccessibilityStatementPage,
    AmplificationRoomSettings,
    ClusterPage,
    ForumReply,
)

from .utils import PAGE_KEYS, build_tree, make_forum_post, make_organisation

pytestmark = pytest.mark.django_db

PAYLOAD = "\"'><script>alert(1)</script></script>javascript:alert(1)&amp;"
SHORT_PAYLOAD = '"><script>x</script>'
# Starts a formula in a spreadsheet; the CSV exports must neutralise it wherever it is.
FORMULA = '=HYPERLINK("http://evil.example","x")'
BAD_URL = "javascript:alert(1)"
BREAKOUT_URL = 'https://example.org/?"><script>alert(1)</script>'
# Fields that are identifiers or machine values, not text a person types.
NOT_TEXT = {"slug", "url_path", "path", "location", "time_zone", "draft_title", "content_type"}


def text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            type(field) in (models.CharField, models.TextField)
            and not field.choices
            and field.editable
            and field.name not in NOT_TEXT
        ):
            yield field


def payload_for(field, value):
    if field.max_length and len(value) > field.max_length:
        return SHORT_PAYLOAD[: field.max_length]
    return value


def poison(obj, value=PAYLOAD):
    """Put ``value`` in every text field of ``obj`` and a bad URL in its URL fields."""
    obj = obj.specific if isinstance(obj, Page) else obj
    for field in text_fields(type(obj)):
        setattr(obj, field.name, payload_for(field, value))
    for field in type(obj)._meta.concrete_fields:
        if isinstance(field, models.URLField):
            # Pages are validated when published: a valid URL that tries to break out.
            setattr(obj, field.name, BREAKOUT_URL if isinstance(obj, Page) else BAD_URL)
    if isinstance(obj, Page):
        obj.save_revision().publish()
    else:
        obj.save()
    return obj


def make_forum(tree):
    forum = tree["forum"]
    post = make_forum_post(forum, "published", title="A need", answered_by=tree["cluster"])
    return forum, post


def accessibility_statement(tree):
    return tree["ar"].add_child(
        instance=AccessibilityStatementPage(
            title="Accessibility statement",
            slug="accessibility-statement",
            public_body="Community4Nature",
            scope="the Amplification Room website",
            compliance_status="partially",
            non_compliance="<p>The map cannot be used with a screen reader alone.</p>",
            preparation_date=datetime.date(2026, 1, 15),
            feedback="<p>Write to us.</p>",
            contact_email="a11y@example.org",
            enforcement_procedure="<p>Turn to the national monitoring body.</p>",
        )
    )


@pytest.fixture(scope="module")
def poisoned(django_db_setup, django_db_blocker, tmp_path_factory):
    """Every object of the tree, and a forum post, with the payload in every text field."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))),
        transaction.atomic(),
    ):
        cache.clear()
        tree = build_tree()
        tree["forum"], tree["post"] = make_forum(tree)
        # An answer awaiting its writer's confirmation: its page names the post.
        tree["reply"] = ForumReply.objects.create(
            post=tree["post"], name="x", email="x@example.org", message="x"
        )
        tree["cluster"].location = format_point(43.5, 16.4)  # on the map's cluster layer
        tree["a11y"] = accessibility_statement(tree)
        # The site's settings: the tile URL and attribution reach every map's configuration.
        tree["site_settings"] = AmplificationRoomSettings(
            site=Site.objects.get(is_default_site=True)
        )
        models_seen = set()
        for key, obj in list(tree.items()):
            poisoned_obj = poison(obj)
            tree[key] = poisoned_obj
            models_seen.add(type(poisoned_obj))
        for page in (tree["report"], tree["map"], tree["index"], tree["activities"]):
            page.specific.save_revision().publish()
        tree["cluster"].tags.add(PAYLOAD[:100])
        tree["cluster"].save_revision().publish()
        # A second organisation whose text fields all start a formula.
        formula = poison(make_organisation("x", lat=41.0, lng=2.1), FORMULA)
        tree["formula"] = formula
        admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw")
        tree["admin"] = admin
        for key in PAGE_KEYS:
            tree[key] = tree[key].specific_class.objects.get(pk=tree[key].pk)
        yield {"tree": tree, "models": models_seen}
        transaction.set_rollback(True)
    cache.clear()


def test_every_model_with_text_fields_is_poisoned(poisoned):
    """The introspection found the text fields of every model of the package that has any."""
    with_text = {
        model
        for model in apps.get_app_config("wagtail_ar").get_models()
        if list(text_fields(model))
    }
    covered = poisoned["models"]
    # Through models and inline items (participants, documents) are reached from their pages;
    # the forum's rate-limit counts and spent tokens hold hashes and nonces, never shown; an
    # admin import's job is shown to its uploader only, in the admin, and its preview escapes
    # what the file holds (tests/test_admin_import.py, test_the_preview_escapes_…).
    missing = {m.__name__ for m in with_text - covered if not m._meta.auto_created}
    assert missing <= {
        "ClusterParticipant",
        "WorkingGroupPolicyPaper",
        "ClusterReportAttachment",
        "ForumCounter",
        "ForumUsedToken",
        "ImportJob",
    }


# Checks ------------------------------------------------------------------------------------------


def assert_inert_html(html):
    assert "<script>alert(1)" not in html
    assert "<script>x</script>" not in html
    assert "'><script" not in html and '"><script' not in html
    assert not re.search(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", html, re.I)
    # The payload is there, escaped: the check above looked at the right thing.
    assert "&lt;script&gt;" in html or "\\u003Cscript\\u003E" in html


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return b"".join(response) if response.streaming else response.content


PUBLIC_HTML = [
    lambda t: t["ar"].url,
    lambda t: t["wg"].url,
    lambda t: t["index"].url,
    lambda t: t["index"].url + "?q=script",
    lambda t: t["cluster"].url,
    lambda t: t["report"].url,
    lambda t: t["activities"].url,
    lambda t: t["activity"].url,
    lambda t: t["map"].url,
    lambda t: t["map"].url + f"organisations/{t['lead'].pk}/",
    lambda t: t["forum"].url,
    lambda t: t["forum"].url + f"{t['post'].pk}/",
    lambda t: t["a11y"].url,
    lambda t: t["forum"].url + f"{t['post'].pk}/confirm/{t['reply'].pk}/{t['reply'].code()}/",
]
PUBLIC_HTML_IDS = [
    "landing",
    "working_group",
    "cluster_listing",
    "cluster_search",
    "factsheet",
    "report",
    "activity_listing",
    "activity",
    "map",
    "organisation_details",
    "forum",
    "forum_post",
    "accessibility_statement",
    "forum_reply_confirm",
]


@pytest.mark.parametrize("url", PUBLIC_HTML, ids=PUBLIC_HTML_IDS)
def test_public_html_is_inert(client, poisoned, url):
    assert_inert_html(get(client, url(poisoned["tree"])).decode())


ADMIN_HTML = [
    lambda t: reverse("wagtailadmin_home"),
    lambda t: reverse("wagtail_ar_cluster_factsheets:index"),
    lambda t: reverse("wagtailsnippets_wagtail_ar_organisation:list"),
    lambda t: reverse("wagtailsnippets_wagtail_ar_organisation:inspect", args=[t["lead"].pk]),
    lambda t: reverse("wagtailsnippets_wagtail_ar_organisation:edit", args=[t["lead"].pk]),
    lambda t: reverse("wagtailsnippets_wagtail_ar_thematicproject:list"),
    lambda t: reverse("wagtailsnippets_wagtail_ar_solution:list"),
    lambda t: reverse("wagtailsnippets_wagtail_ar_forumpost:list"),
    lambda t: reverse("wagtailsnippets_wagtail_ar_forumpost:inspect", args=[t["post"].pk]),
    lambda t: reverse("wagtailadmin_pages:edit", args=[t["cluster"].pk]),
    lambda t: reverse("wagtailadmin_explore", args=[t["index"].pk]),
]
ADMIN_HTML_IDS = [
    "dashboard",
    "cluster_factsheets",
    "organisations",
    "organisation_inspect",
    "organisation_edit",
    "thematic_projects",
    "solutions",
    "forum_posts",
    "forum_post_inspect",
    "cluster_edit",
    "explorer",
]


@pytest.mark.parametrize("url", ADMIN_HTML, ids=ADMIN_HTML_IDS)
def test_admin_html_is_inert(client, poisoned, url):
    client.force_login(poisoned["tree"]["admin"])
    html = get(client, url(poisoned["tree"])).decode()
    assert "<script>alert(1)" not in html
    assert "<script>x</script>" not in html
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.I)


@pytest.mark.parametrize("key", ["cluster", "report"])
def test_json_ld_cannot_close_its_script(client, poisoned, key):
    html = get(client, poisoned["tree"][key].url).decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert scripts
    for script in scripts:
        assert "<" not in script
        data = json.loads(script)
        assert PAYLOAD in json.dumps(data, ensure_ascii=False) or SHORT_PAYLOAD in script


@pytest.mark.parametrize("layer", ["clusters", "activities"])
def test_geojson_is_valid_json_with_the_payload_as_data(client, poisoned, layer):
    tree = poisoned["tree"]
    raw = get(client, tree["map"].url + f"geojson/?layer={layer}").decode()
    assert "<" not in raw
    names = [f["properties"]["n"] for f in json.loads(raw)["features"]]
    assert PAYLOAD in names


def test_api_is_json(client, poisoned):
    response = client.get("/api/v2/pages/?fields=*&limit=20")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    titles = [item["title"] for item in json.loads(response.content)["items"]]
    assert PAYLOAD in titles


@pytest.mark.parametrize("path", ["feed/", "feed/atom/"])
def test_feeds_are_well_formed_with_the_payload_as_text(client, poisoned, path):
    raw = get(client, poisoned["tree"]["index"].url + path)
    root = ET.fromstring(raw)  # noqa: S314 - our own output
    texts = [element.text or "" for element in root.iter()]
    assert PAYLOAD in texts
    assert b"<script>" not in raw
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "script"]


@pytest.mark.parametrize("which", ["index", "activity"])
def test_calendars_hold_one_event_with_the_payload_as_text(client, poisoned, which, settings):
    settings.WAGTAIL_AR_CALENDAR_PAST_DAYS = None  # the tree's activity is dated 2024
    tree = poisoned["tree"]
    page = tree["activities"] if which == "index" else tree["activity"]
    calendar = icalendar.Calendar.from_ical(get(client, page.url + "ical/"))
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    assert str(events[0]["SUMMARY"]) == PAYLOAD
    assert "URL" not in events[0] or not str(events[0]["URL"]).startswith("javascript:")


EXPORTS = [
    "wagtail_ar_cluster_factsheets:index",
    "wagtailsnippets_wagtail_ar_organisation:list",
    "wagtailsnippets_wagtail_ar_thematicproject:list",
    "wagtailsnippets_wagtail_ar_solution:list",
]


@pytest.mark.parametrize("name", EXPORTS, ids=[name.split(":")[0] for name in EXPORTS])
def test_csv_exports_start_no_formula(client, poisoned, name):
    tree = poisoned["tree"]
    client.force_login(tree["admin"])
    # The cluster whose text fields all start a formula, for the factsheets report.
    poison(ClusterPage.objects.get(pk=tree["cluster"].pk), FORMULA)  # rolled back after
    rows = list(csv.reader(io.StringIO(get(client, reverse(name) + "?export=csv").decode())))
    cells = [cell for row in rows[1:] for cell in row]
    assert any(FORMULA in cell for cell in cells) or any("<script>" in cell for cell in cells)
    for cell in cells:
        assert cell[:1] not in ("=", "+", "@", "\t", "\r"), cell
        assert not (cell[:1] == "-" and not re.fullmatch(r"-\d+(\.\d+)?", cell)), cell


@pytest.mark.parametrize("name", EXPORTS, ids=[name.split(":")[0] for name in EXPORTS])
def test_xlsx_exports_hold_text_never_formulas(client, poisoned, name):
    client.force_login(poisoned["tree"]["admin"])
    workbook = openpyxl.load_workbook(io.BytesIO(get(client, reverse(name) + "?export=xlsx")))
    for row in workbook.active.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f", cell.value
