"""One visibility rule (wagtail_ar.visibility), and the outputs that could *name* a hidden page
through a relation: a public factsheet naming its working group, its card in the listing, a
public report naming its cluster, a public forum post naming the cluster that answers it,
breadcrumbs naming an ancestor. Each hidden kind is checked against a visible control."""

import datetime

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from tests.utils import build_tree, make_forum_post
from wagtail_ar import cache
from wagtail_ar.visibility import is_visible, restricted_paths, visible

pytestmark = pytest.mark.django_db

SECRET = "Zanzibar-secret"


def draft(page):
    page.unpublish()


def expiring(page):
    # Past its expiry date before publish_scheduled has run: still live in the database.
    page.expire_at = timezone.now() - datetime.timedelta(minutes=5)
    page.save()


def password(page):
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )


def login(page):
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


KINDS = [draft, expiring, password, login]


@pytest.fixture
def tree():
    return build_tree()


def rename(page, title):
    page = page.specific
    page.title = title
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def html(url):
    cache.invalidate()
    response = Client().get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize("hide", KINDS, ids=[kind.__name__ for kind in KINDS])
def test_the_rule_hides_each_kind_and_keeps_the_control(tree, hide):
    hidden, control = tree["cluster"], tree["wg"]
    hide(Page.objects.get(pk=hidden.pk))
    pages = visible(Page.objects.filter(pk__in=[hidden.pk, control.pk]))
    assert list(pages.values_list("pk", flat=True)) == [control.pk]
    hidden = Page.objects.get(pk=hidden.pk)
    assert not is_visible(hidden)
    assert is_visible(Page.objects.get(pk=control.pk))


def test_a_page_under_a_restricted_parent_is_hidden(tree):
    password(Page.objects.get(pk=tree["index"].pk))
    report = Page.objects.get(pk=tree["report"].pk)  # below the cluster, below the index
    assert not visible(Page.objects.filter(pk=report.pk)).exists()
    assert not is_visible(report)
    assert is_visible(Page.objects.get(pk=tree["wg"].pk))


def test_restricted_paths_are_read_once_per_request(tree, django_assert_num_queries):
    request = RequestFactory().get("/")
    page = Page.objects.get(pk=tree["wg"].pk)
    with django_assert_num_queries(1):
        restricted_paths(request)
        restricted_paths(request)
        assert is_visible(page, request)


def test_the_template_filter_narrows_querysets_and_answers_for_pages(tree):
    draft(Page.objects.get(pk=tree["cluster"].pk))
    template = Template(
        "{% load wagtail_ar_tags %}{% for p in pages|visible %}[{{ p.pk }}]{% endfor %}"
        "{% if hidden|visible:request %}HIDDEN{% endif %}{% if shown|visible:request %}SHOWN{% endif %}"
    )
    out = template.render(
        Context(
            {
                "pages": Page.objects.filter(pk__in=[tree["cluster"].pk, tree["wg"].pk]),
                "hidden": Page.objects.get(pk=tree["cluster"].pk),
                "shown": Page.objects.get(pk=tree["wg"].pk),
                "request": RequestFactory().get("/"),
            }
        )
    )
    assert out == f"[{tree['wg'].pk}]SHOWN"


@pytest.mark.parametrize("hide", KINDS, ids=[kind.__name__ for kind in KINDS])
def test_a_hidden_working_group_is_not_named_by_its_clusters(tree, hide):
    wg = rename(tree["wg"], f"{SECRET} group")
    cluster = tree["cluster"].specific
    assert SECRET in html(cluster.url)  # the control: named while visible
    hide(Page.objects.get(pk=wg.pk))
    assert SECRET not in html(cluster.url)
    assert SECRET not in html(tree["index"].url)


# A login restriction on the cluster covers its reports too (they redirect to the login).
@pytest.mark.parametrize("hide", [draft, expiring, password], ids=["draft", "expiring", "password"])
def test_a_hidden_cluster_is_not_named_by_its_reports(tree, hide):
    cluster = rename(tree["cluster"], f"{SECRET} cluster")
    report = tree["report"].specific
    assert SECRET in html(report.url)
    hide(Page.objects.get(pk=cluster.pk))
    page = html(report.url)
    assert SECRET not in page
    # Nothing else of it either: its summary is not shown.
    assert cluster.summary not in page


@pytest.mark.parametrize("hide", KINDS, ids=[kind.__name__ for kind in KINDS])
def test_a_hidden_cluster_is_not_named_by_the_forum_posts_it_answers(tree, hide):
    cluster = rename(tree["cluster"], f"{SECRET} cluster")
    post = make_forum_post(tree["forum"], "published", answered_by=cluster)
    post_url = tree["forum"].url + f"{post.pk}/"
    assert SECRET in html(post_url)
    hide(Page.objects.get(pk=cluster.pk))
    assert SECRET not in html(post_url)
    assert SECRET not in html(tree["forum"].url)


def test_breadcrumbs_leave_out_an_ancestor_visitors_may_not_see(tree):
    index = rename(tree["index"], f"{SECRET} index")
    report = tree["report"].specific
    assert SECRET in html(report.url)
    # The index goes back to draft; its cluster and report stay live (Page.unpublish() leaves
    # the descendants alone).
    Page.objects.get(pk=index.pk).specific.unpublish()
    assert SECRET not in html(report.url)


def test_a_protected_forum_s_posts_are_not_listed_on_a_public_factsheet(tree):
    """Issue 17, point 1: ``answered_forum_posts()`` checked only that the forum was live."""
    make_forum_post(tree["forum"], "published", title=f"{SECRET} need", answered_by=tree["cluster"])
    assert SECRET in html(tree["cluster"].url)
    password(Page.objects.get(pk=tree["forum"].pk))
    assert SECRET not in html(tree["cluster"].url)


def test_a_private_cluster_s_countries_find_no_activity(tree):
    """Issue 17, point 12: the activity listing's country filter offered the countries of a
    private cluster (Croatia: only the cluster has it), and filtering by one listed the
    activity."""
    index, activity = tree["activities"], tree["activity"]
    assert 'value="HR"' in html(index.url)
    assert activity.title in html(index.url + "?country=HR")
    password(Page.objects.get(pk=tree["cluster"].pk))
    assert 'value="HR"' not in html(index.url)
    assert activity.title not in html(index.url + "?country=HR")
