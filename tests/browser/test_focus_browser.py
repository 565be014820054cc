"""Where focus goes in Chromium: the note form's swaps, and the error summary after a failed
submit (issue 14). htmx focuses `autofocus` in swapped content; browsers do on page load."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from careers.models import Transition
from tests.browser.conftest import htmx_settled
from tests.factories import make_plan

SEED = "software-engineer-to-ai-interpretability-researcher"


@pytest.fixture
def browser_context_args(browser_context_args, request):
    if request.node.get_closest_marker("no_javascript"):
        return {**browser_context_args, "java_script_enabled": False}
    return browser_context_args


def open_plan(page: Page, live_catalog, member):
    transition = Transition.objects.get(slug=SEED)
    plan = make_plan(member, transition, start_date=timezone.localdate())
    page.goto(live_catalog.url + plan.get_absolute_url())
    return plan


@pytest.mark.django_db(transaction=True)
def test_add_note_focuses_the_note_box_and_cancel_returns_to_the_link(
    page: Page, live_catalog, signed_in
):
    open_plan(page, live_catalog, signed_in)
    row_id = page.locator("li.item").first.get_attribute("id")
    row = page.locator(f"#{row_id}")
    row.get_by_role("link", name=re.compile("Add note")).click()
    expect(row.locator("textarea")).to_be_focused()

    row.get_by_role("link", name="Cancel").click()
    expect(row.locator("textarea")).to_have_count(0)
    expect(row.get_by_role("link", name=re.compile("Add note"))).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_saving_a_note_focuses_the_note_link_and_announces_it(page: Page, live_catalog, signed_in):
    open_plan(page, live_catalog, signed_in)
    row = page.locator("#" + page.locator("li.item").first.get_attribute("id"))
    row.get_by_role("link", name=re.compile("Add note")).click()
    row.locator("textarea").fill("Finished week one")
    row.get_by_role("button", name="Save note").click()
    expect(row.get_by_role("link", name=re.compile("Edit note"))).to_be_focused()
    expect(page.locator("#plan-alert")).to_have_text("Note saved.")


@pytest.mark.django_db(transaction=True)
def test_a_bad_note_focuses_the_summary_whose_link_focuses_the_field(
    page: Page, live_catalog, signed_in
):
    open_plan(page, live_catalog, signed_in)
    row = page.locator("#" + page.locator("li.item").first.get_attribute("id"))
    row.get_by_role("link", name=re.compile("Add note")).click()
    expect(row.locator("textarea")).to_be_focused()
    htmx_settled(page)  # typing while htmx settles can land in the note it focuses
    row.get_by_label("Evidence link").fill("ftp://example.com/x")
    expect(row.locator("textarea")).to_have_value("")
    row.get_by_role("button", name="Save note").click()
    summary = row.locator(".error-summary")
    expect(summary).to_be_focused()
    summary.get_by_role("link", name=re.compile("Evidence link")).click()
    expect(row.get_by_label("Evidence link")).to_be_focused()


@pytest.mark.django_db(transaction=True)
def test_a_failed_check_in_focuses_the_summary_whose_link_focuses_the_field(
    page: Page, live_catalog, signed_in
):
    plan = open_plan(page, live_catalog, signed_in)
    page.goto(live_catalog.url + reverse("roadmaps:checkin", args=[plan.id]))
    page.get_by_label("Hours spent this week").fill("200")
    page.get_by_label("Wins").fill("Kept when the form comes back")
    page.get_by_role("button", name="Save check-in").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There are 2 problems")
    summary.get_by_role("link", name=re.compile("Hours spent this week")).click()
    expect(page.get_by_label("Hours spent this week")).to_be_focused()
    summary.get_by_role("link", name=re.compile("confident")).click()
    expect(page.locator("#id_confidence_0")).to_be_focused()
    expect(page.get_by_label("Wins")).to_have_value("Kept when the form comes back")


@pytest.mark.django_db(transaction=True)
def test_a_failed_sign_up_focuses_the_summary_whose_link_focuses_the_field(page: Page, live_server):
    # The browser checks the email itself (type="email", required); the server's own check
    # here is the second password.
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("pat@example.com")
    page.get_by_label("Password:", exact=True).fill("a-fine-long-password-42")
    page.get_by_label("Password (again)").fill("another-long-password-43")
    page.get_by_role("button", name="Sign up").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("alert")).to_contain_text("There is a problem")
    summary.get_by_role("link", name=re.compile("Password")).click()
    expect(page.get_by_label("Password (again)")).to_be_focused()
    expect(page.get_by_label("Password (again)")).to_have_attribute("aria-invalid", "true")


@pytest.mark.no_javascript
@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_summary_still_takes_focus(page: Page, live_server):
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill("pat@example.com")
    page.get_by_label("Password:", exact=True).fill("a-fine-long-password-42")
    page.get_by_label("Password (again)").fill("another-long-password-43")
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator(".error-summary")).to_be_focused()
