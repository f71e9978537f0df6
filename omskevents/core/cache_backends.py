"""A Redis cache that degrades instead of failing when Redis is unreachable.

The cache only ever holds what can be rebuilt (sessions have the database behind them, page fragments are
rendered again), so a Redis outage must cost speed, never a page: reads answer "missing", writes are
dropped, and each failure is logged.
"""

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("omskevents.cache")
_outage_seen = False


def outage_seen() -> bool:
    """Whether this process met an unreachable cache since the last call (the flag is cleared)."""
    global _outage_seen
    seen, _outage_seen = _outage_seen, False
    return seen


def _degrade(method: Callable[..., Any], fallback: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def wrapper(self: RedisCacheClient, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except (RedisError, OSError) as error:
            global _outage_seen
            _outage_seen = True
            logger.warning("cache %s failed, carrying on without the cache: %s", method.__name__, error)
            return fallback(*args, **kwargs)

    return wrapper


class ResilientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Django builds a new redis.Redis for every operation (its constructor fills a table of ~200 reply
        # callbacks: a few hundred microseconds, several times a page). One client per connection pool serves
        # every thread: the pool hands each command a connection of its own.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # RedisCacheClient's (untyped)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client

    # What each operation answers while Redis is unreachable: a miss, or "not stored". incr() keeps raising,
    # as it does for a missing key.
    get = _degrade(RedisCacheClient.get, lambda key, default: default)
    get_many = _degrade(RedisCacheClient.get_many, lambda keys: {})
    has_key = _degrade(RedisCacheClient.has_key, lambda key: False)
    add = _degrade(RedisCacheClient.add, lambda key, value, timeout: False)
    set = _degrade(RedisCacheClient.set, lambda key, value, timeout: None)
    set_many = _degrade(RedisCacheClient.set_many, lambda data, timeout: list(data))
    touch = _degrade(RedisCacheClient.touch, lambda key, timeout: False)
    delete = _degrade(RedisCacheClient.delete, lambda key: False)
    delete_many = _degrade(RedisCacheClient.delete_many, lambda keys: None)
    clear = _degrade(RedisCacheClient.clear, lambda: False)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = ResilientRedisCacheClient
