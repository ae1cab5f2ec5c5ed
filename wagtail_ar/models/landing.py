"""The Amplification Room landing page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, LandingBodyBlock
from .mixins import BasePage


class AbstractAmplificationRoomPage(BasePage):
    """The AR's home: who the community is, its working groups, clusters, services and FAQ.

    Subclass it to add fields; the concrete :class:`AmplificationRoomPage` sets the tree rules.
    """

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Who the community is: the Mission governance projects partners, the Associated "
            "Partners and the Thematic Projects, opening to North & South Mediterranean actors."
        ),
    )
    body = StreamField(
        LandingBodyBlock(),
        blank=True,
        verbose_name=_("body"),
        help_text=_(
            "Text, the portfolio of services (in-person and online settings), FAQs and calls to action."
        ),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    search_fields = BasePage.search_fields + [index.SearchField("intro"), index.SearchField("body")]

    api_fields = [APIField("intro"), APIField("body")]

    class Meta:
        abstract = True

    def get_children_of_type(self, model):
        """Live children of this page of the page type ``model``, in the order editors set."""
        return model.objects.child_of(self).live().public().specific()

    def working_groups(self):
        from .working_groups import WorkingGroupPage

        return self.get_children_of_type(WorkingGroupPage).order_by("number", "path")

    def faqs(self):
        """The FAQ blocks of the body, for the schema.org FAQPage data."""
        return [block.value for block in self.body if block.block_type == "faq"]


class AmplificationRoomPage(AbstractAmplificationRoomPage):
    template = "wagtail_ar/pages/amplification_room_page.html"

    subpage_types = [
        "wagtail_ar.WorkingGroupPage",
        "wagtail_ar.ClusterIndexPage",
        "wagtail_ar.ActivityIndexPage",
        "wagtail_ar.CommunityMapPage",
    ]

    class Meta:
        verbose_name = _("Amplification Room page")
        verbose_name_plural = _("Amplification Room pages")
