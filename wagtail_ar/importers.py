"""CSV import of organisations, thematic projects and solutions, and the columns they share
with the admin's export.

One :class:`Importer` per kind of snippet names its columns; the admin listings export the very
same columns (:meth:`Importer.export_row`), so a file downloaded from the admin imports back
unchanged. ``manage.py ar_import`` is the command-line front of :func:`get_importer`.

A file is imported whole or not at all: every row is checked, every problem is reported with
its row number and column in plain language, and nothing is saved unless every row is right.
Rows are matched to what is already stored by a natural key (see each importer's
``key_description``), so importing the same file twice changes nothing the second time.

To import another model, subclass :class:`Importer`, list its :class:`~wagtail_ar.columns.Column`\\ s
and register it in :data:`IMPORTERS`.
"""

import copy
import csv
import io

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.models import Locale

from .cache import batched_invalidation
from .choices import CommunityRole, OrganisationType, SolutionType, TransferLevel

# The columns and problems live in .columns; they are importable from here too, as before.
from .columns import (  # noqa: F401
    FORMULA_TRIGGERS,
    LIST_SEPARATOR,
    MAX_ROWS,
    ChoiceColumn,
    Column,
    CountryColumn,
    DateColumn,
    ImportRefused,
    ImportResult,
    MultipleChoiceColumn,
    NumberColumn,
    Problem,
    TagsColumn,
    TextColumn,
    ThematicProjectColumn,
    ThematicProjectListColumn,
    URLColumn,
    join_list,
    neutralise_formula,
    restore_formula,
    split_list,
)
from .geo import format_point, parse_point
from .models import Organisation, Solution, ThematicProject
from .purge import batched_purge

# Importers ---------------------------------------------------------------------------------


class Importer:
    """Reads one CSV file into one model, all or nothing.

    Subclasses set ``model``, ``columns``, ``required_columns`` (they must be in the header),
    ``key_description`` and :meth:`natural_key`.

    With ``report=True``, :meth:`run` also fills ``self.report``: one dict per data row,
    ``{"row", "outcome", "cells", "changes"}``, the outcome being ``"created"``, ``"updated"``,
    ``"unchanged"`` or ``"error"`` and ``changes`` ``{column: old text}`` of an updated row
    (the admin's import preview shows it).
    """

    model = None
    columns = ()
    required_columns = ()
    key_description = ""

    def __init__(self, *, max_rows=MAX_ROWS, progress=None, progress_every=100, report=False):
        self.max_rows = max_rows
        self.progress = progress
        self.progress_every = progress_every
        self.report = [] if report else None

    # What the columns are -------------------------------------------------------------

    @classmethod
    def column_names(cls):
        return [column.name for column in cls.columns]

    @classmethod
    def label(cls):
        return str(cls.model._meta.verbose_name_plural).capitalize()

    @classmethod
    def export_row(cls, obj):
        """``{column name: value}`` for the admin's export; the import reads it back."""
        return {column.name: column.export(obj) for column in cls.columns}

    @classmethod
    def export_prefetch(cls):
        """Relations to prefetch when exporting many objects."""
        return ()

    def natural_key(self, values, obj=None):
        raise NotImplementedError

    # Reading the file -----------------------------------------------------------------

    def decode(self, data):
        if not data or not data.strip():
            raise ImportRefused([Problem(self.empty_message())])
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused(
                [
                    Problem(
                        _(
                            "The file is not UTF-8 text (the byte at position %(position)s "
                            "cannot be read). In your spreadsheet program, save it as "
                            "“CSV UTF-8”, then import it again."
                        )
                        % {"position": exc.start}
                    )
                ]
            ) from None

    def empty_message(self):
        return _(
            "The file is empty: it needs a header row with the column names, then one row per "
            "item. The columns are: %(columns)s."
        ) % {"columns": ", ".join(self.column_names())}

    def read(self, text):
        """The header and the data rows as ``[(row number, {column: cell}), …]``."""
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if ("," not in first_line and ";" in first_line) else ","
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            records = [(number, cells) for number, cells in enumerate(reader, start=1) if cells]
        except csv.Error as exc:
            raise ImportRefused(
                [
                    Problem(
                        _("The file cannot be read as CSV (%(error)s) near row %(row)s.")
                        % {"error": exc, "row": reader.line_num}
                    )
                ]
            ) from None
        if not records:
            raise ImportRefused([Problem(self.empty_message())])
        _number, header = records[0]
        header = self.check_header(header)
        data = records[1:]
        if not data:
            raise ImportRefused(
                [Problem(_("The file has a header but no rows to import: add one row per item."))]
            )
        if len(data) > self.max_rows:
            raise ImportRefused(
                [
                    Problem(
                        _(
                            "The file has %(count)s rows; at most %(max)s can be imported at "
                            "once. Split it into smaller files."
                        )
                        % {"count": len(data), "max": self.max_rows}
                    )
                ]
            )
        rows, problems = [], []
        for number, cells in data:
            if len(cells) != len(header):
                problems.append(
                    Problem(
                        _(
                            "It has %(cells)s cells but the header has %(columns)s columns. "
                            "Check for a missing or extra separator, or quotes around text "
                            "that holds a comma."
                        )
                        % {"cells": len(cells), "columns": len(header)},
                        row=number,
                    )
                )
                continue
            rows.append(
                (
                    number,
                    {
                        name: restore_formula(cell.strip())
                        for name, cell in zip(header, cells, strict=True)
                    },
                )
            )
        if problems:
            raise ImportRefused(problems)
        return header, rows

    def check_header(self, header):
        names = [name.strip().casefold() for name in header]
        known = self.column_names()
        problems = []
        unknown = [name for name in names if name not in known]
        if unknown:
            problems.append(
                Problem(
                    _("Unknown columns in the header: %(unknown)s.")
                    % {"unknown": ", ".join(f"“{n[:40]}”" for n in unknown)}
                )
            )
        missing = [name for name in self.required_columns if name not in names]
        if missing:
            problems.append(
                Problem(
                    _("Columns missing from the header: %(missing)s.")
                    % {"missing": ", ".join(f"“{n}”" for n in missing)}
                )
            )
        doubled = sorted({name for name in names if names.count(name) > 1})
        if doubled:
            problems.append(
                Problem(
                    _("Columns named twice in the header: %(doubled)s.")
                    % {"doubled": ", ".join(f"“{n[:40]}”" for n in doubled)}
                )
            )
        if {"latitude", "longitude"} & set(known) and (
            ("latitude" in names) != ("longitude" in names)
        ):
            problems.append(
                Problem(_("The columns “latitude” and “longitude” go together: give both."))
            )
        if problems:
            problems.append(
                Problem(
                    _(
                        "The first row must name the columns. A file of %(label)s may have "
                        "these columns, in any order: %(columns)s (required: %(required)s)."
                    )
                    % {
                        "label": str(self.model._meta.verbose_name_plural),
                        "columns": ", ".join(known),
                        "required": ", ".join(self.required_columns),
                    }
                )
            )
            raise ImportRefused(problems)
        return names

    # Importing ------------------------------------------------------------------------

    def run(self, data, *, dry_run=False):
        """Import ``data`` (the bytes of a CSV file); return an :class:`ImportResult`.

        Raises :class:`ImportRefused` with every problem found; nothing is saved then, nor
        on a dry run.
        """
        text = self.decode(data)
        header, rows = self.read(text)
        self.header = header
        self.result = ImportResult(label=self.label(), dry_run=dry_run, rows=len(rows))
        self.problems = []
        if self.report is not None:
            self.report = []
        # Each row saves its object three times (the row, its revision, its publication): the
        # package's cache is made stale once, after the import, and Wagtail's reference index
        # is updated once for each object saved, after its last save (update_reference_index),
        # instead of at every save.
        # Imported here: wagtail.signal_handlers loads the Page model, which a host app listed
        # before wagtail_ar may not have yet when it imports this module (tests/test_host_first).
        from wagtail.signal_handlers import disable_reference_index_auto_update

        with batched_invalidation(), disable_reference_index_auto_update(), transaction.atomic():
            self.locale = Locale.get_default()
            # Copies: a column keeps the lookups of one run (see Column.prepare).
            self.columns_in_file = [copy.copy(c) for c in self.columns if c.name in header]
            for column in self.columns_in_file:
                column.prepare(self)
            self.existing = self.load_existing()
            self.seen = {}
            with batched_purge():  # the frontend cache: one batch, for each object once
                for done, (number, cells) in enumerate(rows, start=1):
                    self.import_row(number, cells)
                    if self.progress and (done % self.progress_every == 0 or done == len(rows)):
                        self.progress(done, len(rows))
                if self.problems or dry_run:
                    transaction.set_rollback(True)
                else:
                    self.update_reference_index()
        if self.problems:
            raise ImportRefused(self.problems, self.result)
        return self.result

    def update_reference_index(self):
        """What Wagtail's ``post_save`` receiver does, once for each object saved."""
        from wagtail.tasks import update_reference_index_task

        for obj in (*self.result.created, *self.result.updated):
            update_reference_index_task.enqueue(
                obj._meta.app_label, obj._meta.model_name, str(obj.pk)
            )

    def load_existing(self):
        existing = {}
        for obj in self.model.objects.filter(locale=self.locale).prefetch_related(
            *self.export_prefetch()
        ):
            existing.setdefault(self.natural_key(None, obj), []).append(obj)
        return existing

    def import_row(self, number, cells):
        values, problems = {}, []
        for column in self.columns_in_file:
            try:
                values[column.name] = column.parse(cells[column.name])
            except ValidationError as exc:
                problems.extend(Problem(m, number, column.name) for m in exc.messages)
        if problems:
            self.problems.extend(problems)
            self.record(number, cells, "error")
            return

        key = self.natural_key(values)
        if key in self.seen:
            self.problems.append(
                Problem(
                    _("It is the same %(item)s as row %(other)s (%(key)s): keep one of them.")
                    % {
                        "item": self.model._meta.verbose_name,
                        "other": self.seen[key],
                        "key": self.key_description,
                    },
                    number,
                )
            )
            self.record(number, cells, "error")
            return
        self.seen[key] = number
        matches = self.existing.get(key, [])
        if len(matches) > 1:
            self.problems.append(
                Problem(
                    _(
                        "%(count)s %(items)s already have the same %(key)s: tell them apart in "
                        "the admin first."
                    )
                    % {
                        "count": len(matches),
                        "items": self.model._meta.verbose_name_plural,
                        "key": self.key_description,
                    },
                    number,
                )
            )
            self.record(number, cells, "error")
            return
        obj = matches[0] if matches else self.model(locale=self.locale)
        created = not matches
        if not created and not self.has_changes(obj, values):
            self.result.unchanged.append(obj)
            self.record(number, cells, "unchanged")
            return

        before = self.texts(obj) if not created and self.report is not None else None
        try:
            self.apply_values(obj, values)
            obj.full_clean()
        except ValidationError as exc:
            self.problems.extend(self.problems_from(exc, number))
            self.record(number, cells, "error")
            return
        changes = {}
        if before is not None:
            after = self.texts(obj)
            changes = {name: old for name, old in before.items() if after[name] != old}
        if self.problems:
            # The file is refused anyway: check the remaining rows, save nothing.
            self.record(number, cells, "created" if created else "updated", changes)
            return
        try:
            with transaction.atomic():
                self.save(obj, created)
        except (DatabaseError, ValidationError) as exc:
            self.problems.append(
                Problem(_("It could not be saved: %(error)s") % {"error": exc}, number)
            )
            self.record(number, cells, "error")
            return
        (self.result.created if created else self.result.updated).append(obj)
        self.record(number, cells, "created" if created else "updated", changes)

    def record(self, number, cells, outcome, changes=None):
        """Note what became of the row ``number`` in ``self.report`` (with ``report=True``)."""
        if self.report is not None:
            self.report.append(
                {"row": number, "outcome": outcome, "cells": cells, "changes": changes or {}}
            )

    def texts(self, obj):
        """``{column: text}`` of ``obj`` for the columns of the file, as a cell shows them."""
        texts = {}
        for column in self.columns_in_file:
            value = column.export(obj)
            texts[column.name] = "" if value is None else str(value)
        return texts

    def has_changes(self, obj, values):
        return any(
            column.current(obj) != self.comparable(column, values[column.name])
            for column in self.columns_in_file
            if not isinstance(column, NumberColumn)
        ) or self.location_changed(obj, values)

    @staticmethod
    def comparable(column, value):
        if isinstance(column, ThematicProjectListColumn):
            return {project.pk for project in value}
        if isinstance(column, ThematicProjectColumn):
            return value.pk if value else None
        if isinstance(column, TagsColumn):
            return sorted(value)
        return value

    def location_changed(self, obj, values):
        return False

    def apply_values(self, obj, values):
        for column in self.columns_in_file:
            column.apply(obj, values[column.name])

    def problems_from(self, exc, number):
        columns = {column.attribute: column.name for column in self.columns}
        columns.setdefault("location", "latitude")
        if not hasattr(exc, "error_dict"):
            return [Problem(m, number) for m in exc.messages]
        problems = []
        for attribute, errors in exc.message_dict.items():
            column = columns.get(attribute)
            for message in errors:
                if column is None and attribute != "__all__":
                    message = f"{attribute}: {message}"
                problems.append(Problem(message, number, column))
        return problems

    def save(self, obj, created):
        """Save ``obj`` as a new revision; publish it if it is new or already live.

        An organisation that is a draft stays a draft: the import updates its draft. A dry run
        (rolled back anyway) only saves the row, which is where the database may refuse it.
        """
        obj.save()
        if self.result.dry_run:
            return
        revision = obj.save_revision(log_action=True)
        if created or obj.live:
            revision.publish(log_action=True)


class OrganisationImporter(Importer):
    model = Organisation
    columns = (
        TextColumn("name", help_text=_("with the country, it identifies the row")),
        TextColumn("acronym"),
        ChoiceColumn(
            "organisation_type", OrganisationType.choices, help_text=_("one code, see below")
        ),
        MultipleChoiceColumn(
            "community_roles",
            CommunityRole.choices,
            help_text=_("codes separated by semicolons, see below"),
        ),
        CountryColumn(
            "country", help_text=_("two-letter ISO code such as IT or TN; the cell may be empty")
        ),
        TextColumn("city"),
        TextColumn("address"),
        NumberColumn(
            "latitude", help_text=_("decimal degrees, -90 to 90; empty with longitude for none")
        ),
        NumberColumn("longitude", help_text=_("decimal degrees, -180 to 180")),
        URLColumn("website", help_text=_("starting with https:// or http://")),
        TextColumn("description"),
        ThematicProjectListColumn(
            "thematic_projects", help_text=_("acronyms separated by semicolons")
        ),
    )
    required_columns = ("name", "country")
    key_description = _("name and country")

    @classmethod
    def export_prefetch(cls):
        return ("thematic_projects",)

    def natural_key(self, values, obj=None):
        if obj is not None:
            return (obj.name.strip().casefold(), obj.country.code if obj.country else "")
        return (values["name"].casefold(), values["country"])

    def location_changed(self, obj, values):
        if "latitude" not in values:
            return False
        return (obj.latitude, obj.longitude) != (values["latitude"], values["longitude"])

    def apply_values(self, obj, values):
        super().apply_values(obj, values)
        if "latitude" not in values:
            return
        latitude, longitude = values["latitude"], values["longitude"]
        if latitude is None and longitude is None:
            obj.location = ""
            return
        if latitude is None or longitude is None:
            raise ValidationError(
                {
                    "latitude" if latitude is None else "longitude": _(
                        "Give both latitude and longitude, or leave both empty."
                    )
                }
            )
        try:
            parse_point(format_point(latitude, longitude))
        except ValidationError as exc:
            column = "longitude" if exc.code == "longitude" else "latitude"
            raise ValidationError({column: exc.messages}) from None
        if (obj.latitude, obj.longitude) != (latitude, longitude):
            obj.location = format_point(latitude, longitude)


class ThematicProjectImporter(Importer):
    model = ThematicProject
    columns = (
        TextColumn("acronym", help_text=_("identifies the row")),
        TextColumn("name"),
        URLColumn("website", help_text=_("starting with https:// or http://")),
        TextColumn("summary"),
        DateColumn("start_date", help_text=_("YYYY-MM-DD")),
        DateColumn("end_date", help_text=_("YYYY-MM-DD, not before the start date")),
    )
    required_columns = ("acronym", "name")
    key_description = _("acronym")

    def natural_key(self, values, obj=None):
        if obj is not None:
            return obj.acronym.strip().casefold()
        return values["acronym"].casefold()


class SolutionImporter(Importer):
    model = Solution
    columns = (
        TextColumn("title", help_text=_("with the thematic project, it identifies the row")),
        ThematicProjectColumn(
            "thematic_project",
            help_text=_("the acronym of a thematic project; the cell may be empty"),
        ),
        ChoiceColumn("solution_type", SolutionType.choices, help_text=_("one code, see below")),
        TextColumn("summary"),
        MultipleChoiceColumn(
            "transfer_levels",
            TransferLevel.choices,
            help_text=_("codes separated by semicolons, see below"),
        ),
        TagsColumn("tags", help_text=_("separated by semicolons")),
        URLColumn("link", help_text=_("starting with https:// or http://")),
    )
    required_columns = ("title", "thematic_project", "summary")
    key_description = _("title and thematic project")

    @classmethod
    def export_prefetch(cls):
        return ("thematic_project", "tags")

    def natural_key(self, values, obj=None):
        if obj is not None:
            project = obj.thematic_project
            return (obj.title.strip().casefold(), project.acronym.casefold() if project else "")
        project = values["thematic_project"]
        return (values["title"].casefold(), project.acronym.casefold() if project else "")


#: ``{kind: importer class}``; the kind is the first argument of ``manage.py ar_import``.
IMPORTERS = {
    "organisations": OrganisationImporter,
    "thematic_projects": ThematicProjectImporter,
    "solutions": SolutionImporter,
}


def get_importer(kind, **kwargs):
    return IMPORTERS[kind](**kwargs)


def describe_columns():
    """The columns of every kind of file, as plain text for ``ar_import --help``."""
    lines = []
    for kind, importer in IMPORTERS.items():
        lines.append(
            str(
                _("%(kind)s (identified by %(key)s):")
                % {"kind": kind, "key": importer.key_description}
            )
        )
        for column in importer.columns:
            notes = [str(column.help_text)] if column.help_text else []
            if column.name in importer.required_columns:
                notes.insert(0, str(_("column required")))
            lines.append(f"  {column.name}" + (f": {'; '.join(notes)}" if notes else ""))
        for column in importer.columns:
            if isinstance(column, ChoiceColumn):
                codes = ", ".join(str(value) for value, _label in column.choices)
                lines.append(
                    str(
                        _("  codes for %(column)s: %(codes)s")
                        % {"column": column.name, "codes": codes}
                    )
                )
        lines.append("")
    return "\n".join(lines)
