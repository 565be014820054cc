"""A tick can say the day the work was done: today by default, back to the plan's start."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from roadmaps.checkins import ticked_in_week, weekly
from roadmaps.models import ItemProgress, Plan
from roadmaps.progress import build_plan_view, with_content
from tests.factories import make_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]

TODAY = date(2027, 3, 10)  # Wednesday
MONDAY = date(2027, 3, 8)


@pytest.fixture
def old_plan(member, transition):
    return make_plan(member, transition, start_date=date(2027, 2, 1))


def state_url(plan, item):
    return reverse("roadmaps:item_state", args=[plan.id, item.id])


def first(plan, kind="task"):
    return plan.transition.roadmap_items.filter(kind=kind).order_by("id").first()


def loaded(plan):
    return with_content(Plan.objects.filter(pk=plan.pk)).get()


def test_a_tick_without_a_day_is_today_where_the_member_is(member_client, member, old_plan):
    member.timezone = "Pacific/Kiritimati"  # UTC+14: already Thursday 11 March there
    member.save()
    member_client.post(state_url(old_plan, first(old_plan)), {"state": "done", "done_on": ""})
    assert ItemProgress.objects.get().done_on == date(2027, 3, 11)


def test_a_tick_can_be_dated_three_days_ago(member_client, old_plan, frozen):
    task = first(old_plan)
    response = member_client.post(
        state_url(old_plan, task), {"state": "done", "done_on": "2027-03-07"}
    )
    assert response.status_code == 302
    progress = ItemProgress.objects.get()
    assert (progress.state, progress.done_on, progress.done_at) == (
        "done",
        date(2027, 3, 7),
        frozen,
    )


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2027-03-11", "That day is still to come. Choose today (10 March) or an earlier day."),
        ("2027-01-31", "Your plan started on 1 February 2027; choose that day or a later one."),
        ("last tuesday", "Enter the day you did it as a date, e.g. 2027-03-08."),
    ],
)
def test_a_bad_day_is_explained_and_nothing_is_saved(member_client, old_plan, day, message):
    task = first(old_plan)
    response = member_client.post(state_url(old_plan, task), {"state": "done", "done_on": day})
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert f'id="item-{task.id}-done-on-error">{message}' in html.replace("&#x27;", "'")
    assert not ItemProgress.objects.exists()


def test_with_htmx_a_bad_day_re_renders_the_row_with_the_error(member_client, old_plan):
    task = first(old_plan)
    response = member_client.post(
        state_url(old_plan, task),
        {"state": "done", "done_on": "2027-03-12"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith(f'<li id="item-{task.id}" class="item item-open')
    assert '<fieldset class="done-on">' in html
    assert 'value="2027-03-12" aria-invalid="true"' in html
    assert '<div class="item-live" aria-live="polite"><p class="errorlist"' in html
    assert "That day is still to come" in html
    assert not ItemProgress.objects.exists()


def test_the_day_field_is_ignored_for_other_states(member_client, old_plan):
    task = first(old_plan)
    member_client.post(state_url(old_plan, task), {"state": "known", "done_on": "2099-01-01"})
    assert ItemProgress.objects.get().state == "known"


def test_the_day_of_a_done_item_can_be_changed_and_a_plain_repeat_keeps_it(member_client, old_plan):
    task = first(old_plan)
    member_client.post(state_url(old_plan, task), {"state": "done", "done_on": "2027-03-02"})
    member_client.post(state_url(old_plan, task), {"state": "done"})  # a double click
    assert ItemProgress.objects.get().done_on == date(2027, 3, 2)
    member_client.post(state_url(old_plan, task), {"state": "done", "done_on": "2027-03-09"})
    assert ItemProgress.objects.get().done_on == date(2027, 3, 9)


def test_reopening_clears_the_day(member_client, old_plan):
    task = first(old_plan)
    member_client.post(state_url(old_plan, task), {"state": "done", "done_on": "2027-03-02"})
    member_client.post(state_url(old_plan, task), {"state": "open"})
    assert ItemProgress.objects.get().done_on is None


def test_a_plan_starting_later_takes_ticks_from_today(member_client, member, transition):
    plan = make_plan(member, transition, start_date=date(2027, 4, 1))
    task = first(plan)
    response = member_client.post(state_url(plan, task), {"state": "done", "done_on": "2027-03-09"})
    assert "Your plan started on 10 March 2027" in response.content.decode()
    member_client.post(state_url(plan, task), {"state": "done"})
    assert ItemProgress.objects.get().done_on == TODAY


def test_the_row_links_to_the_day_which_its_edit_mode_and_the_item_page_offer(
    member_client, old_plan
):
    task = first(old_plan)
    page = member_client.get(old_plan.get_absolute_url()).content.decode()
    link = f'<a class="small" id="item-{task.id}-note" href="/plans/{old_plan.id}/items/{task.id}/note/"'
    assert link in page and "Add note or done on another day</a>" in page
    assert f'id="item-{task.id}-done-on"' not in page  # the row stays light
    edit = member_client.get(f"/plans/{old_plan.id}/items/{task.id}/note/", HTTP_HX_REQUEST="true")
    item_page = member_client.get(f"/plans/{old_plan.id}/items/{task.id}/note/")
    for html in (edit.content.decode(), item_page.content.decode()):
        assert f'<label for="item-{task.id}-done-on">Done on</label>' in html
        assert f'<form method="post" action="/plans/{old_plan.id}/items/{task.id}/state/"' in html
    html = edit.content.decode()
    assert (
        f'<input type="date" name="done_on" id="item-{task.id}-done-on" max="2027-03-10" min="2027-02-01"'
        in html
    )


def test_the_checkin_lists_ticks_by_the_day_they_were_done(member_client, old_plan):
    task, other = first(old_plan), first(old_plan, "resource")
    # Done last Sunday, ticked today: it belongs to last week's check-in, not this one.
    member_client.post(state_url(old_plan, task), {"state": "done", "done_on": "2027-03-07"})
    member_client.post(state_url(old_plan, other), {"state": "done"})
    plan = loaded(old_plan)
    assert [p.item for p in ticked_in_week(plan, MONDAY - timedelta(weeks=1))] == [task]
    assert [p.item for p in ticked_in_week(plan, MONDAY)] == [other]
    page = member_client.get(reverse("roadmaps:checkin_week", args=[plan.id, "2027-03-01"]))
    assert task.title in page.content.decode() and "Sun 7 Mar" in page.content.decode()


def test_the_streak_and_burn_up_use_the_day_done(member, old_plan):
    task = first(old_plan)
    # Ticked today, but done two weeks ago: those weeks count for the streak and the chart.
    old_plan.set_item_state(
        task, "done", now=datetime(2027, 3, 10, 9, tzinfo=UTC), done_on=date(2027, 2, 24)
    )
    plan = loaded(old_plan)
    week = weekly(build_plan_view(plan, TODAY), member, TODAY)
    rows = {r.week: r.actual for r in week.burn_up.rows}
    assert rows[date(2027, 2, 22)] == 11  # 1 of 9
    assert rows[date(2027, 2, 15)] == 0
    assert week.streak == 0  # the week of 22 Feb is two weeks back: nothing since


def test_known_items_count_in_the_burn_up_from_the_start(member, old_plan):
    old_plan.set_item_state(first(old_plan), "known", now=datetime(2027, 3, 10, 9, tzinfo=UTC))
    plan = loaded(old_plan)
    week = weekly(build_plan_view(plan, TODAY), member, TODAY)
    assert week.burn_up.rows[0].actual == 11
    assert week.streak == 0  # knowing something is not a week's activity


# --- the migration keeps existing ticks' days ----------------------------------------------

BEFORE = [("roadmaps", "0005_checkin_focus_items_related_name")]
AFTER = [("roadmaps", "0006_known_and_done_on")]


def migrate(targets):
    """Migrate roadmaps to `targets`; every app's models at that point (the others at their
    latest)."""
    MigrationExecutor(connection).migrate(targets)
    loader = MigrationExecutor(connection).loader
    others = [node for node in loader.graph.leaf_nodes() if node[0] != "roadmaps"]
    return loader.project_state([*targets, *others]).apps


@pytest.fixture
def before_done_on(transactional_db):
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_the_migration_gives_existing_ticks_their_day_in_the_members_zone(before_done_on):
    apps = before_done_on
    Role = apps.get_model("careers", "Role")
    Transition = apps.get_model("careers", "Transition")
    Phase = apps.get_model("careers", "Phase")
    Item = apps.get_model("careers", "RoadmapItem")
    User = apps.get_model("accounts", "User")
    OldPlan = apps.get_model("roadmaps", "Plan")
    Progress = apps.get_model("roadmaps", "ItemProgress")
    background = Role.objects.create(slug="swe", name="SWE", kind="background")
    ai = Role.objects.create(slug="mle", name="MLE", kind="ai_role")
    transition = Transition.objects.create(
        slug="t",
        title="T",
        from_role=background,
        to_role=ai,
        status="published",
        difficulty="moderate",
        timeline_min_months=9,
        timeline_max_months=15,
    )
    phase = Phase.objects.create(transition=transition, order=1, title="P", weeks=4)
    items = [
        Item.objects.create(
            transition=transition, phase=phase, kind="task", key=f"k{n}", title=f"I{n}"
        )
        for n in range(3)
    ]
    late_sunday = datetime(2027, 3, 7, 20, 0, tzinfo=UTC)  # Monday 8 March in Auckland
    ids = {}
    for email, zone in [("nz@example.com", "Pacific/Auckland"), ("x@example.com", "Not/AZone")]:
        user = User.objects.create(email=email, timezone=zone)
        plan = OldPlan.objects.create(
            user=user, transition=transition, start_date=date(2027, 2, 1), pace_months=12
        )
        ids[zone] = Progress.objects.create(
            plan=plan, item=items[0], state="done", done_at=late_sunday
        ).pk
        Progress.objects.create(plan=plan, item=items[1], state="skipped")
        Progress.objects.create(plan=plan, item=items[2], state="open", note="kept")
    apps = migrate(AFTER)
    Progress = apps.get_model("roadmaps", "ItemProgress")
    assert Progress.objects.get(pk=ids["Pacific/Auckland"]).done_on == date(2027, 3, 8)
    assert Progress.objects.get(pk=ids["Not/AZone"]).done_on == date(2027, 3, 7)  # UTC
    assert Progress.objects.get(pk=ids["Pacific/Auckland"]).done_at == late_sunday
    assert not Progress.objects.exclude(state="done").filter(done_on__isnull=False).exists()
    assert Progress.objects.filter(note="kept").count() == 2
