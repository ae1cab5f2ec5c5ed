"""The columns of the CSV files the admin exports and :mod:`wagtail_ar.importers` reads back,
and the problems an import reports.

A :class:`Column` turns one model field into the text of a cell (:meth:`Column.export`) and a
cell back into a value (:meth:`Column.parse`), raising :class:`~django.core.exceptions.ValidationError`
with a plain-language message for a bad cell. Cells that a spreadsheet program would read as a
formula are neutralised on export (:func:`neutralise_formula`) and restored on import.

To add a kind of cell, subclass :class:`Column` and override ``parse`` and ``export``.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from .models import ThematicProject

#: The most data rows one file may hold; split bigger files.
MAX_ROWS = 5000
#: Separates several values in one cell (community roles, thematic projects, tags).
LIST_SEPARATOR = ";"
#: A cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


# Spreadsheet formulas ----------------------------------------------------------------------


def neutralise_formula(value):
    """``value`` made safe for a CSV cell: a spreadsheet will not run it as a formula.

    Text starting with ``= + - @``, a tab or a carriage return gets a leading apostrophe
    (OWASP's advice against CSV injection); so does text that already starts with an
    apostrophe followed by one of those, so that :func:`restore_formula` undoes exactly this.
    Numbers, such as a longitude of -4.42, are left as they are.
    """
    if not isinstance(value, str) or not value:
        return value
    if value[0] in FORMULA_TRIGGERS and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    if value[0] == "'" and (value[1:2] in FORMULA_TRIGGERS or value[1:2] == "'"):
        return "'" + value
    return value


def restore_formula(value):
    """The inverse of :func:`neutralise_formula`, applied to every cell that is imported."""
    if value[:1] == "'" and (value[1:2] in FORMULA_TRIGGERS or value[1:2] == "'"):
        return value[1:]
    return value


# Problems ----------------------------------------------------------------------------------


@dataclass
class Problem:
    """A reason to refuse a file: on one cell, one row, or the whole file (``row`` is None)."""

    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        if self.row is None:
            return str(self.message)
        if self.column is None:
            return str(_("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message})
        return str(
            _("Row %(row)s, column “%(column)s”: %(message)s")
            % {"row": self.row, "column": self.column, "message": self.message}
        )


class ImportRefused(Exception):
    """Raised by :meth:`Importer.run` when anything is wrong; nothing has been saved."""

    def __init__(self, problems, result=None):
        self.problems = list(problems)
        self.result = result
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class ImportResult:
    label: str
    dry_run: bool = False
    rows: int = 0
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)

    def summary(self):
        counts = {
            "label": self.label,
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
        }
        if self.dry_run:
            return str(
                _(
                    "Dry run, nothing was saved. %(label)s: %(created)s would be created, "
                    "%(updated)s updated, %(unchanged)s left unchanged."
                )
                % counts
            )
        return str(
            _("%(label)s: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
            % counts
        )


# Columns -----------------------------------------------------------------------------------


class Column:
    """One column of a file: how a cell is read, compared, stored and exported.

    ``attribute`` is the model attribute the column fills (default: the column's name).
    Override :meth:`parse` (cell text to value, or ``ValidationError`` with a plain message),
    :meth:`current` (the stored value, comparable with a parsed one), :meth:`apply` and
    :meth:`export`.
    """

    def __init__(self, name, attribute=None, help_text=""):
        self.name = name
        self.attribute = attribute or name
        self.help_text = help_text

    def prepare(self, importer):
        """Called once per import before the rows are read (load lookups here)."""

    def parse(self, text):
        return text

    def current(self, obj):
        return getattr(obj, self.attribute)

    def apply(self, obj, value):
        setattr(obj, self.attribute, value)

    def export(self, obj):
        return self.current(obj)


class TextColumn(Column):
    def current(self, obj):
        return getattr(obj, self.attribute) or ""


class URLColumn(TextColumn):
    validator = URLValidator(schemes=["http", "https"])

    def parse(self, text):
        if text:
            try:
                self.validator(text)
            except ValidationError:
                raise ValidationError(
                    _(
                        "“%(value)s” is not a web address: write it in full, starting with "
                        "https:// or http://."
                    )
                    % {"value": text[:80]}
                ) from None
        return text


class DateColumn(Column):
    def parse(self, text):
        if not text:
            return None
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a date: write it as YYYY-MM-DD, for example 2025-11-29.")
                % {"value": text[:40]}
            ) from None


def _choice_lookup(choices):
    lookup = {}
    for value, label in choices:
        lookup[str(value).casefold()] = value
        lookup[str(label).casefold()] = value
    return lookup


def _choice_list(choices):
    return ", ".join(f"{value} ({label})" for value, label in choices)


class ChoiceColumn(Column):
    """One of fixed choices, written as its stored value (or its label, when importing).

    An empty cell means the field's default (such as “other”), if it has one.
    """

    def __init__(self, name, choices, **kwargs):
        super().__init__(name, **kwargs)
        self.choices = choices

    def prepare(self, importer):
        self.default = importer.model._meta.get_field(self.attribute).get_default()

    def parse(self, text):
        if not text:
            return self.default
        value = _choice_lookup(self.choices).get(text.casefold())
        if value is None:
            raise ValidationError(
                _("“%(value)s” is not one of the choices: %(choices)s.")
                % {"value": text[:40], "choices": _choice_list(self.choices)}
            )
        return value


class MultipleChoiceColumn(ChoiceColumn):
    """Several choices in one cell, separated by semicolons: ``pp;tp_partner``."""

    def prepare(self, importer):
        pass

    def parse(self, text):
        lookup = _choice_lookup(self.choices)
        values, unknown = [], []
        for item in split_list(text):
            value = lookup.get(item.casefold())
            if value is None:
                unknown.append(item)
            elif value not in values:
                values.append(value)
        if unknown:
            raise ValidationError(
                _("“%(value)s” is not one of the choices: %(choices)s.")
                % {"value": "; ".join(unknown)[:80], "choices": _choice_list(self.choices)}
            )
        order = [value for value, _label in self.choices]
        return sorted(values, key=order.index)

    def current(self, obj):
        order = [value for value, _label in self.choices]
        stored = [v for v in getattr(obj, self.attribute) or [] if v in order]
        return sorted(stored, key=order.index)

    def export(self, obj):
        return join_list(self.current(obj))


class CountryColumn(Column):
    """An ISO 3166-1 country code such as ``IT``; an English country name is understood too."""

    def parse(self, text):
        if not text:
            return ""
        code = countries.alpha2(text) or countries.by_name(text)
        if not code:
            raise ValidationError(
                _(
                    "“%(value)s” is not a country: write its two-letter code, for example IT, "
                    "TN or HR."
                )
                % {"value": text[:40]}
            )
        return code

    def current(self, obj):
        country = getattr(obj, self.attribute)
        return country.code if country else ""


class NumberColumn(Column):
    """A decimal number (no exponent, no ``nan``); empty means none."""

    def parse(self, text):
        if not text:
            return None
        if not _PLAIN_NUMBER.fullmatch(text):
            raise ValidationError(
                _("“%(value)s” is not a number: write decimal degrees, for example 40.85.")
                % {"value": text[:40]}
            )
        return float(text)

    def apply(self, obj, value):
        """Coordinates are stored by :meth:`Importer.apply_values` as one point."""


class ThematicProjectColumn(Column):
    """A thematic project named by its acronym."""

    def prepare(self, importer):
        self.projects = {}
        for project in ThematicProject.objects.filter(locale=importer.locale):
            self.projects.setdefault(project.acronym.casefold(), []).append(project)

    def find(self, acronym):
        found = self.projects.get(acronym.casefold(), [])
        if not found:
            raise ValidationError(
                _(
                    "There is no thematic project with the acronym “%(value)s”: import the "
                    "thematic projects first, or correct the acronym."
                )
                % {"value": acronym[:50]}
            )
        if len(found) > 1:
            raise ValidationError(
                _(
                    "%(count)s thematic projects have the acronym “%(value)s”: give them "
                    "different acronyms in the admin first."
                )
                % {"count": len(found), "value": acronym[:50]}
            )
        return found[0]

    def parse(self, text):
        return self.find(text) if text else None

    def current(self, obj):
        return getattr(obj, f"{self.attribute}_id")

    def apply(self, obj, value):
        setattr(obj, self.attribute, value)

    def export(self, obj):
        project = getattr(obj, self.attribute)
        return project.acronym if project else ""


class ThematicProjectListColumn(ThematicProjectColumn):
    """Several thematic projects, by acronym, separated by semicolons."""

    def parse(self, text):
        projects = []
        for acronym in split_list(text):
            project = self.find(acronym)
            if project not in projects:
                projects.append(project)
        return projects

    def current(self, obj):
        return {project.pk for project in getattr(obj, self.attribute).all()}

    def apply(self, obj, value):
        getattr(obj, self.attribute).set(value)

    def export(self, obj):
        return join_list(sorted(p.acronym for p in getattr(obj, self.attribute).all()))


class TagsColumn(Column):
    def parse(self, text):
        tags = []
        for name in split_list(text):
            if len(name) > 100:
                raise ValidationError(_("A tag is 100 characters at most."))
            if name not in tags:
                tags.append(name)
        return tags

    def current(self, obj):
        return sorted(tag.name for tag in getattr(obj, self.attribute).all())

    def apply(self, obj, value):
        getattr(obj, self.attribute).set(value)

    def export(self, obj):
        return join_list(self.current(obj))


def split_list(text):
    return [item.strip() for item in text.split(LIST_SEPARATOR) if item.strip()]


def join_list(values):
    return LIST_SEPARATOR.join(str(v) for v in values)
