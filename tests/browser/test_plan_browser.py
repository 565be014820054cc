"""A member starts the seed 000 transition and ticks items, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import Page, expect

from roadmaps.models import ItemProgress, Plan
from tests.browser.conftest import htmx_settled

SEED = "/transitions/software-engineer-to-ai-interpretability-researcher/"


def start_plan(page: Page, base: str) -> None:
    page.goto(base + SEED)
    page.get_by_role("link", name="Start this transition").click()
    expect(page.get_by_label("Pace")).to_have_value("12")
    page.get_by_role("button", name="Start my plan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your plan")


@pytest.mark.django_db(transaction=True)
def test_ticking_updates_bars_and_badge_without_a_reload(page: Page, live_catalog, signed_in):
    base = live_catalog.url
    start_plan(page, base)
    expect(page.locator("#plan-progress .progress-count")).to_have_text("0 of 40 done (0%)")
    expect(page.locator("#on-track-badge")).to_have_text("On track")
    page.evaluate("window.__notReloaded = true")

    phase1 = page.locator(".group").first
    tasks = phase1.locator("li.item")
    for n in range(3):
        row = tasks.nth(n)
        row.locator("button.tick").click()
        expect(row.locator("button.tick")).to_have_class(re.compile(r"tick-on"))
        expect(page.locator("#plan-progress .progress-count")).to_have_text(
            f"{n + 1} of 40 done ({round(100 * (n + 1) / 40)}%)"
        )
    expect(phase1.locator(".group-progress .progress-count")).to_have_text("3 of 7 done")
    expect(page.locator("#on-track-badge")).to_have_text("3 items ahead")
    assert page.evaluate("window.__notReloaded") is True  # same document: no page load
    # Focus stays on the button that was pressed, so keyboard users keep their place.
    assert page.evaluate("document.activeElement.id").endswith("-tick")

    page.reload()
    expect(page.locator("#plan-progress .progress-count")).to_have_text("3 of 40 done (8%)")
    expect(page.locator("li.item-done")).to_have_count(3)
    assert page.evaluate("window.__notReloaded") is None
    plan = Plan.objects.get(user=signed_in)
    assert ItemProgress.objects.filter(plan=plan, state="done").count() == 3

    # Undo one: the request says "open", and the bars go back.
    page.locator("li.item-done").first.locator("button.tick").click()
    expect(page.locator("#plan-progress .progress-count")).to_have_text("2 of 40 done (5%)")

    # The dashboard lists the plan.
    page.goto(base + "/dashboard/")
    expect(
        page.get_by_role("link", name=re.compile("AI Interpretability Researcher")).first
    ).to_be_visible()
    expect(page.get_by_text("2 of 40 done (5%)")).to_be_visible()


@pytest.fixture
def browser_context_args(browser_context_args, request):
    if request.node.get_closest_marker("no_javascript"):
        return {**browser_context_args, "java_script_enabled": False}
    return browser_context_args


@pytest.mark.no_javascript
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_plain_forms_work(page: Page, live_catalog, signed_in):
    base = live_catalog.url
    start_plan(page, base)
    rows = page.locator(".group").first.locator("li.item")
    for n in range(3):
        rows.nth(n).locator("button.tick").click()  # a plain POST, then a redirect back
        expect(page.locator("#plan-progress .progress-count")).to_have_text(
            f"{n + 1} of 40 done ({round(100 * (n + 1) / 40)}%)"
        )
    expect(page.locator("#on-track-badge")).to_have_text("3 items ahead")
    page.reload()
    expect(page.locator("li.item-done")).to_have_count(3)

    # Notes work without JavaScript too: the link opens a page with the form.
    rows.nth(0).get_by_role("link", name=re.compile("Add note")).click()
    expect(page.get_by_label("Note")).to_be_focused()
    htmx_settled(page)
    page.get_by_label("Note").fill("Finished week one")
    page.get_by_label("Evidence link").fill("https://github.com/me/interp")
    page.get_by_role("button", name="Save note").click()
    expect(page.locator(".item-note").first).to_contain_text("Finished week one")


@pytest.mark.django_db(transaction=True)
def test_member_pages_fit_a_phone_screen(page: Page, live_catalog, signed_in):
    from django.utils import timezone

    from careers.models import Transition
    from tests.factories import make_plan

    transition = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    plan = make_plan(signed_in, transition, start_date=timezone.localdate())
    page.set_viewport_size({"width": 375, "height": 800})
    for path in (
        plan.get_absolute_url(),
        "/dashboard/",
        f"/plans/{plan.pk}/checkins/",
        f"/plans/{plan.pk}/checkins/history/",
        f"/plans/{plan.pk}/settings/",
        "/accounts/preferences/",
    ):
        page.goto(live_catalog.url + path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, (path, overflow)
