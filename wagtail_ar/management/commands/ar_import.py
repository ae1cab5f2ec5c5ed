"""``manage.py ar_import organisations FILE.csv``: see :mod:`wagtail_ar.importers`."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, DjangoHelpFormatter
from django.utils.translation import gettext as _

from ...importers import IMPORTERS, MAX_ROWS, ImportRefused, describe_columns, get_importer
from ...spreadsheets import as_csv


class HelpFormatter(DjangoHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of the column list in ``--help``."""


class Command(BaseCommand):
    help = (
        "Import organisations, thematic projects or solutions from a CSV file in UTF-8 or an XLSX "
        "workbook (its first sheet), as the admin's exports write them. Rows are matched to what is stored by a natural key, so "
        "importing a file twice changes nothing the second time; new items are published, "
        "drafts stay drafts. The file is imported whole or not at all: every problem is listed "
        "with its row and column, and nothing is saved unless every row is right."
    )

    def create_parser(self, prog_name, subcommand, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs.setdefault(
            "epilog",
            "Columns: the first row of the file names them, in any order. Cells holding\n"
            "several values separate them with semicolons; dates are YYYY-MM-DD.\n\n"
            + describe_columns(),
        )
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=sorted(IMPORTERS), help="What the file holds.")
        parser.add_argument(
            "file", help="The CSV file (UTF-8, comma- or semicolon-separated) or XLSX workbook."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and say what would change, saving nothing.",
        )
        parser.add_argument(
            "--max-rows",
            type=int,
            default=MAX_ROWS,
            help=f"Refuse files with more data rows than this (default: {MAX_ROWS}).",
        )

    def handle(self, *args, kind, file, dry_run=False, max_rows=MAX_ROWS, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("There is no file at %(path)s.") % {"path": file})
        data = path.read_bytes()
        verbosity = options.get("verbosity", 1)
        importer = get_importer(
            kind,
            max_rows=max_rows,
            progress=self.show_progress if verbosity >= 1 else None,
        )
        try:
            result = importer.run(as_csv(data, path.name), dry_run=dry_run)
        except ImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("Nothing was imported: %(count)s problem(s) found in %(path)s.")
                % {"count": len(exc.problems), "path": file}
            ) from None
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def show_progress(self, done, total, width=30):
        filled = width * done // total
        bar = "#" * filled + "-" * (width - filled)
        end = "\n" if done == total else ""
        self.stderr.write(f"\r[{bar}] {done}/{total} rows", ending=end)
        self.stderr.flush()
