"""The upload form of an admin import: one CSV or XLSX file, checked before it is stored.

A file of another kind, a damaged workbook, a file over ``WAGTAIL_AR_IMPORT_MAX_BYTES``, a CSV
that is not UTF-8 and an empty file are form errors; what is inside the rows is the dry run's
business (:mod:`wagtail_ar.imports.jobs`).
"""

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from ..columns import ImportRefused
from ..conf import settings as ar_settings
from ..spreadsheets import CSV, XLSX, ZIP_SIGNATURE, as_csv

EXTENSIONS = {".csv": CSV, ".txt": CSV, ".xlsx": XLSX}


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "A CSV file in UTF-8 or an XLSX workbook (its first sheet), with the columns of the "
            "admin's export."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"empty": _("The file is empty: choose the file with your rows.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        max_bytes = int(ar_settings.IMPORT_MAX_BYTES)
        if upload.size > max_bytes:
            raise forms.ValidationError(
                _("The file is %(size)s; at most %(max)s can be imported at once: split it.")
                % {"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)}
            )
        name = upload.name or ""
        extension = name[name.rfind(".") :].lower() if "." in name else ""
        file_format = EXTENSIONS.get(extension)
        if file_format is None:
            raise forms.ValidationError(_("Choose a CSV file (.csv) or an XLSX workbook (.xlsx)."))
        data = upload.read()
        if not data.strip():
            raise forms.ValidationError(_("The file is empty: choose the file with your rows."))
        if file_format == XLSX and data[:4] != ZIP_SIGNATURE:
            raise forms.ValidationError(
                _(
                    "The file is named .xlsx but is not an XLSX workbook: save it from your "
                    "spreadsheet program as XLSX or as CSV UTF-8."
                )
            )
        if file_format == CSV and data[:4] == ZIP_SIGNATURE:
            file_format = XLSX  # a workbook with the wrong name: read it as what it is
        try:
            text = as_csv(data, "file.xlsx" if file_format == XLSX else "file.csv")
            if not text.strip():
                raise forms.ValidationError(_("The file is empty: choose the file with your rows."))
            text.decode("utf-8-sig")
        except ImportRefused as exc:
            raise forms.ValidationError([str(p) for p in exc.problems]) from None
        except UnicodeDecodeError as exc:
            raise forms.ValidationError(
                _(
                    "The file is not UTF-8 text (the byte at position %(position)s cannot be "
                    "read). In your spreadsheet program, save it as “CSV UTF-8”, then upload it "
                    "again."
                )
                % {"position": exc.start}
            ) from None
        self.data_bytes = data
        self.file_format = file_format
        return upload
