"""One database's measurements (run by ``bench/run.py``, which makes and drops the database).

    DATABASE_URL=… python -m bench.measure [--json out.json]

Migrates the empty database, builds the small site (10 clusters, organisations, activities),
counts the SQL queries of every page and endpoint, grows the site to full size, counts again,
times each page against a bare Wagtail page, measures the GeoJSON, then serves the site with
gunicorn (2 sync workers) and loads it from this process for a bounded time per URL.
"""

import argparse
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import dataset  # noqa: E402
from wagtail_ar.models import Organisation  # noqa: E402

SMALL = {"clusters": 10, "organisations": 10, "activities": 10}
FULL = {
    "clusters": int(os.environ.get("BENCH_CLUSTERS", 1000)),
    "organisations": int(os.environ.get("BENCH_ORGANISATIONS", 10000)),
    "activities": int(os.environ.get("BENCH_ACTIVITIES", 2000)),
}
RUNS = int(os.environ.get("BENCH_RUNS", 15))
LOAD_SECONDS = float(os.environ.get("BENCH_SECONDS", 5))
CONCURRENCY = 4
NO_CACHE = override_settings(WAGTAIL_AR_CACHE_TIMEOUT=0)


def urls(year):
    """``{name: url}`` of every page and endpoint measured."""
    return {
        "bare Wagtail page": "/ar/bare/",
        "landing": "/ar/",
        "cluster listing (filters)": (
            f"/ar/clusters/?category=geographical&status=active&country=FR&tag=seagrass"
            f"&year={year}&q=seagrass"
        ),
        "cluster listing (plain)": "/ar/clusters/",
        "factsheet": "/ar/clusters/cluster-0/",
        "cluster report": "/ar/clusters/cluster-0/report/",
        "working group page": "/ar/wg1/",
        "activity index": "/ar/activities/",
        "activity page": "/ar/activities/activity-0/",
        "map page": "/ar/map/",
        "GeoJSON": "/ar/map/geojson/",
        "marker details": "/ar/map/organisations/{org}/",
        "RSS feed": "/ar/clusters/feed/",
        "Atom feed": "/ar/clusters/feed/atom/",
        "activities iCal": "/ar/activities/ical/?when=upcoming",
        "activity iCal": "/ar/activities/activity-0/ical/",
    }


TIMED = (
    "landing",
    "cluster listing (filters)",
    "cluster listing (plain)",
    "factsheet",
    "working group page",
    "activity index",
    "map page",
    "GeoJSON",
)


def get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
    return response


def count_queries(client, url):
    get(client, url)  # Wagtail's site root paths, as a running site has them
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    return len(captured)


def query_counts(client, pages):
    counts = {}
    for name, url in pages.items():
        with NO_CACHE:
            uncached = count_queries(client, url)
        cache.clear()
        get(client, url)  # stores
        with CaptureQueriesContext(connection) as captured:
            get(client, url)
        counts[name] = (uncached, len(captured))
    return counts


def median_ms(client, url, runs=RUNS):
    get(client, url)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        get(client, url)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def render_times(client, pages):
    rows = {}
    with NO_CACHE:
        bare = median_ms(client, pages["bare Wagtail page"], RUNS * 2)
        for name in TIMED:
            rows[name] = [median_ms(client, pages[name])]
    cache.clear()
    for name in TIMED:
        rows[name].append(median_ms(client, pages[name]))
    return bare, rows


def peak_allocations(client, url):
    """The peak of Python's allocations (tracemalloc) during one uncached request, in bytes."""
    import tracemalloc

    with NO_CACHE:
        get(client, url)
        tracemalloc.start()
        try:
            get(client, url)
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()


def geojson_figures(client, url):
    with NO_CACHE:
        body = get(client, url).content
        uncached = median_ms(client, url, 7)
    peak = peak_allocations(client, url)
    cached = median_ms(client, url, 15)
    points = len(json.loads(body)["features"])
    return {
        "points": points,
        "bytes": len(body),
        "bytes_per_point": len(body) / points,
        "gzip_bytes": len(gzip.compress(body, 6)),
        "server_ms_uncached": uncached,
        "server_ms_cached": cached,
        "peak_alloc_bytes": peak,
    }


# Load ------------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port, no_cache=False):
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench.settings", PYTHONPATH=str(ROOT))
    if no_cache:
        env["BENCH_NO_CACHE"] = "1"
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("gunicorn did not start")


def fetch(port, path):
    """One request on a new connection (gunicorn's sync workers close each one); the status."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
        )
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head = b"".join(chunks[:1])[:12]
    return int(head[9:12]) if head.startswith(b"HTTP/1.") else 0


def load(port, path, seconds=LOAD_SECONDS, concurrency=CONCURRENCY):
    """Requests per second and errors of ``concurrency`` clients for ``seconds``."""
    for _ in range(3):
        fetch(port, path)  # warm each worker
    done, errors = [0], [0]
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        ok = bad = 0
        while time.monotonic() < stop:
            try:
                status = fetch(port, path)
            except OSError:
                status = 0
            if status == 200:
                ok += 1
            else:
                bad += 1
        with lock:
            done[0] += ok
            errors[0] += bad

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": done[0] / elapsed, "errors": errors[0], "requests": done[0] + errors[0]}


def load_figures(pages):
    """Requests per second under gunicorn: with the package's cache (Redis), then without."""
    paths = {"bare Django view": "/bare-django/", **pages}
    plan = (
        (
            False,
            ["bare Django view", "bare Wagtail page", "cluster listing (filters)", "factsheet"],
        ),
        (True, ["cluster listing (filters)", "factsheet"]),
    )
    results = {}
    for no_cache, names in plan:
        port = free_port()
        server = start_gunicorn(port, no_cache=no_cache)
        try:
            for name in names:
                results[f"{name} (no AR cache)" if no_cache else name] = load(port, paths[name])
        finally:
            server.terminate()
            server.wait(10)
    return results


# Main ------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="write the figures to this file too")
    options = parser.parse_args()
    vendor = connection.vendor
    version = connection.cursor().connection.__class__.__module__
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    cache.clear()
    site = dataset.build_site()
    dataset.grow(site, **SMALL)
    year = dataset.today().year
    pages = urls(year)
    org = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    pages["marker details"] = pages["marker details"].format(org=org)
    client = Client()
    small_counts = query_counts(client, pages)
    grown_at = time.perf_counter()
    dataset.grow(site, **FULL)
    built = time.perf_counter()
    full_counts = query_counts(client, pages)
    bare_ms, times = render_times(client, pages)
    geo = geojson_figures(client, pages["GeoJSON"])
    cache.clear()
    loads = load_figures(pages)
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if vendor == "sqlite" else "show server_version")
        version = cursor.fetchone()[0]
    figures = {
        "database": f"{vendor} {version}",
        "sizes": FULL,
        "seconds": {
            "migrate": migrated - started,
            "build": built - grown_at,
            "total": time.perf_counter() - started,
        },
        "queries": {name: [small_counts[name], full_counts[name]] for name in pages},
        "bare_ms": bare_ms,
        "times": times,
        "geojson": geo,
        "load": loads,
    }
    report(figures)
    if options.json:
        Path(options.json).write_text(json.dumps(figures, indent=1))


def report(f):
    print(f"\n=== {f['database']} ===")
    sizes = f["sizes"]
    print(
        f"site: {sizes['clusters']} clusters (each with a report and 5 participants), "
        f"{sizes['organisations']} organisations, {sizes['activities']} activities; "
        f"migrate {f['seconds']['migrate']:.0f} s, build {f['seconds']['build']:.0f} s"
    )
    print("\nSQL queries per request (uncached / cached hit), at 10 and at full size")
    print(f"  {'page or endpoint':28} {'at 10':>9} {'full':>9}")
    for name, (small, full) in f["queries"].items():
        flag = "" if small[0] == full[0] else "   GROWS"
        print(f"  {name:28} {small[0]:>4} / {small[1]:<2} {full[0]:>4} / {full[1]:<2}{flag}")
    print(
        f"\nRender time at full size, median of {RUNS}, as a ratio to a bare Wagtail page "
        f"({f['bare_ms']:.1f} ms)"
    )
    print(f"  {'page':28} {'uncached':>17} {'cached':>17}")
    for name, (uncached, cached) in f["times"].items():
        print(
            f"  {name:28} {uncached:7.1f} ms {uncached / f['bare_ms']:5.2f}x"
            f" {cached:7.1f} ms {cached / f['bare_ms']:5.2f}x"
        )
    listings = [name for name in f["times"] if name.startswith("cluster listing")]
    for label, column in (("from the cache", 1), ("from the database", 0)):
        worst = max(f["times"][name][column] / f["bare_ms"] for name in listings)
        verdict = "met" if worst <= 2 else "NOT met"
        print(
            f"  goal 'a listing renders within 2x a bare page', {label}: {verdict} ({worst:.2f}x)"
        )
    g = f["geojson"]
    print(
        f"\nGeoJSON at {g['points']} organisations: {g['server_ms_uncached']:.1f} ms uncached, "
        f"{g['server_ms_cached']:.1f} ms cached; {g['bytes']} bytes, "
        f"{g['bytes_per_point']:.1f} bytes per point, gzip {g['gzip_bytes']} bytes "
        f"({g['gzip_bytes'] / g['points']:.1f} per point); goal 'at most 120 bytes a point': "
        f"{'met' if g['bytes_per_point'] <= 120 else 'NOT met'}"
    )
    if "peak_alloc_bytes" in g:
        print(
            f"  peak Python allocations of one uncached request: "
            f"{g['peak_alloc_bytes'] / 1e6:.1f} MB ({g['peak_alloc_bytes'] / g['bytes']:.1f}x the body)"
        )
    bare = f["load"]["bare Django view"]["rps"]
    print(
        f"\ngunicorn, 2 sync workers, {CONCURRENCY} loopback clients, {LOAD_SECONDS:.0f} s per URL"
    )
    for name, row in f["load"].items():
        print(
            f"  {name:40} {row['rps']:8.1f} req/s  {row['rps'] / bare:5.2f}x bare Django"
            f"  errors {row['errors']}/{row['requests']}"
        )


if __name__ == "__main__":
    main()
