"""Faults, one part broken at a time: what a visitor sees and what is kept.

- The database refuses: a 503 maintenance page with Retry-After (never a 500 or a trace),
  rendered without the database; nothing half-made is kept.
"""

import json
import os
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.db import IntegrityError, OperationalError, connections
from django.test import Client, RequestFactory
from django.urls import reverse
from mailer.models import Message

from accounts.models import User
from config.views import server_error
from tests.accounts.conftest import signup_data
from tests.factories import make_member
from tests.mailtools import closed_port, production_mail, smtp_port  # noqa: F401

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
MAINTENANCE = "Waypoint is back in a moment"


@pytest.fixture
def browser():
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


# --- The database refuses ------------------------------------------------------------------


def test_database_refused_visitors_see_the_maintenance_page(browser, database_refused):
    assert_maintenance_page(browser.get("/"))
    assert_maintenance_page(browser.get(reverse("careers:transitions")))
    assert_maintenance_page(browser.post(SIGNUP, signup_data()))
    assert browser.get("/healthz").status_code == 200  # alive, but not ready:
    assert browser.get("/readyz").status_code == 503


def test_database_refused_members_see_the_maintenance_page(browser, monkeypatch):
    browser.force_login(make_member())
    refuse_database(monkeypatch)
    # The session is read by middleware, before any view runs.
    assert_maintenance_page(browser.get(reverse("roadmaps:dashboard")))


@pytest.mark.usefixtures("production_mail")
def test_no_half_made_account_when_the_mail_cannot_be_queued(browser, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("the database went away while queueing the mail")

    monkeypatch.setattr(Message.objects, "bulk_create", refuse)
    assert_maintenance_page(browser.post(SIGNUP, signup_data(email="half@example.com")))
    # The account was written before the mail, in the same transaction: both are gone.
    assert not User.objects.filter(email="half@example.com").exists()
    assert not EmailAddress.objects.filter(email="half@example.com").exists()
    monkeypatch.undo()
    # Trying again once the database answers makes the account and queues its mail.
    response = browser.post(SIGNUP, signup_data(email="half@example.com"))
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
