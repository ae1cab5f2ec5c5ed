"""The snippets of the Amplification Room: organisations, thematic projects and their solutions."""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from rest_framework import serializers
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.images import get_image_model_string
from wagtail.models import DraftStateMixin, RevisionMixin, TranslatableMixin
from wagtail.search import index

from ..api import TagNamesField, VisibleSnippetField
from ..choices import CommunityRole, OrganisationType, SolutionType, TransferLevel
from ..fields import MultipleChoiceField, has_choice
from ..locales import i18n_enabled, localize
from ..panels import location_panels
from ..translation import TranslationFields
from ..visibility import visible
from .mixins import LOCATION_TRANSLATION_FIELDS, LocationMixin

choice_list = serializers.ListField(child=serializers.CharField())


class SnippetBase(
    DraftStateMixin, RevisionMixin, TranslatableMixin, index.Indexed, ClusterableModel
):
    """Drafts, revisions and translations for every snippet of the package.

    Only live (published) snippets are shown to visitors; a subclass keeps these behaviours
    by inheriting from this base.
    """

    # Revisions are deleted with their snippet (Wagtail's documented pattern for RevisionMixin).
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")

    class Meta(TranslatableMixin.Meta):
        abstract = True

    @property
    def revisions(self):
        return self._revisions


class ThematicProject(SnippetBase):
    """An Interreg Euro-MED Thematic Project (TP) that produces solutions to transfer."""

    acronym = models.CharField(
        _("acronym"),
        max_length=50,
        help_text=_("The short name the project is known by, for example MPA4Change."),
    )
    name = models.CharField(_("name"), max_length=255, help_text=_("The project's full title."))
    website = models.URLField(_("website"), blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("What the project does, in two or three sentences.")
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    panels = [
        FieldPanel("acronym"),
        FieldPanel("name"),
        FieldPanel("website"),
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("start_date"), FieldPanel("end_date")], heading=_("Duration")),
        HelpPanel(
            content=_(
                "Partner organisations are chosen on each organisation, under “thematic projects”."
            ),
        ),
    ]

    search_fields = [
        index.SearchField("acronym", boost=3),
        index.AutocompleteField("acronym"),
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("summary"),
        index.FilterField("locale"),
        index.FilterField("live"),
    ]

    api_fields = [
        APIField("acronym"),
        APIField("name"),
        APIField("website"),
        APIField("summary"),
        APIField("start_date"),
        APIField("end_date"),
    ]

    # wagtail-localize: the title and the summary are translated; the acronym and the website
    # are copied (a translator may override them), the dates fixed.
    override_translatable_fields = TranslationFields(
        translated=["name", "summary"],
        synchronized=["acronym", "website"],
        fixed=["start_date", "end_date"],
    )

    class Meta(SnippetBase.Meta):
        verbose_name = _("thematic project")
        verbose_name_plural = _("thematic projects")
        ordering = ["acronym"]

    def __str__(self):
        return self.acronym

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError(
                {"end_date": _("The project cannot end before it starts: check the end date.")}
            )


class Organisation(LocationMixin, SnippetBase):
    """An organisation engaged in the Community of Practice, shown on the community map."""

    name = models.CharField(_("name"), max_length=255)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    organisation_type = models.CharField(
        _("organisation type"),
        max_length=32,
        choices=OrganisationType.choices,
        default=OrganisationType.OTHER,
    )
    community_roles = MultipleChoiceField(
        _("community roles"),
        choices=CommunityRole.choices,
        help_text=_(
            "Every part the organisation plays in the Community of Practice (CoP). Only an M4N "
            "partner (PP) or a TP partner can lead a cluster."
        ),
    )
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ForeignKey(
        get_image_model_string(),
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        # No reverse accessor on images: a logo is found from its organisation only.
        related_name="+",
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Who the organisation is and what it brings to the community."),
    )
    thematic_projects = ParentalManyToManyField(
        ThematicProject,
        verbose_name=_("thematic projects"),
        blank=True,
        related_name="partner_organisations",
        help_text=_(
            "The thematic projects (TPs) the organisation is a partner or associated partner of."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("acronym"),
                FieldPanel("organisation_type"),
                FieldPanel("community_roles"),
            ],
            heading=_("Who they are"),
        ),
        location_panels(extra=[FieldPanel("country"), FieldPanel("city")]),
        FieldPanel("website"),
        FieldPanel("logo"),
        FieldPanel("description"),
        FieldPanel("thematic_projects"),
    ]

    search_fields = [
        index.SearchField("name", boost=3),
        index.AutocompleteField("name"),
        index.SearchField("acronym", boost=3),
        index.AutocompleteField("acronym"),
        index.SearchField("city"),
        index.SearchField("description"),
        index.FilterField("organisation_type"),
        index.FilterField("country"),
        index.FilterField("locale"),
        index.FilterField("live"),
    ]

    api_fields = [
        APIField("name"),
        APIField("acronym"),
        APIField("organisation_type"),
        APIField("community_roles", serializer=choice_list),
        APIField("country", serializer=serializers.CharField()),
        APIField("city"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("website"),
        APIField("description"),
    ]

    # wagtail-localize: the name is translated (public bodies have official names in several
    # languages: "Région Campanie"), and the description; the acronym, city and website are
    # copied (a translator may override them); the place, kind, logo and projects are fixed,
    # the projects replaced by their translations (wagtail_ar.translation).
    override_translatable_fields = TranslationFields(
        LOCATION_TRANSLATION_FIELDS,
        translated=["name", "description"],
        synchronized=["acronym", "city", "website"],
        fixed=["organisation_type", "community_roles", "country", "logo", "thematic_projects"],
    )

    class Meta(SnippetBase.Meta):
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        if self.acronym and self.acronym != self.name:
            return f"{self.name} ({self.acronym})"
        return self.name

    def has_role(self, *roles):
        return any(role in self.community_roles for role in roles)

    @classmethod
    def with_role(cls, role):
        """Organisations that hold the community role ``role``."""
        return cls.objects.filter(has_choice("community_roles", role))

    def translation_ids(self):
        """The ids of this organisation and, with i18n, of its translations (a query, not run
        here): pages copied into another locale may still point to any of them."""
        if not i18n_enabled():
            return [self.pk]
        return Organisation.objects.filter(translation_key=self.translation_key).values("pk")

    def clusters(self):
        """The live, public cluster factsheets the organisation leads or takes part in.

        Newest first; each has ``participant_role``, the organisation's role among the
        participants (``None`` when it is the lead partner only).
        """
        from .clusters import ClusterPage, ClusterParticipant

        ids = self.translation_ids()
        participations = ClusterParticipant.objects.filter(organisation_id__in=ids)
        return (
            localize(
                visible(ClusterPage.objects.all()).filter(
                    models.Q(lead_partner_id__in=ids)
                    | models.Q(pk__in=participations.values("page_id"))
                )
            )
            .annotate(
                participant_role=models.Subquery(
                    participations.filter(page_id=models.OuterRef("pk")).values("role")[:1]
                )
            )
            .order_by("-start_date", "title")
        )

    def working_groups(self):
        """The live, public working groups the organisation coordinates or is a member of.

        In the order of their numbers; each has ``is_coordinator``.
        """
        from .working_groups import WorkingGroupPage

        ids = self.translation_ids()
        coordinating = WorkingGroupPage.coordinating_organisations.through.objects.filter(
            organisation_id__in=ids
        )
        members = WorkingGroupPage.member_organisations.through.objects.filter(
            organisation_id__in=ids
        )
        return (
            localize(
                visible(WorkingGroupPage.objects.all()).filter(
                    models.Q(pk__in=coordinating.values("workinggrouppage_id"))
                    | models.Q(pk__in=members.values("workinggrouppage_id"))
                )
            )
            .annotate(
                is_coordinator=models.Exists(
                    coordinating.filter(workinggrouppage_id=models.OuterRef("pk"))
                )
            )
            .order_by("number", "path")
        )


class SolutionTag(TaggedItemBase):
    content_object = ParentalKey(
        "wagtail_ar.Solution", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Solution(SnippetBase):
    """A transferable result of a thematic project (TP), from the mission's catalogue of solutions."""

    title = models.CharField(_("title"), max_length=255)
    thematic_project = models.ForeignKey(
        ThematicProject,
        verbose_name=_("thematic project"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="solutions",
        help_text=_("The TP that developed the solution."),
    )
    solution_type = models.CharField(
        _("solution type"), max_length=32, choices=SolutionType.choices, default=SolutionType.TOOL
    )
    summary = models.TextField(
        _("summary"), help_text=_("What the solution is and what problem it solves.")
    )
    transfer_levels = MultipleChoiceField(
        _("transfer levels"),
        choices=TransferLevel.choices,
        help_text=_("The levels at which the solution can be transferred to other territories."),
    )
    tags = ClusterTaggableManager(through=SolutionTag, blank=True, verbose_name=_("tags"))
    link = models.URLField(
        _("link"), blank=True, help_text=_("Where the solution is described in full.")
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("thematic_project"),
        FieldPanel("solution_type"),
        FieldPanel("summary"),
        FieldPanel("transfer_levels"),
        FieldPanel("tags"),
        FieldPanel("link"),
    ]

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("summary"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
        index.FilterField("solution_type"),
        index.FilterField("thematic_project"),
        index.FilterField("locale"),
        index.FilterField("live"),
    ]

    api_fields = [
        APIField("title"),
        APIField("thematic_project", serializer=VisibleSnippetField()),
        APIField("solution_type"),
        APIField("summary"),
        APIField("transfer_levels", serializer=choice_list),
        APIField("tags", serializer=TagNamesField()),
        APIField("link"),
    ]

    # wagtail-localize: the title and the summary are translated; the project (replaced by its
    # translation, wagtail_ar.translation), the type and the levels are fixed; a translator may
    # point the link to a page in their language.
    override_translatable_fields = TranslationFields(
        translated=["title", "summary"],
        synchronized=["link"],
        fixed=["thematic_project", "solution_type", "transfer_levels"],
    )

    class Meta(SnippetBase.Meta):
        verbose_name = _("solution")
        verbose_name_plural = _("solutions")
        ordering = ["title"]

    def __str__(self):
        return self.title
