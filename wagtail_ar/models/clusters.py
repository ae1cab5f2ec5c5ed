"""Clusters: the cluster's summary factsheet (:class:`ClusterPage`), its participants and tags.

A cluster is a small, result-based working group answering one question; its page is a
factsheet listed by a :class:`~wagtail_ar.models.cluster_index.ClusterIndexPage` and the
parent of its reports (:mod:`wagtail_ar.models.reports`). :func:`visible_to_visitors`, what
visitors may see of a page queryset, lives here and is shared by the other page modules.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
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
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from .. import cache
from ..api import VisiblePageField
from ..blocks import RICH_TEXT_FEATURES, RoadmapBlock
from ..choices import (
    LEAD_PARTNER_ROLES,
    ClusterCategory,
    ClusterOutcome,
    ClusterStatus,
    ParticipantRole,
    TransferLevel,
)
from ..fields import MultipleChoiceField
from ..forms import ClusterPageForm
from ..locales import children_of, descendants_of, i18n_enabled, localize_related
from ..metadata import compact, json_ld_script, open_graph, plain_text, safe_url
from ..panels import location_panels
from ..timeline import build_timeline
from ..translation import TranslationFields, translation_fields_of
from ..visibility import is_visible, visible
from .mixins import (
    IMAGE_TRANSLATION_FIELDS,
    LOCATION_TRANSLATION_FIELDS,
    BasePage,
    LocationMixin,
    PageImageMixin,
)
from .snippets import Organisation, Solution, ThematicProject

choice_list = serializers.ListField(child=serializers.CharField())


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


class AbstractClusterPage(cache.CachedFragmentsMixin, PageImageMixin, LocationMixin, BasePage):
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
        PageImageMixin.image_panel(),
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
        APIField("working_group", serializer=VisiblePageField()),
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

    # wagtail-localize: the texts are translated; the facts and relations are the source's, the
    # snippets replaced by their translations (wagtail_ar.translation).
    override_translatable_fields = TranslationFields(
        LOCATION_TRANSLATION_FIELDS,
        IMAGE_TRANSLATION_FIELDS,
        translated=["summary", "question", "objectives", "roadmap"],
        fixed=[
            "category",
            "expected_outcomes",
            "start_date",
            "end_date",
            "countries",
            "transfer_level",
            "factsheet_document",
            "lead_partner",
            "working_group",
            "thematic_projects",
            "solutions",
        ],
    )

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
        """The cluster's reports that visitors may see, newest first (with i18n: localized,
        those of its source cluster included while untranslated)."""
        from .reports import ClusterReportPage

        return PageImageMixin.with_images(
            children_of(self, visible(ClusterReportPage.objects.all()))
        ).order_by("-date", "-pk")

    def answered_forum_posts(self, request=None):
        """The published forum posts (needs, offers) that editors linked to this cluster as
        the one answering them, on forums visitors may see, each with its ``public_url``: one
        query, never an e-mail address."""
        from .forum import ForumPage, ForumPost

        if not self.pk:
            return []
        posts = (
            ForumPost.objects.published()
            .filter(answered_by_id=self.pk, forum__in=visible(ForumPage.objects.all()))
            .select_related("forum")
            .order_by("kind", "-published_at", "-pk")
        )
        for post in posts:
            post.public_url = post.forum.post_url(post, request)
        return list(posts)

    related_clusters_limit = 4

    def related_clusters(self, tags=None, limit=None):
        """Other clusters of the same Amplification Room that visitors may see, with the same
        working group or tags in common: those sharing the most first, then the newest.

        ``tags`` are the cluster's tags when the caller already has them (no second query).
        With i18n: the clusters of the room's translations too, localized (those not
        translated yet in the default locale's version), with any translation of the working
        group.
        """
        if not self.pk:
            return []
        tag_ids = [tag.pk for tag in (self.tags.all() if tags is None else tags)]
        related = same_group_q = Q()
        if self.working_group_id and i18n_enabled():
            groups = type(self)._meta.get_field("working_group").related_model.objects
            keys = groups.filter(pk=self.working_group_id).values("translation_key")
            same_group_q = Q(working_group__translation_key__in=keys)
        elif self.working_group_id:
            same_group_q = Q(working_group_id=self.working_group_id)
        related |= same_group_q
        tagged = type(self)._meta.get_field("tags").remote_field.through.objects
        if tag_ids:
            related |= Q(pk__in=tagged.filter(tag_id__in=tag_ids).values("content_object_id"))
        if not related:
            return []
        # The Amplification Room is the grandparent: its subtree holds every index of it.
        room_path = self.path[: self.steplen * max(self.depth - 2, 1)]
        clusters = visible(type(self).objects.filter(path__startswith=room_path))
        room = Page.objects.filter(path=room_path).first() if i18n_enabled() else None
        if room is not None:
            clusters = descendants_of(room, visible(type(self).objects.all()))
        same_group = (
            Case(
                When(same_group_q, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            )
            if self.working_group_id
            else Value(0, output_field=IntegerField())
        )
        return list(
            clusters.exclude(translation_key=self.translation_key)
            .filter(related)
            .annotate(
                shared_tags=Coalesce(
                    Subquery(
                        tagged.filter(content_object_id=OuterRef("pk"), tag_id__in=tag_ids)
                        .order_by()
                        .values("content_object_id")
                        .annotate(count=Count("pk"))
                        .values("count")
                    ),
                    0,
                ),
                same_group=same_group,
            )
            .order_by("-same_group", "-shared_tags", "-start_date", "title")
            .select_related("working_group", "image")
            .prefetch_related("image__renditions")[: limit or self.related_clusters_limit]
        )

    def community_map_page(self):
        """The community map of the same Amplification Room that visitors may see, if any."""
        from .map import CommunityMapPage

        if not self.path or self.depth < 3:
            return None
        room_path = self.path[: self.steplen * (self.depth - 2)]
        return visible(
            CommunityMapPage.objects.filter(path__startswith=room_path, depth=self.depth - 1)
        ).first()

    @staticmethod
    def organisation_map_url(map_url, organisation):
        """Where the community map shows ``organisation``: ``<map>?organisation=<id>``."""
        return f"{map_url}?organisation={organisation.pk}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Participants, reports, related clusters…: cached for visitors (never for
        # previews or editors, see wagtail_ar.cache).
        context.update(
            cache.get_or_build(
                request,
                "factsheet",
                lambda: self.get_factsheet_context(request),
                page=self,
                vary_on_query=False,
            )
        )
        # Built from the page's own fields, no query (and its block values do not pickle).
        context["timeline"] = build_timeline(self.roadmap, self.start_date, self.end_date)
        context["forum_posts"] = self.answered_forum_posts(request)
        if request is not None:
            context["open_graph"] = self.get_open_graph(request)
            context["json_ld"] = json_ld_script(self.get_json_ld(request, context))
        return context

    def get_factsheet_context(self, request):
        """The factsheet's sections (a dict for the template); override to add one."""
        tags = list(self.tags.all())
        map_page = self.community_map_page() if self.pk else None
        map_url = map_page.get_url(request) if map_page else None
        participants = []
        for label, members in self.participants_by_role():
            # With i18n, each organisation in its translation of the active locale, if any.
            members = [p for p in localize_related(members, "organisation") if p.organisation.live]
            for participant in members:
                participant.map_url = self._map_url_of(map_url, participant.organisation)
                participant.profile_url = self._profile_url_of(
                    map_page, participant.organisation, request
                )
            if members:
                participants.append((label, members))
        lead = self.lead_partner.localized if self.lead_partner_id else None
        working_group = self.working_group.localized if self.working_group_id else None
        if not is_visible(working_group, request):
            working_group = None  # a draft, expired or private group is not named
        parent = self.get_parent() if self.pk else None
        index_url = parent.get_url(request) if is_visible(parent, request) else None
        return {
            "participants_by_role": participants,
            "lead_partner": lead if lead is not None and lead.live else None,
            "lead_partner_map_url": self._map_url_of(map_url, lead),
            "lead_partner_profile_url": self._profile_url_of(map_page, lead, request),
            "community_map_page": map_page,
            "working_group": working_group,
            "thematic_projects": [p.localized for p in self.thematic_projects.all() if p.live],
            "solutions": [
                s.localized
                for s in self.solutions.all().select_related("thematic_project")
                if s.live
            ],
            "tags": tags,
            "reports": list(self.reports()) if self.pk else [],
            "related_clusters": self.related_clusters(tags=tags),
            "cluster_index_url": index_url,
        }

    @staticmethod
    def _profile_url_of(map_page, organisation, request):
        if map_page is not None and organisation is not None and organisation.live:
            return map_page.organisation_profile_url(organisation, request)
        return None

    def _map_url_of(self, map_url, organisation):
        if map_url and organisation is not None and organisation.live and organisation.has_location:
            return self.organisation_map_url(map_url, organisation)
        return None

    def get_open_graph(self, request):
        """``[(property, content), …]``: the Open Graph tags of the factsheet."""
        return open_graph(
            self, request, "website", self.summary, *self.get_open_graph_image(request)
        )

    def get_json_ld(self, request, context=None):
        """schema.org data of the factsheet: a ``Project`` with its members and reports."""
        context = context or {}

        def member(org, role):
            return {
                "@type": "OrganizationRole",
                "roleName": str(role),
                "member": {"@type": "Organization", "name": org.name, "url": safe_url(org.website)},
            }

        lead = context.get("lead_partner")
        members = [member(lead, _("Lead partner"))] if lead else []
        members += [
            member(participant.organisation, role)
            for role, group in context.get("participants_by_role", [])
            for participant in group
        ]
        return compact(
            {
                "@context": "https://schema.org",
                "@type": "Project",
                "name": self.title,
                "description": plain_text(self.summary),
                "url": self.get_full_url(request),
                "foundingDate": self.start_date,
                "dissolutionDate": self.end_date,
                "keywords": ", ".join(tag.name for tag in context.get("tags", [])),
                "areaServed": [
                    {"@type": "Country", "name": str(country.name), "identifier": country.code}
                    for country in self.countries
                ],
                "member": members,
                "subjectOf": [
                    {
                        "@type": "Report",
                        "name": report.title,
                        "url": report.get_full_url(request),
                        "datePublished": report.date,
                    }
                    for report in context.get("reports", [])
                ],
            }
        )


class ClusterPage(AbstractClusterPage):
    tags = ClusterTaggableManager(through=ClusterPageTag, blank=True, verbose_name=_("tags"))

    template = "wagtail_ar/pages/cluster_page.html"
    base_form_class = ClusterPageForm
    parent_page_types = ["wagtail_ar.ClusterIndexPage"]
    subpage_types = ["wagtail_ar.ClusterReportPage"]

    # wagtail-localize: the participants are copied, their organisations replaced by their
    # translations (wagtail_ar.translation).
    override_translatable_fields = TranslationFields(
        translation_fields_of(AbstractClusterPage), fixed=["participants"]
    )

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
