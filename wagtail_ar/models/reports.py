"""Cluster reports: what a cluster tells the CoP as it goes, with the files attached.

A :class:`ClusterReportPage` (interim or final report, success story, peer review…) lives
below its :class:`~wagtail_ar.models.clusters.ClusterPage`, links to the reports just before
and after it, and carries :class:`ClusterReportAttachment` documents; subclass
:class:`AbstractClusterReportPage` for a report page type of your own.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.search import index

from .. import cache
from ..blocks import BodyBlock
from ..choices import ReportType
from ..metadata import compact, json_ld_script, open_graph, plain_text
from ..translation import TranslationFields
from ..visibility import is_visible, visible
from .mixins import IMAGE_TRANSLATION_FIELDS, BasePage, DocumentItem, PageImageMixin


class AbstractClusterReportPage(cache.CachedFragmentsMixin, PageImageMixin, BasePage):
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
        PageImageMixin.image_panel(),
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

    # wagtail-localize: the texts are translated; the type and the date are the source's.
    override_translatable_fields = TranslationFields(
        IMAGE_TRANSLATION_FIELDS, translated=["summary", "body"], fixed=["report_type", "date"]
    )

    class Meta:
        abstract = True

    @property
    def cluster(self):
        """The cluster factsheet this report belongs to."""
        return self.get_parent().specific

    def neighbours(self):
        """``(earlier, later)``: the reports of the same cluster just before and just after
        this one by date (the same date: by creation), that visitors may see; ``None`` at an end."""
        if not self.pk:
            return None, None
        siblings = visible(type(self).objects.sibling_of(self, inclusive=False))
        earlier = (
            siblings.filter(Q(date__lt=self.date) | Q(date=self.date, pk__lt=self.pk))
            .order_by("-date", "-pk")
            .first()
        )
        later = (
            siblings.filter(Q(date__gt=self.date) | Q(date=self.date, pk__gt=self.pk))
            .order_by("date", "pk")
            .first()
        )
        return earlier, later

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        cluster = self.cluster if self.depth else None
        # A report below a draft, expired or private cluster names nothing of it.
        cluster_is_visible = is_visible(cluster, request)
        earlier, later = self.neighbours()
        context.update(
            {
                "cluster": cluster if cluster_is_visible else None,
                "cluster_is_visible": cluster_is_visible,
                "attachments": list(self.attachments.all().select_related("document")),
                "earlier_report": earlier,
                "later_report": later,
            }
        )
        if request is not None:
            context["open_graph"] = self.get_open_graph(request)
            context["json_ld"] = json_ld_script(self.get_json_ld(request, context))
        return context

    def get_open_graph(self, request):
        """``[(property, content), …]``: the Open Graph tags of the report."""
        published = self.date.isoformat() if self.date else ""
        return open_graph(
            self,
            request,
            "article",
            self.summary,
            ("article:published_time", published),
            *self.get_open_graph_image(request),
        )

    def get_json_ld(self, request, context=None):
        """schema.org data of the report: a ``Report`` about its cluster, with its files."""
        context = context or {}
        cluster = context.get("cluster") if context.get("cluster_is_visible") else None
        return compact(
            {
                "@context": "https://schema.org",
                "@type": "Report",
                "headline": self.title,
                "name": self.title,
                "description": plain_text(self.summary),
                "url": self.get_full_url(request),
                "datePublished": self.date,
                "genre": str(self.get_report_type_display()),
                "about": {
                    "@type": "Project",
                    "name": cluster.title,
                    "url": cluster.get_full_url(request),
                }
                if cluster
                else None,
                "associatedMedia": [
                    {
                        "@type": "MediaObject",
                        "name": item.display_title,
                        "contentUrl": request.build_absolute_uri(item.document.url),
                        "encodingFormat": item.document.content_type,
                        "contentSize": item.document.file_size,
                    }
                    for item in context.get("attachments", [])
                ],
            }
        )


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
