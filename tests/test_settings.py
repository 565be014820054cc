"""Foundation settings: secrets, the SQLite options, static files."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

BASE = Path(settings.BASE_DIR)


def run_python(code: str, **env) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=full_env, cwd=BASE, capture_output=True, text=True
    )


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = run_python("import config.settings")
    assert result.returncode != 0
    assert "Set SECRET_KEY in the environment" in result.stderr


def test_development_has_a_default_secret_key():
    result = run_python(
        "import config.settings as s; print(s.DEBUG, bool(s.SECRET_KEY))", DEBUG="1"
    )
    assert result.stdout.split() == ["True", "True"]


def test_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions():
    result = run_python(
        "import json, config.settings as s; d = s.DATABASES['default'];"
        "print(d['OPTIONS']['transaction_mode'], d['OPTIONS']['timeout'], d['OPTIONS']['init_command'])",
        SECRET_KEY="x",
        DATABASE_URL="",
    )
    assert result.stdout.startswith("IMMEDIATE 20 PRAGMA journal_mode=WAL;"), result.stderr


def test_two_processes_writing_at_once_do_not_see_database_locked(tmp_path):
    """A file database with the shipped options: concurrent writers queue, none fail."""
    db = tmp_path / "concurrent.sqlite3"
    code = f"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
os.environ["DATABASE_URL"] = "sqlite:///{db}"
django.setup()
from django.db import connection, transaction
with connection.cursor() as c:
    c.execute("CREATE TABLE IF NOT EXISTS t (n integer)")
for i in range(200):
    with transaction.atomic():
        with connection.cursor() as c:
            c.execute("SELECT count(*) FROM t")
            c.execute("INSERT INTO t VALUES (%s)", [i])
print("ok")
"""
    env = {**os.environ, "SECRET_KEY": "x"}
    procs = [
        subprocess.Popen([sys.executable, "-c", code], env=env, cwd=BASE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    results = [p.communicate(timeout=120) for p in procs]
    for out, err in results:
        assert out.strip() == "ok", err
    import sqlite3

    assert sqlite3.connect(db).execute("SELECT count(*) FROM t").fetchone()[0] == 600


def test_collectstatic_writes_hashed_and_compressed_files(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    css = [p.name for p in (tmp_path / "css").iterdir()]
    assert "site.css" in css
    assert any(n.startswith("site.") and n.endswith(".css") and n != "site.css" for n in css)
    assert any(n.endswith(".css.gz") for n in css)
    assert (tmp_path / "staticfiles.json").exists()
    htmx = [p.name for p in (tmp_path / "django_htmx").iterdir()]
    assert any(n.startswith("htmx") and n.endswith(".js.gz") for n in htmx)
