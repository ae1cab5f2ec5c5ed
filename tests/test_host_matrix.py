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
from concurrent.futures import ThreadPoolExecutor

import pytest

from .host_support import ROOT, HostProject

pytestmark = pytest.mark.slow

SUCCESS = "host ok: every page type, the forum and the feeds"


def make_host(name, tmp_path_factory, venv, *, migrate=True):
    project = HostProject(name, tmp_path_factory.mktemp(name), venv)
    if name == "host_app_first":
        app = project.add_app(ROOT / "tests" / "hostapp", "hostapp")
        apps_py = app / "apps.py"
        source = apps_py.read_text()
        assert 'name = "tests.hostapp"' in source
        apps_py.write_text(source.replace('name = "tests.hostapp"', 'name = "hostapp"'))
    if migrate:
        project.manage("migrate", "--noinput")
    return project


@pytest.fixture(scope="module")
def title_content(tmp_path_factory, host_venv):
    """Host (b), migrated and filled by the smoke script (its pages' paths in ``.paths``)."""
    project = make_host("title_content", tmp_path_factory, host_venv)
    urls = project.folder / "paths.json"
    project.output = project.smoke("--marker", 'data-host-base="title_content"', "--urls", urls)
    project.paths = json.loads(urls.read_text())
    return project


def test_b_a_host_with_only_title_and_content_blocks(title_content):
    assert SUCCESS in title_content.output, title_content.output


def test_c_a_multilingual_host_with_wagtail_localize(tmp_path_factory, host_venv):
    project = make_host("multilingual", tmp_path_factory, host_venv)
    output = project.smoke("--marker", 'data-host-base="multilingual"', "--languages", "fr,ar")
    assert "ar: every page type translated with wagtail-localize" in output, output
    assert "ClusterPage (ar): 200" in output, output
    assert SUCCESS in output, output


def test_d_a_host_app_before_wagtail_ar_with_the_map_block(tmp_path_factory, host_venv):
    project = make_host("host_app_first", tmp_path_factory, host_venv)
    project.manage("makemigrations", "--check", "--dry-run", "hostapp", "wagtail_ar")
    output = project.smoke("--marker", 'data-host-base="host_app_first"', "--host-page")
    assert "HostPage (hostapp, before wagtail_ar)" in output, output
    assert SUCCESS in output, output
