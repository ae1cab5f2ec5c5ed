"""The forum's admin: the posts in the "Amplification Room" menu, pending ones first, with
"Publish" and "Archive" in each row's menu and a confirmation view for each (and as bulk
actions, :mod:`wagtail_ar.forum.bulk_actions`). Every status change, from these views or the
edit form, goes through :mod:`wagtail_ar.forum.moderation` and into the audit log.

:class:`ForumPostViewSet` is one of the items of
:class:`wagtail_ar.viewsets.AmplificationRoomViewSetGroup`, registered in
:mod:`wagtail_ar.wagtail_hooks`. Every class here may be subclassed.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters import MultipleChoiceFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.views.snippets import EditView as SnippetEditView
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from ..choices import ForumPostKind, ForumPostStatus
from ..models import ForumPost
from .moderation import action_for_status, log_moderation, moderate


class ForumPostAdminFilterSet(WagtailFilterSet):
    """The moderators' filters: status and kind, any of several."""

    status = MultipleChoiceFilter(
        choices=ForumPostStatus.choices, widget=forms.CheckboxSelectMultiple, label=_("Status")
    )
    kind = MultipleChoiceFilter(
        choices=ForumPostKind.choices, widget=forms.CheckboxSelectMultiple, label=_("Kind")
    )

    class Meta:
        model = ForumPost
        fields = []


class ForumPostIndexView(SnippetIndexView):
    """The posts, with "Publish" and "Archive" in each row's menu."""

    moderate_url_name = None

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("forum")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if not self.user_has_permission("change"):
            return buttons
        for action, label, icon in FORUM_MODERATION_ACTIONS:
            if instance.status == action_status(action):
                continue
            url = reverse(self.moderate_url_name, args=[instance.pk, action])
            buttons.append(MenuItem(label, url=url, icon_name=icon, priority=5))
        return buttons


FORUM_MODERATION_ACTIONS = (
    ("publish", _("Publish"), "upload"),
    ("archive", _("Archive"), "folder-inverse"),
)


def action_status(action):
    return ForumPostStatus.PUBLISHED if action == "publish" else ForumPostStatus.ARCHIVED


class ForumPostModerationView(WagtailAdminTemplateMixin, TemplateView):
    """Asks (GET), then publishes or archives one post (POST) and returns to the list."""

    template_name = "wagtail_ar/admin/forum_moderate.html"
    header_icon = "comment"
    permission_policy = None
    index_url_name = None

    def dispatch(self, request, pk, action):
        if action not in {a: label for a, label, _icon in FORUM_MODERATION_ACTIONS}:
            raise Http404
        if not self.permission_policy.user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.post_object = get_object_or_404(ForumPost, pk=pk)
        self.action = action
        return super().dispatch(request, pk, action)

    def get_page_title(self):
        return {a: label for a, label, _icon in FORUM_MODERATION_ACTIONS}[self.action]

    def get_page_subtitle(self):
        return str(self.post_object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            post=self.post_object, action=self.action, index_url=reverse(self.index_url_name)
        )
        return context

    def post(self, request, pk, action):
        moderate(self.post_object, action, request.user)
        if action == "publish":
            messages.success(
                request, _("“%(title)s” is on the forum.") % {"title": self.post_object}
            )
        else:
            messages.success(
                request,
                _(
                    "“%(title)s” is archived: it is off the forum and will be deleted after the "
                    "retention period."
                )
                % {"title": self.post_object},
            )
        return redirect(self.index_url_name)


class ForumPostEditView(SnippetEditView):
    """Wagtail's edit view; a status changed in the form is also logged as that moderation
    action (:func:`wagtail_ar.forum.moderation.log_moderation`)."""

    def save_instance(self):
        # The form has already set the new status on the instance: read the stored one.
        previous = (
            type(self.object)
            .objects.filter(pk=self.object.pk)
            .values_list("status", flat=True)
            .first()
        )
        instance = super().save_instance()
        if previous is not None and previous != instance.status:
            log_moderation(
                instance,
                action_for_status(instance.status),
                user=self.request.user,
                previous_status=previous,
            )
        return instance


class ForumPostViewSet(SnippetViewSet):
    """The forum's posts: pending ones first to moderate; publish or archive from each row,
    or edit a post to link it to the cluster that answers it (``answered_by``)."""

    model = ForumPost
    icon = "comment"
    menu_label = _("Forum posts")
    index_view_class = ForumPostIndexView
    edit_view_class = ForumPostEditView
    filterset_class = ForumPostAdminFilterSet
    list_display = ["title", "kind", "status", "forum", "answered_by", "created_at"]
    ordering = ["status", "-created_at"]
    copy_view_enabled = False
    inspect_view_enabled = True

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            moderate_url_name=self.get_url_name("moderate"), **kwargs
        )

    @property
    def moderation_view(self):
        return ForumPostModerationView.as_view(
            permission_policy=self.permission_policy,
            index_url_name=self.get_url_name("list"),
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("moderate/<int:pk>/<slug:action>/", self.moderation_view, name="moderate")
        ]
