"""Faults, one part broken at a time: what a visitor sees and what is kept.

- The mail server refuses: every page answers as usual ("check your inbox"); the account and
  its mail are kept, the mail in the queue, deferred until the server is back.
- Redis refuses: pages and forms work on the database cache; the rate limits still hold.
- The database refuses: a 503 maintenance page with Retry-After (never a 500 or a trace),
  rendered without the database; nothing half-made is kept.
- Recovery: mail queued during an outage arrives once the server is back, each message once.
"""

import json
import logging
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, OperationalError, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from mailer.models import Message
from redis.exceptions import ConnectionError as RedisConnectionError

from accounts.models import User
from config import cache as fallback_cache
from config.views import server_error
from tests.accounts.conftest import PASSWORD, page_text, signup_data
from tests.factories import make_member, make_plan, make_transition
from tests.mailtools import (  # noqa: F401
    closed_port,
    production_mail,
    refused_redis_caches,
    smtp_port,
    smtp_sink,
)

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
MAINTENANCE = "Waypoint is back in a moment"


@pytest.fixture
def visitor():
    """A client that gets the error pages a visitor gets, rather than the exception."""
    return Client(raise_request_exception=False)


def refuse_database(monkeypatch) -> None:
    """From here on every query fails as it does when the database server refuses."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)


@pytest.fixture
def database_refused(monkeypatch):
    refuse_database(monkeypatch)


def assert_maintenance_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-cache" in response["Cache-Control"]
    html = response.content.decode()
    assert MAINTENANCE in html
    assert "Nothing you saved before is lost" in html
    for leak in ("Traceback", "OperationalError", "5432", "Server Error"):
        assert leak not in html


def queued() -> list[tuple[list[str], str]]:
    return [(m.to_addresses, m.subject) for m in Message.objects.order_by("id")]


def deliver() -> str:
    out = StringIO()
    call_command("mail_worker", "--once", stdout=out)
    return out.getvalue()


# --- The mail server refuses ---------------------------------------------------------------


@pytest.mark.usefixtures("production_mail")
def test_mail_refused_sign_up_answers_as_usual_and_keeps_the_account_and_its_mail(visitor):
    response = visitor.post(SIGNUP, signup_data(email="new@example.com"))
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "Check your inbox" in page_text(visitor.get(response["Location"]))
    assert User.objects.filter(email="new@example.com").exists()
    [message] = Message.objects.all()
    assert message.to_addresses == ["new@example.com"]
    assert "Confirm your address" in message.email.body

    # The worker tries, the server refuses: the message is deferred, not lost.
    assert deliver() == "1 message left in the queue, 1 deferred.\n"
    assert [m.to_addresses for m in Message.objects.deferred()] == [["new@example.com"]]


@pytest.mark.usefixtures("production_mail")
def test_mail_refused_sign_up_still_answers_the_same_for_a_registered_address(visitor):
    make_member(email="taken@example.com")
    fresh = visitor.post(SIGNUP, signup_data(email="fresh@example.com"))
    taken = Client(raise_request_exception=False).post(
        SIGNUP, signup_data(email="taken@example.com")
    )
    assert (fresh.status_code, fresh["Location"]) == (taken.status_code, taken["Location"])
    assert [to for to, _ in queued()] == [["fresh@example.com"], ["taken@example.com"]]
    assert "already exists" in Message.objects.order_by("id").last().email.body


@pytest.mark.usefixtures("production_mail")
def test_mail_refused_password_reset_and_email_change_answer_as_usual(visitor):
    member = make_member(email="ada@example.com")
    response = visitor.post(reverse("account_reset_password"), {"email": "ada@example.com"})
    assert response["Location"] == reverse("account_reset_password_done")

    visitor.force_login(member)
    response = visitor.post(
        reverse("account_email"), {"email": "ada@new.example", "action_add": ""}
    )
    assert response.status_code == 302
    assert [to for to, _ in queued()] == [["ada@example.com"], ["ada@new.example"]]
    assert EmailAddress.objects.filter(email="ada@new.example", verified=False).exists()


# --- Redis refuses -------------------------------------------------------------------------


@pytest.fixture
def redis_refused(settings):
    """REDIS_URL set, nothing listening there: the production cache settings."""
    settings.CACHES = refused_redis_caches()
    fallback_cache._down_until.clear()
    yield settings
    fallback_cache._down_until.clear()


def test_redis_refused_sign_up_works_and_a_warning_is_logged(visitor, redis_refused, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        response = visitor.post(SIGNUP, signup_data(email="new@example.com"))
    assert response.status_code == 302
    assert User.objects.filter(email="new@example.com").exists()
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert "Redis cache unreachable" in caplog.text
    assert visitor.get("/").status_code == 200


def test_redis_refused_members_sign_in_and_the_failed_sign_in_limit_still_holds(
    visitor, redis_refused
):
    make_member(email="ada@example.com")
    make_member(email="grace@example.com")
    for _ in range(5):
        response = visitor.post(
            reverse("account_login"), {"login": "ada@example.com", "password": "wrong-password"}
        )
        assert "not correct" in page_text(response)
    response = visitor.post(
        reverse("account_login"), {"login": "ada@example.com", "password": PASSWORD}
    )
    assert "Too many failed login attempts" in page_text(response)  # the limit holds...
    response = visitor.post(
        reverse("account_login"), {"login": "grace@example.com", "password": PASSWORD}
    )
    assert response.status_code == 302  # ...and nobody else is locked out


def test_without_the_fallback_a_refused_redis_fails_sign_up(client, settings):
    """The fault is real: Django's plain Redis cache raises where ours falls back."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    with pytest.raises(RedisConnectionError):
        client.post(SIGNUP, signup_data())


# --- The database refuses ------------------------------------------------------------------


def test_database_refused_visitors_see_the_maintenance_page(visitor, database_refused):
    assert_maintenance_page(visitor.get("/"))
    assert_maintenance_page(visitor.get(reverse("careers:transitions")))
    assert_maintenance_page(visitor.post(SIGNUP, signup_data()))
    assert visitor.get("/healthz").status_code == 200  # alive, but not ready:
    assert visitor.get("/readyz").status_code == 503


def test_database_refused_members_see_the_maintenance_page(visitor, monkeypatch):
    visitor.force_login(make_member())
    refuse_database(monkeypatch)
    # The session is read by middleware, before any view runs.
    assert_maintenance_page(visitor.get(reverse("roadmaps:dashboard")))


@pytest.mark.usefixtures("production_mail")
def test_no_half_made_account_when_the_mail_cannot_be_queued(visitor, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("the database went away while queueing the mail")

    monkeypatch.setattr(Message.objects, "bulk_create", refuse)
    assert_maintenance_page(visitor.post(SIGNUP, signup_data(email="half@example.com")))
    # The account was written before the mail, in the same transaction: both are gone.
    assert not User.objects.filter(email="half@example.com").exists()
    assert not EmailAddress.objects.filter(email="half@example.com").exists()
    monkeypatch.undo()
    # Trying again once the database answers makes the account and queues its mail.
    response = visitor.post(SIGNUP, signup_data(email="half@example.com"))
    assert response.status_code == 302
    assert User.objects.filter(email="half@example.com").exists()
    assert [m.to_addresses for m in Message.objects.all()] == [["half@example.com"]]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (OperationalError("connection refused"), 503),
        (RuntimeError("wrapped"), 503),  # raised while handling a database outage
        (IntegrityError("a bug"), 500),
        (ValueError("a bug"), 500),
    ],
)
def test_only_database_outages_get_the_maintenance_page(error, status):
    request = RequestFactory().get("/")
    try:
        if isinstance(error, RuntimeError):
            try:
                raise OperationalError("server closed the connection")
            except OperationalError as cause:
                raise error from cause
        raise error
    except Exception:
        response = server_error(request)
    assert response.status_code == status
    assert (MAINTENANCE in response.content.decode()) == (status == 503)


def test_a_real_refused_database_gives_the_maintenance_page_and_healthz_stays_alive():
    """A fresh process whose DATABASE_URL points at a PostgreSQL port that refuses."""
    code = """
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
seen = {}
for method, path in [("get", "/"), ("post", "/accounts/signup/"), ("get", "/healthz"),
                     ("get", "/readyz")]:
    response = getattr(client, method)(path, {"email": "new@example.com"} if method == "post" else {})
    seen[path] = [response.status_code, response.get("Retry-After"), response.content.decode()]
print(json.dumps(seen))
"""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": "x",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{closed_port()}/waypoint",
        "LOG_LEVEL": "CRITICAL",
    }
    env.pop("DEBUG", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=django_settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    for path in ["/", "/accounts/signup/"]:
        status, retry_after, html = seen[path]
        assert (status, retry_after) == (503, "30")
        assert MAINTENANCE in html and "Traceback" not in html
    assert seen["/healthz"][:2] == [200, None]
    assert seen["/readyz"][0] == 503
    assert seen["/readyz"][2].startswith("database: failing (OperationalError)\n")


# --- Recovery ------------------------------------------------------------------------------


@pytest.mark.usefixtures("production_mail")
def test_mail_queued_during_an_outage_arrives_once_when_the_server_is_back(visitor, settings):
    # During the outage: a sign-up, a sign-up with a registered address, a password reset and
    # a weekly reminder, each answered or run as usual.
    make_member(email="taken@example.com")
    visitor.post(SIGNUP, signup_data(email="new@example.com"))
    Client().post(SIGNUP, signup_data(email="taken@example.com"))
    Client().post(reverse("account_reset_password"), {"email": "taken@example.com"})
    now = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)  # a Wednesday; the check-in day is Monday
    member = make_member(email="due@example.com", checkin_weekday=0)
    make_plan(member, make_transition(), start_date=now.date() - timedelta(weeks=3))
    with time_machine.travel(now, tick=False):
        call_command("send_checkin_reminders", stdout=StringIO())
    expected = sorted(
        ["new@example.com", "taken@example.com", "taken@example.com", "due@example.com"]
    )
    assert sorted(to[0] for to, _ in queued()) == expected
    assert deliver() == "4 messages left in the queue, 3 deferred.\n"  # a pass stops at 3

    # The server is back: one worker pass delivers every message, each once.
    with smtp_sink(settings.EMAIL_PORT) as received:
        assert deliver() == "0 messages left in the queue, 0 deferred.\n"
        with time_machine.travel(now + timedelta(hours=1), tick=False):
            call_command("send_checkin_reminders", stdout=StringIO())  # the next hourly run
        assert deliver() == "0 messages left in the queue, 0 deferred.\n"
    assert sorted(m["X-Envelope-To"] for m in received) == expected
    assert len({m["Message-ID"] for m in received}) == 4

    # The verification link that waited in the queue still works.
    [verification] = [m for m in received if m["X-Envelope-To"] == "new@example.com"]
    body = verification.get_payload(decode=True).decode()
    link = re.search(re.escape(django_settings.SITE_URL) + r"(/\S+)", body).group(1)
    assert visitor.post(link).status_code == 302
    assert EmailAddress.objects.get(email="new@example.com").verified
