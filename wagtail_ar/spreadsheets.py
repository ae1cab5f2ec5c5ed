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
"""

import csv
import datetime
import io

from django.utils.translation import gettext_lazy as _

from .columns import ImportRefused, Problem, neutralise_formula

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


def xlsx_rows(data):
    """The rows of the first sheet of the workbook ``data``, as lists of text.

    Raises :class:`~wagtail_ar.columns.ImportRefused` for a file openpyxl cannot read.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                return []
            rows = []
            for values in workbook.worksheets[0].iter_rows(values_only=True):
                cells = [cell_text(value) for value in values]
                while cells and cells[-1] == "":
                    cells.pop()
                rows.append(cells)
            return rows
        finally:
            workbook.close()
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
