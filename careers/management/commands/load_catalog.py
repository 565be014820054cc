from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from careers.catalog.loader import CATALOG_PATH, load_catalog, read_catalog


class Command(BaseCommand):
    help = "Load the shipped AI-careers catalog. Safe to run again: it upserts by slug."

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=CATALOG_PATH, help="catalog JSON file")

    def handle(self, *args, path: Path, verbosity: int, **options):
        try:
            report = load_catalog(read_catalog(path))
        except (OSError, ValueError) as exc:  # CatalogError is a ValueError
            raise CommandError(f"Could not load {path}: {exc}") from exc
        except IntegrityError as exc:  # e.g. a renamed slug clashing with the rows it left
            raise CommandError(
                f"Could not load {path}: it clashes with rows already in the database "
                f"({exc}); nothing was written."
            ) from exc
        if verbosity >= 2:
            self.stdout.write(report.summary())
        verb = "Loaded" if report.changed else "Catalog already up to date;"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {sum(report.created.values())} created, "
                f"{sum(report.updated.values())} updated, "
                f"{sum(report.removed.values())} removed."
            )
        )
