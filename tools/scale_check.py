"""`make scale-check`: two app instances behind nginx on one machine share everything they must.

Sets up what several machines would have: a scratch PostgreSQL database (127.0.0.1:5432, user
postgres; dropped at the end), a Redis database of its own (db SCALE_CHECK_REDIS_DB, default 14,
flushed at the start and the end), two gunicorn instances (gunicorn.conf.py) on two free ports
and nginx (deploy/nginx.conf, a throwaway certificate) in front, with TRUSTED_PROXY_COUNT=1 and
SECURE_SSL_REDIRECT off. Then checks, one line each, PASS or FAIL:

  a. nginx spreads requests over both instances; its plain-HTTP side answers the probes and
     redirects the rest; static files come from STATIC_ROOT with long caching;
  b. a session made on instance 1 is valid on instance 2 (sessions in the database);
  c. the failed sign-in limits hold across instances (per email), and behind nginx count each
     client address apart (per IP, from X-Forwarded-For as nginx writes it);
  d. the cache is shared (one process writes, another reads; the limits live in Redis);
  e. two `send_checkin_reminders` started at once queue each due reminder exactly once.

Exits 1 if any check fails. Standard library plus the app's own packages (redis, Django via
manage.py). Static files are collected into STATIC_ROOT (staticfiles/, as a deploy does).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import traceback
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.nginx_conf import render_test_config  # noqa: E402

PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
NGINX = "/usr/sbin/nginx"
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS_DB = int(os.environ.get("SCALE_CHECK_REDIS_DB", "14"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
PASSWORD = "correct-horse-battery"
NOT_CORRECT = "The email address and/or password you specified are not correct."
TOO_MANY = "Too many failed login attempts. Try again later."  # allauth's adapter message
DUE_MEMBERS = 6

results: list[tuple[str, bool, str]] = []


def record(name: str, ok: bool, detail: str) -> None:
    results.append((name, ok, detail))
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """A cookie-keeping HTTP client for one server, from one client address."""

    def __init__(self, port: int, https: bool = False, source: str = "127.0.0.1") -> None:
        self.port, self.https, self.source = port, https, source
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, data: dict | None = None, headers=None):
        if self.https:
            context = ssl._create_unverified_context()  # the throwaway certificate
            conn = http.client.HTTPSConnection(
                "127.0.0.1", self.port, timeout=20, context=context, source_address=(self.source, 0)
            )
        else:
            conn = http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=20, source_address=(self.source, 0)
            )
        sent = {"Connection": "close", **(headers or {})}
        if not self.https:
            # What nginx sends every instance (Host $host: the name without the port). allauth
            # keys the per-email limit by host and email, so this matters: see README.
            sent.setdefault("Host", "127.0.0.1")
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
            # Django checks the Referer of HTTPS form posts; nginx passes Host without the port.
            sent.setdefault("Referer", f"https://127.0.0.1{path}")
        try:
            conn.request(method, path, body=body, headers=sent)
            response = conn.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, text
        finally:
            conn.close()

    def sign_in(self, email: str, password: str, headers=None):
        _, _, page = self.request("GET", "/accounts/login/", headers=headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        form = {"login": email, "password": password}
        form["csrfmiddlewaretoken"] = token.group(1) if token else ""
        return self.request("POST", "/accounts/login/", form, headers=headers)


def sign_in_outcome(response) -> str:
    status, headers, page = response
    if status == 302:
        return "signed in"
    if TOO_MANY in page:
        return "refused"
    if NOT_CORRECT in page:
        return "not correct"
    return f"HTTP {status}"


class Stack:
    """Everything started or made here, to undo in `close()` whatever happens."""

    def __init__(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="waypoint-scale-"))
        self.database = f"waypoint_scale_{os.getpid()}"
        self.processes: list[tuple[str, subprocess.Popen, int]] = []
        self.made_database = False
        self.made_staticfiles = not (ROOT / "staticfiles").exists()
        self.env = {
            **os.environ,
            # The production profile alone: not a developer's .env (make run writes DEBUG=1).
            "WAYPOINT_ENV_FILE": os.devnull,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": f"{POSTGRES}/{self.database}",
            "REDIS_URL": REDIS_URL,
            "TRUSTED_PROXY_COUNT": "1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "STATIC_MANIFEST": "1",
            "SITE_URL": "https://waypoint.test",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        for name in ["DEBUG", "EMAIL_BACKEND", "EMAIL_URL", "GUNICORN_BIND", "PORT"]:
            self.env.pop(name, None)

    def psql(self, sql: str) -> None:
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", sql],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def manage(self, *args: str, timeout: int = 300) -> str:
        result = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)}:\n{result.stderr[-3000:]}")
        return result.stdout

    def shell(self, code: str) -> dict:
        """Runs `code` in `manage.py shell`; it prints one JSON object as its last line."""
        return json.loads(self.manage("shell", "-c", code).strip().splitlines()[-1])

    def start(self, name: str, args: list[str], env: dict | None = None) -> Path:
        log = self.tmp / f"{name}.log"
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env or self.env,
            stdout=open(log, "wb"),  # noqa: SIM115 (the child keeps it)
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append((name, process, process.pid))
        return log

    def wait_for(self, name: str, browser: Browser, path: str = "/healthz") -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if browser.request("GET", path)[0] == 200:
                    return
            except OSError:
                pass
            for pname, process, _ in self.processes:
                if process.poll() is not None:
                    log = (self.tmp / f"{pname}.log").read_text()[-3000:]
                    raise RuntimeError(f"{pname} exited:\n{log}")
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {path} within 60 s")

    def stop_processes(self) -> None:
        """Stops what `start()` started (a quick SIGINT, then SIGKILL after 10 s)."""
        for _name, process, pid in reversed(self.processes):
            if process.poll() is None:
                os.killpg(pid, signal.SIGINT)  # quick shutdown: gunicorn and nginx alike
        for _name, process, pid in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(pid, signal.SIGKILL)
                process.wait()

    def close(self) -> None:
        self.stop_processes()
        if self.made_database:
            try:
                self.psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            except subprocess.CalledProcessError as error:
                print(f"could not drop database {self.database}: {error.stderr}")
        try:
            import redis

            redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
        except Exception as error:
            print(f"could not flush {REDIS_URL}: {error}")
        shutil.rmtree(self.tmp, ignore_errors=True)
        if self.made_staticfiles:
            shutil.rmtree(ROOT / "staticfiles", ignore_errors=True)


SETUP = """
import json
from datetime import timedelta
from django.conf import settings
from careers.models import Transition
from tests.factories import make_member, make_plan

make_member(email="ada@example.com", password=%(password)r)
make_member(email="grace@example.com", password=%(password)r)
transition = Transition.objects.published().first()
zones = ["UTC", "Europe/London", "Asia/Tokyo", "America/Los_Angeles", "Australia/Sydney",
         "America/Sao_Paulo"]
for n in range(%(due)d):
    member = make_member(email=f"due-{n}@example.com", timezone=zones[n %% len(zones)])
    today = member.local_today()
    member.checkin_weekday = today.weekday()  # due today, where the member is
    member.save(update_fields=["checkin_weekday"])
    make_plan(member, transition, start_date=today - timedelta(days=14))
print(json.dumps({"trusted_proxy_count": getattr(settings, "ALLAUTH_TRUSTED_PROXY_COUNT", 0),
                  "transition": transition.slug}))
"""

COUNT_REMINDERS = """
import json
from collections import Counter
from mailer.models import Message
from roadmaps.models import ReminderSent
mail = [m for m in Message.objects.all() if m.subject == "Your weekly Waypoint check-in"]
recipients = Counter(address for m in mail for address in m.to_addresses)
claims = Counter(ReminderSent.objects.values_list("plan_id", "week"))
print(json.dumps({"mail": len(mail), "recipients": len(recipients),
                  "most_mail_to_one": max(recipients.values(), default=0),
                  "claims": sum(claims.values()), "most_claims_per_plan_week":
                  max(claims.values(), default=0)}))
"""


def check_load_balancing(stack: Stack, nginx: Browser, logs: list[Path], http_port: int) -> None:
    marker = secrets.token_hex(4)
    statuses = [nginx.request("GET", f"/healthz?lb={marker}-{i}")[0] for i in range(10)]
    counts = [log.read_text().count(f"lb={marker}") for log in logs]
    record(
        "a. nginx reaches both instances",
        statuses == [200] * 10 and all(counts) and sum(counts) == 10,
        f"10 requests through nginx: {statuses.count(200)} answered 200; "
        f"instance 1 served {counts[0]}, instance 2 served {counts[1]}",
    )
    plain = Browser(http_port)
    probe, _, _ = plain.request("GET", "/healthz")
    ready, _, ready_body = plain.request("GET", "/readyz")
    moved, headers, _ = plain.request("GET", "/dashboard/")
    location = headers.get("Location", "")
    record(
        "a. plain HTTP: probes answer, the rest goes to HTTPS",
        probe == 200 and ready == 200 and moved == 301 and location.startswith("https://"),
        f"/healthz {probe}, /readyz {ready}, /dashboard/ {moved} -> {location}",
    )
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())["paths"]
    hashed = next(v for k, v in manifest.items() if k.endswith(".css"))
    status, headers, _ = nginx.request("GET", f"/static/{hashed}")
    cache_control = headers.get("Cache-Control", "")
    record(
        "a. nginx serves hashed static files, cached a year",
        status == 200 and "immutable" in cache_control and "max-age=31536000" in cache_control,
        f"/static/{hashed}: {status}, Cache-Control: {cache_control}",
    )


def check_sessions(instance1: int, instance2: int) -> None:
    browser = Browser(instance1)
    outcome = sign_in_outcome(browser.sign_in("ada@example.com", PASSWORD))
    on_other = Browser(instance2)
    on_other.cookies = dict(browser.cookies)
    status, headers, page = on_other.request("GET", "/dashboard/")
    anonymous, anon_headers, _ = Browser(instance2).request("GET", "/dashboard/")
    record(
        "b. a session made on instance 1 is valid on instance 2",
        outcome == "signed in" and status == 200 and anonymous == 302,
        f"sign-in on instance 1: {outcome}; GET /dashboard/ on instance 2 with its cookie: "
        f"{status}{' -> ' + headers.get('Location', '') if status == 302 else ''}; "
        f"without it: {anonymous} -> {anon_headers.get('Location', '')}",
    )


def check_limits(instance1: int, instance2: int, nginx_port: int, proxy_count: int) -> None:
    outcomes = []
    for attempt in range(5):
        browser = Browser(instance1 if attempt % 2 == 0 else instance2)
        outcomes.append(sign_in_outcome(browser.sign_in("grace@example.com", "wrong-password")))
    sixth = sign_in_outcome(Browser(instance2).sign_in("grace@example.com", PASSWORD))
    record(
        "c. the per-email limit holds across instances",
        outcomes == ["not correct"] * 5 and sixth == "refused",
        f"5 wrong passwords alternating instance 1/2: {', '.join(outcomes)}; "
        f"6th (right password, instance 2): {sixth}",
    )

    client_a = Browser(nginx_port, https=True, source="127.0.0.2")
    tries_a = [
        sign_in_outcome(client_a.sign_in(f"nobody-{n}@example.com", "wrong-password"))
        for n in range(10)
    ]
    eleventh = sign_in_outcome(client_a.sign_in("nobody-x@example.com", "wrong-password"))
    spoofed = sign_in_outcome(
        client_a.sign_in(
            "nobody-y@example.com", "wrong-password", headers={"X-Forwarded-For": "203.0.113.9"}
        )
    )
    client_b = Browser(nginx_port, https=True, source="127.0.0.3")
    b_outcome = sign_in_outcome(client_b.sign_in("nobody-b@example.com", "wrong-password"))
    record(
        "c. behind nginx the per-IP limit counts each client address apart",
        tries_a == ["not correct"] * 10
        and eleventh == "refused"
        and spoofed == "refused"
        and b_outcome == "not correct",
        f"client A (127.0.0.2): {tries_a.count('not correct')} of 10 not correct, 11th {eleventh}, "
        f"with a forged X-Forwarded-For {spoofed}; client B (127.0.0.3): {b_outcome} "
        f"(ALLAUTH_TRUSTED_PROXY_COUNT={proxy_count})",
    )


def check_cache(stack: Stack, nginx: Browser) -> None:
    token = secrets.token_hex(8)
    stack.shell(
        "import json; from django.core.cache import cache; "
        f"cache.set('scale-check', '{token}', 60); print(json.dumps({{}}))"
    )
    read = stack.shell(
        "import json; from django.core.cache import cache; "
        "print(json.dumps({'value': cache.get('scale-check')}))"
    )["value"]
    import redis

    limit_keys = [
        key.decode() for key in redis.Redis.from_url(REDIS_URL).scan_iter(match="*login_failed*")
    ]
    _, _, ready = nginx.request("GET", "/readyz")
    cache_line = next((line for line in ready.splitlines() if line.startswith("cache:")), "")
    record(
        "d. the cache is shared (Redis)",
        read == token and bool(limit_keys) and cache_line == "cache: ok",
        f"set in one process, read in another: {'same value' if read == token else read!r}; "
        f"{len(limit_keys)} sign-in limit counters in Redis db {REDIS_DB}; /readyz {cache_line!r}",
    )


def check_reminders(stack: Stack) -> None:
    runs = [
        subprocess.Popen(
            [PYTHON, "manage.py", "send_checkin_reminders"],
            cwd=ROOT,
            env=stack.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    queued = []
    for out, err in outputs:
        found = re.search(r"Queued (\d+) reminder", out)
        queued.append(int(found.group(1)) if found else f"error: {err.strip()[-300:]}")
    counts = stack.shell(COUNT_REMINDERS)
    record(
        "e. two reminder runs at once queue each reminder once",
        all(run.returncode == 0 for run in runs)
        and counts["mail"] == counts["claims"] == counts["recipients"] == DUE_MEMBERS
        and counts["most_mail_to_one"] == 1
        and counts["most_claims_per_plan_week"] == 1,
        f"{DUE_MEMBERS} members due; the runs queued {queued[0]} and {queued[1]}; "
        f"{counts['mail']} mails in the queue to {counts['recipients']} addresses, "
        f"{counts['claims']} ReminderSent rows",
    )


def run(stack: Stack) -> None:
    started = time.monotonic()
    import redis

    redis.Redis.from_url(REDIS_URL, socket_timeout=2).flushdb()
    stack.psql(f'CREATE DATABASE "{stack.database}"')
    stack.made_database = True
    stack.manage("migrate", "--noinput")
    stack.manage("createcachetable")
    stack.manage("load_catalog")
    stack.manage("collectstatic", "--noinput")
    setup = stack.shell(SETUP % {"password": PASSWORD, "due": DUE_MEMBERS})
    print(f"set up in {time.monotonic() - started:.0f} s: database {stack.database}, {REDIS_URL}")

    ports = [free_port(), free_port()]
    logs = []
    for n, port in enumerate(ports, start=1):
        env = {**stack.env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
        logs.append(stack.start(f"gunicorn-{n}", [GUNICORN, "-c", "gunicorn.conf.py"], env))
    http_port, https_port = free_port(), free_port()
    conf = render_test_config(
        stack.tmp / "nginx",
        server_name="127.0.0.1",
        app_root=ROOT,
        app_servers=[f"127.0.0.1:{port}" for port in ports],
        http_port=http_port,
        https_port=https_port,
    )
    stack.start("nginx", [NGINX, "-c", str(conf), "-p", str(stack.tmp / "nginx")])
    for n, port in enumerate(ports, start=1):
        stack.wait_for(f"instance {n}", Browser(port))
    nginx = Browser(https_port, https=True)
    stack.wait_for("nginx", nginx)
    print(
        f"instances on 127.0.0.1:{ports[0]} and :{ports[1]}, nginx on https :{https_port} "
        f"and http :{http_port}; up after {time.monotonic() - started:.0f} s"
    )

    for name, step in [
        ("a", lambda: check_load_balancing(stack, nginx, logs, http_port)),
        ("b", lambda: check_sessions(*ports)),
        ("c", lambda: check_limits(*ports, https_port, setup["trusted_proxy_count"])),
        ("d", lambda: check_cache(stack, nginx)),
        ("e", lambda: check_reminders(stack)),
    ]:
        try:
            step()
        except Exception as error:
            traceback.print_exc()
            record(f"{name}. (crashed)", False, f"{type(error).__name__}: {error}")
    print(f"checks done after {time.monotonic() - started:.0f} s")


def main() -> int:
    stack = Stack()
    try:
        run(stack)
    except Exception as error:
        traceback.print_exc()
        record("setup", False, f"{type(error).__name__}: {error}")
    finally:
        stack.close()
    width = max(len(name) for name, _, _ in results)
    print("\nsummary")
    for name, ok, _ in results:
        print(f"  {name:<{width}}  {'PASS' if ok else 'FAIL'}")
    failed = sum(not ok for _, ok, _ in results)
    print(f"{len(results) - failed} passed, {failed} failed; cleaned up")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
