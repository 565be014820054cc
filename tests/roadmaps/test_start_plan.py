from datetime import date

import pytest
from django.db import IntegrityError
from django.urls import reverse

from roadmaps.models import Plan, PlanChange
from tests.conftest import TODAY
from tests.factories import make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def start_url(transition):
    return reverse("roadmaps:start", args=[transition.slug])


def test_it_offers_today_and_the_middle_pace_by_default(member_client, seed_transition):
    html = member_client.get(start_url(seed_transition)).content.decode()
    assert 'name="start_date" value="2027-03-10"' in html  # the frozen today
    assert '<option value="12" selected>12 months</option>' in html
    assert '<option value="9">' in html and '<option value="15">' in html
    assert '<option value="16">' not in html


def test_it_starts_a_plan_and_records_it(member_client, member, seed_transition):
    response = member_client.post(
        start_url(seed_transition),
        {"start_date": "2027-03-15", "pace_months": 12, "hours_per_week": 8},
    )
    plan = Plan.objects.get(user=member)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert (plan.start_date, plan.pace_months, plan.hours_per_week, plan.status) == (
        date(2027, 3, 15),
        12,
        8,
        "active",
    )
    change = plan.changes.get()
    assert (change.kind, change.to_value, change.effective_on) == (
        "start",
        "12",
        date(2027, 3, 15),
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pace_months": 16}, "Choose a pace between 9 and 15 months."),
        ({"pace_months": 8}, "Choose a pace between 9 and 15 months."),
        ({"pace_months": "soon"}, "Choose a pace between 9 and 15 months."),
        ({"start_date": "2028-04-13"}, "Choose a start date within a year of today."),  # +400 days
        ({"start_date": "2026-02-03"}, "Choose a start date within a year of today."),  # -400 days
        ({"start_date": "not a date"}, "Enter a valid date."),
        ({"hours_per_week": 0}, "Enter at least 1 hour a week (at most 60)."),
        ({"hours_per_week": 61}, "Enter at most 60 hours a week."),
    ],
)
def test_it_explains_bad_input_and_saves_nothing(member_client, seed_transition, data, message):
    form = {"start_date": "2027-03-10", "pace_months": 12, **data}
    response = member_client.post(start_url(seed_transition), form)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Plan.objects.exists()


def test_a_second_start_goes_to_the_existing_plan(member_client, member, transition):
    plan = make_plan(member, transition)
    response = member_client.post(start_url(transition), {"start_date": TODAY, "pace_months": 12})
    assert response["Location"] == plan.get_absolute_url()
    assert Plan.objects.count() == 1


def test_the_database_allows_one_current_plan_per_transition(member, transition):
    make_plan(member, transition)
    with pytest.raises(IntegrityError):
        make_plan(member, transition)


def test_a_member_may_follow_several_transitions(member_client, member):
    for t in (make_transition(), make_transition()):
        member_client.post(start_url(t), {"start_date": TODAY, "pace_months": 12})
    assert Plan.objects.filter(user=member).count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, transition):
    response = client.get(start_url(transition))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] and "next=" in response["Location"]


def test_it_needs_a_csrf_token(csrf_client, member, transition):
    csrf_client.force_login(member)
    response = csrf_client.post(start_url(transition), {"start_date": TODAY, "pace_months": 12})
    assert response.status_code == 403
    assert not Plan.objects.exists()


def test_draft_transitions_cannot_be_started(member_client):
    draft = make_transition(status="draft")
    assert member_client.get(start_url(draft)).status_code == 404


def test_the_transition_page_leads_members_to_their_plan(member_client, member, transition):
    html = member_client.get(transition.get_absolute_url()).content.decode()
    assert start_url(transition) in html
    plan = make_plan(member, transition)
    html = member_client.get(transition.get_absolute_url()).content.decode()
    assert "Go to your plan" in html and plan.get_absolute_url() in html
    assert PlanChange.objects.filter(plan=plan, kind="start").exists()
