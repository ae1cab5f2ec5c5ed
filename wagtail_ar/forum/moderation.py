"""Moderating a forum post, recorded in Wagtail's audit log.

:func:`moderate` publishes, archives or returns a :class:`~wagtail_ar.models.ForumPost` to
moderation and logs it (a ``ModelLogEntry``, as for any snippet) with the moderator, so the
post's History view and Reports → Site history say who did what. The admin's row actions, the
bulk actions and the edit form (:class:`wagtail_ar.forum.viewsets.ForumPostEditView`) all come
here. The log actions are registered in :mod:`wagtail_ar.wagtail_hooks` by
:func:`register_moderation_log_actions`.

Saving the post keeps the side effects of a status change: ``published_at`` and ``archived_at``
(:meth:`ForumPost.save`), and the cache, cleared by the ``post_save`` signal
(:mod:`wagtail_ar.signals`). The models never import this module.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

from ..choices import ForumPostStatus

ACTION_PREFIX = "wagtail_ar.forum_post."

# action: (the status it gives, the log action's label)
MODERATION_ACTIONS = {
    "publish": (ForumPostStatus.PUBLISHED, _("Publish forum post")),
    "archive": (ForumPostStatus.ARCHIVED, _("Archive forum post")),
    "pending": (ForumPostStatus.PENDING, _("Return forum post to moderation")),
}


def action_for_status(status):
    """The moderation action that gives ``status``."""
    for action, (action_status, _label) in MODERATION_ACTIONS.items():
        if action_status == status:
            return action
    raise ValueError(f"no moderation action gives the status {status!r}")


def log_moderation(post, action, user=None, previous_status=None):
    """Record in the audit log that ``user`` moderated ``post`` with ``action``; ``previous_status``
    is the status it had (kept in the entry's data for its message)."""
    status = MODERATION_ACTIONS[action][0]
    return log(
        instance=post,
        action=ACTION_PREFIX + action,
        user=user,
        data={"previous_status": previous_status or "", "status": str(status)},
    )


def moderate(post, action, user=None):
    """Give ``post`` the status of ``action`` (``"publish"``, ``"archive"`` or ``"pending"``),
    save it and log it with ``user``. Returns the log entry, or ``None`` when the post had that
    status already (nothing is saved or logged)."""
    if action not in MODERATION_ACTIONS:
        raise ValueError(f"unknown moderation action {action!r}")
    previous = post.status
    status = MODERATION_ACTIONS[action][0]
    if previous == status:
        return None
    if action == "publish":
        post.publish()
    elif action == "archive":
        post.archive()
    else:
        post.status = status
        post.save(update_fields=["status"])
    return log_moderation(post, action, user=user, previous_status=previous)


class ForumModerationLogFormatter(LogFormatter):
    """A moderation entry: its label (set per action), and the message "Status changed from …
    to …"."""

    def format_message(self, log_entry):
        data = log_entry.data or {}
        labels = dict(ForumPostStatus.choices)
        previous = labels.get(data.get("previous_status"))
        new = labels.get(data.get("status"))
        if previous is None or new is None:
            return self.label
        return _("Status changed from “%(previous)s” to “%(new)s”") % {
            "previous": previous,
            "new": new,
        }


def register_moderation_log_actions(actions):
    """The ``register_log_actions`` hook: one log action per moderation action."""
    for action, (_status, label) in MODERATION_ACTIONS.items():
        formatter_class = type(
            f"ForumModeration{action.capitalize()}LogFormatter",
            (ForumModerationLogFormatter,),
            {"label": label},
        )
        actions.register_action(ACTION_PREFIX + action)(formatter_class)
