"""Signing in and out, and the shared limit on failed sign-ins."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, page_text
from tests.factories import make_member

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
TOO_MANY = "Too many failed login attempts. Try again later."


def sign_in(client, email="ada@example.com", password=PASSWORD, **extra):
    return client.post(LOGIN, {"login": email, "password": password, **extra})


def test_a_member_signs_in_with_email_and_password(client, member):
    response = sign_in(client)
    assert response.status_code == 302
    assert response["Location"] == settings.LOGIN_REDIRECT_URL
    assert int(client.session["_auth_user_id"]) == member.pk


def test_the_email_is_not_case_sensitive(client, member):
    sign_in(client, email="ADA@Example.COM")
    assert int(client.session["_auth_user_id"]) == member.pk


def test_signing_in_starts_a_new_session(client, member):
    client.get(LOGIN)
    session = client.session
    session["probe"] = 1
    session.save()
    before = client.session.session_key

    sign_in(client)

    assert client.session.session_key != before


def test_sign_in_goes_on_to_next(client, member):
    response = client.post(
        LOGIN, {"login": "ada@example.com", "password": PASSWORD, "next": "/transitions/"}
    )
    assert response["Location"] == "/transitions/"


def test_sign_in_never_goes_to_another_site(client, member):
    response = client.post(
        LOGIN, {"login": "ada@example.com", "password": PASSWORD, "next": "https://evil.test/"}
    )
    assert response["Location"] == settings.LOGIN_REDIRECT_URL


def test_a_wrong_password_gets_a_clear_message(client, member):
    response = sign_in(client, password="not-my-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in page_text(response)
    assert "_auth_user_id" not in client.session


def test_an_unknown_email_gets_the_same_message(client, member):
    known = page_text(sign_in(client, password="not-my-password"))
    unknown = page_text(sign_in(client, email="nobody@example.com", password="not-my-password"))
    assert known.replace("ada@example.com", "X") == unknown.replace("nobody@example.com", "X")


def test_a_malformed_email_gets_a_clear_message(client):
    response = sign_in(client, email="not an email")
    assert response.status_code == 200
    assert "Enter a valid email address." in page_text(response)


def test_failed_sign_ins_are_limited(client, member):
    for _ in range(5):
        assert "not correct" in page_text(sign_in(client, password="wrong-password"))

    response = sign_in(client)  # even the right password now waits

    assert response.status_code == 200
    assert TOO_MANY in page_text(response)
    assert "_auth_user_id" not in client.session


def test_the_limit_holds_across_clients(member):
    """Attempts from two clients (two browsers, or two gunicorn workers) share one counter."""
    first, second = Client(), Client()
    for attempt in range(5):
        browser = first if attempt % 2 else second
        assert "not correct" in page_text(sign_in(browser, password="wrong-password"))

    assert TOO_MANY in page_text(sign_in(first))
    assert TOO_MANY in page_text(sign_in(second))


def test_the_limit_is_kept_in_the_shared_database_cache(client, member):
    """Not in process memory: a separate cache connection, as another gunicorn worker would
    open, reads the same failure counter."""
    assert isinstance(caches["default"], DatabaseCache)
    for _ in range(5):
        sign_in(client, password="wrong-password")

    table = connection.ops.quote_name(settings.CACHES["default"]["LOCATION"])
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key FROM {table}")
        stored = [row[0] for row in cursor.fetchall() if ":login_failed:" in row[0]]
    assert stored
    other_worker = DatabaseCache(settings.CACHES["default"]["LOCATION"], {})
    for key in stored:
        version_prefix, raw_key = key.split(":", 2)[1:]
        assert len(other_worker.get(raw_key, version=int(version_prefix))) >= 1


def test_the_limit_is_per_email(client, member):
    make_member(email="grace@example.com")
    for _ in range(5):
        sign_in(client, password="wrong-password")

    response = sign_in(client, email="grace@example.com")

    assert response.status_code == 302


def test_sign_out_needs_a_post(member_client):
    response = member_client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert "Sign out of Waypoint on this device?" in page_text(response)
    assert "_auth_user_id" in member_client.session

    response = member_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert "_auth_user_id" not in member_client.session


def test_sign_out_without_a_csrf_token_is_refused(csrf_client, member):
    csrf_client.force_login(member)
    response = csrf_client.post(reverse("account_logout"))
    assert response.status_code == 403
    assert "_auth_user_id" in csrf_client.session


def test_sign_in_without_a_csrf_token_is_refused(csrf_client, member):
    response = sign_in(csrf_client)
    assert response.status_code == 403


def test_sign_in_with_a_csrf_token_works(csrf_client, member):
    csrf_client.get(LOGIN)
    token = csrf_client.cookies["csrftoken"].value
    response = sign_in(csrf_client, csrfmiddlewaretoken=token)
    assert response.status_code == 302


def test_too_many_sign_in_requests_get_a_friendly_429(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    for _ in range(2):
        sign_in(client, email="x@example.com", password="whatever-1")
    response = sign_in(client, email="x@example.com", password="whatever-1")
    assert response.status_code == 429
    assert "Too many attempts" in page_text(response)
