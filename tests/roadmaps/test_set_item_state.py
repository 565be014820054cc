from datetime import date, timedelta

import pytest
from django.urls import reverse

from careers.models import RoadmapItem
from roadmaps.models import ItemProgress
from tests.factories import make_plan, make_transition

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def state_url(plan, item):
    return reverse("roadmaps:item_state", args=[plan.id, item.id])


def first(plan, kind):
    return plan.transition.roadmap_items.filter(kind=kind).order_by("id").first()


def test_it_marks_an_item_done_and_redirects_without_htmx(member_client, plan, frozen):
    task = first(plan, "task")
    response = member_client.post(state_url(plan, task), {"state": "done"})
    assert response.status_code == 302
    assert response["Location"] == f"{plan.get_absolute_url()}#item-{task.id}"
    progress = ItemProgress.objects.get(plan=plan, item=task)
    assert progress.state == "done" and progress.done_at == frozen
    # The date it was planned for, kept when ticked early: the plan started today at a 12-month
    # pace (366 days to 10 March 2028), and phase 1's first task is its second item of three,
    # at 5/11 x 2/4 of the way: day 83, 1 June 2027.
    assert progress.planned_on == date(2027, 6, 1)


def test_with_htmx_it_returns_the_row_and_out_of_band_bars(member_client, plan):
    task = first(plan, "task")
    response = member_client.post(state_url(plan, task), {"state": "done"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<li id="item-{task.id}" class="item item-done')
    assert 'value="open"' in html  # the row now offers to undo
    assert '<div id="plan-progress" class="plan-progress" data-hx-swap-oob="innerHTML">' in html
    assert f'id="phase-{task.phase_id}-progress" class="group-progress" data-hx-swap-oob' in html
    assert 'id="focus" data-hx-swap-oob="innerHTML"' in html
    assert "1 of 9 done" in html  # 2 phases x 3 items + 3 actions
    assert "<html" not in html


def test_repeating_the_same_state_changes_nothing(member_client, plan, frozen, time_machine):
    task = first(plan, "task")
    member_client.post(state_url(plan, task), {"state": "done"})
    time_machine.move_to(frozen + timedelta(days=1), tick=False)  # the repeat comes a day later
    member_client.post(state_url(plan, task), {"state": "done"})
    progress = ItemProgress.objects.get(item=task)
    assert (progress.state, progress.done_at, progress.planned_on) == (
        "done",
        frozen,
        date(2027, 6, 1),
    )


def test_open_undoes_done(member_client, plan):
    task = first(plan, "task")
    member_client.post(state_url(plan, task), {"state": "done"})
    member_client.post(state_url(plan, task), {"state": "open"})
    progress = ItemProgress.objects.get(item=task)
    assert progress.state == "open" and progress.done_at is None and progress.planned_on is None


def test_a_resource_can_be_skipped_and_leaves_the_denominator(member_client, plan):
    resource = first(plan, "resource")
    response = member_client.post(
        state_url(plan, resource), {"state": "skipped"}, HTTP_HX_REQUEST="true"
    )
    assert ItemProgress.objects.get(item=resource).state == "skipped"
    assert "0 of 8 done" in response.content.decode()


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("toggle", "Unknown state: choose open, done, known or skipped."),
        ("", "Choose a state: open, done, known or skipped."),
        ("skipped", "Only resources can be skipped"),
    ],
)
def test_it_rejects_states_an_item_cannot_take(member_client, plan, state, message):
    task = first(plan, "task")
    response = member_client.post(state_url(plan, task), {"state": state})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ItemProgress.objects.exists()


def test_with_htmx_a_bad_request_lands_in_the_alert_region(member_client, plan):
    task = first(plan, "task")
    response = member_client.post(
        state_url(plan, task), {"state": "skipped"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response["HX-Retarget"] == "#plan-alert"
    assert 'id="plan-alert"' in response.content.decode()


def test_it_rejects_an_item_from_another_roadmap(member_client, plan):
    foreign = first(make_plan(plan.user, make_transition()), "task")
    response = member_client.post(state_url(plan, foreign), {"state": "done"})
    assert response.status_code == 400
    assert "not on this plan" in response.content.decode()
    assert not ItemProgress.objects.exists()


def test_it_rejects_an_archived_item(member_client, plan):
    task = first(plan, "task")
    RoadmapItem.objects.filter(pk=task.pk).update(is_archived=True)
    assert member_client.post(state_url(plan, task), {"state": "done"}).status_code == 400


def test_it_rejects_an_unknown_item(member_client, plan):
    url = reverse("roadmaps:item_state", args=[plan.id, 999999])
    assert member_client.post(url, {"state": "done"}).status_code == 400


def test_it_404s_for_another_members_plan(client, other_member, plan):
    client.force_login(other_member)
    response = client.post(state_url(plan, first(plan, "task")), {"state": "done"})
    assert response.status_code == 404
    assert not ItemProgress.objects.exists()


def test_it_rejects_get(member_client, plan):
    assert member_client.get(state_url(plan, first(plan, "task"))).status_code == 405


def test_it_redirects_anonymous_visitors(client, plan):
    response = client.post(state_url(plan, first(plan, "task")), {"state": "done"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_needs_a_csrf_token(csrf_client, plan):
    csrf_client.force_login(plan.user)
    response = csrf_client.post(state_url(plan, first(plan, "task")), {"state": "done"})
    assert response.status_code == 403


def test_it_accepts_the_forms_csrf_token(csrf_client, plan):
    csrf_client.force_login(plan.user)
    page = csrf_client.get(plan.get_absolute_url())
    token = page.context["csrf_token"]
    response = csrf_client.post(
        state_url(plan, first(plan, "task")), {"state": "done", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


def test_a_left_plan_cannot_be_ticked(member_client, plan):
    plan.set_status("archived", plan.start_date)
    response = member_client.post(state_url(plan, first(plan, "task")), {"state": "done"})
    assert response.status_code == 400
    assert "Restore it" in response.content.decode()
