"""The package's stylesheets: the design system's rules, read from the CSS itself (issue 21).

- logical properties only (``margin-inline-start``, ``inset-inline-start``, ``text-align:
  start``…), so that right-to-left languages need no stylesheet of their own; a physical one
  must say why on its line (``/* physical: … */``, e.g. for a Leaflet override);
- the custom properties of the theme are declared once, on ``:where(:root)`` (specificity
  zero: the host's declarations win), and the documented ones are there; every ``var()`` the
  stylesheets use is declared or has a fallback;
- each cluster status and roadmap stage has a shape of its own, not a colour alone; focus is
  visible; ``prefers-reduced-motion`` is honoured; no font family is set (the host's fonts).

The browser checks of the same layout are in tests/browser/test_layout_widths.py.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CSS = ROOT / "wagtail_ar" / "static" / "wagtail_ar" / "css"
STYLESHEETS = sorted(CSS.glob("*.css"))
THEME = CSS / "wagtail_ar.css"

PHYSICAL = re.compile(
    r"(?<![-\w])("
    r"(margin|padding|border|scroll-margin|scroll-padding)-(left|right|top|bottom)(-\w+)?"
    r"|left|right|top|bottom|width|height|min-width|max-width|min-height|max-height"
    r"|border-(top|bottom)-(left|right)-radius"
    r")\s*:"
    r"|(float|clear|text-align)\s*:\s*(left|right)\b"
)
DOCUMENTED = [
    "--ar-accent",
    "--ar-surface",
    "--ar-surface-muted",
    "--ar-text",
    "--ar-muted",
    "--ar-border-color",
    "--ar-danger",
    "--ar-focus-color",
    "--ar-radius",
    "--ar-font-size-sm",
    "--ar-font-size-lg",
    *[f"--ar-space-{step}" for step in range(1, 7)],
]


def without_comments(text):
    return re.sub(r"/\*.*?\*/", lambda match: "\n" * match.group().count("\n"), text, flags=re.S)


def physical_properties(text):
    """(line number, line) of each physical property not justified on its line."""
    found = []
    lines = text.splitlines()
    for number, line in enumerate(without_comments(text).splitlines(), start=1):
        if line.lstrip().startswith("@media"):
            continue  # the viewport's width, which has no logical name in media queries
        if PHYSICAL.search(line) and "physical:" not in lines[number - 1]:
            found.append((number, line.strip()))
    return found


def root_block(text):
    match = re.search(r":where\(:root\)\s*\{(.*?)\n\}", without_comments(text), flags=re.S)
    assert match, "wagtail_ar.css declares its custom properties on :where(:root)"
    return match.group(1)


@pytest.mark.parametrize("path", STYLESHEETS, ids=lambda path: path.name)
def test_only_logical_properties(path):
    assert physical_properties(path.read_text()) == []


def test_the_logical_check_can_fail():
    sample = (
        ".a { margin-left: 1em; }\n.b { left: 0; }\n.c { text-align: right; }\n"
        ".d { width: 2px; }\n.e { border-top-width: 1px; }\n"
        ".f { margin-inline-start: 1em; inset-inline-start: 0; text-align: start; }\n"
        ".g { inline-size: 2px; line-height: 1; }\n"
        ".h { left: 0; } /* physical: Leaflet positions its panes with left */\n"
    )
    assert [number for number, _line in physical_properties(sample)] == [1, 2, 3, 4, 5]


def test_theme_properties_are_declared_once_at_zero_specificity():
    declared = re.findall(r"(--ar-[\w-]+)\s*:", root_block(THEME.read_text()))
    assert len(declared) == len(set(declared))
    assert set(DOCUMENTED) <= set(declared)
    for path in STYLESHEETS:
        text = without_comments(path.read_text())
        # Declared nowhere else: one place to read, one place for a host to override.
        outside = text.replace(root_block(text), "") if path == THEME else text
        assert not re.findall(r"(--ar-[\w-]+)\s*:", outside), path.name
        # Every var() is declared, or falls back (the map block may stand outside the pages).
        for name, fallback in re.findall(r"var\((--ar-[\w-]+)\s*(,)?", text):
            assert name in declared or fallback, f"{path.name}: var({name}) is never declared"


def test_theme_is_documented():
    extending = (ROOT / "docs" / "extending.md").read_text()
    assert "set `--ar-accent` in your stylesheet" in extending
    for name in DOCUMENTED:
        assert f"`{name}`" in extending, name


def test_statuses_and_stages_have_a_shape_not_only_a_colour():
    text = without_comments(THEME.read_text())
    shapes = {}
    for selector in (
        ".ar-status",
        ".ar-status--planned",
        ".ar-status--completed",
        ".ar-badge--done",
        ".ar-badge--current",
        ".ar-badge--upcoming",
    ):
        match = re.search(
            re.escape(selector) + r'::before\s*\{\s*content:\s*("[^"]+")\s*/\s*""', text
        )
        assert match, f"{selector}::before has no shape (with an empty text alternative)"
        shapes[selector] = match.group(1).replace("\\00A0", "")
    # Planned, active (the default) and completed differ; so do the three stages.
    assert (
        len({shapes[".ar-status"], shapes[".ar-status--planned"], shapes[".ar-status--completed"]})
        == 3
    )
    assert (
        len(
            {shapes[".ar-badge--done"], shapes[".ar-badge--current"], shapes[".ar-badge--upcoming"]}
        )
        == 3
    )


def test_focus_is_visible_motion_reduced_and_fonts_inherited():
    text = "\n".join(without_comments(path.read_text()) for path in STYLESHEETS)
    assert re.search(r":focus-visible[^{]*\{[^}]*outline:\s*3px solid", text)
    # Only a heading the map's script focuses (its details) goes without an outline.
    unfocused = re.findall(r"([^{}]+)\{[^}]*outline:\s*(?:none|0)\s*;", text)
    assert [selector.strip() for selector in unfocused] == [".ar-map-details__name:focus"]
    assert "@media (prefers-reduced-motion: reduce)" in THEME.read_text()
    assert not re.search(r"font-family\s*:", text)
