"""Password reset by email, and changing the password while signed in."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import PASSWORD, last_link, page_text
from tests.factories import make_member

pytestmark = pytest.mark.django_db

RESET = reverse("account_reset_password")
NEW_PASSWORD = "a-brand-new-passphrase-7"


def request_reset(client, email="ada@example.com"):
    return client.post(RESET, {"email": email})


def choose_password(client, link, password=NEW_PASSWORD, password2=None):
    page = client.get(link)  # the key moves from the URL into the session, then redirects
    url = page["Location"] if page.status_code == 302 else link
    return client.post(url, {"password1": password, "password2": password2 or password})


def test_reset_end_to_end(client, member):
    response = request_reset(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert "Check your inbox" in page_text(client.get(response["Location"]))
    assert mail.outbox[-1].to == ["ada@example.com"]

    response = choose_password(client, last_link())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert not member.check_password(PASSWORD)
    response = client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_reset_answers_the_same_for_an_unknown_email(client, member):
    known = request_reset(client)
    known_page = page_text(client.get(known["Location"]))
    unknown = request_reset(client, email="nobody@example.com")
    unknown_page = page_text(client.get(unknown["Location"]))

    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert known_page == unknown_page
    # The unknown address is told there is no account, by email only.
    assert [m.to for m in mail.outbox] == [["ada@example.com"], ["nobody@example.com"]]
    assert "reset" in mail.outbox[0].body
    assert "do not have any record" in mail.outbox[1].body


def test_a_malformed_email_gets_a_clear_message(client):
    response = request_reset(client, email="not-an-email")
    assert response.status_code == 200
    assert "Enter a valid email address." in page_text(response)
    assert mail.outbox == []


def test_a_reset_link_works_once(client, member):
    link = last_link_after_reset(client)
    choose_password(client, link)

    other = type(client)()
    response = other.get(link, follow=True)

    assert "This password reset link has expired or has already been used." in page_text(response)
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_a_mangled_reset_link_says_so(client, member):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "nope"}),
        follow=True,
    )
    assert response.status_code == 200
    assert "has expired or has already been used" in page_text(response)


def test_a_weak_or_mismatched_new_password_gets_a_clear_message(client, member):
    link = last_link_after_reset(client)

    response = choose_password(client, link, password="short")
    assert "This password is too short." in page_text(response)
    response = client.post(
        response.wsgi_request.path,
        {"password1": NEW_PASSWORD, "password2": "something-else-9"},
    )
    assert "You must type the same password each time." in page_text(response)

    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_reset_lifts_the_failed_sign_in_limit(client, member):
    for _ in range(6):
        client.post(reverse("account_login"), {"login": "ada@example.com", "password": "nope-1"})

    choose_password(client, last_link_after_reset(client))
    response = client.post(
        reverse("account_login"), {"login": "ada@example.com", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302


def test_reset_requests_are_limited_per_address(client, member):
    for _ in range(5):
        request_reset(client)
    response = request_reset(client)
    assert response.status_code == 429
    assert len(mail.outbox) == 5


def last_link_after_reset(client, email="ada@example.com"):
    request_reset(client, email)
    return last_link()


def test_changing_the_password_asks_for_the_current_one(member_client, member):
    url = reverse("account_change_password")
    response = member_client.post(
        url, {"oldpassword": "not-it", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 200
    assert "Please type your current password." in page_text(response)
    member.refresh_from_db()
    assert member.check_password(PASSWORD)

    response = member_client.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)
    assert "_auth_user_id" in member_client.session  # still signed in here


def test_change_password_needs_a_member(client):
    response = client.get(reverse("account_change_password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_passwords_are_hashed_with_argon2(db):
    user = make_member(password="hash-me-please-1")
    assert user.password.startswith("argon2")
    assert User.objects.get(pk=user.pk).check_password("hash-me-please-1")
