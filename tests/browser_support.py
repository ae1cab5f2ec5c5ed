"""What every browser test shares: Debian's Chromium driven by Playwright, axe-core, screenshots.

Playwright comes from PyPI (the test extra) and never downloads a browser: it drives the
Chromium that ``scripts/install-browser`` installs (``/usr/bin/chromium``, or the one named by
``WAGTAIL_AR_TEST_CHROMIUM``). axe-core comes from the npm registry, locked in
``tests/browser/package-lock.json`` and installed by the same script into
``tests/browser/node_modules``.

Without them the tests are skipped with the reason, except when the environment variable
``CI`` is set: there they fail, so that CI cannot pass without a browser.

While Playwright's synchronous API is started, its event loop is the running loop of the test's
thread: Django then refuses database work in that thread (``SynchronousOnlyOperation``) and
asgiref would hand it another connection. So a test writes its rows and reads what it needs
*before* the browser starts, and the browser is stopped before the rows are flushed; the live
server's own thread is not concerned.
"""

import contextlib
import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("WAGTAIL_AR_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
AXE_SCRIPT = ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA: what EN 301 549 asks, and WCAG 2.2 AA on top.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def unavailable(reason):
    """Skip the test, or fail it in CI (where the browser tests must run)."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} CI is set, so the browser tests must run.", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def chromium():
    """A started headless Chromium (a Playwright ``Browser``); skips when there is none."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        unavailable("Playwright is not installed: pip install -e '.[test]'.")
    if not Path(CHROMIUM).is_file():
        unavailable(
            f"No Chromium at {CHROMIUM}: run scripts/install-browser or set WAGTAIL_AR_TEST_CHROMIUM."
        )
    playwright = sync_playwright().start()
    try:
        try:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
        except Error as error:
            unavailable(f"Chromium at {CHROMIUM} does not start: {error}")
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


# Axe ------------------------------------------------------------------------------------------


def axe_source():
    if not AXE_SCRIPT.is_file():
        unavailable(f"No axe-core at {AXE_SCRIPT}: run scripts/install-browser (npm ci).")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page, tags=AXE_TAGS):
    """Run axe-core on the page as it is now; return its violations of the WCAG A/AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        tags,
    )
    return result["violations"]


def describe_violations(violations):
    """One readable line per failing element: rule, impact, selector and axe's summary."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            summary = node.get("failureSummary", "").replace("\n", " ")
            lines.append(
                f"{violation['id']} ({violation['impact']}) {json.dumps(node['target'])}: {summary}"
            )
    return "\n".join(lines)


# Screenshots ----------------------------------------------------------------------------------


def screenshot_dir():
    """Where screenshots go: ``build/screenshots/`` (ignored by git), or ``AR_SCREENSHOT_DIR``."""
    folder = Path(os.environ.get("AR_SCREENSHOT_DIR") or ROOT / "build" / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def screenshot_name(name, width):
    return f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}-{width}.png"
