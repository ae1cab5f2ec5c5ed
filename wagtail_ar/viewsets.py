"""Admin viewsets: the "Amplification Room" menu with the package's snippets."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Organisation, Solution, ThematicProject


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("Organisations")
    list_display = ["name", "acronym", "organisation_type", "country", "city"]
    list_filter = ["organisation_type", "country", "live"]
    search_fields = ["name", "acronym", "city"]
    inspect_view_enabled = True


class ThematicProjectViewSet(SnippetViewSet):
    model = ThematicProject
    icon = "folder-open-inverse"
    menu_label = _("Thematic projects")
    list_display = ["acronym", "name", "start_date", "end_date"]
    search_fields = ["acronym", "name"]
    inspect_view_enabled = True


class SolutionViewSet(SnippetViewSet):
    model = Solution
    icon = "tick-inverse"
    menu_label = _("Solutions")
    list_display = ["title", "thematic_project", "solution_type"]
    list_filter = ["solution_type", "thematic_project"]
    search_fields = ["title", "summary"]
    inspect_view_enabled = True


class AmplificationRoomViewSetGroup(SnippetViewSetGroup):
    items = (OrganisationViewSet, ThematicProjectViewSet, SolutionViewSet)
    menu_icon = "globe"
    menu_label = _("Amplification Room")
    menu_name = "wagtail_ar"
