"""careers 0010/0011: salary bands' free-text source becomes a Source, without losing staff's
work, and the catalog-sync records follow so the next load still tells edited rows apart."""

import hashlib
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from careers.catalog.loader import BAND, TRANSITION, fingerprint, load_catalog
from careers.models import LoadedRow, SalaryBand, Transition

BEFORE = [("careers", "0009_effort_hours_range")]
OLD_BAND = ("market", "currency", "low", "high", "open_ended", "basis", "year", "note", "source", "order")  # fmt: skip
OLD_TRANSITION = ("slug", "title", "status", "featured", "difficulty", "timeline_min_months", "timeline_max_months", "salary_change_min_pct", "salary_change_max_pct", "demand", "overview", "source_note", "order")  # fmt: skip


def old_fingerprint(values):
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    loader = MigrationExecutor(connection).loader
    return loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def old_schema(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    migrate(latest())


def record(apps, model, obj, key, values):
    apps.get_model("careers", "LoadedRow").objects.create(
        model=model, object_id=obj.pk, key=key, fingerprint=old_fingerprint(values)
    )


def fill(apps):
    """As a load left them before sources: two bands with the internal label (one edited by
    staff since), one band staff typed a source for, and a transition."""
    Role = apps.get_model("careers", "Role")
    Band = apps.get_model("careers", "SalaryBand")
    Transition = apps.get_model("careers", "Transition")
    role = Role.objects.create(slug="ml-engineer", name="ML Engineer", status="published")
    background = Role.objects.create(slug="engineer", name="Engineer", kind="background")
    label = "Seed 004: AI careers guide"
    for order, market in enumerate(["UK", "US"]):
        band = Band.objects.create(
            role=role, market=market, currency="GBP", low=1, high=2, source=label, order=order
        )
        values = {name: getattr(band, name) for name in OLD_BAND}
        record(apps, "careers.salaryband", band, f"roles/ml-engineer/salary_bands/{order}", values)
    Band.objects.filter(market="US").update(note="Staff's note.")  # edited since the load
    Band.objects.create(role=role, market="EU", currency="EUR", source="Staff survey 2025", order=2)
    t = Transition.objects.create(
        slug="engineer-to-ml-engineer",
        title="Engineer to ML Engineer",
        from_role=background,
        to_role=role,
        status="published",
        difficulty="easier",
        timeline_min_months=9,
        timeline_max_months=12,
    )
    values = {name: getattr(t, name) for name in OLD_TRANSITION}
    record(
        apps,
        "careers.transition",
        t,
        "transitions/engineer-to-ml-engineer",
        {**values, "from_role": "engineer", "to_role": "ml-engineer"},
    )


def test_labels_go_staff_sources_stay_and_records_keep_telling_edits_apart(old_schema):
    fill(old_schema)
    migrate(latest())
    uk, us, eu = (SalaryBand.objects.get(market=m) for m in ("UK", "US", "EU"))
    assert (uk.source, us.source) == (None, None)  # the internal label is gone
    assert (eu.source.name, eu.source.citation) == ("Staff survey 2025", "Staff survey 2025")

    def loaded(obj):
        return LoadedRow.objects.get(model=obj._meta.label_lower, object_id=obj.pk).fingerprint

    assert loaded(uk) == fingerprint(BAND.values(uk))  # unedited: a load may update it
    assert loaded(us) != fingerprint(BAND.values(us))  # edited by staff: a load keeps it
    t = Transition.objects.get()
    assert loaded(t) == fingerprint(TRANSITION.values(t))


def test_after_the_migration_a_load_names_the_source_and_keeps_staff_edits(old_schema):
    fill(old_schema)
    migrate(latest())
    data = {
        "roles": [
            {
                "slug": slug,
                "name": name,
                "kind": kind,
                "status": "published" if kind == "ai_role" else "draft",
                "summary": "",
                "what_they_do": "",
                "required_background": [],
                "demand": "",
                "phd_usually_required": False,
                "focus_areas": [],
                "salary_bands": bands,
                "faqs": [],
            }
            for slug, name, kind, bands in [
                (
                    "ml-engineer",
                    "ML Engineer",
                    "ai_role",
                    [
                        {
                            "market": market,
                            "currency": "GBP",
                            "low": 1,
                            "high": 2,
                            "open_ended": False,
                            "basis": "not_stated",
                            "year": None,
                            "note": "",
                            "source": "survey",
                        }
                        for market in ("UK", "US")
                    ],
                ),
                ("engineer", "Engineer", "background", []),
            ]
        ],
        "sources": [
            {"slug": "survey", "name": "Pay Body", "title": "Survey", "year": 2024, "url": ""}
        ],
        "glossary": [],
        "faqs": [],
        "transitions": [],
    }
    report = load_catalog(data)
    lines = "\n".join(report.lines)
    assert '~ salary band roles/ml-engineer/salary_bands/0: source null -> "survey"' in lines
    assert "! ~ salary band roles/ml-engineer/salary_bands/1" in lines
    assert "[kept: edited in the admin since the last load]" in lines
    uk, us = SalaryBand.objects.get(market="UK"), SalaryBand.objects.get(market="US")
    assert uk.source.citation == "Pay Body, Survey (2024)"
    assert (us.source, us.note) == (None, "Staff's note.")
