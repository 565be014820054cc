from django.core.management.base import BaseCommand
from django.template.defaultfilters import pluralize
from mailer.models import Message

from accounts.mail import MailWorker


class Command(BaseCommand):
    help = (
        "Deliver queued mail, retrying refused mail with back-off. Runs until stopped (under "
        "systemd, say); --once makes one pass that retries deferred mail too (for cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--once", action="store_true", help="one pass over the queue, deferred mail included"
        )
        parser.add_argument(
            "--poll", type=float, default=5.0, help="seconds between looks at the queue"
        )

    def handle(self, *args, once: bool, poll: float, **options):
        worker = MailWorker(poll=poll)
        if not once:
            self.stdout.write("Delivering queued mail; stop with CONTROL-C.")
            worker.run()
            return
        worker.run_pass(retry_now=True)
        left = Message.objects.count()
        deferred = Message.objects.deferred().count()
        self.stdout.write(
            f"{left} message{pluralize(left)} left in the queue, {deferred} deferred."
        )
