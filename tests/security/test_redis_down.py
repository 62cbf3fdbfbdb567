"""A down or stalled Redis degrades the API instead of failing it (Hardening,
finding 6).

Each test points the cache at a private redis-server of its own (the fault
tests stop and pause it by pid, never the shared server), configured like
production (config/settings.py: accounts.cache.RedisCache with socket
timeouts), with shorter timeouts. While it is down the API answers: throttles
let requests through, API tokens are checked in the database, /healthz says
`redis: degraded` with status 200. Once it is back, throttling counts again.
"""

import logging
import os
import shutil
import time
from collections.abc import Iterator

import pytest
import redis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.cache import cache_health
from accounts.models import ApiToken
from accounts.tokens import api_token_create
from tests.factories import PlantFactory, UserFactory
from tests.pipeline.conftest import PrivateRedis

pytestmark = [pytest.mark.services, pytest.mark.django_db]

SOCKET_TIMEOUT = 0.5  # production: 2 s (config/settings.py)
RETRY_SECONDS = 0.5  # settings.CACHE_RETRY_SECONDS; production default 5 s
FAST = 3.0  # seconds a request may take while Redis is down or stalled


@pytest.fixture
def redis_server(tmp_path) -> Iterator[PrivateRedis]:
    """A private redis-server (tests/pipeline/conftest.py's PrivateRedis)."""
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed: the Redis fault tests need it"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()  # SIGCONTs a paused server first


@pytest.fixture(autouse=True)
def _fresh_cache_health():
    """The cache's per-process state starts and ends clean in each test."""
    cache_health.__init__()
    yield
    cache_health.__init__()


@pytest.fixture
def redis_cache(settings, redis_server) -> PrivateRedis:
    settings.CACHES = {
        "default": {
            "BACKEND": "accounts.cache.RedisCache",
            "LOCATION": redis_server.url,
            "OPTIONS": {
                "socket_connect_timeout": SOCKET_TIMEOUT,
                "socket_timeout": SOCKET_TIMEOUT,
            },
        }
    }
    settings.API_TOKEN_CACHE_SECONDS = 30
    settings.CACHE_RETRY_SECONDS = RETRY_SECONDS
    return redis_server


@pytest.fixture
def user(db):
    user = UserFactory()
    PlantFactory().members.add(user)
    return user


@pytest.fixture
def client(user) -> APIClient:
    _row, token = api_token_create(user=user, name="tests", scope="read_write")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def timed_get(client, path: str = "/api/plants/"):
    start = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - start


def token_queries(queries) -> int:
    table = ApiToken._meta.db_table
    return sum(f'FROM "{table}"' in q["sql"] for q in queries)


def healthz(client) -> dict[str, str]:
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    first, *rest = response.content.decode().splitlines()
    return {"status": first, **dict(line.split(": ", 1) for line in rest)}


def test_the_api_answers_while_redis_is_stopped(redis_cache, client):
    first, _ = timed_get(client)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/plants/").status_code == 200
    assert token_queries(queries) == 0, "with Redis up the token comes from cache"

    redis_cache.stop()
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            response, seconds = timed_get(client)
        assert response.status_code == 200, response.content
        assert seconds < FAST
        assert token_queries(queries) == 1, "the token is checked in the database"

    health = healthz(client)
    assert health["status"] == "degraded"
    assert health["database"] == "ok"
    assert health["redis"] == "degraded"
    assert int(health["cache_errors"]) >= 1
    assert int(health["throttle_fail_open"]) == 5


def test_requests_share_one_redis_client_and_it_reconnects(
    redis_cache, client, monkeypatch
):
    """Each cache call (token, throttle) used to wrap the pool in a new
    redis-py client, whose constructor costs about what the call does."""
    made = []
    construct = redis.Redis.__init__

    def counted(self, *args, **kwargs):
        made.append(self)
        construct(self, *args, **kwargs)

    monkeypatch.setattr(redis.Redis, "__init__", counted)
    for _ in range(5):
        assert client.get("/api/plants/").status_code == 200
    assert len(made) == 1

    redis_cache.stop()  # the shared client's connections are gone
    redis_cache.restart()
    time.sleep(RETRY_SECONDS + 0.1)
    made.clear()  # restart() made a client of its own
    for _ in range(3):
        assert client.get("/api/plants/").status_code == 200
    assert made == [], "the same client reconnects"
    assert healthz(client)["redis"] == "ok"


def test_the_api_answers_while_redis_is_stalled(redis_cache, client):
    assert client.get("/api/plants/").status_code == 200

    redis_cache.pause()  # SIGSTOP: connections hang, nothing answers
    start = time.monotonic()
    for _ in range(5):
        response, seconds = timed_get(client)
        assert response.status_code == 200, response.content
        assert seconds < FAST
    # One socket timeout, then the cache is skipped for RETRY_SECONDS: not a
    # timeout per cache call (token read, token write, throttle) per request.
    assert time.monotonic() - start < 4 * SOCKET_TIMEOUT + FAST

    health = healthz(client)
    assert (health["status"], health["redis"]) == ("degraded", "degraded")

    redis_cache.resume()
    assert healthz(client)["redis"] == "ok"
    assert client.get("/api/plants/").status_code == 200


def test_a_deactivated_user_is_refused_at_once_while_redis_is_down(
    redis_cache, client, user
):
    assert client.get("/api/plants/").status_code == 200  # token now cached

    redis_cache.stop()
    # An update, not save(): only the authentication's fallback is tested here
    # (saving a user also revokes its tokens: accounts.signals).
    type(user).objects.filter(pk=user.pk).update(is_active=False)

    assert client.get("/api/plants/").status_code == 401


def test_throttling_counts_again_once_redis_is_back(redis_cache, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
            "user": "2/minute",
        },
    }
    redis_cache.stop()
    codes = [client.get("/api/plants/").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 200], "throttles fail open"

    redis_cache.restart()
    time.sleep(RETRY_SECONDS + 0.1)  # the cache is tried again after this

    codes = [client.get("/api/plants/").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert healthz(client)["redis"] == "ok"


def test_a_down_redis_logs_one_warning_not_one_per_request(
    redis_cache, client, settings, caplog
):
    settings.CACHE_RETRY_SECONDS = 0  # try (and fail) on every cache call
    redis_cache.stop()

    with caplog.at_level(logging.WARNING, logger="accounts.cache"):
        for _ in range(5):
            assert client.get("/api/plants/").status_code == 200

    warnings = [r for r in caplog.records if r.name == "accounts.cache"]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "Cache unavailable" in warnings[0].getMessage()
    assert int(healthz(client)["cache_errors"]) >= 10  # token read/write, throttle
