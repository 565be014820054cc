"""The production gunicorn and nginx configurations (gunicorn.conf.py, deploy/nginx.conf).

Slow clients must not take the site down (finding 9): with the old `gunicorn config.wsgi`
(sync workers), three clients that send half a request and stall hold both workers, and
/healthz gets no answer; with gunicorn.conf.py's threaded workers it answers at once.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tools.nginx_conf import render_test_config

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).with_name("gunicorn")
NGINX = "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port: int, timeout: float) -> int | None:
    """The status of GET /healthz, or None when there is no answer within `timeout` seconds."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            status_line = sock.makefile("rb").readline()
    except OSError:  # refused while starting, or timed out
        return None
    parts = status_line.split()
    return int(parts[1]) if len(parts) > 1 else None


def start_gunicorn(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen, int]:
    """gunicorn with gunicorn.conf.py (and `extra` options) on a free port, answering /healthz.

    /healthz touches no database, so the SQLite file need not be migrated."""
    port = free_port()
    env = {
        **os.environ,
        "SECRET_KEY": "insecure-key-for-tests-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_MANIFEST": "0",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }
    for name in ["DEBUG", "REDIS_URL", "PORT", "GUNICORN_THREADS", "GUNICORN_TIMEOUT"]:
        env.pop(name, None)
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp_path / "gunicorn.log", "wb"),  # noqa: SIM115 (closed with the process)
        start_new_session=True,  # its own process group: the fixture ends it and its workers
    )
    deadline = time.monotonic() + 20
    while healthz(port, timeout=1) != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            stop(process)
            pytest.fail("gunicorn did not start:\n" + (tmp_path / "gunicorn.log").read_text())
        time.sleep(0.1)
    return process, port


def stop(process: subprocess.Popen) -> None:
    """Quick shutdown (SIGINT) of the gunicorn master and its workers; SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture
def gunicorn(tmp_path):
    """Starts gunicorn -c gunicorn.conf.py (plus options); every one is stopped afterwards."""
    started = []

    def start(*extra: str) -> int:
        process, port = start_gunicorn(tmp_path, *extra)
        started.append(process)
        return port

    yield start
    for process in started:
        stop(process)


@pytest.fixture
def slow_clients():
    """Opens clients that send half a request and stall; closed afterwards."""
    opened: list[socket.socket] = []

    def open_clients(port: int, count: int = 3) -> None:
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            opened.append(sock)
        time.sleep(0.5)  # let the workers accept them and start reading

    yield open_clients
    for sock in opened:
        sock.close()


def test_slow_clients_do_not_hold_every_worker(gunicorn, slow_clients):
    port = gunicorn()
    slow_clients(port, count=3)

    started = time.monotonic()
    assert healthz(port, timeout=2) == 200
    assert time.monotonic() - started < 2


def test_with_the_old_sync_workers_slow_clients_took_the_site_down(gunicorn, slow_clients):
    """The setup before gunicorn.conf.py, `gunicorn config.wsgi` with two sync workers: the
    same three slow clients leave /healthz unanswered. (This shows the first test can fail.)"""
    port = gunicorn("--worker-class", "sync", "--workers", "2", "--threads", "1")
    slow_clients(port, count=3)

    assert healthz(port, timeout=2) is None


def test_gunicorn_conf_reads_the_environment():
    code = (
        "import runpy; c = runpy.run_path('gunicorn.conf.py');"
        "print(c['bind'], c['workers'], c['threads'], c['worker_class'])"
    )
    env = {**os.environ, "WEB_CONCURRENCY": "3", "PORT": "9001", "GUNICORN_THREADS": "8"}
    env.pop("GUNICORN_BIND", None)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["['127.0.0.1:9001']", "3", "8", "gthread"]


def test_nginx_accepts_the_production_site_config(tmp_path):
    """deploy/nginx.conf, its placeholders filled in for a temporary prefix (and a throwaway
    certificate), passes `nginx -t`. CI machines are Debian like this one: `make test`
    installs nginx first (`make nginx`), so a missing nginx fails here rather than skipping."""
    assert Path(NGINX).exists(), "nginx is missing: run `make nginx`"
    assert shutil.which("openssl"), "openssl is missing: run `make nginx`"
    main_conf = render_test_config(
        tmp_path,
        server_name="waypoint.test",
        app_root=ROOT,
        app_servers=["127.0.0.1:18000", "127.0.0.1:18001"],
        http_port=free_port(),
        https_port=free_port(),
    )

    result = subprocess.run(
        [NGINX, "-t", "-c", str(main_conf), "-p", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
