"""The cache (Redis in production) may be down or stalled: every use of it
goes through `cache_guard`, so a failing cache degrades instead of failing a
request or a save. Throttles then let requests through, API tokens are checked
in the database, and token revocation still deletes the tokens (their cache
entries expire within API_TOKEN_CACHE_SECONDS). After a failure the cache is
left alone for settings.CACHE_RETRY_SECONDS (default 5), so a stalled Redis
costs one socket timeout per process and interval, not one per call; a
warning is logged at most once per settings.CACHE_ERROR_LOG_SECONDS (default
60) with the number of failures since the last one; `cache_stats()` gives the
counters (/healthz shows them).
"""

import logging
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What a down or stalled Redis raises through Django's RedisCache: redis-py's
# ConnectionError and TimeoutError (both RedisError); OSError for a socket
# error that escapes redis-py.
CACHE_ERRORS = (RedisError, OSError)


class CacheUnavailable(Exception):
    """The cache failed just now, or recently and is being left alone."""


class _CacheHealth:
    """Per-process state of the cache: counters and the retry deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.errors = 0  # cache calls that raised
        self.skipped = 0  # cache calls not attempted: the cache was down
        self.fail_open = 0  # requests let through unthrottled
        self.down_until = 0.0  # time.monotonic() before which the cache is skipped
        self.last_error = ""
        self._logged_at: float | None = None
        self._unlogged = 0

    def available(self) -> bool:
        if time.monotonic() < self.down_until:
            with self._lock:
                self.skipped += 1
            return False
        return True

    def failed(self, what: str, exc: BaseException) -> None:
        now = time.monotonic()
        retry = float(getattr(settings, "CACHE_RETRY_SECONDS", 5))
        every = float(getattr(settings, "CACHE_ERROR_LOG_SECONDS", 60))
        with self._lock:
            self.errors += 1
            self._unlogged += 1
            self.down_until = now + retry
            self.last_error = f"{type(exc).__name__}: {exc}"
            log = self._logged_at is None or now - self._logged_at >= every
            if log:
                self._logged_at, count, self._unlogged = now, self._unlogged, 0
        if log:
            logger.warning(
                "Cache unavailable (%s during %s); %d cache failure(s) since the "
                "last warning; throttles let requests through and API tokens "
                "are checked in the database; retrying the cache in %g s",
                self.last_error,
                what,
                count,
                retry,
            )

    def let_through(self) -> None:
        with self._lock:
            self.fail_open += 1

    def recovered(self) -> None:
        """The cache answered (a /healthz probe): stop skipping it."""
        self.down_until = 0.0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "cache_errors": self.errors,
                "cache_skipped": self.skipped,
                "throttle_fail_open": self.fail_open,
            }


cache_health = _CacheHealth()


def cache_stats() -> dict[str, int]:
    """Counters since the process started (a metric for /healthz)."""
    return cache_health.stats()


@contextmanager
def cache_guard(what: str):
    """Run the block's cache calls, or raise CacheUnavailable: at once if the
    cache failed less than CACHE_RETRY_SECONDS ago, else when a call fails
    (the failure is counted and logged, rate-limited)."""
    if not cache_health.available():
        raise CacheUnavailable(what)
    try:
        yield
    except CACHE_ERRORS as exc:
        cache_health.failed(what, exc)
        raise CacheUnavailable(what) from exc


class _ClientPerPool(RedisCacheClient):
    """Django's Redis client wraps its connection pool in a new redis.Redis on
    every cache call, and redis-py's constructor builds its table of response
    callbacks each time (about as much CPU as the call itself). One client
    per pool is kept instead: a redis-py client may be shared by threads (each
    command takes a connection from the pool)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # pools live as long as this
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's RedisCache with one redis-py client per connection pool
    (settings.CACHES names it when REDIS_URL is set)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ClientPerPool
