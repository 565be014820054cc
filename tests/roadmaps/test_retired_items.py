"""Retiring an item members have worked on: the admin archives it with one clear message, the
member sees it was retired and that their record is kept, and restoring it brings it all back."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from careers.models import RoadmapItem
from careers.page_cache import catalog_changed
from careers.retirement import members_by_item
from roadmaps.models import CheckIn, ItemProgress
from tests.admin_forms import change_form_data
from tests.factories import make_member, make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

LAST_WEEK = date(2027, 3, 1)
THIS_WEEK = date(2027, 3, 8)


def task(transition, phase=1, i=0) -> RoadmapItem:
    return transition.roadmap_items.get(key=f"p{phase}-task-{i}")


def delete_url(item) -> str:
    return reverse("admin:careers_roadmapitem_delete", args=[item.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def checkin(plan, week, *items, **kwargs) -> CheckIn:
    kwargs.setdefault("hours", Decimal("5"))
    kwargs.setdefault("confidence", 3)
    made = CheckIn.objects.create(plan=plan, week=week, **kwargs)
    made.focus_items.set(items)
    return made


@pytest.fixture
def staff(superuser):
    """Staff in a browser of their own (`member_client` is the default client)."""
    staff = Client()
    staff.force_login(superuser)
    return staff


@pytest.fixture
def old_plan(member, transition):
    """The member's plan, started on Wednesday 3 February 2027 (five weeks ago)."""
    return make_plan(member, transition, start_date=date(2027, 2, 3))


@pytest.fixture
def worked_on(old_plan, transition):
    """Task 0 of phase 1: the member ticked it with a note, two more members ticked or
    skipped-then-reopened it or chose it as a check-in focus; three members in all."""
    item = task(transition)
    old_plan.set_item_state(item, "done", now=timezone.now())
    ItemProgress.objects.filter(plan=old_plan, item=item).update(note="Learned a lot")
    second = make_plan(make_member(), transition)
    second.set_item_state(item, "done", now=timezone.now())
    second.set_item_state(item, "open", now=timezone.now())  # an open row is a record too
    third = make_plan(make_member(), transition, start_date=date(2027, 2, 3))
    checkin(third, LAST_WEEK, item)
    return item


# --- The admin ----------------------------------------------------------------------------


def test_members_are_counted_once_across_ticks_and_focus(old_plan, worked_on, transition):
    checkin(old_plan, LAST_WEEK, worked_on)  # the first member chose it too: still 3
    untouched = task(transition, 2, 1)
    assert members_by_item(i.pk for i in (worked_on, untouched)) == {worked_on.pk: 3}


def test_the_confirmation_page_says_it_will_be_retired(staff, worked_on):
    page = staff.get(delete_url(worked_on)).content.decode()
    assert "will be retired (archived), not deleted: 3 members have worked on it" in page


def test_deleting_a_worked_on_item_retires_it_with_one_message(staff, worked_on):
    response = staff.post(delete_url(worked_on), {"post": "yes"})
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:careers_roadmapitem_change", args=[worked_on.pk])
    assert messages_of(response) == [
        "Retired “Task 0 of phase 1”: 3 members have worked on it; their records are kept. "
        "Restore it by unticking Archived."
    ]
    worked_on.refresh_from_db()
    assert worked_on.is_archived
    assert ItemProgress.objects.filter(item=worked_on).count() == 2
    assert ItemProgress.objects.get(item=worked_on, state="done").note == "Learned a lot"
    assert CheckIn.objects.filter(focus_items=worked_on).count() == 1
    entry = LogEntry.objects.get(object_id=str(worked_on.pk))
    assert entry.action_flag == CHANGE
    assert "Retired instead of deleted (3 members)" in entry.change_message


def test_the_retired_page_shows_no_deleted_successfully(staff, worked_on):
    page = staff.post(delete_url(worked_on), {"post": "yes"}, follow=True)
    html = page.content.decode()
    assert html.count("Retired “Task 0 of phase 1”") == 1
    assert "deleted successfully" not in html
    assert re.search(r'<input[^>]*name="is_archived"[^>]*checked', html)  # its change page


def test_an_item_only_chosen_as_a_focus_is_retired_not_deleted(staff, old_plan):
    item = task(old_plan.transition, 2, 0)
    checkin(old_plan, LAST_WEEK, item)
    response = staff.post(delete_url(item), {"post": "yes"})
    assert messages_of(response) == [
        "Retired “Task 0 of phase 2”: 1 member has worked on it; their record is kept. "
        "Restore it by unticking Archived."
    ]
    assert RoadmapItem.objects.get(pk=item.pk).is_archived
    assert list(CheckIn.objects.get(plan=old_plan).focus_items.all()) == [item]


def test_an_untouched_item_is_really_deleted_with_djangos_message(staff, worked_on):
    item = task(worked_on.transition, 2, 1)
    response = staff.post(delete_url(item), {"post": "yes"})
    assert response["Location"] == reverse("admin:careers_roadmapitem_changelist")
    assert messages_of(response) == [
        "The roadmap item “Task 1 of phase 2” was deleted successfully."
    ]
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()
    assert LogEntry.objects.get(object_id=str(item.pk)).action_flag == DELETION


def test_bulk_delete_says_it_once(staff, worked_on):
    items = list(worked_on.transition.roadmap_items.filter(phase__order=1))  # 2 tasks, 1 resource
    response = staff.post(
        reverse("admin:careers_roadmapitem_changelist"),
        {"action": "delete_selected", "_selected_action": [i.pk for i in items], "post": "yes"},
        follow=True,
    )
    html = response.content.decode()
    assert messages_of(response) == [
        "Deleted 2 items. Retired “Task 0 of phase 1”: 3 members have worked on it; their "
        "records are kept. Restore it by unticking Archived."
    ]
    assert "Successfully deleted" not in html
    assert list(RoadmapItem.objects.filter(phase__order=1, transition=worked_on.transition)) == [
        worked_on
    ]
    assert LogEntry.objects.filter(action_flag=DELETION).count() == 2


def test_bulk_delete_of_untouched_items_deletes_them(staff, transition):
    items = list(transition.roadmap_items.filter(phase__order=2))
    response = staff.post(
        reverse("admin:careers_roadmapitem_changelist"),
        {"action": "delete_selected", "_selected_action": [i.pk for i in items], "post": "yes"},
    )
    assert messages_of(response) == ["Deleted 3 items."]
    assert not transition.roadmap_items.filter(phase__order=2).exists()


def test_bulk_delete_shows_the_confirmation_first(staff, worked_on):
    response = staff.post(
        reverse("admin:careers_roadmapitem_changelist"),
        {"action": "delete_selected", "_selected_action": [worked_on.pk]},
    )
    assert "will be retired (archived), not deleted: 3 members" in response.content.decode()
    assert not RoadmapItem.objects.get(pk=worked_on.pk).is_archived


# --- The member's plan --------------------------------------------------------------------


def retire(staff, item):
    staff.post(delete_url(item), {"post": "yes"})


def restore(staff, item):
    url = reverse("admin:careers_roadmapitem_change", args=[item.pk])
    data = change_form_data(staff.get(url))
    data.pop("is_archived", None)  # untick Archived
    response = staff.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not RoadmapItem.objects.get(pk=item.pk).is_archived


def test_the_plan_page_lists_the_retired_item_with_the_members_record(
    staff, client, member, old_plan, worked_on
):
    retire(staff, worked_on)
    client.force_login(member)
    html = client.get(old_plan.get_absolute_url()).content.decode()
    assert f'id="item-{worked_on.id}"' not in html  # off the roadmap
    assert "0 of 8 done" in html
    section = html[html.index('id="retired"') : html.index('id="weeks-heading"')]
    assert "Retired by the editors" in section
    assert "The editors took an item you worked on off this roadmap." in section
    assert "Task 0 of phase 1" in section
    assert 'Done <time datetime="2027-03-10">10 Mar 2027</time>' in section
    assert "Learned a lot" in section


def test_the_plan_page_has_no_retired_section_without_retired_records(member_client, old_plan):
    RoadmapItem.objects.filter(key="p2-task-1").update(is_archived=True)  # nobody's record
    html = member_client.get(old_plan.get_absolute_url()).content.decode()
    assert "Retired by the editors" not in html


def test_a_member_sees_only_their_own_retired_records(staff, client, worked_on):
    other = make_member()
    other_plan = make_plan(other, worked_on.transition)
    retire(staff, worked_on)
    client.force_login(other)
    html = client.get(other_plan.get_absolute_url()).content.decode()
    assert "Retired by the editors" not in html
    assert "Learned a lot" not in html


def test_items_of_a_retired_phase_are_listed_too(member_client, old_plan, worked_on):
    worked_on.phase.is_archived = True
    worked_on.phase.save(update_fields=["is_archived"])
    html = member_client.get(old_plan.get_absolute_url()).content.decode()
    assert html.count('class="retired-item"') == 1
    assert "0 of 6 done" in html


def test_restoring_the_item_brings_the_tick_and_counts_back(
    staff, client, member, old_plan, worked_on
):
    client.force_login(member)
    before = client.get(old_plan.get_absolute_url()).content.decode()
    assert "1 of 9 done" in before
    retire(staff, worked_on)
    restore(staff, worked_on)
    html = client.get(old_plan.get_absolute_url()).content.decode()
    assert "1 of 9 done" in html
    assert f'<li id="item-{worked_on.id}" class="item item-done' in html
    assert "Learned a lot" in html
    assert "Retired by the editors" not in html


# --- Check-ins ----------------------------------------------------------------------------


def test_a_closed_checkin_notes_its_retired_focus_item(staff, member_client, old_plan):
    kept, retired = task(old_plan.transition, 1, 1), task(old_plan.transition, 2, 0)
    checkin(old_plan, LAST_WEEK, kept, retired)
    retire(staff, retired)
    url = reverse("roadmaps:checkin_week", args=[old_plan.id, LAST_WEEK.isoformat()])
    html = member_client.get(url).content.decode()
    assert "<li>Task 1 of phase 1</li>" in html
    assert "<li>Task 0 of phase 2</li>" not in html
    assert (
        "1 focus item was retired by the editors: “Task 0 of phase 2”. It has left your plan; "
        "this check-in keeps it." in html
    )


def test_the_history_notes_retired_focus_items(staff, member_client, old_plan):
    a, b, kept = (task(old_plan.transition, 2, 0), task(old_plan.transition, 2, 1),
                  task(old_plan.transition, 1, 1))  # fmt: skip
    checkin(old_plan, LAST_WEEK, a, b, kept)
    checkin(old_plan, date(2027, 2, 22), kept)
    retire(staff, a)
    retire(staff, b)
    html = member_client.get(reverse("roadmaps:checkin_history", args=[old_plan.id])).content
    html = html.decode()
    assert (
        "2 focus items were retired by the editors: “Task 0 of phase 2”, “Task 1 of phase 2”. "
        "They have left your plan; this check-in keeps them." in html
    )
    assert html.count("retired by the editors") == 1
    assert html.count("<li>Task 1 of phase 1</li>") == 2


def test_this_weeks_form_leaves_out_the_retired_focus_item_but_keeps_it(
    staff, member_client, old_plan
):
    retired, other = task(old_plan.transition, 1, 1), task(old_plan.transition, 2, 0)
    checkin(old_plan, THIS_WEEK, retired)
    retire(staff, retired)
    url = reverse("roadmaps:checkin", args=[old_plan.id])
    html = member_client.get(url).content.decode()
    assert "1 focus item was retired by the editors: “Task 1 of phase 1”" in html
    assert f'name="focus_items" value="{retired.id}"' not in html
    member_client.post(
        url, {"hours": "4", "confidence": "3", "focus_items": [other.id]}
    )  # the member updates this week's check-in
    saved = CheckIn.objects.get(plan=old_plan, week=THIS_WEEK)
    assert sorted(i.pk for i in saved.focus_items.all()) == sorted([retired.pk, other.pk])
    restore(staff, retired)
    html = member_client.get(url).content.decode()
    assert "retired by the editors" not in html
    assert re.search(rf'name="focus_items" value="{retired.id}"[^>]*checked', html)


# --- Query budgets ------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_retired_records_cost_no_extra_queries(member_client, old_plan, transition):
    items = list(transition.roadmap_items.filter(kind="task"))
    for item in items:
        old_plan.set_item_state(item, "done", now=timezone.now())
    for week in (date(2027, 2, 8), date(2027, 2, 15), LAST_WEEK):
        checkin(old_plan, week, *items)
    plan_url = old_plan.get_absolute_url()
    history_url = reverse("roadmaps:checkin_history", args=[old_plan.id])
    member_client.get(plan_url)  # the roadmap is loaded once per catalog version: warm it
    before = queries(member_client, plan_url), queries(member_client, history_url)
    RoadmapItem.objects.filter(pk__in=[i.pk for i in items]).update(is_archived=True)
    catalog_changed()  # update() sends no signal; the app's retiring paths say so themselves
    member_client.get(plan_url)
    html = member_client.get(plan_url).content.decode()
    assert html.count('class="retired-item"') == 4
    after = queries(member_client, plan_url), queries(member_client, history_url)
    assert after == before
