"""export_catalog writes the whole catalog in exactly the format load_catalog reads."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from careers.catalog import schema
from careers.catalog.exporter import dump, export_catalog
from careers.catalog.loader import CATALOG_PATH, load_catalog, read_catalog
from careers.models import FAQ, GlossaryTerm, Phase, RoadmapItem, Role, Transition
from tests.careers.catalogs import tiny_catalog
from tests.careers.test_load_catalog import CATALOG_MODELS

pytestmark = pytest.mark.django_db


def export(path):
    out = StringIO()
    call_command("export_catalog", path, stdout=out)
    return out.getvalue()


def test_the_shipped_catalog_is_an_export_of_itself(tmp_path):
    load_catalog()
    export(tmp_path / "out.json")
    assert (tmp_path / "out.json").read_bytes() == CATALOG_PATH.read_bytes()


def test_export_load_export_is_byte_identical_with_drafts_archives_and_staff_rows(tmp_path):
    load_catalog()
    t = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    Role.objects.filter(slug="policy").update(status="draft")
    resource = t.roadmap_items.filter(kind="resource").first()
    RoadmapItem.objects.filter(pk=resource.pk).update(is_archived=True, title="Archivé — staff")
    Phase.objects.filter(transition=t, order=4).update(is_archived=True)
    RoadmapItem.objects.create(
        transition=t, kind="action", horizon="week", key="staff-action", title="Staff's action"
    )
    FAQ.objects.create(role=t.to_role, question="Staff question?", answer="Staff answer.", order=9)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    export(first)
    load_catalog(read_catalog(first))
    export(second)
    assert second.read_bytes() == first.read_bytes()
    # ... and into an emptied catalog too (staff deleted it all; the file brings it back)
    for model in reversed(CATALOG_MODELS):
        model.objects.all().delete()
    load_catalog(read_catalog(first))
    export(second)
    assert second.read_bytes() == first.read_bytes()


def test_the_export_carries_status_archived_flags_keys_and_order(tmp_path):
    load_catalog(tiny_catalog())
    Role.objects.filter(slug="engineer").update(status="draft")
    RoadmapItem.objects.filter(key="learn-stats").update(is_archived=True, order=1)
    RoadmapItem.objects.filter(key="learn-torch").update(order=0)  # staff swapped them
    Phase.objects.filter(order=2).update(is_archived=True)
    GlossaryTerm.objects.create(slug="agi", term="AGI", definition="General.", match_words=["AGI"])
    data = export_catalog()
    assert [(r["slug"], r["status"]) for r in data["roles"]] == [
        ("ml-engineer", "published"),
        ("engineer", "draft"),
    ]
    # every key in the schema's order; a role's skills only when it has some
    assert list(data["roles"][0]) == [key for key in schema.ROLE.fields if key != "skills"]
    phases = data["transitions"][0]["phases"]
    assert phases[0]["tasks"] == [
        {"key": "learn-torch", "title": "Learn PyTorch"},
        {"key": "learn-stats", "title": "Learn statistics", "archived": True},
    ]
    assert phases[0]["resources"] == [
        {
            "key": "stats-book",
            "title": "A statistics book",
            "resource_type": "book",
            "url": "https://example.com/stats",
        }
    ]
    assert list(phases[1]) == ["title", "weeks", "summary", "archived", "tasks", "resources"]
    assert data["glossary"] == [  # by term; match words only when not the term's own
        {"slug": "agi", "term": "AGI", "definition": "General."},
        {"slug": "llm", "term": "Large Language Model (LLM)", "definition": "A big model."},
    ]
    expected = tiny_catalog()
    for row in expected["roles"] + expected["transitions"]:
        row["status"] = "published"
    assert data["faqs"] == expected["faqs"]
    assert data["transitions"][0]["skills_to_learn"] == expected["transitions"][0]["skills_to_learn"]  # fmt: skip
    assert data["transitions"][0]["reality_check"] == expected["transitions"][0]["reality_check"]
    assert data["transitions"][0]["action_plan"] == expected["transitions"][0]["action_plan"]
    assert data["roles"][0] == expected["roles"][0]


def test_the_file_is_indented_utf8_with_a_final_newline(tmp_path):
    load_catalog(tiny_catalog())
    Role.objects.filter(slug="engineer").update(name="Ingénieur")
    path = tmp_path / "out.json"
    assert export(path) == (
        f"Exported 2 roles, 1 transitions (7 roadmap items) and 1 glossary terms to {path}.\n"
    )
    text = path.read_text(encoding="utf-8")
    assert '      "name": "Ingénieur",\n' in text
    assert text.startswith('{\n  "roles": [\n    {\n      "slug": "ml-engineer",\n')
    assert text.endswith("\n  ]\n}\n")
    assert text == dump(json.loads(text))


def test_a_catalog_the_schema_refuses_is_not_exported(tmp_path):
    load_catalog(tiny_catalog())
    RoadmapItem.objects.filter(key="enrol").update(title="")
    path = tmp_path / "out.json"
    with pytest.raises(CommandError) as error:
        export(path)
    assert str(error.value) == (
        "Could not export: the database holds values a catalog file cannot "
        '(transitions[0].action_plan.week[0].title (transition "engineer-to-ml-engineer"): '
        f"must not be empty); nothing was written to {path}."
    )
    assert not path.exists()
