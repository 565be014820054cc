"""Dates for a personal plan: pure functions, no ORM, no clock (`today` is passed in).

A plan's calendar is a piecewise-linear map from *progress through the roadmap* (a fraction
of its weeks, 0 to 1) to dates. At the start it is one straight line from the start date to
start + pace months, so phases keep their relative lengths and are stretched to the pace.
Re-planning replays the plan's history over that line:

- a pace change on day T keeps the line before T and stretches the rest so that the plan ends
  at start + new pace (+ the days spent paused);
- a pause from P to R inserts a flat stretch: nothing is planned while paused, and everything
  after P moves R - P days later. A pause still running moves the rest to start from `today`.

Done items keep the date they had when they were done (`fixed`), so re-planning never moves
them. Action-plan items fall due at start + 7, 30 and 90 days, moved by any pause before them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

ACTION_OFFSETS = {"week": 7, "month": 30, "quarter": 90}


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months, clamped to the month's last day (31 Jan + 1 = 28 Feb)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Change:
    """One re-planning event from a plan's history, replayed in order."""

    kind: str  # "pace", "pause" or "resume"
    on: date
    pace_months: int | None = None


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
    """The planned date of progress `f` (the first date it is reached)."""
    for (fa, da), (fb, db) in zip(points, points[1:], strict=False):
        if fa < fb and fa <= f <= fb:
            days = (db - da).days
            return da + timedelta(days=int((f - fa) * days / (fb - fa)))
    return points[-1][1] if f >= points[-1][0] else points[0][1]


def _progress_at(points: Sequence[Point], day: date) -> Fraction:
    """How far through the roadmap the plan expects to be on `day` (0 to 1)."""
    if day <= points[0][1]:
        return points[0][0]
    for (fa, da), (fb, db) in zip(points, points[1:], strict=False):
        if da <= day <= db and da < db:
            return fa + (fb - fa) * Fraction((day - da).days, (db - da).days)
    return points[-1][0]


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
    """The plan's progress-to-date line, and its pauses as (first day, length in days)."""
    points: list[Point] = [(Fraction(0), start), (Fraction(1), add_months(start, pace_months))]
    pauses: list[tuple[date, int]] = []
    paused_since: date | None = None
    for change in changes:
        if change.kind == "pace" and paused_since is None:
            end = add_months(start, change.pace_months) + timedelta(
                days=sum(days for _, days in pauses)
            )
            head = _cut(points, change.on)
            if head[-1][0] >= 1:
                continue  # the roadmap was already due in full: nothing left to re-plan
            end = max(end, head[-1][1] + timedelta(days=1))
            points = [*head, (Fraction(1), end)]
        elif change.kind == "pause" and paused_since is None:
            paused_since = change.on
        elif change.kind == "resume" and paused_since is not None:
            days = (change.on - paused_since).days
            points = _shift(points, paused_since, days)
            pauses.append((paused_since, max(days, 0)))
            paused_since = None
    if paused_since is not None:  # still paused: the rest waits until today at the earliest
        days = max((today - paused_since).days, 0)
        points = _shift(points, paused_since, days)
        pauses.append((paused_since, days))
    return points, pauses


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
    for number, phase in enumerate(phases):
        f_start = Fraction(elapsed, total)
        elapsed += phase.weeks
        f_end = Fraction(elapsed, total)
        first = _date_at(points, f_start) if number else start
        last = schedule.end if number == len(phases) - 1 else _date_at(points, f_end) - timedelta(1)
        schedule.phases[phase.id] = PhaseDates(first, last)
        count = len(phase.item_ids)
        for position, item_id in enumerate(phase.item_ids, start=1):
            planned = _date_at(points, f_start + (f_end - f_start) * Fraction(position, count + 1))
            schedule.items[item_id] = min(max(planned, first), last)
    for item_id, horizon in (actions or {}).items():
        base = start + timedelta(days=ACTION_OFFSETS[horizon])
        schedule.items[item_id] = _shift_by_pauses(base, pauses)
    for item_id, day in fixed.items():
        if item_id in schedule.items:
            schedule.items[item_id] = day
    return schedule
