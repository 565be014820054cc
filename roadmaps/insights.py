"""Staff insights: aggregates over every member's plans, never one member's data.

Definitions (the README's "Staff insights" says the same):

- A *member* is an active account that is not staff.
- A member is *active in the last N days* when they ticked an item done, or saved a weekly
  check-in, in those days (signing in alone does not count: a session lasts two weeks).
- A plan's *progress* is its complete items (done, or already known) over its counted items:
  the roadmap's current items less the ones the member skipped (as the plan page counts). Medians are over the plans the
  members follow now (active or paused).
- The *check-in rate* of a week is the check-ins for that week over the plans expected to
  check in that week: plans started by then and neither paused nor left during it (the rule
  the member's "missed weeks" use). The last 12 whole weeks, this week left out.
- A plan is *stalled* when it is active, started at least STALL_WEEKS weeks ago, and has had
  no tick for STALL_WEEKS weeks. Where it stopped is its first phase item (in roadmap order:
  phase, then the item's order) that is neither done, known nor skipped, and that item's phase.

A constant number of queries however many members, plans and check-ins: one per kind of
row, medians and counts in Python over those rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import median

from django.contrib.auth import get_user_model
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, Max, OuterRef, Q
from django.utils.translation import ngettext

from careers.models import RoadmapItem, Transition
from careers.pathfinder import INTEREST_BY_VALUE
from roadmaps.charts import NARROW, PercentBar, PercentChart, percent_columns, percent_rows
from roadmaps.models import CheckIn, ItemProgress, Plan
from roadmaps.progress import plan_replay
from roadmaps.weeks import WEEK, iso_label, overlaps, week_start

RATE_WEEKS = 12
STALL_WEEKS = 3
TOP_STALLS = 5


@dataclass
class TransitionRow:
    title: str
    active: int = 0
    paused: int = 0
    left: int = 0
    percents: list[int] = field(default_factory=list)  # each current plan's progress

    @property
    def current(self) -> int:
        return self.active + self.paused

    @property
    def median(self) -> int | None:
        return round(median(self.percents)) if self.percents else None


@dataclass
class WeekRate:
    week: date
    checkins: int = 0
    expected: int = 0

    @property
    def label(self) -> str:
        return iso_label(self.week)

    @property
    def percent(self) -> int | None:
        return round(100 * self.checkins / self.expected) if self.expected else None


@dataclass
class Stall:
    title: str
    transition: str
    plans: int


@dataclass
class Insights:
    today: date
    members: int
    active_7: int
    active_30: int
    transitions: list[TransitionRow]
    weeks: list[WeekRate]
    stalled: int
    stall_items: list[Stall]
    stall_phases: list[Stall]
    rate_chart: PercentChart
    progress_chart: PercentChart
    rate_chart_narrow: PercentChart  # the same charts drawn for a phone's width
    progress_chart_narrow: PercentChart
    # The path finder's most common answers: (question, answer, members), from the answers
    # members saved to their profiles (`path_finder_answers()`).
    path_finder_answers: list[tuple[str, str, int]] = field(default_factory=list)
    stall_weeks: int = STALL_WEEKS

    @property
    def plans(self) -> int:
        return sum(t.current for t in self.transitions)


def active_members(now: datetime, *days: int) -> tuple[dict[str, int], list[dict]]:
    """Members, and members active in each window of `days`, with the path finder answers
    members saved (non-empty ones): one query, a row per member, counted here."""
    members = get_user_model().objects.filter(is_active=True, is_staff=False)

    def active_since(since: datetime) -> ExpressionWrapper:
        ticked = ItemProgress.objects.filter(plan__user=OuterRef("pk"), done_at__gte=since)
        checked_in = CheckIn.objects.filter(plan__user=OuterRef("pk"), updated_at__gte=since)
        return ExpressionWrapper(
            Q(Exists(ticked)) | Q(Exists(checked_in)), output_field=BooleanField()
        )

    windows = {f"active_{n}": active_since(now - timedelta(days=n)) for n in days}
    rows = list(members.order_by().annotate(**windows).values_list("pathfinder_answers", *windows))
    counts = {"members": len(rows)}
    for i, name in enumerate(windows, start=1):
        counts[name] = sum(1 for row in rows if row[i])
    answers = [row[0] for row in rows if isinstance(row[0], dict) and row[0]]
    return counts, answers


def counted_item(prefix: str = "progress__item__") -> Q:
    """An item still on the roadmap, in a filter across a join (RoadmapItem.is_retired)."""
    return Q(**{f"{prefix}is_archived": False}) & (
        Q(**{f"{prefix}phase__isnull": True}) | Q(**{f"{prefix}phase__is_archived": False})
    )


def plans_with_counts():
    """Every plan with its done and skipped counts and its last tick, and its history."""
    return (
        Plan.objects.order_by()
        .annotate(
            done=Count(
                "progress",
                filter=Q(progress__state__in=ItemProgress.COMPLETE) & counted_item(),
            ),
            skipped=Count("progress", filter=Q(progress__state="skipped") & counted_item()),
            last_tick=Max("progress__done_at"),
        )
        .prefetch_related("changes")
    )


def roadmap_order() -> dict[int, list[RoadmapItem]]:
    """Each transition's current phase items in roadmap order, and (below) item counts."""
    items = (
        RoadmapItem.objects.current()
        .select_related("phase")
        .order_by("transition_id", "phase__order", "order", "kind", "id")
    )
    by_transition: dict[int, list[RoadmapItem]] = defaultdict(list)
    for item in items:
        by_transition[item.transition_id].append(item)
    return by_transition


def build_insights(now: datetime, today: date) -> Insights:
    counts, answers = active_members(now, 7, 30)
    items = roadmap_order()
    transition_rows = list(
        Transition.objects.values_list("id", "title", "from_role__slug", "from_role__name")
    )
    titles = {pk: title for pk, title, _, _ in transition_rows}
    background_names = {slug: name for _, _, slug, name in transition_rows}
    plans = list(plans_with_counts())

    rows: dict[int, TransitionRow] = {}
    for plan in plans:
        row = rows.setdefault(plan.transition_id, TransitionRow(titles[plan.transition_id]))
        if plan.status == Plan.Status.ARCHIVED:
            row.left += 1
            continue
        if plan.status == Plan.Status.PAUSED:
            row.paused += 1
        else:
            row.active += 1
        counted = len(items[plan.transition_id]) - plan.skipped
        row.percents.append(round(100 * plan.done / counted) if counted > 0 else 0)
    transitions = sorted(rows.values(), key=lambda r: (-r.current, r.title))

    weeks = checkin_rates(plans, today)
    stalled_ids, stall_items, stall_phases = stalls(plans, items, titles, now, today)
    rate_bars = [
        PercentBar(w.label, w.percent, note=plans_note(w.checkins, w.expected)) for w in weeks
    ]
    progress_bars = [
        PercentBar(t.title, t.median, note=plans_note(t.current)) for t in transitions if t.current
    ]
    return Insights(
        path_finder_answers=path_finder_answers(answers, background_names),
        today=today,
        members=counts["members"],
        active_7=counts["active_7"],
        active_30=counts["active_30"],
        transitions=transitions,
        weeks=weeks,
        stalled=len(stalled_ids),
        stall_items=stall_items,
        stall_phases=stall_phases,
        rate_chart=percent_columns(rate_bars),
        progress_chart=percent_rows(progress_bars),
        rate_chart_narrow=percent_columns(rate_bars, NARROW),
        progress_chart_narrow=percent_rows(progress_bars, NARROW),
    )


def plans_note(count: int, of: int | None = None) -> str:
    """ "1 plan", "3 plans", "2 of 5 plans": a bar's count for its title and label."""
    total = count if of is None else of
    counted = f"{count} of {of}" if of is not None else str(count)
    return ngettext("%(counted)s plan", "%(counted)s plans", total) % {"counted": counted}


TOP_ANSWERS = 3


def path_finder_answers(
    saved: list[dict], background_names: dict[str, str]
) -> list[tuple[str, str, int]]:
    """The most common of the path finder answers members saved (`active_members` reads
    them): their background, the skills they already have and what they enjoy, TOP_ANSWERS
    of each (ties by name). Backgrounds are named from `background_names` (slug: name),
    skills by their slug made readable: no query."""
    backgrounds, skills, enjoy = Counter(), Counter(), Counter()
    for answers in saved:
        if not isinstance(answers, dict):
            continue
        if "background" in answers:
            backgrounds[answers["background"] or ""] += 1
        skills.update(set(answers.get("skills") or ()))
        enjoy.update(set(answers.get("enjoy") or ()))
    background_names = {**background_names, "": "Something else"}
    skill_names = {slug: str(slug).replace("-", " ").capitalize() for slug in skills}
    enjoy_names = {value: interest.label for value, interest in INTEREST_BY_VALUE.items()}
    rows = []
    for question, counts, names in [
        ("Background", backgrounds, background_names),
        ("Skills they have", skills, skill_names),
        ("What they enjoy", enjoy, enjoy_names),
    ]:
        named = [(names.get(str(value), str(value)), n) for value, n in counts.items()]
        named.sort(key=lambda pair: (-pair[1], pair[0]))
        rows += [(question, name, n) for name, n in named[:TOP_ANSWERS]]
    return rows


def checkin_rates(plans: list[Plan], today: date) -> list[WeekRate]:
    """Check-ins over plans expected to check in, for each of the last RATE_WEEKS whole weeks."""
    last = week_start(today) - WEEK
    weeks = [WeekRate(last - WEEK * k) for k in reversed(range(RATE_WEEKS))]
    first = weeks[0].week
    expected: set[tuple[int, date]] = set()
    for plan in plans:
        if plan.start_date > last + timedelta(days=6):
            continue
        stopped = plan_replay(plan, today).spans()
        for rate in weeks:
            if week_start(plan.start_date) <= rate.week and not overlaps(rate.week, stopped):
                expected.add((plan.id, rate.week))
                rate.expected += 1
    by_week = {rate.week: rate for rate in weeks}
    checkins = CheckIn.objects.filter(week__gte=first, week__lte=last).values_list(
        "plan_id", "week"
    )
    for plan_id, week in checkins:
        if (plan_id, week) in expected:
            by_week[week].checkins += 1
    return weeks


def stalls(plans, items, titles, now: datetime, today: date):
    """Stalled plans, and the items and phases where they stopped, most common first."""
    cutoff = now - timedelta(weeks=STALL_WEEKS)
    stalled = {
        plan.id: plan
        for plan in plans
        if plan.status == Plan.Status.ACTIVE
        and plan.start_date <= today - timedelta(weeks=STALL_WEEKS)
        and (plan.last_tick is None or plan.last_tick < cutoff)
    }
    passed: dict[int, set[int]] = defaultdict(set)
    rows = ItemProgress.objects.filter(
        plan__status=Plan.Status.ACTIVE,
        state__in=[*ItemProgress.COMPLETE, ItemProgress.State.SKIPPED],
    ).values_list("plan_id", "item_id")
    for plan_id, item_id in rows:
        if plan_id in stalled:
            passed[plan_id].add(item_id)
    at_item: Counter = Counter()
    at_phase: Counter = Counter()
    for plan in stalled.values():
        phase_items = (i for i in items[plan.transition_id] if not i.is_action)
        stop = next((i for i in phase_items if i.id not in passed[plan.id]), None)
        if stop is not None:
            at_item[stop] += 1
            at_phase[stop.phase] += 1

    def top(counter: Counter, title) -> list[Stall]:
        ranked = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0].transition_id, kv[0].pk))
        return [Stall(title(k), titles[k.transition_id], n) for k, n in ranked[:TOP_STALLS]]

    return (
        list(stalled),
        top(at_item, lambda item: item.title),
        top(at_phase, lambda phase: f"Phase {phase.order}: {phase.title}"),
    )
