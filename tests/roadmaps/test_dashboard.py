import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import TODAY
from tests.factories import make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]
URL = "/dashboard/"


def test_an_empty_dashboard_leads_to_the_transitions(member_client):
    html = member_client.get(URL).content.decode()
    assert "You are not following a transition yet" in html
    assert reverse("careers:transitions") in html


def test_it_shows_each_plan_with_progress_phase_next_items_and_milestone(
    member_client, member, transition
):
    # Ten days in (Sunday 28 February to Wednesday 10 March 2027) at a 12-month pace: 365 days,
    # phase 1 (5 of 11 weeks) runs to day 165, 11 August; the week's action fell due on 7 March.
    plan = make_plan(member, transition, start_date=date(2027, 2, 28), pace_months=12)
    task = transition.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now(), planned_on=TODAY)
    html = member_client.get(URL).content.decode()
    assert plan.get_absolute_url() in html
    assert "1 of 9 done (11%)" in html
    assert '<span class="badge badge-behind">1 item behind</span>' in html  # the week's action
    assert "<dt>Current phase</dt><dd>Phase 1 (until 11 Aug 2027)</dd>" in html
    assert (
        "<dt>Next milestone</dt><dd>Action due: Action due month, "
        '<time datetime="2027-03-30">30 Mar 2027</time></dd>'
    ) in html
    assert '<dd class="streak">1 week</dd>' in html  # the tick made this week count
    next_up = html[html.index("<h3>Next up</h3>") : html.index("</ul>", html.index("Next up"))]
    assert re.findall(r'#item-\d+">([^<]+)</a> <time datetime="([\d-]+)"', next_up) == [
        ("Action due week", "2027-03-07"),
        ("Action due month", "2027-03-30"),
        ("Resource 0 of phase 1", "2027-04-10"),  # day 41: 1/4 of the way through phase 1
    ]
    assert 'class="overdue">was due 7 Mar</time>' in next_up  # before today, 10 March
    assert '<time datetime="2027-03-30">30 Mar</time>' in next_up
    assert f'href="/plans/{plan.id}/checkins/">Weekly check-in</a>' in html


def test_a_paused_plan_offers_to_resume_not_to_check_in(member_client, member, transition):
    plan = make_plan(member, transition, start_date=date(2027, 2, 28), pace_months=12)
    plan.set_status("paused", TODAY)
    html = member_client.get(URL).content.decode()
    card = html[html.index(f'id="plan-{plan.id}-heading"') :]
    assert "<h3>Next up when you resume</h3>" in card
    assert "was due" not in card  # nothing falls due while paused
    assert f'<a href="/plans/{plan.id}/status/?status=active">Resume</a>' in card
    assert "Weekly check-in" not in card


def test_it_shows_only_the_members_own_plans(member_client, member, other_member, transition):
    mine = make_plan(member, transition)
    theirs = make_plan(other_member, make_transition())
    html = member_client.get(URL).content.decode()
    assert mine.get_absolute_url() in html
    assert theirs.get_absolute_url() not in html
    assert theirs.transition.title not in html


def test_left_plans_are_offered_for_restoring(member_client, member, transition):
    plan = make_plan(member, transition)
    plan.set_status("archived", timezone.localdate())
    html = member_client.get(URL).content.decode()
    assert "Plans you left" in html and "Restore" in html
    assert "You are not following a transition yet" in html


def test_it_redirects_anonymous_visitors(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
