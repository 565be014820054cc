"""The weekly rhythm of a plan: which weeks had activity, the streak, whether a check-in is due.

Works on a plan loaded with `progress.with_content()` (its progress, history and check-ins
are prefetched), so it adds no queries per plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, prefetch_related_objects

from careers.models import RoadmapItem
from roadmaps.charts import BurnUp, HoursChart, burn_up, hours_per_week
from roadmaps.models import CheckIn, ItemProgress, Plan
from roadmaps.progress import plan_replay
from roadmaps.weeks import local_date, overlaps, streak, week_start, weeks_between


def checkin_weeks(plan: Plan) -> set[date]:
    return {checkin.week for checkin in plan.checkins.all()}


def tick_weeks(plan: Plan, zone: ZoneInfo) -> set[date]:
    """The weeks (in the member's zone) in which the member ticked something done."""
    return {
        week_start(local_date(p.done_at, zone))
        for p in plan.progress.all()
        if p.state == ItemProgress.State.DONE and p.done_at
    }


def plan_streak(plan: Plan, zone: ZoneInfo, today: date) -> int:
    """Weeks in a row with a check-in or a tick; stopped weeks (paused or left) step over."""
    active = checkin_weeks(plan) | tick_weeks(plan, zone)
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


def ticked_in_week(plan: Plan, week: date, zone: ZoneInfo) -> list[ItemProgress]:
    """Items done during the week (read-only on the check-in form)."""
    rows = [
        p
        for p in plan.progress.all()
        if p.state == ItemProgress.State.DONE
        and p.done_at
        and week_start(local_date(p.done_at, zone)) == week
    ]
    return sorted(rows, key=lambda p: p.done_at)


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
    """A plan's week-by-week picture: streak, due check-in, charts."""

    streak: int
    due: bool
    this_week: CheckIn | None
    burn_up: BurnUp
    hours: HoursChart


def weekly(view, user, today: date) -> Weekly:
    """For a PlanView built from a plan loaded with `with_content()`."""
    plan = view.plan
    zone = user.zone
    counted = [r for r in view.rows.values() if r.state != ItemProgress.State.SKIPPED]
    done_dates = [
        local_date(r.progress.done_at, zone) for r in counted if r.is_done and r.progress.done_at
    ]
    return Weekly(
        streak=plan_streak(plan, zone, today),
        due=is_due(plan, user.checkin_weekday, today),
        this_week=checkin_for(plan, week_start(today)),
        burn_up=burn_up(
            plan.start_date, view.schedule.end, [r.planned_on for r in counted], done_dates, today
        ),
        hours=hours_per_week(
            plan.start_date,
            today,
            {c.week: c.hours for c in plan.checkins.all()},
            plan.hours_per_week,
        ),
    )
