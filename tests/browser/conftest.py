"""Playwright in Debian's Chromium (/usr/bin/chromium); no browser is ever downloaded."""

import os
import shutil

import pytest

from careers.catalog.loader import load_catalog

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# for setup are plain synchronous code, so Django's async guard must let them through.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def live_catalog(live_server):
    load_catalog()
    return live_server
