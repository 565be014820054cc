"""Production hardening (issue 12): each test names the finding it closes and failed before it."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from mailer.models import Message

from accounts.models import User
from config.security_log import digest
from tests.factories import make_member, make_plan, make_transition

PASSWORD = "correct-horse-battery"
LOGIN = "/accounts/login/"
TOO_MANY = "Too many failed login attempts. Try again later."
PRODUCTION = {
    "SECRET_KEY": "x" * 20 + "production-secret-key-of-fifty-plus-characters",
    "ALLOWED_HOSTS": "waypoint.example",
    "SITE_URL": "https://waypoint.example",
    "SECURE_SSL_REDIRECT": "1",
    "SECURE_COOKIES": "1",
    "CSRF_TRUSTED_ORIGINS": "https://waypoint.example",
}


def sign_in(client: Client, email: str, password: str, **extra):
    return client.post(LOGIN, {"login": email, "password": password}, **extra)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Not the test run's own switches (pytest-playwright sets DJANGO_ALLOW_ASYNC_UNSAFE, which
    # the deploy check rightly refuses).
    unset = ("SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    full_env = {k: v for k, v in os.environ.items() if k not in unset}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env=full_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def security_lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "waypoint.security"]


# --- 1. The admin's sign-in is rate limited -------------------------------------------------


@pytest.fixture
def staff(db):
    return make_member(email="staff@example.com", password=PASSWORD, is_staff=True)


def test_the_admin_login_form_checks_no_password_and_sends_staff_to_the_limited_sign_in(
    client, staff
):
    for attempt in range(40):
        response = client.post(
            "/admin/login/?next=/admin/", {"username": staff.email, "password": f"wrong-{attempt}"}
        )
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    # Even the right password is not taken there: only the rate-limited form signs staff in.
    client.post("/admin/login/", {"username": staff.email, "password": PASSWORD})
    assert not signed_in(client)


def test_staff_sign_in_through_the_limited_form_and_reach_the_admin(client, staff):
    for attempt in range(5):
        sign_in(client, staff.email, f"wrong-{attempt}")
    refused = sign_in(client, staff.email, PASSWORD)
    assert TOO_MANY in refused.content.decode()
    assert not signed_in(client)

    boss = make_member(email="boss@example.com", password=PASSWORD, is_staff=True)
    other = Client()
    assert sign_in(other, boss.email, PASSWORD).status_code == 302
    assert other.get("/admin/").status_code == 200


def test_a_signed_in_member_who_is_not_staff_is_refused_the_admin(client, db):
    client.force_login(make_member())
    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/login/").status_code == 403


# --- 2. The sign-in limits cannot be dodged by the Host port, and count clients behind a proxy


@pytest.mark.parametrize("ports", [("8000", "8443"), ("", "1")])
def test_a_new_port_in_the_host_header_does_not_reset_the_failed_sign_in_count(
    client, db, settings, ports
):
    settings.ALLOWED_HOSTS = ["waypoint.example"]
    member = make_member(email="ada@example.com", password=PASSWORD)
    first, second = (f"waypoint.example:{p}" if p else "waypoint.example" for p in ports)
    for attempt in range(5):
        sign_in(client, member.email, f"wrong-{attempt}", HTTP_HOST=first)
    response = sign_in(client, member.email, PASSWORD, HTTP_HOST=second)
    assert TOO_MANY in response.content.decode()
    assert not signed_in(client)


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for n in range(10):
        sign_in(attacker, f"guess-{n}@example.com", "wrong-password")
    refused = sign_in(attacker, "guess-10@example.com", "wrong-password")
    assert TOO_MANY in refused.content.decode()

    member = make_member(email="ada@example.com", password=PASSWORD)
    visitor = Client(**proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = sign_in(visitor, member.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(visitor)


def test_a_forged_forwarded_for_entry_before_the_proxys_own_does_not_pick_the_client(db, settings):
    """nginx appends the address it saw; what the client wrote before it is not believed."""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        forged = f"192.0.2.{n}, 203.0.113.5"
        sign_in(
            Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forged),
            f"guess-{n}@example.com",
            "wrong-password",
        )
    again = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.5")
    assert TOO_MANY in sign_in(again, "guess-99@example.com", "wrong-password").content.decode()


def test_a_request_with_fewer_forwarded_entries_than_proxies_is_judged_not_refused(db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    member = make_member(email="ada@example.com", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5")
    response = sign_in(client, member.email, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_trusted_proxy_count_comes_from_the_environment():
    code = (
        "import config.settings as s;"
        "print(s.ALLAUTH_TRUSTED_PROXY_COUNT, s.SECURE_PROXY_SSL_HEADER[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "SECRET_KEY": "x", "TRUSTED_PROXY_COUNT": "1"},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["1", "HTTP_X_FORWARDED_PROTO"], result.stderr


# --- 3. Account mail links use SITE_URL, whatever the Host header said ---------------------


@pytest.fixture
def forged_host(settings):
    settings.ALLOWED_HOSTS = ["waypoint.example", "evil.example"]
    settings.SITE_URL = "https://waypoint.example"
    return {"HTTP_HOST": "evil.example"}


def assert_on_site(message) -> None:
    assert "evil.example" not in message.body
    assert "https://waypoint.example/accounts/" in message.body


def test_password_reset_mail_links_to_site_url(client, db, forged_host):
    member = make_member(email="ada@example.com")
    client.post(reverse("account_reset_password"), {"email": member.email}, **forged_host)
    [message] = mail.outbox
    assert_on_site(message)
    assert "https://waypoint.example/accounts/password/reset/key/" in message.body


def test_sign_up_verification_mail_links_to_site_url(client, db, forged_host):
    data = {"email": "new@example.com", "password1": "a-fine-long-pw-42", "password2": ""}
    data["password2"] = data["password1"]
    client.post(reverse("account_signup"), data, **forged_host)
    [message] = mail.outbox
    assert_on_site(message)
    assert "https://waypoint.example/accounts/confirm-email/" in message.body
    assert message.body.rstrip().endswith("waypoint.example")


def test_already_have_an_account_mail_links_to_site_url(client, db, forged_host):
    make_member(email="ada@example.com")
    data = {"email": "ada@example.com", "password1": "a-fine-long-pw-42", "password2": ""}
    data["password2"] = data["password1"]
    client.post(reverse("account_signup"), data, **forged_host)
    [message] = mail.outbox
    assert_on_site(message)


def test_email_change_verification_mail_links_to_site_url(client, db, forged_host):
    member = make_member(email="ada@example.com")
    client.force_login(member)
    client.post(
        reverse("account_email"), {"action_add": "", "email": "ada@new.example"}, **forged_host
    )
    [message] = mail.outbox
    assert message.to == ["ada@new.example"]
    assert_on_site(message)
    assert "https://waypoint.example/accounts/confirm-email/" in message.body


# --- 5. Sign-up takes the same path for a new and a known address --------------------------


def count_hashes(monkeypatch) -> list[str]:
    from django.contrib.auth.hashers import Argon2PasswordHasher

    calls: list[str] = []
    original = Argon2PasswordHasher.encode

    def encode(self, password, salt):
        calls.append(password)
        return original(self, password, salt)

    monkeypatch.setattr(Argon2PasswordHasher, "encode", encode)
    return calls


@pytest.mark.parametrize("known", [False, True])
def test_sign_up_hashes_the_password_once_whether_or_not_the_address_is_known(
    client, db, monkeypatch, known
):
    if known:
        make_member(email="ada@example.com")
    calls = count_hashes(monkeypatch)
    password = "a-fine-long-pw-42"
    response = client.post(
        reverse("account_signup"),
        {"email": "ada@example.com", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    assert calls == [password]
    assert User.objects.filter(email="ada@example.com").count() == 1


# --- 6. Member pages, exports and the calendar feed are private -----------------------------


def cache_directives(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/",
        "/accounts/preferences/",
        "/accounts/export/",
        "/calendar/",
        "/transitions/",
        "/",
    ],
)
def test_pages_answered_to_a_member_are_private_and_not_stored(client, db, url):
    client.force_login(make_member())
    response = client.get(url)
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_the_plan_page_and_the_secret_calendar_feed_are_private(client, db):
    member = make_member()
    plan = make_plan(member, make_transition())
    client.force_login(member)
    assert {"private", "no-store"} <= cache_directives(client.get(plan.get_absolute_url()))
    from roadmaps.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=member, token="a-secret-feed-token-0123456789")
    response = Client().get(reverse("roadmaps:calendar_feed", args=[feed.token]))
    assert response.status_code == 200
    assert {"private", "no-store"} <= cache_directives(response)


def test_anonymous_catalog_pages_are_not_marked_no_store(client, db):
    response = client.get("/transitions/")
    assert "no-store" not in cache_directives(response)


# --- 4 and 7. Bodies over the cap and forms in other charsets are refused before reading ----


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_a_request_over_the_size_cap_is_refused_with_413_before_it_is_read(client, db):
    response = client.generic(
        "POST",
        LOGIN,
        b"",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "Request too large: Waypoint accepts at most 1024 KB" in response.content.decode()


def test_a_body_just_under_the_cap_is_read_as_usual(client, db):
    body = "login=a%40example.com&password=x&pad=" + "x" * (1024 * 1024 - 60)
    response = client.generic(
        "POST", LOGIN, body.encode(), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "you specified are not correct" in response.content.decode()


@pytest.mark.parametrize(
    "charset", ["utf-16", "UTF-32", "x-unknown-charset", "cp500", "UTF8", "us-ascii"]
)
def test_a_form_posted_in_another_charset_is_refused_with_415(client, db, charset):
    body = "login=a@example.com&password=x".encode(
        charset if charset != "x-unknown-charset" else "ascii"
    )
    for content_type in ["application/x-www-form-urlencoded", "multipart/form-data; boundary=b"]:
        response = client.generic(
            "POST", LOGIN, body, content_type=f"{content_type}; charset={charset}"
        )
        assert response.status_code == 415
        assert "Send forms encoded as UTF-8." in response.content.decode()


@pytest.mark.parametrize("charset", ["utf-8", "UTF-8"])
def test_a_form_in_utf8_or_ascii_is_read(client, db, charset):
    member = make_member(email="ada@example.com", password=PASSWORD)
    response = client.generic(
        "POST",
        LOGIN,
        f"login={member.email}&password={PASSWORD}".encode(),
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 302
    assert signed_in(client)


# --- 8. The production profile passes the deploy check; probes are not redirected ---------


def test_the_production_profile_passes_the_deploy_check_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_hsts_preload_is_opt_in_and_then_nothing_is_silenced():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, SECURE_HSTS_PRELOAD="1"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_sends_a_year_of_hsts_on_subdomains(db):
    code = (
        "import config.settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD,"
        " s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **PRODUCTION, "DJANGO_ALLOW_ASYNC_UNSAFE": ""},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split() == ["31536000", "True", "False", "True", "True"], result.stderr


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_health_probes_answer_over_plain_http(client, db, https_only, probe):
    response = client.get(probe)
    assert response.status_code == 200
    assert response.content.decode().startswith(("ok", "database: ok"))


def test_pages_redirect_to_https_and_https_answers_carry_hsts(client, db, https_only):
    response = client.get("/transitions/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/transitions/"
    secure = client.get("/transitions/", HTTP_X_FORWARDED_PROTO="https")
    assert secure.status_code == 200
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# --- 10. A deleted member leaves no email in the admin's history or the mail queue ---------


def test_deleting_a_member_removes_their_address_from_admin_history_and_mail(superuser, db):
    member = make_member(email="ada@example.com", password=PASSWORD)
    LogEntry.objects.create(
        user=superuser,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(member.pk),
        object_repr=str(member),
        action_flag=CHANGE,
        change_message=json.dumps([{"added": {"name": "email address", "object": member.email}}]),
    )
    other = make_member(email="grace@example.com")
    Message.objects.create(message_data=_queued("ada@example.com"))
    Message.objects.create(message_data=_queued("grace@example.com"))

    client = Client()
    client.force_login(member)
    client.post(reverse("accounts:delete"), {"password": PASSWORD})
    assert not User.objects.filter(pk=member.pk).exists()

    entry = LogEntry.objects.get(object_id=str(member.pk))
    assert entry.object_repr.startswith("Deleted member ")
    assert "ada@" not in entry.object_repr + entry.change_message
    assert [m.to_addresses for m in Message.objects.all()] == [["grace@example.com"]]
    assert EmailAddress.objects.filter(user=other).exists()


def _queued(address: str) -> str:
    from mailer.models import email_to_db

    return email_to_db(mail.EmailMessage("Your check-in", "body", to=[address]))


def test_staff_deleting_a_member_in_the_admin_leaves_no_address_in_its_history(admin_client, db):
    member = make_member(email="ada@example.com")
    response = admin_client.post(
        reverse("admin:accounts_user_delete", args=[member.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    entry = LogEntry.objects.get(object_id=str(member.pk))
    assert "ada@" not in entry.object_repr
    assert "ada@" not in entry.change_message


# --- Security events are logged without personal data --------------------------------------


def test_failed_sign_ins_and_rate_limit_hits_are_logged_with_digests_only(client, db, caplog):
    caplog.set_level(logging.WARNING, logger="waypoint.security")
    member = make_member(email="ada@example.com", password=PASSWORD)
    for attempt in range(6):
        sign_in(client, member.email, f"wrong-{attempt}", REMOTE_ADDR="203.0.113.5")
    lines = security_lines(caplog)
    assert [line["event"] for line in lines] == ["login_failed"] * 5 + ["rate_limited"]
    assert len({line["login"] for line in lines[:5]}) == 1
    assert {line["route"] for line in lines} == {"accounts/login/"}
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "ada@example.com" not in text
    assert "203.0.113.5" not in text


def test_refused_requests_are_logged_by_route_never_by_path(db, caplog):
    caplog.set_level(logging.WARNING, logger="waypoint.security")
    member = make_member()
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    client.post("/accounts/preferences/", {})  # no CSRF token: 403
    from roadmaps.models import CalendarFeed

    feed = CalendarFeed.objects.create(user=member, token="a-secret-feed-token-0123456789")
    Client().post(reverse("roadmaps:calendar_feed", args=[feed.token]))  # GET only: 405
    lines = security_lines(caplog)
    assert [(line["event"], line["status"]) for line in lines] == [
        ("refused", 403),
        ("refused", 405),
    ]
    assert "user" in lines[0] and "user" not in lines[1]
    assert lines[1]["route"] == "calendar/<feedtoken:token>.ics"
    assert feed.token not in json.dumps(lines)


def test_asking_for_another_members_plan_is_a_404_and_a_logged_denial(client, db, caplog):
    caplog.set_level(logging.WARNING, logger="waypoint.security")
    transition = make_transition()
    mine, theirs = make_plan(make_member(), transition), make_plan(make_member(), transition)
    client.force_login(mine.user)
    assert client.get(theirs.get_absolute_url()).status_code == 404
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(reverse("roadmaps:plan", args=[theirs.pk + 1000])).status_code == 404
    lines = security_lines(caplog)
    assert [(line["event"], line["status"], line["object"]) for line in lines] == [
        ("denied", 404, "plan")
    ]
    assert lines[0]["user"] != digest(theirs.user.pk)
