"""Hostile spreadsheets: a workbook that unpacks to gigabytes (a zip bomb), one shared string
repeated in every cell, a sheet of more rows than an import takes, and any bytes or text an
upload may carry are refused with a message, before they cost the server its memory, never a 5xx.

Each bomb here is small on the wire and would unpack to far more than it may: the upload's
form error names the limit, no job is stored, and Python's allocations during the request stay
a fraction of what the bomb unpacks to (tracemalloc).
"""

import io
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wagtail_ar.columns import MAX_ROWS, ImportRefused
from wagtail_ar.models import ImportJob
from wagtail_ar.spreadsheets import as_csv, max_unpacked_bytes

from .test_admin_import import ORG_HEADER, make_user
from .test_fuzz import HOSTILE_TEXT, VALUES

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
STRINGS = "xl/sharedStrings.xml"
IMPORT = "wagtailsnippets_wagtail_ar_organisation:import"


@pytest.fixture
def importer_client(django_user_model):
    client = Client()
    client.force_login(
        make_user(django_user_model, "importer", "add_organisation", "change_organisation")
    )
    return client


def workbook(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def replace_members(data, members):
    """``data`` (a workbook) with the members ``{name: iterable of bytes}`` written anew,
    streamed into the archive (the test never holds a bomb's unpacked text)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            if info.filename in members:
                with target.open(info.filename, "w", force_zip64=True) as member:
                    for chunk in members[info.filename]:
                        member.write(chunk)
            else:
                target.writestr(info, source.read(info.filename))
        for name, chunks in members.items():
            if name not in source.namelist():
                with target.open(name, "w", force_zip64=True) as member:
                    for chunk in chunks:
                        member.write(chunk)
    return output.getvalue()


def sheet_of_rows(count, cell=b'<c t="inlineStr"><is><t>x</t></is></c>'):
    yield b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    yield b'spreadsheetml/2006/main"><sheetData>'
    row = b"<row>" + cell * 4 + b"</row>"
    for _ in range(count // 1000):
        yield row * 1000
    yield b"</sheetData></worksheet>"


def upload(client, data, name="organisations.xlsx"):
    return client.post(reverse(IMPORT), {"file": SimpleUploadedFile(name, data)})


def refused_upload(client, data, words):
    tracemalloc.start()
    try:
        response = upload(client, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["file"])
    assert words in errors, errors
    assert words.encode() in response.content
    assert not ImportJob.objects.exists()
    return peak


def test_a_sheet_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(importer_client):
    rows = 500_000  # about 80 MB of sheet, some 200 KB on the wire
    bomb = replace_members(workbook([["name", "country"]]), {SHEET: sheet_of_rows(rows)})
    assert len(bomb) < 5 * 1024 * 1024 < max_unpacked_bytes()
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        unpacked = archive.getinfo(SHEET).file_size
    assert unpacked > max_unpacked_bytes()
    peak = refused_upload(importer_client, bomb, "unpacks to more than")
    assert peak < unpacked / 5, (peak, unpacked)  # about 8 MB here: the request itself


def test_the_limit_follows_the_upload_limit(settings):
    settings.WAGTAIL_AR_IMPORT_MAX_BYTES = 1000
    data = replace_members(workbook([["name", "country"]]), {SHEET: sheet_of_rows(1000)})
    with pytest.raises(ImportRefused) as refused:
        as_csv(data, "file.xlsx")
    assert "unpacks to more than" in str(refused.value.problems[0])
    settings.WAGTAIL_AR_IMPORT_MAX_BYTES = 10 * 1024 * 1024
    assert as_csv(data, "file.xlsx").count(b"\n") == 1000


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
KINDS = "application/vnd.openxmlformats-officedocument.spreadsheetml"


def workbook_with_shared_strings(strings, sheet):
    """A minimal workbook whose sheet refers to the shared strings ``strings`` (chunks)."""
    members = {
        "[Content_Types].xml": (
            f'<Types xmlns="{PACKAGE}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{KINDS}.sheet.main+xml"/>'
            f'<Override PartName="/{SHEET}" ContentType="{KINDS}.worksheet+xml"/>'
            f'<Override PartName="/{STRINGS}" ContentType="{KINDS}.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships"><Relationship Id="rId1" '
            f'Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PACKAGE}/relationships">'
            f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{RELATIONSHIPS}/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
        for name, chunks in ((STRINGS, strings), (SHEET, sheet)):
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
    return output.getvalue()


def shared_strings(*texts):
    yield f'<sst xmlns="{MAIN}">'.encode()
    for text in texts:
        yield b"<si><t>"
        yield from text
        yield b"</t></si>"
    yield b"</sst>"


def test_a_workbook_with_shared_strings_is_read():
    """The workbook the next test makes a bomb of, with a small string: it is read."""
    data = workbook_with_shared_strings(
        shared_strings([b"name"], [b"IT"]),
        sheet_of_rows(1000, b'<c t="s"><v>0</v></c><c t="s"><v>1</v></c>'),
    )
    lines = as_csv(data, "file.xlsx").decode().splitlines()
    assert len(lines) == 1000
    assert lines[0] == "name,IT,name,IT,name,IT,name,IT"


def test_one_huge_shared_string_in_every_cell_is_refused(importer_client):
    """Within the archive's limit, but repeated by 4,000 cells: the text the cells would make
    is what is limited then."""
    megabytes = 8
    huge = (b"A" * (1024 * 1024) for _ in range(megabytes))
    bomb = workbook_with_shared_strings(
        shared_strings(huge), sheet_of_rows(1000, b'<c t="s"><v>0</v></c>')
    )
    assert megabytes * 2**20 < max_unpacked_bytes() < megabytes * 2**20 * 4000
    peak = refused_upload(importer_client, bomb, "unpacks to more than")
    assert peak < max_unpacked_bytes() * 2, peak


def test_a_sheet_of_more_rows_than_an_import_takes_is_refused_while_it_is_read(
    importer_client,
):
    bomb = replace_members(
        workbook([["name", "country"]]), {SHEET: sheet_of_rows((MAX_ROWS + 3000) // 1000 * 1000)}
    )
    refused_upload(importer_client, bomb, f"more than {MAX_ROWS} rows")


def test_a_workbook_of_exactly_the_most_rows_is_read(importer_client):
    data = workbook([ORG_HEADER.split(","), *([f"Org {n}", "", "ngo", "IT"] for n in range(3))])
    text = as_csv(data, "file.xlsx").decode()
    assert text.splitlines()[0] == ORG_HEADER
    assert len(text.splitlines()) == 4


UPLOADS = st.one_of(
    st.binary(max_size=300),
    st.lists(st.lists(st.one_of(VALUES, HOSTILE_TEXT), max_size=5), max_size=5).map(
        lambda rows: "\n".join([ORG_HEADER, *(",".join(cells) for cells in rows)]).encode(
            "utf-8", "surrogatepass"
        )
    ),
    st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
)


def test_no_upload_gives_a_5xx(importer_client, commit_each_request):
    """Any bytes under any name: a form error or the job's page, never a 5xx."""

    @settings(
        max_examples=40,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=UPLOADS, name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a", "a.CSV"]))
    def check(data, name):
        response = upload(importer_client, data, name)
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            page = importer_client.get(response["Location"])
            assert page.status_code == 200

    check()
