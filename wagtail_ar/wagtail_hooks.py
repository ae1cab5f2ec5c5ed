"""Wagtail hooks: the "Amplification Room" admin menu, the dashboard panel, the forum's
moderation (its audit-log actions and bulk actions), and the refusal of oversize query strings
on the package's pages."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .dashboard import AmplificationRoomPanel
from .forum.bulk_actions import ArchiveForumPostsBulkAction, PublishForumPostsBulkAction
from .forum.moderation import register_moderation_log_actions
from .viewsets import AmplificationRoomViewSetGroup

register_snippet(AmplificationRoomViewSetGroup)

hooks.register("register_log_actions", register_moderation_log_actions)
hooks.register("register_bulk_action", PublishForumPostsBulkAction)
hooks.register("register_bulk_action", ArchiveForumPostsBulkAction)


@hooks.register("before_serve_page")
def refuse_oversize_query(page, request, serve_args, serve_kwargs):
    """A 400 for an absurd query string on a page of the package, before any work is done."""
    from .listing import query_string_error
    from .models.mixins import BasePage

    if isinstance(page, BasePage):
        return query_string_error(request)
    return None


@hooks.register("construct_homepage_panels")
def add_amplification_room_panel(request, panels):
    panels.append(AmplificationRoomPanel(request))
