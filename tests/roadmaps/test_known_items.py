"""The "Already know" state: complete without a tick, shown apart, reversible, with evidence."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from roadmaps.calendar import build_calendar
from roadmaps.export import export_user_data
from roadmaps.models import ItemProgress, Plan
from roadmaps.progress import Progress, Row, build_plan_view, with_content
from tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = date(2027, 3, 10)


def state_url(plan, item):
    return reverse("roadmaps:item_state", args=[plan.id, item.id])


def first(plan, kind):
    return plan.transition.roadmap_items.filter(kind=kind).order_by("id").first()


def view_of(plan):
    return build_plan_view(with_content(Plan.objects.filter(pk=plan.pk)).get(), TODAY)


def test_a_plain_post_marks_an_item_known_without_dates(member_client, plan):
    task = first(plan, "task")
    response = member_client.post(state_url(plan, task), {"state": "known"})
    assert response.status_code == 302
    progress = ItemProgress.objects.get(plan=plan, item=task)
    assert (progress.state, progress.done_at, progress.done_on, progress.planned_on) == (
        "known",
        None,
        None,
        None,
    )


def test_with_htmx_the_row_shows_already_know_and_offers_to_undo(member_client, plan):
    task = first(plan, "task")
    response = member_client.post(state_url(plan, task), {"state": "known"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li id="item-{task.id}" class="item item-known')
    assert '<span class="state-label state-known">Already know</span>' in html
    assert 'name="state" value="open" class="link small" id="item-' in html  # "Not known"
    assert "tick-on" not in html  # not the done tick
    assert "1 of 9 done (11%), 1 of them already known" in html  # the overall bar, out of band


def test_it_is_reversible(member_client, plan):
    task = first(plan, "task")
    member_client.post(state_url(plan, task), {"state": "known"})
    member_client.post(state_url(plan, task), {"state": "open"})
    assert ItemProgress.objects.get(item=task).state == "open"
    assert view_of(plan).progress.done == 0


def test_asking_twice_changes_nothing(member_client, plan):
    task = first(plan, "task")
    member_client.post(state_url(plan, task), {"state": "known"})
    before = ItemProgress.objects.get(item=task).updated_at
    member_client.post(state_url(plan, task), {"state": "known"})
    assert ItemProgress.objects.get(item=task).updated_at == before


def test_a_known_item_can_be_ticked_done_later(member_client, plan):
    task = first(plan, "task")
    member_client.post(state_url(plan, task), {"state": "known"})
    member_client.post(state_url(plan, task), {"state": "done"})
    progress = ItemProgress.objects.get(item=task)
    assert (progress.state, progress.done_on) == ("done", TODAY)


def test_known_counts_as_complete_and_never_leaves_the_total(plan):
    task, resource = first(plan, "task"), first(plan, "resource")
    plan.set_item_state(task, "known", now=timezone.now())
    view = view_of(plan)
    assert (view.progress.done, view.progress.total, view.progress.known) == (1, 9, 1)
    plan.set_item_state(resource, "skipped", now=timezone.now())
    view = view_of(plan)
    assert (view.progress.done, view.progress.total) == (1, 8)  # skipping leaves the total
    group = view.group_of(task)
    assert (group.progress.done, group.progress.known) == (1, 1)


@pytest.mark.parametrize(
    ("state", "done", "total"),
    [("open", 0, 1), ("done", 1, 1), ("known", 1, 1), ("skipped", 0, 0)],
)
def test_each_state_counts_as_the_on_track_maths_says(plan, state, done, total):
    row = Row(first(plan, "task"), TODAY, ItemProgress(state=state))
    progress = Progress()
    progress.add(row, TODAY)
    assert (progress.done, progress.total, progress.expected) == (done, total, total)


def test_known_items_are_not_due_this_week_or_in_the_calendar(member, transition):
    plan = make_plan(member, transition, start_date=date(2027, 3, 5))  # week action due 12 Mar
    action = plan.transition.roadmap_items.get(key="action-week")
    before = view_of(plan)
    assert action.id in [r.item.id for r in before.focus]
    plan.set_item_state(action, "known", now=timezone.now())
    view = view_of(plan)
    assert action.id not in [r.item.id for r in view.focus]
    ics = build_calendar([view], member.checkin_weekday, timezone.now()).to_ical().decode()
    assert "Due: Action due week" not in ics
    assert "Due: Action due month" in ics


def test_a_known_item_carries_a_note_and_evidence(member_client, plan):
    task = first(plan, "task")
    member_client.post(state_url(plan, task), {"state": "known"})
    url = reverse("roadmaps:item_note", args=[plan.id, task.id])
    member_client.post(
        url,
        {f"note-{task.id}-note": "Years of it", f"note-{task.id}-evidence_url": "https://x.dev/me"},
    )
    progress = ItemProgress.objects.get(item=task)
    assert (progress.state, progress.evidence_url) == ("known", "https://x.dev/me")
    page = member_client.get(plan.get_absolute_url()).content.decode()
    assert 'href="https://x.dev/me"' in page


def test_the_export_says_known(member, plan):
    task = first(plan, "task")
    plan.set_item_state(task, "known", now=timezone.now())
    (item,) = export_user_data(member)["plans"][0]["items"]
    assert (item["state"], item["done_at"], item["done_on"]) == ("known", None, None)


def test_the_database_refuses_a_known_item_with_a_done_date(plan):
    task = first(plan, "task")
    for fields in ({"done_at": timezone.now()}, {"done_on": TODAY}):
        with pytest.raises(IntegrityError), transaction.atomic():
            ItemProgress.objects.create(plan=plan, item=task, state="known", **fields)


def test_another_members_plan_is_a_404(client, other_member, plan):
    client.force_login(other_member)
    response = client.post(state_url(plan, first(plan, "task")), {"state": "known"})
    assert response.status_code == 404
    assert not ItemProgress.objects.exists()
