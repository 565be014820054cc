"""Load the shipped catalog (catalog.json) into the database, idempotently.

Rows are upserted by their natural keys (slugs; item keys within a transition; position for
child rows that have no identity of their own). A row is written only when a field differs,
so a second run changes nothing. Member data is never touched: roadmap items that left the
catalog are archived, not deleted, because members' progress may point at them.

The whole file is checked against the schema (schema.py) before anything is written, so the
loading code below can trust every value's presence, type and range.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from careers.catalog.schema import CatalogError, json_object, validate
from careers.history import CATALOG_LOAD, change_reason
from careers.models import (
    FAQ,
    GlossaryTerm,
    Phase,
    RealityCheckItem,
    RoadmapItem,
    Role,
    SalaryBand,
    SkillToLearn,
    Status,
    TransferableSkill,
    Transition,
)

CATALOG_PATH = Path(__file__).with_name("catalog.json")

PRIORITIES = {
    "critical": SkillToLearn.Priority.CRITICAL,
    "important": SkillToLearn.Priority.IMPORTANT,
    "nice_to_have": SkillToLearn.Priority.NICE_TO_HAVE,
}
REALITY_KINDS = {
    "love": RealityCheckItem.Kind.LOVE,
    "miss": RealityCheckItem.Kind.MISS,
    "challenges": RealityCheckItem.Kind.CHALLENGE,
}


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.removed.values())

    def record(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.verbose_name_plural] += 1

    def summary(self) -> str:
        lines = []
        for outcome in ("created", "updated", "removed", "unchanged"):
            counts = getattr(self, outcome)
            if counts:
                detail = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                lines.append(f"{outcome}: {detail}")
        return "\n".join(lines) or "nothing to load"


def read_catalog(path: Path = CATALOG_PATH) -> Any:
    """The file's JSON. Invalid JSON is a CatalogError giving the line and column."""
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh, object_pairs_hook=json_object)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            [f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc


def glossary_match_words(term: str) -> list[str]:
    """'Large Language Model (LLM)' -> ['Large Language Model', 'LLM']."""
    words = [term]
    found = re.match(r"^(.*?)\s*\((.*?)\)\s*$", term)
    if found:
        words = [found.group(1).strip(), found.group(2).strip()]
    return [w for w in words if w]


class Loader:
    def __init__(self, report: LoadReport) -> None:
        self.report = report

    def upsert(self, model, lookup: dict[str, Any], values: dict[str, Any]):
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.report.record(model, "created")
            return obj
        changed = [
            name
            for name, value in values.items()
            if getattr(obj, name if not isinstance(value, models.Model) else f"{name}_id")
            != (value.pk if isinstance(value, models.Model) else value)
        ]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            update_fields = changed + (["updated_at"] if hasattr(obj, "updated_at") else [])
            obj.save(update_fields=update_fields)
            self.report.record(model, "updated")
        else:
            self.report.record(model, "unchanged")
        return obj

    def sync_children(self, model, parent_lookup: dict[str, Any], rows: list[dict[str, Any]]):
        """Child rows with no identity of their own: matched by position, extras removed."""
        for order, values in enumerate(rows):
            self.upsert(model, {**parent_lookup, "order": order}, values)
        extra = model._default_manager.filter(**parent_lookup, order__gte=len(rows))
        for _ in range(extra.count()):
            self.report.record(model, "removed")
        extra.delete()

    # --- sections -------------------------------------------------------------------------

    def load_role(self, order: int, data: dict[str, Any]) -> Role:
        role = self.upsert(
            Role,
            {"slug": data["slug"]},
            {
                "name": data["name"],
                "kind": data["kind"],
                "status": Status.PUBLISHED,
                "summary": data["summary"],
                "what_they_do": data["what_they_do"],
                "required_background": list(data["required_background"]),
                "demand": data["demand"],
                "phd_usually_required": data["phd_usually_required"],
                "focus_areas": list(data["focus_areas"]),
                "order": order,
            },
        )
        self.sync_children(SalaryBand, {"role": role}, data["salary_bands"])
        self.sync_faqs({"role": role}, data["faqs"])
        return role

    def sync_faqs(self, parent: dict[str, Any], faqs: list[dict[str, Any]]) -> None:
        lookup = {"role": None, "transition": None, **parent}
        self.sync_children(FAQ, lookup, faqs)

    def load_transition(self, order: int, data: dict[str, Any], roles: dict[str, Role]):
        transition = self.upsert(
            Transition,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "from_role": roles[data["from_role"]],
                "to_role": roles[data["to_role"]],
                "status": Status.PUBLISHED,
                "featured": data["featured"],
                "difficulty": data["difficulty"],
                "timeline_min_months": data["timeline_min_months"],
                "timeline_max_months": data["timeline_max_months"],
                "salary_change_min_pct": data["salary_change_min_pct"],
                "salary_change_max_pct": data["salary_change_max_pct"],
                "demand": data["demand"],
                "overview": data["overview"],
                "source_note": data["source_note"],
                "order": order,
            },
        )
        parent = {"transition": transition}
        self.sync_children(TransferableSkill, parent, data["transferable_skills"])
        to_learn = [
            {**skill, "priority": PRIORITIES[skill["priority"]]}
            for skill in data["skills_to_learn"]
        ]
        self.sync_children(SkillToLearn, parent, to_learn)

        reality = data["reality_check"]
        rows = []
        for section, kind in REALITY_KINDS.items():
            rows.extend({"kind": kind, "text": text} for text in reality[section])
        self.sync_children(RealityCheckItem, parent, rows)

        self.sync_faqs(parent, data["faqs"])
        self.load_roadmap(transition, data)
        return transition

    def load_roadmap(self, transition: Transition, data: dict[str, Any]) -> None:
        seen_keys: set[str] = set()

        def item(kind, values, order, phase=None, horizon=""):
            key = values["key"]
            seen_keys.add(key)
            self.upsert(
                RoadmapItem,
                {"transition": transition, "key": key},
                {
                    "phase": phase,
                    "kind": kind,
                    "horizon": horizon,
                    "title": values["title"],
                    "resource_type": values.get("resource_type", ""),
                    "url": values.get("url", ""),
                    "order": order,
                    "is_archived": False,
                },
            )

        phases = data["phases"]
        for number, phase_data in enumerate(phases, start=1):
            phase = self.upsert(
                Phase,
                {"transition": transition, "order": number},
                {
                    "title": phase_data["title"],
                    "weeks": phase_data["weeks"],
                    "summary": phase_data["summary"],
                    "is_archived": False,
                },
            )
            for order, task in enumerate(phase_data["tasks"]):
                item(RoadmapItem.Kind.TASK, task, order, phase=phase)
            for order, resource in enumerate(phase_data["resources"]):
                item(RoadmapItem.Kind.RESOURCE, resource, order, phase=phase)

        plan = data["action_plan"]
        for horizon in RoadmapItem.Horizon.values:
            for order, action in enumerate(plan[horizon]):
                item(RoadmapItem.Kind.ACTION, action, order, horizon=horizon)

        # Items that left the catalog are archived: members' progress may point at them.
        gone = transition.roadmap_items.filter(is_archived=False).exclude(key__in=seen_keys)
        for gone_item in gone:  # saved one by one, not update(): version history sees saves
            gone_item.is_archived = True
            gone_item.save(update_fields=["is_archived"])
            self.report.record(RoadmapItem, "removed")
        # Phases past the last one leave the guide and every plan. They are archived, not
        # deleted: members' records of their items point at them.
        gone_phases = transition.phases.filter(order__gt=len(phases), is_archived=False)
        for gone_phase in gone_phases:
            gone_phase.is_archived = True
            gone_phase.save(update_fields=["is_archived"])
            self.report.record(Phase, "removed")

    def load_glossary(self, terms: list[dict[str, Any]]) -> None:
        for data in terms:
            self.upsert(
                GlossaryTerm,
                {"slug": data["slug"]},
                {
                    "term": data["term"],
                    "definition": data["definition"],
                    "match_words": data.get("match_words") or glossary_match_words(data["term"]),
                },
            )


@transaction.atomic
@change_reason(CATALOG_LOAD)
def load_catalog(data: Any = None) -> LoadReport:
    """Check the whole catalog, then write it. A CatalogError means nothing was written."""
    data = read_catalog() if data is None else data
    validate(data)
    report = LoadReport()
    loader = Loader(report)
    roles = {
        role["slug"]: loader.load_role(order, role) for order, role in enumerate(data["roles"])
    }
    loader.load_glossary(data["glossary"])
    loader.sync_faqs({}, data["faqs"])
    for order, transition in enumerate(data["transitions"]):
        loader.load_transition(order, transition, roles)
    return report
