"""Sign up, email verification and the first sign-in."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.conftest import last_link, page_text, signup_data
from tests.factories import make_member

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")


def test_sign_up_verify_and_sign_in(client):
    response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new@example.com")
    assert not user.has_verified_email
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert "Confirm your address" in mail.outbox[0].body
    assert "Check your inbox" in page_text(client.get(response["Location"]))

    # Following the link in a different browser confirms the address...
    other = type(client)()
    link = last_link()
    assert "Confirm that new@example.com is your email address" in page_text(other.get(link))
    response = other.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
    assert User.objects.get(email="new@example.com").has_verified_email

    # ...and the member signs in with their password.
    response = other.post(
        reverse("account_login"),
        {"login": "new@example.com", "password": "a-fine-long-password-42"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert int(other.session["_auth_user_id"]) == user.pk


def test_following_the_link_in_the_signup_browser_signs_the_member_in(client):
    client.post(SIGNUP, signup_data())
    user = User.objects.get(email="new@example.com")
    assert "_auth_user_id" not in client.session

    response = client.post(last_link())

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert "You have confirmed new@example.com" in page_text(client.get(reverse("careers:home")))


def test_an_unverified_member_can_sign_in_and_sees_a_banner(client):
    client.post(SIGNUP, signup_data())

    response = client.post(
        reverse("account_login"),
        {"login": "new@example.com", "password": "a-fine-long-password-42"},
        follow=False,
    )
    assert response.status_code == 302
    text = page_text(client.get(reverse("careers:home")))
    assert "Please confirm your email address new@example.com" in text
    assert "Waypoint sends you no reminders" in text


def test_a_verified_member_sees_no_banner(client):
    client.force_login(make_member())
    assert "Please confirm your email address" not in page_text(client.get("/"))


def test_signup_answers_the_same_for_a_registered_email(client):
    make_member(email="taken@example.com", password="the-real-password-1")
    fresh = client.post(SIGNUP, signup_data(email="fresh@example.com"))
    fresh_page = page_text(client.get(fresh["Location"]))

    other = type(client)()
    taken = other.post(SIGNUP, signup_data(email="taken@example.com"))
    taken_page = page_text(other.get(taken["Location"]))

    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"])
    assert fresh_page.replace("fresh@", "X@") == taken_page.replace("taken@", "X@")
    # The owner of the registered address is told, by email only; their account is untouched.
    assert [m.to for m in mail.outbox] == [["fresh@example.com"], ["taken@example.com"]]
    assert "already exists" in mail.outbox[1].body
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
    assert User.objects.get(email="taken@example.com").check_password("the-real-password-1")
    assert "_auth_user_id" not in other.session


def test_signup_with_a_registered_email_in_other_case_creates_nothing(client):
    make_member(email="taken@example.com")
    client.post(SIGNUP, signup_data(email="TAKEN@Example.com"))
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (signup_data(email="not-an-email"), "Enter a valid email address."),
        (signup_data(email=""), "This field is required."),
        (
            signup_data(password2="something-else-entirely"),
            "You must type the same password each time.",
        ),
        (signup_data(password="short1"), "This password is too short."),
        (signup_data(password="password123"), "This password is too common."),
        (signup_data(password="84736251908"), "This password is entirely numeric."),
        (
            signup_data(email="margaret.hamilton@example.com", password="margaret.hamilton"),
            "The password is too similar to the",
        ),
    ],
)
def test_bad_signup_input_gets_a_clear_message_and_saves_nothing(client, data, message):
    response = client.post(SIGNUP, data)

    assert response.status_code == 200
    assert message in page_text(response)
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert mail.outbox == []


def test_signup_keeps_the_email_typed_but_never_the_password(client):
    response = client.post(SIGNUP, signup_data(password2="mismatch-mismatch"))
    html = response.content.decode()
    assert 'value="new@example.com"' in html
    assert "a-fine-long-password-42" not in html


def test_signup_without_a_csrf_token_is_refused(csrf_client):
    response = csrf_client.post(SIGNUP, signup_data())
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()
    assert not User.objects.exists()


def test_a_used_verification_link_says_so(client):
    client.post(SIGNUP, signup_data())
    link = last_link()
    client.post(link)

    response = type(client)().get(link)

    assert response.status_code == 200
    assert "has expired, has already been used" in page_text(response)


def test_a_mangled_verification_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert "has expired, has already been used" in page_text(response)
    response = client.post(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 404
    assert "We could not find that page" in page_text(response)  # the friendly 404, not a 500


def test_an_expired_verification_link_says_so(client, frozen, time_machine, settings):
    assert settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS == 3
    client.post(SIGNUP, signup_data())
    link = last_link()
    time_machine.move_to(frozen + timedelta(days=3, minutes=-1), tick=False)
    response = type(client)().get(link)
    assert "Confirm that new@example.com is your email address." in page_text(response)

    time_machine.move_to(frozen + timedelta(days=3, minutes=1), tick=False)
    response = type(client)().get(link)

    assert "has expired, has already been used" in page_text(response)
    assert not EmailAddress.objects.get(email="new@example.com").verified


def test_signed_in_members_are_sent_away_from_signup(client):
    client.force_login(make_member())
    response = client.get(SIGNUP)
    assert response.status_code == 302
