"""A plan's history, replayed once. Pure: no ORM, no clock (`today` is passed in).

Every reader of a plan's past — the schedule, the on-track status, the streak, missed weeks,
the due check-in, reminders and the calendar — reads one `Replay`, so the rules live here only:

- The clock runs from the plan's start date. Pausing stops it, resuming starts it again;
  leaving the plan stops it too, and restoring starts it again.
- A stop covers the days `[first, until)`: paused on day P and resumed on day R stops the plan
  for R - P days, and everything after P moves that much later. A stop still running covers
  `[first, today)`: the rest of the plan waits until today at the earliest.
- Only days from the start date on count: a pause that ends before the plan starts stops
  nothing, and one that straddles the start stops the days from the start.
- A stop of no days (paused and resumed on the same day) stops nothing.
- A change of pace is in months ("pace") or in hours per week ("hours"): two views of one
  setting, re-planning what is left either way (see `schedule.line`).
- Impossible events are ignored rather than trusted: resuming a plan that is not paused,
  pausing one that is not active, restoring one that was not left, a pace or hours change
  while the plan is not active. Leaving a paused plan ends the pause and starts the leave that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ACTIVE, PAUSED, LEFT = "active", "paused", "left"

# What each recorded event does to a plan in each state: (from state, kind) -> new state.
TRANSITIONS = {
    (ACTIVE, "pause"): PAUSED,
    (PAUSED, "resume"): ACTIVE,
    (ACTIVE, "archive"): LEFT,
    (PAUSED, "archive"): LEFT,
    (LEFT, "restore"): ACTIVE,
}


@dataclass(frozen=True)
class Change:
    """One event from a plan's history: pace, hours, pause, resume, archive (leave), restore."""

    kind: str
    on: date
    pace_months: int | None = None
    hours_per_week: int | None = None


@dataclass(frozen=True)
class Stop:
    """Days on which the plan's clock stood still: `[first, until)`."""

    first: date
    until: date
    kind: str  # PAUSED or LEFT
    running: bool = False  # still going on `today`

    @property
    def days(self) -> int:
        return (self.until - self.first).days

    @property
    def last(self) -> date:
        """The last day stopped (inclusive)."""
        return self.until - timedelta(days=1)


@dataclass(frozen=True)
class PaceChange:
    """A new pace from `on`: in months, or (`months` None) in hours per week."""

    on: date
    months: int | None
    hours: int | None = None


@dataclass(frozen=True)
class Replay:
    start: date
    initial_pace: int
    status: str
    steps: tuple[Stop | PaceChange, ...]  # in the order they took effect

    @property
    def stops(self) -> list[Stop]:
        return [s for s in self.steps if isinstance(s, Stop)]

    @property
    def pace_changes(self) -> list[PaceChange]:
        return [s for s in self.steps if isinstance(s, PaceChange)]

    @property
    def pace(self) -> int:
        """The pace in months last chosen (an hours change leaves it as it was)."""
        months = [c.months for c in self.pace_changes if c.months]
        return months[-1] if months else self.initial_pace

    @property
    def stopped_days(self) -> int:
        return sum(s.days for s in self.stops)

    def spans(self) -> list[tuple[date, date]]:
        """Stops as (first, last) day pairs, both inclusive, for week arithmetic."""
        return [(s.first, s.last) for s in self.stops]

    def is_stopped(self, day: date) -> bool:
        return any(s.first <= day < s.until for s in self.stops)


def replay(start: date, pace_months: int, changes: Iterable[Change], today: date) -> Replay:
    """Replay `changes` (in the order they were recorded) over a plan started on `start`."""
    state = ACTIVE
    since: date | None = None  # when the current stop began
    steps: list[Stop | PaceChange] = []

    def close(first: date, until: date, kind: str, running: bool = False) -> None:
        first = max(first, start)
        if until > first:
            steps.append(Stop(first, until, kind, running))

    for change in changes:
        if change.kind == "pace":
            if state == ACTIVE and change.pace_months:
                steps.append(PaceChange(max(change.on, start), change.pace_months))
            continue
        if change.kind == "hours":
            if state == ACTIVE and change.hours_per_week:
                steps.append(PaceChange(max(change.on, start), None, change.hours_per_week))
            continue
        new_state = TRANSITIONS.get((state, change.kind))
        if new_state is None:
            continue
        if state != ACTIVE:
            close(since, change.on, state)
        since = change.on if new_state != ACTIVE else None
        state = new_state
    if state != ACTIVE:
        close(since, max(today, since), state, running=True)
    return Replay(start, pace_months, state, tuple(steps))
