"""Fixtures of the API tests: two plants, a user per role, API clients.

`plant` is the users' plant; `other_plant` belongs to `other_manager` only, so
every IDOR test asks for one of its objects. Clients authenticate with an API
token (`api`), a session (`session_api`) or nothing (`anon`).
"""

import datetime

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from accounts.permissions import IT_LEAD, PLANT_MANAGER, VIEWER
from accounts.tokens import api_token_create
from calendars import services
from rollout.models import Rollout
from rollout.services import recommendation_set_rebuild
from tests.factories import make_rollout, user_in

ROLES = ("manager", "it_lead", "viewer", "staff")


@pytest.fixture(autouse=True)
def _api_settings(settings):
    """Generous throttle rates so no test is throttled by accident (the
    throttle test sets its own), a short horizon to keep scoring quick, and a
    fast password hash (the real one takes a good part of a second per user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": "100000/minute",
            "user": "100000/minute",
            "auth": "100000/minute",
        },
    }
    settings.OFFPEAK_HORIZON_DAYS = 365


def throttle_keys_clear() -> None:
    """Forget request counts (the cache may be a Redis shared with a previous
    run). Only the throttles' keys, never the whole cache: under Redis that
    would flush Celery's broker too."""
    backend = getattr(cache, "_cache", None)
    client = getattr(backend, "get_client", None)
    if client is not None:  # django.core.cache.backends.redis
        redis = client(write=True)
        for key in redis.scan_iter(match="*throttle_*"):
            redis.delete(key)
    else:
        cache.clear()


@pytest.fixture
def fresh_throttles():
    throttle_keys_clear()
    yield
    throttle_keys_clear()


_user = user_in


@pytest.fixture
def plant(db):
    return services.plant_create(
        code="sz", name="Suzhou", timezone="Asia/Shanghai", country="CN"
    )


@pytest.fixture
def other_plant(db):
    return services.plant_create(
        code="stg",
        name="Stuttgart",
        timezone="Europe/Berlin",
        country="DE",
        subdivision="BW",
    )


@pytest.fixture
def manager(plant):
    return _user(PLANT_MANAGER, [plant], username="manager")


@pytest.fixture
def it_lead(plant):
    return _user(IT_LEAD, [plant], username="it_lead")


@pytest.fixture
def viewer(plant):
    return _user(VIEWER, [plant], username="viewer")


@pytest.fixture
def staff(db):
    """Staff without a role: sees every plant, edits company-wide seasons."""
    return _user(None, [], username="staff", staff=True)


@pytest.fixture
def superuser(db):
    return _user(None, [], username="root", superuser=True)


@pytest.fixture
def other_manager(other_plant):
    return _user(PLANT_MANAGER, [other_plant], username="other_manager")


@pytest.fixture
def other_it_lead(other_plant):
    return _user(IT_LEAD, [other_plant], username="other_it_lead")


@pytest.fixture
def users(manager, it_lead, viewer, staff):
    return {"manager": manager, "it_lead": it_lead, "viewer": viewer, "staff": staff}


def token_for(user, scope: str = "read_write") -> str:
    return api_token_create(user=user, name="tests", scope=scope)[1]


def token_client(user, scope: str = "read_write") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, scope)}")
    return client


@pytest.fixture
def api():
    """api(user, scope="read_write"): a client with a new token of the user."""
    return token_client


@pytest.fixture
def session_api():
    """session_api(user): a logged-in browser client that enforces CSRF."""

    def make(user) -> APIClient:
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def rollout(plant):
    return make_rollout("MES 2.0", [plant])


@pytest.fixture
def other_rollout(other_plant):
    return make_rollout("WMS Stuttgart", [other_plant], kind=Rollout.Kind.WMS)


@pytest.fixture
def built(plant, rollout):
    """The plant's recommendations for `rollout`, built now."""
    plant.refresh_from_db()
    return recommendation_set_rebuild(plant=plant, rollout=rollout)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)
