from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from roadmaps.calendar import reset_feed
from roadmaps.models import CalendarFeed
from tests.factories import make_plan

pytestmark = pytest.mark.django_db


def feed_url(feed):
    return reverse("roadmaps:calendar_feed", args=[feed.token])


def events(client, feed):
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_the_feed_holds_phases_actions_and_the_weekly_checkin(client, member, transition):
    member.checkin_weekday = 2  # Wednesday
    member.save()
    plan = make_plan(member, transition, start_date=timezone.localdate(), pace_months=9)
    found = events(client, reset_feed(member))
    phase1 = transition.phases.get(order=1)
    assert found[f"Phase 1 starts: {phase1.title}"]["dtstart"].dt == plan.start_date
    assert "Phase 2 ends: Phase 2" in found
    assert found["Due: Action due week"]["dtstart"].dt == plan.start_date + timedelta(days=7)
    assert found["Due: Action due quarter"]["dtstart"].dt == plan.start_date + timedelta(days=90)
    weekly = next(e for s, e in found.items() if s.startswith("Weekly check-in"))
    assert weekly["rrule"]["FREQ"] == ["WEEKLY"] and weekly["rrule"]["BYDAY"] == ["WE"]
    assert weekly["dtstart"].dt.weekday() == 2


def test_replanning_changes_the_feed(client, member, transition):
    plan = make_plan(member, transition, pace_months=9)
    feed = reset_feed(member)
    before = events(client, feed)["Phase 2 ends: Phase 2"]["dtstart"].dt
    plan.change_pace(15, timezone.localdate())
    after = events(client, feed)["Phase 2 ends: Phase 2"]["dtstart"].dt
    assert after > before


def test_a_reset_token_makes_the_old_url_404(client, member_client, member, plan):
    old = reset_feed(member)
    old_url = feed_url(old)
    assert client.get(old_url).status_code == 200
    response = member_client.post(reverse("roadmaps:calendar"))
    assert response.status_code == 302
    assert client.get(old_url).status_code == 404
    assert client.get(feed_url(CalendarFeed.objects.get(user=member))).status_code == 200


def test_a_bad_token_is_a_404(client, plan):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_the_feed_shows_only_its_owners_plans(client, member, other_member, transition):
    from tests.factories import make_transition

    make_plan(member, transition)
    make_plan(other_member, make_transition(title="Theirs"))
    body = client.get(feed_url(reset_feed(member))).content.decode()
    theirs = other_member.plans.get().transition
    assert theirs.from_role.name not in body


def test_the_settings_page_creates_and_shows_the_address(member_client, member):
    assert "Create my private calendar address" in member_client.get("/calendar/").content.decode()
    member_client.post("/calendar/")
    html = member_client.get("/calendar/").content.decode()
    assert CalendarFeed.objects.get(user=member).token in html


def test_the_settings_page_needs_a_member(client):
    assert client.get("/calendar/").status_code == 302


def test_preferences_can_reset_the_feed(client, member_client, member, plan):
    old = reset_feed(member)
    html = member_client.get(reverse("accounts:preferences")).content.decode()
    assert 'action="/calendar/"' in html and "Make a new calendar address" in html
    member_client.post("/calendar/")
    assert client.get(feed_url(old)).status_code == 404
