import json
from datetime import date

import pytest
from django.utils import timezone

from accounts.export import build_export
from roadmaps.models import CheckIn, ItemProgress
from tests.conftest import NOW, TODAY
from tests.factories import make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def test_export_holds_plans_history_states_notes_and_evidence(member, other_member, plan):
    task = plan.transition.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now(), planned_on=plan.start_date)
    ItemProgress.objects.filter(item=task).update(
        note="Built my first MLP", evidence_url="https://github.com/me/mlp"
    )
    plan.change_pace(10, TODAY)
    checkin = CheckIn.objects.create(
        plan=plan, week=date(2027, 3, 8), hours="4.5", confidence=4,
        wins="Shipped a notebook", blockers="Time",
    )  # fmt: skip
    checkin.focus_items.set([task])
    theirs = make_plan(other_member, make_transition(title="Secret other transition"))
    theirs.set_item_state(theirs.transition.roadmap_items.first(), "done", now=timezone.now())

    data = build_export(member)
    text = json.dumps(data)

    stamp = NOW.isoformat()  # "2027-03-10T10:00:00+00:00": every row was written then
    assert data["exported_at"] == stamp
    [exported] = data["roadmaps"]["plans"]
    assert exported == {
        "transition": plan.transition.slug,
        "transition_title": plan.transition.title,
        "status": "active",
        "start_date": "2027-03-10",
        "pace_months": 10,
        "hours_per_week": None,
        "paused_on": None,
        "created_at": stamp,
        "history": [
            {"kind": "start", "effective_on": "2027-03-10", "from": "", "to": "12",
             "recorded_at": stamp},
            {"kind": "pace", "effective_on": "2027-03-10", "from": "12", "to": "10",
             "recorded_at": stamp},
        ],
        "items": [
            {"item": task.key, "title": task.title, "kind": "task", "state": "done",
             "done_at": stamp, "done_on": "2027-03-10", "planned_on": "2027-03-10", "note": "Built my first MLP",
             "evidence_url": "https://github.com/me/mlp", "updated_at": stamp},
        ],
        "checkins": [
            {"week": "2027-03-08", "hours": "4.5", "confidence": 4, "wins": "Shipped a notebook",
             "blockers": "Time", "next_focus": "", "focus_items": [task.key],
             "created_at": stamp, "updated_at": stamp},
        ],
    }  # fmt: skip
    assert "Secret other transition" not in text
    assert theirs.transition.slug not in text
