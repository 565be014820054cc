"""Pytest plugin that `make mutate` loads into mutmut's test runs (never into `make test`).

mutmut runs every mapped test once per mutant, so two things matter here that do not in a
normal run:

- Order: tests run fastest first, timed with their setup on mutmut's first ("stats") run, so
  a mutant that a quick unit test kills dies in a fraction of a second instead of after page
  tests. (mutmut's own order counts only the call phase, not fixtures such as the catalog,
  and pytest-django would move the db-less unit tests last.) Transactional tests stay last.
- Password hashing: Argon2 with its production cost takes most of a member fixture's setup.
  The same hasher with the smallest cost keeps every assertion true (hashes still start with
  "argon2", check_password still works) and takes no time.

Neither changes what a test checks, so a mutant is killed or survives as under `make test`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher

# Written in mutmut's working directory (mutants/) during the stats run.
DURATIONS_FILE = Path("mutmut-test-durations.json")


class CheapArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 8
    parallelism = 1


def _mutant_under_test() -> str:
    return os.environ.get("MUTANT_UNDER_TEST", "")


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashing():
    from django.conf import settings
    from django.test.utils import override_settings

    hashers = [f"{__name__}.CheapArgon2PasswordHasher"] + [
        h for h in settings.PASSWORD_HASHERS if not h.endswith(".Argon2PasswordHasher")
    ]
    with override_settings(PASSWORD_HASHERS=hashers):
        yield


_durations: dict[str, float] = {}


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _mutant_under_test() == "stats":
        _durations[report.nodeid] = _durations.get(report.nodeid, 0.0) + report.duration


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _mutant_under_test() == "stats" and _durations:
        known = json.loads(DURATIONS_FILE.read_text()) if DURATIONS_FILE.exists() else {}
        known.update(_durations)
        DURATIONS_FILE.write_text(json.dumps(known, indent=1, sort_keys=True))


def _is_transactional(item: pytest.Item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(
        marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _mutant_under_test() in ("", "stats", "fail") or not DURATIONS_FILE.exists():
        return
    durations = json.loads(DURATIONS_FILE.read_text())
    unknown = max(durations.values(), default=0.0)
    items.sort(key=lambda i: (_is_transactional(i), durations.get(i.nodeid, unknown)))
