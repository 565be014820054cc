"""The plan page's item rows, kept rendered between requests.

A row shows catalog content (the item) and the member's record of it (state, day done, note),
nothing else: the same inputs give the same HTML. Rendering forty of them was most of the
plan page's cost (the profile in the README), so each process keeps rows it rendered in its
"fragments" cache (memory, least recently used first out), keyed by every input the row reads
and the catalog version (careers.page_cache), which any staff change replaces. A row being
edited, or showing an error or a focus hint, is never kept: the template renders those.

The rows' forms carry the CSRF token; a kept row holds a marker in its place, and `plan_detail`
puts the page's token in (careers.page_cache.with_page_token).
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from careers.page_cache import CSRF_MARK
from roadmaps.progress import PlanView, Row, roadmap_of

ROW = "roadmaps/plan.html#item-row"
TIMEOUT = 24 * 3600


def digest(inputs: tuple) -> str:
    """A key for everything a fragment is drawn from."""
    return hashlib.blake2b(repr(inputs).encode(), digest_size=16).hexdigest()


def row_key(version: str, row: Row) -> str:
    inputs = (
        row.base,
        row.item.id,
        row.state,
        row.done_on,
        row.planned_on,
        row.overdue,
        row.note,
        row.evidence_url,
    )
    return f"row:{version}:{digest(inputs)}"


def render_rows(view: PlanView) -> None:
    """Give every row of the view its HTML (`row.html`), from the cache or rendered now."""
    cache = caches["fragments"]
    version = roadmap_of(view.plan).version  # read once per request, with the roadmap
    rows = list(view.rows.values())
    keys = {row_key(version, row): row for row in rows}
    kept = cache.get_many(keys)
    template = get_template(ROW)
    fresh = {}
    for key, row in keys.items():
        html = kept.get(key)
        if html is None:
            html = fresh[key] = template.render({"row": row, "view": view, "csrf_token": CSRF_MARK})
        row.html = mark_safe(html)  # rendered by the template, escaped there
    if fresh:
        cache.set_many(fresh, TIMEOUT)


CHARTS = "roadmaps/charts.html"


def render_charts(view: PlanView, *, tables: bool = False) -> None:
    """The charts (`view.charts_html`) of the plan page, or with `tables` (the hours chart
    and the data tables) of the check-in history page, kept like the rows: keyed by
    everything they are drawn from (the plan's dates, its rows' planned and done days, its
    check-ins' hours, and today)."""
    plan, weekly = view.plan, view.weekly
    inputs = (
        tables,
        plan.id,
        plan.start_date,
        plan.hours_per_week,
        view.schedule.end,
        weekly.today,
        sorted((r.state, r.planned_on, r.done_on) for r in view.rows.values()),
        sorted((c.week, c.hours) for c in plan.checkins.all()),
    )
    cache = caches["fragments"]
    key = f"charts:{digest(inputs)}"
    html = cache.get(key)
    if html is None:
        html = get_template(CHARTS).render({"view": view, "tables": tables})
        cache.set(key, html, TIMEOUT)
    view.charts_html = mark_safe(html)
