"""The distribution: what the wheel holds, twine's check, migrations, and a fresh `wagtail start` project.

These build wheels and make virtual environments, so they are marked ``slow``.
"""

import os
import sys
import tarfile
import zipfile

import pytest
from django.core.management import call_command

from .host_support import SMOKE, clean_env, run


@pytest.mark.django_db
def test_no_missing_migrations_for_the_package():
    call_command("makemigrations", "wagtail_ar", "--check", "--dry-run", verbosity=0)


def test_no_missing_migrations_for_the_example_site(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'example.sqlite3'}"}
    run(sys.executable, "example_site/manage.py", "makemigrations", "--check", "--dry-run", env=env)


def test_code_is_ruff_clean():
    """The lint rules of pyproject.toml (ruff: B, C4, DJ, E, F, I, S, UP, W) and its formatting."""
    run(sys.executable, "-m", "ruff", "check", "--no-cache", ".")
    run(sys.executable, "-m", "ruff", "format", "--no-cache", "--check", ".")


@pytest.mark.slow
def test_wheel_holds_templates_static_migrations_and_locales_only(dist):
    (wheel,) = dist.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for expected in (
        "wagtail_ar/models/__init__.py",
        "wagtail_ar/migrations/0001_initial.py",
        "wagtail_ar/templates/wagtail_ar/pages/cluster_page.html",
        "wagtail_ar/templates/wagtail_ar/blocks/faq_block.html",
        "wagtail_ar/static/wagtail_ar/vendor/leaflet/leaflet.js",
        "wagtail_ar/static/wagtail_ar/css/wagtail_ar.css",
        "wagtail_ar/locale/en/LC_MESSAGES/django.po",
        "wagtail_ar/locale/en/LC_MESSAGES/django.mo",
    ):
        assert expected in names, expected
    assert not [n for n in names if n.startswith(("tests/", "example_site/")) or "__pycache__" in n]


@pytest.mark.slow
def test_sdist_holds_no_example_site(dist):
    (sdist,) = dist.glob("*.tar.gz")
    names = tarfile.open(sdist).getnames()
    assert any(n.endswith("wagtail_ar/migrations/0001_initial.py") for n in names)
    assert not [n for n in names if "/example_site/" in n or "__pycache__" in n]


@pytest.mark.slow
def test_twine_check_passes(dist):
    output = run(sys.executable, "-m", "twine", "check", "--strict", *sorted(dist.iterdir()))
    assert output.count("PASSED") == 2


@pytest.mark.slow
def test_wheel_installs_into_a_fresh_wagtail_start_project(host_venv, tmp_path):
    """Host (a) of the matrix: the wheel's virtualenv (tests/conftest.py), `wagtail start`, add
    the apps, migrate, then tests/hosts/smoke.py: every page type, the forum, the feeds."""
    python = host_venv / "bin" / "python"
    run(host_venv / "bin" / "wagtail", "start", "mysite", cwd=tmp_path)
    project = tmp_path / "mysite"
    settings = project / "mysite" / "settings" / "base.py"
    settings.write_text(
        settings.read_text().replace(
            "INSTALLED_APPS = [",
            'INSTALLED_APPS = [\n    "wagtail_ar",\n    "wagtailgeowidget",\n    "django_countries",',
            1,
        )
    )
    env = clean_env(DJANGO_SETTINGS_MODULE="mysite.settings.dev", PYTHONPATH=str(project))
    run(python, "manage.py", "migrate", "--noinput", cwd=project, env=env)
    run(python, "manage.py", "makemigrations", "--check", "--dry-run", cwd=project, env=env)
    # `wagtail start` links its own stylesheet from base.html: proof a page extends it.
    output = run(python, SMOKE, "--marker", "css/mysite.css", cwd=project, env=env)
    assert "host ok: every page type, the forum and the feeds" in output, output
