"""Purging a frontend cache (a CDN, Varnish) of the pages that show what changed.

Wagtail's ``wagtail.contrib.frontend_cache`` purges a page's own URLs (its
``get_cached_paths()``) when it is published or unpublished. The pages of the package also
show other pages and snippets: a cluster is listed by its cluster index (and its feeds), the
Amplification Room's landing, its working group's page, the community map's cluster layer and
the factsheets of related clusters. :func:`purge_for` purges those, for a page published,
unpublished (deleted pages are unpublished first), moved, and for a snippet (organisation,
thematic project, solution) or a forum post saved, unpublished or deleted. The receivers are
connected with the package's own cache (:mod:`wagtail_ar.signals`).

Nothing happens unless ``wagtail.contrib.frontend_cache`` is installed and
``WAGTAILFRONTENDCACHE`` is set. The URLs are gathered at once (a number of queries that does
not grow with the number of pages) and purged when the transaction commits, so that the CDN
does not fetch the old content again before the change is saved.

This module imports no model at the top level: it is imported from the signals, and the
models never import it.
"""

import contextlib
import threading

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q

#: The apps label of Wagtail's frontend cache.
FRONTEND_CACHE_APP = "wagtail.contrib.frontend_cache"


def is_enabled():
    """Whether a frontend cache is configured: the app is installed and
    ``WAGTAILFRONTENDCACHE`` (or the older ``WAGTAILFRONTENDCACHE_LOCATION``) is set."""
    if not apps.is_installed(FRONTEND_CACHE_APP):
        return False
    return bool(
        getattr(settings, "WAGTAILFRONTENDCACHE", None)
        or getattr(settings, "WAGTAILFRONTENDCACHE_LOCATION", None)
    )


# What shows what ------------------------------------------------------------------------------


def _parent_path(path, levels=1):
    from wagtail.models import Page

    return path[: -Page.steplen * levels] if len(path) > Page.steplen * levels else ""


def _children_q(path, *types):
    """Pages of one of ``types`` directly below the page at ``path``."""
    from wagtail.models import Page

    if not path:
        return Q(pk__in=[])
    return Q(path__startswith=path, depth=len(path) // Page.steplen + 1) & Page.objects.type_q(
        *types
    )


def _pages(q):
    """The live pages matching ``q``, specific: one query, and one per page type found."""
    from wagtail.models import Page

    return list(Page.objects.filter(q).live().specific())


def _cluster_relations(cluster_ids):
    """``Q`` of the live pages that name the clusters ``cluster_ids`` (a list or a queryset of
    ids), besides their indexes: their activities and the forums of the posts they answer."""
    from .choices import ForumPostStatus
    from .models import ActivityPage, ForumPost

    activities = ActivityPage.objects.filter(cluster_id__in=cluster_ids).values("pk")
    forums = ForumPost.objects.filter(
        answered_by_id__in=cluster_ids, status=ForumPostStatus.PUBLISHED
    ).values("forum_id")
    return Q(pk__in=activities) | Q(pk__in=forums)


def _showing_page(page):
    """``Q`` of the pages that list or show ``page`` (a live page, or one just unpublished);
    ``None`` for a page type that is not the package's."""
    from .models import (
        AbstractActivityIndexPage,
        AbstractActivityPage,
        AbstractClusterIndexPage,
        AbstractClusterPage,
        AbstractClusterReportPage,
        AbstractCommunityMapPage,
        AbstractWorkingGroupPage,
        ActivityPage,
        BasePage,
        ClusterPage,
    )

    if not isinstance(page, BasePage):
        return None  # a page of the host: Wagtail purges it, nothing of the package shows it
    parent = _parent_path(page.path)
    if isinstance(page, AbstractClusterPage):
        room = _parent_path(page.path, 2)
        q = (
            Q(path=parent)  # its cluster index (and its feeds)
            | (Q(path=room) & _room_type_q())
            | _children_q(room, AbstractCommunityMapPage)  # the cluster layer
            | _children_q(page.path, AbstractClusterReportPage)  # its reports name it
            | _cluster_relations([page.pk])
        )
        if page.working_group_id:
            q |= Q(pk=page.working_group_id)
        # The factsheets whose "related clusters" may list it: same working group, or a tag.
        tagged = ClusterPage.tags.through.objects.filter(
            tag_id__in=ClusterPage.tags.through.objects.filter(content_object_id=page.pk).values(
                "tag_id"
            )
        ).values("content_object_id")
        related = Q(pk__in=tagged)
        if page.working_group_id:
            related |= Q(
                pk__in=ClusterPage.objects.filter(working_group_id=page.working_group_id).values(
                    "pk"
                )
            )
        if room:
            q |= Q(path__startswith=room) & related
        return q
    if isinstance(page, AbstractActivityPage):
        room = _parent_path(page.path, 2)
        q = (
            Q(path=parent)  # its activity index (and its calendar)
            | (Q(path=room) & _room_type_q())
            | _children_q(room, AbstractCommunityMapPage)  # the activity layer
        )
        for field in ("working_group_id", "cluster_id"):
            if getattr(page, field, None):
                q |= Q(pk=getattr(page, field))
        return q
    if isinstance(page, AbstractClusterReportPage):
        # Its cluster's factsheet, the cluster index's feeds, the reports beside it.
        return (
            Q(path=parent)
            | Q(path=_parent_path(page.path, 2))
            | _children_q(parent, AbstractClusterReportPage)
        )
    if isinstance(page, AbstractWorkingGroupPage):
        return (
            (Q(path=parent) & _room_type_q())
            | Q(pk__in=ClusterPage.objects.filter(working_group_id=page.pk).values("pk"))
            | Q(pk__in=ActivityPage.objects.filter(working_group_id=page.pk).values("pk"))
            # The listings filter by working group; the map's marker details name it.
            | _children_q(
                parent,
                AbstractClusterIndexPage,
                AbstractActivityIndexPage,
                AbstractCommunityMapPage,
            )
        )
    # Any other page of the room (an index, the map, the forum): the landing links to it.
    return Q(path=parent) & _room_type_q()


def _room_type_q():
    from wagtail.models import Page

    from .models import AbstractAmplificationRoomPage

    return Page.objects.type_q(AbstractAmplificationRoomPage)


def _showing_snippet(instance):
    """``Q`` of the pages that show the snippet ``instance``; ``None`` for another model."""
    from .models import (
        AbstractCommunityMapPage,
        ActivityPage,
        ClusterPage,
        ClusterParticipant,
        Organisation,
        Solution,
        ThematicProject,
        WorkingGroupPage,
    )

    clusters = None
    if isinstance(instance, Organisation):
        ids = [instance.pk]
        participations = ClusterParticipant.objects.filter(organisation_id__in=ids)
        groups = WorkingGroupPage.coordinating_organisations.through.objects.filter(
            organisation_id__in=ids
        ).values("workinggrouppage_id")
        members = WorkingGroupPage.member_organisations.through.objects.filter(
            organisation_id__in=ids
        ).values("workinggrouppage_id")
        organised = ActivityPage.organisers.through.objects.filter(organisation_id__in=ids).values(
            "activitypage_id"
        )
        from wagtail.models import Page

        return (
            Page.objects.type_q(AbstractCommunityMapPage)
            | Q(pk__in=ClusterPage.objects.filter(lead_partner_id__in=ids).values("pk"))
            | Q(pk__in=participations.values("page_id"))
            | Q(pk__in=groups)
            | Q(pk__in=members)
            | Q(pk__in=organised)
        )
    if isinstance(instance, ThematicProject):
        solutions = Solution.objects.filter(thematic_project_id=instance.pk).values("pk")
        clusters = ClusterPage.objects.filter(
            Q(
                pk__in=ClusterPage.thematic_projects.through.objects.filter(
                    thematicproject_id=instance.pk
                ).values("clusterpage_id")
            )
            | Q(
                pk__in=ClusterPage.solutions.through.objects.filter(
                    solution_id__in=solutions
                ).values("clusterpage_id")
            )
        )
    elif isinstance(instance, Solution):
        clusters = ClusterPage.objects.filter(
            pk__in=ClusterPage.solutions.through.objects.filter(solution_id=instance.pk).values(
                "clusterpage_id"
            )
        )
    if clusters is None:
        return None
    # Their factsheets, and the working groups' pages that list the solutions of their clusters.
    return Q(pk__in=clusters.values("pk")) | Q(pk__in=clusters.values("working_group_id"))


def pages_showing(instance):
    """The live pages that list or show ``instance`` (a page of the package, a snippet, a forum
    post), specific, without ``instance`` itself: a number of queries that does not depend on
    how many pages there are. Override nothing here: a page type of a project that shows more
    adds its paths to its own ``get_cached_paths()``."""
    from wagtail.models import Page

    from .models import ForumPost

    if isinstance(instance, Page):
        q = _showing_page(instance)
    elif isinstance(instance, ForumPost):
        q = Q(pk=instance.forum_id)
        if instance.answered_by_id:
            q |= Q(pk=instance.answered_by_id)
        before = getattr(instance, "_wagtail_ar_answered_by_before", None)
        if before:
            q |= Q(pk=before)
    else:
        q = _showing_snippet(instance)
    if q is None:
        return []
    pages = _pages(q)
    if isinstance(instance, Page):
        pages = [page for page in pages if page.pk != instance.pk]
    return pages


def _route_urls(page, batch, name, *args):
    url = page.get_full_url(batch)
    return [url + page.reverse_subpage(name, args=list(args))] if url else []


def purge_batch_for(instance, old_parent=None, old_url_path=None):
    """The :class:`~wagtail.contrib.frontend_cache.utils.PurgeBatch` of ``instance``: the pages
    that show it (:func:`pages_showing`, each with its ``get_cached_paths()``) and the routes
    that show only it (an organisation's marker details and profile, a forum post's page). For a page that
    moved (``old_parent``, ``old_url_path``): its old URLs and the pages that showed it there
    too. The page's own URLs are left to Wagtail (published, unpublished) except after a move."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch

    from .map.profiles import profile_path
    from .models import AbstractCommunityMapPage, AbstractForumPage, ForumPost, Organisation

    batch = PurgeBatch()
    pages = pages_showing(instance)
    batch.add_pages(pages)
    if isinstance(instance, Organisation):
        # Not among the map's paths once it is unpublished or has no location any more.
        for page in pages:
            if isinstance(page, AbstractCommunityMapPage):
                batch.add_urls(_route_urls(page, batch, "organisation_details", instance.pk))
                base = page.get_full_url(batch)
                if base:
                    batch.add_url(base + profile_path(page, instance))
    elif isinstance(instance, ForumPost):
        for page in pages:
            if isinstance(page, AbstractForumPage):
                batch.add_urls(_route_urls(page, batch, "post", instance.pk))
    if old_parent is not None:
        old_parent = old_parent.specific
        batch.add_page(old_parent)
        batch.add_pages(page for page in pages_showing(old_parent) if page.pk != instance.pk)
        batch.add_page(instance)
        if old_url_path and old_url_path != instance.url_path:
            moved, instance.url_path = instance.url_path, old_url_path
            try:
                batch.add_page(instance)
            finally:
                instance.url_path = moved
    return batch


#: Inside :func:`batched_purge` (of this thread): the snippets saved, by model and key.
_batch = threading.local()


@contextlib.contextmanager
def batched_purge():
    """Within the block, a snippet saved is only noted; as the block ends, what shows each one
    (each once, as last saved) is purged in one batch when the transaction commits, unless it
    is to be rolled back. For code that saves many snippets, each several times (the imports);
    what a deletion purges is still gathered before it. Nested blocks purge at the outermost
    end."""
    outermost = not hasattr(_batch, "saved")
    if outermost:
        _batch.saved = {}
    try:
        yield
    finally:
        if outermost:
            saved = _batch.saved
            del _batch.saved
            if saved and is_enabled() and not _rolling_back():
                from wagtail.contrib.frontend_cache.utils import PurgeBatch

                batch = PurgeBatch()
                for instance in saved.values():
                    batch.add_urls(purge_batch_for(instance).urls)
                if batch.urls:
                    transaction.on_commit(batch.purge)


def _rolling_back():
    return transaction.get_connection().in_atomic_block and transaction.get_rollback()


def purge_for(instance, **kwargs):
    """Purge the frontend cache of what shows ``instance`` (see :func:`purge_batch_for`), once
    the transaction commits; nothing without a configured frontend cache."""
    if not is_enabled():
        return
    batch = purge_batch_for(instance, **kwargs)
    if batch.urls:
        transaction.on_commit(batch.purge)


# Signal receivers (connected in wagtail_ar.signals.connect) -----------------------------------


def purge_on_page_event(sender, instance, **kwargs):
    """``page_published`` and ``page_unpublished`` (Wagtail unpublishes a page it deletes)."""
    purge_for(instance)


def purge_on_page_move(sender, instance, parent_page_before=None, url_path_before=None, **kwargs):
    if not is_enabled() or not instance.live:
        return
    purge_for(instance.specific, old_parent=parent_page_before, old_url_path=url_path_before)


def purge_on_snippet_save(sender, instance, update_fields=None, **kwargs):
    """A snippet saved live (published, or saved by code); saving a draft revision of it is not
    enough (Wagtail then writes bookkeeping fields only)."""
    from .signals import BOOKKEEPING_FIELDS

    if not getattr(instance, "live", True):
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    if hasattr(_batch, "saved"):
        if is_enabled():
            _batch.saved[(instance._meta.label, instance.pk)] = instance
        return
    purge_for(instance)


def purge_on_snippet_unpublish(sender, instance, **kwargs):
    purge_for(instance)


def purge_before_snippet_delete(sender, instance, **kwargs):
    # Before: once deleted, its relations (and pages' lead partner) are gone.
    if getattr(instance, "live", True):
        purge_for(instance)


def remember_forum_post_state(sender, instance, raw=False, **kwargs):
    """``pre_save`` of a forum post: whether it was published, and the cluster that answered
    it, before this save (one query, only with a frontend cache)."""
    if raw or not is_enabled() or instance.pk is None:
        return
    before = type(instance).objects.filter(pk=instance.pk).values("status", "answered_by_id")
    row = before.first()
    instance._wagtail_ar_published_before = bool(row) and row["status"] == _published()
    instance._wagtail_ar_answered_by_before = row["answered_by_id"] if row else None


def purge_on_forum_post_save(sender, instance, **kwargs):
    """A forum post published, changed while published, or withdrawn; not one awaiting
    moderation (anyone may send a post: the CDN must not be purged for each)."""
    if instance.status == _published() or getattr(instance, "_wagtail_ar_published_before", False):
        purge_for(instance)


def purge_before_forum_post_delete(sender, instance, **kwargs):
    if instance.status == _published():
        purge_for(instance)


def _published():
    from .choices import ForumPostStatus

    return ForumPostStatus.PUBLISHED
