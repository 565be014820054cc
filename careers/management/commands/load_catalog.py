from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, IntegrityError

from careers.catalog.loader import (
    CATALOG_PATH,
    catalog_is_empty,
    load_catalog,
    read_checked_catalog,
)


class Command(BaseCommand):
    help = (
        "Load a catalog file (default: the shipped one). An empty catalog is loaded at once. "
        "Once the database has a catalog it is the source of truth: this lists what loading "
        "the file would add, change, archive or remove, and writes only with --apply. Rows "
        "edited, created or deleted in the admin since the last load are listed with ! and "
        "kept, unless --overwrite-edits."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, default=CATALOG_PATH, help="catalog JSON file"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="load only into an empty catalog; otherwise do nothing (what `make run` does)",
        )
        parser.add_argument(
            "--apply", action="store_true", help="write the changes (default: only list them)"
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="also replace rows edited, created or deleted in the admin since the last load",
        )

    def handle(self, *args, path: Path, verbosity: int, **options):
        try:
            report, empty = self.load(path, **options)
        except (OSError, ValueError) as exc:  # CatalogError is a ValueError
            raise CommandError(f"Could not load {path}: {exc}") from exc
        except IntegrityError as exc:  # e.g. a renamed slug clashing with the rows it left
            raise CommandError(
                f"Could not load {path}: it clashes with rows already in the database "
                f"({exc}); nothing was written."
            ) from exc
        except DatabaseError as exc:
            raise CommandError(
                f"Could not load {path}: {exc} (has `manage.py migrate` run?)"
            ) from exc
        if report is None:
            self.stdout.write(
                "The database already has a catalog, and it is the source of truth: nothing "
                f"was loaded. `manage.py load_catalog {path}` lists what loading the file "
                "would change."
            )
            return
        apply = report.applied
        if not empty or verbosity >= 2:  # a first load would list every row
            for line in report.lines:
                self.stdout.write(line)
        if verbosity >= 2:
            self.stdout.write(report.summary())
        counts = (
            f"{sum(report.created.values())} created, {sum(report.updated.values())} updated, "
            f"{sum(report.removed.values())} removed"
        )
        kept = sum(report.kept.values())
        if kept:
            self.stdout.write(
                self.style.WARNING(
                    f"{kept} rows edited, created or deleted in the admin since the last load "
                    "are kept as they are (lines starting with !); --overwrite-edits replaces "
                    "them with the file's."
                )
            )
        if not report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Nothing to change: the database already has {path}"
                    + (", apart from the rows kept above." if kept else ".")
                )
            )
        elif apply:
            self.stdout.write(self.style.SUCCESS(f"Loaded {counts}."))
        else:
            self.stdout.write(
                f"Dry run, nothing was written: {counts} if applied. "
                "Run again with --apply to apply these changes."
            )

    def load(self, path: Path, *, if_empty: bool, apply: bool, overwrite_edits: bool, **options):
        """The load's report and whether the catalog was empty; no report if it was skipped."""
        if if_empty and not catalog_is_empty():
            return None, False
        data = read_checked_catalog(path)  # a bad file is refused before the database is read
        empty = catalog_is_empty()
        report = load_catalog(data, apply=apply or empty, overwrite_edits=overwrite_edits)
        return report, empty
