"""The pace as months or hours per week, and the catch-up offer on the plan page."""

from datetime import timedelta

import pytest
from django.urls import reverse

from roadmaps.models import Plan, PlanChange
from roadmaps.progress import build_plan_view, with_content
from roadmaps.schedule import hours_for, plan_days
from tests.conftest import TODAY
from tests.factories import make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def view_of(plan):
    return build_plan_view(with_content(Plan.objects.filter(pk=plan.pk)).get(), TODAY)


@pytest.fixture
def effort_plan(member):
    # 2 phases x 3 items x 20 hours = 120 hours; started 6 weeks ago at 10 hours a week.
    transition = make_transition(phases=2, tasks=2, resources=1, effort_hours=20, chain=True)
    return make_plan(member, transition, start_date=TODAY - timedelta(weeks=6), hours_per_week=10)


def test_the_plan_is_scheduled_by_effort_at_the_members_hours(effort_plan):
    view = view_of(effort_plan)
    assert view.schedule.by_effort and view.schedule.hours_per_week == 10
    assert view.schedule.end == effort_plan.start_date + timedelta(days=plan_days(120, 10))


def test_a_plan_behind_by_more_than_two_weeks_of_work_is_offered_a_catch_up(
    member_client, effort_plan
):
    view = view_of(effort_plan)
    assert view.behind_hours == 60  # three 20-hour items due in 6 weeks, none done
    page = member_client.get(effort_plan.get_absolute_url()).content.decode()
    assert "Catch up" in page and "about 60 hours of work behind" in page
    assert 'name="hours_per_week"' in page


def test_no_offer_when_on_track_or_paused(member_client, effort_plan, member):
    items = effort_plan.transition.roadmap_items.filter(phase__order=1).order_by("order", "kind")
    for item in items[:2]:
        member_client.post(
            reverse("roadmaps:item_state", args=[effort_plan.id, item.id]), {"state": "done"}
        )
    assert view_of(effort_plan).behind_hours == 20  # one week of work: not offered
    assert view_of(effort_plan).catch_up is None
    assert "Catch up" not in member_client.get(effort_plan.get_absolute_url()).content.decode()
    other = make_plan(
        member,
        make_transition(effort_hours=20),
        start_date=TODAY - timedelta(weeks=6),
        hours_per_week=10,
    )
    assert view_of(other).catch_up is not None
    other.set_status(Plan.Status.PAUSED, TODAY)
    assert view_of(other).catch_up is None


def test_no_offer_without_effort_estimates(member):
    plan = make_plan(member, make_transition(), start_date=TODAY - timedelta(weeks=30))
    assert view_of(plan).behind_hours > 0
    assert view_of(plan).catch_up is None


def test_the_preview_shows_the_new_end_and_changes_nothing(member_client, effort_plan):
    url = reverse("roadmaps:settings", args=[effort_plan.id])
    response = member_client.get(url, {"preview": 1, "pace_months": 12, "hours_per_week": 20})
    page = response.content.decode()
    stopped_end = effort_plan.start_date + timedelta(days=plan_days(120, 20))
    assert f'would end on <time datetime="{stopped_end:%Y-%m-%d}"' in page
    assert "20 hours a week (about 2 months)" in page
    assert not effort_plan.changes.filter(kind=PlanChange.Kind.HOURS).exists()


def test_confirming_records_an_hours_change_in_the_history(member_client, effort_plan):
    url = reverse("roadmaps:settings", args=[effort_plan.id])
    response = member_client.post(url, {"pace_months": 12, "hours_per_week": 20})
    assert response.status_code == 302
    change = effort_plan.changes.get(kind=PlanChange.Kind.HOURS)
    assert (change.from_value, change.to_value, change.effective_on) == ("10", "20", TODAY)
    effort_plan.refresh_from_db()
    assert (effort_plan.hours_per_week, effort_plan.pace_months) == (20, 2)
    assert view_of(effort_plan).schedule.hours_per_week == 20
    assert "10 → 20 hours a week" in member_client.get(url).content.decode()


def test_choosing_months_sets_the_hours_rounded_up(member_client, effort_plan):
    url = reverse("roadmaps:settings", args=[effort_plan.id])
    member_client.post(url, {"pace_months": 12, "hours_per_week": 10})
    effort_plan.refresh_from_db()
    expected = hours_for(120, effort_plan.start_date, 12)
    assert (effort_plan.pace_months, effort_plan.hours_per_week) == (12, expected)


def test_done_items_keep_their_dates_through_an_hours_change(member_client, effort_plan):
    first = effort_plan.transition.roadmap_items.filter(kind="task").order_by("id").first()
    before = view_of(effort_plan).rows[first.id].planned_on
    member_client.post(
        reverse("roadmaps:item_state", args=[effort_plan.id, first.id]), {"state": "done"}
    )
    member_client.post(
        reverse("roadmaps:settings", args=[effort_plan.id]),
        {"pace_months": 12, "hours_per_week": 3},
    )
    assert view_of(effort_plan).rows[first.id].planned_on == before
