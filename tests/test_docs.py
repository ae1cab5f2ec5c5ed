"""The documentation: the MkDocs site builds strictly, and the README stays short and true.

The site is ``mkdocs.yml`` plus ``docs/``; strict mode and its ``validation`` options make a
broken link or a missing anchor an error, which ``test_strict_build_fails_on_a_broken_link``
proves on a copy of the docs.
"""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def mkdocs_build(project, site_dir):
    pytest.importorskip("mkdocs", reason="mkdocs is in the test extra")
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "-f",
            str(project / "mkdocs.yml"),
            "-d",
            str(site_dir),
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )


def copy_docs(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(ROOT / "docs", project / "docs")
    return project


def conf_setting_names():
    """The keys of ``DEFAULTS`` in wagtail_ar/conf.py, read from its source."""
    tree = ast.parse((ROOT / "wagtail_ar" / "conf.py").read_text())
    for node in ast.walk(tree):
        targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "DEFAULTS" for t in targets):
            assert isinstance(node.value, ast.Dict)
            return [key.value for key in node.value.keys]
    raise AssertionError("wagtail_ar/conf.py has no DEFAULTS dict")


def test_strict_build_passes(tmp_path):
    result = mkdocs_build(ROOT, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file()
    assert (tmp_path / "site" / "benchmarks" / "index.html").is_file()


@pytest.mark.parametrize(
    "link",
    ["[gone](no-such-page.md)", "[gone](caching.md#no-such-anchor)", "[gone](#no-such-anchor)"],
)
def test_strict_build_fails_on_a_broken_link(tmp_path, link):
    project = copy_docs(tmp_path)
    page = project / "docs" / "forum.md"
    page.write_text(page.read_text() + f"\nSee {link}.\n")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0, result.stderr
    assert "forum.md" in result.stderr, result.stderr


def test_readme_has_at_most_200_lines():
    lines = README.read_text().splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; move the detail to docs/"


def test_conf_setting_names_are_found():
    names = conf_setting_names()
    assert "BASE_TEMPLATE" in names and len(names) == len(set(names)) > 10


def test_readme_settings_table_lists_every_setting():
    table = re.findall(r"^\| `WAGTAIL_AR_([A-Z0-9_]+)` \|", README.read_text(), re.MULTILINE)
    missing = [name for name in conf_setting_names() if name not in table]
    assert not missing, f"settings read in wagtail_ar/conf.py missing from README.md: {missing}"
    unknown = [name for name in table if name not in conf_setting_names()]
    assert not unknown, f"README.md lists settings wagtail_ar/conf.py does not read: {unknown}"


def test_readme_relative_links_exist():
    links = MARKDOWN_LINK.findall(README.read_text())
    relative = [link for link in links if not re.match(r"^(https?:|mailto:|#)", link)]
    assert relative, "README.md links to no docs page"
    broken = [link for link in relative if not (ROOT / link.split("#", 1)[0]).exists()]
    assert not broken, f"README.md links to missing files: {broken}"
