"""The community map page."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES
from .mixins import BasePage
from .snippets import Organisation


class AbstractCommunityMapPage(BasePage):
    """The mission's map of the organisations engaged in the Community of Practice."""

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_(
            "Invite visitors to discover the community by finding the engaged organisations on the map."
        ),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    class Meta:
        abstract = True

    def organisations(self):
        """Published organisations that have a location, in the page's locale."""
        return Organisation.objects.filter(
            live=True, latitude__isnull=False, locale_id=self.locale_id
        )


class CommunityMapPage(AbstractCommunityMapPage):
    template = "wagtail_ar/pages/community_map_page.html"
    max_count_per_parent = 1
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("community map page")
        verbose_name_plural = _("community map pages")
