"""Load the shipped catalog (catalog.json) into the database, idempotently.

Rows are upserted by their natural keys (slugs; item keys within a transition; position for
child rows that have no identity of their own). A row is written only when a field differs,
so a second run changes nothing. Member data is never touched: roadmap items that left the
catalog are archived, not deleted, because members' progress may point at them.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

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


class CatalogError(ValueError):
    """The catalog file does not have the expected shape."""


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


def read_catalog(path: Path = CATALOG_PATH) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _require(entry: dict[str, Any], keys: set[str], optional: set[str], where: str) -> None:
    missing = keys - entry.keys()
    unknown = entry.keys() - keys - optional
    if missing:
        raise CatalogError(f"{where}: missing {sorted(missing)}")
    if unknown:
        raise CatalogError(f"{where}: unknown keys {sorted(unknown)}")


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
        where = f"role {data.get('slug')!r}"
        _require(
            data,
            {
                "slug",
                "name",
                "kind",
                "summary",
                "what_they_do",
                "required_background",
                "demand",
                "phd_usually_required",
                "focus_areas",
                "salary_bands",
                "faqs",
            },
            set(),
            where,
        )
        if data["kind"] not in Role.Kind.values:
            raise CatalogError(f"{where}: unknown kind {data['kind']!r}")
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
                "phd_usually_required": bool(data["phd_usually_required"]),
                "focus_areas": list(data["focus_areas"]),
                "order": order,
            },
        )
        bands = []
        for band in data["salary_bands"]:
            _require(
                band,
                {
                    "market",
                    "currency",
                    "low",
                    "high",
                    "open_ended",
                    "basis",
                    "year",
                    "note",
                    "source",
                },
                set(),
                f"{where} salary band",
            )
            if band["currency"] not in SalaryBand.Currency.values:
                raise CatalogError(f"{where}: unknown currency {band['currency']!r}")
            if band["basis"] not in SalaryBand.Basis.values:
                raise CatalogError(f"{where}: unknown basis {band['basis']!r}")
            for amount in ("low", "high"):
                if band[amount] is not None and not isinstance(band[amount], int):
                    raise CatalogError(f"{where}: {amount} must be a whole number or null")
            bands.append({**band, "open_ended": bool(band["open_ended"])})
        self.sync_children(SalaryBand, {"role": role}, bands)
        self.sync_faqs({"role": role}, data["faqs"], where)
        return role

    def sync_faqs(self, parent: dict[str, Any], faqs: list[dict[str, Any]], where: str) -> None:
        rows = []
        for faq in faqs:
            _require(faq, {"question", "answer"}, set(), f"{where} FAQ")
            rows.append({"question": faq["question"], "answer": faq["answer"]})
        lookup = {"role": None, "transition": None, **parent}
        self.sync_children(FAQ, lookup, rows)

    def load_transition(self, order: int, data: dict[str, Any], roles: dict[str, Role]):
        where = f"transition {data.get('slug')!r}"
        _require(
            data,
            {
                "slug",
                "from_role",
                "to_role",
                "title",
                "difficulty",
                "timeline_min_months",
                "timeline_max_months",
                "salary_change_min_pct",
                "salary_change_max_pct",
                "demand",
                "overview",
                "featured",
                "source_note",
                "transferable_skills",
                "skills_to_learn",
                "phases",
                "reality_check",
                "action_plan",
                "faqs",
            },
            set(),
            where,
        )
        for end, kind in (("from_role", Role.Kind.BACKGROUND), ("to_role", Role.Kind.AI_ROLE)):
            role = roles.get(data[end])
            if role is None or role.kind != kind:
                raise CatalogError(f"{where}: {end} {data[end]!r} is not a known {kind.label}")
        if data["difficulty"] not in Transition.Difficulty.values:
            raise CatalogError(f"{where}: unknown difficulty {data['difficulty']!r}")
        if not 1 <= data["timeline_min_months"] <= data["timeline_max_months"]:
            raise CatalogError(f"{where}: the timeline range is not valid")

        transition = self.upsert(
            Transition,
            {"slug": data["slug"]},
            {
                "title": data["title"],
                "from_role": roles[data["from_role"]],
                "to_role": roles[data["to_role"]],
                "status": Status.PUBLISHED,
                "featured": bool(data["featured"]),
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
        skills = []
        for skill in data["transferable_skills"]:
            _require(skill, {"name", "description"}, set(), f"{where} transferable skill")
            skills.append(skill)
        self.sync_children(TransferableSkill, parent, skills)

        to_learn = []
        for skill in data["skills_to_learn"]:
            _require(skill, {"name", "priority", "weeks", "how_to_learn"}, set(), f"{where} skill")
            if skill["priority"] not in PRIORITIES:
                raise CatalogError(f"{where}: unknown priority {skill['priority']!r}")
            to_learn.append({**skill, "priority": PRIORITIES[skill["priority"]]})
        self.sync_children(SkillToLearn, parent, to_learn)

        reality = data["reality_check"]
        _require(reality, set(REALITY_KINDS), set(), f"{where} reality check")
        rows = []
        for section, kind in REALITY_KINDS.items():
            rows.extend({"kind": kind, "text": text} for text in reality[section])
        self.sync_children(RealityCheckItem, parent, rows)

        self.sync_faqs(parent, data["faqs"], where)
        self.load_roadmap(transition, data, where)
        return transition

    def load_roadmap(self, transition: Transition, data: dict[str, Any], where: str) -> None:
        seen_keys: set[str] = set()

        def item(kind, values, order, phase=None, horizon=""):
            _require(values, {"key", "title"}, {"resource_type", "url"}, f"{where} {kind}")
            key = values["key"]
            if key in seen_keys:
                raise CatalogError(f"{where}: item key {key!r} is used twice")
            seen_keys.add(key)
            resource_type = values.get("resource_type", "")
            if kind == RoadmapItem.Kind.RESOURCE and (
                resource_type not in RoadmapItem.ResourceType.values
            ):
                raise CatalogError(f"{where}: unknown resource type {resource_type!r}")
            self.upsert(
                RoadmapItem,
                {"transition": transition, "key": key},
                {
                    "phase": phase,
                    "kind": kind,
                    "horizon": horizon,
                    "title": values["title"],
                    "resource_type": resource_type,
                    "url": values.get("url", ""),
                    "order": order,
                    "is_archived": False,
                },
            )

        phases = data["phases"]
        for number, phase_data in enumerate(phases, start=1):
            _require(phase_data, {"title", "weeks", "summary", "tasks", "resources"}, set(), where)
            if not isinstance(phase_data["weeks"], int) or phase_data["weeks"] < 1:
                raise CatalogError(f"{where}: phase {number} needs a positive number of weeks")
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
        _require(plan, set(RoadmapItem.Horizon.values), set(), f"{where} action plan")
        for horizon in RoadmapItem.Horizon.values:
            for order, action in enumerate(plan[horizon]):
                item(RoadmapItem.Kind.ACTION, action, order, horizon=horizon)

        # Items that left the catalog are archived: members' progress may point at them.
        gone = transition.roadmap_items.filter(is_archived=False).exclude(key__in=seen_keys)
        for _ in range(gone.count()):
            self.report.record(RoadmapItem, "removed")
        gone.update(is_archived=True)
        # Phases past the last one leave the guide and every plan. They are archived, not
        # deleted: members' records of their items point at them.
        gone_phases = transition.phases.filter(order__gt=len(phases), is_archived=False)
        for _ in range(gone_phases.count()):
            self.report.record(Phase, "removed")
        gone_phases.update(is_archived=True)

    def load_glossary(self, terms: list[dict[str, Any]]) -> None:
        for data in terms:
            _require(data, {"slug", "term", "definition"}, {"match_words"}, "glossary term")
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
def load_catalog(data: dict[str, Any] | None = None) -> LoadReport:
    data = read_catalog() if data is None else data
    _require(data, {"roles", "glossary", "faqs", "transitions"}, set(), "catalog")
    report = LoadReport()
    loader = Loader(report)
    roles = {
        role["slug"]: loader.load_role(order, role) for order, role in enumerate(data["roles"])
    }
    loader.load_glossary(data["glossary"])
    loader.sync_faqs({}, data["faqs"], "catalog")
    for order, transition in enumerate(data["transitions"]):
        loader.load_transition(order, transition, roles)
    return report
