"""Every module of the package imports from a host app installed before ``wagtail_ar``.

A host's ``models.py`` runs while the app registry loads the models, before wagtail_ar's own
``models`` and before any ``ready()``: a module that needs a ready registry at import time (a
model looked up by name, Wagtail's admin) breaks the host's start-up. One ``django check`` per
module, in a subprocess: the import happens once per process.
"""

import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import wagtail_ar

ROOT = Path(__file__).resolve().parent.parent

# The modules that cannot be imported from a host's models.py, and why. Wagtail's own admin
# modules cannot be either; these are checked from the host app's ready() instead.
READY_ONLY = {
    "wagtail_ar.viewsets": (
        "subclasses Wagtail's admin page listing (wagtail.admin.views.pages.listing), which "
        "loads the Page model through swapper at import time"
    ),
    "wagtail_ar.wagtail_hooks": (
        "imports wagtail_ar.viewsets; Wagtail imports the wagtail_hooks of every app from "
        "ready() anyway"
    ),
    "wagtail_ar.endpoints": (
        "imports Wagtail's API v2 filters, whose utils load the Page model through swapper at "
        "import time; a site imports it from its URLs, as Wagtail's own API views"
    ),
    "wagtail_ar.contrib.modeladmin.options": (
        "subclasses wagtail-modeladmin's options, whose helpers load the Page model through "
        "swapper at import time"
    ),
}


def package_modules():
    return sorted(
        info.name
        for info in pkgutil.walk_packages(wagtail_ar.__path__, prefix="wagtail_ar.")
        if not info.name.startswith("wagtail_ar.migrations.")
        and info.name != "wagtail_ar.migrations"
    )


def django_check(**env):
    return subprocess.run(
        [sys.executable, "-m", "django", "check"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_hostfirst", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
@pytest.mark.parametrize("module", package_modules())
def test_a_host_app_installed_first_can_import(module):
    if module in READY_ONLY:
        result = django_check(AR_HOST_READY_IMPORTS=module)
    else:
        result = django_check(AR_HOST_IMPORTS=module)
    assert result.returncode == 0, result.stderr


def test_the_ready_only_modules_exist():
    assert set(READY_ONLY) <= set(package_modules())
