"""Clusters: the index that lists them, the cluster's summary factsheet, and its reports."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.documents import get_document_model_string
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, BodyBlock, RoadmapBlock
from ..fields import MultipleChoiceField
from ..forms import ClusterPageForm
from ..panels import location_panels
from .choices import (
    LEAD_PARTNER_ROLES,
    ClusterCategory,
    ClusterOutcome,
    ClusterStatus,
    ParticipantRole,
    ReportType,
    TransferLevel,
)
from .mixins import BasePage, DocumentItem, LocationMixin
from .snippets import Organisation, Solution, ThematicProject

choice_list = serializers.ListField(child=serializers.CharField())


class ClusterIndexPage(BasePage):
    """Lists the clusters below it by category: geographical, thematic and peer-review."""

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What clusters are and how the community can create one."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    template = "wagtail_ar/pages/cluster_index_page.html"
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = ["wagtail_ar.ClusterPage"]

    class Meta:
        verbose_name = _("cluster index page")
        verbose_name_plural = _("cluster index pages")

    def clusters(self):
        """The live, public clusters below this index, newest first."""
        return ClusterPage.objects.child_of(self).live().public().order_by("-start_date", "title")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        clusters = list(self.clusters())
        context["clusters_by_category"] = [
            (value, label, [c for c in clusters if c.category == value])
            for value, label in ClusterCategory.choices
        ]
        return context


class ClusterPageQuerySet(PageQuerySet):
    """Clusters filtered by their status, which follows from their dates and today's date."""

    def with_status(self, status, today=None):
        today = today or timezone.localdate()
        if status == ClusterStatus.PLANNED:
            return self.filter(start_date__gt=today)
        if status == ClusterStatus.ACTIVE:
            return self.filter(
                Q(end_date__isnull=True) | Q(end_date__gte=today), start_date__lte=today
            )
        if status == ClusterStatus.COMPLETED:
            return self.filter(end_date__lt=today)
        raise ValueError(f"Unknown cluster status: {status!r}")


ClusterPageManager = PageManager.from_queryset(ClusterPageQuerySet)


class ClusterPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_ar.ClusterPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class AbstractClusterPage(LocationMixin, BasePage):
    """A cluster's summary factsheet: a small, result-based working group answering one question.

    Relations to snippets use ``related_name="+"`` so that several subclasses can coexist;
    query them from the page side (``ClusterPage.objects.filter(lead_partner=org)``). A concrete
    subclass defines the ``participants`` inline and the ``tags`` (see :class:`ClusterPage`).
    """

    category = models.CharField(
        _("category"),
        max_length=20,
        choices=ClusterCategory.choices,
        help_text=_(
            "Geographical clusters gather a territory, thematic clusters a topic addressed by "
            "the TPs; peer-review clusters deliver the peer review of TP results."
        ),
    )
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_(
            "One or two sentences for listings and search results (400 characters at most)."
        ),
    )
    question = models.TextField(
        _("question, need or issue"),
        help_text=_(
            "The specific question, need or issue in the community that the cluster answers."
        ),
    )
    objectives = RichTextField(
        _("objectives"),
        features=RICH_TEXT_FEATURES,
        help_text=_(
            "The concrete objectives of the cluster: what it will have achieved when it ends."
        ),
    )
    expected_outcomes = MultipleChoiceField(
        _("expected outcomes"),
        choices=ClusterOutcome.choices,
        help_text=_(
            "Transference and adoption of concrete TP results are the main objectives of "
            "clustering; tick every outcome the cluster aims at."
        ),
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_(
            "A cluster can be as short as one day or as long as a project. Leave empty while the "
            "end is open."
        ),
    )
    roadmap = StreamField(
        RoadmapBlock(),
        blank=True,
        verbose_name=_("roadmap"),
        help_text=_("The stages of the cluster's roadmap of activities, in order."),
    )
    lead_partner = models.ForeignKey(
        Organisation,
        verbose_name=_("lead partner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # "+": several page types may subclass this base; query from the page side.
        related_name="+",
        help_text=_("The M4N partner (PP or TP consortium) that follows up and leads the cluster."),
    )
    working_group = models.ForeignKey(
        "wagtail_ar.WorkingGroupPage",
        verbose_name=_("working group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # "+": as above.
        related_name="+",
        help_text=_("The thematic working group the cluster works within."),
    )
    thematic_projects = ParentalManyToManyField(
        ThematicProject,
        verbose_name=_("thematic projects"),
        blank=True,
        # "+": as above.
        related_name="+",
        help_text=_("The TPs whose results the cluster transfers or reviews."),
    )
    solutions = ParentalManyToManyField(
        Solution,
        verbose_name=_("solutions"),
        blank=True,
        # "+": as above.
        related_name="+",
        help_text=_("The TP solutions the cluster addresses."),
    )
    # max_length is explicit: django-countries would derive it from its own list of countries.
    countries = CountryField(_("countries"), multiple=True, blank=True, max_length=800)
    transfer_level = models.CharField(
        _("transfer level"),
        max_length=20,
        choices=TransferLevel.choices,
        blank=True,
        help_text=_("The level at which the transfer happens."),
    )
    factsheet_document = models.ForeignKey(
        get_document_model_string(),
        verbose_name=_("factsheet document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # "+": a document is found from its page, not the other way round.
        related_name="+",
        help_text=_("The summary factsheet as a file to download, if there is one."),
    )

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [FieldPanel("category"), FieldPanel("summary"), FieldPanel("question")],
            heading=_("The cluster"),
        ),
        FieldPanel("objectives"),
        FieldPanel("expected_outcomes"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Dates")),
        FieldPanel("roadmap"),
        MultiFieldPanel(
            [FieldPanel("lead_partner"), InlinePanel("participants", label=_("participant"))],
            heading=_("Who participates"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("working_group"),
                FieldPanel("thematic_projects"),
                FieldPanel("solutions"),
                FieldPanel("transfer_level"),
                FieldPanel("countries"),
                FieldPanel("tags"),
            ],
            heading=_("What it addresses"),
        ),
        location_panels(heading=_("Location (optional)")),
        FieldPanel("factsheet_document"),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("question", boost=2),
        index.SearchField("objectives"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("category"),
        index.FilterField("start_date"),
        index.FilterField("end_date"),
        index.FilterField("working_group"),
    ]

    api_fields = [
        APIField("category"),
        APIField("status"),
        APIField("summary"),
        APIField("question"),
        APIField("objectives"),
        APIField("expected_outcomes", serializer=choice_list),
        APIField("start_date"),
        APIField("end_date"),
        APIField("roadmap"),
        APIField("lead_partner"),
        APIField("participants"),
        APIField("working_group"),
        APIField("thematic_projects"),
        APIField("solutions"),
        APIField("countries", serializer=serializers.ListField(child=serializers.CharField())),
        APIField("transfer_level"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("tags"),
        APIField("factsheet_document"),
    ]

    objects = ClusterPageManager()

    class Meta:
        abstract = True

    def get_status(self, today=None):
        """Planned before the start date, completed after the end date, active in between."""
        today = today or timezone.localdate()
        if self.start_date and self.start_date > today:
            return ClusterStatus.PLANNED
        if self.end_date and self.end_date < today:
            return ClusterStatus.COMPLETED
        return ClusterStatus.ACTIVE

    @property
    def status(self):
        return self.get_status()

    def get_status_display(self):
        return ClusterStatus(self.status).label

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _(
                "The cluster cannot end (%(end)s) before it starts (%(start)s): check the end date."
            ) % {"end": self.end_date.isoformat(), "start": self.start_date.isoformat()}
        if self.lead_partner is not None and not self.lead_partner.has_role(*LEAD_PARTNER_ROLES):
            errors["lead_partner"] = _(
                "%(organisation)s cannot lead a cluster: clusters are led by an M4N partner (PP) or "
                "a TP partner. Give the organisation one of these community roles, or choose another."
            ) % {"organisation": self.lead_partner}
        if errors:
            raise ValidationError(errors)

    def reports(self):
        """The cluster's live, public reports, newest first."""
        return ClusterReportPage.objects.child_of(self).live().public().order_by("-date", "-pk")


class ClusterPage(AbstractClusterPage):
    tags = ClusterTaggableManager(through=ClusterPageTag, blank=True, verbose_name=_("tags"))

    template = "wagtail_ar/pages/cluster_page.html"
    base_form_class = ClusterPageForm
    parent_page_types = ["wagtail_ar.ClusterIndexPage"]
    subpage_types = ["wagtail_ar.ClusterReportPage"]

    class Meta:
        verbose_name = _("cluster factsheet")
        verbose_name_plural = _("cluster factsheets")

    def participants_by_role(self):
        """``[(role label, [participant, …]), …]`` in the order of :class:`ParticipantRole`."""
        participants = list(self.participants.select_related("organisation"))
        return [
            (label, [p for p in participants if p.role == value])
            for value, label in ParticipantRole.choices
            if any(p.role == value for p in participants)
        ]


class ClusterParticipant(Orderable):
    """An organisation taking part in a cluster, with the role it plays there."""

    page = ParentalKey(ClusterPage, on_delete=models.CASCADE, related_name="participants")
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="cluster_participations",
    )
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=ParticipantRole.choices,
        help_text=_(
            "The whole CoP is welcome: C4N, D4N, APs, TPs, TPs' APs and invited external partners."
        ),
    )

    panels = [FieldPanel("organisation"), FieldPanel("role")]

    api_fields = [APIField("organisation"), APIField("role")]

    class Meta(Orderable.Meta):
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "organisation"], name="wagtail_ar_unique_cluster_participant"
            )
        ]

    def __str__(self):
        return f"{self.organisation} ({self.get_role_display()})"


class AbstractClusterReportPage(BasePage):
    """A report of a cluster to the CoP: interim or final report, success story, peer review…"""

    report_type = models.CharField(_("report type"), max_length=20, choices=ReportType.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(
        _("summary"),
        max_length=400,
        help_text=_("What the report shows, for listings (400 characters at most)."),
    )
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("report_type"), FieldPanel("date")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("attachments", heading=_("Attachments"), label=_("attachment")),
    ]

    search_fields = BasePage.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.FilterField("report_type"),
        index.FilterField("date"),
    ]

    api_fields = [
        APIField("report_type"),
        APIField("date"),
        APIField("summary"),
        APIField("body"),
        APIField("attachments"),
    ]

    class Meta:
        abstract = True

    @property
    def cluster(self):
        """The cluster factsheet this report belongs to."""
        return self.get_parent().specific


class ClusterReportPage(AbstractClusterReportPage):
    template = "wagtail_ar/pages/cluster_report_page.html"
    parent_page_types = ["wagtail_ar.ClusterPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("cluster report")
        verbose_name_plural = _("cluster reports")


class ClusterReportAttachment(DocumentItem):
    """A file attached to a cluster report: the report itself, annexes, presentations."""

    page = ParentalKey(ClusterReportPage, on_delete=models.CASCADE, related_name="attachments")

    class Meta(DocumentItem.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
