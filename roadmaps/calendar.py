"""A member's plans as an iCalendar feed: phase starts and ends, action items, check-ins."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from roadmaps.models import CalendarFeed, Plan
from roadmaps.progress import PlanView

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def new_token() -> str:
    return secrets.token_urlsafe(32)


def feed_for(user) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


def reset_feed(user) -> CalendarFeed:
    """A new secret URL; the old one stops working at once."""
    feed, created = CalendarFeed.objects.get_or_create(user=user, defaults={"token": new_token()})
    if not created:
        feed.token = new_token()
        feed.save(update_fields=["token"])
    return feed


def _all_day(uid: str, summary: str, day: date, stamp: datetime, description: str = "") -> Event:
    event = Event()
    event.add("uid", f"{uid}@waypoint")
    event.add("summary", summary)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("dtstamp", stamp)
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    return event


def first_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def build_calendar(views: list[PlanView], checkin_weekday: int, now: datetime) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Waypoint//Career plans//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "Waypoint")
    for view in views:
        plan = view.plan
        name = f"{plan.transition.from_role.name} → {plan.transition.to_role.name}"
        about = f"{name}\n{settings.SITE_URL}{plan.get_absolute_url()}"
        uid = f"plan-{plan.pk}"
        for group in view.phases:
            phase = group.phase
            title = f"Phase {phase.order} starts: {group.title}"
            cal.add_component(
                _all_day(f"{uid}-phase-{phase.pk}-start", title, group.start, now, about)
            )
            title = f"Phase {phase.order} ends: {group.title}"
            cal.add_component(_all_day(f"{uid}-phase-{phase.pk}-end", title, group.end, now, about))
        for row in view.rows.values():
            if row.item.is_action and row.is_open:
                title = f"Due: {row.item.title}"
                item_uid = f"{uid}-item-{row.item.pk}"
                cal.add_component(_all_day(item_uid, title, row.planned_on, now, about))
        if plan.status == Plan.Status.ACTIVE:
            # As the due banner: the first check-in is after the plan has run at least a day.
            first = first_weekday_on_or_after(plan.start_date + timedelta(days=1), checkin_weekday)
            checkin_url = settings.SITE_URL + reverse("roadmaps:checkin", args=[plan.pk])
            title = f"Weekly check-in: {name}"
            event = _all_day(f"{uid}-weekly-checkin", title, first, now, checkin_url)
            rule = {"freq": "weekly", "byday": WEEKDAYS[checkin_weekday]}
            event.add("rrule", {**rule, "until": view.schedule.end})
            cal.add_component(event)
    return cal
