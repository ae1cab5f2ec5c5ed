"""The "Amplification Room" admin menu: snippet listings with filters, search, inspect view and
exports; the cluster factsheets listing and its CoP report; choosers; plain-language messages."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.menu import admin_menu
from wagtail.admin.views.mixins import SpreadsheetExportMixin
from wagtail.snippets.widgets import AdminSnippetChooser

from wagtail_ar.geo import parse_point
from wagtail_ar.importers import OrganisationImporter
from wagtail_ar.models import (
    ActivityPage,
    ClusterPage,
    Solution,
    ThematicProject,
    WorkingGroupPage,
)
from wagtail_ar.models.activities import validate_time_zone

from .utils import build_tree, make_organisation

pytestmark = pytest.mark.django_db

# In the order of the menu.
LISTINGS = {
    "clusters": "wagtail_ar_cluster_factsheets:index",
    "organisation": "wagtailsnippets_wagtail_ar_organisation:list",
    "thematicproject": "wagtailsnippets_wagtail_ar_thematicproject:list",
    "solution": "wagtailsnippets_wagtail_ar_solution:list",
    "forumpost": "wagtailsnippets_wagtail_ar_forumpost:list",
}


@pytest.fixture
def tree():
    tree = build_tree()
    tree["lead"].save()  # commits build_tree's thematic_projects.add() (a ParentalManyToManyField)
    return tree


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(body(response).decode("utf-8"), newline="")))


def xlsx_rows(response):
    workbook = openpyxl.load_workbook(io.BytesIO(body(response)))
    return [list(row) for row in workbook.active.iter_rows()]


def listed(response):
    return {str(obj) for obj in response.context["object_list"]}


# The menu ----------------------------------------------------------------------------------


def test_one_menu_holds_the_five_listings(admin_user, tree):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    group = next(
        item for item in admin_menu.menu_items_for_request(request) if item.name == "wagtail_ar"
    )
    assert str(group.label) == "Amplification Room"
    urls = [item.url for item in group.menu.menu_items_for_request(request)]
    assert urls == [reverse(name) for name in LISTINGS.values()]


def test_every_listing_answers_with_export_buttons(admin_client, tree):
    for kind, name in LISTINGS.items():
        response = admin_client.get(reverse(name))
        assert response.status_code == 200, name
        content = response.content.decode()
        if kind == "forumpost":
            # Forum posts hold visitors' personal data (e-mail addresses): never exported.
            assert "export=csv" not in content and "export=xlsx" not in content
        else:
            assert "export=csv" in content and "export=xlsx" in content


# Snippet listings ---------------------------------------------------------------------------


def test_organisations_filter_by_community_role_without_matching_a_longer_code(admin_client, tree):
    make_organisation("Only a TP's AP", roles=("tp_ap",))
    make_organisation("An AP", roles=("ap", "external"))
    url = reverse(LISTINGS["organisation"])
    # "ap" must not match "tp_ap": roles are stored as ",tp_ap," and matched with the commas.
    assert listed(admin_client.get(url, {"community_roles": "ap"})) == {"An AP"}
    assert listed(admin_client.get(url, {"community_roles": ["ap", "pp"]})) == {
        "An AP",
        "Regione Campania",
    }


def test_organisations_filter_by_type_country_project_location_and_status(admin_client, tree):
    make_organisation("Off the map", lat=None, country="MA", organisation_type="ngo", live=False)
    url = reverse(LISTINGS["organisation"])
    assert listed(admin_client.get(url, {"country": "TN"})) == {"Université de Tunis"}
    assert listed(admin_client.get(url, {"organisation_type": "ngo"})) == {"Off the map"}
    assert listed(admin_client.get(url, {"thematic_projects": tree["project"].pk})) == {
        "Regione Campania"
    }
    assert "Off the map" not in listed(admin_client.get(url, {"has_location": "true"}))
    assert listed(admin_client.get(url, {"has_location": "false"})) == {"Off the map"}
    assert listed(admin_client.get(url, {"live": "false"})) == {"Off the map"}
    # Only the countries in use are offered.
    choices = admin_client.get(url).context["filters"].form.fields["country"].choices
    assert {code for code, _name in choices} == {"IT", "MA", "TN"}


def test_organisations_search_by_part_of_a_name_acronym_or_city(admin_client, tree):
    url = reverse(LISTINGS["organisation"])
    assert listed(admin_client.get(url, {"q": "napol"})) == {"Regione Campania"}
    assert listed(admin_client.get(url, {"q": "tunis"})) == {"Université de Tunis"}


def test_solutions_and_thematic_projects_filter(admin_client, tree):
    other = ThematicProject.objects.create(acronym="Artemis", name="Artemis", live=False)
    Solution.objects.create(
        title="Forest guidelines",
        thematic_project=other,
        solution_type="guidelines",
        summary="Guidelines.",
        transfer_levels=["national", "international"],
    )
    url = reverse(LISTINGS["solution"])
    assert listed(admin_client.get(url, {"transfer_levels": "national"})) == {"Forest guidelines"}
    assert listed(admin_client.get(url, {"thematic_project": tree["project"].pk})) == {
        "Seagrass monitoring protocol"
    }
    assert listed(admin_client.get(url, {"solution_type": "guidelines"})) == {"Forest guidelines"}
    assert listed(admin_client.get(url, {"q": "artemis"})) == {"Forest guidelines"}
    projects = reverse(LISTINGS["thematicproject"])
    assert listed(admin_client.get(projects, {"live": "false"})) == {"Artemis"}
    assert listed(admin_client.get(projects, {"q": "MPA4"})) == {"MPA4Change"}


def test_inspect_views_show_the_snippet(admin_client, tree):
    for model_name, obj, text in (
        ("organisation", tree["lead"], "Napoli"),
        ("thematicproject", tree["project"], "Marine protected areas for change"),
        ("solution", tree["solution"], "A protocol."),
    ):
        url = reverse(f"wagtailsnippets_wagtail_ar_{model_name}:inspect", args=[obj.pk])
        response = admin_client.get(url)
        assert response.status_code == 200
        assert text in response.content.decode()


def test_snippet_exports_use_the_import_columns_in_csv_and_xlsx(admin_client, tree):
    url = reverse(LISTINGS["organisation"])
    rows = csv_rows(admin_client.get(url, {"export": "csv", "country": "IT"}))
    assert rows[0] == OrganisationImporter.column_names()
    assert rows[1:] == [
        [
            "Regione Campania",
            "",
            "other",
            "pp",
            "IT",
            "Napoli",
            "",
            "40.85",
            "14.25",
            "",
            "",
            "MPA4Change",
        ]
    ]
    response = admin_client.get(url, {"export": "xlsx"})
    assert response["Content-Disposition"].endswith('organisations.xlsx"')
    sheet = xlsx_rows(response)
    assert [c.value for c in sheet[0]] == OrganisationImporter.column_names()
    assert len(sheet) == 3
    assert sheet[1][7].value == 40.85  # a number stays a number in XLSX
    solutions = csv_rows(admin_client.get(reverse(LISTINGS["solution"]), {"export": "csv"}))
    assert solutions[1][:2] == ["Seagrass monitoring protocol", "MPA4Change"]


def test_wagtail_own_csv_export_does_not_neutralise_formulas():
    """Why SafeSpreadsheetExportMixin exists. Should Wagtail start doing it, drop ours."""
    view = SpreadsheetExportMixin()
    assert view.preprocess_field_value("name", "=1+1", "csv") == "=1+1"


def test_exports_neutralise_spreadsheet_formulas(admin_client, tree):
    make_organisation(
        '=HYPERLINK("http://evil.example","click")',
        acronym="@SUM(1)",
        city="+cmd",
        lat=36.72,
        lng=-4.42,
        description="-2+3",
        address="\tTabbed",
    )
    url = reverse(LISTINGS["organisation"])
    row = next(r for r in csv_rows(admin_client.get(url, {"export": "csv"})) if "HYPERLINK" in r[0])
    columns = OrganisationImporter.column_names()
    assert row[columns.index("name")] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[columns.index("acronym")] == "'@SUM(1)"
    assert row[columns.index("city")] == "'+cmd"
    assert row[columns.index("description")] == "'-2+3"
    assert row[columns.index("address")] == "'\tTabbed"
    assert row[columns.index("longitude")] == "-4.42"  # a number is not a formula
    for line in csv_rows(admin_client.get(url, {"export": "csv"})):
        assert not any(cell[:1] in ("=", "+", "@", "\t", "\r") for cell in line)
    # XLSX: the text is kept as it is, stored as text, never as a formula.
    sheet = xlsx_rows(admin_client.get(url, {"export": "xlsx"}))
    cell = next(r for r in sheet if "HYPERLINK" in str(r[0].value))[0]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")
    # The cluster factsheets report too.
    ClusterPage.objects.filter(pk=tree["cluster"].pk).update(title="=1+2")
    report = csv_rows(admin_client.get(reverse(LISTINGS["clusters"]), {"export": "csv"}))
    assert report[1][0] == "'=1+2"


# Choosers -----------------------------------------------------------------------------------


def test_organisations_are_chosen_with_the_searchable_snippet_chooser(admin_client, tree):
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[tree["cluster"].pk]))
    form = response.context["form"]
    assert isinstance(form.fields["lead_partner"].widget, AdminSnippetChooser)
    participant_form = form.formsets["participants"].empty_form
    assert isinstance(participant_form.fields["organisation"].widget, AdminSnippetChooser)
    chooser = reverse("wagtailsnippetchoosers_wagtail_ar_organisation:choose_results")
    found = admin_client.get(chooser, {"q": "Tunis"})
    assert found.status_code == 200
    assert "Université de Tunis" in found.content.decode()
    assert "Regione Campania" not in found.content.decode()


# Cluster factsheets -------------------------------------------------------------------------


def make_cluster(index, title, category, start, end, lead=None, wg=None):
    cluster = index.add_child(
        instance=ClusterPage(
            title=title,
            category=category,
            summary="Summary.",
            question="Question?",
            objectives="<p>Objectives.</p>",
            start_date=start,
            end_date=end,
            lead_partner=lead,
            working_group=wg,
        )
    )
    return cluster


@pytest.fixture
def clusters(tree):
    today = timezone.localdate()
    index = tree["index"]
    leader = make_organisation("Fondazione CMCC", roles=("tp_partner",))
    wg2 = tree["ar"].add_child(
        instance=WorkingGroupPage(title="WG2", slug="wg2", number=2, theme="Climate")
    )
    day = datetime.timedelta(days=1)
    ClusterPage.objects.filter(pk=tree["cluster"].pk).update(
        start_date=today - 10 * day, end_date=today + 100 * day
    )
    make_cluster(index, "Planned peer review", "peer_review", today + 5 * day, None, leader, wg2)
    make_cluster(index, "Completed thematic", "thematic", today - 90 * day, today - day, leader)
    return {"leader": leader, "wg2": wg2}


def test_cluster_factsheets_filter_by_category_status_working_group_and_lead(
    admin_client, tree, clusters
):
    url = reverse(LISTINGS["clusters"])
    all_titles = {
        "Seagrass meadows of the Adriatic",
        "Planned peer review",
        "Completed thematic",
    }
    assert listed(admin_client.get(url)) == all_titles
    assert listed(admin_client.get(url, {"category": "peer_review"})) == {"Planned peer review"}
    assert listed(admin_client.get(url, {"status": "active"})) == {
        "Seagrass meadows of the Adriatic"
    }
    assert listed(admin_client.get(url, {"status": ["planned", "completed"]})) == {
        "Planned peer review",
        "Completed thematic",
    }
    assert listed(admin_client.get(url, {"working_group": clusters["wg2"].pk})) == {
        "Planned peer review"
    }
    assert listed(admin_client.get(url, {"lead_partner": clusters["leader"].pk})) == {
        "Planned peer review",
        "Completed thematic",
    }
    # Only organisations that lead a cluster are offered as lead partners.
    lead_choices = admin_client.get(url).context["filters"].form.fields["lead_partner"].queryset
    assert set(lead_choices) == {tree["lead"], clusters["leader"]}
    assert listed(admin_client.get(url, {"q": "peer"})) == {"Planned peer review"}


def test_cluster_factsheets_report_for_the_cop(admin_client, tree, clusters):
    url = reverse(LISTINGS["clusters"])
    rows = csv_rows(admin_client.get(url, {"export": "csv", "status": "active"}))
    header, row = rows
    assert header[:7] == [
        "Title",
        "Category",
        "Cluster status",
        "Start date",
        "End date",
        "Lead partner",
        "Working group",
    ]
    record = dict(zip(header, row, strict=True))
    assert record["Title"] == "Seagrass meadows of the Adriatic"
    assert record["Category"] == "Geographical cluster"
    assert record["Cluster status"] == "Active"
    assert record["Lead partner"] == "Regione Campania"
    assert record["Working group"] == "WG1"
    assert record["Participants"] == "Université de Tunis (External partner)"
    assert record["Number of participants"] == "1"
    assert record["Thematic projects"] == "MPA4Change"
    assert record["Expected outcomes"] == "Transference; Adoption"
    assert record["Countries"] == "Croatia; Italy"
    assert record["Published"] == "yes"
    assert record["Address"].endswith("/amplification-room/clusters/seagrass/")
    response = admin_client.get(url, {"export": "xlsx"})
    assert response["Content-Disposition"].endswith('cluster-factsheets.xlsx"')
    sheet = xlsx_rows(response)
    assert len(sheet) == 4
    assert {r[0].value for r in sheet[1:]} == {
        "Seagrass meadows of the Adriatic",
        "Planned peer review",
        "Completed thematic",
    }


def test_cluster_factsheets_export_costs_the_same_queries_for_more_clusters(
    admin_client, tree, clusters
):
    url = reverse(LISTINGS["clusters"])
    body(admin_client.get(url, {"export": "csv"}))  # fills Wagtail's cache of site roots
    with CaptureQueriesContext(connection) as few:
        body(admin_client.get(url, {"export": "csv"}))
    for i in range(5):
        cluster = make_cluster(
            tree["index"], f"More {i}", "thematic", timezone.localdate(), None, tree["lead"]
        )
        cluster.participants.create(organisation=tree["member"], role="external")
        cluster.thematic_projects.add(tree["project"])
    with CaptureQueriesContext(connection) as many:
        body(admin_client.get(url, {"export": "csv"}))
    assert len(many) == len(few)


# Plain-language messages ------------------------------------------------------------------


def test_rules_are_told_in_plain_language(tree):
    cluster = tree["cluster"]
    cluster.end_date = cluster.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc_info:
        cluster.clean()
    assert "cannot end" in exc_info.value.message_dict["end_date"][0]
    assert "check the end date" in exc_info.value.message_dict["end_date"][0]

    cluster.refresh_from_db()
    cluster.lead_partner = make_organisation("Only an AP", roles=("ap",))
    with pytest.raises(ValidationError) as exc_info:
        cluster.clean()
    assert "clusters are led by an M4N partner (PP) or a TP partner" in str(exc_info.value)

    activity = ActivityPage.objects.get(pk=tree["activity"].pk)
    activity.end = activity.start - datetime.timedelta(hours=1)
    with pytest.raises(ValidationError) as exc_info:
        activity.clean()
    assert "cannot end before it starts" in exc_info.value.message_dict["end"][0]

    project = ThematicProject(
        acronym="X",
        name="X",
        start_date=datetime.date(2025, 2, 1),
        end_date=datetime.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="cannot end before it starts"):
        project.clean()

    with pytest.raises(ValidationError, match="Place the marker on the map"):
        parse_point("40.85 14.25")
    with pytest.raises(ValidationError, match="must lie between -90 and 90"):
        parse_point("SRID=4326;POINT(14 95)")
    with pytest.raises(ValidationError, match="Europe/Madrid"):
        validate_time_zone("Mars/Olympus")
