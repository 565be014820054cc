"""A member checks in for the week and sees the streak and the charts change."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from careers.models import Transition
from tests.factories import make_plan


@pytest.mark.django_db(transaction=True)
def test_checking_in_updates_streak_and_charts(page: Page, live_catalog, signed_in):
    # The browser runs on the real clock, so nothing here may hang on the day: a Monday
    # check-in day makes the check-in due on every day of the week.
    signed_in.checkin_weekday = 0
    signed_in.save(update_fields=["checkin_weekday"])
    transition = Transition.objects.get(slug="software-engineer-to-ai-interpretability-researcher")
    plan = make_plan(
        signed_in, transition, start_date=timezone.localdate() - timezone.timedelta(days=14)
    )
    page.goto(live_catalog.url + plan.get_absolute_url())
    expect(page.locator(".streak").first).to_have_text("0 weeks")
    expect(page.get_by_text("Your weekly check-in is due")).to_be_visible()

    page.locator(".due-banner").get_by_role("link", name="Check in now").click()
    page.get_by_label("Hours spent this week").fill("7.5")
    page.get_by_label("4 — confident").check()
    page.get_by_label("Wins").fill("Finished the first Coursera course")
    page.get_by_label("Blockers").fill("Linear algebra is rusty")
    page.get_by_label("Next week's focus").fill("Backpropagation by hand")
    page.get_by_role("button", name="Save check-in").click()

    expect(page.get_by_text("Check-in saved for the week of")).to_be_visible()
    expect(page.locator(".streak").first).to_have_text("1 week")
    expect(page.get_by_text("Your weekly check-in is due")).to_have_count(0)
    page.get_by_role("link", name="Hours per week, from your check-ins").click()
    expect(page.locator(".chart-bar:visible")).to_have_count(1)  # one drawing of two is shown
    expect(page.get_by_text("7.5 hours over 1 check-in")).to_be_visible()
    page.go_back()

    # Bad input keeps what was typed and explains.
    page.get_by_role("link", name="Edit this week's check-in").click()
    page.get_by_label("Hours spent this week").fill("200")
    page.get_by_role("button", name="Update check-in").click()
    expect(page.locator("#id_hours_error")).to_contain_text("at most 168 hours")
    expect(page.get_by_label("Wins")).to_have_value("Finished the first Coursera course")
