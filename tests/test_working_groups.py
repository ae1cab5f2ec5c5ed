"""Working group pages for visitors, the per-year count and the two-a-year rule for editors."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from wagtail_ar.models import ClusterPage, Solution, WorkingGroupPage

from .test_activities import at, make_activity
from .utils import build_tree

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def in_year(year, month=6, day=15):
    return timezone.make_aware(datetime.datetime(year, month, day, 10, 0))


@pytest.fixture
def tree():
    return build_tree()


@pytest.fixture
def wg(tree):
    return WorkingGroupPage.objects.get(pk=tree["wg"].pk)


# The per-year count ---------------------------------------------------------------------------------


def test_activity_count_per_year(tree, wg):
    index = tree["activities"]
    make_activity(index, "a", in_year(2023), working_group=wg)
    make_activity(index, "b", in_year(2023, 9), working_group=wg)
    make_activity(index, "c", in_year(2025), working_group=wg)
    make_activity(index, "other-wg", in_year(2025))  # no working group
    make_activity(index, "draft", in_year(2025, 7), working_group=wg, publish=False)
    assert wg.activity_count(2023) == 2
    assert wg.activity_count(2024) == 1  # Malaga, 29 November 2024
    assert wg.activity_count(2025) == 1
    assert wg.activity_count(2022) == 0
    counts = dict(wg.activity_counts_by_year())
    assert counts[2023] == 2 and counts[2024] == 1 and counts[2025] == 1
    assert counts[THIS_YEAR] == wg.activity_count(THIS_YEAR)
    years = [year for year, _count in wg.activity_counts_by_year()]
    assert years == sorted(years, reverse=True) and years[-1] == 2023
    assert years == list(range(years[0], 2022, -1))  # no year left out


def test_the_year_is_the_start_in_the_site_time_zone(tree, wg):
    # 31 December 23:30 in Brussels is still the old year, though 22:30 UTC.
    start = timezone.make_aware(datetime.datetime(2023, 12, 31, 23, 30))
    make_activity(tree["activities"], "new-year", start, working_group=wg)
    assert wg.activity_count(2023) == 1 and wg.activity_count(2024) == 1


def test_two_a_year_rule(tree, wg):
    index = tree["activities"]
    assert wg.activity_count() == 0
    assert wg.is_below_minimum()
    make_activity(index, "first", in_year(THIS_YEAR, 3), working_group=wg)
    assert wg.is_below_minimum()
    private = make_activity(index, "members-only", in_year(THIS_YEAR, 4), working_group=wg)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    # Members-only activities count for the rule, though visitors do not see them.
    assert wg.activity_count(THIS_YEAR) == 1
    assert wg.activity_count(THIS_YEAR, include_private=True) == 2
    assert not wg.is_below_minimum()
    assert wg.is_below_minimum(2024)  # Malaga only
    with override_settings(WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR=3):
        assert wg.is_below_minimum()


def test_drafts_do_not_count_for_the_rule(tree, wg):
    index = tree["activities"]
    make_activity(index, "one", in_year(THIS_YEAR, 2), working_group=wg)
    make_activity(index, "two", in_year(THIS_YEAR, 3), working_group=wg, publish=False)
    assert wg.is_below_minimum()
    assert wg.draft_activity_count() == 1


# The edit view tells editors -------------------------------------------------------------------------


def edit_html(admin_client, wg):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[wg.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_edit_view_warns_when_below_two_activities_this_year(admin_client, tree, wg):
    make_activity(tree["activities"], "one", in_year(THIS_YEAR, 2), working_group=wg)
    make_activity(
        tree["activities"], "draft", in_year(THIS_YEAR, 5), working_group=wg, publish=False
    )
    html = edit_html(admin_client, wg)
    assert 'data-ar-activity-rule="below"' in html
    assert f"WG1 has 1 published activity in {THIS_YEAR}: at least 2 are expected." in html
    assert "1 more is a draft" in html
    assert "help-warning" in html


def test_edit_view_says_when_the_rule_is_met(admin_client, tree, wg):
    for n in (1, 2):
        make_activity(tree["activities"], f"a-{n}", in_year(THIS_YEAR, n), working_group=wg)
    html = edit_html(admin_client, wg)
    assert 'data-ar-activity-rule="met"' in html
    assert f"WG1 has 2 published activities in {THIS_YEAR}: the minimum of 2 is met." in html


def test_the_add_view_has_no_count(admin_client, tree):
    url = reverse("wagtailadmin_pages:add", args=["wagtail_ar", "workinggrouppage", tree["ar"].pk])
    html = admin_client.get(url).content.decode()
    assert "data-ar-activity-rule" not in html


# The page for visitors ----------------------------------------------------------------------------


def test_working_group_page_shows_everything(client, tree, wg):
    index = tree["activities"]
    make_activity(index, "next-meeting", at(12), title="Next WG1 meeting", working_group=wg)
    this_year = wg.activity_count(THIS_YEAR)  # 1, or 0 when "in 12 days" is next year
    html = client.get(wg.url).content.decode()
    for text in (
        "Connectivity of ecosystems",
        "Regione Campania",  # coordinator
        "Université de Tunis",  # member
        "Policy paper",
        "Seagrass meadows of the Adriatic",  # its cluster
        "Seagrass monitoring protocol",  # a solution its cluster addresses
        "MPA4Change",
        "Upcoming activities",
        "Next WG1 meeting",
        "Past activities",
        "Malaga Institutional dialogue event",
        "Activities per year",
        '<th scope="row">2024</th><td>1</td>',
        f'<th scope="row">{THIS_YEAR}</th><td>{this_year}</td>',
        "/amplification-room/activities/?working_group=wg1",
        "/amplification-room/activities/ical/?working_group=wg1",
    ):
        assert text in html, text
    assert html.index("Next WG1 meeting") < html.index("Past activities")
    assert html.index("Past activities") < html.index("Malaga Institutional dialogue event")


def test_solutions_are_those_of_its_visible_clusters_each_once(client, tree, wg):
    second = ClusterPage.objects.get(pk=tree["cluster"].pk).copy(
        update_attrs={"slug": "seagrass-2", "title": "Seagrass II"}
    )
    second.save_revision().publish()
    draft_solution = Solution.objects.create(title="Draft tool", summary=".", live=False)
    ClusterPage.objects.get(pk=second.pk).solutions.add(draft_solution)
    assert [s.title for s in wg.solutions()] == ["Seagrass monitoring protocol"]
    tree["cluster"].unpublish()
    second.unpublish()
    assert list(wg.solutions()) == []
    assert "Seagrass monitoring protocol" not in client.get(wg.url).content.decode()


def test_nothing_draft_or_private_on_the_working_group_page(client, tree, wg):
    index = tree["activities"]
    make_activity(index, "draft", at(3), title="Draft meeting", working_group=wg, publish=False)
    private = make_activity(index, "private", at(4), title="Private meeting", working_group=wg)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    html = client.get(wg.url).content.decode()
    assert "Draft meeting" not in html and "Private meeting" not in html
    assert f'<th scope="row">{THIS_YEAR}</th><td>0</td>' in html
    assert "No activities are planned at the moment." in html


def test_long_histories_are_cut_with_a_link_to_the_calendar(client, tree, wg):
    index = tree["activities"]
    for n in range(9):
        make_activity(index, f"old-{n}", at(-30 - n), title=f"Old meeting {n}", working_group=wg)
    response = client.get(wg.url)
    assert len(response.context["past_activities"]) == WorkingGroupPage.activities_shown
    assert "Every activity of WG1" in response.content.decode()


def test_working_group_page_queries_do_not_grow(client, tree, wg, settings):
    settings.WAGTAIL_AR_CACHE_TIMEOUT = 0  # the database's queries; cache hits: test_cache
    index = tree["activities"]

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(wg.url).status_code == 200
        return len(captured)

    for n in range(2):
        make_activity(index, f"p-{n}", at(-5 - n), working_group=wg)
        make_activity(index, f"u-{n}", at(5 + n), working_group=wg)
    queries()
    few = queries()
    for n in range(2, 20):
        make_activity(index, f"p-{n}", in_year(2010 + n), working_group=wg)
        make_activity(index, f"u-{n}", at(5 + n), working_group=wg)
    assert queries() == few
