"""Edges of the pure core that mutation testing showed no test checked.

Each test pins one boundary: a week's first and last day, a day on a line's first point, the
member's own time zone rather than the server's, the order of a week's ticks.
"""

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from roadmaps.checkins import missed_weeks, plan_streak, tick_weeks, ticked_in_week, weekly
from roadmaps.models import ItemProgress, Plan, PlanChange
from roadmaps.progress import build_plan_view, plan_replay, with_content
from roadmaps.schedule import _cut, _date_at, _progress_at, _shift, _shift_by_pauses
from roadmaps.weeks import overlaps
from tests.factories import make_plan

AUCKLAND = ZoneInfo("Pacific/Auckland")
MONDAY = date(2027, 3, 8)
SUNDAY = MONDAY + timedelta(days=6)


# --- weeks.overlaps: a span touching the week's first or last day overlaps it -------------


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (MONDAY - timedelta(days=3), MONDAY, True),  # ends on the Monday
        (SUNDAY, SUNDAY + timedelta(days=4), True),  # starts on the Sunday
        (MONDAY - timedelta(days=9), MONDAY - timedelta(days=1), False),  # ends the day before
        (SUNDAY + timedelta(days=1), SUNDAY + timedelta(days=9), False),  # starts the day after
        (MONDAY + timedelta(days=2), MONDAY + timedelta(days=2), True),  # one day inside
    ],
)
def test_a_span_overlaps_a_week_when_it_shares_a_day(first, last, expected):
    assert overlaps(MONDAY, [(first, last)]) is expected


def test_no_spans_overlap_nothing():
    assert overlaps(MONDAY, []) is False


# --- schedule's line helpers -----------------------------------------------------------------

START = date(2026, 1, 1)
LINE = [(Fraction(0), START), (Fraction(1), START + timedelta(days=100))]


def test_progress_at_the_first_point_and_before_is_its_progress():
    line = [(Fraction(1, 4), START), (Fraction(1), START + timedelta(days=100))]
    assert _progress_at(line, START) == Fraction(1, 4)
    assert _progress_at(line, START - timedelta(days=5)) == Fraction(1, 4)
    assert _progress_at(line, START + timedelta(days=50)) == Fraction(1, 4) + Fraction(3, 8)
    assert _progress_at(line, START + timedelta(days=500)) == 1


def test_date_at_is_the_first_day_a_progress_is_reached():
    paused = [
        (Fraction(0), START),
        (Fraction(1, 2), START + timedelta(days=50)),
        (Fraction(1, 2), START + timedelta(days=80)),  # stopped for 30 days
        (Fraction(1), START + timedelta(days=130)),
    ]
    assert _date_at(paused, Fraction(0)) == START
    assert _date_at(paused, Fraction(1, 4)) == START + timedelta(days=25)
    assert _date_at(paused, Fraction(1, 2)) == START + timedelta(days=50)  # before the stop
    assert _date_at(paused, Fraction(3, 4)) == START + timedelta(days=105)
    assert _date_at(paused, Fraction(1)) == START + timedelta(days=130)
    assert _date_at(paused, Fraction(1, 3)) == START + timedelta(days=33)  # 33.3 days: rounds down


def test_a_stop_moves_a_date_on_or_after_its_first_day():
    stops = [(START + timedelta(days=10), 5), (START + timedelta(days=30), 2)]
    assert _shift_by_pauses(START + timedelta(days=9), stops) == START + timedelta(days=9)
    assert _shift_by_pauses(START + timedelta(days=10), stops) == START + timedelta(days=15)
    assert _shift_by_pauses(START + timedelta(days=30), stops) == START + timedelta(days=37)


def test_cut_keeps_the_points_before_the_day_and_ends_on_it():
    bent = [*LINE[:1], (Fraction(1, 2), START + timedelta(days=10)), LINE[1]]
    assert _cut(bent, START) == [LINE[0]]
    assert _cut(bent, START + timedelta(days=10)) == [
        LINE[0],
        (Fraction(1, 2), START + timedelta(days=10)),
    ]
    assert _cut(bent, START + timedelta(days=55)) == [
        LINE[0],
        (Fraction(1, 2), START + timedelta(days=10)),
        (Fraction(3, 4), START + timedelta(days=55)),
    ]


def test_shift_inserts_a_flat_stretch_at_the_day():
    day = START + timedelta(days=40)
    assert _shift(LINE, day, 10) == [
        LINE[0],
        (Fraction(2, 5), day),
        (Fraction(2, 5), day + timedelta(days=10)),
        (Fraction(1), START + timedelta(days=110)),
    ]
    assert _shift(LINE, day, 0) == LINE  # nothing stopped, nothing moves


def test_shift_on_the_first_day_moves_everything_and_after_the_end_nothing():
    assert _shift(LINE, START, 7) == [(f, d + timedelta(days=7)) for f, d in LINE]
    assert _shift(LINE, LINE[1][1], 7) == LINE
    bent = [LINE[0], (Fraction(1, 2), START + timedelta(days=10)), LINE[1]]
    # A stop starting exactly on a bend keeps the bend once, then waits.
    assert _shift(bent, START + timedelta(days=10), 5) == [
        LINE[0],
        (Fraction(1, 2), START + timedelta(days=10)),
        (Fraction(1, 2), START + timedelta(days=15)),
        (Fraction(1), START + timedelta(days=105)),
    ]


# --- check-ins in the member's own time zone ----------------------------------------------


def done(on: date | None, state: str = "done", at: datetime | None = None) -> ItemProgress:
    at = at or (datetime(on.year, on.month, on.day, 12, tzinfo=UTC) if on else None)
    return ItemProgress(
        state=state,
        done_on=on if state == "done" else None,
        done_at=at if state == "done" else None,
    )


def stub_plan(*progress):
    return SimpleNamespace(progress=SimpleNamespace(all=lambda: list(progress)))


def test_ticks_fall_in_the_week_of_the_day_they_were_done_not_the_day_they_were_ticked():
    # Done on Monday 8 March, ticked on Wednesday of the week after.
    ticked_later = done(MONDAY, at=datetime(2027, 3, 17, 9, 0, tzinfo=UTC))
    plan = stub_plan(ticked_later, done(None, "skipped"), done(None, "open"), done(None, "known"))
    assert tick_weeks(plan) == {MONDAY}
    assert ticked_in_week(plan, MONDAY) == [ticked_later]
    assert ticked_in_week(plan, MONDAY + timedelta(weeks=1)) == []


def test_a_weeks_ticks_are_listed_in_the_order_they_were_done():
    later = done(date(2027, 3, 10), at=datetime(2027, 3, 10, 9, 0, tzinfo=UTC))
    earlier = done(date(2027, 3, 9), at=datetime(2027, 3, 11, 9, 0, tzinfo=UTC))
    plan = stub_plan(later, earlier)
    assert ticked_in_week(plan, MONDAY) == [earlier, later]


@pytest.mark.django_db
def test_the_streak_and_charts_use_the_members_zone(frozen, member, transition):
    member.timezone = "Pacific/Auckland"
    member.checkin_weekday = 3
    member.save()
    plan = make_plan(member, transition, start_date=date(2027, 2, 1), hours_per_week=7)
    resource = transition.roadmap_items.filter(kind="resource").first()
    task = transition.roadmap_items.filter(kind="task").first()
    # Sunday 28 February 20:00 UTC is Monday 1 March in Auckland: last week there.
    plan.set_item_state(task, "done", now=datetime(2027, 2, 28, 20, 0, tzinfo=UTC))
    plan.set_item_state(resource, "skipped", now=datetime(2027, 2, 28, 20, 0, tzinfo=UTC))
    loaded = with_content(Plan.objects.filter(pk=plan.pk)).get()
    today = date(2027, 3, 10)
    assert loaded.progress.get(item=task).done_on == date(2027, 3, 1)  # not 28 Feb (UTC)
    assert plan_streak(loaded, today) == 1  # last week there; two weeks ago in UTC: broken
    view = build_plan_view(loaded, today)
    week = weekly(view, member, today)
    assert week.streak == 1
    assert week.due is False  # Thursday is the check-in day; today is Wednesday
    # 9 items counted (the skipped resource is not), 1 done by this week in Auckland.
    rows = {r.week: r.actual for r in week.burn_up.rows}
    assert rows[date(2027, 2, 22)] == 0  # in UTC it would already count there
    assert rows[date(2027, 3, 1)] == round(100 / 8)
    assert week.burn_up.actual_now == round(100 / 8)
    assert week.hours.target_y is not None
    assert week.this_week is None


@pytest.mark.django_db
def test_missed_weeks_skip_a_pause_still_running(frozen, member, transition):
    plan = make_plan(member, transition, start_date=date(2027, 2, 1))
    plan.record(PlanChange.Kind.PAUSE, date(2027, 2, 17))
    Plan.objects.filter(pk=plan.pk).update(status="paused", paused_on=date(2027, 2, 17))
    loaded = with_content(Plan.objects.filter(pk=plan.pk)).get()
    assert missed_weeks(loaded, date(2027, 3, 10)) == [date(2027, 2, 1), date(2027, 2, 8)]


@pytest.mark.django_db
def test_the_replay_starts_from_the_plans_first_pace(frozen, member, transition):
    plan = make_plan(member, transition, start_date=date(2027, 2, 1), pace_months=10)
    plan.change_pace(14, date(2027, 3, 1))
    history = plan_replay(with_content(Plan.objects.filter(pk=plan.pk)).get(), date(2027, 3, 10))
    assert history.initial_pace == 10
    assert history.pace == 14
