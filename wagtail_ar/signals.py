"""What makes the cache of wagtail_ar stale (see :mod:`wagtail_ar.cache`).

Connected in :meth:`wagtail_ar.apps.WagtailARAppConfig.ready`. The generation is bumped when:

- a page is published, unpublished, moved or deleted, or a live page is saved by code
  (``add_child`` of a live page, an import) — saving a draft revision is not enough;
- a model of wagtail_ar that is not a page (a snippet, a participant, a forum post…) is
  saved or deleted, except a new forum post awaiting moderation (visitors see nothing of it);
- a view restriction is added, changed or removed (a section becomes private or public), a
  site is changed, or a document is changed (factsheets link to documents by title).

A frontend cache (a CDN, with ``wagtail.contrib.frontend_cache``) is purged on the same events
of the pages that show what changed: see :mod:`wagtail_ar.purge` (:func:`connect_purge`).
"""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from wagtail.documents import get_document_model
from wagtail.models import Locale, Page, PageViewRestriction, Site, get_page_models
from wagtail.signals import page_published, page_unpublished, post_page_move, unpublished

from .cache import invalidate
from .choices import ForumPostStatus
from .locales import clear_language_codes

DISPATCH_PREFIX = "wagtail_ar.cache."

# Fields that Wagtail writes on a live page when a draft revision is saved or the page is
# locked: visitors see none of them.
BOOKKEEPING_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "locked",
        "locked_at",
        "locked_by",
    }
)


def invalidate_on_page_save(sender, instance, update_fields=None, **kwargs):
    if not instance.live:
        return
    if update_fields is not None and set(update_fields) <= BOOKKEEPING_FIELDS:
        return
    invalidate()


def invalidate_on_forum_post_save(sender, instance, created=False, **kwargs):
    # Anyone may send a post, and a new one waits for moderation unseen: it must not empty the
    # cache, or a stream of posts would keep every page uncached. Moderation saves it again.
    if created and instance.status != ForumPostStatus.PUBLISHED:
        return
    invalidate()


def invalidate_on_forum_post_themes(sender, instance, **kwargs):
    # The themes of a new post are set right after it is created (ForumPostForm.save): as for
    # the post itself, nothing visitors see changes until it is published.
    if getattr(instance, "status", ForumPostStatus.PUBLISHED) != ForumPostStatus.PUBLISHED:
        return
    invalidate()


def connect():
    """Connect the receivers (idempotent: each has a ``dispatch_uid``)."""

    def uid(name):
        return DISPATCH_PREFIX + name

    page_published.connect(invalidate, dispatch_uid=uid("page_published"))
    page_unpublished.connect(invalidate, dispatch_uid=uid("page_unpublished"))
    post_page_move.connect(invalidate, dispatch_uid=uid("post_page_move"))
    # Deleting any page deletes its ``Page`` row: one receiver covers every page type.
    post_delete.connect(invalidate, sender=Page, dispatch_uid=uid("page_deleted"))
    for model in get_page_models():
        post_save.connect(
            invalidate_on_page_save, sender=model, dispatch_uid=uid(f"saved.{model._meta.label}")
        )
    for model in apps.get_app_config("wagtail_ar").get_models(include_auto_created=True):
        label = model._meta.label
        if model._meta.auto_created:  # the table of a ManyToManyField: add(), remove()…
            forum_themes = model._meta.auto_created._meta.label == "wagtail_ar.ForumPost"
            receiver = invalidate_on_forum_post_themes if forum_themes else invalidate
            m2m_changed.connect(receiver, sender=model, dispatch_uid=uid(f"m2m.{label}"))
            continue
        if issubclass(model, Page):
            continue
        receiver = invalidate_on_forum_post_save if label == "wagtail_ar.ForumPost" else invalidate
        post_save.connect(receiver, sender=model, dispatch_uid=uid(f"saved.{label}"))
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid(f"deleted.{label}"))
    # The language codes that {% wagtail_ar_lang_attrs %} reads (wagtail_ar.locales).
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(clear_language_codes, sender=Locale, dispatch_uid=uid(f"{name}.locale"))
    for model in (PageViewRestriction, Site, Locale, get_document_model()):
        label = model._meta.label
        post_save.connect(invalidate, sender=model, dispatch_uid=uid(f"saved.{label}"))
        post_delete.connect(invalidate, sender=model, dispatch_uid=uid(f"deleted.{label}"))
    m2m_changed.connect(
        invalidate,
        sender=PageViewRestriction.groups.through,
        dispatch_uid=uid("restriction_groups"),
    )
    connect_purge()


def connect_purge():
    """The receivers that purge a frontend cache (:mod:`wagtail_ar.purge`); each does nothing
    without ``wagtail.contrib.frontend_cache`` and ``WAGTAILFRONTENDCACHE``."""
    from . import purge
    from .models import ForumPost, Organisation, Solution, ThematicProject

    def uid(name):
        return DISPATCH_PREFIX + "purge." + name

    # A deleted page is unpublished first (Wagtail's pre_delete): page_unpublished covers it.
    page_published.connect(purge.purge_on_page_event, dispatch_uid=uid("page_published"))
    page_unpublished.connect(purge.purge_on_page_event, dispatch_uid=uid("page_unpublished"))
    post_page_move.connect(purge.purge_on_page_move, dispatch_uid=uid("post_page_move"))
    for model in (Organisation, ThematicProject, Solution):
        label = model._meta.label
        post_save.connect(
            purge.purge_on_snippet_save, sender=model, dispatch_uid=uid(f"saved.{label}")
        )
        unpublished.connect(
            purge.purge_on_snippet_unpublish, sender=model, dispatch_uid=uid(f"unpublished.{label}")
        )
        pre_delete.connect(
            purge.purge_before_snippet_delete, sender=model, dispatch_uid=uid(f"deleted.{label}")
        )
    pre_save.connect(
        purge.remember_forum_post_state, sender=ForumPost, dispatch_uid=uid("forum_pre")
    )
    post_save.connect(
        purge.purge_on_forum_post_save, sender=ForumPost, dispatch_uid=uid("forum_saved")
    )
    pre_delete.connect(
        purge.purge_before_forum_post_delete, sender=ForumPost, dispatch_uid=uid("forum_deleted")
    )
