"""Shared fixtures.

Tests marked `services` need the real PostgreSQL and Redis. Without them they
skip with the reason; with REQUIRE_SERVICES=1 (CI) a missing service fails them.
"""

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings


def _reachable(url: str, default_port: int) -> str | None:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=1):
            return None
    except OSError as exc:
        return f"{parsed.scheme} at {host}:{port} unreachable ({exc})"


def _missing_services() -> list[str]:
    problems = []
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        problems.append("DATABASE_URL does not point at PostgreSQL")
    else:
        db = settings.DATABASES["default"]
        problem = _reachable(f"postgres://{db['HOST']}:{db['PORT'] or 5432}", 5432)
        if problem:
            problems.append(problem)
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        problem = _reachable(settings.REDIS_URL, 6379)
        if problem:
            problems.append(problem)
    return problems


@pytest.fixture(scope="session")
def real_services():
    """Skip (locally) or fail (REQUIRE_SERVICES=1) without PostgreSQL and Redis."""
    problems = _missing_services()
    if problems:
        message = "needs real PostgreSQL and Redis: " + "; ".join(problems)
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


def pytest_sessionfinish(session, exitstatus):
    """Under CI=true a skipped test fails the run: in CI every server and tool
    is there (`make test` installs chromium and gettext), so a skip hides a
    test that did not run. Locally a skip stays a skip, with its reason (-rs)."""
    if os.environ.get("CI") != "true" or exitstatus != 0:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if skipped:
        reporter.write_line(
            f"CI=true: {len(skipped)} test(s) skipped; in CI nothing may skip.",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _api_answers_forgotten():
    """The API keeps rendered answers in the shared cache under the revisions
    they depend on (rollout.api.views._cached_json). Tests that write calendar
    rows through factories do not move those revisions, and on SQLite a
    rolled-back test's ids come back in the next one: so each test starts
    without the answers of the tests before it (and of earlier runs, under
    Redis). Only those keys under Redis, which also holds Celery's broker."""
    from django.core.cache import cache

    from accounts.cache import CACHE_ERRORS

    client = getattr(getattr(cache, "_cache", None), "get_client", None)
    try:
        if client is None:
            cache.clear()
        else:  # django.core.cache.backends.redis
            redis = client(write=True)
            for key in redis.scan_iter(match="*offpeak:answer:*"):
                redis.delete(key)
    except CACHE_ERRORS:
        pass  # a test of a Redis that is down


@pytest.fixture
def in_process_tasks():
    """Celery tasks run in the process that queues them, as under `make run`
    (no Redis), also when CI gives the tests a real broker: for tests of what a
    user sees after a change, not of the queue. Tests of the queue itself
    (tests/pipeline, tests/security/test_redis_down.py) do not use it."""
    from config.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved
