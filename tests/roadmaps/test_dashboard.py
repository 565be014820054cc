from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_plan, make_transition

pytestmark = pytest.mark.django_db
URL = "/dashboard/"


def test_an_empty_dashboard_leads_to_the_transitions(member_client):
    html = member_client.get(URL).content.decode()
    assert "You are not following a transition yet" in html
    assert reverse("careers:transitions") in html


def test_it_shows_each_plan_with_progress_phase_next_items_and_milestone(
    member_client, member, transition
):
    plan = make_plan(member, transition, start_date=timezone.localdate() - timedelta(days=10))
    task = transition.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now(), planned_on=timezone.localdate())
    html = member_client.get(URL).content.decode()
    assert plan.get_absolute_url() in html
    assert "1 of 9 done (11%)" in html
    assert "Current phase" in html and "Phase 1" in html
    assert "Next milestone" in html and "End of phase 1" in html or "Action due" in html
    assert "Next up" in html
    assert 'class="badge badge-' in html


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
