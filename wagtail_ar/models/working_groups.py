"""Working group pages: the four thematic Working Groups (WG1 to WG4) and any that follow."""

from urllib.parse import urlencode

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Count, Min
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from ..cache import CachedFragmentsMixin
from ..forms import WorkingGroupPageForm
from ..locales import i18n_enabled, localize, related_to
from ..panels import ActivityRulePanel
from ..site_settings import site_value
from ..translation import TranslationFields
from ..visibility import visible
from .mixins import BasePage, DocumentItem, PageImageMixin
from .snippets import Organisation, Solution


class AbstractWorkingGroupPage(CachedFragmentsMixin, BasePage):
    """A thematic Working Group (WG) of the Community of Practice.

    Relations to organisations use ``related_name="+"`` so that several subclasses can coexist;
    query them from this side (``WorkingGroupPage.objects.filter(member_organisations=org)``).
    """

    number = models.PositiveSmallIntegerField(
        _("number"),
        validators=[MinValueValidator(1)],
        help_text=_(
            "1 for WG1, 2 for WG2… Each working group of the Amplification Room has its own number."
        ),
    )
    theme = models.CharField(
        _("theme"),
        max_length=255,
        help_text=_(
            "For example “Connectivity of ecosystems” or “Ecosystem restoration and nature-based solutions”."
        ),
    )
    objectives = RichTextField(
        _("objectives"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Capacity building for policy and technical implementation, policy papers, sharing "
            "best practices, networking: what this WG sets out to do."
        ),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))
    coordinating_organisations = ParentalManyToManyField(
        Organisation,
        verbose_name=_("coordinating organisations"),
        blank=True,
        # "+": several page types may subclass this base; query from the page side.
        related_name="+",
        help_text=_("The organisations that coordinate the working group."),
    )
    member_organisations = ParentalManyToManyField(
        Organisation,
        verbose_name=_("member organisations"),
        blank=True,
        # "+": as above.
        related_name="+",
        help_text=_(
            "Organisations of the CoP and external actors taking part in the working group."
        ),
    )

    content_panels = BasePage.content_panels + [
        ActivityRulePanel(heading=_("Activities this year")),
        MultiFieldPanel([FieldPanel("number"), FieldPanel("theme")], heading=_("Working group")),
        FieldPanel("objectives"),
        FieldPanel("body"),
        MultiFieldPanel(
            [FieldPanel("coordinating_organisations"), FieldPanel("member_organisations")],
            heading=_("Coordinators and members"),
        ),
        InlinePanel("policy_papers", heading=_("Policy papers"), label=_("policy paper")),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("theme", boost=2),
        index.SearchField("objectives"),
        index.SearchField("body"),
        index.FilterField("number"),
    ]

    api_fields = [
        APIField("number"),
        APIField("code"),
        APIField("theme"),
        APIField("objectives"),
        APIField("body"),
        APIField("coordinating_organisations"),
        APIField("member_organisations"),
        APIField("policy_papers"),
    ]

    # wagtail-localize: WG1 is WG1 in every language; the organisations are the source's,
    # replaced by their translations (wagtail_ar.translation).
    override_translatable_fields = TranslationFields(
        translated=["theme", "objectives", "body"],
        fixed=["number", "coordinating_organisations", "member_organisations"],
    )

    class Meta:
        abstract = True

    @property
    def code(self):
        """The short name used across the mission, such as ``WG1``."""
        return f"WG{self.number}"


class WorkingGroupPage(AbstractWorkingGroupPage):
    template = "wagtail_ar/pages/working_group_page.html"
    base_form_class = WorkingGroupPageForm

    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("working group page")
        verbose_name_plural = _("working group pages")

    #: How many upcoming and past activities the page lists; the activity index has them all.
    activities_shown = 6
    clusters_shown = 12

    def clusters(self):
        """Its live, public clusters, newest first; with i18n, localized, whichever translation
        of the working group they point to."""
        from .clusters import ClusterPage

        clusters = related_to(
            visible(ClusterPage.objects.all()),
            "working_group",
            self,
        )
        return localize(clusters).order_by("-start_date")

    # Activities ------------------------------------------------------------------------------
    # A working group's activities are the activities whose "working group" is this page;
    # clustering activities of its clusters count for their cluster, not here.

    def activities(self, include_private=False):
        """The published activities of this working group; only public ones unless
        ``include_private`` (the two-a-year rule counts members-only activities too)."""
        from .activities import ActivityPage

        # With i18n: whichever translation of the working group they point to, one per
        # translation key (a translated activity is the same activity): in the active locale
        # for visitors; for the two-a-year rule, every activity of every translation of the
        # group counts once, whatever its locale (as the editors' dashboard counts them).
        activities = related_to(ActivityPage.objects.all(), "working_group", self)
        if include_private:
            activities = activities.live().exclude(expire_at__lte=timezone.now())
            if not i18n_enabled():
                return activities
            first = activities.order_by().values("translation_key").annotate(first=Min("pk"))
            return activities.filter(pk__in=first.values("first"))
        return localize(visible(activities))

    def upcoming_activities(self, now=None):
        """Activities that have not ended yet, soonest first."""
        now = now or timezone.now()
        return (
            PageImageMixin.with_images(self.activities())
            .filter(end__gte=now)
            .order_by("start", "pk")
        )

    def past_activities(self, now=None):
        """Activities that have ended, latest first."""
        now = now or timezone.now()
        return (
            PageImageMixin.with_images(self.activities())
            .filter(end__lt=now)
            .order_by("-start", "-pk")
        )

    def activity_counts(self, include_private=False):
        """``{year: number of activities starting that year}`` (years in the site's time zone)."""
        rows = (
            self.activities(include_private=include_private)
            .annotate(year=ExtractYear("start"))
            .order_by()
            .values("year")
            .annotate(count=Count("pk"))
        )
        return {row["year"]: row["count"] for row in rows}

    def activity_counts_by_year(self, include_private=False):
        """``[(year, count), …]`` latest year first, from this year (or the latest year with an
        activity) back to the first year with one; years without activities count 0."""
        counts = self.activity_counts(include_private=include_private)
        this_year = timezone.localdate().year
        years = range(max([this_year, *counts]), min([this_year, *counts]) - 1, -1)
        return [(year, counts.get(year, 0)) for year in years]

    def activity_count(self, year=None, include_private=False):
        """How many activities start in ``year`` (this year by default)."""
        year = year or timezone.localdate().year
        return self.activities(include_private=include_private).filter(start__year=year).count()

    def draft_activity_count(self, year=None):
        """Activities of ``year`` that are not published yet: they do not count for the rule."""
        from .activities import ActivityPage

        year = year or timezone.localdate().year
        return ActivityPage.objects.filter(working_group=self, live=False, start__year=year).count()

    @staticmethod
    def minimum_activities_per_year(site=None, request=None):
        """The rule's minimum: the site setting of ``site`` (else of the request's site), else
        ``WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR``."""
        return site_value("MIN_ACTIVITIES_PER_YEAR", request=request, site=site)

    def is_below_minimum(self, year=None):
        """Whether fewer than ``WAGTAIL_AR_MIN_ACTIVITIES_PER_YEAR`` (2) published activities,
        members-only ones included, start in ``year`` (this year by default)."""
        count = self.activity_count(year, include_private=True)
        return count < self.minimum_activities_per_year(site=self.get_site())

    # What its clusters bring --------------------------------------------------------------

    def solutions(self):
        """The solutions its live, public clusters address, each once, by title."""
        from .clusters import ClusterPage

        addressed = ClusterPage.solutions.through.objects.filter(
            clusterpage__in=self.clusters().order_by().values("pk")
        ).values("solution_id")
        return (
            Solution.objects.filter(live=True, pk__in=addressed)
            .select_related("thematic_project")
            .order_by("title", "pk")
        )

    def cluster_index_url(self, request=None):
        """The cluster listing of the same Amplification Room filtered to this group, if any."""
        from .cluster_index import ClusterIndexPage

        index = (
            visible(ClusterIndexPage.objects.all())
            .filter(path__startswith=self.path[: -self.steplen], depth=self.depth)
            .first()
        )
        url = index.get_url(request) if index is not None else None
        return url + "?" + urlencode({"working_group": self.slug}) if url else None

    def activity_index(self):
        """The activity index of the same Amplification Room, if it is published."""
        from .activities import ActivityIndexPage

        return (
            visible(ActivityIndexPage.objects.all())
            .filter(path__startswith=self.path[: -self.steplen], depth=self.depth)
            .first()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        shown = self.activities_shown
        upcoming = list(self.upcoming_activities()[: shown + 1])
        # The newest clusters only: a working group may run hundreds over the years; the
        # cluster listing filtered to the group shows them all.
        clusters = list(
            PageImageMixin.with_images(self.clusters().select_related("working_group"))[
                : self.clusters_shown + 1
            ]
        )
        context["working_group_clusters"] = clusters[: self.clusters_shown]
        context["more_clusters"] = len(clusters) > self.clusters_shown
        # Looked up whether needed or not: the page costs the same queries with 3 or 300.
        clusters_url = self.cluster_index_url(request)
        context["clusters_url"] = clusters_url if context["more_clusters"] else None
        past = list(self.past_activities()[: shown + 1])
        context.update(
            upcoming_activities=upcoming[:shown],
            past_activities=past[:shown],
            more_activities=len(upcoming) > shown or len(past) > shown,
            activity_counts=self.activity_counts_by_year(),
            solutions=self.solutions(),
            policy_papers=self.policy_papers.select_related("document"),
        )
        index = self.activity_index()
        index_url = index.get_url(request) if index is not None else None
        if index_url:
            query = "?" + urlencode({"working_group": self.slug})
            context["activities_url"] = index_url + query
            context["activities_ical_url"] = index_url + index.reverse_subpage("ical") + query
        return context


class WorkingGroupPolicyPaper(DocumentItem):
    """A policy paper of a working group: a document with an optional title and date."""

    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="policy_papers")
    date = models.DateField(_("date"), null=True, blank=True)

    panels = DocumentItem.panels + [FieldPanel("date")]

    api_fields = DocumentItem.api_fields + [APIField("date")]

    class Meta(DocumentItem.Meta):
        verbose_name = _("policy paper")
        verbose_name_plural = _("policy papers")
