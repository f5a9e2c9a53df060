"""A Redis cache that degrades instead of failing when Redis is down.

Everything Tend keeps in its caches can be lost: rate-limit counters, kept trigger maps and
month counts (their keys come from the database, so a miss is only slower). So while Redis is
unreachable each operation answers as if the entry were missing, and nothing a person does
fails because of it:

- reads miss (``get`` gives the default, ``get_many`` nothing, ``incr`` a missing key's
  ``ValueError``), writes are dropped;
- ``add`` answers True, as if it had stored: allauth takes a lock with ``add`` before it counts
  an attempt, and a lock that can never be taken would refuse every sign-in. Rate limits that
  cannot count therefore let requests through ("fail open"), which is why the API's bearer
  tokens are looked up before any counter is read (tend/api/auth.py): a wrong token is refused
  whether or not it can be counted.

The outage is logged once, and its end once (``tend.core.outage``). Set ``socket_timeout`` and
``socket_connect_timeout`` in the cache's OPTIONS so that a Redis that does not answer at all
holds a request for about a second, not for the operating system's connect timeout.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import redis
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

from tend.core.outage import Outage

T = TypeVar("T")

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)

# One outage per Redis server, shared by every cache alias that uses it (default, insights), so
# that one outage is logged once.
_outages: dict[str, Outage] = {}


def outage_for(location: str) -> Outage:
    if location not in _outages:
        _outages[location] = Outage(
            "Redis (cache)",
            "caches miss and rate limits cannot count, so they let requests through",
        )
    return _outages[location]


def reset_outages() -> None:
    for outage in _outages.values():
        outage.reset()


_MISSING = object()


class DegradingRedisCache(RedisCache):
    """Django's Redis cache, answering "not there" while Redis is unreachable."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._outage = outage_for(server if isinstance(server, str) else ",".join(server))

    def _guarded(self, fallback: T, call: Callable[[], T]) -> T:
        if self._outage.should_skip():
            return fallback
        try:
            result = call()
        except UNREACHABLE as error:
            self._outage.failed(error)
            return fallback
        self._outage.succeeded()
        return result

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guarded(
            True, lambda: super(DegradingRedisCache, self).add(key, value, timeout, version)
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guarded(
            default, lambda: super(DegradingRedisCache, self).get(key, default, version)
        )

    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self._guarded(
            None, lambda: super(DegradingRedisCache, self).set(key, value, timeout, version)
        )

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guarded(
            False, lambda: super(DegradingRedisCache, self).touch(key, timeout, version)
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(False, lambda: super(DegradingRedisCache, self).delete(key, version))

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._guarded({}, lambda: super(DegradingRedisCache, self).get_many(keys, version))

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guarded(False, lambda: super(DegradingRedisCache, self).has_key(key, version))

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        result = self._guarded(
            _MISSING, lambda: super(DegradingRedisCache, self).incr(key, delta, version)
        )
        if result is _MISSING:
            raise ValueError(f"Key '{key}' not found (Redis is unreachable).")
        assert isinstance(result, int)
        return result

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        # Django's contract: the keys that were not stored.
        return self._guarded(
            list(data), lambda: super(DegradingRedisCache, self).set_many(data, timeout, version)
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._guarded(None, lambda: super(DegradingRedisCache, self).delete_many(keys, version))

    def clear(self) -> None:
        self._guarded(None, lambda: super(DegradingRedisCache, self).clear())
