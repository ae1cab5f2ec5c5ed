"""``manage.py ar_import``: good rows, bad rows, wrong headers, empty and non-UTF-8 files, dry
runs, idempotence, and the admin's CSV export imported back unchanged."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from wagtail.models import Revision

from wagtail_ar.importers import (
    IMPORTERS,
    ImportRefused,
    OrganisationImporter,
    neutralise_formula,
    restore_formula,
)
from wagtail_ar.management.commands.ar_import import Command as ImportCommand
from wagtail_ar.models import Organisation, Solution, ThematicProject

pytestmark = pytest.mark.django_db

ORG_HEADER = (
    "name,acronym,organisation_type,community_roles,country,city,address,latitude,longitude,"
    "website,description,thematic_projects"
)


@pytest.fixture
def projects():
    return [
        ThematicProject.objects.create(acronym="MPA4Change", name="MPAs for change"),
        ThematicProject.objects.create(acronym="Artemis", name="Artemis"),
    ]


def write(tmp_path, text, name="file.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def run_import(kind, path, *args):
    out, err = StringIO(), StringIO()
    call_command("ar_import", kind, str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(kind, path, *args):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported") as exc_info:
        call_command("ar_import", kind, str(path), *args, stdout=StringIO(), stderr=err)
    return err.getvalue(), str(exc_info.value)


def revision_count():
    return Revision.objects.count()


GOOD_ORGS = f"""{ORG_HEADER}
Regione Campania,,public_authority,pp;tp_partner,IT,Napoli,"Via S. Lucia 81, Napoli",40.85,14.25,https://www.regione.campania.it,"Region; coastal, ""blue"" economy",MPA4Change;Artemis
Université de Tunis,UT,research,external,TN,Tunis,,36.81,10.18,,,
Parc national de Port-Cros,PNPC,Protected area management body,AP,FR,Hyères,,,,,,MPA4Change
"""


def test_good_rows_are_created_published_and_reported(tmp_path, projects):
    out, err = run_import("organisations", write(tmp_path, GOOD_ORGS))
    assert "Organisations: 3 created, 0 updated, 0 unchanged." in out
    assert "3/3 rows" in err  # the progress bar
    campania = Organisation.objects.get(name="Regione Campania")
    assert campania.live and campania.latest_revision is not None
    assert campania.community_roles == ["pp", "tp_partner"]
    assert campania.country.code == "IT"
    assert (campania.latitude, campania.longitude) == (40.85, 14.25)
    assert campania.location == "SRID=4326;POINT(14.25 40.85)"
    assert campania.description == 'Region; coastal, "blue" economy'
    assert {p.acronym for p in campania.thematic_projects.all()} == {"MPA4Change", "Artemis"}
    # A label is understood as well as a code, in any case.
    port_cros = Organisation.objects.get(acronym="PNPC")
    assert port_cros.organisation_type == "protected_area"
    assert port_cros.community_roles == ["ap"]
    assert port_cros.location == "" and port_cros.latitude is None


def test_importing_the_same_file_twice_changes_nothing(tmp_path, projects):
    path = write(tmp_path, GOOD_ORGS)
    run_import("organisations", path)
    revisions = revision_count()
    out, _err = run_import("organisations", path)
    assert "0 created, 0 updated, 3 unchanged" in out
    assert Organisation.objects.count() == 3
    assert revision_count() == revisions


def test_a_changed_row_updates_and_republishes(tmp_path, projects):
    run_import("organisations", write(tmp_path, GOOD_ORGS))
    campania = Organisation.objects.get(name="Regione Campania")
    first_revision = campania.latest_revision_id
    changed = GOOD_ORGS.replace("Napoli,", "Naples,", 1).replace(",40.85,14.25,", ",40.9,14.3,")
    out, _err = run_import("organisations", write(tmp_path, changed, "changed.csv"))
    assert "0 created, 1 updated, 2 unchanged" in out
    campania.refresh_from_db()
    assert campania.city == "Naples"
    assert (campania.latitude, campania.longitude) == (40.9, 14.3)
    assert campania.latest_revision_id != first_revision and campania.live
    assert not campania.has_unpublished_changes


def test_natural_key_is_name_and_country(tmp_path, projects):
    rows = f"{ORG_HEADER}\nRegional Council,,,pp,GR,,,,,,,\nregional council,,,pp,HR,,,,,,,\n"
    out, _err = run_import("organisations", write(tmp_path, rows))
    assert "2 created" in out


def test_bad_rows_are_each_reported_and_nothing_is_saved(tmp_path, projects):
    text = f"""{ORG_HEADER}
Good organisation,,ngo,pp,IT,,,,,,,
Bad role,,ngo,pp;king,IT,,,,,,,
Bad country,,ngo,pp,Atlantis,,,,,,,
Bad website,,ngo,pp,IT,,,,,htp//nowhere,,
Bad latitude,,ngo,pp,IT,,,123,14,,,
Half a point,,ngo,pp,IT,,,40,,,,
Not a number,,ngo,pp,IT,,,forty,14,,,
Unknown project,,ngo,pp,IT,,,,,,,NoSuchTP
Bad type,,queen,pp,IT,,,,,,,
,,ngo,pp,IT,,,,,,,
Good organisation,,ngo,ap,IT,,,,,,,
"""
    err, message = refused("organisations", write(tmp_path, text))
    assert "10 problem(s)" in message
    expected = [
        "Row 3, column “community_roles”: “king” is not one of the choices",
        "Row 4, column “country”: “Atlantis” is not a country",
        "Row 5, column “website”: “htp//nowhere” is not a web address",
        "Row 6, column “latitude”: The latitude 123.0 is out of range",
        "Row 7, column “longitude”: Give both latitude and longitude",
        "Row 8, column “latitude”: “forty” is not a number",
        "Row 9, column “thematic_projects”: There is no thematic project with the acronym “NoSuchTP”",
        "Row 10, column “organisation_type”: “queen” is not one of the choices",
        "Row 11, column “name”: This field cannot be blank.",
        "Row 12: It is the same organisation as row 2",
    ]
    for line in expected:
        assert line in err, line
    assert not Organisation.objects.exists()
    assert revision_count() == 0


def test_a_too_long_value_is_reported_with_its_column(tmp_path, projects):
    long_name = "x" * 300
    err, _message = refused(
        "organisations", write(tmp_path, f"{ORG_HEADER}\n{long_name},,ngo,pp,IT,,,,,,,\n")
    )
    assert "Row 2, column “name”: Ensure this value has at most 255 characters" in err
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("nom,pays", "Unknown columns in the header: “nom”, “pays”."),
        ("acronym,city", "Columns missing from the header: “name”, “country”."),
        ("name,country,name", "Columns named twice in the header: “name”."),
        ("name,country,latitude", "The columns “latitude” and “longitude” go together"),
    ],
)
def test_a_wrong_header_is_refused(tmp_path, header, expected):
    err, _message = refused("organisations", write(tmp_path, f"{header}\nx,y,z\n"))
    assert expected in err
    assert "may have these columns, in any order: name, acronym, organisation_type" in err
    assert not Organisation.objects.exists()


def test_a_header_may_name_a_subset_of_columns_and_the_others_are_kept(tmp_path, projects):
    run_import("organisations", write(tmp_path, GOOD_ORGS))
    out, _err = run_import(
        "organisations", write(tmp_path, "Name,Country,City\nRegione Campania,IT,Salerno\n", "f2")
    )
    assert "0 created, 1 updated, 0 unchanged" in out
    campania = Organisation.objects.get(name="Regione Campania")
    assert campania.city == "Salerno"
    assert campania.website == "https://www.regione.campania.it"  # not in the file: kept


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_refused(tmp_path, content):
    err, _message = refused("organisations", write(tmp_path, content))
    assert "The file is empty" in err


def test_a_file_with_a_header_only_is_refused(tmp_path):
    err, _message = refused("organisations", write(tmp_path, ORG_HEADER + "\n"))
    assert "no rows to import" in err


def test_a_non_utf8_file_is_refused_and_nothing_saved(tmp_path, projects):
    err, _message = refused("organisations", write(tmp_path, GOOD_ORGS, encoding="latin-1"))
    assert "The file is not UTF-8 text" in err and "CSV UTF-8" in err
    assert not Organisation.objects.exists()


def test_a_file_with_a_byte_order_mark_is_read(tmp_path, projects):
    out, _err = run_import("organisations", write(tmp_path, GOOD_ORGS, encoding="utf-8-sig"))
    assert "3 created" in out


def test_a_semicolon_separated_file_is_read(tmp_path, projects):
    text = (
        'name;country;community_roles;thematic_projects\nRegione Campania;IT;"pp;ap";MPA4Change\n'
    )
    out, _err = run_import("organisations", write(tmp_path, text))
    assert "1 created" in out
    assert Organisation.objects.get().community_roles == ["pp", "ap"]


def test_too_many_rows_are_refused(tmp_path, projects):
    err, _message = refused("organisations", write(tmp_path, GOOD_ORGS), "--max-rows", "2")
    assert "The file has 3 rows; at most 2 can be imported at once" in err
    assert not Organisation.objects.exists()


def test_a_row_with_the_wrong_number_of_cells_is_refused(tmp_path):
    err, _message = refused("organisations", write(tmp_path, "name,country\nA, B,IT\n"))
    assert "Row 2: It has 3 cells but the header has 2 columns" in err


def test_dry_run_saves_nothing_and_says_what_would_change(tmp_path, projects):
    out, _err = run_import("organisations", write(tmp_path, GOOD_ORGS), "--dry-run")
    assert "Dry run, nothing was saved. Organisations: 3 would be created" in out
    assert not Organisation.objects.exists()
    assert revision_count() == 0


def test_dry_run_reports_bad_rows_too(tmp_path):
    err, _message = refused(
        "organisations", write(tmp_path, f"{ORG_HEADER}\nX,,ngo,king,IT,,,,,,,\n"), "--dry-run"
    )
    assert "Row 2, column “community_roles”" in err


def test_a_draft_stays_a_draft(tmp_path, projects):
    draft = Organisation.objects.create(name="Draft org", country="IT", live=False)
    out, _err = run_import(
        "organisations", write(tmp_path, "name,country,city\nDraft org,IT,Bari\n")
    )
    assert "1 updated" in out
    draft.refresh_from_db()
    assert draft.city == "Bari" and not draft.live


def test_two_stored_organisations_with_the_same_key_are_not_guessed_between(tmp_path):
    Organisation.objects.create(name="Twin", country="IT")
    Organisation.objects.create(name="Twin", country="IT")
    err, _message = refused("organisations", write(tmp_path, "name,country,city\nTwin,IT,Bari\n"))
    assert "2 organisations already have the same name and country" in err


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        call_command("ar_import", "organisations", str(tmp_path / "nope.csv"))


def test_help_documents_every_column():
    help_text = ImportCommand().create_parser("manage.py", "ar_import").format_help()
    for kind, importer in IMPORTERS.items():
        assert kind in help_text
        for name in importer.column_names():
            assert f"\n  {name}" in help_text, name
    assert "pp, c4n, d4n, tp_partner, ap, tp_ap, external" in help_text


# Thematic projects and solutions -----------------------------------------------------------


def test_thematic_projects_import_and_date_rules(tmp_path):
    good = (
        "acronym,name,website,summary,start_date,end_date\n"
        "Artemis,Artemis project,https://artemis.interreg-euro-med.eu,Forests,2024-01-01,2026-12-31\n"
        "Germ of Life,Germ of Life,,,,\n"
    )
    out, _err = run_import("thematic_projects", write(tmp_path, good))
    assert "Thematic projects: 2 created" in out
    artemis = ThematicProject.objects.get(acronym="Artemis")
    assert str(artemis.end_date) == "2026-12-31"

    bad = (
        "acronym,name,start_date,end_date\n"
        "Late,Late project,2025-02-01,2025-01-01\n"
        "Slashed,Slashed dates,01/02/2025,\n"
    )
    err, _message = refused("thematic_projects", write(tmp_path, bad, "bad.csv"))
    assert "Row 2, column “end_date”: The project cannot end before it starts" in err
    assert "Row 3, column “start_date”: “01/02/2025” is not a date: write it as YYYY-MM-DD" in err
    assert ThematicProject.objects.count() == 2


def test_solutions_are_matched_by_title_and_thematic_project(tmp_path, projects):
    text = (
        "title,thematic_project,solution_type,summary,transfer_levels,tags,link\n"
        "Monitoring protocol,MPA4Change,methodology,A protocol.,local;regional,seagrass;MPA,\n"
        "Monitoring protocol,Artemis,tool,Another one.,national,,https://example.org\n"
        "Stray solution,,other,No project.,,,\n"
    )
    out, _err = run_import("solutions", write(tmp_path, text))
    assert "Solutions: 3 created" in out
    solution = Solution.objects.get(thematic_project__acronym="MPA4Change")
    assert solution.transfer_levels == ["local", "regional"]
    assert sorted(solution.tags.names()) == ["MPA", "seagrass"]
    out, _err = run_import("solutions", write(tmp_path, text))
    assert "0 created, 0 updated, 3 unchanged" in out

    err, _message = refused(
        "solutions",
        write(tmp_path, "title,thematic_project,summary\nX,NoSuch,Y\nZ,Artemis,\n", "bad.csv"),
    )
    assert "Row 2, column “thematic_project”: There is no thematic project" in err
    assert "Row 3, column “summary”: This field cannot be blank." in err


# Formulas ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        '=HYPERLINK("http://evil")',
        "+33 1 23 45",
        "-2+3",
        "@SUM(A1)",
        "\tindented",
        "\rreturn",
        "'=already quoted",
        "''",
        "'",
        "'s-Hertogenbosch",
        "plain",
        "",
        "-4.42",
    ],
)
def test_neutralised_cells_are_restored_exactly(value):
    cell = neutralise_formula(value)
    assert cell[:1] not in set("=+@\t\r") or cell == value == "" or cell == "-4.42"
    if value[:1] in "=+@\t\r-" and value not in ("", "-4.42"):
        assert cell == "'" + value
    assert restore_formula(cell) == value


def test_numbers_are_not_quoted():
    assert neutralise_formula("-4.42") == "-4.42"
    assert neutralise_formula(-4.42) == -4.42


# The admin's export imports back unchanged ---------------------------------------------------


def export(client, model_name, fmt="csv"):
    url = reverse(f"wagtailsnippets_wagtail_ar_{model_name}:list") + f"?export={fmt}"
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_admin_csv_exports_import_back_unchanged(admin_client, tmp_path, projects):
    project = projects[0]
    project.website = "https://mpa4change.interreg-euro-med.eu"
    project.summary = "Marine protected areas,\nfor change."
    project.save()
    tricky = Organisation.objects.create(
        name='=HYPERLINK("http://evil.example")',
        acronym="-2+3",
        organisation_type="ngo",
        community_roles=["tp_ap", "external"],
        country="ES",
        city="@Málaga",
        address='Calle "Larios", 1\nMálaga',
        location="SRID=4326;POINT(-4.42 36.72)",
        website="https://example.org/a?b=c,d",
        description="Line one;\r\nline two, with commas.",
    )
    tricky.thematic_projects.set(projects)
    tricky.save()
    Organisation.objects.create(name="A draft", country="", live=False, community_roles=["ap"])
    solution = Solution.objects.create(
        title="+Protocol",
        thematic_project=project,
        solution_type="guidelines",
        summary="Guidelines, in short.",
        transfer_levels=["international", "local"],
        link="https://example.org/protocol",
    )
    solution.tags.add("seagrass", "blue economy")
    solution.save()
    before = {
        kind: [importer.export_row(obj) for obj in importer.model.objects.order_by("pk")]
        for kind, importer in IMPORTERS.items()
    }
    revisions = revision_count()

    for kind, model_name in (
        ("thematic_projects", "thematicproject"),
        ("organisations", "organisation"),
        ("solutions", "solution"),
    ):
        data = export(admin_client, model_name)
        assert b"'=HYPERLINK" in data or kind != "organisations"
        path = write(tmp_path, data, f"{kind}.csv")
        out, _err = run_import(kind, path)
        count = IMPORTERS[kind].model.objects.count()
        assert f"0 created, 0 updated, {count} unchanged" in out, (kind, out)

    after = {
        kind: [importer.export_row(obj) for obj in importer.model.objects.order_by("pk")]
        for kind, importer in IMPORTERS.items()
    }
    assert after == before
    assert revision_count() == revisions


def test_an_exported_file_recreates_what_was_deleted(admin_client, tmp_path, projects):
    run_import("organisations", write(tmp_path, GOOD_ORGS))
    data = export(admin_client, "organisation")
    before = [OrganisationImporter.export_row(o) for o in Organisation.objects.order_by("name")]
    Organisation.objects.all().delete()
    out, _err = run_import("organisations", write(tmp_path, data, "export.csv"))
    assert "3 created" in out
    after = [OrganisationImporter.export_row(o) for o in Organisation.objects.order_by("name")]
    assert after == before


def test_the_importer_api_raises_with_every_problem():
    importer = OrganisationImporter()
    with pytest.raises(ImportRefused) as exc_info:
        importer.run(b"name,country\n,IT\n,FR\n")
    assert [p.row for p in exc_info.value.problems] == [2, 3]
