"""A member starts a plan from the path finder's answers and dates a tick in the past."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from careers.models import Skill
from roadmaps.models import Plan
from roadmaps.weeks import week_start
from tests.browser.conftest import htmx_settled
from tests.factories import make_transition


@pytest.mark.django_db(transaction=True)
def test_a_tailored_start_and_a_tick_dated_three_days_ago(page: Page, live_server, signed_in):
    # The browser runs on the real clock: every date here comes from today.
    today = timezone.localdate()
    transition = make_transition()
    items = {i.key: i for i in transition.roadmap_items.all()}
    for key, slug in [("p1-task-0", "python"), ("p1-task-1", "sql")]:
        skill, _ = Skill.objects.get_or_create(
            slug=slug, defaults={"name": slug.title(), "area": "data", "typical_weeks": 4}
        )
        items[key].skills.set([skill])

    start = f"{live_server.url}/transitions/{transition.slug}/start/"
    page.goto(start + "?skills=python&skills=sql&hours=8&months=12")
    preview = page.locator("#start-preview")
    expect(page.get_by_label("Python")).to_be_checked()
    expect(page.get_by_label("Hours per week (optional)")).to_have_value("8")
    expect(preview).to_contain_text("2 items will start as “Already know”")
    expect(preview).to_contain_text("Without the skills you have it would end on")
    with_skills = preview.locator("#preview-end").get_attribute("datetime")

    page.get_by_label("Python").uncheck()  # htmx asks for the preview again
    expect(preview).to_contain_text("1 item will start as “Already know”")
    page.get_by_label("Python").check()
    expect(preview).to_contain_text("2 items will start as “Already know”")
    page.get_by_label("Start date").fill((today - timedelta(days=7)).isoformat())
    expect(preview.locator("#preview-end")).not_to_have_attribute("datetime", with_skills)
    assert preview.locator("#preview-end").get_attribute("datetime") < with_skills  # a week earlier

    page.get_by_role("button", name="Start my plan").click()
    expect(page.get_by_text("2 items marked “Already know”")).to_be_visible()
    expect(page.locator(".state-known")).to_have_count(2)
    plan = Plan.objects.get(user=signed_in)

    task = items["p2-task-0"]
    row = page.locator(f"#item-{task.id}")
    three_days_ago = today - timedelta(days=3)
    row.get_by_text("Done on another day").click()
    htmx_settled(page)  # the row's edit mode focuses its note as htmx settles
    # A day to come: the browser holds the form (max is today); the server says so too.
    expect(row.get_by_label("Done on")).to_have_attribute("max", today.isoformat())
    row.get_by_label("Done on").fill(three_days_ago.isoformat())
    row.get_by_role("button", name="Mark done on that day").click()
    expect(page.locator(f"#item-{task.id}.item-done")).to_be_visible()
    expect(page.locator("#plan-progress")).to_contain_text("3 of 9 done")

    page.goto(f"{live_server.url}/plans/{plan.id}/checkins/{week_start(three_days_ago)}/")
    expect(page.get_by_text(task.title)).to_be_visible()
