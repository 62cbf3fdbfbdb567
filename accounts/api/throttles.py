"""Request throttling, backed by the cache (Redis in production).

DRF's throttles keep, per client, the list of every request time in the
window, read and rewritten on each request: at a few thousand requests per
minute that is a value of tens of kilobytes per request. These subclasses keep
DRF's scopes, identities and rate syntax ("100/minute") but count requests in
fixed windows: one atomic increment per request (one round trip to Redis).
Rates are read from settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] at
request time.

The cache may be down or stalled: every use of it goes through
accounts.cache.cache_guard, and a throttle whose cache fails lets the request
through (fail open), counted in accounts.cache.cache_stats().
"""

import logging
import time

from django.core.cache import cache as default_cache
from django.core.cache.backends.redis import RedisCacheClient
from rest_framework.settings import api_settings
from rest_framework.throttling import (
    AnonRateThrottle,
    ScopedRateThrottle,
    SimpleRateThrottle,
    UserRateThrottle,
)

from accounts.cache import CacheUnavailable, cache_guard, cache_health

logger = logging.getLogger(__name__)


class _FixedWindow(SimpleRateThrottle):
    cache = default_cache

    def get_rate(self):
        # DRF reads its rates once at import; reading them here lets settings
        # (and tests) change them.
        self.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        return super().get_rate()

    def allow_request(self, request, view) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        now = time.time()
        window = int(now // self.duration)
        self.window_end = (window + 1) * self.duration
        key = f"{key}_{window}"
        try:
            with cache_guard("throttle"):
                return self._count(key)
        except CacheUnavailable:
            cache_health.let_through()
            return True  # fail open: no counting without the cache

    def _count(self, key: str) -> bool:
        redis = _redis_client(self.cache)
        if redis is not None:
            # One round trip: create the window's counter if it is new (with
            # its expiry), then count this request. RedisCache stores ints
            # unpickled, so the counter stays readable through the cache.
            key = self.cache.make_and_validate_key(key)
            pipe = redis.get_client(key, write=True).pipeline(transaction=False)
            pipe.set(key, 0, ex=int(self.duration) + 1, nx=True)
            pipe.incr(key)
            return pipe.execute()[1] <= self.num_requests
        try:
            count = self.cache.incr(key)
        except ValueError:  # the window's first request, or it expired
            if self.cache.add(key, 1, self.duration + 1):
                return True
            count = self.cache.incr(key)
        return count <= self.num_requests

    def wait(self) -> float | None:
        return max(self.window_end - time.time(), 0.0)


def _redis_client(cache) -> RedisCacheClient | None:
    """The Redis client behind Django's RedisCache, None for another backend:
    Django's incr() costs two round trips (EXISTS, INCRBY) and add() a third."""
    client = getattr(cache, "_cache", None)
    return client if isinstance(client, RedisCacheClient) else None


class AnonThrottle(_FixedWindow, AnonRateThrottle):
    """Anonymous requests per client address (rate "anon")."""


class UserThrottle(_FixedWindow, UserRateThrottle):
    """Authenticated requests per user, whatever token or session (rate "user")."""


class AuthThrottle(_FixedWindow, ScopedRateThrottle):
    """Password checks at POST /api/auth/token/ per address (rate "auth")."""

    def __init__(self):  # the scope comes from the view: see ScopedRateThrottle
        pass

    def allow_request(self, request, view) -> bool:
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
