"""A plan started from the member's answers: the items they already know, and where it ends.

Pure functions over items already loaded (with their skills prefetched): no queries, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from careers.models import Phase, RoadmapItem
from roadmaps.schedule import PhaseSpec, build_schedule


def held_items(items: Iterable[RoadmapItem], held: Collection[str]) -> list[RoadmapItem]:
    """Items the member already knows: those whose skills (at least one) are all in `held`
    (skill slugs). An item that teaches nothing named is never known from the answers."""
    held = set(held)
    known = []
    for item in items:
        slugs = {skill.slug for skill in item.skills.all()}
        if slugs and slugs <= held:
            known.append(item)
    return known


def preview_end_date(
    start: date,
    pace_months: int,
    items: Sequence[RoadmapItem],
    known_ids: Collection[int] = (),
    hours_per_week: int | None = None,
) -> date:
    """Where a plan started with these answers would end, as the start form shows it: the
    plan page's own scheduler (`build_schedule`) on the same items, so the two always agree.

    `items` are the roadmap's current items with their phase, skills and dependencies loaded.
    With effort estimates, the known items' work is set aside and the rest is planned at
    `hours_per_week` (or the pace's hours); without them the pace alone sets the end.
    """
    phases: dict[int, Phase] = {}
    by_phase: dict[int, list[int]] = {}
    actions: dict[int, str] = {}
    for item in items:
        if item.is_action:
            actions[item.id] = item.horizon
        else:
            phases.setdefault(item.phase_id, item.phase)
            by_phase.setdefault(item.phase_id, []).append(item.id)
    specs = [
        PhaseSpec(phase.id, phase.weeks, by_phase[phase.id])
        for phase in sorted(phases.values(), key=lambda p: (p.order, p.id))
    ]
    schedule = build_schedule(
        start,
        pace_months,
        specs,
        actions=actions,
        effort={i.id: i.effort_hours for i in items},
        depends_on={i.id: [d.id for d in i.depends_on.all()] for i in items},
        hours_per_week=hours_per_week,
        known=known_ids,
    )
    return schedule.end
