import json

import pytest
from django.utils import timezone

from accounts.export import build_export
from roadmaps.models import CheckIn, ItemProgress
from roadmaps.weeks import week_start
from tests.factories import make_plan, make_transition

pytestmark = pytest.mark.django_db


def test_export_holds_plans_history_states_notes_and_evidence(member, other_member, plan):
    task = plan.transition.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now(), planned_on=plan.start_date)
    ItemProgress.objects.filter(item=task).update(
        note="Built my first MLP", evidence_url="https://github.com/me/mlp"
    )
    plan.change_pace(10, timezone.localdate())
    checkin = CheckIn.objects.create(
        plan=plan, week=week_start(timezone.localdate()), hours="4.5", confidence=4,
        wins="Shipped a notebook", blockers="Time",
    )  # fmt: skip
    checkin.focus_items.set([task])
    theirs = make_plan(other_member, make_transition(title="Secret other transition"))
    theirs.set_item_state(theirs.transition.roadmap_items.first(), "done", now=timezone.now())

    data = build_export(member)
    text = json.dumps(data)

    [exported] = data["roadmaps"]["plans"]
    assert exported["transition"] == plan.transition.slug
    assert exported["pace_months"] == 10
    assert [h["kind"] for h in exported["history"]] == ["start", "pace"]
    [item] = exported["items"]
    assert item["item"] == task.key and item["state"] == "done"
    assert item["done_at"] and item["note"] == "Built my first MLP"
    assert item["evidence_url"] == "https://github.com/me/mlp"
    [exported_checkin] = exported["checkins"]
    assert exported_checkin["hours"] == "4.5" and exported_checkin["confidence"] == 4
    assert exported_checkin["wins"] == "Shipped a notebook"
    assert exported_checkin["focus_items"] == [task.key]
    assert "Secret other transition" not in text
    assert theirs.transition.slug not in text
