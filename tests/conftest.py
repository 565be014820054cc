import os
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.cache import caches
from django.test import Client

from careers.catalog.loader import load_catalog

# `manage.py` run by a test in a subprocess sees only what the test gives it, never the
# developer's `.env` (which `make run` writes with DEBUG=1).
os.environ["WAYPOINT_ENV_FILE"] = os.devnull

# The instant the `frozen` clock shows: Wednesday 10 March 2027, 10:00 UTC. Mid-week, so "this
# week", "last week" and a Monday check-in day all mean something; mid-morning, so the date is
# the same from Los Angeles to Tokyo.
NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen(time_machine):
    """The clock stopped at NOW (returned); `time_machine.move_to(...)` moves it elsewhere."""
    time_machine.move_to(NOW, tick=False)
    return NOW


@pytest.fixture
def catalog(db):
    """The shipped catalog, loaded as `make run` loads it."""
    return load_catalog()


@pytest.fixture
def csrf_client():
    """A client that enforces CSRF checks, as a browser's requests are checked."""
    return Client(enforce_csrf_checks=True)


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser(
        email="staff@example.com", password="a-long-staff-password"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test starts with empty caches. The database caches need nothing: their rows go
    with the test's transaction. Redis (REDIS_URL set) outlives it, so a page cached by one
    test could be served to the next, whose catalog differs."""
    yield
    for alias, config in settings.CACHES.items():
        if config["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
            caches[alias].clear()
    # Each process's own memos of catalog content, kept per catalog version. A test's rollback
    # can bring back the version an earlier test read while ids are reused (SQLite), so they
    # go too.
    from careers import views as careers_views
    from roadmaps import progress

    progress._roadmaps.clear()
    careers_views._pathfinder_catalogs.clear()
