"""Bulk actions on the forum posts' listing: publish or archive the selected posts at once.

Each post goes through :func:`wagtail_ar.forum.moderation.moderate`, so each gets its own entry
in the audit log. Only users who may change forum posts see the confirmation or act; a post they
may not change is listed apart and left as it is. Registered in :mod:`wagtail_ar.wagtail_hooks`;
subclass :class:`ForumPostModerationBulkAction` for another moderation action.
"""

from django.core.exceptions import PermissionDenied
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction

from ..models import ForumPost
from .moderation import moderate


class ForumPostModerationBulkAction(SnippetBulkAction):
    """Gives every selected post the status of ``moderation_action``, after a confirmation."""

    models = [ForumPost]
    moderation_action = None
    template_name = "wagtail_ar/admin/forum_bulk_moderate.html"
    action_priority = 20

    @cached_property
    def permission_policy(self):
        # Wagtail 8's snippet bulk actions have one; 7.4's do not.
        return ModelPermissionPolicy(ForumPost)

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action=self.moderation_action, action_label=self.display_name)
        return context

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        view = kwargs.get("self")
        user = user or (view.request.user if view is not None else None)
        changed = sum(moderate(post, cls.moderation_action, user) is not None for post in objects)
        return changed, 0


class PublishForumPostsBulkAction(ForumPostModerationBulkAction):
    display_name = _("Publish")
    action_type = "publish"
    aria_label = _("Publish the selected forum posts")
    moderation_action = "publish"

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("Forum posts published: %(count)d.") % {"count": num_parent_objects}


class ArchiveForumPostsBulkAction(ForumPostModerationBulkAction):
    display_name = _("Archive")
    action_type = "archive"
    aria_label = _("Archive the selected forum posts")
    moderation_action = "archive"
    action_priority = 25

    def get_success_message(self, num_parent_objects, num_child_objects):
        return _("Forum posts archived: %(count)d.") % {"count": num_parent_objects}
