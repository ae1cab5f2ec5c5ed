"""``ModelAdmin`` classes for the Amplification Room, for sites built on wagtail-modeladmin.

Nothing here is registered. Place the classes in your own group, in your ``wagtail_hooks.py``::

    from wagtail_modeladmin.options import ModelAdminGroup, modeladmin_register
    from wagtail_ar.contrib.modeladmin.options import (
        ClusterPageAdmin, OrganisationAdmin, SolutionAdmin, ThematicProjectAdmin,
    )

    @modeladmin_register
    class MissionAdminGroup(ModelAdminGroup):
        menu_label = "Mission"
        items = (ClusterPageAdmin, OrganisationAdmin, ThematicProjectAdmin, SolutionAdmin)

or register :class:`AmplificationRoomAdminGroup` as it is. The exports are the ones of the
native admin: the snippets' columns are those of ``manage.py ar_import``, and CSV cells are
safe from spreadsheet formulas.
"""

try:
    from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
    from wagtail_modeladmin.views import IndexView
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError(
        "wagtail_ar.contrib.modeladmin needs wagtail-modeladmin: "
        'pip install "wagtail-amplification-room[modeladmin]"'
    ) from exc

from django.contrib.admin import SimpleListFilter
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ...dashboard import editable_pages
from ...fields import has_choice
from ...importers import OrganisationImporter, SolutionImporter, ThematicProjectImporter
from ...models import (
    ClusterPage,
    ClusterStatus,
    CommunityRole,
    Organisation,
    Solution,
    ThematicProject,
    TransferLevel,
)
from ...viewsets import CLUSTER_EXPORT_COLUMNS, SafeSpreadsheetExportMixin


class AmplificationRoomIndexView(SafeSpreadsheetExportMixin, IndexView):
    """modeladmin's listing, exporting the rows its ``ModelAdmin`` describes."""

    def to_row_dict(self, item):
        return self.model_admin.export_row(item)

    def get_heading(self, queryset, field):
        return self.model_admin.export_heading(field)


class AmplificationRoomModelAdmin(ModelAdmin):
    """Exports ``export_columns``: ``(column, heading, value(obj))`` triples.

    Subclasses with an ``importer_class`` export that importer's columns instead, headed by
    their import names.
    """

    index_view_class = AmplificationRoomIndexView
    inspect_view_enabled = True
    importer_class = None
    export_columns = ()
    export_prefetch = ()

    def get_list_export(self, request):
        if self.importer_class is not None:
            return self.importer_class.column_names()
        return [name for name, _heading, _value in self.export_columns]

    def export_row(self, obj):
        if self.importer_class is not None:
            return self.importer_class.export_row(obj)
        return {name: value(obj) for name, _heading, value in self.export_columns}

    def export_heading(self, field):
        if self.importer_class is not None:
            return field
        return str({name: heading for name, heading, _value in self.export_columns}[field])

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        prefetch = self.export_prefetch
        if self.importer_class is not None:
            prefetch = self.importer_class.export_prefetch()
        return queryset.prefetch_related(*prefetch) if prefetch else queryset


class MultipleChoiceListFilter(SimpleListFilter):
    """Filters a :class:`~wagtail_ar.fields.MultipleChoiceField` by one of its values."""

    field_name = None
    #: ``[(value, label), …]``; not named ``choices``, a method of SimpleListFilter.
    field_choices = ()

    def lookups(self, request, model_admin):
        return self.field_choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(has_choice(self.field_name, self.value()))
        return queryset


class CommunityRoleListFilter(MultipleChoiceListFilter):
    title = _("community role")
    parameter_name = "community_role"
    field_name = "community_roles"
    field_choices = CommunityRole.choices


class TransferLevelListFilter(MultipleChoiceListFilter):
    title = _("transfer level")
    parameter_name = "transfer_level"
    field_name = "transfer_levels"
    field_choices = TransferLevel.choices


class ClusterStatusListFilter(SimpleListFilter):
    """Planned, active or completed: from the dates (``ClusterPage.objects.with_status``)."""

    title = _("cluster status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return ClusterStatus.choices

    def queryset(self, request, queryset):
        if self.value() in ClusterStatus.values:
            return queryset.with_status(self.value(), today=timezone.localdate())
        return queryset


class OrganisationAdmin(AmplificationRoomModelAdmin):
    model = Organisation
    importer_class = OrganisationImporter
    menu_icon = "group"
    menu_label = _("Organisations")
    list_display = ("name", "acronym", "organisation_type", "country", "city", "live")
    list_filter = ("organisation_type", CommunityRoleListFilter, "country", "live")
    search_fields = ("name", "acronym", "city")
    export_filename = "organisations"


class ThematicProjectAdmin(AmplificationRoomModelAdmin):
    model = ThematicProject
    importer_class = ThematicProjectImporter
    menu_icon = "folder-open-inverse"
    menu_label = _("Thematic projects")
    list_display = ("acronym", "name", "start_date", "end_date", "live")
    list_filter = ("live",)
    search_fields = ("acronym", "name")
    export_filename = "thematic-projects"


class SolutionAdmin(AmplificationRoomModelAdmin):
    model = Solution
    importer_class = SolutionImporter
    menu_icon = "tick-inverse"
    menu_label = _("Solutions")
    list_display = ("title", "thematic_project", "solution_type", "live")
    list_filter = ("solution_type", "thematic_project", TransferLevelListFilter, "live")
    search_fields = ("title", "summary")
    export_filename = "solutions"


class ClusterPageAdmin(AmplificationRoomModelAdmin):
    """Every cluster factsheet; editing happens in Wagtail's page editor."""

    model = ClusterPage
    menu_icon = "clipboard-list"
    menu_label = _("Cluster factsheets")
    list_display = ("title", "category", "cluster_status", "start_date", "end_date", "lead_partner")
    list_filter = ("category", ClusterStatusListFilter, "working_group", "lead_partner")
    list_select_related = ("lead_partner", "working_group")
    search_fields = ("title", "summary")
    export_columns = CLUSTER_EXPORT_COLUMNS
    export_prefetch = ("participants__organisation", "thematic_projects")
    export_filename = "cluster-factsheets"

    def get_queryset(self, request):
        # modeladmin lists page models to anyone who may open the admin (its page permission
        # helper always allows the list): only the factsheets this user may edit are shown and
        # exported, drafts included.
        return editable_pages(request.user, super().get_queryset(request))

    @staticmethod
    def cluster_status(obj):
        return obj.get_status_display()

    cluster_status.short_description = _("cluster status")


class AmplificationRoomAdminGroup(ModelAdminGroup):
    """All of the above under one menu item; register it with ``modeladmin_register``."""

    menu_label = _("Amplification Room")
    menu_icon = "globe"
    items = (ClusterPageAdmin, OrganisationAdmin, ThematicProjectAdmin, SolutionAdmin)
