from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import CheckIn
from tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

THIS_WEEK = date(2027, 3, 8)  # the Monday of the frozen Wednesday, 10 March 2027
LAST_WEEK = date(2027, 3, 1)


def url(plan, week=None):
    if week is None:
        return reverse("roadmaps:checkin", args=[plan.id])
    return reverse("roadmaps:checkin_week", args=[plan.id, week.isoformat()])


def answers(**overrides):
    data = {"hours": "6.5", "confidence": "4", "wins": "Finished course 1", "blockers": "",
            "next_focus": "PyTorch basics"}  # fmt: skip
    data.update(overrides)
    return data


@pytest.fixture
def old_plan(member, transition):
    """A plan that started five weeks ago, on Wednesday 3 February 2027."""
    return make_plan(member, transition, start_date=date(2027, 2, 3))


def test_it_saves_this_weeks_checkin(member_client, old_plan):
    response = member_client.post(url(old_plan), answers())
    assert response.status_code == 302 and response["Location"] == old_plan.get_absolute_url()
    checkin = CheckIn.objects.get(plan=old_plan)
    assert checkin.week == THIS_WEEK and str(checkin.hours) == "6.5"
    assert checkin.confidence == 4 and checkin.wins == "Finished course 1"
    page = member_client.get(old_plan.get_absolute_url()).content.decode()
    assert "Check-in saved for the week of 8 March. Your streak: 1 week." in page
    assert "You checked in this week." in page


def test_a_second_checkin_for_the_week_edits_the_first(member_client, old_plan):
    member_client.post(url(old_plan), answers())
    member_client.post(url(old_plan, THIS_WEEK), answers(hours="8", confidence="5"))
    checkin = CheckIn.objects.get(plan=old_plan)
    assert (str(checkin.hours), checkin.confidence) == ("8.0", 5)
    assert "Update check-in" in member_client.get(url(old_plan)).content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hours", "-1", "Enter 0 or more hours."),
        ("hours", "169", "Enter at most 168 hours: a week has no more."),
        ("hours", "lots", "Enter the hours as a number"),
        ("hours", "6.25", "Use whole or half hours"),
        ("hours", "6.3", "Use whole or half hours"),
        ("hours", "", "Enter the hours you spent, 0 if none."),
        ("confidence", "0", "Choose your confidence, from 1 to 5."),
        ("confidence", "6", "Choose your confidence, from 1 to 5."),
        ("wins", "w" * 2001, "at most 2000 characters"),
        ("blockers", "b" * 2001, "at most 2000 characters"),
    ],
)
def test_bad_answers_are_explained_and_kept(member_client, old_plan, field, value, message):
    response = member_client.post(url(old_plan), answers(**{field: value}))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "PyTorch basics" in html  # nothing typed is lost
    assert not CheckIn.objects.exists()


def test_the_error_summary_reads_a_question_without_a_colon_after_it(member_client, old_plan):
    html = member_client.post(url(old_plan), answers(hours="169", confidence="0")).content.decode()
    summary = html[html.index('id="form-error-summary"') :]
    assert (
        '">How confident do you feel about your plan? Choose your confidence, from 1 to 5.</a>'
        in summary
    )
    assert '">Hours spent this week: Enter at most 168 hours: a week has no more.</a>' in summary
    assert "?:" not in summary


def test_a_future_week_is_refused(member_client, old_plan):
    response = member_client.post(url(old_plan, date(2027, 3, 15)), answers())
    assert response.status_code == 400
    assert "That week has not started yet" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_week_before_the_plan_started_is_refused(member_client, old_plan):
    response = member_client.post(url(old_plan, date(2027, 1, 31)), answers())  # the Sunday before
    assert response.status_code == 400
    assert (
        "This plan started on 3 February 2027; choose a week from then on."
        in response.content.decode()
    )
    assert not CheckIn.objects.exists()


def test_a_malformed_week_is_refused(member_client, old_plan):
    response = member_client.get(f"{url(old_plan)}not-a-date/")
    assert response.status_code == 400
    assert (
        "That is not a date. Check-ins are for weeks, named by a date such as 2026-11-16."
        in response.content.decode()
    )


def test_a_missed_week_can_be_filled_in_late(member_client, old_plan):
    week = date(2027, 2, 22)
    page = member_client.get(url(old_plan, week)).content.decode()
    assert "You missed this week" in page
    member_client.post(url(old_plan, week), answers())
    assert CheckIn.objects.get(plan=old_plan).week == week


def test_any_day_of_a_week_names_that_week(member_client, old_plan):
    member_client.post(url(old_plan, date(2027, 3, 4)), answers())  # last Thursday
    assert CheckIn.objects.get().week == LAST_WEEK


def test_a_past_weeks_checkin_is_closed(member_client, old_plan):
    week = LAST_WEEK
    CheckIn.objects.create(plan=old_plan, week=week, hours=3, confidence=2, wins="old")
    page = member_client.get(url(old_plan, week)).content.decode()
    assert "This week has ended" in page and "<form" not in page.split("Ticked off")[1]
    member_client.post(url(old_plan, week), answers(wins="rewritten"))
    assert CheckIn.objects.get().wins == "old"


def test_the_form_shows_what_was_ticked_that_week(member_client, old_plan):
    task, earlier = old_plan.transition.roadmap_items.filter(kind="task")[:2]
    old_plan.set_item_state(task, "done", now=timezone.now())
    old_plan.set_item_state(earlier, "done", now=timezone.now() - timedelta(days=3))  # Sunday
    html = member_client.get(url(old_plan)).content.decode()
    ticked = html[
        html.index("Ticked off that week") : html.index("</section>", html.index("Ticked off"))
    ]
    assert f'<li>{task.title} <span class="hint">(Wed 10 Mar)</span></li>' in ticked
    assert earlier.title not in ticked  # last week's tick


def test_focus_items_are_picked_from_open_items(member_client, old_plan):
    open_item = old_plan.transition.roadmap_items.filter(kind="task").last()
    member_client.post(url(old_plan), answers(focus_items=[open_item.id]))
    assert list(CheckIn.objects.get().focus_items.all()) == [open_item]


def test_a_focus_item_from_elsewhere_is_refused(member_client, old_plan, member):
    from tests.factories import make_transition

    foreign = make_transition().roadmap_items.first()
    response = member_client.post(url(old_plan), answers(focus_items=[foreign.id]))
    assert response.status_code == 200
    assert "Pick items that are still open on your plan." in response.content.decode()
    assert not CheckIn.objects.exists()


def test_it_404s_for_another_members_plan(client, other_member, old_plan):
    client.force_login(other_member)
    assert client.get(url(old_plan)).status_code == 404
    assert client.post(url(old_plan), answers()).status_code == 404
    assert client.get(reverse("roadmaps:checkin_history", args=[old_plan.id])).status_code == 404
    assert not CheckIn.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, old_plan):
    response = client.post(url(old_plan), answers())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_needs_a_csrf_token(csrf_client, old_plan):
    csrf_client.force_login(old_plan.user)
    assert csrf_client.post(url(old_plan), answers()).status_code == 403
