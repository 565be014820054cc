"""The pure parts of a plan's dated view: progress arithmetic, labels, focus and milestones.

Rows are built from unsaved items, so no database is needed except where a plan's history is.
"""

from datetime import date, timedelta

import pytest

from careers.models import Phase, RoadmapItem
from roadmaps.models import ItemProgress, Plan, PlanChange
from roadmaps.progress import (
    FOCUS_LIMIT,
    Group,
    PlanView,
    Progress,
    Row,
    build_plan_view,
    plan_changes,
    with_content,
)
from roadmaps.schedule import Schedule
from tests.factories import make_plan

TODAY = date(2027, 3, 10)


def item(n, kind="task", phase_id=1, order=0, title=None):
    return RoadmapItem(
        id=n,
        kind=kind,
        phase_id=None if kind == "action" else phase_id,
        horizon="week" if kind == "action" else "",
        order=order,
        title=title or f"Item {n}",
    )


def row(n, planned, state=None, **kwargs):
    progress = ItemProgress(state=state) if state else None
    return Row(item(n, **kwargs), planned, progress)


@pytest.mark.parametrize(
    ("done", "expected", "paused", "status", "label"),
    [
        (0, 0, False, "on-track", "On track"),
        (2, 1, False, "ahead", "1 item ahead"),
        (4, 1, False, "ahead", "3 items ahead"),
        (0, 1, False, "behind", "1 item behind"),
        (1, 3, False, "behind", "2 items behind"),
        (1, 3, True, "paused", "Paused"),
    ],
)
def test_progress_status_and_label(done, expected, paused, status, label):
    progress = Progress(done=done, total=5, expected=expected, paused=paused)
    assert progress.delta == done - expected
    assert progress.status == status
    assert progress.label == label


@pytest.mark.parametrize(
    ("done", "total", "percent"), [(0, 0, 0), (1, 3, 33), (2, 3, 67), (3, 3, 100), (1, 8, 12)]
)
def test_progress_percent_rounds_and_never_divides_by_zero(done, total, percent):
    assert Progress(done=done, total=total).percent == percent


def test_adding_rows_counts_done_total_and_due_by_today_but_not_skipped():
    progress = Progress()
    progress.add(row(1, TODAY, "done"), TODAY)  # due today: expected
    progress.add(row(2, TODAY - timedelta(days=1)), TODAY)  # overdue, open
    progress.add(row(3, TODAY + timedelta(days=1)), TODAY)  # not yet due
    progress.add(row(4, TODAY - timedelta(days=9), "skipped", kind="resource"), TODAY)
    assert (progress.done, progress.total, progress.expected) == (1, 3, 2)


def test_rows_read_their_progress_or_are_open():
    open_row = row(1, TODAY)
    assert (open_row.state, open_row.is_open, open_row.is_done) == ("open", True, False)
    assert open_row.note == "" and open_row.evidence_url == ""
    done = Row(item(2), TODAY, ItemProgress(state="done", note="n", evidence_url="https://e.x"))
    assert (done.state, done.is_open, done.is_done) == ("done", False, True)
    assert (done.note, done.evidence_url) == ("n", "https://e.x")
    skipped = row(3, TODAY, "skipped", kind="resource")
    assert (skipped.is_open, skipped.is_done) == (False, False)


def make_view(rows, groups=None):
    schedule = Schedule(start=TODAY - timedelta(days=30), end=TODAY + timedelta(days=300))
    return PlanView(
        plan=None,
        today=TODAY,
        schedule=schedule,
        groups=groups or [],
        progress=Progress(),
        rows={r.item.id: r for r in rows},
    )


def test_focus_is_open_items_due_within_seven_days_overdue_first():
    rows = [
        row(1, TODAY + timedelta(days=6)),  # last day of the window
        row(2, TODAY + timedelta(days=7)),  # outside
        row(3, TODAY - timedelta(days=20)),  # overdue
        row(4, TODAY, "done"),
        row(5, TODAY, order=2),
        row(6, TODAY, order=1),
    ]
    assert [r.item.id for r in make_view(rows).focus] == [3, 6, 5, 1]


def test_focus_is_capped():
    rows = [row(n, TODAY - timedelta(days=n)) for n in range(1, FOCUS_LIMIT + 4)]
    focus = make_view(rows).focus
    assert len(focus) == FOCUS_LIMIT
    assert focus[0].item.id == FOCUS_LIMIT + 3  # the most overdue first


def test_next_open_items_in_date_order():
    rows = [row(1, TODAY + timedelta(days=9)), row(2, TODAY - timedelta(days=1), "done")]
    rows += [row(3, TODAY + timedelta(days=2)), row(4, TODAY + timedelta(days=40))]
    assert [r.item.id for r in make_view(rows).next_open(2)] == [3, 1]
    assert [r.item.id for r in make_view(rows).next_open()] == [3, 1, 4]


def group(key, start, end, phase=None, rows=(), current=False):
    title = phase.title if phase else key
    return Group(key, title, start, end, list(rows), Progress(), phase=phase, is_current=current)


def test_the_next_milestone_is_the_nearest_phase_end_or_open_action_from_today():
    phase = Phase(id=1, order=2, title="Depth", weeks=4)
    ends = group("phase-1", TODAY - timedelta(days=9), TODAY + timedelta(days=12), phase)
    action = row(7, TODAY + timedelta(days=5), kind="action", title="Start a repo")
    past_action = row(8, TODAY - timedelta(days=1), kind="action")
    done_action = row(9, TODAY + timedelta(days=1), "done", kind="action")
    view = make_view([action, past_action, done_action], [ends])
    milestone = view.next_milestone
    assert (milestone.label, milestone.on) == ("Action due: Start a repo", action.planned_on)
    view = make_view([], [ends])
    assert view.next_milestone.label == "End of phase 2: Depth"
    assert view.next_milestone.on == TODAY + timedelta(days=12)
    today_end = group("phase-1", TODAY - timedelta(days=9), TODAY, phase)
    assert make_view([], [today_end]).next_milestone.on == TODAY
    past = group("phase-1", TODAY - timedelta(days=9), TODAY - timedelta(days=1), phase)
    assert make_view([], [past]).next_milestone is None


def test_phases_current_phase_and_group_of_an_item():
    p1, p2 = Phase(id=1, order=1, title="A", weeks=1), Phase(id=2, order=2, title="B", weeks=1)
    g1 = group("phase-1", TODAY, TODAY, p1)
    g2 = group("phase-2", TODAY, TODAY, p2, current=True)
    actions = group("actions", TODAY, TODAY)
    view = make_view([], [g1, g2, actions])
    assert view.phases == [g1, g2]
    assert view.current_phase is g2
    assert view.group_of(item(5, phase_id=1)) is g1
    assert view.group_of(item(6, kind="action")) is actions
    assert make_view([], [g1, actions]).current_phase is None
    tasks = [row(1, TODAY), row(2, TODAY, kind="resource"), row(3, TODAY)]
    mixed = group("phase-1", TODAY, TODAY, p1, tasks)
    assert [r.item.id for r in mixed.tasks] == [1, 3]
    assert [r.item.id for r in mixed.resources] == [2]


@pytest.mark.django_db
def test_the_starting_pace_comes_from_the_start_entry_then_the_first_pace_change(
    member, transition
):
    plan = make_plan(member, transition, start_date=TODAY, pace_months=10)
    plan.record(PlanChange.Kind.PACE, TODAY + timedelta(days=5), 10, 14)
    initial, changes = plan_changes(Plan.objects.get(pk=plan.pk))
    assert initial == 10
    assert [(c.kind, c.on, c.pace_months) for c in changes] == [
        ("pace", TODAY + timedelta(days=5), 14)
    ]
    plan.changes.filter(kind="start").delete()
    assert plan_changes(Plan.objects.get(pk=plan.pk))[0] == 10  # the first change's "from"
    plan.changes.all().delete()
    Plan.objects.filter(pk=plan.pk).update(pace_months=12)
    assert plan_changes(Plan.objects.get(pk=plan.pk)) == (12, [])


@pytest.mark.django_db
def test_build_plan_view_marks_past_current_and_the_action_plan(member, transition):
    start = TODAY - timedelta(days=150)  # phase 1 is 5 of 11 weeks: about 124 days at 9 months
    plan = make_plan(member, transition, start_date=start, pace_months=9)
    view = build_plan_view(with_content(Plan.objects.filter(pk=plan.pk)).get(), TODAY)
    first, second = view.phases
    assert first.start == start and first.is_past and not first.is_current
    assert second.is_current and not second.is_past
    assert second.start <= TODAY <= second.end
    actions = view.groups[-1]
    assert actions.key == "actions" and actions.title == "Action plan"
    assert [r.planned_on for r in actions.rows] == [
        start + timedelta(days=7),
        start + timedelta(days=30),
        start + timedelta(days=90),
    ]
    assert (actions.start, actions.end) == (actions.rows[0].planned_on, actions.rows[-1].planned_on)
    # 2 phases x (2 tasks + 1 resource) + 3 actions
    assert view.progress.total == 9
    assert view.progress.expected == sum(r.planned_on <= TODAY for r in view.rows.values())


@pytest.mark.django_db
def test_before_the_start_the_first_phase_is_current_and_after_the_end_the_last(member, transition):
    plan = make_plan(member, transition, start_date=TODAY + timedelta(days=10), pace_months=9)
    loaded = with_content(Plan.objects.filter(pk=plan.pk)).get()
    before = build_plan_view(loaded, TODAY)
    assert [g.is_current for g in before.phases] == [True, False]
    assert not any(g.is_past for g in before.phases)
    after = build_plan_view(loaded, TODAY + timedelta(days=800))
    assert [g.is_current for g in after.phases] == [False, True]
    assert all(g.is_past for g in after.phases)
    on_start = build_plan_view(loaded, TODAY + timedelta(days=10))
    assert [g.is_current for g in on_start.phases] == [True, False]


@pytest.mark.django_db
def test_a_phase_is_current_on_its_first_and_last_day_and_past_only_after(member):
    from tests.factories import make_transition

    transition = make_transition(phases=3)
    plan = make_plan(member, transition, start_date=TODAY, pace_months=9)
    loaded = with_content(Plan.objects.filter(pk=plan.pk)).get()
    first, second, third = build_plan_view(loaded, TODAY).phases
    on_last_day = build_plan_view(loaded, first.end).phases
    assert [(g.is_current, g.is_past) for g in on_last_day] == [
        (True, False),
        (False, False),
        (False, False),
    ]
    on_first_day = build_plan_view(loaded, second.start).phases
    assert [(g.is_current, g.is_past) for g in on_first_day] == [
        (False, True),
        (True, False),
        (False, False),
    ]
    after = build_plan_view(loaded, third.end + timedelta(days=1)).phases
    assert [g.is_current for g in after] == [False, False, True]


@pytest.mark.django_db
def test_a_paused_plan_says_paused_everywhere_and_its_end_waits_for_today(member, transition):
    plan = make_plan(member, transition, start_date=TODAY - timedelta(days=20), pace_months=9)
    plan.set_status(Plan.Status.PAUSED, TODAY - timedelta(days=10))
    loaded = with_content(Plan.objects.filter(pk=plan.pk)).get()
    view = build_plan_view(loaded, TODAY)
    assert view.progress.label == "Paused"
    assert [g.progress.status for g in view.groups] == ["paused"] * len(view.groups)
    later = build_plan_view(loaded, TODAY + timedelta(days=5))
    assert later.schedule.end == view.schedule.end + timedelta(days=5)
    assert view.schedule.paused_days == 10
