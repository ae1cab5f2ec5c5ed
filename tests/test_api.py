"""Search and API fields: every page type and snippet declares them, and API v2 serves them."""

import pytest
from django.apps import apps
from wagtail.models import Page

from wagtail_ar.models import ClusterPage, Organisation, Solution, ThematicProject

from .utils import build_tree

pytestmark = pytest.mark.django_db

PAGE_MODELS = [m for m in apps.get_app_config("wagtail_ar").get_models() if issubclass(m, Page)]


@pytest.mark.parametrize(
    "model", [*PAGE_MODELS, Organisation, ThematicProject, Solution], ids=lambda m: m.__name__
)
def test_every_page_type_and_snippet_declares_search_and_api_fields(model):
    own_search = [f for f in model.search_fields if f not in Page.search_fields]
    assert own_search, "search_fields beyond Page's"
    assert model.api_fields


def test_ten_page_types():
    assert len(PAGE_MODELS) == 10


def test_api_v2_serves_a_cluster_with_its_fields(client):
    tree = build_tree()
    response = client.get("/api/v2/pages/", {"type": "wagtail_ar.ClusterPage", "fields": "*"})
    assert response.status_code == 200
    (item,) = response.json()["items"]
    assert item["category"] == "geographical"
    assert item["status"] == tree["cluster"].status
    assert item["expected_outcomes"] == ["transference", "adoption"]
    assert item["countries"] == ["HR", "IT"]
    assert item["lead_partner"]["id"] == tree["lead"].pk
    assert item["roadmap"][0]["value"]["title"] == "Kick-off"
    assert [p["role"] for p in item["participants"]] == ["external"]


@pytest.mark.parametrize("model", PAGE_MODELS, ids=lambda m: m.__name__)
def test_api_v2_detail_of_every_page_type(client, model):
    build_tree()
    page = model.objects.first()
    response = client.get(f"/api/v2/pages/{page.pk}/")
    assert response.status_code == 200, response.content[:500]
    for field in model.api_fields:
        assert field.name in response.json(), field.name


def test_cluster_search_through_wagtail_backend():
    tree = build_tree()
    results = ClusterPage.objects.live().search("seagrass")
    assert [r.pk for r in results] == [tree["cluster"].pk]


@pytest.mark.parametrize("hide", ["draft", "password"])
def test_api_v2_does_not_name_a_hidden_working_group(client, hide):
    """Issue 17, point 11: ``working_group`` of a cluster and of an activity is null when the
    group is a draft or private; its title is shown while it is visible (the control)."""
    from wagtail.models import PageViewRestriction

    tree = build_tree()
    wg = tree["wg"].specific
    wg.title = "Secret-Zanzibar group"
    wg.save_revision().publish()

    def payloads():
        for kind, page in (("ClusterPage", tree["cluster"]), ("ActivityPage", tree["activity"])):
            response = client.get(f"/api/v2/pages/{page.pk}/")
            assert response.status_code == 200, kind
            yield response.json()["working_group"], response.content.decode()

    assert all(field and field["title"] == wg.title for field, _body in payloads())
    if hide == "draft":
        Page.objects.get(pk=wg.pk).unpublish()
    else:
        PageViewRestriction.objects.create(page=wg, restriction_type="password", password="x")
    for field, body in payloads():
        assert field is None
        assert "Secret-Zanzibar" not in body
