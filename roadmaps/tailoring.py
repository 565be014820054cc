"""A plan started from the member's answers: the items they already know, and where it ends.

Pure functions over items already loaded (with their skills prefetched): no queries, no clock.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta
from fractions import Fraction

from careers.models import RoadmapItem
from roadmaps.schedule import add_months


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


def known_share(items: Sequence[RoadmapItem], known_ids: Collection[int]) -> Fraction:
    """The share of the roadmap's phase work (action items are dated by their horizon, not
    by the pace) that the known items make up: by effort hours when every phase item has them,
    by count otherwise."""
    work = [item for item in items if not item.is_action]
    if not work:
        return Fraction(0)
    if all(item.effort_hours for item in work):
        total = sum(item.effort_hours for item in work)
        known = sum(item.effort_hours for item in work if item.id in known_ids)
    else:
        total = len(work)
        known = sum(item.id in known_ids for item in work)
    return Fraction(known, total)


def preview_end_date(
    start: date,
    pace_months: int,
    items: Sequence[RoadmapItem],
    known_ids: Collection[int] = (),
    hours_per_week: int | None = None,
) -> date:
    """Where a plan started with these answers would end, as the start form shows it.

    For now: the pace's end (start + `pace_months`) brought forward by the known items' share
    of the work (`known_share`): knowing a quarter of the work ends the plan a quarter sooner.
    `hours_per_week` is not used yet.

    This is the one place the start form asks. The effort-based schedule should replace the
    body with its own answer (remaining effort over `hours_per_week`, within the pace), so the
    preview and the plan page say the same date.
    """
    end = add_months(start, pace_months)
    days = (end - start).days
    kept = int(days * (1 - known_share(items, known_ids)))
    return start + timedelta(days=max(kept, 1))
