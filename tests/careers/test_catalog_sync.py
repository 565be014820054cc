"""Once the database has a catalog it is the source of truth: staff's work survives restarts
and reloads. A load shows what it would change, applies only when asked, and keeps rows
edited, created or deleted in the admin unless told to overwrite them."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from careers.catalog.loader import CATALOG_PATH, ITEM, fingerprint, load_catalog
from careers.models import FAQ, LoadedRow, Phase, RoadmapItem, Role, Transition
from tests.careers.catalogs import edited, tiny_catalog
from tests.careers.test_load_catalog import snapshot
from tests.makerun import make_run_steps, run_make_run_steps

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
T = "transitions/engineer-to-ml-engineer"


def load(path, *args):
    out = StringIO()
    call_command("load_catalog", path, *args, stdout=out)
    return out.getvalue()


def write(tmp_path, data, name="catalog.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def item(key):
    return RoadmapItem.objects.get(key=key)


def staff_edit(obj, **values):
    """Change a row as the admin's change form does: set the fields, save the whole row."""
    for name, value in values.items():
        setattr(obj, name, value)
    obj.save()
    return obj


# --- `make run` ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_make_run_loads_an_empty_catalog_and_never_reverts_admin_edits_after():
    assert [step[0] for step in make_run_steps()] == ["migrate", "createcachetable", "load_catalog"]
    out = run_make_run_steps()
    assert re.search(r"Loaded \d+ created, 0 updated, 0 removed\.", out)
    assert Transition.objects.count() == 13
    seed = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    task = seed.roadmap_items.filter(kind="task").first()
    staff_edit(task, title="Reworded by staff")
    archived = staff_edit(seed.roadmap_items.filter(kind="resource").first(), is_archived=True)
    staff_edit(seed, status="draft", overview="Rewritten overview.")
    stamp = Transition.objects.get(pk=seed.pk).updated_at

    out = run_make_run_steps()  # a restart

    assert "The database already has a catalog" in out
    assert "Loaded" not in out
    assert item(task.key).title == "Reworded by staff"
    assert item(archived.key).is_archived
    seed.refresh_from_db()
    assert (seed.status, seed.overview, seed.updated_at) == ("draft", "Rewritten overview.", stamp)


def test_if_empty_loads_only_into_an_empty_catalog(tmp_path):
    path = write(tmp_path, tiny_catalog())
    assert load(path, "--if-empty") == "Loaded 28 created, 0 updated, 0 removed.\n"
    before = snapshot()
    changed = write(tmp_path, edited("roles[0].name", "Renamed"), "changed.json")
    assert load(changed, "--if-empty") == (
        "The database already has a catalog, and it is the source of truth: nothing was "
        f"loaded. `manage.py load_catalog {changed}` lists what loading the file would change.\n"
    )
    assert snapshot() == before


# --- a dry run, then --apply ----------------------------------------------------------------


def changed_file(tmp_path):
    data = edited("transitions[0].phases[0].tasks[0].title", "Learn statistics properly")
    edited("roles[1].demand", "Steady.", data)
    data["transitions"][0]["phases"][1]["tasks"].append({"key": "ship-it", "title": "Ship it"})
    del data["transitions"][0]["action_plan"]["quarter"][0]
    del data["faqs"][1]
    return write(tmp_path, data, "changed.json")


DRY_RUN_LINES = [
    '~ role roles/engineer: demand "" -> "Steady."',
    "- FAQ faqs/1: removed (not in the file)",
    f'~ roadmap item {T}/items/learn-stats: title "Learn statistics" -> "Learn statistics properly"',
    f"+ roadmap item {T}/items/ship-it",
    f"- roadmap item {T}/items/publish: archived (not in the file)",
]


def test_a_load_into_a_catalog_lists_each_change_and_writes_nothing(tmp_path):
    load_catalog(tiny_catalog())
    before, records = snapshot(), list(LoadedRow.objects.values())
    out = load(changed_file(tmp_path))
    assert out.splitlines() == [
        *DRY_RUN_LINES,
        "Dry run, nothing was written: 1 created, 2 updated, 2 removed if applied. "
        "Run again with --apply to apply these changes.",
    ]
    assert snapshot() == before
    assert list(LoadedRow.objects.values()) == records


def test_apply_writes_what_the_dry_run_listed(tmp_path):
    load_catalog(tiny_catalog())
    path = changed_file(tmp_path)
    out = load(path, "--apply")
    assert out.splitlines() == [*DRY_RUN_LINES, "Loaded 1 created, 2 updated, 2 removed."]
    assert item("learn-stats").title == "Learn statistics properly"
    assert Role.objects.get(slug="engineer").demand == "Steady."
    new = item("ship-it")
    assert (new.kind, new.phase.order, new.order, new.is_archived) == ("task", 2, 1, False)
    assert item("publish").is_archived
    assert list(FAQ.objects.filter(role=None, transition=None).values_list("question")) == [
        ("Why AI?",)
    ]
    assert load(path) == f"Nothing to change: the database already has {path}.\n"


def test_every_row_a_load_writes_is_recorded_with_the_fingerprint_of_its_values():
    load_catalog(tiny_catalog())
    assert LoadedRow.objects.count() == 28
    record = LoadedRow.objects.get(key=f"{T}/items/stats-book")
    stats_book = item("stats-book")
    assert (record.model, record.object_id) == ("careers.roadmapitem", stats_book.pk)
    assert record.fingerprint == fingerprint(
        {
            "key": "stats-book",
            "phase": 1,
            "kind": "resource",
            "horizon": "",
            "title": "A statistics book",
            "resource_type": "book",
            "url": "https://example.com/stats",
            "effort_hours": None,
            "skills": [],
            "depends_on": [],
            "order": 0,
            "is_archived": False,
        }
    )
    assert set(LoadedRow.objects.values_list("key", flat=True)) >= {
        "roles/ml-engineer",
        "roles/ml-engineer/salary_bands/1",
        "roles/ml-engineer/faqs/0",
        "glossary/llm",
        "faqs/1",
        T,
        f"{T}/transferable_skills/1",
        f"{T}/skills_to_learn/2",
        f"{T}/reality_check/3",
        f"{T}/faqs/0",
        f"{T}/phases/2",
        f"{T}/items/publish",
    }


def test_a_load_of_an_unchanged_file_writes_nothing(tmp_path):
    call_command("load_catalog", stdout=StringIO())
    stamps = list(Transition.objects.values_list("updated_at", flat=True))
    stamps += list(Role.objects.values_list("updated_at", flat=True))
    for args in ([], ["--apply"], ["--apply", "--overwrite-edits"]):
        with CaptureQueriesContext(connection) as queries:
            out = load(CATALOG_PATH, *args)
        assert out == f"Nothing to change: the database already has {CATALOG_PATH}.\n"
        writes = [q["sql"] for q in queries if not q["sql"].startswith("SELECT")]
        assert [w for w in writes if not re.match(r"(SAVEPOINT|RELEASE SAVEPOINT)", w)] == []
    after = list(Transition.objects.values_list("updated_at", flat=True))
    after += list(Role.objects.values_list("updated_at", flat=True))
    assert after == stamps


# --- staff's work is kept ---------------------------------------------------------------------


def test_a_row_edited_in_the_admin_is_kept_and_listed(tmp_path):
    load_catalog(tiny_catalog())
    staff_edit(item("learn-stats"), title="Statistics, by staff")
    path = write(tmp_path, tiny_catalog())  # the file it was loaded from
    out = load(path, "--apply")
    assert out.splitlines() == [
        f'! ~ roadmap item {T}/items/learn-stats: title "Statistics, by staff" -> '
        '"Learn statistics" [kept: edited in the admin since the last load]',
        "1 rows edited, created or deleted in the admin since the last load are kept as they "
        "are (lines starting with !); --overwrite-edits replaces them with the file's.",
        f"Nothing to change: the database already has {path}, apart from the rows kept above.",
    ]
    assert item("learn-stats").title == "Statistics, by staff"


def test_a_file_change_to_an_edited_row_is_kept_out_but_other_changes_apply(tmp_path):
    load_catalog(tiny_catalog())
    staff_edit(item("learn-stats"), title="Statistics, by staff")
    data = edited("transitions[0].phases[0].tasks[0].title", "Learn stats")
    edited("transitions[0].phases[0].tasks[1].title", "Learn JAX", data)
    report = load_catalog(data)
    assert report.lines == [
        f'! ~ roadmap item {T}/items/learn-stats: title "Statistics, by staff" -> "Learn stats" '
        "[kept: edited in the admin since the last load]",
        f'~ roadmap item {T}/items/learn-torch: title "Learn PyTorch" -> "Learn JAX"',
    ]
    assert (item("learn-stats").title, item("learn-torch").title) == (
        "Statistics, by staff",
        "Learn JAX",
    )


def test_overwrite_edits_replaces_them_and_records_the_file_as_loaded(tmp_path):
    load_catalog(tiny_catalog())
    staff_edit(item("learn-stats"), title="Statistics, by staff")
    path = write(tmp_path, tiny_catalog())
    out = load(path, "--apply", "--overwrite-edits")
    assert out.splitlines() == [
        f'~ roadmap item {T}/items/learn-stats: title "Statistics, by staff" -> '
        '"Learn statistics" [overwrites: edited in the admin since the last load]',
        "Loaded 0 created, 1 updated, 0 removed.",
    ]
    assert item("learn-stats").title == "Learn statistics"
    assert load(path) == f"Nothing to change: the database already has {path}.\n"


def test_an_item_archived_in_the_admin_stays_archived(tmp_path):
    load_catalog(tiny_catalog())
    staff_edit(item("enrol"), is_archived=True)
    staff_edit(Phase.objects.get(order=2), is_archived=True)
    report = load_catalog(tiny_catalog())
    assert sum(report.kept.values()) == 2 and report.changed == 0
    assert item("enrol").is_archived
    assert Phase.objects.get(order=2).is_archived


def test_a_row_deleted_in_the_admin_is_not_brought_back(tmp_path):
    load_catalog(tiny_catalog())
    item("learn-torch").delete()
    FAQ.objects.get(question="Why AI?").delete()
    path = write(tmp_path, tiny_catalog())
    out = load(path, "--apply")
    assert out.splitlines()[:2] == [
        "! + FAQ faqs/0 [kept: deleted in the admin since the last load]",
        f"! + roadmap item {T}/items/learn-torch [kept: deleted in the admin since the last load]",
    ]
    assert not RoadmapItem.objects.filter(key="learn-torch").exists()
    assert not FAQ.objects.filter(question="Why AI?").exists()
    # ...and it stays a conflict on the next load, until the file drops it or staff say so
    assert sum(load_catalog(tiny_catalog()).kept.values()) == 2
    load(path, "--apply", "--overwrite-edits")
    assert item("learn-torch").title == "Learn PyTorch"
    assert FAQ.objects.filter(question="Why AI?", order=0).exists()


def test_a_row_created_in_the_admin_is_neither_archived_nor_removed(tmp_path):
    load_catalog(tiny_catalog())
    t = Transition.objects.get()
    staff_item = RoadmapItem.objects.create(
        transition=t, phase=t.phases.get(order=1), kind="task", key="staff-task", title="Staff"
    )
    FAQ.objects.create(question="Added by staff?", answer="Yes.", order=5)
    report = load_catalog(tiny_catalog())
    assert report.lines == [
        "! - FAQ faqs/5: removed (not in the file) [kept: not written by a load (created in "
        "the admin)]",
        f"! - roadmap item {T}/items/staff-task: archived (not in the file) [kept: not written "
        "by a load (created in the admin)]",
    ]
    assert not item("staff-task").is_archived
    assert FAQ.objects.filter(question="Added by staff?").exists()
    load_catalog(tiny_catalog(), overwrite_edits=True)
    assert RoadmapItem.objects.get(pk=staff_item.pk).is_archived  # archived, never deleted
    assert not FAQ.objects.filter(question="Added by staff?").exists()


def test_an_edited_row_that_left_the_file_is_kept(tmp_path):
    load_catalog(tiny_catalog())
    staff_edit(item("publish"), title="Publish two projects")
    report = load_catalog(edited("transitions[0].action_plan.quarter", []))
    assert report.lines == [
        f"! - roadmap item {T}/items/publish: archived (not in the file) [kept: edited in the "
        "admin since the last load]"
    ]
    assert not item("publish").is_archived


def test_a_staff_draft_stays_a_draft_and_the_file_can_ship_drafts(tmp_path):
    load_catalog(tiny_catalog())
    staff_edit(Role.objects.get(slug="engineer"), status="draft")
    load_catalog(edited("roles[0].status", "draft"))
    assert dict(Role.objects.values_list("slug", "status")) == {
        "engineer": "draft",
        "ml-engineer": "draft",
    }
    load_catalog(edited("transitions[0].status", "draft"))
    assert Transition.objects.get().status == "draft"


def test_a_file_that_catches_up_with_a_staff_edit_settles_it(tmp_path):
    """Export after an admin edit, commit the file: loading it finds nothing to change."""
    load_catalog(tiny_catalog())
    staff_edit(item("learn-stats"), title="Statistics, by staff")
    caught_up = edited("transitions[0].phases[0].tasks[0].title", "Statistics, by staff")
    first = load_catalog(caught_up)
    assert (first.lines, first.changed) == ([], 0)
    record = LoadedRow.objects.get(key=f"{T}/items/learn-stats")
    assert record.fingerprint == fingerprint(ITEM.values(item("learn-stats")))
    # The row now counts as loaded: a later file change to it applies.
    report = load_catalog(edited("transitions[0].phases[0].tasks[0].title", "Stats"))
    assert report.lines == [
        f'~ roadmap item {T}/items/learn-stats: title "Statistics, by staff" -> "Stats"'
    ]
    assert item("learn-stats").title == "Stats"


def test_a_catalog_loaded_before_loads_were_recorded_is_adopted_where_it_matches(tmp_path):
    load_catalog(tiny_catalog())
    LoadedRow.objects.all().delete()  # as a database loaded by the earlier loader
    staff_edit(Role.objects.get(slug="engineer"), demand="Edited back then.")
    report = load_catalog(tiny_catalog())
    assert report.lines == [
        '! ~ role roles/engineer: demand "Edited back then." -> "" [kept: not written by a '
        "load (created in the admin)]"
    ]
    assert LoadedRow.objects.count() == 27  # every row but the edited one is adopted
    assert load_catalog(tiny_catalog()).lines == report.lines


def test_an_item_whose_phase_was_deleted_in_the_admin_waits_for_it():
    load_catalog(tiny_catalog())
    Phase.objects.get(order=2).delete()  # and its item, build-model, with it
    data = tiny_catalog()
    data["transitions"][0]["phases"][1]["tasks"].append({"key": "new", "title": "New"})
    report = load_catalog(data)
    assert report.lines == [
        f"! + phase {T}/phases/2 [kept: deleted in the admin since the last load]",
        f"! + roadmap item {T}/items/build-model [kept: deleted in the admin since the last load]",
        f"! + roadmap item {T}/items/new [kept: needs {T}/phases/2, which is not in the database]",
    ]
    assert not RoadmapItem.objects.filter(key="new").exists()
