"""The error summary on the account forms, allauth's included (issue 14)."""

import re

import pytest
from django.urls import reverse

from tests.accounts.conftest import signup_data

pytestmark = pytest.mark.django_db


def summary(html: str) -> str:
    match = re.search(r'<div class="error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_a_failed_sign_up_links_each_error_to_its_field(client):
    response = client.post(reverse("account_signup"), signup_data(email="not an email"))
    html = response.content.decode()
    box = summary(html)
    assert 'tabindex="-1"' in box and "autofocus" in box and 'role="alert"' in box
    assert re.search(r'<a href="#id_email">Email[^<]*valid email', box)
    email = re.search(r'<input[^>]*id="id_email"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in email and "id_email_error" in email
    assert html.count('class="error-summary"') == 1


def test_a_failed_sign_in_summarises_the_form_error(client, member):
    data = {"login": member.email, "password": "wrong-password-1"}
    html = client.post(reverse("account_login"), data).content.decode()
    assert "not correct" in summary(html)


def test_failed_preferences_link_to_the_field(member_client):
    data = {"display_name": "A", "timezone": "Mars/Olympus_Mons", "checkin_weekday": "4"}
    html = member_client.post(reverse("accounts:preferences"), data).content.decode()
    box = summary(html)
    assert '<a href="#id_timezone">' in box and "nothing has been saved yet" in box


def test_a_failed_delete_links_to_the_password(member_client):
    html = member_client.post(reverse("accounts:delete"), {"password": "nope"}).content.decode()
    assert '<a href="#id_password">' in summary(html)


def test_the_sign_up_page_has_no_summary_before_a_submit(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert "error-summary" not in html and "autofocus" not in html
