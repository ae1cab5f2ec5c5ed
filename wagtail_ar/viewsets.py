"""Admin viewsets: the "Amplification Room" menu.

It holds the cluster factsheets (a flat listing of every :class:`~wagtail_ar.models.ClusterPage`
with filters and a CSV/XLSX export: the report an editor sends to the CoP) and the package's
snippets (organisations, thematic projects, solutions) with filters, search, an inspect view and
CSV/XLSX exports whose columns are those of ``manage.py ar_import`` (see
:mod:`wagtail_ar.importers`), so that an exported file imports back unchanged. The forum's posts
are in the menu too; their viewset is in :mod:`wagtail_ar.forum.viewsets`.

The group is registered in :mod:`wagtail_ar.wagtail_hooks`. Every class here may be subclassed:
``SafeSpreadsheetExportMixin`` makes any Wagtail listing's CSV export safe from spreadsheet
formulas, and ``CLUSTER_EXPORT_COLUMNS`` lists the columns of the cluster factsheets report.
"""

from django import forms
from django.db.models import Q
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters import (
    BooleanFilter,
    DateFromToRangeFilter,
    ModelMultipleChoiceFilter,
    MultipleChoiceFilter,
)
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, LiveStatusTagColumn, UpdatedAtColumn
from wagtail.admin.views.pages.listing import IndexView as PageIndexView
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.viewsets.pages import PageListingViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .dashboard import editable_pages
from .fields import countries_in_use, country_choices, has_choice
from .forum.viewsets import ForumPostViewSet
from .importers import (
    OrganisationImporter,
    SolutionImporter,
    ThematicProjectImporter,
    neutralise_formula,
)
from .imports.views import (
    ImportConfirmView,
    ImportJobView,
    ImportStatusView,
    ImportUploadView,
    user_may_import,
)
from .models import (
    ClusterCategory,
    ClusterPage,
    ClusterStatus,
    CommunityRole,
    Organisation,
    OrganisationType,
    Solution,
    SolutionType,
    ThematicProject,
    TransferLevel,
    WorkingGroupPage,
)
from .visibility import visible

# Exports -----------------------------------------------------------------------------------


class SafeSpreadsheetExportMixin:
    """Wagtail's spreadsheet export, with CSV cells that spreadsheets will not run as formulas.

    Wagtail's XLSX export already stores text such as ``=HYPERLINK(…)`` as text; its CSV
    export writes it as it is. Every CSV cell goes through
    :func:`wagtail_ar.importers.neutralise_formula` here.
    """

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV:
            return neutralise_formula(value)
        return value


class ImportableExportMixin(SafeSpreadsheetExportMixin):
    """Exports the columns of ``importer_class``, headed by their import names."""

    importer_class = None

    def to_row_dict(self, item):
        return self.importer_class.export_row(item)

    def get_heading(self, queryset, field):
        return field


class ImportableSnippetIndexView(ImportableExportMixin, SnippetIndexView):
    """The listing, its export, and an "Import" button for users who may add and change."""

    import_url_name = None

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.import_url_name and user_may_import(self.model, self.request.user):
            buttons.append(
                HeaderButton(
                    _("Import"), url=reverse(self.import_url_name), icon_name="upload", priority=20
                )
            )
        return buttons

    def get_base_queryset(self):
        queryset = super().get_base_queryset()
        if self.is_export:
            queryset = queryset.prefetch_related(*self.importer_class.export_prefetch())
        return queryset


class ImportableSnippetViewSet(SnippetViewSet):
    """A snippet viewset whose export is the import format of ``importer_class``, with the
    admin import's views (:mod:`wagtail_ar.imports`) under ``import/``; replace them through
    the ``import_*_view_class`` attributes."""

    index_view_class = ImportableSnippetIndexView
    importer_class = None
    inspect_view_enabled = True
    import_view_class = ImportUploadView
    import_job_view_class = ImportJobView
    import_status_view_class = ImportStatusView
    import_confirm_view_class = ImportConfirmView

    @property
    def list_export(self):
        return self.importer_class.column_names()

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            importer_class=self.importer_class,
            import_url_name=self.get_url_name("import"),
            import_job_url_name=self.get_url_name("import_job"),
            import_status_url_name=self.get_url_name("import_status"),
            import_confirm_url_name=self.get_url_name("import_confirm"),
            **kwargs,
        )

    def get_urlpatterns(self):
        views = (
            ("import/", self.import_view_class, "import"),
            ("import/<uuid:job_id>/", self.import_job_view_class, "import_job"),
            ("import/<uuid:job_id>/status/", self.import_status_view_class, "import_status"),
            ("import/<uuid:job_id>/confirm/", self.import_confirm_view_class, "import_confirm"),
        )
        return super().get_urlpatterns() + [
            path(route, self.construct_view(view_class), name=name)
            for route, view_class, name in views
        ]


# Snippets ----------------------------------------------------------------------------------


def filter_by_choices(field_name):
    """A FilterSet method for a :class:`~wagtail_ar.fields.MultipleChoiceField`: any of the values."""

    def method(self, queryset, name, value):
        if not value:
            return queryset
        query = Q()
        for choice in value:
            query |= has_choice(field_name, choice)
        return queryset.filter(query)

    return method


def organisation_countries():
    return country_choices(countries_in_use(Organisation.objects.all()))


class OrganisationAdminFilterSet(WagtailFilterSet):
    organisation_type = MultipleChoiceFilter(
        label=_("Organisation type"),
        choices=OrganisationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    community_roles = MultipleChoiceFilter(
        label=_("Community role"),
        choices=CommunityRole.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_community_roles",
    )
    country = MultipleChoiceFilter(
        label=_("Country"), choices=organisation_countries, widget=forms.CheckboxSelectMultiple
    )
    thematic_projects = ModelMultipleChoiceFilter(
        label=_("Thematic project"),
        queryset=ThematicProject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        distinct=True,
    )
    has_location = BooleanFilter(
        label=_("On the map"), field_name="latitude", lookup_expr="isnull", exclude=True
    )
    live = BooleanFilter(label=_("Published"))

    filter_community_roles = filter_by_choices("community_roles")

    class Meta:
        model = Organisation
        fields = []


class ThematicProjectFilterSet(WagtailFilterSet):
    start_date = DateFromToRangeFilter(label=_("Start date"), widget=DateRangePickerWidget)
    end_date = DateFromToRangeFilter(label=_("End date"), widget=DateRangePickerWidget)
    live = BooleanFilter(label=_("Published"))

    class Meta:
        model = ThematicProject
        fields = []


class SolutionFilterSet(WagtailFilterSet):
    solution_type = MultipleChoiceFilter(
        label=_("Solution type"), choices=SolutionType.choices, widget=forms.CheckboxSelectMultiple
    )
    thematic_project = ModelMultipleChoiceFilter(
        label=_("Thematic project"),
        queryset=ThematicProject.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    transfer_levels = MultipleChoiceFilter(
        label=_("Transfer level"),
        choices=TransferLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_transfer_levels",
    )
    live = BooleanFilter(label=_("Published"))

    filter_transfer_levels = filter_by_choices("transfer_levels")

    class Meta:
        model = Solution
        fields = []


class OrganisationViewSet(ImportableSnippetViewSet):
    model = Organisation
    importer_class = OrganisationImporter
    icon = "group"
    menu_label = _("Organisations")
    list_display = [
        "name",
        "acronym",
        "organisation_type",
        "country",
        "city",
        UpdatedAtColumn(),
        LiveStatusTagColumn(),
    ]
    filterset_class = OrganisationAdminFilterSet
    # Plain database search: finds a part of a name, an acronym or a city on every backend.
    search_backend_name = None
    search_fields = ["name", "acronym", "city"]
    export_filename = "organisations"


class ThematicProjectViewSet(ImportableSnippetViewSet):
    model = ThematicProject
    importer_class = ThematicProjectImporter
    icon = "folder-open-inverse"
    menu_label = _("Thematic projects")
    list_display = [
        "acronym",
        "name",
        "start_date",
        "end_date",
        UpdatedAtColumn(),
        LiveStatusTagColumn(),
    ]
    filterset_class = ThematicProjectFilterSet
    search_backend_name = None
    search_fields = ["acronym", "name"]
    export_filename = "thematic-projects"


class SolutionViewSet(ImportableSnippetViewSet):
    model = Solution
    importer_class = SolutionImporter
    icon = "tick-inverse"
    menu_label = _("Solutions")
    list_display = [
        "title",
        "thematic_project",
        "solution_type",
        UpdatedAtColumn(),
        LiveStatusTagColumn(),
    ]
    filterset_class = SolutionFilterSet
    search_backend_name = None
    search_fields = ["title", "summary", "thematic_project__acronym"]
    export_filename = "solutions"


# Cluster factsheets ------------------------------------------------------------------------


def cluster_leaders(request):
    """The lead partners to filter by: published organisations, and the unpublished ones too
    for a user who may edit organisations (an editor without that right must not read them)."""
    leaders = Organisation.objects.filter(
        pk__in=ClusterPage.objects.exclude(lead_partner=None).values("lead_partner")
    )
    if request is not None and request.user.has_perm("wagtail_ar.change_organisation"):
        return leaders
    return leaders.filter(live=True)


def working_group_choices(request):
    """The working groups to filter by: those visitors may see, and those the user may edit
    (drafts included); never the title of a draft the user has no right to."""
    groups = WorkingGroupPage.objects.order_by("number", "title")
    if request is None:
        return visible(groups)
    return visible(groups) | editable_pages(request.user, groups)


class ClusterFactsheetFilterSet(PageFilterSet):
    """Wagtail's page filters, plus category, status (from the dates), WG and lead partner."""

    category = MultipleChoiceFilter(
        label=_("Category"), choices=ClusterCategory.choices, widget=forms.CheckboxSelectMultiple
    )
    status = MultipleChoiceFilter(
        label=_("Cluster status"),
        choices=ClusterStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        method="filter_status",
    )
    working_group = ModelMultipleChoiceFilter(
        label=_("Working group"),
        queryset=working_group_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    lead_partner = ModelMultipleChoiceFilter(
        label=_("Lead partner"), queryset=cluster_leaders, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ClusterPage
        fields = []

    def filter_status(self, queryset, name, value):
        """Status follows from the dates: ``ClusterPage.objects.with_status``."""
        if not value:
            return queryset
        today = timezone.localdate()
        matching = None
        for status in value:
            part = queryset.with_status(status, today=today)
            matching = part if matching is None else matching | part
        return matching


def _join(values):
    return "; ".join(str(v) for v in values if v)


#: ``(column, heading, value)`` of the cluster factsheets export, in order.
CLUSTER_EXPORT_COLUMNS = (
    ("title", _("Title"), lambda c: c.title),
    ("category", _("Category"), lambda c: c.get_category_display()),
    ("status", _("Cluster status"), lambda c: c.get_status_display()),
    ("start_date", _("Start date"), lambda c: c.start_date),
    ("end_date", _("End date"), lambda c: c.end_date),
    ("lead_partner", _("Lead partner"), lambda c: str(c.lead_partner or "")),
    (
        "working_group",
        _("Working group"),
        lambda c: c.working_group.code if c.working_group else "",
    ),
    (
        "participants",
        _("Participants"),
        lambda c: _join(f"{p.organisation} ({p.get_role_display()})" for p in c.participants.all()),
    ),
    ("participant_count", _("Number of participants"), lambda c: len(c.participants.all())),
    (
        "thematic_projects",
        _("Thematic projects"),
        lambda c: _join(sorted(p.acronym for p in c.thematic_projects.all())),
    ),
    (
        "expected_outcomes",
        _("Expected outcomes"),
        lambda c: _join(
            dict(c._meta.get_field("expected_outcomes").flatchoices).get(v, v)
            for v in c.expected_outcomes
        ),
    ),
    ("transfer_level", _("Transfer level"), lambda c: c.get_transfer_level_display()),
    ("countries", _("Countries"), lambda c: _join(country.name for country in c.countries)),
    ("published", _("Published"), lambda c: _("yes") if c.live else _("no")),
    ("url", _("Address"), lambda c: c.full_url or ""),
)


class ClusterFactsheetIndexView(SafeSpreadsheetExportMixin, PageIndexView):
    export_columns = CLUSTER_EXPORT_COLUMNS

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("lead_partner", "working_group", for_specific_subqueries=True)
            .prefetch_related(
                "participants__organisation", "thematic_projects", for_specific_subqueries=True
            )
        )

    def to_row_dict(self, item):
        return {name: value(item) for name, _heading, value in self.export_columns}

    def get_heading(self, queryset, field):
        return str({n: h for n, h, _v in self.export_columns}[field])


class ClusterFactsheetViewSet(PageListingViewSet):
    """Every cluster factsheet the user may see, wherever it sits in the page tree."""

    model = ClusterPage
    name = "wagtail_ar_cluster_factsheets"
    url_prefix = "wagtail_ar/cluster-factsheets"
    icon = "clipboard-list"
    menu_label = _("Cluster factsheets")
    index_view_class = ClusterFactsheetIndexView
    filterset_class = ClusterFactsheetFilterSet
    columns = PageListingViewSet.columns + [
        Column(
            "category",
            label=_("Category"),
            accessor="get_category_display",
            sort_key="category",
        ),
        Column("cluster_status", label=_("Cluster status"), accessor="get_status_display"),
        DateColumn("start_date", label=_("Start date"), sort_key="start_date"),
        DateColumn("end_date", label=_("End date"), sort_key="end_date"),
        Column("lead_partner", label=_("Lead partner"), accessor=lambda c: c.lead_partner or ""),
        Column(
            "working_group",
            label=_("Working group"),
            accessor=lambda c: c.working_group.code if c.working_group else "",
        ),
    ]
    list_export = [name for name, _heading, _value in CLUSTER_EXPORT_COLUMNS]
    export_filename = "cluster-factsheets"


# The menu ----------------------------------------------------------------------------------


class AmplificationRoomViewSetGroup(SnippetViewSetGroup):
    items = (
        ClusterFactsheetViewSet,
        OrganisationViewSet,
        ThematicProjectViewSet,
        SolutionViewSet,
        ForumPostViewSet,
    )
    menu_icon = "globe"
    menu_label = _("Amplification Room")
    menu_name = "wagtail_ar"
