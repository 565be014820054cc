"""Backup and restore (issue 12): `manage.py backup_db` / `restore_db`, run as an operator runs
them, in fresh processes against a real database: a SQLite file, and a scratch PostgreSQL
database on 127.0.0.1:5432 (in both test runs; CI machines have it)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings

from roadmaps.backups import (
    PG_DUMP_MAGIC,
    SQLITE_MAGIC,
    BackupError,
    atomic_output,
    check_kind,
    pg_environment,
)

BASE = Path(settings.BASE_DIR)

# Run in a fresh process as `python -c SCRIPT step`, against the DATABASE_URL it is given.
SCRIPT = r"""
import json, sys
from datetime import date

import django

django.setup()

from django.apps import apps
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import connection
from django.utils import timezone

from accounts.models import User
from roadmaps.models import CalendarFeed, CheckIn, ItemProgress, Plan, ReminderSent
from tests.factories import make_member, make_plan, make_transition

MEMBER_DATA = [
    "accounts.User", "account.EmailAddress", "roadmaps.Plan", "roadmaps.PlanChange",
    "roadmaps.ItemProgress", "roadmaps.CheckIn", "roadmaps.CalendarFeed",
    "roadmaps.ReminderSent", "sessions.Session", "mailer.Message",
]
step = sys.argv[1]
now = timezone.now()
today = timezone.localdate()

if step == "build":
    transition = make_transition(phases=2, tasks=2, resources=1)
    item = {i.key: i for i in transition.roadmap_items.all()}
    ada = make_member(email="ada@example.com", display_name="Ada", timezone="Europe/Paris")
    bo = make_member(email="bo@example.com", verified=False)
    plan = make_plan(ada, transition, hours_per_week=6)
    plan.set_item_state(item["p1-task-0"], "done", now=now, planned_on=date(2027, 3, 1))
    plan.set_item_state(item["p1-task-1"], "done", now=now)
    noted = plan.set_item_state(item["p1-resource-0"], "skipped", now=now)
    noted.note, noted.evidence_url = "Knew it already.", "https://example.com/cert"
    noted.save(update_fields=["note", "evidence_url", "updated_at"])
    checkin = CheckIn.objects.create(
        plan=plan, week=date(2027, 3, 1), hours="5.5", confidence=4, wins="Phase 1 tasks done"
    )
    checkin.focus_items.add(item["p2-task-0"])
    ReminderSent.objects.create(plan=plan, week=date(2027, 3, 1))
    CalendarFeed.objects.create(user=ada, token="feed-token-of-ada")
    other = make_plan(bo, transition)
    other.set_item_state(item["p2-task-0"], "done", now=now)
    ItemProgress.objects.create(plan=other, item=item["p2-task-1"], note="Stuck on exercise 2.")
    CheckIn.objects.create(plan=other, week=date(2027, 3, 8), hours=2, confidence=2, blockers="Time")
    other.set_status(Plan.Status.PAUSED, today)
    session = SessionStore()
    session["_auth_user_id"] = str(ada.pk)
    session.create()
    send_mail("Welcome", "Hello Ada", "waypoint@example.com", ["ada@example.com"])
    cache.set("rate-limit-counter", 3, 3600)

if step == "damage":
    User.objects.get(email="ada@example.com").delete()
    bo = User.objects.get(email="bo@example.com")
    plan = bo.plans.get()
    plan.set_status(Plan.Status.ACTIVE, today)
    plan.set_item_state(plan.transition.roadmap_items.get(key="p2-task-1"), "done", now=now)
    ItemProgress.objects.filter(plan=plan).update(note="Rewritten")
    make_member(email="cy@example.com")
    SessionStore().create()
    send_mail("Second", "Hello again", "waypoint@example.com", ["bo@example.com"])

# Every step ends with a snapshot: the member data (every row, ordered by primary key) and how
# many rows the database cache holds.
rows = {
    label: list(apps.get_model(label).objects.order_by("pk").values_list())
    for label in MEMBER_DATA
}
rows["check-in focus items"] = list(
    CheckIn.focus_items.through.objects.order_by("pk").values_list()
)
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM waypoint_cache")
    cache_rows = cursor.fetchone()[0]
print(json.dumps({"rows": rows, "cache_rows": cache_rows}, default=str))
"""

HOLDS = "2 members, 2 plans, 3 ticks, 2 check-ins"


def run(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "REDIS_URL", "EMAIL_BACKEND") and not key.startswith("PG")
    }
    env.update(
        SECRET_KEY="x",
        STATIC_MANIFEST="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        LOG_LEVEL="WARNING",
    )
    return subprocess.run(
        [sys.executable, *args], env=env, cwd=BASE, capture_output=True, text=True, timeout=90
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def refused(result: subprocess.CompletedProcess, message: str) -> None:
    """The command stopped with a CommandError saying `message`, not with a traceback."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "CommandError:" in result.stderr and "Traceback" not in result.stderr
    assert message in " ".join(result.stderr.split())


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    return run(database_url, "manage.py", *args)


def step(database_url: str, name: str) -> dict:
    """Runs the step ("build", "damage" or just "snapshot"), returns the snapshot after it."""
    return json.loads(ok(run(database_url, "-c", SCRIPT, name)).stdout)


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A migrated SQLite database file, made once; tests copy it."""
    path = tmp_path_factory.mktemp("template") / "db.sqlite3"
    ok(manage(f"sqlite:///{path}", "migrate", "--noinput"))
    return path


@pytest.fixture
def sqlite_url(tmp_path, migrated_sqlite) -> str:
    shutil.copyfile(migrated_sqlite, tmp_path / "db.sqlite3")
    return f"sqlite:///{tmp_path / 'db.sqlite3'}"


def check_round_trip(database_url: str, backup: Path, other_engine_magic: bytes) -> None:
    """Members' data, sessions and the mail queue come back exactly as they were backed up;
    the cache's rows do not."""
    before = step(database_url, "build")
    assert all(before["rows"].values()) and before["cache_rows"] >= 1

    made = ok(manage(database_url, "backup_db", str(backup)))
    assert f"It holds {HOLDS}." in made.stdout
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no .partial left

    damaged = step(database_url, "damage")
    assert damaged["rows"] != before["rows"]

    refused(manage(database_url, "restore_db", str(backup)), "then run again with --yes")
    wrong = backup.with_name("other-engine")
    wrong.write_bytes(other_engine_magic + b"\0" * 64)
    refused(manage(database_url, "restore_db", str(wrong), "--yes"), "backup, but the configured")
    wrong.unlink()
    assert step(database_url, "snapshot") == damaged

    restored = ok(manage(database_url, "restore_db", str(backup), "--yes"))
    assert f"It now holds {HOLDS}." in restored.stdout
    after = step(database_url, "snapshot")
    assert after["rows"] == before["rows"]
    assert after["cache_rows"] == 0


# --- SQLite --------------------------------------------------------------------------------


def test_a_sqlite_restore_gives_back_the_member_data_of_the_backup(tmp_path, sqlite_url):
    (tmp_path / "backups").mkdir()
    check_round_trip(sqlite_url, tmp_path / "backups" / "waypoint.backup", PG_DUMP_MAGIC)
    header = (tmp_path / "db.sqlite3").read_bytes()[:20]
    assert header[18:20] == b"\x02\x02"  # the live database is still in WAL mode


def test_a_sqlite_backup_refuses_to_overwrite_unless_forced_and_is_readable_alone(
    tmp_path, sqlite_url
):
    backup = tmp_path / "waypoint.backup"
    backup.write_text("an older backup")
    refused(manage(sqlite_url, "backup_db", str(backup)), "already exists; pass --force")
    assert backup.read_text() == "an older backup"

    made = ok(manage(sqlite_url, "backup_db", str(backup), "--force"))
    assert (
        f"to {backup} (" in made.stdout
        and "It holds 0 members, 0 plans, 0 ticks, 0 check-ins." in made.stdout
    )
    assert backup.stat().st_mode & 0o077 == 0  # members' data: readable by its owner only
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.sqlite3", "waypoint.backup"]
    with sqlite3.connect(backup) as copy:  # one file, in rollback-journal mode, no -wal needed
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0] > 10


def test_a_sqlite_backup_runs_while_the_app_writes(tmp_path, sqlite_url):
    """Online: a writer keeps committing during the backup and is never locked out; the
    backup holds a consistent snapshot between the writer's first and last rows."""
    db_path = tmp_path / "db.sqlite3"
    stop, written, errors = threading.Event(), [], []

    def write() -> None:
        with sqlite3.connect(db_path, timeout=1, isolation_level=None) as db:
            db.execute("PRAGMA journal_mode=WAL")
            while not stop.is_set():
                try:
                    db.execute(
                        "INSERT INTO django_session VALUES (?, 'data', '2099-01-01')",
                        [f"session-{len(written)}"],
                    )
                    written.append(1)
                except sqlite3.Error as error:
                    errors.append(error)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = manage(sqlite_url, "backup_db", str(tmp_path / "online.backup"))
    finally:
        stop.set()
        writer.join()
    ok(result)
    assert errors == [] and written
    with sqlite3.connect(tmp_path / "online.backup") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        in_backup = copy.execute("SELECT COUNT(*) FROM django_session").fetchone()[0]
    assert 0 <= in_backup <= len(written)


# --- PostgreSQL ----------------------------------------------------------------------------


@pytest.fixture
def scratch_postgres():
    """A scratch PostgreSQL database's URL, dropped afterwards. The server is the one of
    DATABASE_URL when that is PostgreSQL, else postgres@127.0.0.1:5432."""
    url = os.environ.get("DATABASE_URL", "")
    server = dj_database_url.parse(
        url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/postgres"
    )
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update(
        PGHOST=server["HOST"] or "127.0.0.1",
        PGPORT=str(server["PORT"] or 5432),
        PGUSER=server["USER"] or "postgres",
        PGPASSWORD=server["PASSWORD"] or "",
        PGDATABASE="postgres",
        PGCONNECT_TIMEOUT="5",
    )

    def psql(sql: str) -> subprocess.CompletedProcess:
        try:
            return subprocess.run(
                ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
                env=env,
                capture_output=True,
                text=True,
                timeout=30,
            )
        except FileNotFoundError:
            pytest.fail("psql is not installed; the PostgreSQL backup test needs it.")

    name = f"waypoint_backup_{os.getpid()}_{secrets.token_hex(3)}"
    created = psql(f'CREATE DATABASE "{name}"')
    if created.returncode != 0:
        pytest.fail(
            f"PostgreSQL does not answer on {env['PGHOST']}:{env['PGPORT']} as {env['PGUSER']} "
            f"({created.stderr.strip()}); the backup test needs it (CI machines have it)."
        )
    password = f":{server['PASSWORD']}" if server["PASSWORD"] else ""
    yield f"postgres://{env['PGUSER']}{password}@{env['PGHOST']}:{env['PGPORT']}/{name}"
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_postgresql_restore_gives_back_the_member_data_of_the_backup(tmp_path, scratch_postgres):
    (tmp_path / "backups").mkdir()
    backup = tmp_path / "backups" / "waypoint.dump"
    ok(manage(scratch_postgres, "migrate", "--noinput"))
    check_round_trip(scratch_postgres, backup, SQLITE_MAGIC)
    assert backup.read_bytes().startswith(PG_DUMP_MAGIC)


def test_the_postgresql_connection_goes_in_the_environment(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "inherited")
    monkeypatch.setenv("PGSERVICE", "inherited")
    env = pg_environment(
        {
            "NAME": "waypoint",
            "USER": "app",
            "PASSWORD": "s3cret",
            "HOST": "db.internal",
            "PORT": 6432,
            "OPTIONS": {"sslmode": "require"},
        }
    )
    pg = {key: value for key, value in env.items() if key.startswith("PG")}
    assert pg == {
        "PGDATABASE": "waypoint",
        "PGUSER": "app",
        "PGPASSWORD": "s3cret",
        "PGHOST": "db.internal",
        "PGPORT": "6432",
        "PGSSLMODE": "require",
    }
    unset = pg_environment({"NAME": "waypoint", "USER": "", "PASSWORD": "", "HOST": "", "PORT": ""})
    assert {key for key in unset if key.startswith("PG")} == {"PGDATABASE"}


# --- The file checks -----------------------------------------------------------------------


def test_a_backup_cut_short_leaves_no_file_that_looks_complete(tmp_path):
    target = tmp_path / "waypoint.backup"
    with pytest.raises(RuntimeError), atomic_output(target, force=False) as partial:
        assert partial.parent == tmp_path and partial.name.endswith(".partial")
        partial.write_bytes(SQLITE_MAGIC + b"half of it")
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []


def test_a_finished_backup_replaces_the_old_one_only_when_forced(tmp_path):
    target = tmp_path / "waypoint.backup"
    target.write_text("old")
    with pytest.raises(BackupError, match="already exists"), atomic_output(target, force=False):
        pass
    with atomic_output(target, force=True) as partial:
        partial.write_text("new")
        assert target.read_text() == "old"  # untouched until the new one is complete
    assert target.read_text() == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["waypoint.backup"]


@pytest.mark.parametrize(
    ("content", "engine", "message"),
    [
        (PG_DUMP_MAGIC + b"\x01\x0e", "sqlite", "is a PostgreSQL backup, but the configured"),
        (SQLITE_MAGIC + b"\x10\x00", "postgresql", "is a SQLite backup, but the configured"),
        (b"id,email\n1,ada@example.com\n", "sqlite", "is not a Waypoint backup"),
        (b"", "postgresql", "is not a Waypoint backup"),
    ],
)
def test_a_restore_refuses_a_file_that_is_no_backup_for_the_engine(
    tmp_path, content, engine, message
):
    path = tmp_path / "file"
    path.write_bytes(content)
    with pytest.raises(BackupError, match=message):
        check_kind(path, engine)


def test_the_file_checks_accept_a_backup_for_the_engine_and_name_a_missing_file(tmp_path):
    path = tmp_path / "waypoint.dump"
    path.write_bytes(PG_DUMP_MAGIC + b"\x01\x0e")
    check_kind(path, "postgresql")
    with pytest.raises(BackupError, match="There is no backup file at"):
        check_kind(tmp_path / "missing", "sqlite")
