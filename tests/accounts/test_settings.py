"""Account-related settings read from the environment."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.settings import email_settings


def settings_in(env: dict, *names: str) -> dict:
    """Settings as a fresh process with `env` would see them."""
    code = (
        "import json, config.settings as s;"
        f"print(json.dumps({{n: getattr(s, n) for n in {list(names)!r}}}, default=str))"
    )
    full_env = {**os.environ, "SECRET_KEY": "x", **env}
    for key in ("REDIS_URL", "EMAIL_URL", "DEBUG", "EMAIL_BACKEND"):
        if key not in env:
            full_env.pop(key, None)
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=full_env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_email_url_with_starttls():
    assert email_settings("smtp+tls://user%40mail:p%2Fss@smtp.example.com:2525") == {
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "user@mail",
        "EMAIL_HOST_PASSWORD": "p/ss",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_email_url_defaults_ports():
    assert email_settings("smtps://smtp.example.com")["EMAIL_PORT"] == 465
    assert email_settings("smtps://smtp.example.com")["EMAIL_USE_SSL"] is True
    assert email_settings("smtp+tls://smtp.example.com")["EMAIL_PORT"] == 587
    assert email_settings("smtp://localhost")["EMAIL_PORT"] == 25
    assert email_settings("smtp://localhost?tls=1")["EMAIL_USE_TLS"] is True


def test_email_url_rejects_unknown_schemes():
    with pytest.raises(ImproperlyConfigured):
        email_settings("http://smtp.example.com")


def test_production_queues_mail_and_delivers_it_over_smtp_from_the_environment():
    seen = settings_in(
        {"EMAIL_URL": "smtp+tls://u:p@mail.example.com:587", "DEFAULT_FROM_EMAIL": "hi@w.test"},
        "EMAIL_BACKEND",
        "MAILER_EMAIL_BACKEND",
        "EMAIL_HOST",
        "EMAIL_USE_TLS",
        "DEFAULT_FROM_EMAIL",
    )
    assert seen == {
        "EMAIL_BACKEND": "mailer.backend.DbBackend",
        "MAILER_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.com",
        "EMAIL_USE_TLS": True,
        "DEFAULT_FROM_EMAIL": "hi@w.test",
    }


def test_discrete_email_variables_work_too():
    seen = settings_in(
        {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": "2587", "EMAIL_USE_TLS": "1"},
        "EMAIL_HOST",
        "EMAIL_PORT",
        "EMAIL_USE_TLS",
    )
    assert seen == {"EMAIL_HOST": "smtp.example.org", "EMAIL_PORT": 2587, "EMAIL_USE_TLS": True}


def test_development_prints_mail_to_the_console():
    seen = settings_in({"DEBUG": "1"}, "EMAIL_BACKEND")
    assert seen["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_the_cache_is_the_database_unless_redis_is_configured():
    assert settings_in({}, "CACHES")["CACHES"]["default"]["BACKEND"] == (
        "django.core.cache.backends.db.DatabaseCache"
    )
    redis = settings_in({"REDIS_URL": "redis://127.0.0.1:6379/1"}, "CACHES")["CACHES"]
    assert redis["default"]["BACKEND"] == "config.cache.RedisOrDatabaseCache"
    assert redis["default"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    # While Redis does not answer, the database cache (what migrate creates) stands in.
    assert redis[redis["default"]["FALLBACK"]] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "waypoint_cache",
    }


def test_account_settings_the_other_apps_rely_on():
    assert settings.LOGIN_URL == "account_login"
    assert settings.LOGIN_REDIRECT_URL == "/dashboard/"
    assert settings.ACCOUNT_LOGOUT_REDIRECT_URL == "/"
    assert settings.ACCOUNT_PREVENT_ENUMERATION is True
    assert settings.ACCOUNT_LOGOUT_ON_GET is False
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.django_db
def test_migrate_creates_the_cache_table():
    from django.db import connection

    from accounts.apps import create_cache_tables

    table = settings.CACHES["default"]["LOCATION"]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    assert table not in connection.introspection.table_names()

    create_cache_tables(using="default")  # what post_migrate runs after `migrate`

    assert table in connection.introspection.table_names()
