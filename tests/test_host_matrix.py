"""The host matrix (issue 19): host projects made from ``tests/hosts/`` run the built wheel.

Every host runs in one virtualenv with the wheel installed (``host_venv``, tests/conftest.py;
host (a), ``wagtail start``, is tests/test_packaging.py's) and runs tests/hosts/smoke.py: every
page type inside the host's base template with the package's assets once, the forum round trip,
the feeds. The hosts:

- (b) ``title_content``: a base template with only ``title`` and ``content`` blocks and its
  scripts in ``page_scripts``; Chromium sees the community map paint its markers there;
- (c) ``multilingual``: ``i18n_patterns``, English, French and Arabic, wagtail-localize;
- (d) ``host_app_first``: the host's own app (a copy of tests/hostapp), before wagtail_ar in
  INSTALLED_APPS, with the MapBlock in its page type.

And ``manage.py check`` on host (b) with one thing broken at a time
(tests/hosts/common/misconfigured.py): each check id of wagtail_ar/checks.py is printed.

They build a wheel and a virtualenv and start processes: marked ``slow`` (CI's leg 1 runs them,
the nox sessions of legs 2 and 3 leave them out).
"""

import json
import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from .browser_support import DESKTOP, chromium
from .host_support import ROOT, HostProject
from .test_map_browser import TILE_HOST, Recorder

pytestmark = pytest.mark.slow

SUCCESS = "host ok: every page type, the forum and the feeds"


def make_host(name, tmp_path_factory, venv, database=None):
    """The host project ``name``; with ``database``, a copy of it migrated with the host's
    settings (only the migrations of the host's other apps run)."""
    project = HostProject(name, tmp_path_factory.mktemp(name), venv)
    if name == "host_app_first":
        app = project.add_app(ROOT / "tests" / "hostapp", "hostapp")
        apps_py = app / "apps.py"
        source = apps_py.read_text()
        assert 'name = "tests.hostapp"' in source
        apps_py.write_text(source.replace('name = "tests.hostapp"', 'name = "hostapp"'))
    if database is not None:
        shutil.copy(database, project.folder / "db.sqlite3")
        project.manage("migrate", "--noinput")
    return project


@pytest.fixture(scope="module")
def base_host(tmp_path_factory, host_venv):
    """Host (b)'s project, migrated once and left empty: ``manage.py check`` runs in it, and
    the hosts start from a copy of its database (migrating all of Wagtail three times would
    cost a minute of CI)."""
    project = make_host("title_content", tmp_path_factory, host_venv)
    project.manage("migrate", "--noinput")
    return project


@pytest.fixture(scope="module")
def title_content(tmp_path_factory, host_venv, base_host):
    """Host (b), migrated and filled by the smoke script (its pages' paths in ``.paths``)."""
    project = make_host("title_content", tmp_path_factory, host_venv, base_host.database)
    urls = project.folder / "paths.json"
    project.output = project.smoke("--marker", 'data-host-base="title_content"', "--urls", urls)
    project.paths = json.loads(urls.read_text())
    return project


def test_b_a_host_with_only_title_and_content_blocks(title_content):
    assert SUCCESS in title_content.output, title_content.output


@pytest.mark.browser
def test_b_chromium_sees_the_community_map_paint_its_markers(title_content):
    """Host (b) served by ``runserver`` from the wheel's virtualenv (DEBUG on: it serves the
    static files), opened in Chromium: the map's markers are painted, Leaflet's stylesheet is
    applied, and no request leaves the server and the (answered) tile host."""
    with title_content.server() as url, chromium() as browser:
        context = browser.new_context(viewport=DESKTOP)
        recorder = Recorder(context, url)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(url + title_content.paths["CommunityMapPage"])
        assert page.locator('body[data-host-base="title_content"]').count() == 1
        page.wait_for_selector("#ar-map[data-ar-map-state='ready']", timeout=30_000)
        icons = page.locator("#ar-map .leaflet-marker-icon")
        icons.first.wait_for(state="visible", timeout=10_000)
        painted = [icons.nth(i).is_visible() for i in range(icons.count())]
        assert painted and all(painted)
        assert "Organisations on the map: 2." in page.locator("[data-ar-map-status]").inner_text()
        position = "() => getComputedStyle(document.querySelector('.leaflet-pane')).position"
        assert page.evaluate(position) == "absolute"
        assert recorder.hosts <= {urlsplit(url).netloc, TILE_HOST}, recorder.hosts
        assert not errors
        context.close()


def test_c_a_multilingual_host_with_wagtail_localize(tmp_path_factory, host_venv, base_host):
    project = make_host("multilingual", tmp_path_factory, host_venv, base_host.database)
    output = project.smoke("--marker", 'data-host-base="multilingual"', "--languages", "fr,ar")
    assert "ar: every page type translated with wagtail-localize" in output, output
    assert "ClusterPage (ar): 200" in output, output
    assert SUCCESS in output, output


def test_d_a_host_app_before_wagtail_ar_with_the_map_block(tmp_path_factory, host_venv, base_host):
    project = make_host("host_app_first", tmp_path_factory, host_venv, base_host.database)
    project.manage("makemigrations", "--check", "--dry-run", "hostapp", "wagtail_ar")
    output = project.smoke("--marker", 'data-host-base="host_app_first"', "--host-page")
    assert "HostPage (hostapp, before wagtail_ar)" in output, output
    assert SUCCESS in output, output


# manage.py check on misconfigured hosts --------------------------------------------------------

CHECKS = ROOT / "wagtail_ar" / "checks.py"
ERRORS = ["E001", "E002", "E003", "E004", "E005"]
WARNINGS = ["W001", "W002", "W003", "W004", "W005"]


def printed_ids(result):
    return set(re.findall(r"wagtail_ar\.[EW]\d{3}", result.stdout + result.stderr))


@pytest.fixture(scope="module")
def checked(base_host):
    """``manage.py check`` of host (b), as it is and with each check id's misconfiguration
    (tests/hosts/common/misconfigured.py), two at a time: {id or "good": the finished
    process}. Errors are checked plainly (they fail it), warnings with ``--fail-level
    WARNING``."""
    project = base_host

    def check(break_id):
        if break_id == "good":
            return project.manage("check", "--fail-level", "WARNING", check=False)
        args = ["check", "--fail-level", "WARNING"] if break_id.startswith("W") else ["check"]
        return project.manage(
            *args,
            settings="hostsite.misconfigured",
            env={"AR_HOST_BREAK": break_id},
            check=False,
        )

    names = ["good", *ERRORS, *WARNINGS, "W001-plain"]
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(names, pool.map(check, names[:-1] + ["W001"]), strict=True))
    # A warning alone does not fail a plain check.
    results["W001-plain"] = project.manage(
        "check", settings="hostsite.misconfigured", env={"AR_HOST_BREAK": "W001"}, check=False
    )
    return results


def describe(result):
    return f"exit {result.returncode}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"


def test_every_check_id_has_its_misconfigured_host():
    # Every id the checks can give (some pass theirs through a helper).
    ids = set(re.findall(r'"wagtail_ar\.([EW]\d{3})"', CHECKS.read_text()))
    assert sorted(ids) == ERRORS + WARNINGS


def test_the_host_as_configured_passes_the_checks(checked):
    result = checked["good"]
    assert result.returncode == 0, describe(result)
    assert not printed_ids(result), describe(result)


@pytest.mark.parametrize("check_id", ERRORS)
def test_an_error_fails_manage_py_check_with_its_id(checked, check_id):
    result = checked[check_id]
    assert result.returncode != 0, describe(result)
    # Exactly that one: each misconfiguration breaks one thing.
    assert printed_ids(result) == {f"wagtail_ar.{check_id}"}, describe(result)
    assert "SystemCheckError" in result.stderr, describe(result)


@pytest.mark.parametrize("check_id", WARNINGS)
def test_a_warning_fails_check_at_the_warning_level_with_its_id(checked, check_id):
    result = checked[check_id]
    assert result.returncode != 0, describe(result)
    assert printed_ids(result) == {f"wagtail_ar.{check_id}"}, describe(result)


def test_a_warning_alone_passes_a_plain_check_and_is_printed(checked):
    result = checked["W001-plain"]
    assert result.returncode == 0, describe(result)
    assert printed_ids(result) == {"wagtail_ar.W001"}, describe(result)
