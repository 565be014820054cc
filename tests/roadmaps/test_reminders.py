from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from mailer.models import Message

from roadmaps.models import CheckIn, ReminderSent
from roadmaps.reminders import due_reminders
from roadmaps.weeks import week_start
from tests.factories import make_member, make_plan
from tests.mailtools import LOCMEM, QUEUE

pytestmark = pytest.mark.django_db

# A Wednesday, 10:00 UTC.
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.now", lambda: NOW)
    return NOW


def member_with_plan(transition, **kwargs):
    kwargs.setdefault("checkin_weekday", 0)  # Monday: due all week
    verified = kwargs.pop("verified", True)
    member = make_member(verified=verified, **kwargs)
    plan = make_plan(member, transition, start_date=NOW.date() - timedelta(weeks=4))
    return member, plan


def run(*args) -> str:
    out = StringIO()
    call_command("send_checkin_reminders", *args, stdout=out)
    return out.getvalue()


def test_it_queues_once_per_plan_per_week_and_the_worker_delivers_it(
    frozen_now, transition, settings
):
    settings.EMAIL_BACKEND = QUEUE
    settings.MAILER_EMAIL_BACKEND = LOCMEM
    member, plan = member_with_plan(transition, email="due@example.com")
    output = run()
    assert "queued for due@example.com" in output
    assert "Queued 1 reminder." in output
    assert ReminderSent.objects.get().week == week_start(NOW.date())
    [queued] = Message.objects.all()
    assert queued.to_addresses == ["due@example.com"]
    assert not mail.outbox  # nothing talks to the mail server but the worker
    assert "Queued 0 reminders." in run()  # a second run queues nothing
    assert Message.objects.count() == 1

    call_command("mail_worker", "--once", stdout=StringIO())
    [message] = mail.outbox
    assert message.to == ["due@example.com"]
    assert f"/plans/{plan.id}/checkins/" in message.body
    assert not Message.objects.exists()
    assert "Queued 0 reminders." in run()
    call_command("mail_worker", "--once", stdout=StringIO())
    assert len(mail.outbox) == 1


def test_dry_run_lists_and_queues_nothing(frozen_now, transition, settings):
    settings.EMAIL_BACKEND = QUEUE
    member_with_plan(transition, email="listed@example.com")
    output = run("--dry-run")
    assert "would queue for listed@example.com" in output
    assert "1 reminder due; none queued (dry run)." in output
    assert not mail.outbox and not Message.objects.exists()
    assert not ReminderSent.objects.exists()


def test_it_respects_opt_out_verification_pauses_archives_and_checkins(frozen_now, transition):
    member_with_plan(transition, email="optout@example.com", reminders_enabled=False)
    member_with_plan(transition, email="unverified@example.com", verified=False)
    _, paused = member_with_plan(transition, email="paused@example.com")
    paused.set_status("paused", NOW.date())
    _, left = member_with_plan(transition, email="left@example.com")
    left.set_status("archived", NOW.date())
    _, done = member_with_plan(transition, email="checked@example.com")
    CheckIn.objects.create(plan=done, week=week_start(NOW.date()), hours=2, confidence=3)
    member_with_plan(transition, email="later@example.com", checkin_weekday=4)  # Friday
    assert run().endswith("Queued 0 reminders.\n")
    assert not mail.outbox


def test_it_uses_the_members_time_zone(monkeypatch, transition):
    # Sunday 20:00 UTC is already Monday 09:00 in Auckland, but still Sunday in New York.
    sunday_night = datetime(2027, 3, 14, 20, 0, tzinfo=UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: sunday_night)
    member_with_plan(
        transition, email="nz@example.com", timezone="Pacific/Auckland", checkin_weekday=0
    )
    ny, ny_plan = member_with_plan(
        transition, email="ny@example.com", timezone="America/New_York", checkin_weekday=0
    )
    # New York's Monday check-in for the Sunday's week already exists.
    CheckIn.objects.create(
        plan=ny_plan, week=week_start(sunday_night.date()), hours=1, confidence=3
    )
    emails = [r.email for r in due_reminders(sunday_night)]
    assert emails == ["nz@example.com"]
    [sent] = due_reminders(sunday_night)
    assert sent.week == datetime(2027, 3, 15).date()  # Auckland's new week


def test_a_changed_email_must_be_verified_again(frozen_now, transition):
    member, _ = member_with_plan(transition, email="old@example.com")
    member.email = "new@example.com"
    member.save()
    assert due_reminders(NOW) == []


def test_reminders_query_count_does_not_grow_with_members(
    frozen_now, transition, django_assert_max_num_queries
):
    for _ in range(15):
        member_with_plan(transition)
    with django_assert_max_num_queries(4):
        assert len(due_reminders(NOW)) == 15
