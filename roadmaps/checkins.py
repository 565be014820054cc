"""The weekly rhythm of a plan: which weeks had activity, the streak, whether a check-in is due.

Works on a plan loaded with `progress.with_content()` (its progress, history and check-ins
are prefetched), so it adds no queries per plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from django.db.models import Prefetch, prefetch_related_objects

from careers.models import RoadmapItem
from roadmaps.charts import NARROW, BurnUp, HoursChart, burn_up, hours_per_week
from roadmaps.models import CheckIn, ItemProgress, Plan
from roadmaps.progress import plan_replay
from roadmaps.weeks import overlaps, streak, week_start, weeks_between


def checkin_weeks(plan: Plan) -> set[date]:
    return {checkin.week for checkin in plan.checkins.all()}


def tick_weeks(plan: Plan) -> set[date]:
    """The weeks in which the member did something they ticked (by the day they gave)."""
    return {week_start(p.done_on) for p in plan.progress.all() if p.done_on}


def plan_streak(plan: Plan, today: date) -> int:
    """Weeks in a row with a check-in or a tick; stopped weeks (paused or left) step over."""
    active = checkin_weeks(plan) | tick_weeks(plan)
    return streak(active, plan_replay(plan, today).spans(), today, plan.start_date)


def missed_weeks(plan: Plan, today: date) -> list[date]:
    """Past weeks of the plan with no check-in, leaving out weeks it was paused or left."""
    done = checkin_weeks(plan)
    stopped = plan_replay(plan, today).spans()
    return [
        monday
        for monday in weeks_between(plan.start_date, today)
        if monday not in done and monday < week_start(today) and not overlaps(monday, stopped)
    ]


def is_due(plan: Plan, checkin_weekday: int, today: date) -> bool:
    """A check-in is due from the member's weekday until this week's check-in exists.

    Only for an active plan that had run for at least a day before this week's check-in day:
    a plan started on (or after) its check-in day is first due the week after.
    """
    checkin_day = week_start(today) + timedelta(days=checkin_weekday)
    return (
        plan.status == Plan.Status.ACTIVE
        and plan.start_date < checkin_day <= today
        and week_start(today) not in checkin_weeks(plan)
    )


def ticked_in_week(plan: Plan, week: date) -> list[ItemProgress]:
    """Items done during the week, by the day the member said they did them (read-only on the
    check-in form). "Already know" items were never done in any week."""
    rows = [p for p in plan.progress.all() if p.done_on and week_start(p.done_on) == week]
    return sorted(rows, key=lambda p: (p.done_on, p.done_at))


def checkin_for(plan: Plan, week: date) -> CheckIn | None:
    return next((c for c in plan.checkins.all() if c.week == week), None)


@dataclass
class Focus:
    """A check-in's focus items: those still on the roadmap, and those the editors retired
    since (the check-in keeps them; they come back if the editors restore them)."""

    items: list[RoadmapItem]
    retired: list[RoadmapItem]


def with_focus(checkins) -> None:
    """Load the check-ins' focus items with their phases, in one query (for `focus_of`)."""
    prefetch_related_objects(
        [c for c in checkins if c is not None],
        Prefetch("focus_items", queryset=RoadmapItem.objects.select_related("phase")),
    )


def focus_of(checkin: CheckIn) -> Focus:
    """For a check-in whose `focus_items` were prefetched with their phase."""
    chosen = sorted(
        checkin.focus_items.all(),
        key=lambda i: (i.phase is None, i.phase.order if i.phase else 0, i.order, i.id),
    )
    return Focus(
        [i for i in chosen if not i.is_retired],
        [i for i in chosen if i.is_retired],
    )


@dataclass
class Weekly:
    """A plan's week-by-week picture: streak, due check-in, charts. The charts are drawn when
    a page first shows them, so a tick's answer (streak only) never pays for them."""

    streak: int
    due: bool
    this_week: CheckIn | None
    view: object = field(repr=False, default=None)  # the PlanView the charts are drawn from
    today: date | None = None

    def _burn_up(self, *size) -> BurnUp:
        plan = self.view.plan
        counted = [r for r in self.view.rows.values() if r.state != ItemProgress.State.SKIPPED]
        # Ticked items count from the day they were done; items already known from the start.
        done_dates = [r.done_on for r in counted if r.is_done and r.done_on]
        done_dates += [plan.start_date for r in counted if r.is_known]
        planned = [r.planned_on for r in counted]
        return burn_up(
            plan.start_date, self.view.schedule.end, planned, done_dates, self.today, *size
        )

    def _hours(self, *size) -> HoursChart:
        plan = self.view.plan
        hours = {c.week: c.hours for c in plan.checkins.all()}
        return hours_per_week(plan.start_date, self.today, hours, plan.hours_per_week, *size)

    @cached_property
    def burn_up(self) -> BurnUp:
        return self._burn_up()

    @cached_property
    def hours(self) -> HoursChart:
        return self._hours()

    @cached_property
    def burn_up_narrow(self) -> BurnUp:  # the same charts drawn for a phone's width
        return self._burn_up(NARROW)

    @cached_property
    def hours_narrow(self) -> HoursChart:
        return self._hours(NARROW)


def weekly(view, user, today: date) -> Weekly:
    """For a PlanView built from a plan loaded with `with_content()`."""
    plan = view.plan
    return Weekly(
        streak=plan_streak(plan, today),
        due=is_due(plan, user.checkin_weekday, today),
        this_week=checkin_for(plan, week_start(today)),
        view=view,
        today=today,
    )
