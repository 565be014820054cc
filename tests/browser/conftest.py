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


@pytest.fixture
def signed_in(live_catalog, context):
    """Sign a new member in by giving the browser a session cookie; returns the member."""
    from django.conf import settings
    from django.test import Client

    from tests.factories import make_member

    member = make_member(email="browser@example.com")
    client = Client()
    client.force_login(member)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": live_catalog.url, "httpOnly": True}]
    )
    return member


# The classes htmx puts on elements while a request, swap or settle is under way.
HTMX_BUSY = ".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added"


def htmx_settled(page) -> None:
    """Wait until htmx has finished swapping and settling: it moves focus to `autofocus` in
    swapped content as it settles, so typing before then can land in the field it focuses."""
    from playwright.sync_api import expect

    expect(page.locator(HTMX_BUSY)).to_have_count(0)
