"""The effort-based schedule: cumulative effort at the member's hours per week (pure)."""

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmaps.history import Change
from roadmaps.schedule import (
    PhaseSpec,
    action_due,
    behind_hours,
    build_schedule,
    hours_for,
    months_for,
    needs_catch_up,
    plan_days,
    work_of,
    work_order,
)

START = date(2026, 3, 2)  # a Monday


def d(days: int) -> date:
    return START + timedelta(days=days)


# --- The seed's two examples ------------------------------------------------------------------
# Phase 1 "Foundation Building" (12 weeks): the GitHub repository takes a few hours and comes
# first in the curated work order; the Deep Learning Specialization takes ~12 weeks at a normal
# 10 hours a week; building networks needs the specialization. Later phases have no estimates
# (their share of weeks at 10 h/week). Action items share a skill with the tasks.
GITHUB, SPECIALIZATION, NETWORKS, BOOK = 1, 2, 3, 4
START_REPO, FINISH_SPECIALIZATION = 100, 101
SEED_PHASES = [
    PhaseSpec(10, 12, [GITHUB, SPECIALIZATION, NETWORKS, BOOK]),
    PhaseSpec(20, 10, [5, 6, 7, 8]),
    PhaseSpec(30, 8, [9, 10, 11, 12]),
    PhaseSpec(40, 6, [13, 14, 15, 16]),
]
SEED_EFFORT = {GITHUB: 3, SPECIALIZATION: 120, NETWORKS: 20, BOOK: 30}
SEED_SKILLS = {
    GITHUB: [1],
    SPECIALIZATION: [2],
    NETWORKS: [2],
    START_REPO: [1],
    FINISH_SPECIALIZATION: [2],
}
SEED_ACTIONS = {START_REPO: "month", FINISH_SPECIALIZATION: "quarter"}


def seed_schedule(**kwargs):
    return build_schedule(
        START,
        kwargs.pop("pace", 12),
        SEED_PHASES,
        actions=SEED_ACTIONS,
        effort=SEED_EFFORT,
        depends_on={NETWORKS: [SPECIALIZATION]},
        skills=SEED_SKILLS,
        **kwargs,
    )


def test_the_seed_examples_fall_due_in_the_guides_order_at_10_hours_a_week():
    schedule = seed_schedule(hours_per_week=10)
    assert schedule.by_effort
    assert schedule.total_hours == 173 + 100 + 80 + 60
    assert schedule.items[GITHUB] == d(1)
    assert schedule.items[SPECIALIZATION] == d(85)  # 123 hours in: about 12 weeks
    assert schedule.items[START_REPO] == schedule.items[GITHUB]
    assert schedule.items[FINISH_SPECIALIZATION] == schedule.items[SPECIALIZATION]
    assert schedule.end == d(plan_days(413, 10)) == d(290)


def test_the_seed_examples_at_a_12_month_pace():
    schedule = seed_schedule()
    assert schedule.items[GITHUB] == d(1)
    assert schedule.items[SPECIALIZATION] == d(107)  # 123 / 413 of 365 days
    assert schedule.items[START_REPO] < schedule.items[FINISH_SPECIALIZATION]
    assert schedule.end == d(365)
    assert schedule.hours_per_week == 8  # 413 hours in 52 1/7 weeks, rounded up


def test_an_item_never_falls_due_before_the_item_it_depends_on():
    # The first task depends on the last one: the work order puts it after.
    phases = [PhaseSpec(1, 4, [1, 2, 3])]
    schedule = build_schedule(
        START, 12, phases, effort={1: 10, 2: 10, 3: 10}, depends_on={1: [3]}, hours_per_week=10
    )
    assert schedule.items[2] < schedule.items[3] < schedule.items[1]
    assert schedule.items[2] == d(6)  # 10 hours at 10 a week: done on the seventh day
    assert schedule.items[1] == schedule.end - timedelta(days=1)


def test_work_order_keeps_plan_order_between_free_items_and_ignores_outsiders():
    assert work_order([1, 2, 3, 4], {}) == [1, 2, 3, 4]
    assert work_order([1, 2, 3, 4], {1: [4], 2: [99, 2]}) == [2, 3, 4, 1]
    assert work_order([1, 2, 3], {3: [1], 2: [3]}) == [1, 3, 2]


def test_work_order_breaks_a_cycle_by_plan_order():
    assert work_order([1, 2, 3], {1: [2], 2: [1]}) == [3, 1, 2]
    assert work_order([1, 2], {1: [2], 2: [1]}) == [1, 2]


def test_items_without_estimates_weigh_their_share_of_the_phase_weeks():
    work = work_of([PhaseSpec(1, 6, [1, 2, 3]), PhaseSpec(2, 2, [])], {1: 4})
    assert work == {1: 4, 2: 20, 3: 20}


def test_without_any_estimate_the_schedule_is_the_even_spread_of_before():
    phases = [PhaseSpec(1, 4, [1, 2, 3]), PhaseSpec(2, 8, [4])]
    plain = build_schedule(START, 12, phases)
    with_hours = build_schedule(START, 12, phases, effort={1: None}, hours_per_week=40)
    assert not plain.by_effort
    assert plain.items == with_hours.items and plain.end == with_hours.end == d(365)
    assert plain.hours_per_week == with_hours.hours_per_week == hours_for(120, START, 12)


def test_hours_per_week_sets_the_length_and_months_do_without_hours():
    phases = [PhaseSpec(1, 4, [1, 2])]
    effort = {1: 30, 2: 40}
    by_hours = build_schedule(START, 12, phases, effort=effort, hours_per_week=7)
    assert by_hours.end == d(70) and by_hours.hours_per_week == 7
    by_months = build_schedule(START, 3, phases, effort=effort)
    assert by_months.end == d(92) and by_months.hours_per_week == hours_for(70, START, 3) == 6


def test_an_hours_change_re_plans_what_is_left_and_a_months_change_goes_back_to_months():
    phases = [PhaseSpec(1, 4, [1, 2])]
    effort = {1: 70, 2: 70}
    changes = [Change("hours", d(70), hours_per_week=5)]
    schedule = build_schedule(START, 12, phases, effort=effort, changes=changes, hours_per_week=7)
    assert schedule.items[1] == d(69)  # due before the change: it keeps its date
    assert schedule.end == d(196) and schedule.hours_per_week == 5
    changes.append(Change("pace", d(100), 12))
    schedule = build_schedule(START, 12, phases, effort=effort, changes=changes, hours_per_week=7)
    assert schedule.end == d(365) and schedule.hours_per_week == hours_for(140, START, 12)


def test_an_hours_change_without_estimates_leaves_the_pace_as_it_was():
    phases = [PhaseSpec(1, 4, [1, 2])]
    schedule = build_schedule(START, 12, phases, changes=[Change("hours", d(10), None, 40)])
    assert schedule.end == d(365)


def test_a_pause_moves_the_effort_dates_by_its_length():
    phases = [PhaseSpec(1, 4, [1, 2])]
    effort = {1: 70, 2: 70}
    changes = [Change("pause", d(20)), Change("resume", d(30))]
    schedule = build_schedule(START, 12, phases, effort=effort, changes=changes, hours_per_week=7)
    assert schedule.items[1] == d(79) and schedule.end == d(150)


def test_an_item_less_phase_still_gets_its_own_days():
    phases = [PhaseSpec(1, 1, [1]), PhaseSpec(2, 1, []), PhaseSpec(3, 1, [2])]
    schedule = build_schedule(START, 12, phases, effort={1: 7, 2: 7}, hours_per_week=7)
    one, two, three = (schedule.phases[i] for i in (1, 2, 3))
    assert one.start == START and one.end == d(6)
    assert two.start == two.end == d(7)
    assert three.start == d(8) and three.end == schedule.end


def test_done_items_keep_their_dates_and_actions_follow_them():
    schedule = seed_schedule(hours_per_week=10, fixed={GITHUB: d(20)})
    assert schedule.items[GITHUB] == d(20) and schedule.items[START_REPO] == d(20)
    schedule = seed_schedule(hours_per_week=10, fixed={GITHUB: d(40)})  # done late: the
    assert schedule.items[GITHUB] == d(40) and schedule.items[START_REPO] == d(30)  # month
    schedule = seed_schedule(hours_per_week=10, fixed={START_REPO: d(3)})
    assert schedule.items[START_REPO] == d(3)


def test_action_due_at_its_horizon_or_with_the_covering_work_when_that_is_sooner():
    end = d(365)
    assert action_due("quarter", [d(50), d(20)], START, [], end) == d(20)  # the covering work
    assert action_due("quarter", [d(120)], START, [], end) == d(90)  # the horizon
    assert action_due("week", [d(120)], START, [], end) == d(7)
    assert action_due("month", [d(50)], START, [(d(3), 10)], end) == d(40)
    assert action_due("week", [], START, [], end) == d(7)
    assert action_due("month", [], START, [(d(3), 10)], end) == d(40)
    assert action_due("quarter", [], START, [], d(60)) == d(60)


def test_conversions_between_months_and_hours():
    assert plan_days(10, 7) == 10 and plan_days(1, 100) == 1 and plan_days(Fraction(1, 2), 7) == 1
    assert hours_for(365, START, 12) == 7 and hours_for(1, START, 12) == 1
    assert months_for(365, START, 7) == 12
    assert months_for(366, START, 7) == 13
    assert months_for(10_000, START, 1) == 60


def test_behind_hours_is_the_work_due_minus_the_work_done():
    work = {1: Fraction(10), 2: Fraction(20), 3: Fraction(5)}
    due = {1: d(5), 2: d(10), 3: d(30)}
    assert behind_hours(work, due, done=set(), skipped=set(), today=d(10)) == 30
    assert behind_hours(work, due, done={1}, skipped=set(), today=d(9)) == 0
    assert behind_hours(work, due, done={3}, skipped={2}, today=d(10)) == 5
    assert behind_hours(work, due, done={1, 2, 3}, skipped=set(), today=d(10)) == -5


def test_catch_up_is_offered_past_two_weeks_of_work():
    assert not needs_catch_up(Fraction(20), 10)
    assert needs_catch_up(Fraction(201, 10), 10)


# --- Properties ---------------------------------------------------------------------------------


@st.composite
def roadmaps(draw):
    """Phases with items of random effort (some without) and acyclic random dependencies."""
    phases, ids = [], iter(range(1, 1000))
    for number in range(draw(st.integers(min_value=1, max_value=4))):
        items = [next(ids) for _ in range(draw(st.integers(min_value=0, max_value=5)))]
        phases.append(PhaseSpec(number, draw(st.integers(min_value=1, max_value=20)), items))
    items = [i for p in phases for i in p.item_ids]
    effort = {i: draw(st.one_of(st.none(), st.integers(min_value=1, max_value=200))) for i in items}
    if items:
        effort[items[0]] = effort[items[0]] or 5  # at least one estimate: the effort schedule
    # Dependencies point from later to earlier in a random permutation: acyclic, and free to
    # point forward in plan order.
    ranked = draw(st.permutations(items))
    depends_on = {
        item: draw(st.lists(st.sampled_from(ranked[:n]), max_size=3)) if n else []
        for n, item in enumerate(ranked)
    }
    return phases, effort, depends_on


hours = st.integers(min_value=1, max_value=60)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(roadmaps(), hours)
def test_dates_never_decrease_along_dependencies(roadmap, hours_per_week):
    phases, effort, depends_on = roadmap
    schedule = build_schedule(
        START, 12, phases, effort=effort, depends_on=depends_on, hours_per_week=hours_per_week
    )
    for item, needs in depends_on.items():
        for need in needs:
            assert schedule.items[need] <= schedule.items[item]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(roadmaps(), hours, st.integers(min_value=1, max_value=30))
def test_more_hours_never_end_the_plan_later(roadmap, hours_per_week, more):
    phases, effort, depends_on = roadmap
    slow, fast = (
        build_schedule(START, 12, phases, effort=effort, depends_on=depends_on, hours_per_week=h)
        for h in (hours_per_week, hours_per_week + more)
    )
    assert fast.end <= slow.end
    assert all(fast.items[i] <= slow.items[i] for i in slow.items)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(roadmaps(), hours)
def test_the_length_agrees_with_effort_and_hours_within_a_day(roadmap, hours_per_week):
    phases, effort, depends_on = roadmap
    schedule = build_schedule(
        START, 12, phases, effort=effort, depends_on=depends_on, hours_per_week=hours_per_week
    )
    weeks = schedule.total_hours / hours_per_week
    last = max(schedule.items.values(), default=START)
    if schedule.items:  # the last item falls due on the last day of the work (never the first)
        assert abs((last - START).days + 1 - max(weeks * 7, 2)) <= 1
    assert last <= schedule.end


def test_nothing_falls_due_on_the_day_the_plan_starts():
    """A one-hour first item is due the next day at the earliest: nobody starts behind."""
    phases = [PhaseSpec(1, 4, [1, 2])]
    schedule = build_schedule(START, 12, phases, effort={1: 1, 2: 30}, hours_per_week=10)
    assert schedule.items[1] == d(1)
    assert schedule.items[2] > d(1)
