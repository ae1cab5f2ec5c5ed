"""An admin import with a real worker: the database task backend of django-tasks-db, its
``db_worker`` in another process, and a cache both processes share.

The upload and the confirm return at once with the job pending (the rows are checked and
imported in the worker, never in the request: the request's queries do not grow with the
rows); the status JSON the page polls shows the worker's progress, then "ready", then "done";
the rows are in the database.

The worker opens the test's database: on PostgreSQL the test database itself (the test is
transactional, so what it writes is committed), on SQLite a file copy of the in-memory test
database, which the test's own connection uses for the time of the test.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail_ar.imports import jobs
from wagtail_ar.models import ImportJob, ImportJobStatus, Organisation, ThematicProject

django_tasks_db = pytest.importorskip("django_tasks_db")
from django_tasks_db.compat import Task  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent
URL = "wagtailsnippets_wagtail_ar_organisation:{}"
ORG_HEADER = "name,acronym,organisation_type,country,city,latitude,longitude,thematic_projects"
ROWS = 300
#: A safety net against a worker that never finishes (the test fails, it does not hang); no
#: assertion is made on how long anything takes.
GIVE_UP_SECONDS = 300


def url(name, *args):
    return reverse(URL.format(name), args=args)


def organisations_csv(count):
    return (
        ORG_HEADER + "\n" + "".join(f"Worker org {i},W{i},other,IT,City,,,\n" for i in range(count))
    )


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """The settings (``NAME``) of a database the test and the worker both open."""
    settings_dict = connection.settings_dict
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield {"NAME": settings_dict["NAME"]}
        return
    # SQLite's test database lives in this process's memory: copy it to a file (in WAL mode,
    # so that the test's reads do not wait for the worker's transaction) and use the file.
    path = tmp_path / "shared.sqlite3"
    connection.ensure_connection()
    memory = connection.connection
    target = sqlite3.connect(path)
    memory.backup(target)
    target.execute("PRAGMA journal_mode=WAL")
    target.close()
    saved_name = settings_dict["NAME"]
    connection.connection = None  # the in-memory database stays open, kept aside
    settings_dict["NAME"] = str(path)
    try:
        yield {"NAME": str(path)}
    finally:
        connection.close()
        settings_dict["NAME"] = saved_name
        connection.connection = memory


@pytest.fixture
def worker_settings(shared_database, tmp_path, settings):
    """The database backend (alias "imports") for the package's tasks, a file cache for the
    progress, in this process and in the worker's environment."""
    tasks = {
        **getattr(
            django_settings,
            "TASKS",
            {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
        "imports": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
    }
    caches = {
        **django_settings.CACHES,
        "imports": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
    }
    settings.TASKS = tasks
    settings.CACHES = caches
    settings.WAGTAIL_AR_TASK_BACKEND = "imports"
    settings.WAGTAIL_AR_CACHE_ALIAS = "imports"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings_worker",
        "WAGTAIL_AR_TEST_WORKER_DATABASE": json.dumps(shared_database),
        "WAGTAIL_AR_TEST_WORKER_CACHES": json.dumps(caches),
        "WAGTAIL_AR_TEST_WORKER_TASKS": json.dumps(tasks),
        "WAGTAIL_AR_TEST_WORKER_CACHE_ALIAS": "imports",
        "WAGTAIL_AR_TEST_WORKER_TASK_BACKEND": "imports",
    }


class Worker:
    """``manage.py db_worker`` of django-tasks-db, in a process of its own."""

    def __init__(self, env, log):
        self.log = log
        self.process = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "django", "db_worker", "--backend", "imports"]
            + ["--interval", "0.2", "--no-startup-delay", "--verbosity", "2"],
            cwd=ROOT,
            env=env,
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )

    def output(self):
        return self.log.read_text(errors="replace")[-5000:]

    def check_alive(self):
        assert self.process.poll() is None, f"The worker has stopped:\n{self.output()}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # between two tasks it exits at once
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def poll_until(client, worker, job, final):
    """The status JSON of ``job`` until it reports ``final``: every answer seen, in order."""
    seen = []
    give_up = time.monotonic() + GIVE_UP_SECONDS
    while True:
        status = client.get(url("import_status", job.pk)).json()
        if not seen or seen[-1] != status:
            seen.append(status)
        if status["status"] == final or not status["running"]:
            return seen
        worker.check_alive()
        assert time.monotonic() < give_up, f"Still {status} after a long time:\n{worker.output()}"
        time.sleep(0.02)


def upload(client, content):
    return client.post(
        url("import"), {"file": SimpleUploadedFile("organisations.csv", content.encode())}
    )


def test_an_import_of_300_rows_runs_in_the_worker(
    worker_settings, tmp_path, django_user_model, capsys
):
    if not isinstance(jobs.check_import_task, Task):
        pytest.skip("The package's tasks are not of the framework django-tasks-db runs here.")
    ThematicProject.objects.create(acronym="MPA4Change", name="MPAs for change")
    user = django_user_model.objects.create_user("importer", "importer@example.org", "pw")
    user.user_permissions.set(
        Permission.objects.filter(
            codename__in=["access_admin", "add_organisation", "change_organisation"]
        )
    )
    client = Client()
    client.force_login(user)

    # The upload's queries do not grow with the rows: 30 rows or 300, the same count.
    counts = {}
    for rows in (30, ROWS):
        with CaptureQueriesContext(connection) as queries:
            response = upload(client, organisations_csv(rows))
        assert response.status_code == 302, response.content[:2000]
        counts[rows] = len(queries)
        job = ImportJob.objects.get()
        # Pending: enqueued (committed) on the database backend, not one row checked.
        assert job.status == ImportJobStatus.CHECKING and job.done == 0 and job.report == {}
        assert DBTaskResult.objects.get().status == "READY"
        if rows != ROWS:
            job.delete()
            DBTaskResult.objects.all().delete()
    assert counts[30] == counts[ROWS] < 25, counts
    assert client.get(url("import_status", job.pk)).json()["status"] == "checking"

    log = tmp_path / "worker.log"
    worker = Worker(worker_settings, log)
    try:
        seen = poll_until(client, worker, job, "ready")
    finally:
        worker.stop()
    assert seen[0] == {
        "status": "checking",
        "running": True,
        "done": 0,
        "total": 0,
        "url": url("import_job", job.pk),
    }
    assert seen[-1]["status"] == "ready", (seen, worker.output())
    assert seen[-1]["done"] == seen[-1]["total"] == ROWS
    # The progress moved while the worker checked: some rows done of all, in the cache.
    moving = [s["done"] for s in seen if s["status"] == "checking" and 0 < s["done"] < ROWS]
    assert moving and moving == sorted(moving), seen
    assert all(s["total"] == ROWS for s in seen if s["done"]), seen
    job.refresh_from_db()
    assert job.report["counts"]["created"] == ROWS
    assert not Organisation.objects.exists()

    # The confirm returns at once too: the job is importing, no row imported in the request.
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url("import_confirm", job.pk))
    assert response.status_code == 302
    assert len(queries) < 25, len(queries)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.IMPORTING
    assert not Organisation.objects.exists()
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    worker = Worker(worker_settings, log)
    try:
        seen = poll_until(client, worker, job, "done")
    finally:
        worker.stop()
    assert seen[-1]["status"] == "done", (seen, worker.output())
    assert seen[-1]["done"] == seen[-1]["total"] == ROWS
    moving = [s["done"] for s in seen if s["status"] == "importing" and 0 < s["done"] < ROWS]
    assert moving and moving == sorted(moving), seen
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}

    assert Organisation.objects.count() == ROWS
    with capsys.disabled():
        print(f"\n{ROWS} rows in the worker: {counts} queries per upload, progress seen {moving}")
    assert Organisation.objects.filter(name="Worker org 299", acronym="W299").exists()
    # The page shows the result once, on the listing.
    response = client.get(url("import_job", job.pk))
    assert response.status_code == 302 and response["Location"] == url("list")
    assert not ImportJob.objects.exists()
