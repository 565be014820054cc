from datetime import date

import pytest
from django.urls import reverse
from icalendar import Calendar

from roadmaps.calendar import reset_feed
from roadmaps.models import CalendarFeed
from tests.conftest import TODAY
from tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def feed_url(feed):
    return reverse("roadmaps:calendar_feed", args=[feed.token])


def events(client, feed):
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    return {str(e["summary"]): e for e in cal.walk("VEVENT")}


def test_the_feed_holds_phases_actions_and_the_weekly_checkin(client, member, transition):
    member.checkin_weekday = 4  # Friday
    member.save()
    # Started today, Wednesday 10 March 2027, at a 9-month pace: 275 days to 10 December, and
    # phase 1 (5 of 11 weeks) takes the first 125 of them.
    plan = make_plan(member, transition, start_date=TODAY, pace_months=9)
    found = events(client, reset_feed(member))
    t = plan.transition
    weekly_title = f"Weekly check-in: {t.from_role.name} → {t.to_role.name}"
    assert {summary: event["dtstart"].dt for summary, event in found.items()} == {
        "Phase 1 starts: Phase 1": date(2027, 3, 10),
        "Phase 1 ends: Phase 1": date(2027, 7, 12),
        "Phase 2 starts: Phase 2": date(2027, 7, 13),
        "Phase 2 ends: Phase 2": date(2027, 12, 10),
        "Due: Action due week": date(2027, 3, 17),
        "Due: Action due month": date(2027, 4, 9),
        "Due: Action due quarter": date(2027, 6, 8),
        weekly_title: date(2027, 3, 12),  # the first Friday on or after the start
    }
    rule = found[weekly_title]["rrule"]
    assert (rule["FREQ"], rule["BYDAY"], rule["UNTIL"]) == (
        ["WEEKLY"],
        ["FR"],
        [date(2027, 12, 10)],
    )


def test_replanning_changes_the_feed(client, member, transition):
    plan = make_plan(member, transition, start_date=TODAY, pace_months=9)
    feed = reset_feed(member)
    assert events(client, feed)["Phase 2 ends: Phase 2"]["dtstart"].dt == date(2027, 12, 10)
    plan.change_pace(15, TODAY)
    assert events(client, feed)["Phase 2 ends: Phase 2"]["dtstart"].dt == date(2028, 6, 10)


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
