from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from roadmaps.reminders import due_reminders, send_reminder


class Command(BaseCommand):
    help = (
        "Email members whose weekly check-in is due in their own time zone, at most once per "
        "plan per week. Meant for cron, hourly or daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would get a reminder; send nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        reminders = due_reminders(timezone.now())
        sent = failed = 0
        for reminder in reminders:
            line = f"{reminder.email}: {reminder.plan.transition.title} (week of {reminder.week})"
            if dry_run:
                self.stdout.write(f"would send to {line}")
                continue
            try:
                if send_reminder(reminder):
                    sent += 1
                    self.stdout.write(f"sent to {line}")
            except Exception as error:  # the mail server refused: the next run tries again
                failed += 1
                self.stderr.write(f"could not send to {line}: {error}")
        if dry_run:
            self.stdout.write(f"{len(reminders)} reminder(s) due; none sent (dry run).")
            return
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} reminder(s)."))
        if failed:
            raise CommandError(
                f"{failed} reminder(s) could not be sent; the next run retries them."
            )
