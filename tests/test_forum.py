"""The forum: posting (pending, not visible), moderation, the board and its filters, replies
forwarded by e-mail, the links to clusters, the protections and the retention of personal data."""

import datetime
import re
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from tests.utils import build_tree, make_forum_post
from wagtail_ar.forum.limits import fill_token
from wagtail_ar.forum.retention import purge_archived_posts
from wagtail_ar.models import ForumPost, ForumPostStatus, ForumReply

# The forum mails after commit: each request commits as on a site (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_each_request")]

AUTHOR_EMAIL = "maria.author@example.org"


@pytest.fixture
def tree():
    tree = build_tree()
    tree["forum"].intro = "<p>Say what you need.</p>"
    tree["forum"].save_revision().publish()
    return tree


@pytest.fixture(autouse=True)
def forum_settings(settings):
    settings.WAGTAIL_AR_FORUM_MODERATORS = ["moderator@example.org"]
    settings.WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 5
    settings.WAGTAIL_AR_FORUM_RATE_LIMIT = 3


def post_data(tree, **changes):
    data = {
        "name": "Maria Rossi",
        "organisation": "Parco Nazionale del Cilento",
        "country": "IT",
        "community_role": "external",
        "email": AUTHOR_EMAIL,
        "themes": [tree["wg"].pk],
        "kind": "need",
        "title": "Seagrass monitoring in a small MPA",
        "description": "We need a cheap protocol.\nAnd training for two rangers.",
        "consent": "on",
        "website": "",
        # Shown a minute ago: well past the minimum fill time.
        "started": fill_token(at=time.time() - 60),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def send_post(client, tree, **changes):
    return client.post(tree["forum"].url + "new/", post_data(tree, **changes))


def make_post(tree, status=ForumPostStatus.PUBLISHED, **fields):
    return make_forum_post(tree["forum"], status, **fields)


# Posting ----------------------------------------------------------------------------------------


def test_the_form_page_asks_who_and_what_and_is_never_cached(client, tree):
    response = client.get(tree["forum"].url + "new/")
    html = response.content.decode()
    assert response.status_code == 200
    for name in (
        "name",
        "organisation",
        "country",
        "community_role",
        "email",
        "themes",
        "kind",
        "title",
        "description",
        "consent",
    ):
        assert f'name="{name}"' in html, name
    assert "WG1: Connectivity of ecosystems" in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_valid_post_is_saved_pending_mailed_to_moderators_and_not_visible(client, tree):
    response = send_post(client, tree)
    assert response.status_code == 302
    assert response["Location"].endswith("/forum/thanks/")
    post = ForumPost.objects.get()
    assert post.status == ForumPostStatus.PENDING
    assert post.consent_at is not None
    assert list(post.themes.all()) == [tree["wg"]]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["moderator@example.org"]
    assert "Seagrass monitoring in a small MPA" in mail.outbox[0].subject
    assert f"/forumpost/edit/{post.pk}/" in mail.outbox[0].body
    board = client.get(tree["forum"].url).content.decode()
    assert "Seagrass monitoring" not in board
    assert client.get(tree["forum"].url + f"{post.pk}/").status_code == 404
    thanks = client.get(response["Location"])
    assert "your post was sent" in thanks.content.decode()


def test_publishing_puts_the_post_on_the_board(client, tree):
    send_post(client, tree)
    post = ForumPost.objects.get()
    post.publish()
    board = client.get(tree["forum"].url)
    html = board.content.decode()
    assert board.status_code == 200
    assert "Seagrass monitoring in a small MPA" in html
    assert "Parco Nazionale del Cilento" in html
    detail = client.get(tree["forum"].url + f"{post.pk}/")
    assert detail.status_code == 200
    assert "We need a cheap protocol.<br>And training" in detail.content.decode()
    post.archive()
    assert "Seagrass monitoring" not in client.get(tree["forum"].url).content.decode()


BAD_INPUTS = {
    "no consent": ({"consent": None}, "consent", "Tick this box"),
    "title too long": ({"title": "x" * 121}, "title", "at most 120 characters"),
    "description too long": ({"description": "x" * 2001}, "description", "at most 2000"),
    "script in text": (
        {"description": "Hello <script>alert(1)</script>"},
        "description",
        "HTML tags",
    ),
    "tag in title": ({"title": "<b>Need</b>"}, "title", "HTML tags"),
    "honeypot filled": ({"website": "http://spam.example"}, None, "could not be sent"),
    # "now" is made into a token when the test runs, not when it is collected.
    "too fast": ({"started": "now"}, None, "sent too quickly"),
    "forged fill time": ({"started": "123:abc"}, None, "has expired"),
    "no fill time": ({"started": None}, None, "has expired"),
    "unknown role": ({"community_role": "king"}, "community_role", "valid choice"),
    "unknown country": ({"country": "XX"}, "country", "valid choice"),
    "bad e-mail": ({"email": "not-an-address"}, "email", "valid email"),
}


@pytest.mark.parametrize("case", BAD_INPUTS, ids=list(BAD_INPUTS))
def test_each_bad_input_gets_a_clear_error_and_saves_nothing(client, tree, case):
    changes, field, message = BAD_INPUTS[case]
    if changes.get("started") == "now":
        changes = {"started": fill_token()}
    response = send_post(client, tree, **changes)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert 'role="alert"' in html
    if field:
        assert f'href="#id_{field}"' in html
    assert ForumPost.objects.count() == 0
    assert mail.outbox == []
    # What the visitor typed is escaped if shown again, never run.
    assert "<script>alert(1)</script>" not in html


def test_the_rate_limit_refuses_a_client_after_the_limit(client, tree):
    for number in range(3):
        assert send_post(client, tree, title=f"Need {number}").status_code == 302
    response = send_post(client, tree, title="One too many")
    assert response.status_code == 429
    assert "several messages in a short time" in response.content.decode()
    assert ForumPost.objects.count() == 3
    # Another client is not limited by the first one.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert send_post(other, tree, title="From elsewhere").status_code == 302


def test_posting_needs_a_csrf_token(tree):
    client = Client(enforce_csrf_checks=True)
    response = send_post(client, tree)
    assert response.status_code == 403
    assert ForumPost.objects.count() == 0


def test_html_already_in_a_post_is_shown_as_text(client, tree):
    # A moderator may have typed markup in the admin: visitors still see text.
    post = make_post(tree, title="Dunes <em>now</em>", description="<script>alert(1)</script>")
    html = client.get(tree["forum"].url).content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    detail = client.get(tree["forum"].url + f"{post.pk}/").content.decode()
    assert "<em>now</em>" not in detail and "Dunes &lt;em&gt;now&lt;/em&gt;" in detail


# The board --------------------------------------------------------------------------------------


def test_the_board_filters_by_kind_theme_and_country(client, tree):
    need = make_post(tree, title="A need in Croatia")
    need.themes.add(tree["wg"])
    make_post(tree, kind="offer", title="An offer from Tunisia", country="TN")
    url = tree["forum"].url

    def titles(query):
        response = client.get(url + query)
        assert response.status_code == 200, query
        return re.findall(r'-title"><a href="[^"]+">([^<]+)</a>', response.content.decode())

    assert sorted(titles("")) == ["A need in Croatia", "An offer from Tunisia"]
    assert titles("?kind=offer") == ["An offer from Tunisia"]
    assert titles("?theme=wg1") == ["A need in Croatia"]
    assert titles("?country=tn") == ["An offer from Tunisia"]
    assert titles("?country=FR") == []
    assert titles("?q=Tunisia") == ["An offer from Tunisia"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?kind=gift", "is not a kind of post"),
        ("?theme=nowhere", "There is no working group"),
        ("?country=ZZ", "is not a country code"),
        ("?page=abc", "is not a page number"),
        ("?page=9", "There is no page 9"),
    ],
)
def test_bad_board_parameters_answer_400_with_a_message(client, tree, query, message):
    make_post(tree)
    response = client.get(tree["forum"].url + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_board_is_paginated(client, tree):
    for number in range(13):
        make_post(tree, title=f"Post {number:02d}")
    first = client.get(tree["forum"].url).content.decode()
    second = client.get(tree["forum"].url + "?page=2").content.decode()
    assert first.count("ar-card--forum-post") == 12
    assert second.count("ar-card--forum-post") == 1


# Replies ----------------------------------------------------------------------------------------


def reply_data(**changes):
    data = {
        "name": "Karim Ben Ali",
        "email": "karim@example.tn",
        "message": "We trained rangers in Tunisia; let us talk.",
        "website": "",
        "started": fill_token(at=time.time() - 60),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def confirm_link(message):
    """The confirmation link in the mail sent to a visitor who answered a post."""
    match = re.search(r"https?://\S+/confirm/\S+/", message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def test_a_reply_reaches_the_author_once_confirmed_without_revealing_the_address(client, tree):
    post = make_post(tree)
    detail_url = tree["forum"].url + f"{post.pk}/"
    page = client.get(detail_url)
    assert "no-store" in page["Cache-Control"]
    assert post.email not in page.content.decode()
    response = client.post(detail_url, reply_data())
    assert response.status_code == 302
    assert response["Location"].endswith(f"/forum/{post.pk}/confirm/")
    assert "Check your e-mail" in client.get(response["Location"]).content.decode()
    # First only the visitor is written to, with a link and none of the visitor's text.
    (confirmation,) = mail.outbox
    assert confirmation.to == ["karim@example.tn"]
    assert "We trained rangers" not in confirmation.body + confirmation.subject
    link = confirm_link(confirmation)
    # Opening the link (as a mail scanner would) sends nothing; its button does.
    assert client.get(link).status_code == 200
    assert len(mail.outbox) == 1
    sent = client.post(link)
    assert sent.status_code == 302
    assert sent["Location"].endswith(f"/forum/{post.pk}/replied/")
    message = mail.outbox[1]
    assert message.to == [post.email]
    assert message.reply_to == ["karim@example.tn"]
    assert "We trained rangers" in message.body
    assert post.email not in client.get(sent["Location"]).content.decode()
    # The link serves once, and no copy of the answer is kept.
    assert client.post(link).status_code == 400
    assert len(mail.outbox) == 2
    assert not ForumReply.objects.exists()


def test_a_bad_reply_is_refused_and_nothing_is_sent(client, tree):
    post = make_post(tree)
    detail_url = tree["forum"].url + f"{post.pk}/"
    for changes in ({"message": "<script>x</script>"}, {"website": "spam"}, {"started": None}):
        response = client.post(detail_url, reply_data(**changes))
        assert response.status_code == 400, changes
    assert mail.outbox == []


def test_replies_to_unpublished_posts_are_not_possible(client, tree):
    pending = make_post(tree, status=ForumPostStatus.PENDING)
    response = client.post(tree["forum"].url + f"{pending.pk}/", reply_data())
    assert response.status_code == 404
    assert mail.outbox == []


# Clusters and privacy ---------------------------------------------------------------------------


def test_the_cluster_factsheet_shows_the_needs_it_answers(client, tree):
    answered = make_post(tree, title="A need the cluster answers", answered_by=tree["cluster"])
    make_post(
        tree,
        status=ForumPostStatus.PENDING,
        title="A pending need",
        answered_by=tree["cluster"],
    )
    html = client.get(tree["cluster"].url).content.decode()
    assert "Needs and offers it answers" in html
    assert "A need the cluster answers" in html
    assert f'href="/amplification-room/forum/{answered.pk}/"' in html
    assert "A pending need" not in html
    board = client.get(tree["forum"].url).content.decode()
    assert "Answered by the cluster" in board and tree["cluster"].title in board


def test_no_email_address_appears_in_any_public_page_or_feed(client, tree):
    send_post(client, tree)
    published = ForumPost.objects.get()
    published.answered_by = tree["cluster"]
    published.save()
    published.publish()
    make_post(tree)
    urls = [page.url for key, page in tree.items() if hasattr(page, "url") and page.url]
    urls += [
        tree["forum"].url + "new/",
        tree["forum"].url + f"{published.pk}/",
        tree["forum"].url + "?kind=need",
        tree["index"].url + "feed/",
        tree["index"].url + "feed/atom/",
        "/api/v2/pages/?type=wagtail_ar.ForumPage&fields=*",
        f"/api/v2/pages/{tree['forum'].pk}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert AUTHOR_EMAIL not in body, url
        assert "ana.private@example.hr" not in body, url
        # The accessibility statement publishes its contact address on purpose; nothing else.
        body = body.replace(tree["statement"].contact_email, "")
        assert "@example.org" not in body and "@example.hr" not in body, url


# Retention --------------------------------------------------------------------------------------


def test_the_retention_command_deletes_old_archived_posts_and_nothing_else(tree, settings):
    settings.WAGTAIL_AR_FORUM_RETENTION_DAYS = 30
    now = timezone.now()
    old = make_post(tree, status=None, title="old archived")
    old.archive(at=now - datetime.timedelta(days=31))
    recent = make_post(tree, status=None, title="recent archived")
    recent.archive(at=now - datetime.timedelta(days=29))
    old_published = make_post(
        tree, title="old published", created_at=now - datetime.timedelta(days=400)
    )
    old_pending = make_post(
        tree, status=ForumPostStatus.PENDING, created_at=now - datetime.timedelta(days=400)
    )
    call_command("ar_forum_purge", "--dry-run", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert ForumPost.objects.filter(pk=old.pk).exists()
    call_command("ar_forum_purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    remaining = set(ForumPost.objects.values_list("pk", flat=True))
    assert remaining == {recent.pk, old_published.pk, old_pending.pk}
    # Run again: nothing more to delete.
    assert purge_archived_posts() == 0


@override_settings(WAGTAIL_AR_FORUM_RETENTION_DAYS=None)
def test_no_retention_keeps_archived_posts(tree):
    post = make_post(tree, status=None)
    post.archive(at=timezone.now() - datetime.timedelta(days=3000))
    assert purge_archived_posts() == 0
    assert ForumPost.objects.filter(pk=post.pk).exists()


def test_republishing_an_archived_post_stops_its_retention_clock(tree):
    post = make_post(tree, status=None)
    post.archive(at=timezone.now() - datetime.timedelta(days=3000))
    post.publish()
    post.refresh_from_db()
    assert post.archived_at is None
    assert purge_archived_posts(days=1) == 0
