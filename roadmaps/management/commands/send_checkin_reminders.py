from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import pluralize
from django.utils import timezone

from roadmaps.reminders import due_reminders, send_reminder


class Command(BaseCommand):
    help = (
        "Queue a reminder for members whose weekly check-in is due in their own time zone, at "
        "most once per plan per week (the mail worker delivers them). Meant for cron, hourly."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would get a reminder; queue nothing"
        )

    def handle(self, *args, dry_run: bool, **options):
        reminders = due_reminders(timezone.now())
        queued = failed = 0
        for reminder in reminders:
            line = f"{reminder.email}: {reminder.plan.transition.title} (week of {reminder.week})"
            if dry_run:
                self.stdout.write(f"would queue for {line}")
                continue
            try:
                if send_reminder(reminder):
                    queued += 1
                    self.stdout.write(f"queued for {line}")
            except Exception as error:  # the claim and its mail were rolled back together
                failed += 1
                self.stderr.write(f"could not queue for {line}: {error}")
        if dry_run:
            self.stdout.write(
                f"{len(reminders)} reminder{pluralize(len(reminders))} due; none queued (dry run)."
            )
            return
        self.stdout.write(self.style.SUCCESS(f"Queued {queued} reminder{pluralize(queued)}."))
        if failed:
            raise CommandError(
                f"{failed} reminder{pluralize(failed)} could not be queued; the next run retries them."
            )
