"""Moderating forum posts is recorded in Wagtail's audit log (the post's History view, Reports →
Site history), from :func:`wagtail_ar.forum.moderation.moderate`, the edit form and the bulk
actions "Publish" and "Archive"."""

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from tests.utils import build_tree, make_forum_post
from wagtail_ar.forum.moderation import moderate
from wagtail_ar.models import ForumPostStatus

pytestmark = pytest.mark.django_db

PUBLISH = "wagtail_ar.forum_post.publish"
ARCHIVE = "wagtail_ar.forum_post.archive"
PENDING = "wagtail_ar.forum_post.pending"


@pytest.fixture
def forum():
    return build_tree()["forum"]


@pytest.fixture
def post(forum):
    return make_forum_post(forum, title="Pending need")


def entries(post, action=None):
    logs = ModelLogEntry.objects.for_instance(post).order_by("pk")
    if action is not None:
        logs = logs.filter(action=action)
    return list(logs)


def bulk_url(action, *posts):
    url = reverse("wagtail_bulk_action", args=["wagtail_ar", "forumpost", action])
    return url + "?" + urlencode([("id", p.pk) for p in posts])


def make_admin_user(django_user_model, username, *codenames):
    user = django_user_model.objects.create_user(username=username, password="pw")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    return user


def test_moderate_changes_the_status_and_logs_the_action_with_the_user(post, admin_user):
    entry = moderate(post, "publish", admin_user)
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PUBLISHED and post.published_at is not None
    [logged] = entries(post)
    assert logged == entry
    assert (logged.action, logged.user_id, logged.label) == (PUBLISH, admin_user.pk, "Pending need")
    assert logged.data == {"previous_status": "pending", "status": "published"}

    assert moderate(post, "publish", admin_user) is None  # published already: nothing logged
    moderate(post, "archive", admin_user)
    moderate(post, "pending", admin_user)
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PENDING and post.archived_at is None
    assert [e.action for e in entries(post)] == [PUBLISH, ARCHIVE, PENDING]
    with pytest.raises(ValueError):
        moderate(post, "delete", admin_user)


def edit_data(post, **changes):
    return {
        "status": post.status,
        "kind": post.kind,
        "title": post.title,
        "description": post.description,
        "name": post.name,
        "organisation": post.organisation,
        "country": str(post.country),
        "community_role": post.community_role,
        "email": post.email,
    } | changes


def test_a_status_change_in_the_edit_form_is_logged_as_moderation(admin_client, admin_user, post):
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:edit", args=[post.pk])
    response = admin_client.post(url, edit_data(post, title="A title changed"))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not entries(post, PUBLISH) and not entries(post, ARCHIVE)  # the status is unchanged

    response = admin_client.post(url, edit_data(post, status="published"))
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PUBLISHED and post.published_at is not None
    [logged] = entries(post, PUBLISH)
    assert logged.user_id == admin_user.pk
    assert logged.data["previous_status"] == "pending"


def test_the_posts_history_view_shows_the_moderation(admin_client, admin_user, post):
    moderate(post, "publish", admin_user)
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:history", args=[post.pk])
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Publish forum post" in html
    assert "Status changed from “Awaiting moderation” to “Published”" in html


def test_site_history_shows_the_moderation(admin_client, admin_user, post):
    moderate(post, "archive", admin_user)
    response = admin_client.get(reverse("wagtailadmin_reports:site_history"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Archive forum post" in html and "Pending need" in html
    # The action is one of the report's filter choices.
    assert ARCHIVE in html


def test_bulk_publish_publishes_each_post_with_its_own_log_entry(
    admin_client, admin_user, client, forum, post
):
    other = make_forum_post(forum, title="Second pending offer", kind="offer")
    assert "Pending need" not in client.get(forum.url).content.decode()  # the board is cached
    listing = admin_client.get(reverse("wagtailsnippets_wagtail_ar_forumpost:list"))
    assert "Publish the selected forum posts" in listing.content.decode()

    url = bulk_url("publish", post, other)
    response = admin_client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pending need" in html and "Second pending offer" in html
    assert "Yes, publish" in html
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PENDING  # a GET only asks

    response = admin_client.post(url)
    assert response.status_code == 302
    for each in (post, other):
        each.refresh_from_db()
        assert each.status == ForumPostStatus.PUBLISHED
        [logged] = entries(each, PUBLISH)
        assert logged.user_id == admin_user.pk
    assert ModelLogEntry.objects.filter(action=PUBLISH).count() == 2
    board = client.get(forum.url).content.decode()  # saving cleared the cache, as before
    assert "Pending need" in board and "Second pending offer" in board


def test_bulk_archive_archives_the_selected_posts(admin_client, forum, post):
    other = make_forum_post(forum, status="published", title="Published offer")
    response = admin_client.post(bulk_url("archive", post, other))
    assert response.status_code == 302
    for each in (post, other):
        each.refresh_from_db()
        assert each.status == ForumPostStatus.ARCHIVED and each.archived_at is not None
    assert ModelLogEntry.objects.filter(action=ARCHIVE).count() == 2


def test_bulk_moderation_needs_the_change_permission(client, django_user_model, post):
    viewer = make_admin_user(django_user_model, "viewer", "view_forumpost")
    client.force_login(viewer)
    url = bulk_url("publish", post)
    response = client.get(url)
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    client.post(url)
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PENDING and not entries(post)

    # With the permission to change forum posts, the same request publishes.
    moderator = make_admin_user(
        django_user_model, "moderator", "view_forumpost", "change_forumpost"
    )
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 302
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PUBLISHED
    [logged] = entries(post, PUBLISH)
    assert logged.user_id == moderator.pk


def test_the_row_action_is_logged_too(admin_client, admin_user, post):
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "publish"])
    assert admin_client.post(url).status_code == 302
    [logged] = entries(post, PUBLISH)
    assert logged.user_id == admin_user.pk
