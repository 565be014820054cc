"""Write the database's catalog out as a catalog file, in exactly the format the loader reads.

Everything is written: drafts as well as published roles and transitions, archived phases and
items with `"archived": true`, every row with its slug or key, in the order the site shows it.
Lists follow each row's `order` (ties by id); glossary terms, which have no order, go by term
and slug. Keys follow the schema's order (careers/catalog/schema.py), so the text is stable:
export -> load -> export gives the same bytes.

Skills come first in the file's `skills` list, in their order, then `sources`; a role's or an item's skills
are listed in that order too, and an item's dependencies by key. Values a file may leave out
(an item's effort hours, skills and dependencies, a skill link) are written only when set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from careers.catalog import schema
from careers.catalog.loader import PRIORITY_NAMES, REALITY_KINDS, glossary_match_words
from careers.models import (
    FAQ,
    GlossaryTerm,
    Phase,
    RoadmapItem,
    Role,
    Skill,
    Source,
    Transition,
)

BY_ORDER = ("order", "pk")
SKILL_ORDER = ("order", "slug")


def skill_slugs(related) -> list[str] | None:
    """A many-to-many of skills as slugs in the catalog's order; None (left out) when empty."""
    return [skill.slug for skill in related.order_by(*SKILL_ORDER)] or None


def skill_data(skill: Skill) -> dict[str, Any]:
    return {name: getattr(skill, name) for name in schema.SKILL.fields}


def source_slug(source: Source | None) -> str | None:
    return source.slug if source is not None else None


def source_data(source: Source) -> dict[str, Any]:
    return {name: getattr(source, name) for name in schema.SOURCE.fields}


def skill_link(row) -> str | None:
    return row.skill.slug if row.skill_id else None


TRANSFERABLE = schema.TRANSITION.fields["transferable_skills"].item
TO_LEARN = schema.TRANSITION.fields["skills_to_learn"].item


def in_schema_order(spec: schema.Obj, values: dict[str, Any]) -> dict[str, Any]:
    """The object's keys in the schema's order; optional keys left out when None."""
    return {
        key: values[key]
        for key in spec.fields
        if key in values and not (key in spec.optional and values[key] is None)
    }


def faqs(rows) -> list[dict[str, Any]]:
    return [{"question": faq.question, "answer": faq.answer} for faq in rows]


def role_data(role: Role) -> dict[str, Any]:
    bands = [
        in_schema_order(
            schema.SALARY_BAND,
            {
                **{name: getattr(band, name) for name in schema.SALARY_BAND.fields},
                "source": source_slug(band.source),
            },
        )
        for band in role.salary_bands.select_related("source").order_by(*BY_ORDER)
    ]
    values = {name: getattr(role, name) for name in schema.ROLE.fields if hasattr(role, name)}
    values.update(
        skills=skill_slugs(role.skills),
        salary_bands=bands,
        faqs=faqs(role.faqs.order_by(*BY_ORDER)),
    )
    return in_schema_order(schema.ROLE, values)


def term_data(term: GlossaryTerm) -> dict[str, Any]:
    words = term.match_words if term.match_words != glossary_match_words(term.term) else None
    values = {"slug": term.slug, "term": term.term, "definition": term.definition}
    return in_schema_order(schema.GLOSSARY_TERM, {**values, "match_words": words})


def item_data(item: RoadmapItem) -> dict[str, Any]:
    resource = item.kind == RoadmapItem.Kind.RESOURCE
    values = {
        "key": item.key,
        "title": item.title,
        "resource_type": item.resource_type if resource or item.resource_type else None,
        "url": item.url if resource or item.url else None,
        "effort_hours": item.effort_hours,
        "skills": skill_slugs(item.skills),
        "depends_on": sorted(dep.key for dep in item.depends_on.all()) or None,
        "archived": True if item.is_archived else None,
    }
    return in_schema_order(schema.RESOURCE if resource else schema.TASK, values)


def phase_data(phase: Phase, items: list[RoadmapItem]) -> dict[str, Any]:
    values = {
        "title": phase.title,
        "weeks": phase.weeks,
        "summary": phase.summary,
        "archived": True if phase.is_archived else None,
    }
    for section, kind in (("tasks", RoadmapItem.Kind.TASK), ("resources", RoadmapItem.Kind.RESOURCE)):  # fmt: skip
        values[section] = [item_data(i) for i in items if i.phase_id == phase.pk and i.kind == kind]  # fmt: skip
    return in_schema_order(schema.PHASE, values)


def transition_data(t: Transition) -> dict[str, Any]:
    values = {name: getattr(t, name) for name in schema.TRANSITION.fields if hasattr(t, name)}
    items = list(t.roadmap_items.prefetch_related("depends_on").order_by(*BY_ORDER))
    reality = list(t.reality_check.order_by(*BY_ORDER))
    values.update(
        from_role=t.from_role.slug,
        to_role=t.to_role.slug,
        figures_source=source_slug(t.figures_source),
        sources=[s.slug for s in t.sources.order_by("order", "slug")] or None,
        transferable_skills=[
            in_schema_order(
                TRANSFERABLE,
                {"name": s.name, "skill": skill_link(s), "description": s.description},
            )
            for s in t.transferable_skills.select_related("skill").order_by(*BY_ORDER)
        ],
        skills_to_learn=[
            in_schema_order(
                TO_LEARN,
                {
                    "name": s.name,
                    "skill": skill_link(s),
                    "priority": PRIORITY_NAMES[s.priority],
                    "weeks": s.weeks,
                    "how_to_learn": s.how_to_learn,
                },
            )
            for s in t.skills_to_learn.select_related("skill").order_by(*BY_ORDER)
        ],
        phases=[phase_data(phase, items) for phase in t.phases.order_by("order")],
        reality_check={
            section: [r.text for r in reality if r.kind == kind]
            for section, kind in REALITY_KINDS.items()
        },
        action_plan={
            horizon: [
                item_data(i)
                for i in items
                if i.kind in RoadmapItem.HORIZON_KINDS and i.horizon == horizon
            ]  # fmt: skip
            for horizon in RoadmapItem.Horizon.values
        },
        faqs=faqs(t.faqs.order_by(*BY_ORDER)),
    )
    return in_schema_order(schema.TRANSITION, values)


def export_catalog() -> dict[str, Any]:
    """The whole catalog as the loader reads it. A CatalogError if the schema refuses it."""
    transitions = Transition.objects.select_related("from_role", "to_role", "figures_source")
    data = {
        "roles": [role_data(role) for role in Role.objects.order_by("order", "slug")],
        "skills": [skill_data(skill) for skill in Skill.objects.order_by(*SKILL_ORDER)],
        "sources": [source_data(source) for source in Source.objects.order_by("order", "slug")],
        "glossary": [term_data(term) for term in GlossaryTerm.objects.order_by("term", "slug")],
        "faqs": faqs(FAQ.objects.filter(role=None, transition=None).order_by(*BY_ORDER)),
        "transitions": [transition_data(t) for t in transitions.order_by("order", "slug")],
    }
    # Values the loader would refuse (a staff edit the admin let through) are caught here, so
    # a file that export wrote can always be loaded.
    schema.validate(json.loads(dump(data)))
    return data


def dump(data: dict[str, Any]) -> str:
    """The file's text: two-space indents, UTF-8 as is, and a newline at the end."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_catalog(path: Path) -> dict[str, Any]:
    data = export_catalog()
    path.write_text(dump(data), encoding="utf-8")
    return data
