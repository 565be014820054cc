"""Dates for a personal plan: pure functions, no ORM, no clock (`today` is passed in).

A plan's calendar is a piecewise-linear map from *progress through the roadmap* (a fraction
of its weeks, 0 to 1) to dates. At the start it is one straight line from the start date to
start + pace months, so phases keep their relative lengths and are stretched to the pace.
Re-planning walks the plan's history as `history.replay` gives it (the one place its rules
live) over that line:

- a pace change on day T keeps the line before T and stretches the rest so that the plan ends
  at start + new pace (+ the days stopped so far), and never on or before T;
- a stop (paused, or left and later restored) from P for N days inserts a flat stretch:
  nothing is planned meanwhile, and everything after P moves N days later.

Done items keep the date they had when they were done (`fixed`), so re-planning never moves
them. Action-plan items fall due at start + 7, 30 and 90 days, moved by any stop before them.
Whatever the pace and history, every phase starts on or before it ends, phases follow each
other without overlap, and every item falls due inside its phase.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from roadmaps.history import Change, Replay, Stop, replay

__all__ = ["Change", "PhaseSpec", "Schedule", "add_months", "build_schedule", "timeline"]

ACTION_OFFSETS = {"week": 7, "month": 30, "quarter": 90}


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months, clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PhaseSpec:
    id: int
    weeks: int
    item_ids: Sequence[int] = ()


@dataclass(frozen=True)
class PhaseDates:
    start: date
    end: date  # inclusive


@dataclass
class Schedule:
    start: date
    end: date
    phases: dict[int, PhaseDates] = field(default_factory=dict)
    items: dict[int, date] = field(default_factory=dict)
    pauses: list[tuple[date, int]] = field(default_factory=list)
    paused_days: int = 0


Point = tuple[Fraction, date]


def _date_at(points: Sequence[Point], f: Fraction) -> date:
    """The planned date of progress `f` (the first date it is reached; 0 <= f <= 1).

    The line rises from 0 to 1, so some rising segment holds every `f`; flat stretches (time
    stopped) hold none.
    """
    for (fa, da), (fb, db) in pairwise(points):
        if fa < fb and fa <= f <= fb:
            return da + timedelta(days=int((f - fa) * (db - da).days / (fb - fa)))
    return points[-1][1]


def _progress_at(points: Sequence[Point], day: date) -> Fraction:
    """How far through the roadmap the plan expects to be on `day` (0 to 1)."""
    for (fa, da), (fb, db) in pairwise(points):
        if da < db and da <= day <= db:
            return fa + (fb - fa) * Fraction((day - da).days, (db - da).days)
    return points[0][0] if day < points[0][1] else points[-1][0]


def _cut(points: list[Point], day: date) -> list[Point]:
    """The line up to `day`, ending with the point reached on `day`."""
    if day <= points[0][1]:
        return [points[0]]
    kept = [p for p in points if p[1] < day]
    return [*kept, (_progress_at(points, day), day)]


def _shift(points: list[Point], since: date, days: int) -> list[Point]:
    """Nothing planned from `since` for `days` days; everything after moves later."""
    if days <= 0:
        return points
    if since <= points[0][1]:
        return [(f, d + timedelta(days=days)) for f, d in points]
    if since >= points[-1][1]:
        return points
    f_since = _progress_at(points, since)
    before = [p for p in points if p[1] < since]
    after = [(f, d + timedelta(days=days)) for f, d in points if d > since]
    return [*before, (f_since, since), (f_since, since + timedelta(days=days)), *after]


def timeline(
    start: date, pace_months: int, changes: Iterable[Change], today: date
) -> tuple[list[Point], list[tuple[date, int]]]:
    """The plan's progress-to-date line, and its stops as (first day, length in days)."""
    history = replay(start, pace_months, changes, today)
    return line(history), [(stop.first, stop.days) for stop in history.stops]


def line(history: Replay) -> list[Point]:
    """The progress-to-date line of a replayed history."""
    start = history.start
    points: list[Point] = [
        (Fraction(0), start),
        (Fraction(1), add_months(start, history.initial_pace)),
    ]
    stopped = 0
    for step in history.steps:
        if isinstance(step, Stop):
            points = _shift(points, step.first, step.days)
            stopped += step.days
            continue
        head = _cut(points, step.on)
        if head[-1][0] >= 1:
            continue  # the roadmap was already due in full: nothing left to re-plan
        end = add_months(start, step.months) + timedelta(days=stopped)
        end = max(end, head[-1][1] + timedelta(days=1))
        points = [*head, (Fraction(1), end)]
    return points


def _shift_by_pauses(day: date, pauses: Sequence[tuple[date, int]]) -> date:
    for since, days in pauses:
        if day >= since:
            day += timedelta(days=days)
    return day


def build_schedule(
    start: date,
    pace_months: int,
    phases: Sequence[PhaseSpec],
    actions: Mapping[int, str] | None = None,
    changes: Iterable[Change] = (),
    today: date | None = None,
    fixed: Mapping[int, date] | None = None,
) -> Schedule:
    """Planned dates for every phase and item of a plan.

    `phases` in order, each with its items in order; `actions` maps action-item ids to their
    horizon ("week", "month", "quarter"); `fixed` maps done items to the date they keep.
    """
    points, pauses = timeline(start, pace_months, changes, today or start)
    schedule = Schedule(
        start=start,
        end=points[-1][1],
        pauses=pauses,
        paused_days=sum(days for _, days in pauses),
    )
    fixed = fixed or {}
    total = sum(p.weeks for p in phases)
    elapsed = 0
    previous_end: date | None = None
    for number, phase in enumerate(phases):
        f_start = Fraction(elapsed, total)
        elapsed += phase.weeks
        f_end = Fraction(elapsed, total)
        first = _date_at(points, f_start) if number else start
        last = schedule.end if number == len(phases) - 1 else _date_at(points, f_end) - timedelta(1)
        # A short plan or a late, shorter pace can leave less than a day per phase: each phase
        # still gets at least its own day, after the one before it, and the plan ends with it.
        if previous_end is not None:
            first = max(first, previous_end + timedelta(days=1))
        last = max(last, first)
        previous_end = last
        schedule.phases[phase.id] = PhaseDates(first, last)
        count = len(phase.item_ids)
        for position, item_id in enumerate(phase.item_ids, start=1):
            planned = _date_at(points, f_start + (f_end - f_start) * Fraction(position, count + 1))
            schedule.items[item_id] = min(max(planned, first), last)
    if previous_end is not None:
        schedule.end = max(schedule.end, previous_end)
    for item_id, horizon in (actions or {}).items():
        base = start + timedelta(days=ACTION_OFFSETS[horizon])
        schedule.items[item_id] = min(_shift_by_pauses(base, pauses), schedule.end)
    for item_id, day in fixed.items():
        if item_id in schedule.items:
            schedule.items[item_id] = day
    return schedule
