"""A plan started from the member's answers: the items they already know, and where it ends.

Pure functions over items already loaded (with their skills prefetched): no queries, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date

from careers.models import RoadmapItem
from roadmaps.progress import schedule_content
from roadmaps.schedule import build_schedule


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
    phases = {item.phase_id: item.phase for item in items if not item.is_action}
    ordered = sorted(phases.values(), key=lambda phase: (phase.order, phase.id))
    specs, content = schedule_content(ordered, list(items))
    schedule = build_schedule(
        start, pace_months, specs, hours_per_week=hours_per_week, known=known_ids, **content
    )
    return schedule.end
