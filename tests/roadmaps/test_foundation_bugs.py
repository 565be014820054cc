"""The foundations review's bugs 1 and 3–9, each reproduced as it was reported.

Every test here failed before its fix. Dates are fixed and the clock is frozen.
"""

import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.urls import reverse
from mailer.models import Message

from careers.catalog.loader import load_catalog, read_catalog
from careers.models import Phase, Transition
from roadmaps.charts import PLOT_H, TOP, hours_per_week
from roadmaps.checkins import is_due, plan_streak
from roadmaps.forms import PaceForm
from roadmaps.history import Change
from roadmaps.models import ItemProgress, Plan, PlanChange, PlanStateError, ReminderSent
from roadmaps.progress import build_plan_view, with_content
from roadmaps.reminders import due_reminders, send_reminder
from roadmaps.schedule import PhaseSpec, add_months, build_schedule
from tests.conftest import NOW, TODAY  # the `frozen` fixture's instant, a Wednesday
from tests.factories import make_member, make_plan
from tests.mailtools import closed_port

SEED_000 = "software-engineer-to-ai-interpretability-researcher"


def loaded(plan):
    return with_content(Plan.objects.filter(pk=plan.pk)).get()


# --- 1. A phase removed from the catalogue file leaves the guide and every plan -------------


@pytest.mark.django_db
def test_a_phase_removed_from_the_catalogue_leaves_the_guide_and_plans(client, frozen):
    data = read_catalog()
    load_catalog(data)
    transition = Transition.objects.get(slug=SEED_000)
    member = make_member()
    plan = make_plan(member, transition, start_date=TODAY, pace_months=12)
    last_phase = transition.phases.get(order=4)
    ticked = last_phase.items.first()
    plan.set_item_state(ticked, "done", now=NOW)
    assert len(build_plan_view(loaded(plan), TODAY).phases) == 4

    shorter = copy.deepcopy(data)
    seed = next(t for t in shorter["transitions"] if t["slug"] == SEED_000)
    removed_title = seed["phases"].pop()["title"]
    report = load_catalog(shorter)

    assert report.removed["phases"] == 1
    page = client.get(transition.get_absolute_url()).content.decode()
    assert removed_title not in page
    assert "3 phases, 30 weeks" in page  # 12 + 10 + 8; the removed phase had 6
    view = build_plan_view(loaded(plan), TODAY)
    assert [g.title for g in view.phases] == [p["title"] for p in seed["phases"]]
    assert view.phases[-1].end == add_months(TODAY, 12)  # the 3 phases fill the whole pace
    assert ticked.id not in view.rows
    # The member's record of the retired phase's item is kept.
    assert ItemProgress.objects.get(plan=plan, item=ticked).state == "done"
    assert Phase.objects.get(pk=last_phase.pk).is_archived


# --- 3. Shortening the pace late never inverts phases -------------------------------------


def test_shortening_the_pace_late_keeps_every_phase_in_order():
    start = date(2026, 1, 5)
    phases = [
        PhaseSpec(1, 12, [11]),
        PhaseSpec(2, 10, [21]),
        PhaseSpec(3, 8, [31]),
        PhaseSpec(4, 6, [41]),
    ]
    day_275 = start + timedelta(days=275)
    schedule = build_schedule(
        start, 15, phases, changes=[Change("pace", day_275, 9)], today=day_275
    )
    for phase in phases:
        dates = schedule.phases[phase.id]
        assert dates.start <= dates.end
        assert dates.start <= schedule.items[phase.item_ids[0]] <= dates.end
    starts = [schedule.phases[p.id].start for p in phases]
    assert starts == sorted(starts) and len(set(starts)) == 4
    assert schedule.end >= day_275 + timedelta(days=1)


def test_a_one_month_pace_gives_a_short_phase_its_own_days():
    start = date(2026, 1, 5)
    schedule = build_schedule(start, 1, [PhaseSpec(1, 1, [1]), PhaseSpec(2, 35, [2])])
    first, second = schedule.phases[1], schedule.phases[2]
    assert first.start == start and first.end >= first.start
    assert second.start == first.end + timedelta(days=1)
    assert second.end == add_months(start, 1)


@pytest.mark.django_db
def test_the_pace_form_refuses_a_pace_that_has_already_run_out(frozen):
    member = make_member()
    transition = Transition.objects.create(
        slug="t",
        title="T",
        from_role=_role("bg", "background"),
        to_role=_role("ai", "ai_role"),
        status="published",
        difficulty="moderate",
        timeline_min_months=9,
        timeline_max_months=15,
    )
    start = TODAY - timedelta(days=275)
    plan = make_plan(member, transition, start_date=start, pace_months=15)
    form = PaceForm({"pace_months": 9}, plan=loaded(plan), today=TODAY)
    assert not form.is_valid()
    ended = add_months(start, 9)
    assert form.errors["pace_months"] == [
        f"At 9 months your plan would already have ended, on {ended:%-d %B %Y}. "
        "Choose at least 10 months, or keep your pace."
    ]
    assert PaceForm({"pace_months": 10}, plan=loaded(plan), today=TODAY).is_valid()


def _role(slug, kind):
    from careers.models import Role

    return Role.objects.create(slug=slug, name=slug.upper(), kind=kind, status="published")


# --- 4. Pause and leave at once never leave a pause running for ever -----------------------


@pytest.mark.django_db
def test_pause_and_leave_sent_together_end_the_pause(plan, frozen):
    first_tab = Plan.objects.get(pk=plan.pk)
    second_tab = Plan.objects.get(pk=plan.pk)  # read before the pause, as a second tab is
    first_tab.set_status(Plan.Status.PAUSED, TODAY)
    second_tab.set_status(Plan.Status.ARCHIVED, TODAY + timedelta(days=3))

    kinds = list(plan.changes.values_list("kind", flat=True))
    assert kinds == ["start", "pause", "resume", "archive"]
    second_tab.set_status(Plan.Status.ACTIVE, TODAY + timedelta(days=10))
    fresh = loaded(plan)
    later = build_plan_view(fresh, TODAY + timedelta(days=40)).schedule.end
    much_later = build_plan_view(fresh, TODAY + timedelta(days=400)).schedule.end
    assert later == much_later  # the end no longer slides with today


@pytest.mark.django_db
def test_impossible_moves_are_refused_in_the_model(frozen, plan, member_client):
    plan.set_status(Plan.Status.ARCHIVED, TODAY)
    with pytest.raises(PlanStateError, match="Restore the plan before pausing it."):
        Plan.objects.get(pk=plan.pk).set_status(Plan.Status.PAUSED, TODAY)
    with pytest.raises(PlanStateError, match="Resume or restore the plan"):
        Plan.objects.get(pk=plan.pk).change_pace(12, TODAY)
    response = member_client.post(
        reverse("roadmaps:status", args=[plan.pk]), {"status": "paused"}, follow=True
    )
    assert "Restore the plan before pausing it." in response.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == Plan.Status.ARCHIVED


# --- 5. A pause that ends before the plan starts moves nothing ----------------------------


def test_a_pause_before_the_start_moves_nothing():
    start = date(2026, 6, 1)
    phases = [PhaseSpec(1, 4, [1, 2]), PhaseSpec(2, 4, [3])]
    plain = build_schedule(start, 6, phases, actions={9: "week"})
    paused = build_schedule(
        start,
        6,
        phases,
        actions={9: "week"},
        changes=[Change("pause", date(2026, 5, 1)), Change("resume", date(2026, 5, 20))],
        today=date(2026, 7, 1),
    )
    assert paused.items == plain.items
    assert paused.end == plain.end
    assert paused.paused_days == 0


# --- 6. Pausing and resuming on one day does not shield a missed week ---------------------


@pytest.mark.django_db
def test_a_same_day_pause_does_not_shield_a_missed_week(plan, member, frozen):
    plan.start_date = TODAY - timedelta(weeks=3)
    plan.save()
    from roadmaps.models import CheckIn
    from roadmaps.weeks import week_start

    this_week = week_start(TODAY)
    for weeks_ago in (1, 3):  # nothing in the week two weeks ago
        CheckIn.objects.create(
            plan=plan, week=this_week - timedelta(weeks=weeks_ago), hours=5, confidence=3
        )
    blip = this_week - timedelta(weeks=2) + timedelta(days=2)
    plan.record(PlanChange.Kind.PAUSE, blip)
    plan.record(PlanChange.Kind.RESUME, blip)
    assert plan_streak(loaded(plan), TODAY) == 1


# --- 7. Time spent "left" does not count against the member ------------------------------


@pytest.mark.django_db
def test_leaving_and_restoring_does_not_bring_the_plan_back_behind(plan, time_machine):
    start = plan.start_date
    time_machine.move_to(datetime.combine(start, datetime.min.time(), UTC), tick=False)
    left_on = start + timedelta(days=30)
    before = build_plan_view(loaded(plan), left_on).progress.expected
    Plan.objects.get(pk=plan.pk).set_status(Plan.Status.ARCHIVED, left_on)
    back_on = left_on + timedelta(days=90)
    Plan.objects.get(pk=plan.pk).set_status(Plan.Status.ACTIVE, back_on)
    view = build_plan_view(loaded(plan), back_on)
    assert view.progress.expected == before
    assert view.schedule.paused_days == 90


# --- 8. Check-ins and reminders --------------------------------------------------------------


@pytest.mark.django_db
def test_no_check_in_is_due_on_the_plans_first_day(plan, frozen):
    plan.start_date = TODAY  # a Wednesday
    plan.save()
    assert not is_due(loaded(plan), TODAY.weekday(), TODAY)
    next_wednesday = TODAY + timedelta(days=7)
    assert is_due(loaded(plan), TODAY.weekday(), next_wednesday)
    # Started on Monday with a Wednesday check-in day: due that Wednesday.
    plan.start_date = TODAY - timedelta(days=2)
    plan.save()
    assert is_due(loaded(plan), TODAY.weekday(), TODAY)


@pytest.mark.django_db
def test_no_reminder_on_the_plans_first_day(transition, frozen):
    member = make_member(checkin_weekday=TODAY.weekday())
    make_plan(member, transition, start_date=TODAY)
    assert due_reminders(NOW) == []


@pytest.mark.django_db
def test_reminders_and_the_banner_agree_on_verified(transition, client, frozen):
    from allauth.account.models import EmailAddress

    member = make_member(checkin_weekday=0)
    make_plan(member, transition, start_date=TODAY - timedelta(weeks=3))
    # Verified, but not the primary address: the banner calls it unverified, so no reminder.
    EmailAddress.objects.filter(user=member).update(primary=False)
    client.force_login(member)
    page = client.get(reverse("roadmaps:dashboard")).content.decode()
    assert "verify" in page.lower()
    assert due_reminders(NOW) == []
    EmailAddress.objects.filter(user=member).update(primary=True)
    assert [r.email for r in due_reminders(NOW)] == [member.email]


@pytest.mark.django_db(transaction=True)
def test_a_reminder_is_claimed_and_queued_in_one_transaction_without_the_mail_server(
    transition, frozen, settings
):
    # Production mail, with a mail server that refuses: the reminder run never talks to it.
    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    member = make_member(checkin_weekday=0)
    make_plan(member, transition, start_date=TODAY - timedelta(weeks=3))
    seen = []
    real_bulk_create = Message.objects.bulk_create

    def watch_queue(*args, **kwargs):
        seen.append(connection.in_atomic_block and ReminderSent.objects.exists())
        return real_bulk_create(*args, **kwargs)

    (reminder,) = due_reminders(NOW)
    with patch.object(Message.objects, "bulk_create", watch_queue):
        assert send_reminder(reminder) is True
        assert send_reminder(reminder) is False  # claimed once: nothing more is queued
    assert seen == [True]  # queued inside the transaction that holds the claim
    [queued] = Message.objects.all()
    assert queued.to_addresses == [member.email]
    assert ReminderSent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_reminder_that_cannot_be_queued_is_given_back_for_the_next_run(
    transition, frozen, settings
):
    from io import StringIO

    from django.core.management import CommandError, call_command

    settings.EMAIL_BACKEND = "mailer.backend.DbBackend"
    settings.MAILER_EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    member = make_member(checkin_weekday=0)
    make_plan(member, transition, start_date=TODAY - timedelta(weeks=3))

    def refuse(*args, **kwargs):
        raise OperationalError("database is locked")

    err = StringIO()
    with (
        patch.object(Message.objects, "bulk_create", refuse),
        pytest.raises(CommandError, match="1 reminder"),
    ):
        call_command("send_checkin_reminders", stdout=StringIO(), stderr=err)
    assert "database is locked" in err.getvalue()
    assert ReminderSent.objects.count() == 0  # the claim went with the mail
    assert not Message.objects.exists()

    out = StringIO()
    call_command("send_checkin_reminders", stdout=out)
    assert "Queued 1 reminder." in out.getvalue()
    call_command("send_checkin_reminders", stdout=out)
    assert "Queued 0 reminders." in out.getvalue()
    call_command("mail_worker", "--once", stdout=StringIO())
    assert [m.to for m in mail.outbox] == [[member.email]]


# --- 9. The hours chart's scale rounds up --------------------------------------------------


@pytest.mark.parametrize(("hours", "top"), [("10.5", 20), ("20.5", 30), ("10", 10), ("0.5", 10)])
def test_every_hours_bar_stays_inside_the_chart(hours, top):
    monday = date(2026, 11, 16)
    chart = hours_per_week(monday, monday + timedelta(days=2), {monday: Decimal(hours)}, None)
    assert chart.max_hours == top
    (bar,) = chart.bars
    assert bar.y >= TOP
    assert bar.height == round(PLOT_H * float(Decimal(hours) / top), 1)


@pytest.mark.django_db
def test_the_calendars_first_check_in_agrees_with_the_banner(frozen, client, member, transition):
    from icalendar import Calendar

    from roadmaps.calendar import reset_feed

    member.checkin_weekday = TODAY.weekday()
    member.save()
    make_plan(member, transition, start_date=TODAY, pace_months=9)
    feed = reset_feed(member)
    response = client.get(reverse("roadmaps:calendar_feed", args=[feed.token]))
    (weekly,) = [
        e
        for e in Calendar.from_ical(response.content).walk("VEVENT")
        if str(e["summary"]).startswith("Weekly check-in")
    ]
    assert weekly["dtstart"].dt == TODAY + timedelta(days=7)
