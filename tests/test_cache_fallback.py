"""config.cache: Redis, with the database cache standing in while Redis does not answer."""

import logging

import pytest
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError

from config import cache as fallback_cache
from tests.mailtools import closed_port

pytestmark = pytest.mark.django_db


def redis_caches(location: str, **options) -> dict:
    return {
        "default": {
            "BACKEND": "config.cache.RedisOrDatabaseCache",
            "LOCATION": location,
            "FALLBACK": "database",
            **options,
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "waypoint_cache",
        },
    }


@pytest.fixture(autouse=True)
def fresh_circuit():
    fallback_cache._down_until.clear()
    yield
    fallback_cache._down_until.clear()


@pytest.fixture
def refused_redis(settings):
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{closed_port()}/0")
    return settings


def test_a_refused_redis_is_answered_by_the_database_cache(refused_redis, caplog):
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        cache.set("greeting", "hello", 60)
        assert cache.get("greeting") == "hello"
        assert cache.add("greeting", "again") is False
        assert cache.add("counter", 1) is True
        assert cache.incr("counter") == 2
        assert cache.get_many(["greeting"]) == {"greeting": "hello"}
    assert caches["database"].get("greeting") == "hello"  # it lives in the database
    assert cache.redis_is_down
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1  # one warning per outage window, not one per call
    assert "Redis cache unreachable" in warnings[0]
    assert "using the database cache for 30 s" in warnings[0]


def test_redis_is_not_tried_again_until_the_window_has_passed(settings, monkeypatch):
    settings.CACHES = redis_caches("redis://127.0.0.1:6379/15", RETRY_AFTER=10)
    calls = []

    def refuse(self, key, default=None, version=None):
        calls.append(key)
        raise RedisConnectionError("Connection refused.")

    monkeypatch.setattr(RedisCache, "get", refuse)
    now = [1000.0]
    monkeypatch.setattr(fallback_cache.time, "monotonic", lambda: now[0])
    assert cache.get("a") is None
    assert cache.get("b") is None
    assert calls == ["a"]
    now[0] += 9.9
    cache.get("c")
    assert calls == ["a"]
    now[0] += 0.2
    cache.get("d")
    assert calls == ["a", "d"]


def test_it_goes_back_to_redis_when_redis_answers_again(settings, monkeypatch, caplog):
    settings.CACHES = redis_caches("redis://127.0.0.1:6379/15", RETRY_AFTER=0)
    answers = [RedisConnectionError("Connection refused."), "from redis"]

    def flaky(self, key, default=None, version=None):
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    monkeypatch.setattr(RedisCache, "get", flaky)
    caches["database"].set("k", "from the database")
    with caplog.at_level(logging.INFO, logger="config.cache"):
        assert cache.get("k") == "from the database"
        assert cache.get("k") == "from redis"
    assert not cache.redis_is_down
    assert "Redis cache answers again." in caplog.text


def test_errors_that_are_not_redis_outages_are_not_hidden(settings, monkeypatch):
    settings.CACHES = redis_caches("redis://127.0.0.1:6379/15")

    def bug(self, key, default=None, version=None):
        raise TypeError("a bug, not an outage")

    monkeypatch.setattr(RedisCache, "get", bug)
    with pytest.raises(TypeError):
        cache.get("k")


def redis_answers() -> bool:
    import redis

    try:
        return redis.Redis.from_url("redis://127.0.0.1:6379/15", socket_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False


@pytest.mark.skipif(not redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_it_uses_a_redis_that_answers(settings):
    settings.CACHES = redis_caches("redis://127.0.0.1:6379/15")
    cache.set("k", "in redis", 10)
    try:
        assert cache.get("k") == "in redis"
        assert caches["database"].get("k") is None
        assert not cache.redis_is_down
    finally:
        cache.delete("k")
