"""Plan page, dashboard and the HTMX endpoints run the same queries at 20 and 200 items."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def plan_with_items(member, items_per_phase: int, phases: int = 4):
    # each phase: tasks + 1 resource; 3 action items
    # With effort estimates and dependencies: the schedule reads them from the same queries.
    transition = make_transition(
        phases=phases, tasks=items_per_phase - 1, resources=1, effort_hours=6, chain=True
    )
    plan = make_plan(member, transition, start_date=timezone.localdate() - timedelta(days=60))
    tasks = transition.roadmap_items.filter(kind="task").order_by("id")
    for item in tasks[: tasks.count() - 1 : 3]:  # about a third done; the last task stays open
        plan.set_item_state(item, "done", now=timezone.now())
    return plan


def count(client, method, url, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, **kwargs)
    assert response.status_code == 200, response.status_code
    return len(ctx.captured_queries)


def measure(client, plan):
    task = plan.transition.roadmap_items.filter(kind="task").order_by("id").last()  # open
    return {
        "plan": count(client, "get", plan.get_absolute_url()),
        "dashboard": count(client, "get", reverse("roadmaps:dashboard")),
        "tick": count(
            client,
            "post",
            reverse("roadmaps:item_state", args=[plan.id, task.id]),
            data={"state": "done"},
            HTTP_HX_REQUEST="true",
        ),
        "note": count(
            client,
            "post",
            reverse("roadmaps:item_note", args=[plan.id, task.id]),
            data={f"note-{task.id}-note": "n", f"note-{task.id}-evidence_url": ""},
            HTTP_HX_REQUEST="true",
        ),
        "settings": count(client, "get", reverse("roadmaps:settings", args=[plan.id])),
    }


def test_20_and_200_items_cost_the_same_queries(client):
    from tests.factories import make_member

    small_member, large_member = make_member(), make_member()
    small = plan_with_items(small_member, items_per_phase=5)  # 4 x 5 + 3 = 23 items
    large = plan_with_items(large_member, items_per_phase=50)  # 4 x 50 + 3 = 203 items
    assert small.transition.roadmap_items.count() < 25
    assert large.transition.roadmap_items.count() > 200
    client.force_login(small_member)
    small_counts = measure(client, small)
    client.force_login(large_member)
    large_counts = measure(client, large)
    print(large_counts)
    assert small_counts == large_counts
    assert large_counts["plan"] <= 12
    # includes locking the plan row and its savepoints, and (per plan load) one query for the
    # items' dependencies and one for their skills
    assert large_counts["tick"] <= 27


def test_the_dashboard_costs_the_same_for_one_plan_and_five(client):
    from tests.factories import make_member

    one, five = make_member(), make_member()
    plan_with_items(one, items_per_phase=4)
    for _ in range(5):
        plan_with_items(five, items_per_phase=4)
    client.force_login(one)
    single = count(client, "get", reverse("roadmaps:dashboard"))
    client.force_login(five)
    several = count(client, "get", reverse("roadmaps:dashboard"))
    assert single == several
