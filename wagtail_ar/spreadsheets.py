"""Reading an uploaded spreadsheet: an XLSX workbook becomes the CSV text the importers read.

The admin's upload (:mod:`wagtail_ar.imports`) and ``manage.py ar_import`` both call
:func:`as_csv`: a CSV file passes unchanged; the first sheet of an XLSX workbook (read with
openpyxl, which Wagtail depends on) is written out as CSV, each cell as the text the admin's
CSV export writes for it, so that the admin's XLSX export imports back unchanged:

* an empty cell is an empty string;
* a date is ``YYYY-MM-DD`` (a date and time, ``YYYY-MM-DDTHH:MM:SS``);
* a whole number is written without decimals, another number as Python writes it (``40.85``);
* text that a spreadsheet would run as a formula is protected as the CSV export protects it
  (:func:`~wagtail_ar.columns.neutralise_formula`), so the importer restores it exactly.

Rows keep their numbers: row 5 of the sheet is row 5 in every problem the import reports.

A workbook is a zip archive, and a small one can unpack to gigabytes (a "zip bomb": a sheet of
millions of rows, or one shared string of a gigabyte that a thousand cells repeat). Before
openpyxl opens it, the sizes its archive declares must add up to at most
:func:`max_unpacked_bytes` (zipfile never unpacks more than a member declares); while it is
read, the text of its cells must too, and the rows must not outnumber what an import takes
(:data:`~wagtail_ar.columns.MAX_ROWS`). A workbook over a limit is refused with a message,
before it costs the server its memory.
"""

import csv
import datetime
import io
import zipfile

from django.utils.translation import gettext_lazy as _

from .columns import MAX_ROWS, ImportRefused, Problem, neutralise_formula
from .conf import settings as ar_settings

CSV = "csv"
XLSX = "xlsx"
FORMATS = (CSV, XLSX)
ZIP_SIGNATURE = b"PK\x03\x04"


def detect_format(data, filename=""):
    """``"xlsx"`` for a workbook (by its content, a zip archive, or its name), else ``"csv"``."""
    if data[:4] == ZIP_SIGNATURE or str(filename).lower().endswith(".xlsx"):
        return XLSX
    return CSV


def cell_text(value):
    """The text of one XLSX cell, as the CSV export writes the same value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return neutralise_formula(str(value))


#: A workbook may unpack to this many times the largest upload (WAGTAIL_AR_IMPORT_MAX_BYTES):
#: the sheets of a real workbook are 5 to 10 times its size.
UNPACKED_PER_UPLOADED_BYTE = 10


def max_unpacked_bytes():
    """How much a workbook may unpack to, and how much text its cells may hold in all."""
    return int(ar_settings.IMPORT_MAX_BYTES) * UNPACKED_PER_UPLOADED_BYTE


class WorkbookTooLarge(Exception):
    """The workbook unpacks to more than an import may read (a problem for the editor)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def too_large():
    from django.template.defaultfilters import filesizeformat

    return WorkbookTooLarge(
        _(
            "The workbook unpacks to more than %(max)s, more than an import can read: save "
            "only the sheet with your rows, as XLSX or as CSV UTF-8."
        )
        % {"max": filesizeformat(max_unpacked_bytes())}
    )


def check_archive(data):
    """Refuse a workbook whose archive declares more than :func:`max_unpacked_bytes`."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        if sum(info.file_size for info in archive.infolist()) > max_unpacked_bytes():
            raise too_large()


def sheet_rows(worksheet):
    """The rows of ``worksheet`` as lists of text, within the limits of the module."""
    rows, text_bytes, data_rows = [], 0, 0
    budget = max_unpacked_bytes()
    for values in worksheet.iter_rows(values_only=True):
        cells = [cell_text(value) for value in values]
        while cells and cells[-1] == "":
            cells.pop()
        text_bytes += sum(len(cell) for cell in cells)
        if text_bytes > budget:
            raise too_large()
        if cells:
            data_rows += 1
            # The header and MAX_ROWS rows; one more is enough to say the file is too long.
            if data_rows > MAX_ROWS + 2:
                raise WorkbookTooLarge(
                    _(
                        "The workbook has more than %(max)s rows; at most %(max)s can be "
                        "imported at once. Split it into smaller files."
                    )
                    % {"max": MAX_ROWS}
                )
        rows.append(cells)
    return rows


def xlsx_rows(data):
    """The rows of the first sheet of the workbook ``data``, as lists of text.

    Raises :class:`~wagtail_ar.columns.ImportRefused` for a file openpyxl cannot read or one
    over the limits of the module (see its docstring).
    """
    from openpyxl import load_workbook

    try:
        check_archive(data)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                return []
            return sheet_rows(workbook.worksheets[0])
        finally:
            workbook.close()
    except WorkbookTooLarge as exc:
        raise ImportRefused([Problem(exc.message)]) from None
    except Exception as exc:  # a damaged workbook raises anything from zipfile to lxml
        raise ImportRefused(
            [
                Problem(
                    _(
                        "The file cannot be read as an XLSX workbook (%(error)s). Open it in "
                        "your spreadsheet program and save it again as XLSX or as CSV UTF-8."
                    )
                    % {"error": type(exc).__name__}
                )
            ]
        ) from None


def as_csv(data, filename=""):
    """``data`` (the bytes of a CSV or XLSX file) as the bytes of a CSV file in UTF-8."""
    if detect_format(data, filename) == CSV:
        return data
    rows = xlsx_rows(data)
    while rows and not rows[-1]:
        rows.pop()
    if not rows:
        return b""
    width = len(rows[0])
    output = io.StringIO(newline="")
    writer = csv.writer(output, lineterminator="\n")
    for cells in rows:
        if cells and len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        writer.writerow(cells)
    return output.getvalue().encode("utf-8")
