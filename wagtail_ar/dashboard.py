"""The Amplification Room panel of the Wagtail dashboard.

Registered by ``wagtail_hooks`` through ``construct_homepage_panels``. It shows what needs an
editor's attention: active clusters, clusters ending soon, upcoming activities, working groups
below their yearly minimum of activities, and reports in draft. Every list is limited to the
pages the user may edit, so a user who cannot edit Amplification Room pages sees no panel at
all. The panel costs the same handful of queries however much content there is.
"""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component
from wagtail.permission_policies.pages import PagePermissionPolicy

from .locales import active_language, default_language
from .models import ActivityPage, ClusterPage, ClusterReportPage, ClusterStatus, WorkingGroupPage


def editable_pages(user, pages):
    """Those of ``pages`` that ``user`` may edit or publish (all of them for a superuser): what
    an admin listing of pages may show, drafts included, to that user and no one else."""
    if user.is_superuser:
        return pages
    permitted = PagePermissionPolicy().instances_user_has_any_permission_for(
        user, {"change", "publish"}
    )
    return pages.filter(pk__in=permitted.values("pk"))


class AmplificationRoomPanel(Component):
    """Override ``template_name``, ``order``, ``ending_within`` or ``limit`` in a subclass."""

    name = "wagtail_ar"
    template_name = "wagtail_ar/admin/dashboard_panel.html"
    order = 150
    #: Clusters ending within this many days are listed as ending soon.
    ending_within = 30
    #: How many items each list shows at most.
    limit = 10

    def __init__(self, request, today=None, now=None):
        self.request = request
        self.now = now or timezone.now()
        self.today = today or timezone.localdate(self.now)

    def editable(self, model):
        """The pages of ``model`` the user may edit or publish (all of them for a superuser)."""
        return editable_pages(self.request.user, model.objects.all())

    def minimum_activities(self):
        """The rule's minimum for the site of the admin's request (its host), else the Django
        setting: ``WorkingGroupPage.minimum_activities_per_year(request=...)``."""
        if not hasattr(self, "_minimum_activities"):
            self._minimum_activities = WorkingGroupPage.minimum_activities_per_year(
                request=self.request
            )
        return self._minimum_activities

    def is_shown(self):
        """Only to users who may add, edit or publish pages somewhere."""
        return PagePermissionPolicy().user_has_any_permission(
            self.request.user, {"add", "change", "publish"}
        )

    def get_context_data(self, parent_context=None):
        today, limit = self.today, self.limit
        clusters = self.editable(ClusterPage).live()
        active = clusters.with_status(ClusterStatus.ACTIVE, today=today)
        ending = (
            active.filter(
                end_date__isnull=False,
                end_date__lte=today + datetime.timedelta(days=self.ending_within),
            )
            .select_related("lead_partner")
            .order_by("end_date", "title")
        )
        activities = (
            self.editable(ActivityPage)
            .live()
            .filter(end__gte=self.now)
            .select_related("working_group")
            .order_by("start", "pk")
        )
        drafts = (
            self.editable(ClusterReportPage)
            .filter(Q(live=False) | Q(has_unpublished_changes=True))
            .order_by("-latest_revision_created_at", "-pk")
        )
        working_groups = self.working_groups_below_minimum()
        context = {
            "active_cluster_count": active.count(),
            "ending_clusters": list(ending[:limit]),
            "ending_within": self.ending_within,
            "upcoming_activities": list(activities[:limit]),
            "working_groups_below_minimum": working_groups,
            "minimum_activities": self.minimum_activities(),
            "year": today.year,
            "draft_reports": list(drafts[: limit + 1]),
            "limit": limit,
            "cluster_listing_url": reverse("wagtail_ar_cluster_factsheets:index"),
        }
        context["more_draft_reports"] = len(context["draft_reports"]) > limit
        context["draft_reports"] = context["draft_reports"][:limit]
        context["is_empty"] = not (
            context["active_cluster_count"]
            or context["ending_clusters"]
            or context["upcoming_activities"]
            or working_groups
            or context["draft_reports"]
        )
        return context

    def working_groups_below_minimum(self):
        """Live working groups with fewer published activities starting this year than the
        rule asks for: ``WorkingGroupPage.activity_count(year, include_private=True)`` for
        every group at once, in one query whatever the number of groups.

        With i18n a group is all its translations (one ``translation_key``): the rule counts
        the activities of all of them, each activity once whichever of its translations
        are published, and the group is listed once, in the translation the user may edit
        in the active locale (the user's language), else in the default locale, else in the
        first of the others. Override :meth:`pick_translation` to choose otherwise.
        """
        year = self.today.year
        per_group = (
            ActivityPage.objects.live()
            .exclude(expire_at__lte=self.now)
            .filter(working_group__translation_key=OuterRef("translation_key"), start__year=year)
            .order_by()
            .values("working_group__translation_key")
            .annotate(count=Count("translation_key", distinct=True))
            .values("count")
        )
        below = (
            self.editable(WorkingGroupPage)
            .live()
            .annotate(
                activities_this_year=Coalesce(
                    Subquery(per_group, output_field=IntegerField()), Value(0)
                )
            )
            .filter(activities_this_year__lt=self.minimum_activities())
            .select_related("locale")
            .order_by("number", "pk")
        )
        translations = {}
        for group in below:
            translations.setdefault(group.translation_key, []).append(group)
        return [self.pick_translation(groups) for groups in translations.values()]

    def pick_translation(self, translations):
        """The one of ``translations`` (of one working group, in ``pk`` order) to list: in the
        active locale, else in the default locale, else the first."""
        if len(translations) == 1:
            return translations[0]
        by_language = {group.locale.language_code: group for group in translations}
        return (
            by_language.get(active_language())
            or by_language.get(default_language())
            or translations[0]
        )

    def render_html(self, parent_context=None):
        if not self.is_shown():
            return ""
        context = self.get_context_data(parent_context)
        if context["is_empty"]:
            return ""
        return get_template(self.template_name).render(context, request=self.request)
