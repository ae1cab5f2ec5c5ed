"""Peer review: a Wagtail workflow on the peer-review cluster index, as docs/editors.md shows it."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import (
    GroupApprovalTask,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)

from wagtail_ar.management.commands.ar_create_editors_group import GROUP_NAME
from wagtail_ar.models import ClusterIndexPage, ClusterPage

from .test_admin import cluster_form_data
from .utils import build_tree

pytestmark = pytest.mark.django_db


def attach_peer_review_workflow(peer_review_index, reviewers):
    """The snippet of docs/editors.md: one approval step by the peer reviewers, on the index of the
    peer-review clusters (and so on every cluster below it). Approving publishes, so the
    reviewers may edit and publish there, like Wagtail's own "Moderators"."""
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=reviewers,
            page=peer_review_index,
            permission=Permission.objects.get(codename=codename),
        )
    workflow = Workflow.objects.create(name="Peer review of clusters")
    task = GroupApprovalTask.objects.create(name="Approval by the peer reviewers")
    task.groups.set([reviewers])
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=peer_review_index)
    return workflow


@pytest.fixture
def setup(django_user_model):
    tree = build_tree()
    peer_review_index = tree["ar"].add_child(
        instance=ClusterIndexPage(title="Peer-review clusters", slug="peer-review")
    )
    call_command("ar_create_editors_group", stdout=StringIO())
    editors = Group.objects.get(name=GROUP_NAME)
    reviewers = Group.objects.create(name="Peer reviewers")
    reviewers.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = django_user_model.objects.create_user("editor", password="pw")  # noqa: S106
    editor.groups.add(editors)
    reviewer = django_user_model.objects.create_user("reviewer", password="pw")  # noqa: S106
    reviewer.groups.add(reviewers)
    workflow = attach_peer_review_workflow(peer_review_index, reviewers)
    return {
        **tree,
        "peer_review_index": peer_review_index,
        "editor": editor,
        "reviewer": reviewer,
        "workflow": workflow,
    }


def test_a_peer_review_cluster_goes_through_the_workflow(client, setup):
    index = setup["peer_review_index"]
    assert index.get_workflow() == setup["workflow"]

    # The editor writes the factsheet and submits it for peer review.
    client.force_login(setup["editor"])
    add_url = reverse("wagtailadmin_pages:add", args=["wagtail_ar", "clusterpage", index.pk])
    data = cluster_form_data(category="peer_review", slug="peer-review-of-mpa-results")
    response = client.post(add_url, {**data, "action-submit": "Submit for moderation"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    cluster = ClusterPage.objects.get(slug="peer-review-of-mpa-results")
    assert not cluster.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(cluster.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    assert task_state.task.specific.name == "Approval by the peer reviewers"

    # The editor cannot approve it; a peer reviewer can.
    assert task_state.task.specific.get_actions(cluster, setup["editor"]) == []
    client.force_login(setup["reviewer"])
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[cluster.pk, "approve", task_state.pk]
    )
    response = client.post(approve_url, {"comment": "Sound review, ready for the CoP."})
    assert response.status_code == 302

    cluster.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert cluster.live and cluster.category == "peer_review"
    assert not cluster.has_unpublished_changes


def test_other_clusters_keep_the_site_workflow(setup):
    assert setup["cluster"].get_workflow() != setup["workflow"]
