"""Backup and restore of the whole database: SQLite or PostgreSQL, whichever is configured.

SQLite is copied with SQLite's online backup API (Python's `sqlite3.Connection.backup`): one
consistent snapshot, taken while the app keeps reading and writing (WAL mode lets writers go on
during the copy). PostgreSQL goes through `pg_dump --format=custom` and `pg_restore --clean
--if-exists --no-owner`, with the connection passed in the environment (PGHOST, PGPORT, PGUSER,
PGPASSWORD, PGDATABASE), never the password on a command line.

A backup is written under a hidden temporary name beside the target and renamed only once it is
complete and checked, so a backup that was cut short never looks like one. The database cache's
rows (rate-limit counters) are left out.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"  # pg_dump's custom format
ENGINES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# libpq's environment variables for the OPTIONS that dj-database-url takes from the URL.
PG_OPTION_VARIABLES = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}


class BackupError(Exception):
    """A refusal or failure to tell the operator in one sentence (no traceback)."""


@dataclass(frozen=True)
class Counts:
    members: int
    plans: int
    ticks: int
    checkins: int

    def __str__(self) -> str:
        counted = [
            (self.members, "member"),
            (self.plans, "plan"),
            (self.ticks, "tick"),
            (self.checkins, "check-in"),
        ]
        return ", ".join(f"{n} {word}{'' if n == 1 else 's'}" for n, word in counted)


@dataclass(frozen=True)
class Result:
    engine: str  # "sqlite" or "postgresql"
    database: str  # the SQLite file or the PostgreSQL database name
    path: Path
    size: int
    counts: Counts


def count_rows(cursor) -> Counts:
    """Members, plans, ticks (items done) and check-ins, read through a DB-API cursor."""
    from accounts.models import User
    from roadmaps.models import CheckIn, ItemProgress, Plan

    def count(model, where: str = "") -> int:
        cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}" {where}')
        return cursor.fetchone()[0]

    return Counts(
        members=count(User),
        plans=count(Plan),
        ticks=count(ItemProgress, "WHERE state = 'done'"),
        checkins=count(CheckIn),
    )


def cache_tables() -> list[str]:
    """The tables of the configured database caches, whose rows a backup leaves out."""
    return sorted(
        {
            cache["LOCATION"]
            for cache in settings.CACHES.values()
            if cache["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
        }
    )


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in ENGINES:
        raise BackupError(
            f"Backups cover SQLite and PostgreSQL; the {connection.alias!r} database is "
            f"{connection.display_name}."
        )
    return connection.vendor


def kind_of_file(path: Path) -> str | None:
    """ "sqlite" or "postgresql" (a pg_dump custom-format file) by the file's first bytes."""
    if not path.exists():
        raise BackupError(f"There is no backup file at {path}.")
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    with path.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def check_kind(path: Path, engine: str) -> None:
    """Refuse a file that is not a backup for `engine`, saying what it is instead."""
    kind = kind_of_file(path)
    if kind is None:
        raise BackupError(
            f"{path} is not a Waypoint backup: neither a SQLite database nor a pg_dump "
            "custom-format file."
        )
    if kind != engine:
        raise BackupError(
            f"{path} is a {ENGINES[kind]} backup, but the configured database is "
            f"{ENGINES[engine]}: restore it into a {ENGINES[kind]} database."
        )


@contextmanager
def atomic_output(path: Path, *, force: bool) -> Iterator[Path]:
    """A temporary file beside `path` to write the backup into; renamed to `path` only when
    the block ends without an error, removed otherwise."""
    if path.is_dir():
        raise BackupError(f"{path} is a directory: give the backup file's name.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; pass --force to overwrite it.")
    if not path.parent.is_dir():
        raise BackupError(f"There is no directory {path.parent} to write the backup into.")
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    os.close(fd)  # mode 0600: a backup holds members' data and password hashes
    temporary = Path(name)
    try:
        yield temporary
        with temporary.open("rb") as file:
            os.fsync(file.fileno())
        if path.exists() and not force:
            raise BackupError(f"{path} appeared while the backup was written; it is kept.")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- SQLite ------------------------------------------------------------------------------


def sqlite_file(connection: BaseDatabaseWrapper) -> Path:
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        raise BackupError("The configured SQLite database lives in memory; there is no file.")
    return Path(name)


def _check_sqlite(db: sqlite3.Connection, path: Path) -> Counts:
    """Counts from a SQLite database that passes a quick integrity check."""
    try:
        verdict = db.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise BackupError(f"{path} is damaged (SQLite's quick check: {verdict}).")
        return count_rows(db.cursor())
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable Waypoint database ({error}).") from error


def sqlite_backup(source_path: Path, path: Path, *, force: bool) -> Result:
    if not source_path.is_file():
        raise BackupError(f"There is no SQLite database at {source_path}.")
    with atomic_output(path, force=force) as temporary:
        try:
            with (
                closing(sqlite3.connect(source_path, timeout=20)) as source,
                closing(sqlite3.connect(temporary, isolation_level=None)) as target,
            ):
                source.backup(target)  # one step: one consistent snapshot
                # A standalone file (no -wal beside it), without the cache's rows.
                target.execute("PRAGMA journal_mode=DELETE")
                for table in cache_tables():
                    if target.execute(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
                    ).fetchone():
                        target.execute(f'DELETE FROM "{table}"')
                counts = _check_sqlite(target, source_path)
        except sqlite3.Error as error:
            raise BackupError(f"Backing up {source_path} failed: {error}.") from error
        size = temporary.stat().st_size
    return Result("sqlite", str(source_path), path, size, counts)


def sqlite_restore(path: Path, target_path: Path) -> Result:
    try:
        with closing(sqlite3.connect(path, isolation_level=None)) as backup:
            _check_sqlite(backup, path)
            with closing(sqlite3.connect(target_path, timeout=20, isolation_level=None)) as db:
                # Replaces every page of the live database in one write transaction: other
                # connections see the old data or the new, and the WAL stays consistent (copying
                # the file over a database in use would not).
                backup.backup(db)
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                counts = _check_sqlite(db, target_path)
    except sqlite3.Error as error:
        raise BackupError(f"Restoring {path} into {target_path} failed: {error}.") from error
    return Result("sqlite", str(target_path), path, path.stat().st_size, counts)


# --- PostgreSQL --------------------------------------------------------------------------


def pg_environment(settings_dict: dict) -> dict[str, str]:
    """The process environment with libpq's connection variables set from Django's settings
    (unset where the settings leave a value to libpq's default)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    values.update({var: options.get(option) for option, var in PG_OPTION_VARIABLES.items()})
    env.update({key: str(value) for key, value in values.items() if value not in (None, "")})
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs "
            "(Debian: apt-get install postgresql-client), the server's major version or newer."
        )
    return tool


def _run(args: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(args, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{what} failed:\n{result.stderr.strip()}")
    return result


def _check_pg_dump(path: Path, env: dict[str, str]) -> None:
    """pg_restore reads the file's table of contents (catches a truncated or foreign file)."""
    _run([_pg_tool("pg_restore"), "--list", str(path)], env, f"Reading {path}")


def _pg_counts(connection: BaseDatabaseWrapper) -> Counts:
    db = connection.get_new_connection(connection.get_connection_params())
    with closing(db), closing(db.cursor()) as cursor:
        return count_rows(cursor)


def pg_backup(connection: BaseDatabaseWrapper, path: Path, *, force: bool) -> Result:
    env = pg_environment(connection.settings_dict)
    pg_dump = _pg_tool("pg_dump")
    with atomic_output(path, force=force) as temporary:
        # The counts and the dump see the same snapshot: this transaction exports it and stays
        # open until pg_dump has taken it.
        db = connection.get_new_connection(connection.get_connection_params())
        with closing(db):
            db.autocommit = True
            with closing(db.cursor()) as cursor:
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                counts = count_rows(cursor)
                args = [pg_dump, "--format=custom", f"--file={temporary}"]
                args += [f"--snapshot={snapshot}"]
                args += [f"--exclude-table-data={table}" for table in cache_tables()]
                _run(args, env, "pg_dump")
                cursor.execute("COMMIT")
        _check_pg_dump(temporary, env)
        size = temporary.stat().st_size
    return Result("postgresql", env.get("PGDATABASE", ""), path, size, counts)


def pg_restore(connection: BaseDatabaseWrapper, path: Path) -> Result:
    env = pg_environment(connection.settings_dict)
    _check_pg_dump(path, env)
    connection.close()
    args = [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner"]
    # One transaction: a restore that fails half-way leaves the database as it was.
    args += ["--single-transaction", f"--dbname={env.get('PGDATABASE', '')}", str(path)]
    _run(args, env, "pg_restore")
    return Result(
        "postgresql", env.get("PGDATABASE", ""), path, path.stat().st_size, _pg_counts(connection)
    )


# --- What the commands call -------------------------------------------------------------


def backup(connection: BaseDatabaseWrapper, path: Path, *, force: bool = False) -> Result:
    if engine_of(connection) == "sqlite":
        return sqlite_backup(sqlite_file(connection), path, force=force)
    return pg_backup(connection, path, force=force)


def check_backup_file(connection: BaseDatabaseWrapper, path: Path) -> str:
    """The engine, once `path` is known to be a backup for it (read-only)."""
    engine = engine_of(connection)
    check_kind(path, engine)
    return engine


def restore(connection: BaseDatabaseWrapper, path: Path) -> Result:
    engine = check_backup_file(connection, path)
    if engine == "sqlite":
        connection.close()
        return sqlite_restore(path, sqlite_file(connection))
    return pg_restore(connection, path)


def describe(connection: BaseDatabaseWrapper) -> str:
    engine = engine_of(connection)
    if engine == "sqlite":
        return f"the SQLite database {sqlite_file(connection)}"
    settings_dict = connection.settings_dict
    where = f" on {settings_dict['HOST']}" if settings_dict.get("HOST") else ""
    return f"the PostgreSQL database {settings_dict['NAME']!r}{where}"


def human_size(size: int) -> str:
    value, units = float(size), ["kB", "MB", "GB"]
    if size < 1000:
        return f"{size} bytes"
    value /= 1000
    while value >= 1000 and len(units) > 1:
        value /= 1000
        units.pop(0)
    return f"{value:.1f} {units[0]}"
