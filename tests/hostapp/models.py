"""A page type of the host site (not of the package) whose body uses the package's blocks."""

from django.conf import settings
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from wagtail_ar.blocks import CallToActionBlock, FAQBlock, LinkBlock, MapBlock, ServiceBlock


class HostPage(Page):
    body = StreamField(
        [
            ("map", MapBlock()),
            ("text", blocks.RichTextBlock()),
            ("call_to_action", CallToActionBlock()),
            ("faq", FAQBlock()),
            ("service", ServiceBlock()),
            ("link", LinkBlock()),
        ],
        blank=True,
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]

    template = "hostapp/host_page.html"

    def get_context(self, request, *args, **kwargs):
        # The host's pages extend the site's base template, as the package's do (the tests
        # switch it with WAGTAIL_AR_BASE_TEMPLATE).
        context = super().get_context(request, *args, **kwargs)
        context["host_base_template"] = getattr(
            settings, "WAGTAIL_AR_BASE_TEMPLATE", "testapp/base.html"
        )
        return context
