"""The forum attacked as a visitor with bad intentions would (issue 17, points 6, 7, 8, 13 and
the flood): a fill-time token replayed, a moderators' mail pointing to the visitor's host, the
reply form as a mail relay, an IPv6 /64 rotating its addresses, and junk requests that try to
evict the rate limit from the cache. Each test fails without its fix."""

import datetime
import io
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tests.test_cache_poisoning import entries
from tests.test_forum import confirm_link, post_data, reply_data
from tests.utils import build_tree, make_forum_post
from wagtail_ar.forum.limits import client_key, fill_token
from wagtail_ar.forum.mail import admin_edit_url
from wagtail_ar.models import ForumCounter, ForumPost, ForumReply, ForumUsedToken

# The forum mails after commit: each request commits as on a site (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("commit_each_request")]


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture(autouse=True)
def forum_settings(settings):
    settings.WAGTAIL_AR_FORUM_MODERATORS = ["moderator@example.org"]
    settings.WAGTAIL_AR_FORUM_MIN_FILL_SECONDS = 5
    settings.WAGTAIL_AR_FORUM_RATE_LIMIT = 3
    settings.WAGTAIL_AR_FORUM_REPLY_LIMIT = 2


def test_a_fill_time_token_serves_one_post_only(client, tree):
    token = fill_token(at=time.time() - 60)
    url = tree["forum"].url + "new/"
    assert client.post(url, post_data(tree, started=token, title="First")).status_code == 302
    replayed = client.post(url, post_data(tree, started=token, title="Replayed"))
    assert replayed.status_code == 400
    assert "has expired" in replayed.content.decode()
    assert list(ForumPost.objects.values_list("title", flat=True)) == ["First"]
    # The form shown again carries a new token (same time): sending it again works.
    fresh = replayed.context["form"].started_token
    assert fresh != token
    assert client.post(url, post_data(tree, started=fresh, title="Again")).status_code == 302


def test_a_replayed_token_is_refused_on_the_reply_form_too(client, tree):
    post = make_forum_post(tree["forum"], "published")
    url = tree["forum"].url + f"{post.pk}/"
    token = fill_token(at=time.time() - 60)
    assert client.post(url, reply_data(started=token)).status_code == 302
    assert client.post(url, reply_data(started=token)).status_code == 400
    assert len(mail.outbox) == 1


def test_the_moderators_mail_links_to_the_admin_base_url_not_the_visitors_host(
    client, tree, settings
):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example.org"
    client.post(tree["forum"].url + "new/", post_data(tree), HTTP_HOST="evil.example.com")
    (message,) = mail.outbox
    assert "evil.example.com" not in message.body
    assert "https://admin.example.org/" in message.body


def test_without_an_admin_base_url_the_link_uses_the_forums_own_site(tree, settings):
    settings.WAGTAILADMIN_BASE_URL = ""
    post = make_forum_post(tree["forum"])
    url = admin_edit_url(post)
    assert url.startswith(tree["forum"].get_site().root_url + "/")
    assert url.endswith(f"/{post.pk}/")


def test_an_author_receives_a_bounded_number_of_replies_a_day(tree):
    post = make_forum_post(tree["forum"], "published")
    url = tree["forum"].url + f"{post.pk}/"
    # Three visitors, each under their own rate limit and address: the author's limit (2)
    # still holds when they confirm.
    statuses = []
    for number in range(1, 4):
        visitor = Client(REMOTE_ADDR=f"198.51.100.{number}")
        email = f"visitor{number}@example.org"
        assert visitor.post(url, reply_data(email=email)).status_code == 302
        link = confirm_link(mail.outbox[-1])
        statuses.append(visitor.post(link).status_code)
    assert statuses == [302, 302, 429]
    assert [message.to for message in mail.outbox].count([post.email]) == 2


def test_the_reply_form_is_no_mail_relay(tree):
    """Point 8: whatever address and text a visitor gives, the site first writes only to that
    address, a fixed text with a link; the author gets the text only once it is confirmed,
    and one address gets a bounded number of such mails a day, from any number of clients."""
    post = make_forum_post(tree["forum"], "published")
    url = tree["forum"].url + f"{post.pk}/"
    spam = "Buy now at https://spam.example.com/ !"
    statuses = [
        Client(REMOTE_ADDR=f"203.0.113.{number}")
        .post(url, reply_data(email="victim@example.org", name=spam, message=spam))
        .status_code
        for number in range(1, 5)
    ]
    assert statuses == [302, 302, 429, 429]
    assert [message.to for message in mail.outbox] == [["victim@example.org"]] * 2
    for message in mail.outbox:
        assert "spam.example.com" not in message.subject + message.body
        assert not message.reply_to
    # Nothing reached the author, and the stored answers expire and are purged.
    assert ForumReply.objects.count() == 2
    ForumReply.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    assert Client().get(confirm_link(mail.outbox[0])).status_code == 400
    call_command("ar_forum_purge", stdout=io.StringIO())
    assert not ForumReply.objects.exists()


def test_a_confirmation_link_cannot_be_forged_or_used_for_another_answer(client, tree):
    post = make_forum_post(tree["forum"], "published")
    other = make_forum_post(tree["forum"], "published", title="Another need")
    client.post(tree["forum"].url + f"{post.pk}/", reply_data())
    link = confirm_link(mail.outbox[0])
    prefix, reply_id, code = link.rstrip("/").rsplit("/", 2)
    forged = [
        f"{prefix}/{reply_id}/{'0' * len(code)}/",
        f"{prefix}/{int(reply_id) + 1}/{code}/",
        link.replace(f"/{post.pk}/confirm/", f"/{other.pk}/confirm/"),
        f"{prefix}/{reply_id}/{code[:-1]}/",
        f"{prefix}/{10**25}/{code}/",
        f"{prefix}/{reply_id}/{code}\u0661/",
    ]
    for url in forged:
        response = client.post(url)
        assert response.status_code in (400, 404), url
    assert len(mail.outbox) == 1
    assert client.post(link).status_code == 302
    assert mail.outbox[-1].to == [post.email]


@pytest.mark.parametrize(
    "addresses, limited",
    [
        # One /64: a visitor rotating the interface part is one client.
        (["2001:db8:1:2::1", "2001:db8:1:2::2", "2001:db8:1:2:ffff::3", "2001:db8:1:2::4"], True),
        # Four networks: four clients.
        (["2001:db8:1:1::1", "2001:db8:1:2::1", "2001:db8:1:3::1", "2001:db8:1:4::1"], False),
        # IPv4-mapped IPv6 is the IPv4 address.
        (["::ffff:192.0.2.7", "192.0.2.7", "::ffff:192.0.2.7", "192.0.2.7"], True),
    ],
)
def test_ipv6_is_counted_by_its_64_network(tree, addresses, limited):
    statuses = [
        Client(REMOTE_ADDR=address).post(tree["forum"].url + "new/", post_data(tree)).status_code
        for address in addresses
    ]
    assert statuses[:3] == [302, 302, 302]
    assert statuses[3] == (429 if limited else 302)


def test_client_key_keeps_no_address_and_survives_junk():
    class Request:
        META = {"REMOTE_ADDR": "2001:db8::1"}

    assert "2001" not in client_key(Request)
    Request.META = {"REMOTE_ADDR": "not an address \x00"}
    assert len(client_key(Request)) == 32


def test_the_last_slot_is_taken_once():
    assert ForumCounter.take("client:x", 2, 60)
    assert ForumCounter.take("client:x", 2, 60)
    assert not ForumCounter.take("client:x", 2, 60)
    # A window that has ended starts again.
    later = timezone.now() + datetime.timedelta(seconds=61)
    assert ForumCounter.take("client:x", 2, 60, now=later)
    assert ForumCounter.objects.get(key="client:x").count == 1


def test_a_flood_of_junk_requests_does_not_reset_the_rate_limit(client, tree):
    url = tree["forum"].url + "new/"
    for number in range(3):
        assert client.post(url, post_data(tree, title=f"Need {number}")).status_code == 302
    # 2,000 distinct query strings, then the cache emptied outright: the counts are in
    # the database, so the fourth post is still refused.
    stored = []
    for number in range(1000):
        client.get(tree["forum"].url, {"utm_campaign": f"x{number}"})
        client.get(tree["index"].url, {"junk": f"x{number}", "category": "thematic"})
        if number in (99, 999):
            stored.append(entries())
    # Junk parameters are served but never stored: the entries of the first 100 requests
    # (the two pages, the filter state) are all there are after 2,000 of them.
    assert stored[0] == stored[1]
    cache.clear()
    assert client.post(url, post_data(tree, title="After the flood")).status_code == 429
    assert ForumPost.objects.count() == 3


def test_the_purge_deletes_spent_tokens_and_ended_windows_only(tree, settings):
    settings.WAGTAIL_AR_FORUM_MAX_FILL_SECONDS = 3600
    old = timezone.now() - datetime.timedelta(days=2)
    ForumUsedToken.objects.create(nonce="old", used_at=old)
    ForumUsedToken.objects.create(nonce="new", used_at=timezone.now())
    ForumCounter.objects.create(key="client:old", window_start=old, count=5)
    ForumCounter.objects.create(key="client:new", window_start=timezone.now(), count=5)
    call_command("ar_forum_purge", stdout=io.StringIO())
    assert list(ForumUsedToken.objects.values_list("nonce", flat=True)) == ["new"]
    assert list(ForumCounter.objects.values_list("key", flat=True)) == ["client:new"]
