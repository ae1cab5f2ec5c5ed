"""Wagtail hooks: the "Amplification Room" admin menu and the dashboard panel."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet

from .dashboard import AmplificationRoomPanel
from .viewsets import AmplificationRoomViewSetGroup

register_snippet(AmplificationRoomViewSetGroup)


@hooks.register("construct_homepage_panels")
def add_amplification_room_panel(request, panels):
    panels.append(AmplificationRoomPanel(request))
