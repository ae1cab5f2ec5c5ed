"""First clustered paint of the community map at 10,000 organisations, in headless Chromium.

    .venv/bin/python bench/map_first_paint.py [--organisations 10000] [--runs 5]

Builds a throwaway SQLite database (in a temporary folder, removed at the end) with one
Amplification Room, its community map and N published organisations spread over the
Mediterranean; serves the site on 127.0.0.1 with a threaded WSGI server (static files
included); loads the map page in headless Chromium through Playwright, each run in a fresh
browser context (empty cache); and prints, per run, the time from navigation start to the
first painted clustered view (the performance mark ``wagtail_ar:map-clustered`` that
``community_map.js`` sets once the markers are clustered and the frame is painted).

Map tiles are answered inside the browser with an empty image, so nothing leaves the
machine; any other request to another host is blocked and reported.

Needs Playwright (``pip install playwright``) and a Chromium: ``/usr/bin/chromium`` by
default, or ``--chromium PATH``, or Playwright's own with ``--chromium playwright``. The
budget of the issue is 1 second; ``--check`` exits with status 1 when the median exceeds it.
"""

import argparse
import base64
import gzip
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urlsplit
from urllib.request import urlopen
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 1000.0
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# A 1×1 transparent PNG: the answer to every tile request.
EMPTY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--organisations", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--check", action="store_true", help="exit 1 over the 1 s budget")
    return parser.parse_args()


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_content(count, seed):
    """One Amplification Room with its map and ``count`` organisations; returns the map page."""
    from wagtail.models import Locale, Site

    from wagtail_ar.geo import format_point
    from wagtail_ar.models import (
        AmplificationRoomPage,
        CommunityMapPage,
        CommunityRole,
        Organisation,
        OrganisationType,
    )

    root = Site.objects.get(is_default_site=True).root_page
    ar = root.add_child(instance=AmplificationRoomPage(title="Amplification Room", slug="ar"))
    community_map = ar.add_child(instance=CommunityMapPage(title="Community map", slug="map"))
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    roles = [value for value, _label in CommunityRole.choices]
    types = [value for value, _label in OrganisationType.choices]
    locale = Locale.get_default()
    organisations = []
    for number in range(count):
        # Both shores of the Mediterranean, from Gibraltar to the Levant.
        latitude = round(rng.uniform(30.0, 46.0), 6)
        longitude = round(rng.uniform(-6.0, 36.0), 6)
        organisations.append(
            Organisation(
                name=f"Organisation {number:05d}",
                organisation_type=rng.choice(types),
                community_roles=rng.sample(roles, rng.randint(1, 2)),
                country=rng.choice(["IT", "ES", "FR", "GR", "HR", "TN", "MA", "EG", "TR", "CY"]),
                location=format_point(latitude, longitude),
                # bulk_create skips save(), which derives these from location.
                latitude=latitude,
                longitude=longitude,
                locale=locale,
                live=True,
            )
        )
    Organisation.objects.bulk_create(organisations, batch_size=1000)
    return community_map


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def serve():
    """The site on 127.0.0.1 (a free port), static files included; returns (server, base URL)."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    application = StaticFilesHandler(get_wsgi_application())
    server = make_server(
        "127.0.0.1", 0, application, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


def payload_sizes(url):
    with urlopen(url) as response:  # noqa: S310 - our own loopback server
        body = response.read()
    return len(body), len(gzip.compress(body, compresslevel=6))


def measure(url, runs, chromium):
    from playwright.sync_api import sync_playwright

    host = urlsplit(url).netloc
    results, blocked = [], set()
    with sync_playwright() as playwright:
        options = {"headless": True, "args": CHROMIUM_ARGS}
        if chromium != "playwright":
            options["executable_path"] = chromium
        browser = playwright.chromium.launch(**options)
        try:
            for _run in range(runs):
                context = browser.new_context(viewport={"width": 1280, "height": 800})

                def route(route_request):
                    netloc = urlsplit(route_request.request.url).netloc
                    if netloc == host:
                        return route_request.continue_()
                    if route_request.request.resource_type == "image":
                        # Map tiles: an empty image, so that nothing leaves the machine.
                        return route_request.fulfill(body=EMPTY_PNG, content_type="image/png")
                    blocked.add(route_request.request.url)
                    return route_request.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.goto(url, wait_until="domcontentloaded")
                page.wait_for_selector("[data-ar-map-state='ready']", timeout=60_000)
                timing = page.evaluate(
                    """() => {
                        const mark = performance.getEntriesByName("wagtail_ar:map-clustered")[0];
                        const paint = performance.getEntriesByName("first-contentful-paint")[0];
                        const at = (name) => {
                            const entry = performance.getEntriesByName(name)[0];
                            return entry ? entry.startTime : null;
                        };
                        const data = performance.getEntriesByType("resource").find(
                            (entry) => entry.name.includes("/geojson/")
                        );
                        return {
                            clustered: mark ? mark.startTime : null,
                            dataStart: data ? data.startTime : null,
                            dataEnd: data ? data.responseEnd : null,
                            parsed: at("wagtail_ar:map-data"),
                            clustering: at("wagtail_ar:map-markers"),
                            fcp: paint ? paint.startTime : null,
                            clusters: document.querySelectorAll(".marker-cluster").length,
                            markers: document.querySelectorAll(".leaflet-marker-icon:not(.marker-cluster)").length,
                        };
                    }"""
                )
                results.append(timing)
                context.close()
        finally:
            browser.close()
    return results, blocked


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory(prefix="wagtail_ar_bench_") as folder:
        started = time.perf_counter()
        setup_django(Path(folder) / "bench.sqlite3")
        community_map = build_content(args.organisations, args.seed)
        print(
            f"built {args.organisations:,} organisations in a throwaway SQLite database "
            f"({time.perf_counter() - started:.1f} s)"
        )
        server, base = serve()
        try:
            url = base + community_map.url
            raw, gzipped = payload_sizes(url + "geojson/")
            print(
                f"GeoJSON: {raw:,} bytes, {raw / max(args.organisations, 1):.1f} bytes per point, "
                f"{gzipped:,} bytes gzipped"
            )
            results, blocked = measure(url, args.runs, args.chromium)
        finally:
            server.shutdown()
    for number, timing in enumerate(results, start=1):
        print(
            f"run {number}: first clustered paint {timing['clustered']:.0f} ms "
            f"(first contentful paint {timing['fcp'] or 0:.0f} ms; GeoJSON requested at "
            f"{timing['dataStart'] or 0:.0f} ms, received at {timing['dataEnd'] or 0:.0f} ms; "
            f"clustering from {timing['clustering'] or 0:.0f} ms; "
            f"{timing['clusters']} clusters and {timing['markers']} single markers drawn)"
        )
    times = [timing["clustered"] for timing in results if timing["clustered"] is not None]
    median = statistics.median(times)
    print(
        f"first clustered paint at {args.organisations:,} organisations: median {median:.0f} ms, "
        f"best {min(times):.0f} ms, worst {max(times):.0f} ms over {len(times)} runs "
        f"(budget {BUDGET_MS:.0f} ms: {'within' if median <= BUDGET_MS else 'OVER'})"
    )
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        cpus = os.cpu_count() or 1
        note = " (a busy machine: expect slower times)" if load > cpus else ""
        print(f"load average {load:.1f} on {cpus} CPUs{note}")
    if blocked:
        print(f"blocked requests to other hosts: {sorted(blocked)}")
    return 1 if args.check and (median > BUDGET_MS or blocked) else 0


if __name__ == "__main__":
    sys.exit(main())
