from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from careers.catalog.exporter import write_catalog


class Command(BaseCommand):
    help = (
        "Write the database's whole catalog (drafts, archived items and all) to PATH in the "
        "format load_catalog reads. To ship admin edits, export over careers/catalog/catalog.json "
        "and commit it."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the catalog JSON file to write")

    def handle(self, *args, path: Path, **options):
        try:
            data = write_catalog(path)
        except OSError as exc:
            raise CommandError(f"Could not write {path}: {exc}") from exc
        except ValueError as exc:  # CatalogError: a value the loader would refuse
            raise CommandError(
                f"Could not export: the database holds values a catalog file cannot ({exc}); "
                f"nothing was written to {path}."
            ) from exc
        items = sum(
            len(p["tasks"]) + len(p["resources"]) for t in data["transitions"] for p in t["phases"]
        ) + sum(len(a) for t in data["transitions"] for a in t["action_plan"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Exported {len(data['roles'])} roles, {len(data['transitions'])} transitions "
                f"({items} roadmap items) and {len(data['glossary'])} glossary terms to {path}."
            )
        )
