from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from roadmaps import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_db into the configured database, replacing all of its "
        "data. Stop the app and the mail worker first; refuses to run without --yes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the backup file to restore")
        parser.add_argument(
            "--yes", action="store_true", help="yes, replace the current data with the backup's"
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="the database alias (default: default)"
        )

    def handle(self, *args, path: Path, yes: bool, database: str, **options):
        if database not in connections.settings:
            raise CommandError(f"There is no database {database!r} in DATABASES.")
        connection = connections[database]
        try:
            where = backups.describe(connection)
            backups.check_backup_file(connection, path)
            if not yes:
                raise CommandError(
                    f"Restoring {path} replaces all the data in {where} (members, plans, "
                    "ticks, check-ins, sessions, the mail queue) with the backup's; whatever "
                    "changed since the backup is lost. Stop the app and the mail worker, then "
                    "run again with --yes."
                )
            result = backups.restore(connection, path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {result.path} into {where}.\nIt now holds {result.counts}.\n"
            "Run `manage.py migrate` if the backup is older than this version of Waypoint."
        )
