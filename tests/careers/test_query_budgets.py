"""List-like pages use the same number of queries for a small and a large catalog."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from careers.models import Role
from tests.factories import make_band, make_faq, make_role, make_term, make_transition

pytestmark = pytest.mark.django_db


def build_catalog(size: int, phases: int, tasks: int):
    background = make_role(kind=Role.Kind.BACKGROUND, slug=f"bg-{size}")
    transitions = []
    for _ in range(size):
        role = make_role()
        for _ in range(3):
            make_band(role)
        make_faq(role=role)
        transitions.append(
            make_transition(
                from_role=background, to_role=role, featured=True, phases=phases, tasks=tasks
            )
        )
        make_term()
    return background, transitions


def count_queries(client, url) -> int:
    """The page's own queries (a cache miss), not the page cache's reads and writes (with
    the savepoint the database cache writes in), which are Redis commands in production and
    tests/test_page_cache.py counts."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    assert response.templates  # rendered, not served from the cache
    return len([q for q in ctx.captured_queries if not is_cache_query(q["sql"])])


def is_cache_query(sql: str) -> bool:
    return "waypoint_" in sql or "SAVEPOINT" in sql


def urls(background, transitions):
    return [
        "/",
        reverse("careers:roles"),
        reverse("careers:transitions"),
        reverse("careers:transitions") + f"?background={background.slug}",
        reverse("careers:glossary"),
        background.get_absolute_url(),
        transitions[0].get_absolute_url(),
        transitions[0].to_role.get_absolute_url(),
    ]


def test_pages_use_constant_queries(client):
    small = urls(*build_catalog(2, phases=2, tasks=2))
    small_counts = [count_queries(client, url) for url in small]
    large = urls(*build_catalog(25, phases=8, tasks=12))
    large_counts = [count_queries(client, url) for url in large]
    assert small_counts == large_counts
    assert max(large_counts) <= 10, large_counts
