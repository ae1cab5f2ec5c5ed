"""The "Amplification Room editors" group: what ``ar_create_editors_group`` gives, the 403s for
users outside it, and the example site's admin pages for an editor inside it."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from wagtail_ar.management.commands.ar_create_editors_group import GROUP_NAME
from wagtail_ar.models import (
    AmplificationRoomPage,
    ClusterPage,
    Organisation,
    Solution,
    ThematicProject,
)

from .test_demo import PAGE_TYPES
from .utils import build_tree, site_root

pytestmark = pytest.mark.django_db

SNIPPETS = (Organisation, ThematicProject, Solution)
LISTINGS = [
    "wagtail_ar_cluster_factsheets:index",
    *(f"wagtailsnippets_wagtail_ar_{m._meta.model_name}:list" for m in SNIPPETS),
]


def create_group(*args):
    out = StringIO()
    call_command("ar_create_editors_group", *args, stdout=out)
    return Group.objects.get(name=GROUP_NAME), out.getvalue()


def grants(group):
    model = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    pages = {
        (gpp.page_id, gpp.permission.codename)
        for gpp in GroupPagePermission.objects.filter(group=group)
    }
    collections = set(
        GroupCollectionPermission.objects.filter(group=group).values_list(
            "collection_id", "permission__codename"
        )
    )
    return model, pages, collections


def make_user(django_user_model, username, *groups, access_admin=False):
    user = django_user_model.objects.create_user(username=username, password="pw")  # noqa: S106
    user.groups.add(*groups)
    if access_admin:
        user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_the_group_gets_the_amplification_room_and_nothing_more():
    tree = build_tree()
    second = site_root().add_child(instance=AmplificationRoomPage(title="Second", slug="second"))
    group, out = create_group()
    model, pages, collections = grants(group)
    assert model == {"wagtailadmin.access_admin"} | {
        f"wagtail_ar.{action}_{m._meta.model_name}"
        for m in SNIPPETS
        for action in ("add", "change", "delete", "publish")
    }
    assert pages == {
        (room.pk, f"{action}_page")
        for room in (tree["ar"], second)
        for action in ("add", "change", "publish")
    }
    assert collections == set()
    assert "Created the group" in out and "“The Amplification Room”, “Second”" in out


def test_the_command_is_idempotent_and_removes_what_else_the_group_was_given():
    build_tree()
    group, _out = create_group()
    first = grants(group)
    group.permissions.add(Permission.objects.get(codename="add_user"))
    GroupPagePermission.objects.create(
        group=group, page=site_root(), permission=Permission.objects.get(codename="change_page")
    )
    group, out = create_group()
    assert grants(group) == first
    assert "Updated the group" in out
    assert Group.objects.filter(name=GROUP_NAME).count() == 1


def test_without_an_amplification_room_page_no_page_is_granted():
    group, out = create_group()
    _model, pages, _collections = grants(group)
    assert pages == set()
    assert "There is no Amplification Room page yet" in out


def test_media_permissions_only_on_request():
    build_tree()
    group, _out = create_group("--with-media")
    _model, _pages, collections = grants(group)
    assert {codename for _c, codename in collections} == {
        "add_document",
        "choose_document",
        "add_image",
        "choose_image",
    }
    group, _out = create_group()
    assert grants(group)[2] == set()


# Users outside the group ----------------------------------------------------------------


@pytest.fixture
def tree():
    return build_tree()


def outsider_urls(tree):
    urls = [reverse(name) for name in LISTINGS]
    urls += [reverse(name) + "?export=csv" for name in LISTINGS]
    urls += [reverse(name) + "?export=xlsx" for name in LISTINGS]
    for model, obj in zip(SNIPPETS, (tree["lead"], tree["project"], tree["solution"]), strict=True):
        urls.append(
            reverse(f"wagtailsnippets_wagtail_ar_{model._meta.model_name}:edit", args=[obj.pk])
        )
    urls += [
        reverse("wagtailadmin_pages:edit", args=[tree[key].pk])
        for key in ("ar", "cluster", "report")
    ]
    return urls


def assert_denied(client, url):
    """Wagtail's admin refuses with PermissionDenied: a 403 to scripts (XMLHttpRequest), and to
    a browser a redirect to the dashboard with "Sorry, you do not have permission…"."""
    response = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403, (url, response.status_code)
    response = client.get(url, follow=True)
    assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)], url
    assert "you do not have permission" in response.content.decode(), url
    assert not response.get("Content-Disposition"), url


def test_a_user_outside_the_group_gets_403_on_edit_views_and_exports(
    client, django_user_model, tree
):
    create_group()
    outsider = make_user(django_user_model, "outsider", access_admin=True)
    client.force_login(outsider)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200  # may use the admin...
    for url in outsider_urls(tree):
        assert_denied(client, url)  # ...but not these


def login_as_editor_of_another_room(client, django_user_model):
    """Log ``client`` in as an editor of another Amplification Room: no right in this one."""
    other = site_root().add_child(instance=AmplificationRoomPage(title="Other", slug="other"))
    group = Group.objects.create(name="Other room editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    GroupPagePermission.objects.create(
        group=group, page=other, permission=Permission.objects.get(codename="change_page")
    )
    client.force_login(make_user(django_user_model, "other", group))


def test_an_editor_of_another_room_cannot_edit_this_one(client, django_user_model, tree):
    login_as_editor_of_another_room(client, django_user_model)
    for key in ("ar", "cluster", "report"):
        assert_denied(client, reverse("wagtailadmin_pages:edit", args=[tree[key].pk]))
    # The cluster listing answers, but lists none of this room's clusters, nor exports them.
    listing = reverse("wagtail_ar_cluster_factsheets:index")
    assert list(client.get(listing).context["object_list"]) == []
    export = client.get(listing + "?export=csv")
    assert b"Seagrass" not in b"".join(export.streaming_content)


def test_the_listing_filters_name_no_draft_the_user_may_not_edit(
    client, django_user_model, tree, admin_user
):
    """Issue 17, point 10: the filter sidebar of the cluster listing offered every working
    group (drafts included) and every lead partner (unpublished included) to any admin user."""
    wg = tree["wg"].specific
    wg.title = "Secret-Zanzibar group"
    wg.save_revision().publish()
    wg.unpublish()  # a draft now, under its new title
    lead = tree["lead"]
    lead.name = "Secret-Zanzibar partner"
    lead.live = False
    lead.save()
    wg.refresh_from_db()
    listing = reverse("wagtail_ar_cluster_factsheets:index")
    # The control: a superuser sees both in the filters.
    client.force_login(admin_user)
    html = client.get(listing).content.decode()
    assert "Secret-Zanzibar group" in html and "Secret-Zanzibar partner" in html
    login_as_editor_of_another_room(client, django_user_model)
    response = client.get(listing)
    assert response.status_code == 200
    assert "Secret-Zanzibar" not in response.content.decode()


def test_a_user_without_admin_access_is_sent_to_the_login(client, django_user_model, tree):
    client.force_login(make_user(django_user_model, "nobody"))
    response = client.get(reverse(LISTINGS[1]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# An editor in the group, on the example site -----------------------------------------------


@pytest.fixture
def editor_client(client, django_user_model):
    call_command("load_demo", stdout=StringIO())
    group, _out = create_group()
    client.force_login(make_user(django_user_model, "editor", group))
    return client


def test_the_example_site_admin_pages_answer_200_for_an_editor(editor_client):
    client = editor_client
    urls = [reverse("wagtailadmin_home")]
    urls += [reverse(name) for name in LISTINGS]
    urls += [reverse(name) + "?export=csv" for name in LISTINGS]
    urls += [reverse(name) + "?export=xlsx" for name in LISTINGS]
    for model in SNIPPETS:
        name = model._meta.model_name
        obj = model.objects.first()
        urls += [
            reverse(f"wagtailsnippets_wagtail_ar_{name}:add"),
            reverse(f"wagtailsnippets_wagtail_ar_{name}:edit", args=[obj.pk]),
            reverse(f"wagtailsnippets_wagtail_ar_{name}:inspect", args=[obj.pk]),
            reverse(f"wagtailsnippetchoosers_wagtail_ar_{name}:choose"),
        ]
    room = AmplificationRoomPage.objects.get()
    urls.append(reverse("wagtailadmin_explore", args=[room.pk]))
    for model_name in PAGE_TYPES:
        page = Page.objects.filter(content_type__model=model_name).first()
        urls += [
            reverse("wagtailadmin_pages:edit", args=[page.pk]),
            reverse("wagtailadmin_pages:history", args=[page.pk]),
        ]
        parent = page.get_parent()
        if model_name not in ("amplificationroompage", "activityindexpage", "communitymappage"):
            urls.append(
                reverse("wagtailadmin_pages:add", args=["wagtail_ar", model_name, parent.pk])
            )
    for url in urls:
        response = editor_client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "wagtail-ar-dashboard" in home


def test_an_editor_publishes_a_snippet_and_deletes_a_cluster(editor_client):
    project = ThematicProject.objects.first()
    url = reverse("wagtailsnippets_wagtail_ar_thematicproject:edit", args=[project.pk])
    response = editor_client.post(
        url,
        {
            "acronym": project.acronym,
            "name": "A new name",
            "website": "",
            "summary": "",
            "start_date": "",
            "end_date": "",
            "action-publish": "action-publish",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.name == "A new name" and project.live

    leaf = next(c for c in ClusterPage.objects.all() if c.is_leaf())
    response = editor_client.post(reverse("wagtailadmin_pages:delete", args=[leaf.pk]))
    assert response.status_code == 302
    assert not ClusterPage.objects.filter(pk=leaf.pk).exists()


def test_an_editor_cannot_manage_users_groups_or_sites(editor_client):
    for name in ("wagtailusers_users:index", "wagtailusers_groups:index", "wagtailsites:index"):
        response = editor_client.get(reverse(name))
        assert response.status_code in (302, 403), name
        if response.status_code == 302:
            assert response["Location"] == reverse("wagtailadmin_home"), name
