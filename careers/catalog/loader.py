"""Load a catalog file (catalog.json) into the database without losing staff's work.

Once the database has a catalog it is the source of truth: staff curate it in the admin, and
a file is loaded on purpose (`load_catalog PATH --apply`), never by a restart. A load first
works out a plan, row by row: what it would add, change, archive or remove, with the fields
that change. Only then, if asked, does it apply the plan, in one transaction.

A load never overwrites staff's work unless told to (`overwrite_edits`). For each catalog row
it keeps a LoadedRow: the fingerprint (sha256) of the row's loadable values as loaded. A row
whose values no longer match it was edited in the admin since; a row with none was created in
the admin; a LoadedRow whose row is gone was deleted in the admin. Those rows are conflicts:
the plan lists them and the load leaves them as they are.

Rows are matched to the file by their natural keys: slugs; item keys within a transition;
phase numbers. References are natural keys too: a skill by its slug, a dependency by the item's
key, and many-to-many values (a role's or an item's skills, an item's dependencies) are sorted
lists of them, so they take part in a row's fingerprint like any other value: staff who change
an item's skills in the admin have edited it. Child rows with no identity of their own (salary bands, FAQs, skills, reality
checks) are matched first by content, then by the place the last load put them. Member data
is never touched: roadmap items and phases that left the file are archived, not deleted,
because members' progress may point at them.

The whole file is checked against the schema (schema.py) before anything is planned, so the
code below can trust every value's presence, type and range.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import models, transaction

from careers.catalog.schema import CatalogError, json_object, validate, with_lines
from careers.history import CATALOG_LOAD, change_reason
from careers.models import (
    FAQ,
    GlossaryTerm,
    LoadedRow,
    Phase,
    RealityCheckItem,
    RoadmapItem,
    Role,
    SalaryBand,
    Skill,
    SkillToLearn,
    Source,
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
PRIORITY_NAMES = {value: name for name, value in PRIORITIES.items()}
REALITY_KINDS = {
    "love": RealityCheckItem.Kind.LOVE,
    "miss": RealityCheckItem.Kind.MISS,
    "challenges": RealityCheckItem.Kind.CHALLENGE,
}

# Why a row waits for `overwrite_edits`.
EDITED = "edited in the admin since the last load"
CREATED = "not written by a load (created in the admin)"
DELETED = "deleted in the admin since the last load"
SHOWN = 60  # characters of a value a plan line shows


def read_catalog(path: Path = CATALOG_PATH) -> Any:
    """The file's JSON. Invalid JSON is a CatalogError giving the line and column."""
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh, object_pairs_hook=json_object)
    except json.JSONDecodeError as exc:
        raise CatalogError(
            [f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"]
        ) from exc


def read_checked_catalog(path: Path = CATALOG_PATH) -> Any:
    """The file's JSON, checked against the schema; each problem names its line in the file."""
    data = read_catalog(path)
    try:
        validate(data)
    except CatalogError as error:
        raise with_lines(error, path.read_text(encoding="utf-8")) from error
    return data


def glossary_match_words(term: str) -> list[str]:
    """'Large Language Model (LLM)' -> ['Large Language Model', 'LLM']."""
    words = [term]
    found = re.match(r"^(.*?)\s*\((.*?)\)\s*$", term)
    if found:
        words = [found.group(1).strip(), found.group(2).strip()]
    return [w for w in words if w]


def fingerprint(values: dict[str, Any]) -> str:
    """sha256 of the values' canonical JSON: equal values, equal fingerprints."""
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def catalog_is_empty() -> bool:
    """True until a catalog is loaded or staff create its first role, transition or term."""
    return not any(m.objects.exists() for m in (Role, Transition, GlossaryTerm, FAQ))


# --- catalog rows as values -------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One model of the catalog, as a load sees it.

    `fields` are its loadable values, read from a row by `values`: foreign keys by natural
    reference (a role's slug, a phase's number), priorities by their name in the file.
    A row's key is `<parent key>/<segment>/<value of key_field>`; `positional` rows (no
    identity of their own) are matched by content, then by place. `removal` says what becomes
    of a row that left the file: "delete", "archive", or nothing (roles, transitions and
    glossary terms are never removed by a load).
    """

    model: type[models.Model]
    segment: str
    key_field: str
    fields: tuple[str, ...]
    positional: bool = False
    removal: str = ""

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def noun(self) -> str:
        return str(self.model._meta.verbose_name)

    def rows(self) -> models.QuerySet:
        """Every row, with what its key and values read, in the order the file lists them."""
        rows = self.model._default_manager.select_related(*RELATED.get(self.model, ()))
        rows = rows.prefetch_related(*(name for name in self.fields if name in MANY))
        return rows.order_by("order", "pk") if "order" in self.fields else rows.order_by("pk")

    def key(self, parent: str, values: dict[str, Any]) -> str:
        return f"{parent}/{self.segment}/{values[self.key_field]}".lstrip("/")

    def parent_key(self, obj: models.Model) -> str:
        if isinstance(obj, FAQ):
            if obj.role_id:
                return f"roles/{obj.role.slug}"
            return f"transitions/{obj.transition.slug}" if obj.transition_id else ""
        if hasattr(obj, "transition_id"):
            return f"transitions/{obj.transition.slug}"
        if hasattr(obj, "role_id"):
            return f"roles/{obj.role.slug}"
        return ""

    def values(self, obj: models.Model) -> dict[str, Any]:
        values = {name: getattr(obj, name) for name in self.fields if name not in REFERENCES}
        for name in MANY:
            if name in self.fields:
                values[name] = sorted(getattr(row, MANY[name]) for row in getattr(obj, name).all())
        for name in FOREIGN:
            if name in self.fields:
                values[name] = getattr(obj, name).slug if getattr(obj, f"{name}_id") else None
        if "from_role" in self.fields:
            values.update(from_role=obj.from_role.slug, to_role=obj.to_role.slug)
        if "phase" in self.fields:
            values["phase"] = obj.phase.order if obj.phase_id else None
        if "priority" in self.fields:
            values["priority"] = PRIORITY_NAMES[obj.priority]
        return {name: values[name] for name in self.fields}

    def content(self, values: dict[str, Any]) -> dict[str, Any]:
        """What positional rows are matched on: their values, wherever they sit."""
        return {k: v for k, v in values.items() if k != "order"}


# Many-to-many values, as the sorted natural keys of the rows they point at.
MANY = {"skills": "slug", "depends_on": "key", "sources": "slug"}
# Foreign keys to top-level rows, as their slugs: the field -> the segment of their key.
FOREIGN = {"skill": "skills", "source": "sources", "figures_source": "sources"}
REFERENCES = ("from_role", "to_role", "phase", "priority", *FOREIGN, *MANY)
RELATED = {
    SalaryBand: ["role", "source"],
    FAQ: ["role", "transition"],
    Transition: ["from_role", "to_role", "figures_source"],
    TransferableSkill: ["transition", "skill"],
    SkillToLearn: ["transition", "skill"],
    RealityCheckItem: ["transition"],
    Phase: ["transition"],
    RoadmapItem: ["transition", "phase"],
}

SKILL = Kind(Skill, "skills", "slug", ("slug", "name", "area", "description", "typical_weeks", "order"))  # fmt: skip
SOURCE = Kind(Source, "sources", "slug", ("slug", "name", "title", "year", "url", "order"))
ROLE = Kind(Role, "roles", "slug", ("slug", "name", "kind", "status", "summary", "what_they_do", "required_background", "demand", "phd_usually_required", "focus_areas", "skills", "order"))  # fmt: skip
BAND = Kind(SalaryBand, "salary_bands", "order", ("market", "currency", "low", "high", "open_ended", "basis", "year", "note", "source", "order"), positional=True, removal="delete")  # fmt: skip
FAQS = Kind(FAQ, "faqs", "order", ("question", "answer", "order"), positional=True, removal="delete")  # fmt: skip
TERM = Kind(GlossaryTerm, "glossary", "slug", ("slug", "term", "definition", "match_words"))
TRANSITION = Kind(Transition, "transitions", "slug", ("slug", "title", "from_role", "to_role", "status", "featured", "difficulty", "timeline_min_months", "timeline_max_months", "salary_change_min_pct", "salary_change_max_pct", "demand", "overview", "source_note", "figures_source", "sources", "order"))  # fmt: skip
TRANSFERABLE = Kind(TransferableSkill, "transferable_skills", "order", ("name", "skill", "description", "order"), positional=True, removal="delete")  # fmt: skip
TO_LEARN = Kind(SkillToLearn, "skills_to_learn", "order", ("name", "skill", "priority", "weeks", "how_to_learn", "order"), positional=True, removal="delete")  # fmt: skip
REALITY = Kind(RealityCheckItem, "reality_check", "order", ("kind", "text", "order"), positional=True, removal="delete")  # fmt: skip
PHASE = Kind(Phase, "phases", "order", ("order", "title", "weeks", "summary", "is_archived"), removal="archive")  # fmt: skip
ITEM = Kind(RoadmapItem, "items", "key", ("key", "phase", "kind", "horizon", "title", "resource_type", "url", "effort_hours", "skills", "depends_on", "order", "is_archived"), removal="archive")  # fmt: skip
KINDS = (
    SKILL,
    SOURCE,
    ROLE,
    BAND,
    FAQS,
    TERM,
    TRANSITION,
    TRANSFERABLE,
    TO_LEARN,
    REALITY,
    PHASE,
    ITEM,
)


@dataclass
class Group:
    """Sibling rows as the file wants them: one parent's FAQs, a transition's items..."""

    kind: Kind
    parent: str  # the parent's key; "" for top-level rows
    entries: list[dict[str, Any]]


def file_groups(data: dict[str, Any]) -> Iterator[Group]:
    """The file as groups of rows, parents before their children, skills and sources first."""
    skills = data.get("skills", [])
    yield Group(SKILL, "", [{**skill, "order": n} for n, skill in enumerate(skills)])
    sources = data.get("sources", [])
    yield Group(SOURCE, "", [{**source, "order": n} for n, source in enumerate(sources)])
    yield Group(ROLE, "", [role_values(n, role) for n, role in enumerate(data["roles"])])
    for role in data["roles"]:
        parent = f"roles/{role['slug']}"
        yield Group(BAND, parent, [{**band, "order": n} for n, band in enumerate(role["salary_bands"])])  # fmt: skip
        yield faq_group(parent, role["faqs"])
    yield Group(TERM, "", [term_values(term) for term in data["glossary"]])
    yield faq_group("", data["faqs"])
    transitions = data["transitions"]
    yield Group(TRANSITION, "", [transition_values(n, t) for n, t in enumerate(transitions)])
    for t in transitions:
        parent = f"transitions/{t['slug']}"
        yield Group(TRANSFERABLE, parent, [{"skill": None, **skill, "order": n} for n, skill in enumerate(t["transferable_skills"])])  # fmt: skip
        yield Group(TO_LEARN, parent, [{"skill": None, **skill, "order": n} for n, skill in enumerate(t["skills_to_learn"])])  # fmt: skip
        texts = [(kind, text) for section, kind in REALITY_KINDS.items() for text in t["reality_check"][section]]  # fmt: skip
        yield Group(REALITY, parent, [{"kind": str(kind), "text": text, "order": n} for n, (kind, text) in enumerate(texts)])  # fmt: skip
        yield faq_group(parent, t["faqs"])
        phases = [
            {
                "order": n,
                "title": p["title"],
                "weeks": p["weeks"],
                "summary": p["summary"],
                "is_archived": p.get("archived", False),
            }  # fmt: skip
            for n, p in enumerate(t["phases"], start=1)
        ]
        yield Group(PHASE, parent, phases)
        yield Group(ITEM, parent, list(item_values(t)))


def faq_group(parent: str, faqs: list[dict[str, Any]]) -> Group:
    return Group(FAQS, parent, [{**faq, "order": n} for n, faq in enumerate(faqs)])


def role_values(order: int, role: dict[str, Any]) -> dict[str, Any]:
    values = {name: role[name] for name in ROLE.fields if name not in ("status", "skills", "order")}  # fmt: skip
    status = role.get("status", Status.PUBLISHED)
    return {**values, "status": status, "skills": sorted(role.get("skills", [])), "order": order}


def term_values(term: dict[str, Any]) -> dict[str, Any]:
    words = term.get("match_words") or glossary_match_words(term["term"])
    return {"slug": term["slug"], "term": term["term"], "definition": term["definition"], "match_words": words}  # fmt: skip


def transition_values(order: int, t: dict[str, Any]) -> dict[str, Any]:
    left_out = ("status", "figures_source", "sources", "order")  # the file may leave them out
    values = {name: t[name] for name in TRANSITION.fields if name not in left_out}
    return {
        **values,
        "status": t.get("status", Status.PUBLISHED),
        "figures_source": t.get("figures_source"),
        "sources": sorted(t.get("sources", [])),
        "order": order,
    }


def item_values(t: dict[str, Any]) -> Iterator[dict[str, Any]]:
    def item(kind, data, order, phase=None, horizon=""):
        return {
            "key": data["key"],
            "phase": phase,
            "kind": str(kind),
            "horizon": horizon,
            "title": data["title"],
            "resource_type": data.get("resource_type", ""),
            "url": data.get("url", ""),
            "effort_hours": data.get("effort_hours"),
            "skills": sorted(data.get("skills", [])),
            "depends_on": sorted(data.get("depends_on", [])),
            "order": order,
            "is_archived": data.get("archived", False),
        }

    for number, phase in enumerate(t["phases"], start=1):
        for order, task in enumerate(phase["tasks"]):
            yield item(RoadmapItem.Kind.TASK, task, order, phase=number)
        for order, resource in enumerate(phase["resources"]):
            yield item(RoadmapItem.Kind.RESOURCE, resource, order, phase=number)
    for horizon in RoadmapItem.Horizon.values:
        for order, action in enumerate(t["action_plan"][horizon]):
            yield item(RoadmapItem.Kind.ACTION, action, order, horizon=horizon)


# --- the plan -------------------------------------------------------------------------------


def show(value: Any) -> str:
    if isinstance(value, str) and len(value) > SHOWN:
        value = value[: SHOWN - 3] + "..."
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Change:
    """One row's fate: "add", "change", "remove", "same" (nothing to write)."""

    action: str
    kind: Kind
    key: str
    parent: str
    values: dict[str, Any] | None = None  # what the row becomes (None: deleted)
    obj: models.Model | None = None
    before: dict[str, Any] | None = None
    conflict: str = ""  # why it waits for overwrite_edits
    record: LoadedRow | None = None

    @property
    def fields(self) -> list[str]:
        if self.before is None or self.values is None:
            return []
        return [name for name in self.kind.fields if self.before[name] != self.values[name]]

    def line(self, overwrite: bool = False) -> str:
        sign = {"add": "+", "change": "~", "remove": "-"}[self.action]
        text = f"{sign} {self.kind.noun} {self.key}"
        if self.action == "change":
            text += ": " + ", ".join(
                f"{name} {show(self.before[name])} -> {show(self.values[name])}"
                for name in self.fields
            )
        elif self.action == "remove":
            verb = "removed" if self.values is None else "archived"
            text += f": {verb} (not in the file)"
        if self.conflict:
            return f"{text} [overwrites: {self.conflict}]" if overwrite else f"! {text} [kept: {self.conflict}]"  # fmt: skip
        return text


@dataclass
class LoadReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    removed: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    lines: list[str] = field(default_factory=list)
    applied: bool = False

    @property
    def changed(self) -> int:
        return sum(self.created.values()) + sum(self.updated.values()) + sum(self.removed.values())

    def record(self, model: type[models.Model], outcome: str) -> None:
        getattr(self, outcome)[model._meta.verbose_name_plural] += 1

    def summary(self) -> str:
        lines = []
        for outcome in ("created", "updated", "removed", "kept", "unchanged"):
            counts = getattr(self, outcome)
            if counts:
                detail = ", ".join(f"{n} {name}" for name, n in sorted(counts.items()))
                lines.append(f"{outcome}: {detail}")
        return "\n".join(lines) or "nothing to load"


class Planner:
    """Matches the file's rows to the database's and decides each row's fate."""

    def __init__(self, overwrite_edits: bool) -> None:
        self.overwrite = overwrite_edits
        self.rows: dict[tuple[Kind, str], list[models.Model]] = defaultdict(list)
        self.records: dict[tuple[str, int], LoadedRow] = {}
        self.dead: dict[tuple[str, str], LoadedRow] = {}  # records of deleted rows, by key
        self.present: set[str] = set()  # keys of rows there after the load
        self.changes: list[Change] = []
        ids: dict[str, set[int]] = {}
        for kind in KINDS:
            ids[kind.label] = set()
            for obj in kind.rows():
                self.rows[kind, kind.parent_key(obj)].append(obj)
                ids[kind.label].add(obj.pk)
        # An emptied catalog is loaded afresh: what was deleted before holds nothing back.
        fresh = catalog_is_empty()
        self.dead_records: list[LoadedRow] = []
        for record in LoadedRow.objects.all():
            if record.object_id in ids.get(record.model, ()):
                self.records[record.model, record.object_id] = record
            else:
                self.dead_records.append(record)
                if not fresh:
                    self.dead[record.model, record.key] = record

    def plan(self, data: dict[str, Any]) -> list[Change]:
        for group in file_groups(data):
            if group.parent and group.parent not in self.present:
                continue  # its parent stays deleted: the parent's line says so
            self.plan_group(group)
        return self.changes

    def plan_group(self, group: Group) -> None:
        kind = group.kind
        rows = self.rows.get((kind, group.parent), [])
        pairs = self.match(group, rows)
        matched = {id(obj) for obj in pairs.values()}
        group_changes: list[Change] = []
        for n, values in enumerate(group.entries):
            key = kind.key(group.parent, values)
            obj = pairs.get(n)
            if obj is None:
                dead = self.dead.get((kind.label, key))
                change = Change("add", kind, key, group.parent, values, record=dead)
                change.conflict = DELETED if dead else self.missing(kind, group.parent, values)
            else:
                record = self.records.get((kind.label, obj.pk))
                before = kind.values(obj)
                action = "same" if before == values else "change"
                change = Change(action, kind, key, group.parent, values, obj, before, record=record)  # fmt: skip
                if action == "change":
                    change.conflict = self.edited(record, before) or self.missing(kind, group.parent, values)  # fmt: skip
            self.add(change)
            group_changes.append(change)
        if kind is ITEM:
            self.hold_dependents(group_changes)
        if not kind.removal:
            return
        for obj in rows:
            if id(obj) in matched:
                continue
            record = self.records.get((kind.label, obj.pk))
            before = kind.values(obj)
            key = record.key if record else kind.key(group.parent, before)
            if kind.removal == "archive":
                if before["is_archived"]:
                    self.present.add(key)
                    continue
                after = {**before, "is_archived": True}
            else:
                after = None
            change = Change("remove", kind, key, group.parent, after, obj, before, record=record)
            change.conflict = self.edited(record, before)
            self.add(change)

    def match(self, group: Group, rows: list[models.Model]) -> dict[int, models.Model]:
        """Entry number -> the row that is that entry."""
        kind = group.kind
        if not kind.positional:
            by_ident = {getattr(obj, kind.key_field): obj for obj in rows}
            return {
                n: by_ident[values[kind.key_field]]
                for n, values in enumerate(group.entries)
                if values[kind.key_field] in by_ident
            }
        pairs: dict[int, models.Model] = {}
        free = list(rows)
        for n, values in enumerate(group.entries):  # the same content, wherever it sits
            content = kind.content(values)
            obj = next((o for o in free if kind.content(kind.values(o)) == content), None)
            if obj is not None:
                pairs[n] = obj
                free.remove(obj)
        for n, values in enumerate(group.entries):  # else the row the last load put there
            if n in pairs:
                continue
            key = kind.key(group.parent, values)
            obj = next((o for o in free if (r := self.records.get((kind.label, o.pk))) and r.key == key), None)  # fmt: skip
            if obj is not None:
                pairs[n] = obj
                free.remove(obj)
        return pairs

    def edited(self, record: LoadedRow | None, before: dict[str, Any]) -> str:
        if record is None:
            return CREATED
        return "" if record.fingerprint == fingerprint(before) else EDITED

    def missing(self, kind: Kind, parent: str, values: dict[str, Any]) -> str:
        """A row this one points at that will not be there (e.g. a phase deleted in the admin)."""
        needs = []
        if kind is TRANSITION:
            needs = [f"roles/{values['from_role']}", f"roles/{values['to_role']}"]
        elif kind is ITEM and values["phase"] is not None:
            needs = [f"{parent}/phases/{values['phase']}"]
        for name, segment in (("skills", "skills"), ("sources", "sources")):
            needs += [f"{segment}/{slug}" for slug in values.get(name, ())]
        needs += [f"{FOREIGN[name]}/{values[name]}" for name in FOREIGN if values.get(name)]
        gone = [need for need in needs if need not in self.present]
        return f"needs {gone[0]}, which is not in the database" if gone else ""

    def hold_dependents(self, changes: list[Change]) -> None:
        """Items whose dependencies will not be there (kept deleted, say) wait too, and so do
        the items that depend on those, once every item of the transition is planned."""
        held = True
        while held:
            held = False
            for change in changes:
                if change.action not in ("add", "change") or change.conflict:
                    continue
                needs = [f"{change.parent}/items/{key}" for key in change.values["depends_on"]]
                gone = [need for need in needs if need not in self.present]
                if gone:
                    change.conflict = f"needs {gone[0]}, which is not in the database"
                    if change.action == "add" and not self.overwrite:
                        self.present.discard(change.key)
                        held = True

    def add(self, change: Change) -> None:
        applies = not change.conflict or self.overwrite
        if change.action != "remove" and (applies or change.obj is not None):
            self.present.add(change.key)
        self.changes.append(change)


# --- applying the plan ------------------------------------------------------------------------


class Writer:
    """Writes a plan's changes, parents before children, and records what it loaded."""

    def __init__(self, overwrite_edits: bool) -> None:
        self.overwrite = overwrite_edits
        self.objs: dict[str, models.Model] = {}
        self.new_records: list[LoadedRow] = []
        self.changed_records: list[LoadedRow] = []
        self.gone_records: list[int] = []
        self.dependencies: list[tuple[RoadmapItem, list[str]]] = []  # set once all items exist

    def apply(self, changes: list[Change], dead: list[LoadedRow]) -> None:
        kept_dead = set()
        for change in changes:
            if change.obj is not None:
                self.objs[change.key] = change.obj
        for change in changes:
            if change.conflict and not self.overwrite:
                if change.action == "add" and change.record is not None:
                    kept_dead.add(change.record.pk)
                continue
            if change.action == "add":
                change.obj = self.create(change)
                self.objs[change.key] = change.obj
            elif change.action == "change" or (change.action == "remove" and change.values):
                self.update(change)
            elif change.action == "remove":
                change.obj.delete()
                if change.record is not None:
                    self.gone_records.append(change.record.pk)
                continue
            self.remember(change)
        for item, keys in self.dependencies:
            item.depends_on.set([self.objs[key] for key in keys])
        self.gone_records += [r.pk for r in dead if r.pk not in kept_dead]
        if self.gone_records:
            LoadedRow.objects.filter(pk__in=self.gone_records).delete()
        LoadedRow.objects.bulk_update(self.changed_records, ["key", "fingerprint"])
        LoadedRow.objects.bulk_create(self.new_records)

    def model_fields(self, change: Change) -> dict[str, Any]:
        values = dict(change.values)
        if change.kind is TRANSITION:
            values["from_role"] = self.objs[f"roles/{values['from_role']}"]
            values["to_role"] = self.objs[f"roles/{values['to_role']}"]
        if change.kind is ITEM:
            phase = values["phase"]
            values["phase"] = None if phase is None else self.objs[f"{change.parent}/phases/{phase}"]  # fmt: skip
        if change.kind is TO_LEARN:
            values["priority"] = PRIORITIES[values["priority"]]
        for name, segment in FOREIGN.items():
            if name in values:
                slug = values[name]
                values[name] = None if slug is None else self.objs[f"{segment}/{slug}"]
        return values

    def set_many(self, change: Change, obj: models.Model, values: dict[str, Any], names) -> None:
        """Many-to-many values, once the row exists; dependencies once every item does."""
        if "skills" in names:
            obj.skills.set([self.objs[f"skills/{slug}"] for slug in values["skills"]])
        if "sources" in names:
            obj.sources.set([self.objs[f"sources/{slug}"] for slug in values["sources"]])
        if "depends_on" in names:
            keys = [f"{change.parent}/items/{key}" for key in values["depends_on"]]
            self.dependencies.append((obj, keys))

    def create(self, change: Change) -> models.Model:
        values = self.model_fields(change)
        many = {name: values.pop(name) for name in MANY if name in values}
        if change.parent:
            parent = self.objs[change.parent]
            values[parent._meta.model_name] = parent
        obj = change.kind.model._default_manager.create(**values)
        self.set_many(change, obj, many, [name for name, keys in many.items() if keys])
        return obj

    def update(self, change: Change) -> None:
        obj, values = change.obj, self.model_fields(change)
        names = [name for name in change.fields if name not in MANY]
        for name in names:
            setattr(obj, name, values[name])
        if hasattr(obj, "updated_at"):
            names = [*names, "updated_at"]
        if names:
            obj.save(update_fields=names)
        self.set_many(change, obj, values, [name for name in change.fields if name in MANY])

    def remember(self, change: Change) -> None:
        """Record the row as loaded (written only when the record is not already so)."""
        loaded = fingerprint(change.values)
        record = change.record
        if record is not None and record.object_id != change.obj.pk:
            self.gone_records.append(record.pk)  # the record of a deleted row, now re-created
            record = None
        if record is None:
            self.new_records.append(
                LoadedRow(
                    model=change.kind.label,
                    object_id=change.obj.pk,
                    key=change.key,
                    fingerprint=loaded,
                )  # fmt: skip
            )
        elif (record.key, record.fingerprint) != (change.key, loaded):
            record.key, record.fingerprint = change.key, loaded
            self.changed_records.append(record)


def load_catalog(
    data: Any = None, *, apply: bool = True, overwrite_edits: bool = False
) -> LoadReport:
    """Check the whole catalog, plan the load, and apply it if `apply`, in one transaction.

    Rows edited, created or deleted in the admin since the last load are conflicts: listed in
    the report and left alone unless `overwrite_edits`. A CatalogError means nothing was
    written.
    """
    data = read_catalog() if data is None else data
    validate(data)
    with transaction.atomic():
        planner = Planner(overwrite_edits)
        changes = planner.plan(data)
        report = LoadReport(applied=apply)
        outcomes = {"add": "created", "change": "updated", "remove": "removed", "same": "unchanged"}
        for change in changes:
            kept = change.conflict and not overwrite_edits
            report.record(change.kind.model, "kept" if kept else outcomes[change.action])
            if change.action != "same":
                report.lines.append(change.line(overwrite_edits))
        if apply:
            with change_reason(CATALOG_LOAD):  # the version history says why these changed
                Writer(overwrite_edits).apply(changes, planner.dead_records)
    return report
