"""Who gets a check-in reminder now: due in their own time zone, verified, opted in, once a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import has_verified_login
from roadmaps.checkins import is_due
from roadmaps.models import CheckIn, Plan, ReminderSent
from roadmaps.weeks import week_start


@dataclass
class Reminder:
    plan: Plan
    week: date

    @property
    def email(self) -> str:
        return self.plan.user.email

    @property
    def url(self) -> str:
        return settings.SITE_URL + reverse("roadmaps:checkin", args=[self.plan.pk])


def candidate_plans():
    """Active plans of active members who want reminders at a verified address."""
    return (
        Plan.objects.filter(
            status=Plan.Status.ACTIVE, user__is_active=True, user__reminders_enabled=True
        )
        .filter(has_verified_login("user"))
        .select_related("user", "transition__from_role", "transition__to_role")
        .prefetch_related(
            Prefetch("checkins", queryset=CheckIn.objects.only("plan_id", "week")),
            Prefetch("reminders", queryset=ReminderSent.objects.only("plan_id", "week")),
        )
        .order_by("id")
    )


def due_reminders(now: datetime) -> list[Reminder]:
    reminders = []
    for plan in candidate_plans():
        today = plan.user.local_today(now)
        week = week_start(today)
        already = any(r.week == week for r in plan.reminders.all())
        if not already and is_due(plan, plan.user.checkin_weekday, today):
            reminders.append(Reminder(plan, week))
    return reminders


def send_reminder(reminder: Reminder) -> bool:
    """Claim the plan's week and queue its mail, in one transaction. False if already claimed.

    The claim is a unique row per plan and week, and the mail is written to the mail queue
    (EMAIL_BACKEND = mailer.backend.DbBackend) in the same transaction: both are kept or
    neither, so a second run, or a second machine running at the same time, queues nothing,
    and a mail server that is down delays the reminder (the worker retries it) but never loses
    it. Nothing here talks to the mail server.
    """
    context = {"reminder": reminder, "plan": reminder.plan, "user": reminder.plan.user}
    with transaction.atomic():
        _, created = ReminderSent.objects.get_or_create(plan=reminder.plan, week=reminder.week)
        if not created:
            return False
        send_mail(
            subject="Your weekly Waypoint check-in",
            message=render_to_string("roadmaps/email/checkin_reminder.txt", context),
            from_email=None,
            recipient_list=[reminder.email],
        )
    return True
