"""Plan-vs-actual charts as plain numbers for server-rendered SVG. No JavaScript, no ORM.

Coordinates are in a fixed viewBox (WIDTH x HEIGHT); the SVG scales to the screen's width, and
its text with it. So each member chart also comes NARROW (a viewBox about as wide as a phone's
card), shown instead of the wide one in narrow containers: axis text stays >= 12 px on both.
Every chart also yields rows for a data table, which screen readers read instead.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_CEILING, Decimal

from roadmaps.weeks import day_label, iso_label, weeks_between

WIDTH, HEIGHT = 640, 260
NARROW = 320
LEFT, RIGHT, TOP, BOTTOM = 54, 12, 14, 30  # LEFT: room for "100%" at the axis text size
PLOT_W, PLOT_H = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM


@dataclass
class WeekRow:
    week: date
    label: str
    planned: int  # percent of the roadmap planned done by the week's end
    actual: int | None  # percent done by the week's end; None for weeks still ahead
    hours: Decimal | None = None

    @property
    def week_label(self) -> str:
        """ "8 Mar 2027", made once here rather than by a date filter in each table row."""
        return day_label(self.week)


@dataclass
class Tick:
    position: float
    label: str
    anchor: str = "middle"  # SVG text-anchor: "end" for a date at the plot's right edge


@dataclass
class BurnUp:
    rows: list[WeekRow]
    planned_points: str
    actual_points: str
    today_x: float | None
    x_ticks: list[Tick]
    y_ticks: list[Tick] = field(default_factory=list)
    planned_now: int = 0
    actual_now: int = 0

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    row: WeekRow


@dataclass
class HoursChart:
    rows: list[WeekRow]
    bars: list[Bar]
    target_y: float | None
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    max_hours: Decimal
    total: Decimal
    weeks_with_checkins: int

    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def _x(index: int, count: int, plot_w: float = PLOT_W) -> float:
    return round(LEFT + (plot_w * index / (count - 1) if count > 1 else plot_w / 2), 1)


def _y(share: float) -> float:
    return round(TOP + PLOT_H * (1 - share), 1)


def _labelled_weeks(count: int, width: int) -> list[int]:
    """Which of `count` weeks get a date label: evenly spaced, counted back from the last week,
    so the last label sits at the plot's right edge (drawn ending there, not running past)."""
    step = max(1, count // _tick_count(width))
    return [i for i in range(count) if (count - 1 - i) % step == 0]


def _x_ticks(weeks: list[date], width: int = WIDTH) -> list[Tick]:
    plot_w = width - LEFT - RIGHT
    last = len(weeks) - 1
    return [
        Tick(
            _x(i, len(weeks), plot_w), f"{weeks[i]:%-d %b}", "end" if i == last and i else "middle"
        )
        for i in _labelled_weeks(len(weeks), width)
    ]


def _tick_count(width: int) -> int:
    """About how many date labels fit along the x axis."""
    return 6 if width >= WIDTH else 3


def burn_up(
    start: date,
    end: date,
    planned_dates: Iterable[date],
    done_dates: Iterable[date],
    today: date,
    width: int = WIDTH,
) -> BurnUp:
    """Cumulative share of the roadmap planned vs done, week by week, from start to end.

    `planned_dates` holds every counted item's planned date (skipped items left out);
    `done_dates` the local dates on which counted items were done.
    """
    planned = sorted(planned_dates)
    done = sorted(done_dates)
    total = len(planned) or 1
    weeks = weeks_between(start, max(end, start))
    rows = []
    for monday in weeks:
        sunday = monday + timedelta(days=6)
        planned_share = sum(d <= sunday for d in planned) / total
        actual = None
        if monday <= today:
            actual = round(100 * sum(d <= min(sunday, today) for d in done) / total)
        rows.append(WeekRow(monday, iso_label(monday), round(100 * planned_share), actual))
    count = len(weeks)
    plot_w = width - LEFT - RIGHT
    planned_points = " ".join(
        f"{_x(i, count, plot_w)},{_y(r.planned / 100)}" for i, r in enumerate(rows)
    )
    actual_points = " ".join(
        f"{_x(i, count, plot_w)},{_y(r.actual / 100)}"
        for i, r in enumerate(rows)
        if r.actual is not None
    )
    today_x = None
    if weeks[0] <= today <= weeks[-1] + timedelta(days=6):
        offset = (today - weeks[0]).days / 7
        today_x = round(LEFT + plot_w * min(offset / max(count - 1, 1), 1), 1)
    current = next((r for r in reversed(rows) if r.actual is not None), None)
    return BurnUp(
        rows=rows,
        planned_points=planned_points,
        actual_points=actual_points,
        today_x=today_x,
        x_ticks=_x_ticks(weeks, width),
        y_ticks=[Tick(_y(p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)],
        planned_now=current.planned if current else 0,
        actual_now=current.actual if current else 0,
        width=width,
        right=width - RIGHT,
    )


def hours_per_week(
    start: date,
    today: date,
    hours: Mapping[date, Decimal],
    target: int | None,
    width: int = WIDTH,
) -> HoursChart:
    """Hours reported in each week's check-in, from the plan's first week to this one."""
    weeks = weeks_between(start, max(today, start))
    rows = [WeekRow(w, iso_label(w), 0, None, hours.get(w)) for w in weeks]
    reported = [h for h in hours.values() if h is not None]
    top = max([Decimal(target or 0), *reported, Decimal(10)])
    top = (top / 10).to_integral_value(rounding=ROUND_CEILING) * 10  # up to whole tens
    slot = (width - LEFT - RIGHT) / len(weeks)
    bars = []
    for i, row in enumerate(rows):
        if row.hours is None:
            continue
        height = round(PLOT_H * float(row.hours / top), 1)
        bars.append(
            Bar(
                x=round(LEFT + slot * i + slot * 0.15, 1),
                y=round(TOP + PLOT_H - height, 1),
                width=round(slot * 0.7, 1),
                height=height,
                row=row,
            )
        )
    steps = [top * k / 4 for k in range(5)]
    last = len(weeks) - 1
    x_ticks = [
        # the last week's label ends at the plot's edge instead of running past it
        Tick(round(LEFT + slot * (i + 1), 1), f"{weeks[i]:%-d %b}", "end")
        if i == last and i
        else Tick(round(LEFT + slot * (i + 0.5), 1), f"{weeks[i]:%-d %b}")
        for i in _labelled_weeks(len(weeks), width)
    ]
    return HoursChart(
        rows=rows,
        bars=bars,
        target_y=_y(float(target / top)) if target else None,
        y_ticks=[Tick(_y(float(s / top)), f"{s.normalize():f}") for s in steps],
        x_ticks=x_ticks,
        max_hours=top,
        total=sum(reported, Decimal(0)),
        weeks_with_checkins=len(reported),
        width=width,
        right=width - RIGHT,
    )


# --- Staff insights: shares in percent, as bars ----------------------------------------------


@dataclass
class PercentBar:
    label: str
    value: int | None  # percent; None where there is nothing to measure
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    note: str = ""  # e.g. "3 of 5 plans", for the bar's title and the table
    lines: list[Tick] = field(default_factory=list)  # a row's label, line by line (y, text)


@dataclass
class PercentChart:
    """Vertical bars (weeks) or horizontal ones (named rows), 0–100%."""

    bars: list[PercentBar]
    y_ticks: list[Tick] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def percent_columns(bars: list[PercentBar], width: int = WIDTH) -> PercentChart:
    """One column per bar (a week, say), on the member charts' axes and 0–100% scale. Drawn
    `width` wide (WIDTH, or NARROW for a phone: fewer labels along the bottom)."""
    plot_w = width - LEFT - RIGHT
    slot = plot_w / max(len(bars), 1)
    drawn = []
    for i, bar in enumerate(bars):
        height = round(PLOT_H * (bar.value or 0) / 100, 1)
        drawn.append(
            replace(
                bar,
                x=round(LEFT + slot * i + slot * 0.15, 1),
                y=round(TOP + PLOT_H - height, 1),
                width=round(slot * 0.7, 1),
                height=height,
            )
        )
    every = max(1, -(-len(bars) // _tick_count(width)))
    return PercentChart(
        bars=drawn,
        y_ticks=[Tick(_y(p / 100), f"{p}%") for p in (0, 25, 50, 75, 100)],
        x_ticks=[
            Tick(round(LEFT + slot * (i + 0.5), 1), bar.label)
            for i, bar in enumerate(bars)
            if i % every == 0
        ],
        width=width,
        right=width - RIGHT,
    )


ROW_H = 36  # a horizontal bar's row: its label above, the bar below
LINE_H = 17  # each further line of a label
# About how many characters of a row's label fit on a line: axis text is 16 units wide in a
# 640-unit drawing, 13 in a 320-unit one (charts.css), and a character is about 0.55 em.
LINE_CHARS = {WIDTH: 66, NARROW: 38}


def row_label_lines(bar: PercentBar, width: int = WIDTH) -> list[str]:
    """A row's label ("title (note)"), broken between words into lines that fit the width."""
    text = f"{bar.label} ({bar.note})" if bar.note else bar.label
    return textwrap.wrap(text, LINE_CHARS.get(width, LINE_CHARS[NARROW])) or [""]


def percent_rows(bars: list[PercentBar], width: int = WIDTH) -> PercentChart:
    """One row per bar (a transition, say): the label above a bar across the width. Drawn
    `width` wide; a label too long for one line takes more."""
    plot_w = width - RIGHT - 48  # room for the value at the end
    drawn, y = [], 0
    for bar in bars:
        lines = row_label_lines(bar, width)
        y += 16 + LINE_H * (len(lines) - 1)
        drawn.append(
            replace(
                bar,
                x=0,
                y=y,
                width=round(plot_w * (bar.value or 0) / 100, 1),
                height=14,
                lines=[
                    Tick(y - 4 - LINE_H * (len(lines) - 1 - n), line)
                    for n, line in enumerate(lines)
                ],
            )
        )
        y += ROW_H - 16
    return PercentChart(
        bars=drawn, height=max(y, ROW_H) + 4, width=width, right=width - RIGHT, left=0, top=0
    )
