"""What a plan looks like today: dated groups of items, progress, on-track status, focus.

Everything here works on rows already loaded by `with_content()`, so a page showing one plan
or ten runs the same handful of queries whatever the number of items.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction
from functools import cached_property

from django.db.models import Prefetch, QuerySet

from careers.models import Phase, RoadmapItem
from careers.page_cache import catalog_version
from roadmaps.history import Change, Replay, replay
from roadmaps.models import CheckIn, ItemProgress, Plan, PlanChange
from roadmaps.schedule import PhaseSpec, Schedule, behind_hours, build_schedule, needs_catch_up
from roadmaps.weeks import day_label

FOCUS_LIMIT = 8


@dataclass(frozen=True)
class Roadmap:
    """A transition's current roadmap as plans schedule it: phases in order, and items with
    their phase, skills and dependencies."""

    phases: list[Phase]
    items: list[RoadmapItem]
    version: str = ""  # the catalog version it was loaded under
    # Items retired from it (archived, or of an archived phase), with their phase: members'
    # records of them stay on their plans.
    retired: dict[int, RoadmapItem] = field(default_factory=dict)
    # Schedules of plans on this roadmap (plan_schedule), least recently used first.
    schedules: OrderedDict[tuple, Schedule] = field(
        default_factory=OrderedDict, compare=False, repr=False
    )

    @cached_property
    def by_id(self) -> dict[int, RoadmapItem]:
        return {item.id: item for item in self.items}

    @cached_property
    def schedule_content(self) -> tuple[list[PhaseSpec], dict[str, dict]]:
        """What the scheduler needs of this roadmap, worked out once per catalog version."""
        return schedule_content(self.phases, self.items)


# Roadmaps are catalog content, the same for every member on a transition: each process loads
# one once per catalog version (careers.page_cache), and a staff change, which replaces the
# version, makes the next request load it afresh. The rows are only read, never changed.
_roadmaps: dict[str, dict[int, Roadmap]] = {}
_roadmaps_lock = threading.Lock()


def load_roadmaps(transition_ids) -> dict[int, Roadmap]:
    """The current roadmaps of these transitions: one read of the catalog version, and the
    database only for those this process has not loaded since the version last changed."""
    version = catalog_version()  # read before loading: a change meanwhile replaces it
    with _roadmaps_lock:
        known = _roadmaps.get(version)
        if known is None:
            _roadmaps.clear()
            known = _roadmaps[version] = {}
        missing = {t for t in transition_ids if t not in known}
    if missing:
        phases = defaultdict(list)
        for phase in Phase.objects.current().filter(transition_id__in=missing).order_by("order"):
            phases[phase.transition_id].append(phase)
        items = defaultdict(list)
        retired = defaultdict(dict)  # kept for members' records of them
        for item in (
            RoadmapItem.objects.filter(transition_id__in=missing)
            .select_related("phase")
            .prefetch_related(
                Prefetch("depends_on", queryset=RoadmapItem.objects.only("id")), "skills"
            )
            .order_by("order", "kind", "id")
        ):
            if item.is_retired:  # the rule RoadmapItem.objects.current() applies
                retired[item.transition_id][item.id] = item
            else:
                items[item.transition_id].append(item)
        with _roadmaps_lock:
            for t in missing:
                known[t] = Roadmap(phases[t], items[t], version, retired[t])
    return {t: known[t] for t in transition_ids}


def attach_roadmaps(plans) -> list[Plan]:
    """Give each plan its transition's roadmap (`plan.roadmap`), for any number of plans at
    the cost of one: the dashboard and the calendar show several. Progress loaded by
    `with_content` gets its item from the roadmap (retired ones too); an item of another
    roadmap (none, unless moved between transitions) comes in one query."""
    plans = list(plans)
    roadmaps = load_roadmaps({p.transition_id for p in plans})
    elsewhere: dict[int, list[ItemProgress]] = defaultdict(list)  # items of no roadmap here
    for plan in plans:
        plan.roadmap = roadmaps[plan.transition_id]
        for record in loaded_progress(plan):
            item = plan.roadmap.by_id.get(record.item_id) or plan.roadmap.retired.get(
                record.item_id
            )
            if item is not None:
                ItemProgress.item.field.set_cached_value(record, item)
            elif not ItemProgress.item.is_cached(record):
                elsewhere[record.item_id].append(record)
    if elsewhere:
        for item in RoadmapItem.objects.filter(id__in=elsewhere).select_related("phase"):
            for record in elsewhere[item.id]:
                ItemProgress.item.field.set_cached_value(record, item)
    return plans


def loaded_progress(plan: Plan) -> list[ItemProgress]:
    """The plan's progress if `with_content` loaded it, else nothing (no query)."""
    loaded = getattr(plan, "_prefetched_objects_cache", {}).get("progress")
    return list(loaded) if loaded is not None else []


def roadmap_of(plan: Plan) -> Roadmap:
    roadmap = getattr(plan, "roadmap", None)
    return roadmap if roadmap is not None else attach_roadmaps([plan])[0].roadmap


def with_content(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    """Plans with their transition, progress and history loaded; their roadmap comes from
    `attach_roadmaps` (or `roadmap_of`, one plan at a time)."""
    return plans.select_related("transition__from_role", "transition__to_role").prefetch_related(
        "progress",  # items come from the shared roadmap (attach_roadmaps), not a join
        "changes",
        Prefetch("checkins", queryset=CheckIn.objects.order_by("-week")),
    )


@dataclass
class Progress:
    """Counts of one group or the whole plan. "Done" counts complete items: ticked done, or
    already known (the member had the skills); skipped items leave the total, known ones never
    do. The on-track maths compare that count with the items planned by today."""

    done: int = 0
    total: int = 0  # skipped items are not counted
    known: int = 0  # of `done`, the items the member already knew
    expected: int = 0  # items planned on or before today
    paused: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def delta(self) -> int:
        return self.done - self.expected

    @property
    def status(self) -> str:
        if self.paused:
            return "paused"
        if self.delta > 0:
            return "ahead"
        return "behind" if self.delta < 0 else "on-track"

    @property
    def label(self) -> str:
        if self.paused:
            return "Paused"
        n = abs(self.delta)
        if self.delta == 0:
            return "On track"
        noun = "item" if n == 1 else "items"
        return f"{n} {noun} {'ahead' if self.delta > 0 else 'behind'}"

    def add(self, row: Row, today: date) -> None:
        if row.state == ItemProgress.State.SKIPPED:
            return
        self.total += 1
        self.done += row.is_complete
        self.known += row.is_known
        self.expected += row.planned_on <= today


@dataclass
class Row:
    """One item of a plan as its row shows it. Its URLs and day labels are made here once per
    row (a `{% url %}` and a `|date` per row and field cost more than the rest of the row)."""

    item: RoadmapItem
    planned_on: date
    progress: ItemProgress | None
    base: str = ""  # the plan's URL: the row's own URLs hang below it
    overdue: bool = False  # open and planned before today
    html: str = ""  # the row as rendered and kept (roadmaps.rows), when the page uses that

    @property
    def dom_id(self) -> str:
        return f"item-{self.item.id}"

    @property
    def state_url(self) -> str:
        return f"{self.base}items/{self.item.id}/state/"

    @property
    def note_url(self) -> str:
        return f"{self.base}items/{self.item.id}/note/"

    @property
    def planned_label(self) -> str:
        return day_label(self.planned_on)

    @property
    def done_label(self) -> str:
        return day_label(self.done_on)  # with its year, as the planned day has

    @property
    def state(self) -> str:
        return self.progress.state if self.progress else ItemProgress.State.OPEN

    @property
    def is_done(self) -> bool:
        return self.state == ItemProgress.State.DONE

    @property
    def is_known(self) -> bool:
        return self.state == ItemProgress.State.KNOWN

    @property
    def is_complete(self) -> bool:
        """Counted done in progress: ticked done, or already known."""
        return self.state in ItemProgress.COMPLETE

    @property
    def is_open(self) -> bool:
        return self.state == ItemProgress.State.OPEN

    @property
    def done_on(self) -> date | None:
        return self.progress.done_on if self.progress else None

    @property
    def note(self) -> str:
        return self.progress.note if self.progress else ""

    @property
    def evidence_url(self) -> str:
        return self.progress.evidence_url if self.progress else ""


@dataclass
class Group:
    """A phase of the plan, or its action plan."""

    key: str
    title: str
    start: date
    end: date
    rows: list[Row]
    progress: Progress
    phase: Phase | None = None
    is_current: bool = False
    is_past: bool = False

    @property
    def tasks(self) -> list[Row]:
        return [r for r in self.rows if r.item.kind == RoadmapItem.Kind.TASK]

    @property
    def resources(self) -> list[Row]:
        return [r for r in self.rows if r.item.kind == RoadmapItem.Kind.RESOURCE]


@dataclass
class Milestone:
    label: str
    on: date


@dataclass
class PlanView:
    plan: Plan
    today: date
    schedule: Schedule
    groups: list[Group]
    progress: Progress
    rows: dict[int, Row] = field(default_factory=dict)
    # The member's records of items the editors retired since: off the plan, still kept.
    retired: list[ItemProgress] = field(default_factory=list)
    weekly: object = None  # roadmaps.checkins.Weekly, attached by views that show it
    charts_html: str = ""  # the charts as rendered and kept (roadmaps.rows), when used

    @property
    def phases(self) -> list[Group]:
        return [g for g in self.groups if g.phase is not None]

    @property
    def current_phase(self) -> Group | None:
        return next((g for g in self.phases if g.is_current), None)

    def group_of(self, item: RoadmapItem) -> Group:
        key = f"phase-{item.phase_id}" if item.phase_id else "actions"
        return next(g for g in self.groups if g.key == key)

    @property
    def focus(self) -> list[Row]:
        """Open items due in the next seven days, with anything overdue first."""
        week_end = self.today + timedelta(days=6)
        rows = [r for r in self.rows.values() if r.is_open and r.planned_on <= week_end]
        return sorted(rows, key=lambda r: (r.planned_on, r.item.order))[:FOCUS_LIMIT]

    @property
    def behind_hours(self):
        """Hours of work behind today (`schedule.behind_hours`); negative when ahead."""
        rows = self.rows.values()
        return behind_hours(
            self.schedule.work,
            self.schedule.items,
            done={r.item.id for r in rows if r.is_done},
            skipped={r.item.id for r in rows if r.state == ItemProgress.State.SKIPPED},
            today=self.today,
        )

    @property
    def catch_up(self) -> dict | None:
        """The catch-up offer, for an active plan behind by more than two weeks of work: the
        hours behind and the hours per week that would finish by the current end date."""
        if self.plan.status != Plan.Status.ACTIVE or not self.schedule.by_effort:
            return None  # no offer on paused or left plans, nor without effort estimates
        behind = self.behind_hours
        if not needs_catch_up(behind, self.schedule.hours_per_week):
            return None
        done = {r.item.id for r in self.rows.values() if not r.is_open}
        left = sum((h for i, h in self.schedule.work.items() if i not in done), Fraction(0))
        weeks = Fraction(max((self.schedule.end - self.today).days, 7), 7)
        return {
            "behind": math.ceil(behind),
            "hours": min(max(math.ceil(left / weeks), self.schedule.hours_per_week + 1), 80),
        }

    def next_open(self, count: int = 3) -> list[Row]:
        rows = [r for r in self.rows.values() if r.is_open]
        return sorted(rows, key=lambda r: (r.planned_on, r.item.order))[:count]

    @property
    def next_milestone(self) -> Milestone | None:
        candidates = [
            Milestone(f"End of phase {g.phase.order}: {g.title}", g.end)
            for g in self.phases
            if g.end >= self.today
        ]
        candidates += [
            Milestone(f"Action due: {r.item.title}", r.planned_on)
            for r in self.rows.values()
            if r.item.is_action and r.is_open and r.planned_on >= self.today
        ]
        return min(candidates, key=lambda m: m.on, default=None)


def plan_changes(plan: Plan) -> tuple[int, list[Change]]:
    """The pace the plan started with, and its history as events to replay (in order)."""
    history = list(plan.changes.all())
    start = next((c for c in history if c.kind == PlanChange.Kind.START), None)
    paces = [c for c in history if c.kind == PlanChange.Kind.PACE]
    if start and start.to_value.isdigit():
        initial = int(start.to_value)
    elif paces and paces[0].from_value.isdigit():
        initial = int(paces[0].from_value)
    else:
        initial = plan.pace_months
    changes = [
        Change(
            c.kind,
            c.effective_on,
            int(c.to_value) if c.kind == PlanChange.Kind.PACE and c.to_value.isdigit() else None,
            int(c.to_value) if c.kind == PlanChange.Kind.HOURS and c.to_value.isdigit() else None,
        )
        for c in history
        if c.kind != PlanChange.Kind.START
    ]
    return initial, changes


def plan_initial_hours(plan: Plan) -> int | None:
    """The hours per week the plan started with: the first hours change's "from", else the
    plan's hours (None: derived from the pace)."""
    first = next((c for c in plan.changes.all() if c.kind == PlanChange.Kind.HOURS), None)
    if first is not None:
        return int(first.from_value) if first.from_value.isdigit() else None
    return plan.hours_per_week


def plan_replay(plan: Plan, today: date) -> Replay:
    """The plan's history replayed: its stops (paused, left) and pace changes."""
    initial, changes = plan_changes(plan)
    return replay(plan.start_date, initial, changes, today)


def schedule_content(
    phases: list[Phase], items: list[RoadmapItem]
) -> tuple[list[PhaseSpec], dict[str, dict]]:
    """What `build_schedule` needs to know of a roadmap, from rows already loaded (phases in
    order; items with their skills and dependencies prefetched): no query per item. The plan
    page and the start form's preview both schedule through it."""
    by_phase: dict[int, list[RoadmapItem]] = defaultdict(list)
    actions: dict[int, str] = {}
    for item in items:
        if item.is_action:
            actions[item.id] = item.horizon
        else:
            by_phase[item.phase_id].append(item)
    specs = [PhaseSpec(p.id, p.weeks, [i.id for i in by_phase[p.id]]) for p in phases]
    content = {
        "actions": actions,
        "effort": {i.id: i.effort_hours for i in items},
        "depends_on": {i.id: [d.id for d in i.depends_on.all()] for i in items},
        "skills": {i.id: [s.id for s in i.skills.all()] for i in items},
    }
    return specs, content


# Schedules worked out lately, kept on the roadmap object they were worked out from, by
# everything else they depend on (see `plan_schedule`): a page view, the tick and the next
# page of the same plan on the same day share one. Keeping them on the Roadmap, not under its
# transition and catalog version, means a schedule can only ever meet the very roadmap it was
# built from: a roadmap loaded afresh starts with none. A Schedule is only read once built.
SCHEDULES_KEPT = 256  # per roadmap
_schedules_lock = threading.Lock()


def plan_schedule(plan: Plan, today: date) -> tuple[Schedule, list[Phase], list[RoadmapItem]]:
    roadmap = roadmap_of(plan)
    phases, items = roadmap.phases, roadmap.items
    specs, content = roadmap.schedule_content
    fixed = {
        p.item_id: p.planned_on
        for p in plan.progress.all()
        if p.state == ItemProgress.State.DONE and p.planned_on
    }
    known = frozenset(p.item_id for p in plan.progress.all() if p.state == ItemProgress.State.KNOWN)
    initial_pace, changes = plan_changes(plan)
    hours = plan_initial_hours(plan)
    # Every input of build_schedule besides the roadmap: the plan's own.
    key = (
        plan.start_date,
        initial_pace,
        tuple(changes),
        today,
        frozenset(fixed.items()),
        hours,
        known,
    )
    kept = roadmap.schedules
    with _schedules_lock:
        schedule = kept.get(key)
        if schedule is not None:
            kept.move_to_end(key)
    if schedule is None:
        schedule = build_schedule(
            plan.start_date,
            initial_pace,
            specs,
            changes=changes,
            today=today,
            fixed=fixed,
            hours_per_week=hours,
            known=known,
            **content,
        )
        with _schedules_lock:
            kept[key] = schedule
            while len(kept) > SCHEDULES_KEPT:
                kept.popitem(last=False)
    return schedule, phases, items


def build_plan_view(plan: Plan, today: date) -> PlanView:
    schedule, phases, items = plan_schedule(plan, today)
    progress_by_item = {p.item_id: p for p in plan.progress.all()}
    base = plan.get_absolute_url()
    rows = {i.id: Row(i, schedule.items[i.id], progress_by_item.get(i.id), base) for i in items}
    for row in rows.values():
        row.overdue = row.is_open and row.planned_on < today
    paused = plan.is_paused
    overall = Progress(paused=paused)
    groups = []
    for phase in phases:
        dates = schedule.phases[phase.id]
        group_rows = [rows[i.id] for i in items if i.phase_id == phase.id]
        groups.append(
            Group(
                key=f"phase-{phase.id}",
                title=phase.title,
                start=dates.start,
                end=dates.end,
                rows=group_rows,
                progress=Progress(paused=paused),
                phase=phase,
                is_current=dates.start <= today <= dates.end,
                is_past=dates.end < today,
            )
        )
    if groups and not any(g.is_current for g in groups):
        (groups[0] if today < groups[0].start else groups[-1]).is_current = True
    action_rows = sorted(
        (rows[i.id] for i in items if i.is_action),
        key=lambda r: (r.planned_on, r.item.order),
    )
    if action_rows:
        groups.append(
            Group(
                key="actions",
                title="Action plan",
                start=action_rows[0].planned_on,
                end=action_rows[-1].planned_on,
                rows=action_rows,
                progress=Progress(paused=paused),
            )
        )
    for group in groups:
        for row in group.rows:
            group.progress.add(row, today)
            overall.add(row, today)
    return PlanView(plan, today, schedule, groups, overall, rows, retired_records(plan))


def retired_records(plan: Plan) -> list[ItemProgress]:
    """The plan's records of retired items, in roadmap order (from the prefetched progress)."""
    records = [p for p in plan.progress.all() if p.item.is_retired]
    return sorted(
        records,
        key=lambda p: (
            p.item.phase is None,
            p.item.phase.order if p.item.phase else 0,
            p.item.order,
        ),
    )
