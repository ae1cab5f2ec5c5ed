"""The forum's mail through Django's tasks framework (issue 22, point 4): sent after the post or
reply is committed, never when it is rolled back; a refusing mail server is retried, logged and
does not break the visitor's answer; the tasks' arguments are JSON; a worker's backend gets the
tasks instead of the request running them (wagtail_ar.forum.tasks)."""

import json
import logging
import smtplib
import socket
from urllib.parse import urlsplit

import django
import pytest
from django.core import mail
from django.db import transaction

from tests.test_forum import post_data, reply_data
from tests.utils import build_tree, make_forum_post
from wagtail_ar.forum import tasks
from wagtail_ar.models import ForumPost, ForumReply

try:  # the framework wagtail_ar.forum.tasks uses: Wagtail's backport, else Django's own
    from django_tasks import task_backends

    FRAMEWORK = "django_tasks"
except ImportError:
    from django.tasks import task_backends

    FRAMEWORK = "django.tasks"

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture(autouse=True)
def forum_settings(settings):
    settings.WAGTAIL_AR_FORUM_MODERATORS = ["moderator@example.org"]
    settings.WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 5
    settings.WAGTAIL_AR_FORUM_RATE_LIMIT = 10


@pytest.fixture
def sleeps(monkeypatch):
    """The delays a task waits between attempts, recorded instead of slept."""
    delays = []
    monkeypatch.setattr(tasks.time, "sleep", delays.append)
    return delays


def free_port():
    """A port of 127.0.0.1 on which nothing listens (it was free a moment ago)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def refusing_mail_server(settings):
    """Django's real SMTP backend, pointed at a port that refuses every connection."""
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    port = free_port()
    if django.VERSION >= (6, 1):
        settings.MAILERS = {
            "default": {
                "BACKEND": smtp,
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 2},
            }
        }
    else:
        settings.EMAIL_BACKEND = smtp
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = port
        settings.EMAIL_TIMEOUT = 2
    return port


def failures(caplog):
    return [r for r in caplog.records if r.name == "wagtail_ar.forum"]


def test_a_refusing_mail_server_neither_loses_the_post_nor_breaks_the_answer(
    client, tree, refusing_mail_server, sleeps, settings, caplog, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_AR_FORUM_MAIL_RETRY_DELAY = 0.5
    caplog.set_level(logging.WARNING, logger="wagtail_ar.forum")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(tree["forum"].url + "new/", post_data(tree))
    assert len(callbacks) == 1
    # The visitor is thanked as always, and the post waits for its moderator.
    assert response.status_code == 302
    assert response["Location"].endswith("/forum/thanks/")
    post = ForumPost.objects.get()
    assert post.title == "Seagrass monitoring in a small MPA"
    # Three attempts, two waits doubling, and an error naming the post.
    records = failures(caplog)
    assert [r.levelname for r in records] == ["WARNING", "WARNING", "ERROR"]
    assert "attempt 1 of 3" in records[0].getMessage()
    assert "attempt 3 of 3" in records[-1].getMessage()
    assert f"forum post {post.pk} was not sent" in records[-1].getMessage()
    assert "ConnectionRefusedError" in records[-1].getMessage()
    assert sleeps == [0.5, 1.0]


def test_a_refusing_mail_server_breaks_neither_step_of_a_reply(
    client, tree, refusing_mail_server, sleeps, settings, caplog, django_capture_on_commit_callbacks
):
    settings.WAGTAIL_AR_FORUM_MAIL_ATTEMPTS = 2
    caplog.set_level(logging.WARNING, logger="wagtail_ar.forum")
    post = make_forum_post(tree["forum"], "published")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tree["forum"].url + f"{post.pk}/", reply_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/forum/{post.pk}/confirm/")
    reply = ForumReply.objects.get()
    assert [r.levelname for r in failures(caplog)] == ["WARNING", "ERROR"]
    # The confirmation link was not mailed; followed all the same, the answer fails alike.
    caplog.clear()
    link = urlsplit(tree["forum"].reply_confirmation_url(reply)).path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(link)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/forum/{post.pk}/replied/")
    records = failures(caplog)
    assert [r.levelname for r in records] == ["WARNING", "ERROR"]
    assert f"reply of forum post {post.pk} was not sent" in records[-1].getMessage()
    # The logs hold neither the visitor's words nor the addresses.
    text = " ".join(r.getMessage() for r in records)
    assert "rangers" not in text and "@" not in text
    assert sleeps == [1.0, 1.0]


def test_the_moderators_are_mailed_once_after_the_post_is_committed(
    client, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tree["forum"].url + "new/", post_data(tree))
        # Inside the transaction nothing is sent yet.
        assert mail.outbox == []
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["moderator@example.org"]
    assert (
        f"http://testserver/admin/snippets/wagtail_ar/forumpost/edit/{ForumPost.objects.get().pk}/"
        in message.body
    )


def test_nothing_is_sent_when_the_transaction_rolls_back(
    client, tree, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            response = client.post(tree["forum"].url + "new/", post_data(tree))
            assert response.status_code == 302
            transaction.set_rollback(True)
    assert callbacks == []
    assert mail.outbox == []
    assert not ForumPost.objects.exists()


def test_the_tasks_arguments_are_json(tree):
    post = make_forum_post(tree["forum"], "published")
    reply = ForumReply.objects.create(post=post, name="Ana", email="ana@example.org", message="Hi")
    results = [
        tasks.notify_moderators_task.enqueue(post.pk),
        tasks.send_reply_confirmation_task.enqueue(reply.pk, "https://example.org/confirm/"),
        tasks.send_reply_task.enqueue(post.pk, "Ana", "ana@example.org", "Hi", "https://x.org/"),
    ]
    for result in results:
        assert result.status == "SUCCESSFUL", result.errors
        assert json.loads(json.dumps(result.args)) == result.args
        assert result.return_value == 1
    assert [message.to for message in mail.outbox] == [
        ["moderator@example.org"],
        ["ana@example.org"],
        [post.email],
    ]
    # The backend refuses what is not JSON, such as a model instance.
    with pytest.raises(TypeError):
        tasks.notify_moderators_task.enqueue(post)


@pytest.fixture
def queue(settings):
    """A backend that keeps the tasks instead of running them, as a worker's queue does, under
    the alias ``WAGTAIL_AR_TASK_BACKEND`` names (the default backend stays the immediate one)."""
    settings.TASKS = {
        "default": {"BACKEND": f"{FRAMEWORK}.backends.immediate.ImmediateBackend"},
        "mail": {"BACKEND": f"{FRAMEWORK}.backends.dummy.DummyBackend", "QUEUES": ["forum"]},
    }
    settings.WAGTAIL_AR_TASK_BACKEND = "mail"
    settings.WAGTAIL_AR_TASK_QUEUE_NAME = "forum"
    backend = task_backends["mail"]
    yield backend
    backend.clear()


def run_queued(queue):
    """Run the queued tasks as a worker would, later and outside any request; forget them."""
    results = list(queue.results)
    queue.clear()
    for result in results:
        assert json.loads(json.dumps(result.args)) == result.args
        assert result.task.queue_name == "forum"
        assert result.task.call(*result.args, **result.kwargs) == 1
    return [(result.task.name, result.args) for result in results]


def test_with_a_worker_the_request_only_enqueues_and_the_worker_sends(
    client, tree, queue, django_capture_on_commit_callbacks
):
    post = make_forum_post(tree["forum"], "published")
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(tree["forum"].url + "new/", post_data(tree)).status_code == 302
    assert mail.outbox == []
    new_post = ForumPost.objects.exclude(pk=post.pk).get()
    assert run_queued(queue) == [("notify_moderators_task", [new_post.pk])]
    assert [message.to for message in mail.outbox] == [["moderator@example.org"]]

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(tree["forum"].url + f"{post.pk}/", reply_data()).status_code == 302
    assert len(mail.outbox) == 1
    reply = ForumReply.objects.get()
    link = tree["forum"].reply_confirmation_url(reply)
    assert run_queued(queue) == [("send_reply_confirmation_task", [reply.pk, link])]
    assert mail.outbox[1].to == ["karim@example.tn"]
    assert link in mail.outbox[1].body

    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(urlsplit(link).path).status_code == 302
    assert len(mail.outbox) == 2
    post_url = tree["forum"].get_full_url() + f"{post.pk}/"
    args = [
        post.pk,
        "Karim Ben Ali",
        "karim@example.tn",
        "We trained rangers in Tunisia; let us talk.",
        post_url,
    ]
    assert run_queued(queue) == [("send_reply_task", args)]
    assert mail.outbox[2].to == [post.email]
    assert post_url in mail.outbox[2].body


def test_a_task_whose_post_is_gone_sends_nothing(tree, caplog):
    caplog.set_level(logging.WARNING, logger="wagtail_ar.forum")
    assert tasks.notify_moderators_task.call(10**9) == 0
    assert mail.outbox == []
    assert "is gone" in failures(caplog)[0].getMessage()


def test_a_refused_recipient_is_logged_without_its_address(tree, sleeps, caplog, monkeypatch):
    caplog.set_level(logging.WARNING, logger="wagtail_ar.forum")
    post = make_forum_post(tree["forum"], "pending")

    def refuse(post):
        raise smtplib.SMTPRecipientsRefused({"moderator@example.org": (550, b"No such user")})

    monkeypatch.setattr(tasks.mail, "notify_moderators", refuse)
    assert tasks.notify_moderators_task.call(post.pk) == 0
    records = failures(caplog)
    assert len(records) == 3
    assert "SMTPRecipientsRefused" in records[-1].getMessage()
    assert not any("@" in r.getMessage() or r.exc_info for r in records)
