"""The cluster index: the page that lists the clusters below it, by category.

:class:`ClusterIndexPage` (on :class:`AbstractClusterIndexPage`) shows its :class:`~wagtail_ar.models.clusters.ClusterPage` children
through a :class:`ClusterListing` (filtered by :class:`~wagtail_ar.filters.ClusterFilterSet`,
searched, paginated, with counts per category) ordered by :func:`category_rank`, and serves the
RSS and Atom feeds of the newest clusters and reports (:mod:`wagtail_ar.feeds`) below its URL.
"""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.search import index

from .. import cache
from ..blocks import RICH_TEXT_FEATURES
from ..choices import ClusterCategory
from ..listing import Listing
from ..locales import children_of, localize_related
from ..visibility import visible
from .clusters import ClusterPage
from .mixins import BasePage, ListingPageMixin, PageImageMixin


def category_rank():
    """An ``order_by`` expression putting clusters in the order of :class:`ClusterCategory`."""
    return Case(
        *[
            When(category=value, then=Value(rank))
            for rank, value in enumerate(ClusterCategory.values)
        ],
        default=Value(len(ClusterCategory.values)),
        output_field=IntegerField(),
    )


class ClusterListing(Listing):
    """The cluster listing: grouped by category, then newest first, or best match first when
    searching."""

    def search(self, objects, query):
        pks = self.search_pks(objects.model, query)
        if not pks:
            return objects.none()
        return objects.filter(pk__in=pks).order_by(category_rank(), self.relevance(pks))


class AbstractClusterIndexPage(
    cache.CachedFragmentsMixin, ListingPageMixin, RoutablePageMixin, BasePage
):
    """Lists the clusters below it by category: geographical, thematic and peer-review.

    The listing (``context["listing"]``, a :class:`ClusterListing`) is filtered by the
    parameters of :class:`~wagtail_ar.filters.ClusterFilterSet` (``category``, ``status``,
    ``working_group``, ``country``, ``tag``, ``year``), searched with ``q`` and paginated with
    ``page``; a value that cannot be understood answers 400 with a message. The counts next to
    the categories apply every other filter and the search, not the category itself: each says
    how many clusters choosing that category shows.

    Below its URL, ``feed/`` is an RSS 2.0 feed and ``feed/atom/`` an Atom feed of the newest
    clusters and reports, with the same filters (see :mod:`wagtail_ar.feeds`). Override
    ``filterset_class``, ``listing_class``, ``per_page``, ``feed_limit`` or :meth:`clusters` on
    a subclass. The template and the page tree rules (``parent_page_types``, ``subpage_types``)
    are those of the concrete :class:`ClusterIndexPage`; a subclass of this base sets its own.
    """

    intro = RichTextField(
        _("introduction"),
        features=RICH_TEXT_FEATURES,
        blank=True,
        help_text=_("What clusters are and how the community can create one."),
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    search_fields = BasePage.search_fields + [index.SearchField("intro")]

    api_fields = [APIField("intro")]

    # A dotted path, imported when used: wagtail_ar.filters imports the models.
    filterset_class = "wagtail_ar.filters.ClusterFilterSet"
    listing_class = ClusterListing
    per_page = 12
    feed_limit = 20

    class Meta:
        abstract = True

    def clusters(self):
        """The clusters below this index that visitors may see, by category, then newest first;
        with i18n, in the active locale or, untranslated, in the default one
        (:func:`wagtail_ar.locales.children_of`)."""
        return children_of(self, visible(ClusterPage.objects.all())).order_by(
            category_rank(), "-start_date", "title", "pk"
        )

    def get_listing(self, request, per_page=None):
        """The clusters of this request: filtered, searched and paginated."""
        return self.listing_class(
            request,
            PageImageMixin.with_images(self.clusters().select_related("working_group")),
            self.get_filterset_class(),
            per_page=per_page or self.per_page,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        listing = self.get_listing(request)
        # The page of results and the facet counts: the expensive part, cached for visitors.
        clusters, counts = cache.get_or_build(
            request,
            "cluster_listing",
            lambda: (
                [] if listing.errors else localize_related(listing.objects, "working_group"),
                listing.counts("category", ignore=("category",)),
            ),
            page=self,
            cacheable=lambda value: not listing.errors,
            params=listing.cache_params,
        )
        current = listing.filterset.form.cleaned_data.get("category") if not listing.errors else ""
        context["listing"] = listing
        context["clusters_by_category"] = [
            (value, label, [c for c in clusters if c.category == value])
            for value, label in ClusterCategory.choices
        ]
        context["category_sections"] = [
            {"value": value, "label": label, "count": counts.get(value, 0), "clusters": items}
            for value, label, items in context["clusters_by_category"]
            if items
        ]
        context["category_facets"] = [
            {
                "value": "",
                "label": _("All categories"),
                "count": sum(counts.values()),
                "url": listing.querystring(category=None, page=None),
                "current": not current,
            }
        ] + [
            {
                "value": value,
                "label": label,
                "count": counts.get(value, 0),
                "url": listing.querystring(category=value, page=None),
                "current": current == value,
            }
            for value, label in ClusterCategory.choices
        ]
        if request is not None:
            # The feeds follow the filters, unless they could not be understood.
            querystring = "?" if listing.errors else listing.querystring(page=None)
            context["feed_urls"] = self.feed_urls(request, querystring)
        return context

    def feed_urls(self, request, querystring="?"):
        """``{"rss": url, "atom": url}`` of the feeds, with the filters of ``querystring``."""
        base = self.get_url(request) or ""
        query = "" if querystring == "?" else querystring
        return {
            "rss": base + self.reverse_subpage("feed") + query,
            "atom": base + self.reverse_subpage("atom_feed") + query,
        }

    def get_cached_paths(self):
        """The paths a frontend cache (a CDN) is purged of when the page changes: the listing
        and its feeds (``feed/``, ``feed/atom/``). Filtered variants (``?category=…``) cannot be
        purged by path: see docs/caching.md, "Frontend cache (CDN)"."""
        return ["/", self.reverse_subpage("feed"), self.reverse_subpage("atom_feed")]

    @path("feed/", name="feed")
    def rss_feed(self, request):
        from ..feeds import cluster_feed_response

        return cluster_feed_response(request, self, atom=False)

    @path("feed/atom/", name="atom_feed")
    def atom_feed(self, request):
        from ..feeds import cluster_feed_response

        return cluster_feed_response(request, self, atom=True)


class ClusterIndexPage(AbstractClusterIndexPage):
    template = "wagtail_ar/pages/cluster_index_page.html"
    parent_page_types = ["wagtail_ar.AmplificationRoomPage"]
    subpage_types = ["wagtail_ar.ClusterPage"]

    class Meta:
        verbose_name = _("cluster index page")
        verbose_name_plural = _("cluster index pages")
