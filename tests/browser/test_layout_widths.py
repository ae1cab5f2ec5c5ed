"""Every page type at 320, 768 and 1280 px, in English and in Arabic: the layout holds (issue 21).

Each page type of the example site is loaded once per language (Arabic: the browser asks
for it, LocaleMiddleware answers with the Arabic interface, right to left), first 320 px
wide, then resized to 768 and 1280 px. At each width:

- the page does not scroll sideways (WCAG 2.1 SC 1.4.10 Reflow; at 320 px the criterion's
  own width): only a table's labelled, focusable wrapper may scroll, inside itself;
- no two cards overlap, and no card runs out of its cell of the card grid (the overlap of
  issue 21 was a card taller than its cell, over the card below);
- every cell of every table is inside its wrapper's visible box; at 320 px a wrapper may
  scroll instead, if it is a named region the keyboard reaches (the organisations table was
  clipped beside the map at 1280 px);

and at 320 px axe finds no WCAG A/AA violation (test_pages.py checks 1280 px). A screenshot
of each width (JPEG, at most 1600 px tall) goes to ``build/screenshots/layout/`` (or
``AR_SCREENSHOT_DIR``), which ``scripts/gallery`` turns into the gallery of ``docs/gallery/``.
The checks can fail: ``test_the_checks_see_an_overlap_a_clipped_table_and_a_wide_page``.
"""

import pytest

from ..browser_support import axe_violations, describe_violations, screenshot_dir
from .test_pages import OPTIONAL, PAGES, open_page

pytestmark = [pytest.mark.slow, pytest.mark.browser]

WIDTHS = (320, 768, 1280)
HEIGHT = 900
SCREENSHOT_HEIGHT = 1600  # a full page, cut at this height: the gallery stays small
LANGUAGES = {"en": "en-GB", "ar": "ar"}  # the browser's locale, hence its Accept-Language

# Measured in the page: what overlaps, what is clipped, what is too wide. Cards are the
# .ar-card elements and whatever else stands in a cell of a card grid (service blocks).
MEASURE = """() => {
  const tolerance = 0.5;
  const box = (element) => element.getBoundingClientRect();
  const describe = (element) => {
    const heading = element.querySelector('h2, h3, h4, h5, h6, th');
    const text = (heading || element).textContent.trim().replace(/\\s+/g, ' ').slice(0, 60);
    return `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} "${text}"`;
  };
  const meets = (a, b) => a.left < b.right - tolerance && b.left < a.right - tolerance
    && a.top < b.bottom - tolerance && b.top < a.bottom - tolerance;
  const inside = (inner, outer) => inner.left >= outer.left - tolerance
    && inner.right <= outer.right + tolerance && inner.top >= outer.top - tolerance
    && inner.bottom <= outer.bottom + tolerance;

  const cards = [...new Set([
    ...document.querySelectorAll('.ar-card'),
    ...document.querySelectorAll('.ar-card-list > li > *'),
  ])].filter((card) => card.getClientRects().length);
  const overlaps = [];
  cards.forEach((card, index) => {
    for (const other of cards.slice(index + 1)) {
      if (!card.contains(other) && !other.contains(card) && meets(box(card), box(other))) {
        overlaps.push(`${describe(card)} and ${describe(other)}`);
      }
    }
  });
  const outOfCell = cards
    .filter((card) => card.parentElement.matches('.ar-card-list > li'))
    .filter((card) => !inside(box(card), box(card.parentElement)))
    .map((card) => `${describe(card)}: ${Math.round(box(card).bottom - box(card.parentElement).bottom)} px past its cell`);

  const tables = [...document.querySelectorAll('table')].map((table) => {
    const wrapper = table.closest('.ar-table-wrapper') || table.parentElement;
    const visible = box(wrapper);
    const scrolls = wrapper.scrollWidth > wrapper.clientWidth + 1;
    const named = wrapper.getAttribute('role') === 'region' && wrapper.tabIndex === 0
      && !!(wrapper.getAttribute('aria-label') || wrapper.getAttribute('aria-labelledby'));
    const clipped = [...table.querySelectorAll('th, td')]
      .filter((cell) => cell.getClientRects().length && !inside(box(cell), visible))
      .map((cell) => cell.textContent.trim().slice(0, 30));
    const offScreen = visible.left < -tolerance || visible.right > innerWidth + tolerance;
    return {table: describe(table), scrolls, named, clipped: clipped.slice(0, 5), offScreen};
  });
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth,
    scrollHeight: document.documentElement.scrollHeight,
    direction: getComputedStyle(document.documentElement).direction,
    cards: cards.length,
    overlaps,
    outOfCell,
    tables,
  };
}"""


def layout_problems(measured, width):
    """What is wrong with the layout measured at ``width``: readable lines, none if it holds."""
    problems = []
    if measured["scrollWidth"] > measured["innerWidth"]:
        problems.append(
            f"scrolls sideways: {measured['scrollWidth']} px wide in {measured['innerWidth']} px"
        )
    problems += [f"cards overlap: {pair}" for pair in measured["overlaps"]]
    problems += [f"card out of its cell: {card}" for card in measured["outOfCell"]]
    for table in measured["tables"]:
        if table["offScreen"]:
            problems.append(f"{table['table']}: its wrapper is out of the screen")
        may_scroll = width <= 320 and table["named"]
        if table["clipped"] and not (table["scrolls"] and may_scroll):
            problems.append(f"{table['table']}: cells clipped: {table['clipped']}")
    return problems


def screenshot(page, path, measured):
    height = min(measured["scrollHeight"], SCREENSHOT_HEIGHT)
    clip = {"x": 0, "y": 0, "width": measured["innerWidth"], "height": height}
    page.screenshot(path=str(path), type="jpeg", quality=60, full_page=True, clip=clip)


def screenshot_path(name, language, width):
    folder = screenshot_dir() / "layout"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{name}-{language}-{width}.jpg"


def check_page(opened, demo_site, name, language):
    """Load the page ``name`` of PAGES at the first width, then resize: its problems."""
    key, suffix, status = PAGES[name]
    page = opened.page
    page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
    response = opened.goto(demo_site.paths[key] + suffix, wait_until="networkidle")
    assert response.status == status, f"{name}: HTTP {response.status}"
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-ar-map-state]')]"
        ".every(el => el.dataset.arMapState === 'ready')"
    )
    assert page.evaluate("() => document.documentElement.lang") == language
    problems = {}
    for width in WIDTHS:
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": HEIGHT})
        measured = page.evaluate(MEASURE)
        assert measured["innerWidth"] == width
        assert measured["direction"] == ("rtl" if language == "ar" else "ltr"), name
        if found := layout_problems(measured, width):
            problems[f"{width} px"] = found
        if width == 320 and (violations := axe_violations(page)):
            problems["axe at 320 px"] = describe_violations(violations).splitlines()
        path = screenshot_path(name, language, width)
        screenshot(page, path, measured)
        assert path.stat().st_size > 1000, path
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_at_320_768_and_1280_px(visit, demo_site, language):
    """One browser context per language, one load per page type, resized between widths."""
    opened = visit(viewport={"width": WIDTHS[0], "height": HEIGHT}, locale=LANGUAGES[language])
    problems = {}
    checked = []
    for name, (key, _suffix, _status) in PAGES.items():
        if key in OPTIONAL and key not in demo_site.paths:
            continue
        if found := check_page(opened, demo_site, name, language):
            problems[name] = found
        checked.append(name)
    assert {"amplification-room", "cluster-index", "community-map"} <= set(checked)
    assert not problems, f"In {language}: {problems}"
    assert not opened.errors


def test_the_checks_see_an_overlap_a_clipped_table_and_a_wide_page(visit, demo_site):
    """The checks can fail: the landing page with the overlap of issue 21 put back (a card
    as tall as its cell plus its padding and border), a table squeezed into a narrow box that
    clips it, and an element wider than the screen."""
    opened = open_page(
        visit, demo_site, "amplification-room", viewport={"width": 1280, "height": HEIGHT}
    )
    page = opened.page
    assert layout_problems(page.evaluate(MEASURE), 1280) == []
    page.add_style_tag(
        content=".ar-card-list > li { display: block; } "
        ".ar-card { box-sizing: content-box; block-size: 100%; }"
    )
    page.evaluate(
        """() => {
            const wrapper = document.createElement('div');
            wrapper.style.cssText = 'inline-size: 8rem; overflow: hidden';
            wrapper.innerHTML = '<table><tr><td>Name</td><td>City</td><td>Country</td></tr></table>';
            document.querySelector('main').append(wrapper);
            const wide = document.createElement('div');
            wide.style.cssText = 'inline-size: 2000px; block-size: 1px';
            document.querySelector('main').append(wide);
        }"""
    )
    problems = layout_problems(page.evaluate(MEASURE), 1280)
    assert any(problem.startswith("cards overlap:") for problem in problems), problems
    assert any(problem.startswith("card out of its cell:") for problem in problems), problems
    assert any("cells clipped" in problem for problem in problems), problems
    assert any(problem.startswith("scrolls sideways") for problem in problems), problems
