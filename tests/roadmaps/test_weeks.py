from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from roadmaps.weeks import iso_label, local_date, streak, week_start, weeks_between


def test_week_start_is_the_iso_monday_across_a_year_boundary():
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)  # a Friday in 2026-W53
    assert iso_label(date(2026, 12, 28)) == "2026-W53"
    assert week_start(date(2027, 1, 4)) == date(2027, 1, 4)
    assert iso_label(date(2027, 1, 4)) == "2027-W01"
    assert iso_label(week_start(date(2024, 12, 31))) == "2025-W01"


def test_the_same_instant_falls_in_different_weeks_in_different_zones():
    instant = datetime(2026, 11, 22, 23, 30, tzinfo=UTC)  # Sunday night in London
    assert week_start(local_date(instant, ZoneInfo("Europe/London"))) == date(2026, 11, 16)
    # Already Monday morning in Auckland: the next week.
    assert week_start(local_date(instant, ZoneInfo("Pacific/Auckland"))) == date(2026, 11, 23)
    # Still Sunday afternoon in Los Angeles.
    assert week_start(local_date(instant, ZoneInfo("America/Los_Angeles"))) == date(2026, 11, 16)


def test_weeks_between_lists_mondays_inclusive():
    assert weeks_between(date(2026, 12, 30), date(2027, 1, 12)) == [
        date(2026, 12, 28),
        date(2027, 1, 4),
        date(2027, 1, 11),
    ]


W = [date(2026, 11, 2) + timedelta(weeks=n) for n in range(8)]  # Mondays


def test_streak_counts_consecutive_weeks_up_to_now():
    assert streak({W[3], W[4], W[5]}, [], W[5] + timedelta(days=2), W[0]) == 3


def test_an_empty_current_week_does_not_break_the_streak_yet():
    assert streak({W[3], W[4]}, [], W[5] + timedelta(days=3), W[0]) == 2


def test_a_missed_week_breaks_the_streak():
    assert streak({W[1], W[2], W[4]}, [], W[4], W[0]) == 1


def test_paused_weeks_neither_count_nor_break():
    paused = [(W[2], W[3] + timedelta(days=6))]  # weeks 2 and 3 paused
    assert streak({W[0], W[1], W[4]}, paused, W[4], W[0]) == 3


def test_activity_in_a_paused_week_still_counts():
    paused = [(W[2], W[2] + timedelta(days=2))]
    assert streak({W[1], W[2], W[3]}, paused, W[3], W[0]) == 3


def test_weeks_before_the_plan_started_end_the_count():
    assert streak({W[0], W[1], W[2]}, [], W[2], W[1]) == 2


def test_no_activity_means_no_streak():
    assert streak(set(), [], W[4], W[0]) == 0
