"""The mail worker: delivers django-mailer's queue and retries refused mail with back-off.

Everything Waypoint mails (verification, "you already have an account", password reset,
reminders) is written to the queue by `send_mail` (EMAIL_BACKEND = mailer.backend.DbBackend)
in the same transaction as the change that causes it. django-mailer sends each message in its
own transaction under a row lock, deletes it once the server took it, and defers it when the
server refuses; this worker decides when deferred mail is tried again: after 30 s, then after
twice as long each time it is refused again, never longer than 15 minutes, and never gives up.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DatabaseError, close_old_connections, connections
from mailer.engine import handle_delivery_exception, send_all
from mailer.models import RESULT_FAILURE, Message, MessageLog

logger = logging.getLogger(__name__)


def defer_every_failure(connection, message, error: Exception):
    """MAILER_ERROR_HANDLER: django-mailer defers SMTP and socket errors but raises anything
    else, so one message that cannot be sent would stop the worker at the head of the queue
    again after every restart. Here any failure defers the message (kept, retried, shown in
    the admin with its log) and is logged with its traceback."""
    try:
        return handle_delivery_exception(connection, message, error)
    except Exception:
        logger.exception("Message %s could not be sent; deferred.", message.pk)
        message.defer()
        MessageLog.objects.log(message, RESULT_FAILURE, log_message=repr(error))
        return None, "deferred"


@dataclass
class MailWorker:
    poll: float = 5.0  # seconds between looks at the queue
    first_wait: float = 30.0  # before deferred mail is first tried again
    longest_wait: float = 900.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wait: float = 0.0  # the current back-off; 0 while nothing is deferred
    retry_at: float = 0.0  # when deferred mail is tried again (clock time)

    def run_pass(self, *, retry_now: bool = False) -> None:
        """Send the queue, with deferred mail too when its wait is over (or `retry_now`)."""
        if (retry_now or self.clock() >= self.retry_at) and Message.objects.deferred().exists():
            retried = Message.objects.retry_deferred()
            logger.info("Retrying %d deferred message%s.", retried, "" if retried == 1 else "s")
        if Message.objects.non_deferred().exists():
            send_all()
        if not Message.objects.deferred().exists():
            self.wait = self.retry_at = 0.0
        elif self.clock() >= self.retry_at:
            self.wait = min(self.wait * 2, self.longest_wait) if self.wait else self.first_wait
            self.retry_at = self.clock() + self.wait
            logger.warning("Mail deferred; next try in %g s.", self.wait)

    def run(self, passes: int | None = None) -> None:
        """Run `passes` passes (forever when None), `poll` seconds apart. A database that does
        not answer is waited for, not fatal."""
        done = 0
        while passes is None or done < passes:
            try:
                close_old_connections()  # as Django does between requests
                self.run_pass()
            except DatabaseError as error:
                logger.warning("Mail queue unreachable (%s); trying again shortly.", error)
                connections.close_all()
                self.sleep(self.first_wait)
            done += 1
            if passes is None or done < passes:
                self.sleep(self.poll)
