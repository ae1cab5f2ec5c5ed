"""wagtail_ar.contrib.modeladmin in a site built on wagtail-modeladmin (the "modeladmin" extra).

The site is tests/settings_modeladmin.py with tests/modeladmin_app; its checks run in a pytest
subprocess, since wagtail-modeladmin is not installed in the main test settings.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_the_model_admins_can_be_imported_without_being_registered():
    pytest.importorskip("wagtail_modeladmin")
    from wagtail_ar.contrib.modeladmin import options

    assert {
        "ClusterPageAdmin",
        "OrganisationAdmin",
        "ThematicProjectAdmin",
        "SolutionAdmin",
        "AmplificationRoomAdminGroup",
    } <= set(vars(options))
    hooks = (ROOT / "wagtail_ar" / "wagtail_hooks.py").read_text()
    assert "modeladmin" not in hooks  # nothing is registered for the site


def test_the_model_admins_in_a_site_of_their_own():
    pytest.importorskip("wagtail_modeladmin")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings_modeladmin"}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "tests/modeladmin_app/modeladmin_checks.py",
            "--ds=tests.settings_modeladmin",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "-q",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "4 passed" in result.stdout
