"""API v2 endpoints of the snippets and the forum (wagtail_ar.endpoints, issue 22 point 6).

They list what visitors may see, nothing else: live snippets, published posts of a visible
forum, one item per translation, and relations to hidden pages or snippets as ``null`` or left
out. Bad parameters answer 400, hostile text never 500, and the cost of a listing does not
grow with the number of items.
"""

import json

import pytest
from django.utils import translation
from wagtail.models import Locale, PageViewRestriction

from wagtail_ar.endpoints import ENDPOINTS
from wagtail_ar.models import ForumPost, Organisation, Solution, ThematicProject

from .utils import build_tree, make_forum_post, make_organisation

pytestmark = pytest.mark.django_db

API = "/api/v2/"


@pytest.fixture
def tree():
    tree = build_tree()
    tree["post"] = make_forum_post(tree["forum"], status="published", answered_by=tree["cluster"])
    tree["post"].themes.add(tree["wg"])
    return tree


def listing(client, endpoint, **params):
    response = client.get(f"{API}{endpoint}/", params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def ids(client, endpoint, **params):
    return [item["id"] for item in listing(client, endpoint, **params)["items"]]


def test_every_endpoint_lists_its_items_with_the_model_s_api_fields(client, tree):
    expected = {
        "organisations": [tree["lead"].pk, tree["member"].pk],
        "thematic-projects": [tree["project"].pk],
        "solutions": [tree["solution"].pk],
        "forum-posts": [tree["post"].pk],
    }
    for endpoint, viewset in ENDPOINTS.items():
        data = listing(client, endpoint, fields="*")
        assert data["meta"]["total_count"] == len(expected[endpoint])
        assert [item["id"] for item in data["items"]] == expected[endpoint]
        for item in data["items"]:
            for field in viewset.model.api_fields:
                assert field.name in item, (endpoint, field.name)
            detail = client.get(item["meta"]["detail_url"])
            assert detail.status_code == 200
            assert detail.json()["id"] == item["id"]


def test_an_organisation_s_fields(client, tree):
    (item,) = [
        item
        for item in listing(client, "organisations", fields="*")["items"]
        if item["id"] == tree["lead"].pk
    ]
    assert item["name"] == "Regione Campania"
    assert item["country"] == "IT"
    assert item["community_roles"] == ["pp"]
    assert item["latitude"] == pytest.approx(40.85)
    assert item["meta"]["type"] == "wagtail_ar.Organisation"


def test_a_field_filter_and_ordering(client, tree):
    assert ids(client, "organisations", country="TN") == [tree["member"].pk]
    assert ids(client, "organisations", order="-name") == [tree["member"].pk, tree["lead"].pk]


@pytest.mark.parametrize(
    ("endpoint", "model"),
    [
        ("organisations", Organisation),
        ("thematic-projects", ThematicProject),
        ("solutions", Solution),
    ],
)
def test_a_draft_snippet_is_neither_listed_nor_served(client, tree, endpoint, model):
    item = model.objects.first()
    model.objects.filter(pk=item.pk).update(live=False)
    assert item.pk not in ids(client, endpoint)
    assert client.get(f"{API}{endpoint}/{item.pk}/").status_code == 404


def test_a_solution_s_tags_come_sorted(client, tree):
    tree["solution"].tags.add("seagrass", "monitoring")
    tree["solution"].save()
    assert listing(client, "solutions", fields="tags")["items"][0]["tags"] == [
        "monitoring",
        "seagrass",
    ]


def test_a_hidden_thematic_project_is_null_on_its_solution(client, tree):
    assert listing(client, "solutions", fields="*")["items"][0]["thematic_project"] == {
        "id": tree["project"].pk,
        "type": "wagtail_ar.ThematicProject",
        "title": str(tree["project"]),
    }
    ThematicProject.objects.filter(pk=tree["project"].pk).update(live=False)
    response = client.get(f"{API}solutions/{tree['solution'].pk}/")
    assert response.json()["thematic_project"] is None
    assert "MPA4Change" not in response.content.decode()


@pytest.mark.parametrize("status", ["pending", "archived"])
def test_only_published_posts_are_listed(client, tree, status):
    other = make_forum_post(tree["forum"], status=status, title="Not for the public")
    assert other.pk not in ids(client, "forum-posts")
    assert client.get(f"{API}forum-posts/{other.pk}/").status_code == 404


def test_a_post_never_shows_its_author_s_e_mail_address(client, tree):
    response = client.get(f"{API}forum-posts/", {"fields": "*"})
    detail = client.get(f"{API}forum-posts/{tree['post'].pk}/")
    for body in (response.content.decode(), detail.content.decode()):
        assert "ana.private@example.hr" not in body
        assert "consent_at" not in body
    assert client.get(f"{API}forum-posts/", {"fields": "email"}).status_code == 400


def test_a_post_names_its_visible_cluster_and_theme(client, tree):
    item = client.get(f"{API}forum-posts/{tree['post'].pk}/").json()
    assert item["answered_by"]["title"] == tree["cluster"].title
    assert [theme["title"] for theme in item["themes"]] == [tree["wg"].title]


@pytest.mark.parametrize("hide", ["draft", "password"])
def test_a_post_does_not_name_a_hidden_cluster_or_working_group(client, tree, hide):
    for key in ("cluster", "wg"):
        page = tree[key]
        if hide == "draft":
            page.unpublish()
        else:
            PageViewRestriction.objects.create(
                page=page, restriction_type=PageViewRestriction.PASSWORD, password="secret"
            )
    response = client.get(f"{API}forum-posts/{tree['post'].pk}/")
    item = response.json()
    assert item["answered_by"] is None
    assert item["themes"] == []
    body = response.content.decode()
    assert tree["cluster"].title not in body and tree["wg"].title not in body


@pytest.mark.parametrize("hide", ["draft", "password"])
def test_the_posts_of_a_hidden_forum_are_not_served(client, tree, hide):
    if hide == "draft":
        tree["forum"].unpublish()
    else:
        PageViewRestriction.objects.create(
            page=tree["ar"], restriction_type=PageViewRestriction.LOGIN
        )
    assert ids(client, "forum-posts") == []
    assert client.get(f"{API}forum-posts/{tree['post'].pk}/").status_code == 404


def test_one_item_per_translation_in_the_requested_locale(client, tree, settings):
    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = [("en", "English"), ("fr", "French")]
    french = Locale.objects.create(language_code="fr")
    fr_lead = tree["lead"].copy_for_translation(french)
    fr_lead.name = "Région Campanie"
    fr_lead.save()
    english = listing(client, "organisations", fields="name", locale="en")["items"]
    assert [item["name"] for item in english] == ["Regione Campania", "Université de Tunis"]
    french_items = listing(client, "organisations", fields="name", locale="fr")["items"]
    # The French translation where there is one, the default locale's version elsewhere.
    assert sorted(item["name"] for item in french_items) == [
        "Région Campanie",
        "Université de Tunis",
    ]
    with translation.override("fr"):
        assert fr_lead.pk in ids(client, "organisations")


def test_an_unknown_locale_answers_400(client, tree):
    response = client.get(f"{API}organisations/", {"locale": "xx<script>\x00"})
    assert response.status_code == 400
    assert "<script>" not in response.content.decode()
    assert response.json()["message"] == ("Unknown locale: give one of these language codes: en.")


@pytest.mark.parametrize(
    "params",
    [
        {"search": 'x|y "z'},
        {"search": '"'},
        {"search": "NEAR(a b) AND OR NOT * ^ - :"},
        {"search": "\x00\x0c\u202e\u0301"},
        "search=%ED%A0%80%FF%00&locale=%C0",  # a lone surrogate, bytes that are not UTF-8
        "search=a&search=b&limit=1&limit=x",
        {"search": ""},
        {"order": "email"},
        {"limit": "²"},
        {"offset": "-1"},
        {"fields": "name,,("},
        {"country": "\x00"},
        {"unknown": "1"},
    ],
    ids=repr,
)
def test_hostile_parameters_never_answer_500(client, tree, params):
    for endpoint in ENDPOINTS:
        if isinstance(params, str):
            response = client.get(f"{API}{endpoint}/?{params}")
        else:
            response = client.get(f"{API}{endpoint}/", params)
        assert response.status_code in (200, 400), (endpoint, params, response.content[:300])
        json.loads(response.content)


def test_search_finds_an_organisation_by_its_words(client, tree):
    assert ids(client, "organisations", search='Tunis" |') == [tree["member"].pk]


def test_a_listing_costs_the_same_queries_for_1_or_30_items(client, tree):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(endpoint):
        listing(client, endpoint, fields="*")  # fills the per-process caches (content types)
        with CaptureQueriesContext(connection) as queries:
            listing(client, endpoint, fields="*")
        return len(queries)

    before = {endpoint: count(endpoint) for endpoint in ENDPOINTS}
    for number in range(30):
        make_organisation(f"Organisation {number}", lat=None)
        Solution.objects.create(title=f"Solution {number}", thematic_project=tree["project"])
        ThematicProject.objects.create(acronym=f"P{number}", name=f"Project {number}")
        post = make_forum_post(tree["forum"], status="published", answered_by=tree["cluster"])
        post.themes.add(tree["wg"])
    assert ForumPost.objects.count() == 31
    after = {endpoint: count(endpoint) for endpoint in ENDPOINTS}
    assert after == before
