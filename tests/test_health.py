"""/healthz (liveness) and /readyz (readiness: database, migrations, cache)."""

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from tests.mailtools import closed_port, refused_redis_caches

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_refused(monkeypatch):
    """Every query fails as it does when the database server refuses connections."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)


def readyz(client=None):
    return (client or Client()).get("/readyz")


def test_it_is_ready_when_the_database_migrations_and_cache_answer(client):
    response = readyz(client)
    assert response.status_code == 200
    assert response.content.decode() == "database: ok\nmigrations: ok\ncache: ok\n"
    assert response["Content-Type"] == "text/plain"
    assert "no-cache" in response["Cache-Control"]


def test_it_is_not_ready_while_a_migration_is_not_applied(client):
    [(app, name)] = MigrationLoader(connection).graph.leaf_nodes("accounts")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = readyz(client)
    assert response.status_code == 503
    assert "migrations: failing (1 migration not applied)" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_it_is_not_ready_while_the_database_refuses(client, database_refused):
    response = readyz(client)
    assert response.status_code == 503
    assert response.content.decode() == (
        "database: failing (OperationalError)\n"
        "migrations: not checked\n"
        "cache: failing (OperationalError)\n"  # the cache is the database's too
    )
    assert response["Retry-After"] == "30"


def test_it_is_not_ready_while_the_cache_refuses(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        }
    }
    response = readyz(client)
    assert response.status_code == 503
    assert response.content.decode().endswith("cache: failing (ConnectionError)\n")


def test_it_is_ready_and_says_so_while_redis_is_down_but_the_database_cache_stands_in(
    client, settings
):
    from config import cache as fallback_cache

    settings.CACHES = refused_redis_caches()
    try:
        response = readyz(client)
    finally:
        fallback_cache._down_until.clear()
    assert response.status_code == 200
    assert response.content.decode().endswith(
        "cache: ok (Redis unreachable: using the database cache)\n"
    )


def test_liveness_answers_while_the_database_refuses(client, database_refused):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_readiness_refuses_other_methods(client):
    assert client.post("/readyz").status_code == 405
