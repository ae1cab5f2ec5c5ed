"""The Amplification Room panel of the Wagtail dashboard."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page

from wagtail_ar.dashboard import AmplificationRoomPanel
from wagtail_ar.models import (
    ActivityPage,
    AmplificationRoomPage,
    ClusterIndexPage,
    ClusterPage,
    ClusterReportPage,
    WorkingGroupPage,
)

from .utils import build_tree, site_root

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def add_cluster(index, title, start, end):
    return index.add_child(
        instance=ClusterPage(
            title=title,
            category="thematic",
            summary="S.",
            question="Q?",
            objectives="<p>O.</p>",
            start_date=start,
            end_date=end,
        )
    )


def add_activity(index, title, start, wg=None, live=True):
    activity = index.add_child(
        instance=ActivityPage(
            title=title,
            start=start,
            end=start + datetime.timedelta(hours=2),
            time_zone="Europe/Madrid",
            working_group=wg,
            live=live,
        )
    )
    return activity


def add_report(cluster, title, live):
    return cluster.add_child(
        instance=ClusterReportPage(title=title, report_type="interim", summary="S.", live=live)
    )


@pytest.fixture
def content():
    """One AR with: an active cluster ending in 10 days, an active one ending in a year, a
    planned one; WG1 with one activity this year, WG2 with two; a draft report."""
    tree = build_tree()
    today = timezone.localdate()
    now = timezone.now()
    index, activities = tree["index"], tree["activities"]
    ClusterPage.objects.filter(pk=tree["cluster"].pk).update(
        start_date=today - 30 * DAY, end_date=today + 365 * DAY
    )
    ending = add_cluster(index, "Ending soon", today - 30 * DAY, today + 10 * DAY)
    add_cluster(index, "Planned", today + 10 * DAY, None)
    wg1 = tree["wg"]
    wg2 = tree["ar"].add_child(
        instance=WorkingGroupPage(title="WG2 Climate", slug="wg2", number=2, theme="Climate")
    )
    this_year = now.replace(month=1, day=2, hour=12)
    ActivityPage.objects.filter(pk=tree["activity"].pk).update(start=this_year, end=this_year)
    add_activity(activities, "WG2 first", this_year, wg2)
    add_activity(activities, "WG2 second", this_year + DAY, wg2)
    add_activity(activities, "WG1 draft", this_year, wg1, live=False)  # does not count
    upcoming = add_activity(activities, "Upcoming webinar", now + 3 * DAY)
    draft = add_report(ending, "Draft report", live=False)
    return {
        **tree,
        "ending": ending,
        "wg1": wg1,
        "wg2": wg2,
        "upcoming": upcoming,
        "draft": draft,
    }


def panel_for(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return AmplificationRoomPanel(request)


def test_the_dashboard_shows_what_needs_attention(admin_client, content):
    response = admin_client.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "wagtail-ar-dashboard" in html
    panel = html[html.index("wagtail-ar-dashboard") :]
    assert "2 active clusters" in panel
    assert reverse("wagtail_ar_cluster_factsheets:index") + "?status=active" in panel
    assert "Ending soon" in panel and "Seagrass meadows" not in panel.split("Upcoming")[0]
    assert "Upcoming webinar" in panel
    assert "WG1 Connectivity of ecosystems" in panel and "WG2 Climate" not in panel
    assert "Draft report" in panel and "Interim report" not in panel
    assert reverse("wagtailadmin_pages:edit", args=[content["draft"].pk]) in panel


def test_working_group_counts_follow_the_working_group_rule(admin_user, content):
    context = panel_for(admin_user).get_context_data()
    below = context["working_groups_below_minimum"]
    assert [wg.pk for wg in below] == [content["wg1"].pk]
    assert below[0].activities_this_year == 1
    for wg in WorkingGroupPage.objects.all():
        # The panel counts in one query what WorkingGroupPage counts one group at a time.
        assert wg.is_below_minimum() == (wg.pk in {w.pk for w in below})
        if wg.pk == below[0].pk:
            assert wg.activity_count(include_private=True) == below[0].activities_this_year


def test_the_panel_costs_the_same_queries_however_much_content(admin_user, content):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert panel_for(admin_user).render_html({})
        return len(captured)

    few = queries()
    today, now = timezone.localdate(), timezone.now()
    for i in range(4):
        cluster = add_cluster(content["index"], f"More {i}", today - DAY, today + 5 * DAY)
        add_report(cluster, f"Draft {i}", live=False)
        add_activity(content["activities"], f"Soon {i}", now + DAY, content["wg1"])
        content["ar"].add_child(
            instance=WorkingGroupPage(
                title=f"WG{i + 5}", slug=f"wg{i + 5}", number=i + 5, theme="T"
            )
        )
    assert queries() == few


def make_user(django_user_model, username, pages=()):
    user = django_user_model.objects.create_user(username=username, password="pw")  # noqa: S106
    group = Group.objects.create(name=f"group of {username}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    for page in pages:
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.create(
                group=group, page=page, permission=Permission.objects.get(codename=codename)
            )
    user.groups.add(group)
    return user


def test_a_user_who_cannot_edit_pages_sees_no_panel(client, django_user_model, content):
    user = make_user(django_user_model, "reader")
    assert panel_for(user).render_html({}) == ""
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "wagtail-ar-dashboard" not in response.content.decode()
    assert "Draft report" not in response.content.decode()


def test_a_user_sees_only_the_pages_they_may_edit(django_user_model, content):
    other_ar = site_root().add_child(
        instance=AmplificationRoomPage(title="Other room", slug="other-room")
    )
    other_index = other_ar.add_child(instance=ClusterIndexPage(title="Other clusters", slug="oc"))
    today = timezone.localdate()
    other_cluster = add_cluster(other_index, "Other room's cluster", today - DAY, today + 5 * DAY)
    add_report(other_cluster, "Other room's draft", live=False)

    editor = make_user(django_user_model, "other-editor", pages=[other_ar])
    html = panel_for(editor).render_html({})
    assert "Other room&#x27;s cluster" in html and "Other room&#x27;s draft" in html
    assert "Ending soon" not in html and "Draft report" not in html
    assert "WG1" not in html and "Upcoming webinar" not in html

    # Permission on pages elsewhere only: nothing of the Amplification Room to show.
    elsewhere = site_root().add_child(instance=Page(title="Blog", slug="blog"))
    blogger = make_user(django_user_model, "blogger", pages=[elsewhere])
    assert panel_for(blogger).render_html({}) == ""


def test_each_list_has_its_heading_items_and_empty_text(admin_user, content):
    html = panel_for(admin_user).render_html({})
    for heading in (
        "Clusters ending in the next 30 days",
        "Upcoming activities",
        "Working groups with fewer than",
        "Cluster reports in draft",
    ):
        assert f'<h3 class="w-h4">{heading}' in html
    assert "ends on" in html and "(draft)" in html and "published activity" in html
    assert "Only the" not in html

    class OneReport(AmplificationRoomPanel):
        limit = 1

    add_report(content["ending"], "Second draft", live=False)
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    assert "Only the 1 latest are listed." in OneReport(request).render_html({})


def test_an_empty_list_says_so(admin_user, content):
    content["upcoming"].delete()
    html = panel_for(admin_user).render_html({})
    upcoming = html.split("Upcoming activities", 1)[1].split("<h3", 1)[0]
    assert "<p>None.</p>" in upcoming and "<li>" not in upcoming


# Working groups translated with Wagtail's i18n ------------------------------------------------

LANGUAGES = [("en", "English"), ("fr", "Français"), ("ar", "العربية")]


@pytest.fixture
def translated_groups(content, settings):
    """WG1 (one activity this year, in English) and WG2 (two) translated into French and
    Arabic; the activities exist in English only, one of WG2's translated into French."""
    from wagtail.models import Locale

    settings.WAGTAIL_I18N_ENABLED = True
    settings.LANGUAGES = settings.WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
    translations = {}
    for code in ("fr", "ar"):
        locale = Locale.objects.get_or_create(language_code=code)[0]
        for key in ("wg1", "wg2"):
            copy = content[key].copy_for_translation(locale, copy_parents=True)
            copy.save_revision().publish()
            translations[f"{key}_{code}"] = copy
    first_of_wg2 = ActivityPage.objects.get(title="WG2 first")
    french = first_of_wg2.copy_for_translation(Locale.objects.get(language_code="fr"), True)
    french.save_revision().publish()
    return {**content, **translations}


def test_the_rule_counts_a_group_s_activities_across_its_translations(
    admin_user, translated_groups
):
    from django.utils import translation

    wg1, wg2 = translated_groups["wg1"], translated_groups["wg2"]
    for code, expected in (("en", wg1), ("fr", translated_groups["wg1_fr"])):
        with translation.override(code):
            below = panel_for(admin_user).working_groups_below_minimum()
        # WG2 has its two activities (in English; the French translation of one is the same
        # activity): listed in no locale. WG1 is listed once, in the user's language.
        assert [group.pk for group in below] == [expected.pk], code
        assert below[0].activities_this_year == 1
    assert {page.translation_key for page in WorkingGroupPage.objects.all()} == {
        wg1.translation_key,
        wg2.translation_key,
    }
    for group in WorkingGroupPage.objects.all():
        # Each translation counts what the panel counts for the group.
        assert group.is_below_minimum() == (group.translation_key == wg1.translation_key)
        expected = 1 if group.translation_key == wg1.translation_key else 2
        assert group.activity_count(include_private=True) == expected, group.title
    # An activity of the Arabic WG1 only brings the whole group to its minimum.
    arabic_activities = translated_groups["activities"].copy_for_translation(
        translated_groups["wg1_ar"].locale
    )
    add_activity(
        arabic_activities,
        "نشاط",
        ActivityPage.objects.get(pk=translated_groups["activity"].pk).start,
        translated_groups["wg1_ar"],
    )
    assert panel_for(admin_user).working_groups_below_minimum() == []
    assert not wg1.is_below_minimum()


def test_the_rule_s_queries_do_not_grow_with_the_groups(
    admin_user, translated_groups, django_assert_max_num_queries
):
    from wagtail.models import Locale

    def panel():
        # The site's minimum (AmplificationRoomSettings) is read once per panel, apart.
        panel = panel_for(admin_user)
        panel.minimum_activities()
        return panel

    ready = panel()
    with django_assert_max_num_queries(1):
        assert len(ready.working_groups_below_minimum()) == 1
    for i in range(4):
        group = translated_groups["ar"].add_child(
            instance=WorkingGroupPage(
                title=f"WG{i + 5}", slug=f"wg{i + 5}", number=i + 5, theme="T"
            )
        )
        for code in ("fr", "ar"):
            group.copy_for_translation(
                Locale.objects.get(language_code=code), copy_parents=True
            ).save_revision().publish()
    ready = panel()
    with django_assert_max_num_queries(1):
        assert len(ready.working_groups_below_minimum()) == 5
