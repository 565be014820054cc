"""Moving phases and roadmap items from `roadmaps` into `careers` keeps every member's data.

The schema is taken back to what it was before the move (roadmaps 0003, careers 0001), filled
with a catalogue and members' ticks, notes, check-ins and admin history through the historical
models, then migrated forward. Every row and id must come out the same.
"""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("careers", "0001_initial"), ("roadmaps", "0003_checkins_reminders_calendar")]


def migrate(targets):
    """Migrate careers and roadmaps to `targets`; the state of every app at that point."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    loader = MigrationExecutor(connection).loader
    others = [n for n in loader.graph.leaf_nodes() if n[0] not in {"careers", "roadmaps"}]
    return loader.project_state([*targets, *others]).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def fill_old_schema(apps):
    """A catalogue and two members' work, written through the pre-move models."""
    Role = apps.get_model("careers", "Role")
    Transition = apps.get_model("careers", "Transition")
    Phase = apps.get_model("roadmaps", "Phase")
    Item = apps.get_model("roadmaps", "RoadmapItem")
    User = apps.get_model("accounts", "User")
    Plan = apps.get_model("roadmaps", "Plan")
    PlanChange = apps.get_model("roadmaps", "PlanChange")
    Progress = apps.get_model("roadmaps", "ItemProgress")
    CheckIn = apps.get_model("roadmaps", "CheckIn")
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("admin", "LogEntry")

    background = Role.objects.create(slug="swe", name="Software engineer", kind="background")
    ai_role = Role.objects.create(slug="mle", name="ML engineer", kind="ai_role")
    transition = Transition.objects.create(
        slug="swe-to-mle",
        title="SWE to MLE",
        from_role=background,
        to_role=ai_role,
        status="published",
        difficulty="moderate",
        timeline_min_months=9,
        timeline_max_months=15,
    )
    phase1 = Phase.objects.create(transition=transition, order=1, title="Basics", weeks=6)
    phase2 = Phase.objects.create(transition=transition, order=2, title="Depth", weeks=4)
    task = Item.objects.create(
        transition=transition, phase=phase1, kind="task", key="python", title="Learn Python"
    )
    resource = Item.objects.create(
        transition=transition,
        phase=phase2,
        kind="resource",
        key="book",
        title="Read the book",
        resource_type="book",
        url="https://example.com/book",
    )
    archived = Item.objects.create(
        transition=transition,
        phase=phase2,
        kind="task",
        key="old",
        title="Retired task",
        is_archived=True,
    )
    action = Item.objects.create(
        transition=transition, kind="action", horizon="week", key="repo", title="Start a repo"
    )
    users = [
        User.objects.create(email="ada@example.com", password="!"),
        User.objects.create(email="bob@example.com", password="!"),
    ]
    done_at = datetime(2026, 10, 5, 9, 30, tzinfo=UTC)
    for n, user in enumerate(users):
        plan = Plan.objects.create(
            user=user, transition=transition, start_date=date(2026, 9, 1), pace_months=12
        )
        PlanChange.objects.create(
            plan=plan, kind="start", effective_on=date(2026, 9, 1), to_value="12"
        )
        Progress.objects.create(
            plan=plan,
            item=task,
            state="done",
            done_at=done_at,
            planned_on=date(2026, 9, 20),
            note=f"Note {n}",
            evidence_url="https://example.com/cert",
        )
        Progress.objects.create(plan=plan, item=resource, state="skipped")
        Progress.objects.create(plan=plan, item=archived, state="done", done_at=done_at)
        checkin = CheckIn.objects.create(
            plan=plan, week=date(2026, 10, 5), hours="6.5", confidence=4, wins="Shipped"
        )
        checkin.focus_items.set([resource, action])
    phase_type = ContentType.objects.get_or_create(app_label="roadmaps", model="phase")[0]
    item_type = ContentType.objects.get_or_create(app_label="roadmaps", model="roadmapitem")[0]
    LogEntry.objects.create(
        action_time=done_at,
        user_id=users[0].pk,
        content_type_id=item_type.pk,
        object_id=str(task.pk),
        object_repr="Learn Python",
        action_flag=2,
        change_message="[]",
    )
    return {"phase_type": phase_type.pk, "item_type": item_type.pk}


def snapshot(apps, content_app):
    """Every row members and staff care about, as plain values (ids included)."""
    Phase = apps.get_model(content_app, "Phase")
    Item = apps.get_model(content_app, "RoadmapItem")
    Progress = apps.get_model("roadmaps", "ItemProgress")
    CheckIn = apps.get_model("roadmaps", "CheckIn")
    Plan = apps.get_model("roadmaps", "Plan")
    LogEntry = apps.get_model("admin", "LogEntry")
    return {
        "phases": list(
            Phase.objects.order_by("id").values("id", "transition_id", "order", "title", "weeks")
        ),
        "items": list(
            Item.objects.order_by("id").values(
                "id",
                "transition_id",
                "phase_id",
                "kind",
                "horizon",
                "key",
                "title",
                "resource_type",
                "url",
                "is_archived",
            )
        ),
        "plans": list(
            Plan.objects.order_by("id").values("id", "user_id", "start_date", "pace_months")
        ),
        "progress": list(
            Progress.objects.order_by("id").values(
                "id", "plan_id", "item_id", "state", "done_at", "planned_on", "note", "evidence_url"
            )
        ),
        "checkins": [
            (c.id, c.plan_id, c.week, str(c.hours), sorted(i.pk for i in c.focus_items.all()))
            for c in CheckIn.objects.order_by("id")
        ],
        "log": list(LogEntry.objects.values("content_type_id", "object_id", "object_repr")),
    }


@pytest.mark.django_db(transaction=True)
def test_moving_roadmap_content_to_careers_keeps_every_row_and_id(old_schema):
    types = fill_old_schema(old_schema)
    before = snapshot(old_schema, "roadmaps")
    assert len(before["progress"]) == 6 and len(before["checkins"]) == 2

    new_apps = migrate(latest())

    after = snapshot(new_apps, "careers")
    assert after == before
    # The content types moved with their ids, so admin history and permissions follow.
    ContentType = new_apps.get_model("contenttypes", "ContentType")
    assert ContentType.objects.get(pk=types["phase_type"]).app_label == "careers"
    assert ContentType.objects.get(pk=types["item_type"]).app_label == "careers"
    assert not ContentType.objects.filter(app_label="roadmaps", model="roadmapitem").exists()
    # And the live models read the same rows from the renamed tables.
    from careers.models import RoadmapItem
    from roadmaps.models import ItemProgress

    assert RoadmapItem._meta.db_table == "careers_roadmapitem"
    notes = sorted(
        ItemProgress.objects.filter(state="done", note__gt="").values_list("note", flat=True)
    )
    assert notes == ["Note 0", "Note 1"]
    assert {p.item.key for p in ItemProgress.objects.select_related("item")} == {
        "python",
        "book",
        "old",
    }


@pytest.mark.django_db(transaction=True)
def test_the_move_can_be_rolled_back_without_loss(old_schema):
    fill_old_schema(old_schema)
    before = snapshot(old_schema, "roadmaps")
    migrate(latest())
    rolled_back = migrate(BEFORE)
    assert snapshot(rolled_back, "roadmaps") == before
    ContentType = rolled_back.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="roadmaps", model="roadmapitem").exists()


def test_careers_never_imports_roadmaps():
    """The catalogue is the lower layer: `roadmaps` imports `careers`, never the reverse."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "careers"
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "roadmaps"]
    assert offenders == []
