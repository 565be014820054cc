import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from roadmaps.models import ItemProgress, Plan
from roadmaps.progress import build_plan_view, with_content
from tests.conftest import TODAY
from tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


def settings_url(plan):
    return reverse("roadmaps:settings", args=[plan.id])


def status_url(plan):
    return reverse("roadmaps:status", args=[plan.id])


def view_of(plan):
    return build_plan_view(with_content(Plan.objects.filter(pk=plan.pk)).get(), TODAY)


def test_changing_the_pace_replans_and_keeps_done_items(member_client, member, transition):
    # 30 days into a 9-month plan (8 Feb to 8 Nov 2027, 273 days); phase 1's first task is
    # its second item of three, planned on day 62, 11 April, and ticked early.
    plan = make_plan(member, transition, start_date=date(2027, 2, 8), pace_months=9)
    done = transition.roadmap_items.filter(kind="task").first()
    member_client.post(reverse("roadmaps:item_state", args=[plan.id, done.id]), {"state": "done"})
    before = view_of(plan)
    assert before.schedule.end == date(2027, 11, 8)
    assert before.rows[done.id].planned_on == date(2027, 4, 11)
    response = member_client.post(settings_url(plan), {"pace_months": 15})
    assert response["Location"] == plan.get_absolute_url()
    after = view_of(plan)
    assert after.schedule.end == date(2028, 5, 8)  # start + 15 months
    assert after.rows[done.id].planned_on == date(2027, 4, 11)
    progress = ItemProgress.objects.get(item=done)
    assert (progress.state, progress.planned_on) == ("done", date(2027, 4, 11))
    change = plan.changes.get(kind="pace")
    assert (change.from_value, change.to_value, change.effective_on) == ("9", "15", TODAY)
    page = member_client.get(response["Location"]).content.decode()
    assert "Your pace is now 15 months; the plan ends on 8 May 2028." in page


def test_a_pace_outside_the_range_is_refused(member_client, plan):
    response = member_client.post(settings_url(plan), {"pace_months": 40})
    assert "Choose a pace between 9 and 15 months." in response.content.decode()
    plan.refresh_from_db()
    assert plan.pace_months == 12 and not plan.changes.filter(kind="pace").exists()


def test_pause_and_resume_are_confirmed_recorded_and_move_the_rest(member_client, plan):
    page = member_client.get(status_url(plan), {"status": "paused"}).content.decode()
    assert "Pause this plan?" in page and 'value="paused"' in page
    member_client.post(status_url(plan), {"status": "paused"})
    plan.refresh_from_db()
    assert plan.status == "paused" and plan.paused_on == TODAY
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert "This plan is paused since 10 Mar 2027" in html and ">Paused<" in html
    member_client.post(status_url(plan), {"status": "active"})
    plan.refresh_from_db()
    assert plan.status == "active" and plan.paused_on is None
    assert [c.kind for c in plan.changes.all()] == ["start", "pause", "resume"]


def test_asking_for_the_current_status_again_changes_nothing(member_client, plan):
    member_client.post(status_url(plan), {"status": "paused"})
    member_client.post(status_url(plan), {"status": "paused"})
    assert plan.changes.filter(kind="pause").count() == 1


def test_leaving_and_restoring_keep_every_tick(member_client, plan):
    task = plan.transition.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now())
    response = member_client.post(status_url(plan), {"status": "archived"})
    assert response["Location"] == reverse("roadmaps:dashboard")
    plan.refresh_from_db()
    assert plan.status == "archived"
    member_client.post(status_url(plan), {"status": "active"})
    plan.refresh_from_db()
    assert plan.status == "active"
    assert ItemProgress.objects.get(item=task).state == "done"


def test_restoring_while_another_plan_for_the_transition_is_current_is_explained(
    member_client, member, plan
):
    plan.set_status("archived", TODAY)
    make_plan(member, plan.transition)
    response = member_client.post(status_url(plan), {"status": "active"}, follow=True)
    assert "already follow this transition" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "archived"


def test_an_unknown_status_is_explained(member_client, plan):
    response = member_client.post(status_url(plan), {"status": "deleted"}, follow=True)
    assert "Choose active, paused or left." in response.content.decode()


def test_the_pace_cannot_change_while_paused(member_client, plan):
    plan.set_status("paused", TODAY)
    response = member_client.post(settings_url(plan), {"pace_months": 10})
    assert "Resume or restore the plan" in response.content.decode()


def test_history_is_listed(member_client, plan):
    plan.change_pace(10, TODAY)
    html = member_client.get(settings_url(plan)).content.decode()
    history = html[html.index('<ol class="history">') :]
    assert re.findall(r"<li>(.+?)</li>", history[: history.index("</ol>")]) == [
        '<time datetime="2027-03-10">10 Mar 2027</time> — Started at a 12-month pace',
        '<time datetime="2027-03-10">10 Mar 2027</time> — Pace changed: 12 → 10 months',
    ]


def test_settings_404_for_another_member(client, other_member, plan):
    client.force_login(other_member)
    assert client.get(settings_url(plan)).status_code == 404
    assert client.post(settings_url(plan), {"pace_months": 10}).status_code == 404
    assert client.post(status_url(plan), {"status": "archived"}).status_code == 404
    plan.refresh_from_db()
    assert plan.status == "active" and plan.pace_months == 12
