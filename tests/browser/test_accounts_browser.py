"""A new member signs up in Chromium, follows the verification link and sets preferences."""

import re

import pytest
from django.core import mail
from django.test import Client
from playwright.sync_api import Page, expect

from accounts.models import User
from tests.factories import make_member

PASSWORD = "a-fine-long-password-42"


def csp_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            and "Content Security Policy" in msg.text
            and errors.append(msg.text)
        ),
    )
    return errors


@pytest.mark.django_db(transaction=True)
def test_a_new_member_signs_up_verifies_and_sets_preferences(page: Page, live_server, settings):
    settings.SITE_URL = live_server.url  # mail links are built on SITE_URL
    errors = csp_errors(page)
    mail.outbox.clear()

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create your Waypoint account")
    page.get_by_label("Email").fill("pat@example.com")
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert [m.to for m in mail.outbox] == [["pat@example.com"]]
    link = re.search(r"http\S+", mail.outbox[0].body).group(0)

    page.goto(link)
    expect(page.get_by_text("Confirm that pat@example.com is your email address.")).to_be_visible()
    page.get_by_role("button", name="Confirm my address").click()
    page.wait_for_url(re.compile(r"/dashboard/"))

    page.goto(live_server.url + "/")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.get_by_text("Please confirm your email address")).to_have_count(0)
    nav.get_by_role("link", name="Preferences").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Preferences")
    page.get_by_label("Display name").fill("Pat")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_label("Check-in day").select_option(label="Friday")
    page.get_by_label("Email me a reminder when a check-in is due").uncheck()
    page.get_by_role("button", name="Save preferences").click()

    expect(page.get_by_text("Your preferences are saved.")).to_be_visible()
    expect(nav).to_contain_text("Pat")
    expect(page.get_by_label("Time zone")).to_have_value("Europe/London")
    user = User.objects.get(email="pat@example.com")
    assert (user.display_name, user.timezone, user.checkin_weekday, user.reminders_enabled) == (
        "Pat",
        "Europe/London",
        4,
        False,
    )
    assert user.has_verified_email

    # A bad time zone sent anyway (a tampered form) gets a message on the page, not a 500.
    page.get_by_label("Display name").fill("x" * 80)
    page.evaluate("document.querySelector('#id_timezone option:checked').value = 'Mars/Base'")
    page.get_by_role("button", name="Save preferences").click()
    expect(page.locator("#id_timezone_error")).to_contain_text(
        "“Mars/Base” is not a time zone we know."
    )
    assert User.objects.get(pk=user.pk).display_name == "Pat"

    # Signing out is a POST from the header.
    nav.get_by_role("button", name="Sign out").click()
    expect(nav.get_by_role("link", name="Sign in")).to_be_visible()
    assert not errors, errors


def assert_fits(page: Page, url: str) -> None:
    page.goto(url)
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, (url, overflow)


@pytest.mark.django_db(transaction=True)
def test_account_pages_fit_a_phone_screen(page: Page, live_server):
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ["/accounts/signup/", "/accounts/login/", "/accounts/password/reset/"]:
        assert_fits(page, live_server.url + path)

    client = Client()
    client.force_login(make_member(email="a-rather-long-address@example.com", verified=False))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    for path in ["/accounts/preferences/", "/accounts/email/", "/accounts/delete/"]:
        assert_fits(page, live_server.url + path)
    expect(page.get_by_text("Please confirm your email address")).to_be_visible()
