"""The package's glue to Django's tasks framework: which ``task`` decorator, and enqueueing on
the configured backend once the current transaction commits.

``task`` is the ``django_tasks`` backport's, the framework Wagtail's own tasks use (Wagtail
depends on it, on every Django), so that one ``TASKS`` setting serves both; Django's own
``django.tasks`` only where the backport is absent. :func:`enqueue_on_commit` enqueues on the
backend ``WAGTAIL_AR_TASK_BACKEND`` (an alias of ``TASKS``) and queue
``WAGTAIL_AR_TASK_QUEUE_NAME``. With Django's default immediate backend a task runs at once, in
the request; with a worker (a database or Redis backend) it runs there.

The forum's mail (:mod:`wagtail_ar.forum.tasks`) and the admin's imports
(:mod:`wagtail_ar.imports.jobs`) use it. Imports no model.
"""

from django.db import transaction

try:  # the framework Wagtail's own tasks use (a dependency of Wagtail 7.4 and 8.x)
    from django_tasks import task
except ImportError:  # a Wagtail that has moved to Django's own (Django 6.0 and newer)
    from django.tasks import task

from .conf import settings as ar_settings

__all__ = ["enqueue", "enqueue_on_commit", "task"]


def enqueue(a_task, *args):
    """Enqueue ``a_task`` with ``args`` (JSON-serialisable) now, on the settings' backend and
    queue; returns the task result."""
    return a_task.using(
        backend=ar_settings.TASK_BACKEND, queue_name=ar_settings.TASK_QUEUE_NAME
    ).enqueue(*args)


def enqueue_on_commit(a_task, *args):
    """Enqueue ``a_task`` with ``args`` once the current transaction commits. A failure to
    enqueue (a misconfigured backend) is logged by Django, not raised into the request
    (``robust``)."""
    transaction.on_commit(lambda: enqueue(a_task, *args), robust=True)
