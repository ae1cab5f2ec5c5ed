"""RSS 2.0 and Atom feeds of a cluster index: its newest clusters and cluster reports.

``<index>/feed/`` is RSS 2.0, ``<index>/feed/atom/`` is Atom 1.0 (routes of
:class:`~wagtail_ar.models.ClusterIndexPage`). Both take the listing's parameters
(``category``, ``status``, ``working_group``, ``country``, ``tag``, ``year``, ``q``): the feed
then holds the clusters the listing would show and the reports of those clusters. A value that
cannot be understood answers 400 with the listing's messages as plain text.

Items are what visitors may see (live, public, not expired), newest publication first, at most
``ClusterIndexPage.feed_limit``. Subclass :class:`ClusterFeed` and point a subclass of the index
page's routes at it to change titles or items.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.db.models import F, Value
from django.db.models.functions import Length, Substr
from django.http import HttpResponseBadRequest
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _

from . import cache
from .locales import descendants_of
from .metadata import plain_text
from .models import ClusterPage, ClusterReportPage
from .visibility import visible


class ClusterFeed(Feed):
    """The newest clusters and reports of one cluster index, with the listing's filters."""

    feed_type = Rss201rev2Feed

    def __init__(self, index, listing, request, atom=False):
        super().__init__()
        self.index = index
        self.listing = listing
        self.request = request
        if atom:
            self.feed_type = Atom1Feed
        self.querystring = listing.querystring(page=None)

    # The feed ---------------------------------------------------------------------------------

    def title(self):
        active = [str(label) for _name, _filter, label in self.listing.filterset.active_filters()]
        if self.listing.query:
            active.append(f"“{self.listing.query}”")
        title = _("%(index)s: new clusters and reports") % {"index": self.index.title}
        return f"{title} ({', '.join(active)})" if active else title

    def link(self):
        query = "" if self.querystring == "?" else self.querystring
        return self.index.get_full_url(self.request) + query

    def feed_url(self):
        return self.request.build_absolute_uri()

    def description(self):
        intro = plain_text(self.index.intro)
        return intro or _("The newest clusters and cluster reports of %(index)s.") % {
            "index": self.index.title
        }

    subtitle = description  # Atom

    def feed_guid(self):
        return self.feed_url()

    language = None  # the active language (Django's default)

    def items(self):
        limit = self.index.feed_limit
        clusters = self.listing.paginator.object_list.order_by()
        newest = F("first_published_at").desc(nulls_last=True)
        cluster_items = list(clusters.order_by(newest, "-pk").prefetch_related("tags")[:limit])
        steplen = ClusterPage.steplen
        # With i18n the reports are localized too, and a translated cluster keeps the reports
        # of its source that have no translation yet: reports below any translation of a
        # cluster of the feed (wagtail_ar.locales).
        cluster_paths = ClusterPage.objects.filter(
            translation_key__in=clusters.values("translation_key")
        ).values("path")
        reports = (
            descendants_of(self.index, visible(ClusterReportPage.objects.all()))
            .annotate(parent_path=Substr("path", 1, Length("path") - Value(steplen)))
            .filter(parent_path__in=cluster_paths)
            .order_by(newest, "-pk")[:limit]
        )
        items = cluster_items + list(reports)
        items.sort(
            key=lambda item: (
                item.first_published_at is not None,
                item.first_published_at,
                item.pk,
            ),
            reverse=True,
        )
        return items[:limit]

    # Its items --------------------------------------------------------------------------------

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_pubdate(self, item):
        published = item.first_published_at or item.last_published_at
        if published is None:  # a page created in code without a revision: its own date
            day = getattr(item, "date", None) or getattr(item, "start_date", None)
            if day is not None:
                published = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
        return published

    def item_updateddate(self, item):
        return item.last_published_at or self.item_pubdate(item)

    def item_categories(self, item):
        if isinstance(item, ClusterReportPage):
            return [str(item.get_report_type_display())]
        return [str(item.get_category_display()), *(tag.name for tag in item.tags.all())]


def cluster_feed_response(request, index, atom=False):
    """The RSS (or Atom) feed of ``index`` for this request, or a 400 with the listing's messages."""
    return cache.cached_response(
        request,
        "atom_feed" if atom else "rss_feed",
        lambda: build_cluster_feed_response(request, index, atom=atom),
        page=index,
        params=index.get_cache_params(),
    )


def build_cluster_feed_response(request, index, atom=False):
    """:func:`cluster_feed_response` without the cache."""
    listing = index.get_listing(request, per_page=index.feed_limit)
    if listing.errors:
        lines = [_("Some of the filters in this address could not be understood:")]
        lines += [f"- {error}" for error in listing.errors]
        return HttpResponseBadRequest(
            "\n".join(lines) + "\n", content_type="text/plain; charset=utf-8"
        )
    return ClusterFeed(index, listing, request, atom=atom)(request)
