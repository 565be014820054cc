"""Staff edit roadmaps without ever destroying a member's progress."""

import pytest
from django.urls import reverse
from django.utils import timezone

from careers.models import RoadmapItem
from roadmaps.models import ItemProgress

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def ticked(plan):
    task = plan.transition.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now())
    ItemProgress.objects.filter(item=task).update(note="my note")
    return task


def test_deleting_an_item_with_progress_in_the_admin_archives_it(admin_client, plan, ticked):
    url = reverse("admin:careers_roadmapitem_delete", args=[ticked.pk])
    page = admin_client.get(url).content.decode()
    assert "will be retired (archived), not deleted: 1 member has worked on it" in page
    response = admin_client.post(url, {"post": "yes"}, follow=True)
    assert response.status_code == 200
    assert "Retired “Task 0 of phase 1”: 1 member has worked on it" in response.content.decode()
    ticked.refresh_from_db()
    assert ticked.is_archived
    assert ItemProgress.objects.get(item=ticked).note == "my note"


def test_deleting_an_item_without_progress_deletes_it(admin_client, plan):
    item = plan.transition.roadmap_items.filter(kind="resource").first()
    admin_client.post(reverse("admin:careers_roadmapitem_delete", args=[item.pk]), {"post": "yes"})
    assert not RoadmapItem.objects.filter(pk=item.pk).exists()


def test_bulk_delete_archives_items_with_progress(admin_client, plan, ticked):
    items = list(plan.transition.roadmap_items.filter(kind="task"))
    response = admin_client.post(
        reverse("admin:careers_roadmapitem_changelist"),
        {"action": "delete_selected", "_selected_action": [i.pk for i in items], "post": "yes"},
        follow=True,
    )
    assert "Deleted 3 items. Retired “Task 0 of phase 1”: 1 member" in response.content.decode()
    assert RoadmapItem.objects.filter(pk=ticked.pk, is_archived=True).exists()
    assert RoadmapItem.objects.filter(kind="task", transition=plan.transition).count() == 1


def test_archived_items_leave_the_plan_but_the_record_stays(member_client, plan, ticked):
    RoadmapItem.objects.filter(pk=ticked.pk).update(is_archived=True)
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert f'id="item-{ticked.id}"' not in html
    assert "0 of 8 done" in html
    assert ItemProgress.objects.filter(item=ticked, state="done").exists()


def test_new_items_appear_on_plans_as_open(member_client, plan):
    phase = plan.transition.phases.first()
    new = RoadmapItem.objects.create(
        transition=plan.transition,
        phase=phase,
        kind="task",
        key="brand-new",
        title="Brand new task",
    )
    html = member_client.get(plan.get_absolute_url()).content.decode()
    assert f'<li id="item-{new.id}" class="item item-open' in html
    assert "0 of 10 done" in html


def test_reloading_the_catalog_keeps_member_progress(member_client, member, catalog):
    from careers.catalog.loader import load_catalog
    from careers.models import Transition
    from tests.factories import make_plan

    t = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    plan = make_plan(member, t)
    task = t.roadmap_items.filter(kind="task").first()
    plan.set_item_state(task, "done", now=timezone.now())
    report = load_catalog()
    assert report.changed == 0
    assert ItemProgress.objects.get(plan=plan, item=task).state == "done"


def test_deleting_a_row_in_the_phase_inline_archives_it_when_members_have_progress(
    admin_client, plan, ticked
):
    from tests.admin_forms import change_form_data

    url = reverse("admin:careers_phase_change", args=[ticked.phase_id])
    page = admin_client.get(url)
    data = change_form_data(page)
    inline = next(
        f.formset
        for f in page.context["inline_admin_formsets"]
        if f.formset.model.__name__ == "PhaseItem"
    )
    for i in range(len(inline.forms)):
        data[f"{inline.prefix}-{i}-DELETE"] = "on"  # delete every row of the phase
    response = admin_client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Retired “Task 0 of phase 1”: 1 member has worked on it" in response.content.decode()
    assert RoadmapItem.objects.get(pk=ticked.pk).is_archived
    assert RoadmapItem.objects.filter(phase_id=ticked.phase_id).count() == 1  # only the ticked one
