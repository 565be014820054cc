"""Every page type passes axe-core's WCAG 2.1 A/AA rules in light and dark, at 1280 and 375 px
wide, and none scrolls sideways on a phone (375 px).

The page types and their data are `make audit`'s (tools/audit_pages.py): the catalogue, a
member with an active plan (ticks, notes, check-ins), a paused one and one they left, a
newcomer with no plans, and a staff user. The
data is made once for the module (it only reads), so the server runs without the per-test
transaction-and-flush the other browser tests use; the module flushes the database after.
"""

import threading
import time

import pytest
from django.core.management import call_command
from django.test import modify_settings
from pytest_django.live_server_helper import LiveServer

from careers.catalog.loader import load_catalog
from tools.audit_pages import (
    SIGNED_IN,
    VIEWPORT_HEIGHT,
    WIDTHS,
    axe_in_each_look,
    describe,
    make_audit_data,
    open_page,
    page_type_names,
    page_types,
    session_cookie,
    sideways_scroll,
)

# Each test reads inside a transaction rolled back after it; the data is the module's.
pytestmark = pytest.mark.django_db

NAMES = page_type_names()


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """A live server with the audit data, for the whole module: {"url", "pages", "cookies"}.

    Its own server, not pytest-django's live_server: a test that uses that one gets
    transactional_db, whose flush after each test would take the data made here once."""
    with django_db_blocker.unblock():  # for the server's threads too, until the module ends
        server = LiveServer("localhost")
        try:
            with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
                load_catalog()
                data = make_audit_data()
                cookies = {who: session_cookie(data[who]) for who in SIGNED_IN}
                yield {
                    "url": server.url,
                    "pages": {page.name: page for page in page_types(data)},
                    "cookies": cookies,
                }
        finally:
            # Requests still being answered share the connection: let them end first.
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and any(
                "process_request_thread" in thread.name for thread in threading.enumerate()
            ):
                time.sleep(0.05)
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def visit(browser, site, name: str, width: int):
    """A fresh browser tab on the page type, signed in as its visitor."""
    page_type = site["pages"][name]
    context = browser.new_context(viewport={"width": width, "height": VIEWPORT_HEIGHT[width]})
    if page_type.who in site["cookies"]:
        cookie = site["cookies"][page_type.who]
        context.add_cookies([{**cookie, "url": site["url"], "httpOnly": True}])
    page = context.new_page()
    response = open_page(page, site["url"], page_type)
    assert response.status == page_type.status, f"{page_type.path}: HTTP {response.status}"
    return page


@pytest.mark.parametrize("name", NAMES)
def test_no_axe_violations_in_light_and_dark_at_1280_and_375_px_nor_sideways_scrolling(
    browser, site, name
):
    """One page load per page type: axe in each look (ending at 375 px wide), then whether
    the page scrolls sideways at that width."""
    page = visit(browser, site, name, WIDTHS[0])
    try:
        found = axe_in_each_look(page)
        assert page.viewport_size["width"] == 375
        overflow = sideways_scroll(page)
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 0.5)
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                     + (el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : ''))"""
        )
    finally:
        page.context.close()
    failing = {look: violations for look, violations in found.items() if violations}
    assert not failing, "\n".join(
        f"{name}, {look}:\n{describe(violations)}" for look, violations in failing.items()
    )
    assert overflow == 0, f"{name} scrolls {overflow} px sideways at 375 px; too wide: {wide}"
