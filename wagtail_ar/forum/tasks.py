"""The forum's e-mails as tasks of Django's tasks framework, sent after the post or reply that
causes them is committed, never inside the visitor's request.

The views call :func:`enqueue_mail` once the post or reply is saved: it enqueues the task in a
``transaction.on_commit`` callback, so a rolled-back post sends nothing, on the backend
``WAGTAIL_AR_TASK_BACKEND`` (an alias of ``TASKS``) and queue ``WAGTAIL_AR_TASK_QUEUE_NAME``.
With Django's default immediate backend the task runs at once, in the request; with a worker
(a database or Redis backend) it runs there. The arguments are primary keys and plain strings
(a worker's queue stores them as JSON), and absolute URLs are built before enqueueing.

A task retries a refused or failing mail server ``WAGTAIL_AR_FORUM_MAIL_ATTEMPTS`` times, waiting
``WAGTAIL_AR_FORUM_MAIL_RETRY_DELAY`` seconds and twice as long each time, logs every failure on
the logger ``wagtail_ar.forum`` (the last at ERROR, with the post's id; never an address) and then returns 0
rather than raising: the immediate backend runs it inside the visitor's request, whose answer
must not depend on the mail server. The post or reply is stored before any mail is tried.

``task`` and the enqueueing are the package's glue, :mod:`wagtail_ar.tasks` (the
``django_tasks`` backport's ``task``, the framework Wagtail's own tasks use, so that one
``TASKS`` setting serves both).
Imports no model: the tasks look theirs up in the app registry, by primary key.
"""

import logging
import smtplib
import time

from django.apps import apps

from ..conf import settings as ar_settings
from ..tasks import enqueue_on_commit, task
from . import mail

logger = logging.getLogger("wagtail_ar.forum")

# What a mail server that is down, refusing or slow raises (SMTPException is an OSError, as
# are ConnectionRefusedError and socket timeouts); anything else is a bug, left to the backend.
MAIL_ERRORS = (smtplib.SMTPException, OSError)


def describe(error):
    """The SMTP reply code or the errno of ``error``, as text ("" if it has neither)."""
    code = getattr(error, "smtp_code", None) or getattr(error, "errno", None)
    return str(code) if code is not None else ""


def deliver(send, what, post_id):
    """Call ``send()`` (which sends one mail and returns the number of messages sent) until it
    succeeds, at most ``FORUM_MAIL_ATTEMPTS`` times with a doubling delay between attempts.
    Returns what ``send()`` returned, or 0 when every attempt failed (logged at ERROR)."""
    attempts = max(1, int(ar_settings.FORUM_MAIL_ATTEMPTS))
    delay = float(ar_settings.FORUM_MAIL_RETRY_DELAY)
    for attempt in range(1, attempts + 1):
        try:
            return send()
        except MAIL_ERRORS as error:
            # The error's name and code only: an SMTP refusal's text can hold the addresses.
            reason = f"{type(error).__name__} {describe(error)}".strip()
            if attempt == attempts:
                logger.error(
                    "The %s of forum post %s was not sent: attempt %d of %d failed (%s).",
                    what,
                    post_id,
                    attempt,
                    attempts,
                    reason,
                )
                return 0
            logger.warning(
                "The %s of forum post %s: attempt %d of %d failed (%s); retrying.",
                what,
                post_id,
                attempt,
                attempts,
                reason,
            )
            time.sleep(delay * 2 ** (attempt - 1))
    return 0


def _post(post_id):
    post = apps.get_model("wagtail_ar", "ForumPost").objects.filter(pk=post_id).first()
    if post is None:
        logger.warning("Forum post %s is gone: its mail is not sent.", post_id)
    return post


@task
def notify_moderators_task(post_id):
    """Tell the moderators that the post ``post_id`` awaits moderation."""
    post = _post(post_id)
    if post is None:
        return 0
    return deliver(lambda: mail.notify_moderators(post), "moderators' mail", post_id)


@task
def send_reply_confirmation_task(reply_id, confirm_url):
    """Send the visitor who wrote the reply ``reply_id`` the link ``confirm_url`` (absolute)."""
    reply = (
        apps.get_model("wagtail_ar", "ForumReply")
        .objects.select_related("post")
        .filter(pk=reply_id)
        .first()
    )
    if reply is None:
        logger.warning("Forum reply %s is gone: its confirmation link is not sent.", reply_id)
        return 0
    return deliver(
        lambda: mail.send_reply_confirmation(reply, confirm_url),
        "reply confirmation",
        reply.post_id,
    )


@task
def send_reply_task(post_id, name, email, message, post_url=""):
    """Forward a confirmed answer (the visitor's ``name``, ``email`` and ``message``) to the
    author of the post ``post_id``; ``post_url`` is the post's absolute public URL."""
    post = _post(post_id)
    if post is None:
        return 0
    data = {"name": name, "email": email, "message": message}
    return deliver(lambda: mail.send_reply(post, data, post_url=post_url), "reply", post_id)


def enqueue_mail(mail_task, *args):
    """Enqueue ``mail_task`` with ``args`` (JSON-serialisable) once the current transaction
    commits, on the backend and queue of the settings. A failure to enqueue (a misconfigured
    backend) is logged by Django, not raised into the request (``robust``)."""
    enqueue_on_commit(mail_task, *args)
