"""ISO weeks in a member's time zone, and the weekly streak. Pure: dates and instants in.

A week is identified by its Monday. The member's "today" comes from their time zone, so a
check-in made at 23:30 on Sunday in Auckland belongs to that Sunday's week, not to the UTC one.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)


def week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())


def local_date(instant: datetime, zone: ZoneInfo) -> date:
    return instant.astimezone(zone).date()


def iso_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def weeks_between(first: date, last: date) -> list[date]:
    """The Mondays of every week from `first`'s to `last`'s, inclusive."""
    monday, end = week_start(first), week_start(last)
    weeks = []
    while monday <= end:
        weeks.append(monday)
        monday += WEEK
    return weeks


def overlaps(monday: date, spans: Iterable[tuple[date, date]]) -> bool:
    """Whether the week starting `monday` overlaps any of the (first, last) day spans."""
    sunday = monday + timedelta(days=6)
    return any(first <= sunday and last >= monday for first, last in spans)


def streak(
    active_weeks: set[date], paused: Iterable[tuple[date, date]], current: date, first: date
) -> int:
    """Consecutive weeks, up to `current`, with a check-in or a tick.

    The current week counts once it has activity but does not break the streak before it
    ends. Paused weeks without activity are stepped over: they neither count nor break it.
    Weeks before `first` (the plan's first week) end the count.
    """
    paused = list(paused)
    count = 0
    monday = week_start(current)
    first = week_start(first)
    if monday not in active_weeks:
        monday -= WEEK
    while monday >= first:
        if monday in active_weeks:
            count += 1
        elif not overlaps(monday, paused):
            break
        monday -= WEEK
    return count


def day_label(day: date | None, *, year: bool = True) -> str:
    """ "3 Aug 2026" (or "3 Aug"): the site's day format, made in Python for the plan rows and
    chart tables, where a date filter per row and field was a measurable part of rendering."""
    if day is None:
        return ""
    return f"{day.day} {day:%b %Y}" if year else f"{day.day} {day:%b}"
