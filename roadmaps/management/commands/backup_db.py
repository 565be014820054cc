from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from roadmaps import backups


class Command(BaseCommand):
    help = (
        "Back up the configured database into PATH: SQLite with its online backup (safe while "
        "the app writes), PostgreSQL with pg_dump's custom format. Prints what the backup holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to write")
        parser.add_argument("--force", action="store_true", help="overwrite an existing file")
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)"
        )

    def handle(self, *args, path: Path, force: bool, database: str, **options):
        if database not in connections.settings:
            raise CommandError(f"There is no database {database!r} in DATABASES.")
        connection = connections[database]
        try:
            where = backups.describe(connection)
            result = backups.backup(connection, path, force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backed up {where} to {result.path} ({backups.human_size(result.size)}).\n"
            f"It holds {result.counts}."
        )
