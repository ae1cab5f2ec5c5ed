"""``make bench``: every figure of the performance issue, on SQLite and on PostgreSQL, in one run.

    .venv/bin/python bench/run.py [--only sqlite|postgresql|map] [--json-dir DIR]

For each database it creates a throw-away one (a temporary SQLite file; a PostgreSQL database
named ``wagtail_ar_bench_<pid>``, dropped at the end), runs :mod:`bench.measure` in a process
of its own against it, and prints the figures. Then ``bench/map_first_paint.py`` (its own
throw-away SQLite database) prints the community map's first clustered paint, supercluster
against Leaflet.markercluster, at 10,000 and 100,000 organisations, and the longest long task
while panning and zooming (``BENCH_MAP_RUNS`` runs each, default 5). Environment:

``BENCH_POSTGRES``  the server, default ``postgres://postgres@127.0.0.1:5432``
``REDIS_URL``       the cache, default ``redis://127.0.0.1:6379/14`` (that database is emptied)
``BENCH_SECONDS``   load per URL under gunicorn, default 5
``BENCH_RUNS``      requests per timed page, default 15
``BENCH_CLUSTERS``, ``BENCH_ORGANISATIONS``, ``BENCH_ACTIVITIES``: the full size
(default 1,000, 10,000 and 2,000)
"""

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine():
    def run(*command):
        try:
            return subprocess.run(  # noqa: S603 - fixed commands
                command, capture_output=True, text=True, check=False
            ).stdout
        except OSError:
            return ""

    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in run("lscpu").splitlines()
            if line.startswith("Model name")
        ),
        platform.processor(),
    )
    memory = next(
        (line.split()[1] for line in run("free", "-m").splitlines() if line.startswith("Mem:")),
        "?",
    )
    return (
        f"{os.cpu_count()} CPUs ({model}), {memory} MB memory, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}"
    )


def measure(database_url, json_path):
    env = dict(os.environ, DATABASE_URL=database_url, PYTHONPATH=str(ROOT))
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    command = [sys.executable, "-m", "bench.measure"]
    if json_path:
        command += ["--json", str(json_path)]
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode  # noqa: S603


def map_first_paint():
    """The community map in headless Chromium (bench/map_first_paint.py), in a process of its own."""
    print("\ncommunity map, first clustered paint (bench/map_first_paint.py):", flush=True)
    runs = os.environ.get("BENCH_MAP_RUNS", "5")
    command = [sys.executable, str(ROOT / "bench" / "map_first_paint.py"), "--runs", runs]
    return subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603


def psql(server, sql):
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only", choices=("sqlite", "postgresql", "map"))
    parser.add_argument("--json-dir", help="also write the figures as JSON into this folder")
    options = parser.parse_args()
    json_dir = Path(options.json_dir) if options.json_dir else None
    if json_dir:
        json_dir.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}")
    started = time.perf_counter()
    failures = 0
    if options.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory(prefix="wagtail_ar_bench_") as folder:
            failures += measure(
                f"sqlite:///{folder}/bench.sqlite3", json_dir and json_dir / "sqlite.json"
            )
    if options.only in (None, "postgresql"):
        server = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
        name = f"wagtail_ar_bench_{os.getpid()}"
        psql(server, f'CREATE DATABASE "{name}"')
        try:
            failures += measure(f"{server}/{name}", json_dir and json_dir / "postgresql.json")
        finally:
            psql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if options.only in (None, "map"):
        failures += map_first_paint()
    print(f"\nbench: {time.perf_counter() - started:.0f} s in all")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
