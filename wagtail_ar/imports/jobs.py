"""The tasks of an admin import: the dry run that builds the preview, and the import itself.

Both run :meth:`wagtail_ar.importers.Importer.run` on the bytes stored in the
:class:`~wagtail_ar.models.ImportJob`, through the package's tasks glue
(:mod:`wagtail_ar.tasks`): with the default immediate backend inside the request that uploads
or confirms, with a worker backend (such as django-tasks' database backend) in the worker.

The progress (rows done of rows) is written every :data:`PROGRESS_EVERY` rows to the cache
``WAGTAIL_AR_CACHE_ALIAS`` and read by the status view: the rows themselves are checked inside
one database transaction (all or nothing), which another process cannot see into. A cache that
processes do not share (local memory) shows the progress only when the task ends.

The job's ``report`` holds what the preview shows::

    {"header": [column, …], "rows": [{"row", "outcome", "cells", "changes"}, …],
     "problems": [{"row", "column", "message"}, …],
     "counts": {"rows", "created", "updated", "unchanged", "errors", "problems"}}
"""

import logging

from django.core.cache import caches
from django.utils import translation

from ..columns import ImportRefused
from ..conf import settings as ar_settings
from ..importers import get_importer
from ..models import ImportJob, ImportJobStatus
from ..spreadsheets import as_csv
from ..tasks import enqueue_on_commit, task

logger = logging.getLogger("wagtail_ar.imports")

#: The progress is written every this many rows.
PROGRESS_EVERY = 100
PROGRESS_TIMEOUT = 24 * 60 * 60


def progress_key(job_id):
    return f"wagtail_ar:import-progress:{job_id}"


def get_progress(job):
    """``(done, total)`` of ``job``: from the cache while a task runs, else from the job."""
    if job.is_running:
        cached = caches[ar_settings.CACHE_ALIAS].get(progress_key(job.pk))
        if cached:
            return tuple(cached)
    return job.done, job.total


def set_progress(job_id, done, total):
    caches[ar_settings.CACHE_ALIAS].set(progress_key(job_id), (done, total), PROGRESS_TIMEOUT)


def build_report(importer, problems, result):
    """The JSON the preview shows, from an importer that has run (or was refused)."""
    rows = importer.report or []
    counts = {
        "rows": result.rows if result else len(rows),
        "created": sum(1 for r in rows if r["outcome"] == "created"),
        "updated": sum(1 for r in rows if r["outcome"] == "updated"),
        "unchanged": sum(1 for r in rows if r["outcome"] == "unchanged"),
        "errors": len({p.row for p in problems if p.row is not None}),
        "problems": len(problems),
    }
    return {
        "header": list(getattr(importer, "header", None) or []),
        "rows": rows,
        "problems": [
            {"row": p.row, "column": p.column, "message": str(p.message)} for p in problems
        ],
        "counts": counts,
    }


def run_job(job_id, *, dry_run):
    """Run the dry run (``dry_run=True``) or the import of the job ``job_id``.

    The job moves from "checking" to "ready" or "refused", or from "importing" to "done" or
    "refused" (the data changed since the preview); a job in another status is left alone,
    which makes a confirmed import run once only. Returns the new status.
    """
    job = ImportJob.objects.filter(pk=job_id).first()
    expected = ImportJobStatus.CHECKING if dry_run else ImportJobStatus.IMPORTING
    if job is None or job.status != expected:
        return job.status if job else None
    importer = get_importer(
        job.kind,
        progress=lambda done, total: set_progress(job.pk, done, total),
        progress_every=PROGRESS_EVERY,
        report=True,
    )
    problems, result = [], None
    with translation.override(job.language or None):
        try:
            result = importer.run(as_csv(bytes(job.data), job.filename), dry_run=dry_run)
        except ImportRefused as exc:
            problems, result = exc.problems, exc.result
        except Exception:
            logger.exception("The import %s failed.", job.pk)
            ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.FAILED, data=b"")
            return ImportJobStatus.FAILED
        report = build_report(importer, problems, result)
    if problems:
        status = ImportJobStatus.REFUSED
    else:
        status = ImportJobStatus.READY if dry_run else ImportJobStatus.DONE
    total = report["counts"]["rows"]
    update = {"status": status, "report": report, "done": total, "total": total}
    if status == ImportJobStatus.DONE:
        update["data"] = b""  # imported: the file is not needed any more
    ImportJob.objects.filter(pk=job.pk).update(**update)
    caches[ar_settings.CACHE_ALIAS].delete(progress_key(job.pk))
    return status


@task
def check_import_task(job_id):
    """The dry run of the job ``job_id`` (its id as text): builds the preview."""
    return run_job(job_id, dry_run=True)


@task
def run_import_task(job_id):
    """The confirmed import of the job ``job_id`` (its id as text)."""
    return run_job(job_id, dry_run=False)


def start_check(job):
    enqueue_on_commit(check_import_task, str(job.pk))


def start_import(job):
    enqueue_on_commit(run_import_task, str(job.pk))
