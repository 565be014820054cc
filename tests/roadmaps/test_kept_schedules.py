"""Schedules are kept per process by every input of the scheduler (roadmaps.progress), and
loaded progress takes its items from the shared roadmap: a kept schedule must always equal
the one the scheduler would work out afresh, whatever changed."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.models import RoadmapItem
from careers.page_cache import bump_catalog_version
from roadmaps import progress as progress_module
from roadmaps.models import ItemProgress, Plan
from roadmaps.progress import (
    attach_roadmaps,
    build_plan_view,
    plan_schedule,
    roadmap_of,
    with_content,
)
from roadmaps.schedule import build_schedule
from tests.factories import make_member, make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def loaded(plan: Plan) -> Plan:
    return attach_roadmaps(with_content(Plan.objects.filter(pk=plan.pk)))[0]


def fresh(plan: Plan, today):
    """The scheduler's answer without the kept schedules: the reference."""
    plan = loaded(plan)
    roadmap_of(plan).schedules.clear()
    return plan_schedule(plan, today)[0]


@pytest.fixture
def plan(frozen):
    transition = make_transition(phases=3, tasks=4, resources=1, effort_hours=5, chain=True)
    return make_plan(make_member(), transition, start_date=frozen.date() - timedelta(days=40))


def tasks(plan):
    return list(plan.transition.roadmap_items.filter(kind="task").order_by("order", "id"))


def test_the_same_inputs_share_one_schedule_built_once(plan, frozen, monkeypatch):
    today = frozen.date()
    first = plan_schedule(loaded(plan), today)[0]
    calls = []
    monkeypatch.setattr(
        progress_module,
        "build_schedule",
        lambda *a, **k: calls.append(1) or build_schedule(*a, **k),
    )
    again = plan_schedule(loaded(plan), today)[0]
    assert again is first and calls == []
    assert again.items == fresh(plan, today).items


@pytest.mark.parametrize(
    "change",
    ["known", "done", "pace", "hours", "initial hours", "start", "today", "pause", "catalog"],
)
def test_any_change_of_an_input_gives_the_schedule_worked_out_afresh(plan, frozen, change):
    today = frozen.date()
    if change == "today":  # a paused plan moves on with the days it stays paused
        plan.set_status(Plan.Status.PAUSED, today - timedelta(days=20))
    before = plan_schedule(loaded(plan), today)[0]
    first, second = tasks(plan)[:2]
    if change == "known":
        plan.set_item_state(first, "known", now=frozen)
    elif change == "done":  # kept on a day other than the one the schedule gives it
        plan.set_item_state(first, "done", now=frozen, planned_on=today - timedelta(days=30))
    elif change == "pace":
        plan.change_pace(plan.pace_months + 3, today)
    elif change == "hours":
        plan.change_hours(2, 14, today)
    elif change == "initial hours":  # the hours the plan started with, no change recorded
        Plan.objects.filter(pk=plan.pk).update(hours_per_week=3)
    elif change == "start":
        Plan.objects.filter(pk=plan.pk).update(start_date=plan.start_date - timedelta(days=21))
    elif change == "today":
        today += timedelta(days=10)
    elif change == "pause":
        plan.set_status(Plan.Status.PAUSED, today - timedelta(days=20))
    elif change == "catalog":
        RoadmapItem.objects.filter(pk=second.pk).update(effort_hours=60)
        bump_catalog_version()  # what the catalog's signals do on a staff edit
    kept = plan_schedule(loaded(plan), today)[0]
    reference = fresh(plan, today)
    assert (kept.end, kept.items, kept.phases) == (reference.end, reference.items, reference.phases)
    assert (kept.end, kept.items) != (before.end, before.items)


def test_a_roadmap_loaded_afresh_never_meets_a_schedule_of_the_one_before(plan, frozen):
    """A roadmap that changed while the catalog version did not (a rolled-back transaction can
    leave it so) and is loaded afresh gets schedules of its own: kept ones live on the roadmap
    object they came from, so they can never lack an item of the roadmap in use."""
    today = frozen.date()
    plan_schedule(loaded(plan), today)
    phase = tasks(plan)[0].phase
    (added,) = RoadmapItem.objects.bulk_create(  # no signals: the version stays
        [
            RoadmapItem(
                transition=plan.transition,
                phase=phase,
                kind=RoadmapItem.Kind.TASK,
                key="added-task",
                title="Added task",
                order=99,
                effort_hours=5,
            )
        ]
    )
    progress_module._roadmaps.clear()  # as a new process, or a reload, would find it
    view = build_plan_view(loaded(plan), today)
    assert view.rows[added.id].planned_on == fresh(plan, today).items[added.id]


def test_progress_takes_its_items_from_the_roadmap_and_retired_ones_without_a_query(plan, frozen):
    first, second = tasks(plan)[:2]
    plan.set_item_state(first, "done", now=frozen)
    plan.set_item_state(second, "done", now=frozen)
    RoadmapItem.objects.filter(pk=second.pk).update(is_archived=True)
    bump_catalog_version()
    phase_title = second.phase.title
    plan = loaded(plan)
    records = {p.item_id: p for p in plan.progress.all()}
    with CaptureQueriesContext(connection) as queries:
        assert records[first.id].item is roadmap_of(plan).by_id[first.id]
        retired = records[second.id].item
        assert retired.is_retired and retired.phase.title == phase_title
    assert len(queries) == 0
    assert second.id not in roadmap_of(plan).by_id


def test_a_record_of_an_item_on_no_loaded_roadmap_gets_it_in_one_query(plan, frozen):
    """An item moved to another transition (none today, but the data allows it): its record
    gets it with the plan, in one query, not one per record on first use."""
    other = make_transition(phases=1, tasks=2, resources=0)
    moved = list(other.roadmap_items.filter(kind="task"))
    for item in moved:
        ItemProgress.objects.create(plan=plan, item=item, state="known")
    loaded(plan)  # this plan's roadmap is loaded once per catalog version
    with CaptureQueriesContext(connection) as loading:
        plan = loaded(plan)
    with CaptureQueriesContext(connection) as reading:
        records = {p.item_id: p.item for p in plan.progress.all()}
    assert [records[item.id].title for item in moved] == [item.title for item in moved]
    assert len(reading) == 0
    items_read = [q["sql"] for q in loading if 'FROM "careers_roadmapitem"' in q["sql"]]
    assert len(items_read) == 1 and str(moved[0].id) in items_read[0]
