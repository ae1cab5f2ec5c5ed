"""StreamField blocks of the Amplification Room pages."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock

from .models.choices import ActivityFormat

RICH_TEXT_FEATURES = ["h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link"]


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to an outside address; the page wins when both are given."""

    page = blocks.PageChooserBlock(required=False, label=_("page"))
    url = blocks.URLBlock(required=False, label=_("address"))
    text = blocks.CharBlock(required=False, max_length=100, label=_("link text"))

    class Meta:
        icon = "link"
        label = _("link")

    def clean(self, value):
        value = super().clean(value)
        if value.get("text") and not (value.get("page") or value.get("url")):
            raise StructBlockValidationError(
                block_errors={
                    "url": ValidationError(_("Choose a page or give an address for this link."))
                }
            )
        return value


class ServiceBlock(blocks.StructBlock):
    """One entry of the AR's portfolio of services: a setting where transference happens."""

    name = blocks.CharBlock(max_length=120, label=_("name"))
    format = blocks.ChoiceBlock(
        choices=ActivityFormat.choices, default=ActivityFormat.IN_PERSON, label=_("format")
    )
    description = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("description"))
    link = LinkBlock(required=False, label=_("link"))

    class Meta:
        icon = "pick"
        label = _("Service")
        template = "wagtail_ar/blocks/service_block.html"
        description = _("An in-person or online setting of the portfolio of services.")
        preview_value = {
            "name": "Peer-to-peer exchange visit",
            "format": ActivityFormat.IN_PERSON,
            "description": "<p>Visit a territory where a TP solution is in use.</p>",
        }


class FAQBlock(blocks.StructBlock):
    """A question and its answer; the landing page turns them into schema.org FAQPage data."""

    question = blocks.CharBlock(max_length=255, label=_("question"))
    answer = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("answer"))

    class Meta:
        icon = "help"
        label = _("FAQ")
        template = "wagtail_ar/blocks/faq_block.html"
        description = _("A frequently asked question, for example how to create a cluster.")
        preview_value = {
            "question": "Who can create a cluster?",
            "answer": "<p>The whole CoP is welcome.</p>",
        }


class CallToActionBlock(blocks.StructBlock):
    """A short invitation with one prominent link."""

    heading = blocks.CharBlock(max_length=120, label=_("heading"))
    text = blocks.TextBlock(required=False, max_length=400, label=_("text"))
    link = LinkBlock(label=_("link"))

    class Meta:
        icon = "pick"
        label = _("Call to action")
        template = "wagtail_ar/blocks/call_to_action_block.html"
        description = _("An invitation to act, such as joining the forum or proposing a cluster.")
        preview_value = {"heading": "Join the forum", "text": "Say what you need or can offer."}


class RoadmapStageBlock(blocks.StructBlock):
    """One stage of a cluster's roadmap of activities."""

    title = blocks.CharBlock(max_length=200, label=_("title"))
    start_date = blocks.DateBlock(label=_("start date"))
    end_date = blocks.DateBlock(
        required=False, label=_("end date"), help_text=_("Leave empty for a one-day stage.")
    )
    format = blocks.ChoiceBlock(
        choices=ActivityFormat.choices, default=ActivityFormat.ONLINE, label=_("format")
    )
    description = blocks.TextBlock(required=False, label=_("description"))

    class Meta:
        icon = "date"
        label = _("Stage")
        template = "wagtail_ar/blocks/roadmap_stage_block.html"
        description = _("A stage of the cluster's roadmap, with its dates and format.")
        preview_value = {"title": "Kick-off meeting", "format": ActivityFormat.ONLINE}

    def clean(self, value):
        value = super().clean(value)
        start, end = value.get("start_date"), value.get("end_date")
        if start and end and end < start:
            raise StructBlockValidationError(
                block_errors={
                    "end_date": ValidationError(_("A stage cannot end before it starts."))
                }
            )
        return value


class BodyBlock(blocks.StreamBlock):
    """The body of most Amplification Room pages."""

    rich_text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Text"), icon="pilcrow")
    call_to_action = CallToActionBlock()
    document = DocumentChooserBlock(
        label=_("Document"), icon="doc-full", template="wagtail_ar/blocks/document_block.html"
    )


class LandingBodyBlock(BodyBlock):
    """The body of the Amplification Room landing page: text, services, FAQs, calls to action."""

    service = ServiceBlock()
    faq = FAQBlock()


class RoadmapBlock(blocks.StreamBlock):
    stage = RoadmapStageBlock()
