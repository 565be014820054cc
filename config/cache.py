"""Redis, with the database cache standing in while Redis does not answer.

allauth keeps its rate limits in the default cache, so a Redis outage would otherwise answer
500 on sign-in, sign-up and password reset. Here a failed Redis call is answered by the
database cache instead (a logged warning), and for the next RETRY_AFTER seconds this process
does not try Redis at all, so an outage costs one failed connection per window, not one per
call. The limits keep holding during the outage; they are counted afresh in the database and
again in Redis when it is back.

    "default": {
        "BACKEND": "config.cache.RedisOrDatabaseCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "FALLBACK": "database",  # the alias of a DatabaseCache in CACHES
        "RETRY_AFTER": 30,  # seconds
    }
"""

from __future__ import annotations

import logging
import time

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# When this process may try each Redis server again (time.monotonic()), by location.
_down_until: dict[str, float] = {}


class RedisOrDatabaseCache(RedisCache):
    def __init__(self, server, params: dict) -> None:
        super().__init__(server, params)
        self._location = server if isinstance(server, str) else ",".join(server)
        self._fallback_alias = params.get("FALLBACK", "database")
        self._retry_after = float(params.get("RETRY_AFTER", 30))

    @property
    def fallback(self) -> BaseCache:
        return caches[self._fallback_alias]

    @property
    def redis_is_down(self) -> bool:
        """True while this process answers from the database cache instead of Redis."""
        return time.monotonic() < _down_until.get(self._location, 0.0)

    def _call(self, name: str, *args, **kwargs):
        if not self.redis_is_down:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except RedisError as error:
                logger.warning(
                    "Redis cache unreachable (%s); using the database cache for %g s.",
                    error,
                    self._retry_after,
                )
                _down_until[self._location] = time.monotonic() + self._retry_after
            else:
                if _down_until.pop(self._location, None) is not None:
                    logger.info("Redis cache answers again.")
                return result
        return getattr(self.fallback, name)(*args, **kwargs)

    # Every RedisCache method that talks to the server; BaseCache builds the rest (get_or_set,
    # decr, the versions, the async methods) on these.
    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", keys, version)

    def clear(self):
        return self._call("clear")
