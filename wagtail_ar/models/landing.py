"""The Amplification Room landing page."""

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.search import index

from ..blocks import RICH_TEXT_FEATURES, LandingBodyBlock
from ..cache import CachedFragmentsMixin
from ..locales import children_of, descendants_of
from ..visibility import visible
from .mixins import BasePage


class AbstractAmplificationRoomPage(CachedFragmentsMixin, BasePage):
    """The AR's home: who the community is, its working groups, clusters, services and FAQ.

    Subclass it to add fields; the concrete :class:`AmplificationRoomPage` sets the tree rules.
    The page lists what lies below it: working groups, the latest clusters of each category
    (``latest_clusters_per_category``), the next activities (``upcoming_activities_shown``)
    and a teaser of the community map; every list is a fixed number of queries.
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

    latest_clusters_per_category = 3
    upcoming_activities_shown = 3

    class Meta:
        abstract = True

    def get_children_of_type(self, model):
        """Live children of this page of the page type ``model``, in the order editors set;
        with i18n, localized (:func:`wagtail_ar.locales.children_of`)."""
        return children_of(self, visible(model.objects.all())).specific()

    def working_groups(self):
        from .working_groups import WorkingGroupPage

        return self.get_children_of_type(WorkingGroupPage).order_by("number", "path")

    def latest_clusters_by_category(self, per_category=None):
        """``[(category value, label, [cluster, …]), …]``: the newest live, public clusters
        below this page, ``per_category`` of each, for the categories that have any (one query)."""
        from ..choices import ClusterCategory
        from .clusters import ClusterPage

        per_category = per_category or self.latest_clusters_per_category
        clusters = list(
            descendants_of(self, visible(ClusterPage.objects.all()))
            .annotate(
                category_rank=Window(
                    RowNumber(),
                    partition_by=[F("category")],
                    order_by=[F("start_date").desc(), F("title").asc(), F("pk").asc()],
                )
            )
            .filter(category_rank__lte=per_category)
            .order_by("category_rank")
        )
        return [
            (value, label, [c for c in clusters if c.category == value])
            for value, label in ClusterCategory.choices
            if any(c.category == value for c in clusters)
        ]

    def upcoming_activities(self, limit=None, now=None):
        """The next live, public activities below this page that have not ended, soonest first."""
        from .activities import ActivityPage

        now = now or timezone.now()
        activities = (
            descendants_of(self, visible(ActivityPage.objects.all()))
            .filter(end__gte=now)
            .order_by("start", "pk")
        )
        return activities[: limit or self.upcoming_activities_shown]

    def community_map_teaser(self):
        """``{"page": the map page, "organisations": n, "countries": n}``, or ``None``."""
        from .map import CommunityMapPage

        map_page = self.get_children_of_type(CommunityMapPage).first()
        if map_page is None:
            return None
        counts = map_page.organisations().aggregate(
            organisations=Count("pk"),
            countries=Count("country", distinct=True, filter=~Q(country="")),
        )
        return {"page": map_page, **counts}

    def get_context(self, request, *args, **kwargs):
        from .activities import ActivityIndexPage

        context = super().get_context(request, *args, **kwargs)
        context.update(
            working_groups=self.working_groups(),
            clusters_by_category=self.latest_clusters_by_category(),
            upcoming_activities=self.upcoming_activities(),
            activity_index=self.get_children_of_type(ActivityIndexPage).first(),
            community_map=self.community_map_teaser(),
        )
        return context

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
        "wagtail_ar.ForumPage",
        "wagtail_ar.AccessibilityStatementPage",
    ]

    class Meta:
        verbose_name = _("Amplification Room page")
        verbose_name_plural = _("Amplification Room pages")
