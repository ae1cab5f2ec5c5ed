"""First clustered paint of the community map, supercluster against Leaflet.markercluster.

    .venv/bin/python bench/map_first_paint.py [--organisations 10000 100000] [--runs 5]
        [--paths supercluster markercluster] [--no-pan] [--check]

Builds a throwaway SQLite database (in a temporary folder, removed at the end) with one
Amplification Room, its community map and the organisations spread over the Mediterranean
(the smallest size first, then more up to each next size); serves the site on 127.0.0.1 with
a threaded WSGI server (static files included); and loads the map page in headless Chromium
through Playwright, each run in a fresh browser context (empty cache), by two paths in the same
run:

``supercluster``   the package as it is (``community_map.js`` on supercluster);
``markercluster``  the same page with the scripts of before (``bench/static/markercluster_path/``:
                   the former ``community_map.js`` and Leaflet.markercluster, answered inside
                   the browser in place of the package's script; nothing of it is in the wheel).

It prints, per run, the time from navigation start to the first painted clustered view (the
performance mark ``wagtail_ar:map-clustered`` that the map's script sets once the markers are
clustered and the frame is painted), then a table of the medians side by side with the ratio
supercluster/markercluster and the verdicts against the goals of issue 20: at most 400 ms at
10,000 organisations and 1.2 s at 100,000. At the largest size it also plays a pan-and-zoom
script (pans, zooms in and out, jumps across the sea) on each path and prints the longest
long task (PerformanceObserver) against the goal of 200 ms.

Before the browser loads at each size, it prints the GeoJSON's size as text and as sent
(gzipped by the package), and how much one uncached GeoJSON request raises the process's
resident memory at most (Linux: the peak counter is reset through /proc/self/clear_refs).

Map tiles are answered inside the browser with an empty image, so nothing leaves the
machine; any other request to another host is blocked and reported.

Needs Playwright (``pip install playwright``) and a Chromium: ``/usr/bin/chromium`` by
default, or ``--chromium PATH``, or Playwright's own with ``--chromium playwright``.
``--check`` exits with status 1 when a goal of the supercluster path is missed.
"""

import argparse
import base64
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from urllib.parse import urlsplit
from urllib.request import Request, urlopen
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

ROOT = Path(__file__).resolve().parent.parent
OLD_PATH = ROOT / "bench" / "static" / "markercluster_path"
PATHS = ("supercluster", "markercluster")
# The goals of issue 20 for the supercluster path: first clustered paint (ms) by size, and the
# longest long task while panning and zooming at 100,000 organisations.
PAINT_GOALS_MS = {10_000: 400.0, 100_000: 1200.0}
LONG_TASK_GOAL_MS = 200.0
# Collects every long task from the start of the page (the observer's buffer is not relied on).
LONG_TASKS_SCRIPT = """
window.__arLongTasks = [];
try {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__arLongTasks.push({ start: entry.startTime, duration: entry.duration });
    }
  }).observe({ type: "longtask", buffered: true });
} catch (error) {}
"""
# The pan-and-zoom script: each step waits for the map's moveend and two frames.
PAN_AND_ZOOM = """async () => {
    const arMap = document.getElementById("ar-map").arMap;
    const map = arMap.map;
    // The time the supercluster path spends drawing its groups and markers after a move.
    let longestDraw = null;
    if (typeof arMap.draw === "function") {
        const draw = arMap.draw.bind(arMap);
        longestDraw = 0;
        arMap.draw = () => {
            const started = performance.now();
            draw();
            longestDraw = Math.max(longestDraw, performance.now() - started);
        };
    }
    const settle = () => new Promise((resolve) => {
        let done = false;
        const finish = () => {
            if (!done) {
                done = true;
                requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50)));
            }
        };
        map.once("moveend", finish);
        setTimeout(finish, 3000);
    });
    const steps = [
        () => map.panBy([300, 0]),
        () => map.panBy([0, -250]),
        () => map.zoomIn(1),
        () => map.zoomIn(1),
        () => map.panBy([-400, 200]),
        () => map.setView([40.85, 14.27], 9),
        () => map.zoomOut(2),
        () => map.setView([36.8, 10.2], 7),
        () => map.zoomOut(1),
        () => map.setView([38.0, 15.0], 5),
    ];
    const start = performance.now();
    for (const step of steps) {
        const moved = settle();
        step();
        await moved;
    }
    const tasks = window.__arLongTasks.filter((task) => task.start >= start);
    return {
        steps: steps.length,
        longest: tasks.reduce((longest, task) => Math.max(longest, task.duration), 0),
        count: tasks.length,
        longestDraw: longestDraw,
        markers: document.querySelectorAll(".leaflet-marker-icon").length,
    };
}"""
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
    parser.add_argument(
        "--organisations",
        type=int,
        nargs="+",
        default=[10_000, 100_000],
        help="the sizes measured, smallest first (default 10000 100000)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--paths",
        nargs="+",
        choices=PATHS,
        default=list(PATHS),
        help="supercluster (the package's) and/or markercluster (the old path, from bench/static)",
    )
    parser.add_argument(
        "--no-pan", action="store_true", help="skip the pan-and-zoom script at the largest size"
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--seed", type=int, default=4)
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    return parser.parse_args()


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build_content(seed):
    """One Amplification Room with its map (no organisation yet); returns the map page."""
    from wagtail.models import Site

    from wagtail_ar.models import AmplificationRoomPage, CommunityMapPage

    root = Site.objects.get(is_default_site=True).root_page
    ar = root.add_child(instance=AmplificationRoomPage(title="Amplification Room", slug="ar"))
    return ar.add_child(instance=CommunityMapPage(title="Community map", slug="map"))


def add_organisations(first, count, seed):
    """Organisations number ``first`` to ``count - 1``, spread over the Mediterranean."""
    from wagtail.models import Locale

    from wagtail_ar.geo import format_point
    from wagtail_ar.models import CommunityRole, Organisation, OrganisationType

    rng = random.Random(seed + first)  # noqa: S311 - demo data, not secrets
    roles = [value for value, _label in CommunityRole.choices]
    types = [value for value, _label in OrganisationType.choices]
    locale = Locale.get_default()
    organisations = []
    for number in range(first, count):
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
    """The GeoJSON's size as text and as it is sent to a browser (gzipped by the package)."""
    with urlopen(url) as response:  # noqa: S310 - our own loopback server
        body = response.read()
    request = Request(url, headers={"Accept-Encoding": "gzip"})  # noqa: S310 - loopback
    with urlopen(request) as response:  # noqa: S310 - our own loopback server
        sent = response.read()
        encoding = response.headers.get("Content-Encoding")
    return len(body), len(sent) if encoding == "gzip" else None


def memory_kb(field):
    """A line of /proc/self/status in kB (Linux), or None."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def request_peak_rss(url):
    """How much the process's resident memory rises at most during one uncached request of
    ``url`` (kB), or None where Linux's peak counter cannot be reset. The server runs in this
    process; writing 5 to clear_refs resets the peak (VmHWM) to the current resident size."""
    import gc

    from wagtail_ar import cache

    cache.invalidate()
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return None
    before = memory_kb("VmRSS")
    with urlopen(url) as response:  # noqa: S310 - our own loopback server
        response.read()
    peak = memory_kb("VmHWM")
    return None if before is None or peak is None else peak - before


def old_path_routes():
    """The page's own files answered with those of the markercluster path (bench/static)."""
    script = "\n".join(
        (OLD_PATH / name).read_text() for name in ("leaflet.markercluster.js", "community_map.js")
    )
    style = "\n".join(
        (OLD_PATH / name).read_text() for name in ("MarkerCluster.css", "MarkerCluster.Default.css")
    )
    return {
        "/wagtail_ar/js/community_map.js": ("text/javascript", script),
        "/wagtail_ar/vendor/supercluster/supercluster.min.js": ("text/javascript", ""),
        # Leaflet.markercluster's stylesheets, before the package's (as they were loaded).
        "/wagtail_ar/css/map.css": ("text/css", style + "\n" + (ROOT / MAP_CSS).read_text()),
    }


MAP_CSS = "wagtail_ar/static/wagtail_ar/css/map.css"
TIMING = """() => {
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
        clustered_index: at("wagtail_ar:map-clustering"),
        fcp: paint ? paint.startTime : null,
        clusters: document.querySelectorAll(".marker-cluster").length,
        markers: document.querySelectorAll(".leaflet-marker-icon:not(.marker-cluster)").length,
        longest: window.__arLongTasks.reduce((longest, task) => Math.max(longest, task.duration), 0),
    };
}"""


def load(browser, url, path, blocked, script=TIMING):
    """One page load of ``url`` by ``path`` in a fresh context; returns what ``script`` reads
    once the map is ready."""
    parts = urlsplit(url)
    url_root = f"{parts.scheme}://{parts.netloc}"
    replaced = old_path_routes() if path == "markercluster" else {}
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.add_init_script(LONG_TASKS_SCRIPT)

    def outside(route_request):
        if route_request.request.resource_type == "image":
            # Map tiles: an empty image, so that nothing leaves the machine.
            return route_request.fulfill(body=EMPTY_PNG, content_type="image/png")
        blocked.add(route_request.request.url)
        return route_request.abort()

    def answer(content_type, body):
        return lambda route_request: route_request.fulfill(body=body, content_type=content_type)

    try:
        # Only what must be answered by the harness is routed through it (the requests to
        # other hosts, the old path's files): a routed request waits for this Python process,
        # which also runs the site's server, and would slow every file of the page.
        context.route(re.compile(rf"^(?!{re.escape(url_root)}/)"), outside)
        for suffix, (content_type, body) in replaced.items():
            context.route(f"{url_root}/**{suffix}", answer(content_type, body))
        page = context.new_page()
        page.goto(url, wait_until="domcontentloaded")
        page.wait_for_selector("[data-ar-map-state='ready']", timeout=120_000)
        return page.evaluate(script)
    finally:
        context.close()


def measure(browser, url, paths, runs, pan, blocked):
    """``runs`` first paints by each path, the paths taking turns (so that a busier moment of
    the machine falls on both), after one load each that is not counted (the server's and the
    browser's first time); with ``pan``, the pan-and-zoom script once per path."""
    results = {path: [] for path in paths}
    for path in paths:
        load(browser, url, path, blocked)
    for _run in range(runs):
        for path in paths:
            results[path].append(load(browser, url, path, blocked))
    panned = (
        {path: load(browser, url, path, blocked, PAN_AND_ZOOM) for path in paths} if pan else {}
    )
    return results, panned


def launch(playwright, chromium):
    options = {"headless": True, "args": CHROMIUM_ARGS}
    if chromium != "playwright":
        options["executable_path"] = chromium
    return playwright.chromium.launch(**options)


def verdict(value, goal):
    if goal is None:
        return "no goal"
    return f"{'met' if value <= goal else 'NOT MET'} (goal ≤ {goal:.0f} ms)"


def drawing(panned):
    if panned.get("longestDraw") is None:
        return ""
    return f", longest drawing of groups and markers {panned['longestDraw']:.0f} ms"


def report_runs(size, path, results):
    for number, timing in enumerate(results, start=1):
        print(
            f"  {size:,} {path} run {number}: first clustered paint {timing['clustered']:.0f} ms "
            f"(first contentful paint {timing['fcp'] or 0:.0f} ms; GeoJSON requested at "
            f"{timing['dataStart'] or 0:.0f} ms, received at {timing['dataEnd'] or 0:.0f} ms; "
            f"parsed at {timing['parsed'] or 0:.0f} ms; clustering from "
            f"{timing['clustering'] or 0:.0f} to {timing['clustered_index'] or 0:.0f} ms; "
            "longest task "
            f"{timing['longest']:.0f} ms; {timing['clusters']} groups and "
            f"{timing['markers']} single markers in the page)"
        )


def main():
    args = parse_args()
    from playwright.sync_api import sync_playwright

    sizes = sorted(set(args.organisations))
    medians, pans, blocked, missed, peaks = {}, {}, set(), False, {}
    with tempfile.TemporaryDirectory(prefix="wagtail_ar_bench_") as folder:
        setup_django(Path(folder) / "bench.sqlite3")
        community_map = build_content(args.seed)
        from wagtail_ar import cache

        server, base = serve()
        url = base + community_map.url
        try:
            built = 0
            for size in sizes:
                started = time.perf_counter()
                add_organisations(built, size, args.seed)
                built = size
                # The map's answers are cached (bulk_create sends no signal).
                cache.invalidate()
                peak = request_peak_rss(url + "geojson/")
                raw, sent = payload_sizes(url + "geojson/")
                print(
                    f"{size:,} organisations (built in {time.perf_counter() - started:.1f} s); "
                    f"GeoJSON {raw:,} bytes ({raw / size:.0f} a point), sent "
                    + (f"gzipped: {sent:,} bytes" if sent else "uncompressed")
                    + "; peak resident memory of one uncached GeoJSON request: "
                    + (f"+{peak / 1024:.1f} MB" if peak is not None else "not measured")
                )
                peaks[size] = peak
                # Playwright's synchronous API runs an event loop: no database work inside.
                with sync_playwright() as playwright:
                    browser = launch(playwright, args.chromium)
                    try:
                        pan = size == sizes[-1] and not args.no_pan
                        results, panned = measure(browser, url, args.paths, args.runs, pan, blocked)
                        pans.update(panned)
                        for path in args.paths:
                            report_runs(size, path, results[path])
                            times = [r["clustered"] for r in results[path] if r["clustered"]]
                            medians[size, path] = statistics.median(times)
                    finally:
                        browser.close()
        finally:
            server.shutdown()

    print(f"\nfirst clustered paint, median of {args.runs} runs each (same run, same machine):")
    print(
        f"  {'organisations':>13}  {'supercluster':>12}  {'markercluster':>13}  {'ratio':>6}  verdict"
    )
    for size in sizes:
        new = medians.get((size, "supercluster"))
        old = medians.get((size, "markercluster"))
        ratio = f"{new / old:.2f}" if new and old else "-"
        goal = PAINT_GOALS_MS.get(size)
        text = verdict(new, goal) if new is not None else "-"
        missed |= new is not None and goal is not None and new > goal
        print(
            f"  {size:>13,}  {f'{new:.0f} ms' if new else '-':>12}  "
            f"{f'{old:.0f} ms' if old else '-':>13}  {ratio:>6}  {text}"
        )
    if pans:
        print(f"\npanning and zooming at {sizes[-1]:,} organisations (longest long task):")
        for path, panned in pans.items():
            goal = LONG_TASK_GOAL_MS if path == "supercluster" else None
            missed |= goal is not None and panned["longest"] > goal
            print(
                f"  {path}: {panned['longest']:.0f} ms over {panned['steps']} steps, "
                f"{panned['count']} long tasks, {panned['markers']} markers in the page at the "
                f"end{drawing(panned)}; {verdict(panned['longest'], goal)}"
            )
    if hasattr(os, "getloadavg"):
        load = os.getloadavg()[0]
        cpus = os.cpu_count() or 1
        note = " (a busy machine: expect slower times)" if load > cpus / 2 else ""
        print(f"load average {load:.1f} on {cpus} CPUs{note}")
    if blocked:
        print(f"blocked requests to other hosts: {sorted(blocked)}")
    return 1 if args.check and (missed or blocked) else 0


if __name__ == "__main__":
    sys.exit(main())
