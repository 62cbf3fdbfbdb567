from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse

from accounts.cache import (
    CACHE_ERRORS,
    cache_health,
    cache_stats,
)

HEALTH_KEY = "offpeak:healthz"


def _redis_state() -> str:
    """ok, degraded (configured but failing) or off (the cache is not Redis)."""
    if "redis" not in settings.CACHES["default"]["BACKEND"].lower():
        return "off"
    try:
        cache.get(HEALTH_KEY)  # a round trip, bounded by the socket timeouts
    except CACHE_ERRORS as exc:
        cache_health.failed("healthz", exc)
        return "degraded"
    cache_health.recovered()
    return "ok"


def healthz(request):
    """Liveness for load balancers and compose: the database answers.

    The body's first line is `ok`, `degraded` (Redis is down or stalled: the
    API still answers, unthrottled, checking tokens in the database; the status
    stays 200 so the web is kept in service) or `down` (503: the database does
    not answer). Then one `name: value` line per check and counter.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "down"
    redis = _redis_state()
    if database != "ok":
        overall, status = "down", 503
    elif redis == "degraded":
        overall, status = "degraded", 200
    else:
        overall, status = "ok", 200
    lines = [overall, f"database: {database}", f"redis: {redis}"]
    lines += [f"{name}: {value}" for name, value in cache_stats().items()]
    return HttpResponse(
        "\n".join(lines) + "\n", content_type="text/plain", status=status
    )
