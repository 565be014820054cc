"""Dates for a personal plan: pure functions, no ORM, no clock (`today` is passed in).

A plan's calendar is a piecewise-linear map from *progress through the roadmap* (a fraction
of its work, 0 to 1) to dates. At the start it is one straight line from the start date to
the plan's end: start + pace months, or, when the member gave hours per week and the roadmap
has effort estimates, start + total effort / hours per week weeks (rounded up to a day).
Re-planning walks the plan's history as `history.replay` gives it (the one place its rules
live) over that line:

- a pace change (months or hours per week) on day T keeps the line before T and stretches the
  rest so that the plan ends at start + the new pace (+ the days stopped so far), and never on
  or before T;
- a stop (paused, or left and later restored) from P for N days inserts a flat stretch:
  nothing is planned meanwhile, and everything after P moves N days later.

Where items fall on the line (`work_plan`):

- **Effort** (any item of the plan has `effort_hours`): items are walked in *work order* —
  dependencies first, plan order (phases in order, items in order) as the tiebreak — and each
  falls due when the effort accumulated up to and including it is done: an item never falls due
  before an item it depends on. An item without an estimate weighs its share of its phase's
  weeks at REFERENCE_HOURS_PER_WEEK (a phase of 6 weeks with 3 such items: 20 hours each).
- **Fallback** (no estimates at all, an un-enriched catalogue): today's even spread, each
  phase a share of the line in proportion to its weeks and its items spread through it.

Pace in months and hours per week are two views of one setting: `hours_for` and `months_for`
turn one into the other (hours rounded up, so the plan never ends later than the months).

Done items keep the date they had when they were done (`fixed`), so re-planning never moves
them. An action-plan item falls due with the first roadmap item sharing a skill with it, and
otherwise at its horizon, start + 7, 30 or 90 days moved by any stop before (`action_due`).
Whatever the pace and history, every phase starts on or before it ends and phases follow each
other without overlap; in the fallback every item falls due inside its phase.
"""

from __future__ import annotations

import calendar
import heapq
import math
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

from roadmaps.history import Change, Replay, Stop, replay

__all__ = [
    "Change",
    "PhaseSpec",
    "Schedule",
    "action_due",
    "add_months",
    "behind_hours",
    "build_schedule",
    "hours_for",
    "months_for",
    "plan_days",
    "timeline",
    "work_order",
]

ACTION_OFFSETS = {"week": 7, "month": 30, "quarter": 90}
# What a week of a phase means for items without an effort estimate, and "a normal pace".
REFERENCE_HOURS_PER_WEEK = 10
# The catch-up offer: behind by more than this many weeks of work at the member's hours.
CATCH_UP_WEEKS = 2
MAX_MONTHS = 60


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
    work: dict[int, Fraction] = field(default_factory=dict)  # hours each roadmap item weighs
    total_hours: Fraction = Fraction(0)
    by_effort: bool = False  # False: the fallback spread of an un-enriched catalogue
    hours_per_week: int = 0  # the pace in force, as hours per week (derived from months if so)


def plan_days(total_hours: Fraction | int, hours_per_week: int) -> int:
    """Days `total_hours` of work take at `hours_per_week` (rounded up; at least one)."""
    return max(1, math.ceil(Fraction(total_hours) * 7 / hours_per_week))


def hours_for(total_hours: Fraction | int, start: date, months: int) -> int:
    """Hours per week that fit `total_hours` into `months` from `start` (rounded up)."""
    days = (add_months(start, months) - start).days
    return max(1, math.ceil(Fraction(total_hours) * 7 / days))


def months_for(total_hours: Fraction | int, start: date, hours_per_week: int) -> int:
    """The fewest whole months from `start` that hold `total_hours` at `hours_per_week`."""
    end = start + timedelta(days=plan_days(total_hours, hours_per_week))
    months = 1
    while months < MAX_MONTHS and add_months(start, months) < end:
        months += 1
    return months


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
    start: date,
    pace_months: int,
    changes: Iterable[Change],
    today: date,
    total_hours: Fraction | int = 0,
    hours_per_week: int | None = None,
) -> tuple[list[Point], list[tuple[date, int]]]:
    """The plan's progress-to-date line, and its stops as (first day, length in days)."""
    history = replay(start, pace_months, changes, today)
    points = line(history, total_hours, hours_per_week)
    return points, [(stop.first, stop.days) for stop in history.stops]


def _end(start: date, months: int | None, hours: int | None, total_hours) -> date | None:
    """Where a pace ends the plan (no stops): by hours when there is effort to divide."""
    if hours and total_hours:
        return start + timedelta(days=plan_days(total_hours, hours))
    return add_months(start, months) if months else None


def line(
    history: Replay, total_hours: Fraction | int = 0, hours_per_week: int | None = None
) -> list[Point]:
    """The progress-to-date line of a replayed history (`hours_per_week`: the initial hours)."""
    start = history.start
    points: list[Point] = [
        (Fraction(0), start),
        (Fraction(1), _end(start, history.initial_pace, hours_per_week, total_hours)),
    ]
    stopped = 0
    for step in history.steps:
        if isinstance(step, Stop):
            points = _shift(points, step.first, step.days)
            stopped += step.days
            continue
        end = _end(start, step.months, step.hours, total_hours)
        if end is None:
            continue  # hours per week, but no effort to divide by them: the pace stands
        head = _cut(points, step.on)
        if head[-1][0] >= 1:
            continue  # the roadmap was already due in full: nothing left to re-plan
        end += timedelta(days=stopped)
        end = max(end, head[-1][1] + timedelta(days=1))
        points = [*head, (Fraction(1), end)]
    return points


def _shift_by_pauses(day: date, pauses: Sequence[tuple[date, int]]) -> date:
    for since, days in pauses:
        if day >= since:
            day += timedelta(days=days)
    return day


def work_order(item_ids: Sequence[int], depends_on: Mapping[int, Collection[int]]) -> list[int]:
    """`item_ids` (in plan order) with every item after the items it depends on, the plan
    order deciding between items free to go. Dependencies outside `item_ids` are ignored; a
    cycle (a catalogue error) is broken by taking the earliest item left in plan order."""
    position = {item: n for n, item in enumerate(item_ids)}
    waiting = {
        item: {d for d in depends_on.get(item, ()) if d in position and d != item}
        for item in item_ids
    }
    unlocks: dict[int, list[int]] = defaultdict(list)
    for item, needs in waiting.items():
        for need in needs:
            unlocks[need].append(item)
    ready = [position[item] for item in item_ids if not waiting[item]]
    heapq.heapify(ready)
    order: list[int] = []
    placed: set[int] = set()
    while len(order) < len(item_ids):
        if ready:
            item = item_ids[heapq.heappop(ready)]
        else:
            item = next(i for i in item_ids if i not in placed)
        if item in placed:
            continue
        placed.add(item)
        order.append(item)
        for later in unlocks[item]:
            waiting[later].discard(item)
            if not waiting[later] and later not in placed:
                heapq.heappush(ready, position[later])
    return order


def work_of(phases: Sequence[PhaseSpec], effort: Mapping[int, int | None]) -> dict[int, Fraction]:
    """Hours each item weighs: its estimate, or its share of its phase's weeks at the
    reference hours per week."""
    work = {}
    for phase in phases:
        share = Fraction(phase.weeks * REFERENCE_HOURS_PER_WEEK, max(len(phase.item_ids), 1))
        for item_id in phase.item_ids:
            hours = effort.get(item_id)
            work[item_id] = Fraction(hours) if hours else share
    return work


def action_due(
    horizon: str,
    covered: Iterable[date],
    start: date,
    pauses: Sequence[tuple[date, int]],
    end: date,
) -> date:
    """When an action-plan item falls due: at its horizon from the start ("this week", "this
    month", "next 90 days"), moved by any stop before it, or sooner when the roadmap work
    covering the same skills (`covered`: its due dates) is due sooner; never after the plan
    ends. So "Next 90 days: finish the specialization" falls due with the specialization when
    that is due within the 90 days, and "This week: enroll" stays this week although the
    course it starts runs for months."""
    due = _shift_by_pauses(start + timedelta(days=ACTION_OFFSETS[horizon]), pauses)
    covered = list(covered)
    if covered:
        due = min(due, min(covered))
    return min(due, end)


def behind_hours(
    work: Mapping[int, Fraction],
    due: Mapping[int, date],
    done: Collection[int],
    skipped: Collection[int],
    today: date,
) -> Fraction:
    """Hours of work the plan is behind by on `today`: the work of the roadmap items due on or
    before today, minus the work of the items done (whenever due); skipped items count in
    neither. Negative when ahead."""
    expected = sum(
        (h for i, h in work.items() if i not in skipped and due[i] <= today), Fraction(0)
    )
    actual = sum((h for i, h in work.items() if i not in skipped and i in done), Fraction(0))
    return expected - actual


def needs_catch_up(behind: Fraction, hours_per_week: int) -> bool:
    """Behind by more than CATCH_UP_WEEKS weeks of work at the member's hours per week."""
    return behind > CATCH_UP_WEEKS * hours_per_week


def build_schedule(
    start: date,
    pace_months: int,
    phases: Sequence[PhaseSpec],
    actions: Mapping[int, str] | None = None,
    changes: Iterable[Change] = (),
    today: date | None = None,
    fixed: Mapping[int, date] | None = None,
    *,
    effort: Mapping[int, int | None] | None = None,
    depends_on: Mapping[int, Collection[int]] | None = None,
    skills: Mapping[int, Collection[int]] | None = None,
    hours_per_week: int | None = None,
    known: Collection[int] = (),
) -> Schedule:
    """Planned dates for every phase and item of a plan.

    `phases` in order, each with its items in order; `actions` maps action-item ids to their
    horizon ("week", "month", "quarter"); `fixed` maps done items to the date they keep;
    `effort` maps items to their hours (None: no estimate), `depends_on` items to the items
    they need first, `skills` items (roadmap and action) to their skills; `hours_per_week` is
    the member's hours when the plan started (None: derived from the pace); `known` are the
    items the member already knows: with effort estimates their work is set aside, so the rest
    is planned at the same hours per week and the plan ends sooner (they fall due nowhere: the
    plan shows them as already known).
    """
    effort = effort or {}
    work = work_of(phases, effort)
    by_effort = any(effort.get(i) for i in work)
    known = set(known) & set(work)
    if known:
        # Set the known work aside and plan the rest at the same hours per week (the member's,
        # or the pace's for the whole roadmap); without estimates, each item weighs its share
        # of its phase's weeks, as in the even spread.
        if not hours_per_week:
            hours_per_week = hours_for(sum(work.values(), Fraction(0)), start, pace_months)
        work = {i: Fraction(0) if i in known else hours for i, hours in work.items()}
        by_effort = True
    total = sum(work.values(), Fraction(0))
    everything_known = by_effort and total == 0
    by_effort = by_effort and total > 0
    history = replay(start, pace_months, changes, today or start)
    if everything_known:  # nothing left to plan: the roadmap is due the day it starts
        points: list[Point] = [(Fraction(0), start), (Fraction(1), start + timedelta(days=1))]
    else:
        points = line(history, total if by_effort else 0, hours_per_week)
    pauses = [(stop.first, stop.days) for stop in history.stops]
    schedule = Schedule(
        start=start,
        end=points[-1][1],
        pauses=pauses,
        paused_days=sum(days for _, days in pauses),
        work=work,
        total_hours=total,
        by_effort=by_effort,
        hours_per_week=_hours_in_force(history, total, by_effort, hours_per_week),
    )
    if by_effort:
        _place_by_effort(schedule, points, phases, work, depends_on or {})
    else:
        _spread(schedule, points, phases)
    fixed = fixed or {}
    for item_id, day in fixed.items():
        if item_id in schedule.items:
            schedule.items[item_id] = day
    skills = skills or {}
    for item_id, horizon in (actions or {}).items():
        mine = set(skills.get(item_id, ()))
        covering = [i for i in work if mine & set(skills.get(i, ()))]
        # The roadmap item doing the bulk of the same work (the most hours; the earliest of
        # equals): "finish the specialization" is the course, not its 1-hour resource link.
        main = max(covering, key=lambda i: (work[i], -schedule.items[i].toordinal()), default=None)
        covered = [] if main is None else [schedule.items[main]]
        schedule.items[item_id] = fixed.get(item_id) or action_due(
            horizon, covered, start, pauses, schedule.end
        )
    return schedule


def _hours_in_force(history: Replay, total: Fraction, by_effort: bool, initial: int | None) -> int:
    """The pace in force as hours per week: the member's hours, or the months' equivalent."""
    hours, months = (initial if by_effort else None), history.initial_pace
    for step in history.pace_changes:
        if step.hours and by_effort:
            hours, months = step.hours, None
        elif step.months:
            hours, months = None, step.months
    if hours:
        return hours
    if total and months:
        return hours_for(total, history.start, months)
    return 0


def _place_by_effort(
    schedule: Schedule,
    points: Sequence[Point],
    phases: Sequence[PhaseSpec],
    work: Mapping[int, Fraction],
    depends_on: Mapping[int, Collection[int]],
) -> None:
    """Each item falls due when the work up to and including it (in work order) is done."""
    total = sum(work.values(), Fraction(0))
    order = work_order([i for p in phases for i in p.item_ids], depends_on)
    first_due = schedule.start + timedelta(days=1)
    begins: dict[int, date] = {}
    accumulated = Fraction(0)
    for item_id in order:
        begins[item_id] = _date_at(points, accumulated / total)
        accumulated += work[item_id]
        finished = _date_at(points, accumulated / total) - timedelta(days=1)
        # Never due the day the plan starts: nobody is behind on their first day.
        schedule.items[item_id] = max(begins[item_id], finished, first_due)
    previous_end: date | None = None
    for number, phase in enumerate(phases):
        if phase.item_ids:
            first = min(begins[i] for i in phase.item_ids)
            last = max(schedule.items[i] for i in phase.item_ids)
        else:
            first = last = previous_end + timedelta(days=1) if previous_end else schedule.start
        if number == 0:
            first = schedule.start
        if number == len(phases) - 1:
            last = max(last, schedule.end)
        if previous_end is not None:
            first = max(first, previous_end + timedelta(days=1))
        last = max(last, first)
        previous_end = last
        schedule.phases[phase.id] = PhaseDates(first, last)
    if previous_end is not None:
        schedule.end = max(schedule.end, previous_end)


def _spread(schedule: Schedule, points: Sequence[Point], phases: Sequence[PhaseSpec]) -> None:
    """The fallback: phases share the line by weeks, their items spread evenly through them."""
    start = schedule.start
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
