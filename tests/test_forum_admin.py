"""The forum posts in the "Amplification Room" admin area: listed, published, archived, linked
to the cluster that answers them."""

import pytest
from django.urls import reverse

from tests.utils import build_tree, make_forum_post
from wagtail_ar.models import ForumPostStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def post():
    tree = build_tree()
    forum = tree["forum"]
    return make_forum_post(forum, title="Pending need")


def test_posts_are_listed_with_moderation_actions(admin_client, post):
    response = admin_client.get(reverse("wagtailsnippets_wagtail_ar_forumpost:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pending need" in html
    assert (
        reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "publish"]) in html
    )


def test_publish_then_archive_through_the_admin(admin_client, post, client):
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "publish"])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url).status_code == 302
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PUBLISHED and post.published_at is not None
    assert "Pending need" in client.get(post.forum.url).content.decode()
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "archive"])
    admin_client.post(url)
    post.refresh_from_db()
    assert post.status == ForumPostStatus.ARCHIVED and post.archived_at is not None


def test_an_editor_links_a_post_to_a_cluster_in_the_edit_view(admin_client, post):
    from wagtail_ar.models import ClusterPage

    cluster = ClusterPage.objects.get()
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:edit", args=[post.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    data = {
        "status": "published",
        "kind": "need",
        "title": post.title,
        "description": post.description,
        "answered_by": cluster.pk,
        "name": post.name,
        "organisation": post.organisation,
        "country": "HR",
        "community_role": "external",
        "email": post.email,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    post.refresh_from_db()
    assert post.answered_by_id == cluster.pk
    assert post.status == ForumPostStatus.PUBLISHED and post.published_at is not None


def test_unknown_action_and_users_without_permission_are_refused(admin_client, client, post):
    bad = reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "delete"])
    assert admin_client.post(bad).status_code == 404
    url = reverse("wagtailsnippets_wagtail_ar_forumpost:moderate", args=[post.pk, "publish"])
    assert client.post(url).status_code == 302  # to the login page
    post.refresh_from_db()
    assert post.status == ForumPostStatus.PENDING
