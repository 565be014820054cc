"""`make bench`: requests per second, p50 and p99 of the app's pages under wrk (issue 13).

1. The database: `.bench/waypoint-<N>.sqlite3`, or with DATABASE_URL=postgres://... a database
   `waypoint_bench_<N>` on that server (never the one the URL names). Built once with the app's
   code (`migrate`, `load_catalog`, then tools/bench/data.py) and reused while it holds N bench
   members; REBUILD=1 builds it afresh. Static files are collected into .bench/staticfiles.
2. gunicorn as in production (gunicorn.conf.py, DEBUG off, SECRET_KEY, ALLOWED_HOSTS, hashed
   static files, the database cache unless REDIS_URL is set) with WEB_CONCURRENCY=WORKERS (2)
   on a free local port; its log is .bench/gunicorn.log.
3. Every page answers its expected status once for every bench member before anything is
   measured (else: a clear message, exit 1). Then ROUNDS rounds, each running wrk on every page
   in turn (tools/bench/requests.lua: signed-in sessions made with Django's session engine,
   rotating over the bench members; the htmx tick POST carries the CSRF cookie and header and
   alternates done/open on open items of the member's plan).
4. One table: per page the median over rounds of req/s, p50, p99 and the ratio to /healthz's
   req/s in the same round, the errors of all rounds (socket errors and answers >= 400), and
   the issue's targets (tools/bench/report.py). BENCH_OUT=path also writes it as Markdown.

Options (environment, or make variables): N (members, 1000), REBUILD=1, DURATION (seconds per
page and round, 10), CONNECTIONS (20), THREADS (wrk threads, 2), ROUNDS (3), TIMEOUT (wrk's
per-request timeout in seconds, 10: a slower answer counts as an error), WORKERS (gunicorn
processes, 2; GUNICORN_THREADS as the conf reads it), PAGES (comma-separated page keys; /healthz
always runs), BENCH_OUT. Exits 0 whatever the figures; 1 when the bench itself could not run.
"""

from __future__ import annotations

import os
import runpy
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.bench import report  # noqa: E402
from tools.scale_check import GUNICORN, Browser, Stack, free_port  # noqa: E402

BENCH_DIR = ROOT / ".bench"
LUA = Path(__file__).with_name("requests.lua")
WRK = "/usr/bin/wrk"


class BenchError(RuntimeError):
    """The bench could not measure (not a slow page: a broken setup or a page that fails)."""


@dataclass(frozen=True)
class Options:
    members: int = 1000
    rebuild: bool = False
    duration: int = 10
    connections: int = 20
    threads: int = 2
    rounds: int = 3
    timeout: int = 10
    workers: int = 2
    pages: tuple[str, ...] = ()
    out: str = ""
    database_url: str = ""

    @classmethod
    def from_env(cls, env) -> Options:
        def number(name: str, default: int, low: int = 1) -> int:
            raw = (env.get(name) or str(default)).strip().removesuffix("s")
            try:
                value = int(raw)
            except ValueError:
                raise BenchError(f"{name}={env.get(name)!r}: give a whole number.") from None
            if value < low:
                raise BenchError(f"{name}={value}: give at least {low}.")
            return value

        options = cls(
            members=number("N", 1000),
            rebuild=(env.get("REBUILD") or "").strip() in {"1", "yes", "true"},
            duration=number("DURATION", 10),
            connections=number("CONNECTIONS", 20),
            threads=number("THREADS", 2),
            rounds=number("ROUNDS", 3),
            timeout=number("TIMEOUT", 10),
            workers=number("WORKERS", 2),
            pages=tuple(p.strip() for p in (env.get("PAGES") or "").split(",") if p.strip()),
            out=(env.get("BENCH_OUT") or "").strip(),
            database_url=(env.get("DATABASE_URL") or "").strip(),
        )
        if options.connections < options.threads:
            raise BenchError("CONNECTIONS must be at least THREADS (wrk's rule).")
        return options


@dataclass(frozen=True)
class Database:
    url: str  # what the app is given
    label: str  # for the setup line
    postgres_name: str = ""  # the bench database's name on PostgreSQL
    admin_url: str = ""  # where to create or drop it (the URL the developer gave)
    sqlite_path: Path | None = None


def bench_database(members: int, database_url: str, bench_dir: Path = BENCH_DIR) -> Database:
    """The bench's own database for N members: a SQLite file under .bench/, or on the
    PostgreSQL server of DATABASE_URL a database waypoint_bench_<N> (the URL's own database
    is only used to create that one, never measured or changed)."""
    if not database_url:
        path = bench_dir / f"waypoint-{members}.sqlite3"
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        return Database(f"sqlite:///{path}", f"SQLite {shown}", sqlite_path=path)
    parts = urlsplit(database_url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise BenchError(
            f"DATABASE_URL: the bench runs on SQLite or PostgreSQL, not {parts.scheme}."
        )
    name = f"waypoint_bench_{members}"
    url = urlunsplit(parts._replace(path=f"/{name}"))
    host = parts.hostname or "localhost"
    return Database(url, f"PostgreSQL {name} on {host}", postgres_name=name, admin_url=database_url)


def bench_env(base: dict, database: Database, workers: int, secret_key: str) -> dict:
    """The production profile (as tools/scale_check.py runs it), on plain HTTP without nginx
    in front: DEBUG off, hashed static files, no developer .env."""
    env = {
        **base,
        "WAYPOINT_ENV_FILE": os.devnull,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database.url,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_MANIFEST": "1",
        "STATIC_ROOT": str(BENCH_DIR / "staticfiles"),
        "SITE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
        "WEB_CONCURRENCY": str(workers),
    }
    for name in ["EMAIL_BACKEND", "EMAIL_URL", "GUNICORN_BIND", "PORT", "TRUSTED_PROXY_COUNT"]:
        env.pop(name, None)
    return env


# --- The pages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    kind: str  # report.MIN_RATIO's kinds (catalog, member, tick) or probe, anchor, feed
    lines: tuple[tuple, ...]  # (member, method, path, cookie, csrftoken, toggle)


PAGE_KEYS = [
    "healthz", "signin", "floor", "glossary", "home", "roles", "role", "compare", "transition",
    "pathfinder", "dashboard", "plan", "checkin", "history", "preferences", "tick", "calendar",
]  # fmt: skip


def make_pages(targets: list[dict], transition, compare: list[str]) -> list[Page]:
    from django.conf import settings

    def anonymous(key, label, kind, path):
        return Page(key, label, kind, ((0, "GET", path, "-", "-", "0"),))

    def cookie(t):
        return f"{settings.SESSION_COOKIE_NAME}={t['session']}; {settings.CSRF_COOKIE_NAME}={t['csrftoken']}"

    def member(key, label, path, kind="member"):
        lines = tuple((t["member"], "GET", path(t), cookie(t), "-", "0") for t in targets)
        return Page(key, label, kind, lines)

    items = len(targets[0]["items"]) if targets else 0
    ticks = tuple(
        (
            t["member"],
            "POST",
            f"/plans/{t['plan']}/items/{item}/state/",
            cookie(t),
            t["csrftoken"],
            "1",
        )
        for n in range(items)
        for t in targets
        for item in t["items"][n : n + 1]
    )
    size = transition.items
    compared = "&".join(f"compare={slug}" for slug in compare)
    return [
        anonymous("healthz", "/healthz", "probe", "/healthz"),
        anonymous("signin", "sign-in page (peer anchor)", "anchor", "/accounts/login/"),
        # A signed-in page that shows almost nothing (one form, no plan): what any member
        # page costs before its own work (session, user, middleware, the base template).
        member("floor", "signed-in floor (calendar settings)", lambda t: "/calendar/", "anchor"),
        anonymous("glossary", "glossary", "catalog", "/glossary/"),
        anonymous("home", "home", "catalog", "/"),
        anonymous("roles", "roles list", "catalog", "/roles/"),
        anonymous("role", "role page", "catalog", f"/roles/{transition.to_role.slug}/"),
        anonymous("compare", "compare 2 roles", "catalog", f"/roles/?{compared}"),
        anonymous(
            "transition",
            f"transition ({size} items)",
            "catalog",
            f"/transitions/{transition.slug}/",
        ),
        anonymous("pathfinder", "path finder", "catalog", "/path-finder/"),
        member("dashboard", "dashboard", lambda t: "/dashboard/"),
        member("plan", f"plan page ({size} items)", lambda t: f"/plans/{t['plan']}/"),
        member("checkin", "check-in", lambda t: f"/plans/{t['plan']}/checkins/"),
        member("history", "check-in history", lambda t: f"/plans/{t['plan']}/checkins/history/"),
        member("preferences", "preferences", lambda t: "/accounts/preferences/"),
        Page("tick", "tick POST (htmx)", "tick", ticks),
        Page(
            "calendar",
            "calendar .ics feed",
            "feed",
            tuple(
                (t["member"], "GET", f"/calendar/{t['feed']}.ics", "-", "-", "0") for t in targets
            ),
        ),
    ]


def choose(pages: list[Page], wanted: tuple[str, ...]) -> list[Page]:
    """The pages PAGES names (and /healthz, every ratio's anchor), in the table's order."""
    if not wanted:
        return pages
    unknown = sorted(set(wanted) - {p.key for p in pages})
    if unknown:
        keys = ", ".join(p.key for p in pages)
        raise BenchError(f"PAGES: unknown {', '.join(unknown)}; the pages are {keys}.")
    return [p for p in pages if p.key == "healthz" or p.key in wanted]


def write_targets(page: Page, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{page.key}.tsv"
    path.write_text("".join("\t".join(map(str, line)) + "\n" for line in page.lines))
    return path


# --- Setting up -----------------------------------------------------------------------------


def postgres(admin_url: str, sql: str) -> list:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def wipe(database: Database) -> None:
    """An empty bench database (a failed or different build, or REBUILD=1)."""
    from django.db import connections

    connections.close_all()
    if database.sqlite_path:
        for suffix in ["", "-wal", "-shm"]:
            Path(f"{database.sqlite_path}{suffix}").unlink(missing_ok=True)
    else:
        postgres(
            database.admin_url, f'DROP DATABASE IF EXISTS "{database.postgres_name}" WITH (FORCE)'
        )
        postgres(database.admin_url, f'CREATE DATABASE "{database.postgres_name}"')


def prepare_database(options: Options, database: Database) -> str:
    """Creates or reuses the bench database; returns what it did, for the report."""
    from django.core.management import call_command

    from tools.bench import data

    BENCH_DIR.mkdir(exist_ok=True)
    if database.postgres_name:
        exists = postgres(
            database.admin_url,
            f"SELECT 1 FROM pg_database WHERE datname = '{database.postgres_name}'",
        )
        if not exists:
            postgres(database.admin_url, f'CREATE DATABASE "{database.postgres_name}"')
    started = time.monotonic()
    call_command("migrate", "--noinput", verbosity=0)  # the app's latest migrations, always
    have = data.bench_members_in_database()
    if have == options.members and not options.rebuild:
        return f"reused ({have} members; migrated in {time.monotonic() - started:.1f} s)"
    if have or options.rebuild:
        print(f"rebuilding ({'REBUILD=1' if options.rebuild else f'{have} members found'})")
        wipe(database)
        call_command("migrate", "--noinput", verbosity=0)
    call_command("load_catalog", "--if-empty", verbosity=0)
    catalog = time.monotonic() - started
    print(f"building {options.members} members ...", flush=True)
    counts = data.build(options.members)
    total = time.monotonic() - started
    return (
        f"built in {total:.1f} s (migrate + catalog {catalog:.1f} s, members {counts['seconds']} s): "
        f"{counts['members']} members, {counts['plans']} plans ({counts['archived']} left), "
        f"{counts['ticks']} ticks, {counts['known']} known, {counts['notes']} notes, "
        f"{counts['checkins']} check-ins ({counts['focus']} focus items)"
    )


def git_commit() -> str:
    def git(*args):
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return result.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + ("+uncommitted" if git("status", "--porcelain", "--untracked-files=no") else "")


class Server(Stack):
    """gunicorn with the bench's environment; Stack's start, wait_for and stop_processes."""

    def __init__(self, env: dict) -> None:
        self.tmp = BENCH_DIR  # gunicorn's log: .bench/gunicorn.log
        self.processes = []
        self.env = env

    def close(self) -> None:
        self.stop_processes()

    def log_tail(self, lines: int = 30) -> str:
        log = self.tmp / "gunicorn.log"
        return (
            "\n".join(log.read_text(errors="replace").splitlines()[-lines:]) if log.exists() else ""
        )


def check_line(port: int, label: str, line: tuple) -> str | None:
    """One request of a page (a tick: done, then open), answered 200? Else what answered."""
    _member, method, path, cookie, csrftoken, toggle = line
    browser = Browser(port)
    if cookie != "-":
        browser.cookies = dict(part.split("=", 1) for part in cookie.split("; "))
    headers = {} if csrftoken == "-" else {"X-CSRFToken": csrftoken}
    if toggle == "1":
        headers["HX-Request"] = "true"
        bodies = [{"state": "done"}, {"state": "open"}]
    else:
        bodies = [None]
    for body in bodies:
        status, response_headers, _text = browser.request(method, path, body, headers)
        if status != 200:
            where = response_headers.get("Location", "")
            return f"{label}: {method} {path} answered {status}" + (
                f" -> {where} (expected 200)" if where else " (expected 200)"
            )
    return None


def precheck(port: int, pages: list[Page]) -> None:
    """Every request a page will send answers 200 once (each tick item is posted done, then
    open; four at a time); anything else stops the bench here, with what answered."""
    from concurrent.futures import ThreadPoolExecutor

    work = [(page.label, line) for page in pages for line in page.lines]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda job: check_line(port, *job), work))
    problems = [answer for answer in answers if answer]
    if problems:
        raise BenchError(
            f"{len(problems)} of {len(work)} requests do not answer as expected:\n  "
            + "\n  ".join(problems[:20])
        )


def run_wrk(options: Options, port: int, targets_file: Path) -> report.Measure:
    command = [
        WRK,
        f"-t{options.threads}",
        f"-c{options.connections}",
        f"-d{options.duration}s",
        f"--timeout={options.timeout}s",
        "-s",
        str(LUA),
        f"http://127.0.0.1:{port}",
        "--",
        str(targets_file),
        str(options.threads),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=options.duration + 60
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"wrk did not finish within {options.duration + 60} s") from None
    if result.returncode != 0:
        raise BenchError(f"wrk failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return report.parse_wrk(result.stdout)


def settle(port: int, log: Path, limit: float = 120.0) -> float:
    """Waits until gunicorn has answered what the last wrk run left queued (wrk stops sending
    at the end of its run, but requests already accepted are still answered: they would slow
    the next page's run and their status belongs to this one): until one /healthz is the only
    request answered in the access log while it is asked. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        before = log.read_bytes().count(b"\n")
        try:
            Browser(port).request("GET", "/healthz?settle")
        except OSError as error:
            raise BenchError(f"gunicorn stopped answering: {error}") from None
        time.sleep(0.2)
        if log.read_bytes().count(b"\n") - before <= 1:
            break
    return time.monotonic() - started


def measure(options: Options, port: int, pages: list[Page], targets: list[dict]) -> list[dict]:
    from django.db import connections

    from tools.bench import data

    files = {page.key: write_targets(page, BENCH_DIR / "targets") for page in pages}
    log = BENCH_DIR / "gunicorn.log"
    settle(port, log)
    rounds = []
    for number in range(1, options.rounds + 1):
        measured = {}
        for page in pages:
            if page.kind == "tick":
                data.reopen(targets)  # every tick's first POST changes the item again
                connections.close_all()
            offset = log.stat().st_size
            result = run_wrk(options, port, files[page.key])
            waited = settle(port, log)  # the answers to the requests wrk left queued
            with log.open("rb") as file:
                file.seek(offset)
                result = report.with_log(result, file.read().decode("utf-8", "replace"))
            measured[page.key] = result
            print(
                f"round {number}/{options.rounds}  {page.label:<28} {result.rps:8.0f} req/s  "
                f"p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms  errors {result.errors}"
                + (f" ({result.unexpected} not 200)" if result.unexpected else "")
                + (f"  (server busy {waited:.0f} s after the run)" if waited > 2 else ""),
                flush=True,
            )
        rounds.append(measured)
    return rounds


def main() -> int:
    try:
        options = Options.from_env(os.environ)
        database = bench_database(options.members, options.database_url)
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    if not shutil.which(WRK):
        print(
            "bench: wrk is missing. Install it with:  sudo apt-get install -y wrk", file=sys.stderr
        )
        return 1
    load = os.getloadavg()
    env = bench_env(dict(os.environ), database, options.workers, secrets.token_urlsafe(40))
    os.environ.clear()
    os.environ.update(env)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from tools.bench import data

    server = Server({**env})
    try:
        print(f"database: {database.label}", flush=True)
        print(prepare_database(options, database), flush=True)
        started = time.monotonic()
        call_command("collectstatic", "--noinput", verbosity=0)
        print(f"static files collected in {time.monotonic() - started:.1f} s", flush=True)
        transition = data.biggest_transition()
        targets = data.bench_targets()
        if not targets:
            raise BenchError("no bench members in the database")
        from careers.models import Role

        compare = list(Role.objects.published().ai_roles().values_list("slug", flat=True)[:2])
        pages = choose(make_pages(targets, transition, compare), options.pages)
        connections.close_all()
        print(
            f"plans: every member follows {transition.slug} ({transition.items} items, the most "
            f"of any published transition); {len(targets)} bench members signed in by session",
            flush=True,
        )

        port = free_port()
        server.env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        (BENCH_DIR / "gunicorn.log").unlink(missing_ok=True)
        server.start("gunicorn", [GUNICORN, "-c", "gunicorn.conf.py"])
        server.wait_for("gunicorn", Browser(port))
        started = time.monotonic()
        precheck(port, pages)
        data.reopen(targets)
        connections.close_all()
        print(
            f"every page answered 200 for every bench member ({sum(len(p.lines) for p in pages)} "
            f"requests, {time.monotonic() - started:.0f} s); measuring on port {port}"
        )

        cache = "Redis" if env.get("REDIS_URL") else "the database"
        setup = (
            f"N={options.members} members; {database.label}; cache in {cache}; gunicorn "
            f"{conf['workers']} workers × "
            f"{conf['threads']} threads ({conf['worker_class']}); wrk -t{options.threads} "
            f"-c{options.connections} -d{options.duration}s --timeout={options.timeout}s × "
            f"{options.rounds} rounds; commit "
            f"{git_commit()}; {os.cpu_count()} cores, load average "
            f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} at start"
        )
        print(setup, flush=True)
        rounds = measure(options, port, pages, targets)
    except BenchError as error:
        print(f"\nbench: {error}", file=sys.stderr)
        tail = server.log_tail()
        if tail:
            print(f"\nlast lines of .bench/gunicorn.log:\n{tail}", file=sys.stderr)
        return 1
    finally:
        server.close()
        connections.close_all()

    rows = report.summarise([(p.key, p.label, p.kind) for p in pages], rounds)
    after = os.getloadavg()
    print()
    print(setup)
    print(
        f"(medians of {options.rounds} rounds; errors summed; load average at the end {after[0]:.2f})"
    )
    print(report.format_table(rows))
    print(report.verdict_line(rows))
    if options.out:
        Path(options.out).write_text(report.format_markdown(rows, setup))
        print(f"wrote {options.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
