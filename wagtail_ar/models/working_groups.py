"""Working group pages: the four thematic Working Groups (WG1 to WG4) and any that follow."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, BodyBlock
from ..forms import WorkingGroupPageForm
from .mixins import BasePage, DocumentItem
from .snippets import Organisation


class AbstractWorkingGroupPage(BasePage):
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

    def clusters(self):
        from .clusters import ClusterPage

        return (
            ClusterPage.objects.live().public().filter(working_group=self).order_by("-start_date")
        )


class WorkingGroupPolicyPaper(DocumentItem):
    """A policy paper of a working group: a document with an optional title and date."""

    page = ParentalKey(WorkingGroupPage, on_delete=models.CASCADE, related_name="policy_papers")
    date = models.DateField(_("date"), null=True, blank=True)

    panels = DocumentItem.panels + [FieldPanel("date")]

    api_fields = DocumentItem.api_fields + [APIField("date")]

    class Meta(DocumentItem.Meta):
        verbose_name = _("policy paper")
        verbose_name_plural = _("policy papers")
