"""API tokens: obtained with a password, many per user, named, hashed,
revocable, expiring; their scope bounds what they can do."""

import datetime

import pytest
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.api.conftest import token_for
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def obtain(client, username, password=PASSWORD, **extra):
    return client.post(
        "/api/auth/token/", {"username": username, "password": password, **extra}
    )


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- obtaining ------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "scope"),
    [
        ("manager", "read_write"),
        ("it_lead", "read_write"),
        ("staff", "read_write"),
        ("viewer", "read_only"),
    ],
)
def test_a_password_buys_a_token_with_the_roles_default_scope(anon, users, role, scope):
    response = obtain(anon, users[role].username)

    assert response.status_code == 201
    body = response.json()
    assert body["scope"] == scope
    assert body["name"] == "API"
    assert body["expiry"] is None
    assert with_token(body["token"]).get("/api/plants/").status_code == 200


def test_a_user_without_a_role_gets_a_read_only_token(anon, plant):
    from tests.factories import UserFactory

    plant.members.add(UserFactory(username="nobody"))

    assert obtain(anon, "nobody").json()["scope"] == "read_only"


def test_the_token_is_named_scoped_and_can_expire(anon, manager):
    response = obtain(
        anon, "manager", name="MES line 3", scope="read_only", expiry_days=30
    )

    body = response.json()
    assert body["name"] == "MES line 3"
    assert body["scope"] == "read_only"
    expiry = datetime.datetime.fromisoformat(body["expiry"])
    assert abs(expiry - (timezone.now() + datetime.timedelta(days=30))).seconds < 60


def test_only_the_tokens_digest_is_stored(anon, manager):
    token = obtain(anon, "manager").json()["token"]

    stored = ApiToken.objects.get(user=manager)
    assert token not in (stored.digest, stored.token_key)
    assert stored.token_key == token[:15]
    assert len(stored.digest) == 128


def test_a_wrong_password_gets_no_token(anon, manager):
    response = obtain(anon, "manager", password="wrong")

    assert response.status_code == 400
    assert "non_field_errors" in response.json()
    assert not ApiToken.objects.exists()


def test_an_inactive_user_gets_no_token(anon, manager):
    manager.is_active = False
    manager.save()

    assert obtain(anon, "manager").status_code == 400


def test_missing_credentials_are_named(anon, db):
    response = anon.post("/api/auth/token/", {})

    assert response.status_code == 400
    assert {"username", "password"} <= set(response.json())


@pytest.mark.parametrize("bad", [{"scope": "feed"}, {"scope": "root"},
                                 {"expiry_days": 0}])  # fmt: skip
def test_a_feed_or_unknown_scope_or_bad_expiry_is_refused(anon, manager, bad):
    response = obtain(anon, "manager", **bad)

    assert response.status_code == 400
    assert set(bad) <= set(response.json())


def test_many_tokens_per_user_up_to_the_limit(anon, manager, settings):
    settings.REST_KNOX = {**settings.REST_KNOX, "TOKEN_LIMIT_PER_USER": 3}
    tokens = [obtain(anon, "manager", name=f"client {n}").json()["token"]
              for n in range(3)]  # fmt: skip

    assert len(set(tokens)) == 3
    assert all(with_token(t).get("/api/plants/").status_code == 200 for t in tokens)
    response = obtain(anon, "manager")
    assert response.status_code == 400
    assert "revoke" in response.json()["non_field_errors"][0]


def test_obtaining_a_token_needs_no_csrf_token(manager):
    client = APIClient(enforce_csrf_checks=True)

    assert obtain(client, "manager").status_code == 201


# --- using ----------------------------------------------------------------


def test_a_bad_token_is_unauthorised(plant):
    response = with_token("0" * 64).get("/api/plants/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_an_expired_token_is_unauthorised_and_removed(manager):
    token = token_for(manager)
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(seconds=1))

    assert with_token(token).get("/api/plants/").status_code == 401
    assert not ApiToken.objects.exists()


def test_a_checked_token_needs_no_query_until_its_cache_entry_ages_out(
    manager, plant, django_assert_num_queries
):
    client = with_token(token_for(manager))
    client.get("/api/plants/sz/")

    with django_assert_num_queries(1):  # the plant; the token is cached
        assert client.get("/api/plants/sz/").status_code == 200


def test_without_the_cache_every_request_checks_the_database(manager, settings):
    settings.API_TOKEN_CACHE_SECONDS = 0
    client = with_token(token_for(manager))
    assert client.get("/api/plants/").status_code == 200

    manager.is_active = False
    manager.save()

    assert client.get("/api/plants/").status_code == 401


def test_a_token_of_an_inactive_user_is_unauthorised(manager):
    token = token_for(manager)
    manager.is_active = False
    manager.save()

    assert with_token(token).get("/api/plants/").status_code == 401


def test_a_read_only_token_reads_but_never_writes(manager, plant):
    client = with_token(token_for(manager, "read_only"))

    assert client.get("/api/milestones/").status_code == 200
    response = client.post("/api/milestones/", {"plant": "sz"})
    assert response.status_code == 403
    assert "read-only" in response.json()["detail"]


def test_a_feed_token_cannot_use_the_api(manager, plant):
    client = with_token(token_for(manager, "feed"))

    response = client.get("/api/plants/")

    assert response.status_code == 403
    assert "feed" in response.json()["detail"].lower()
    assert client.post("/api/auth/feed-token/", {}).status_code == 403


# --- listing and revoking -------------------------------------------------


def test_the_list_shows_ones_own_tokens_without_secrets(api, manager, viewer):
    token_for(viewer)
    client = api(manager)
    token_for(manager, "feed")

    response = client.get("/api/auth/tokens/")

    assert response.status_code == 200
    results = response.json()["results"]
    assert {t["scope"] for t in results} == {"read_write", "feed"}
    assert all(set(t) == {"token_key", "name", "scope", "created", "expiry"}
               for t in results)  # fmt: skip


def test_revoking_a_token_stops_it_at_once(api, manager):
    token = token_for(manager)
    key = token[:15]
    client = api(manager)
    assert with_token(token).get("/api/plants/").status_code == 200  # cached now

    assert client.delete(f"/api/auth/tokens/{key}/").status_code == 204
    assert with_token(token).get("/api/plants/").status_code == 401
    assert client.get("/api/plants/").status_code == 200  # the other token


def test_a_token_can_revoke_itself(manager):
    token = token_for(manager)

    response = with_token(token).delete(f"/api/auth/tokens/{token[:15]}/")

    assert response.status_code == 204
    assert not ApiToken.objects.exists()


def test_another_users_token_cannot_be_revoked(api, manager, viewer):
    victim = token_for(viewer)

    response = api(manager).delete(f"/api/auth/tokens/{victim[:15]}/")

    assert response.status_code == 404
    assert with_token(victim).get("/api/plants/").status_code == 200


def test_a_read_only_token_cannot_revoke_tokens(manager):
    other = token_for(manager)
    client = with_token(token_for(manager, "read_only"))

    assert client.delete(f"/api/auth/tokens/{other[:15]}/").status_code == 403
    assert with_token(other).get("/api/plants/").status_code == 200


def test_token_endpoints_need_authentication(anon, db):
    assert anon.get("/api/auth/tokens/").status_code == 401
    assert anon.delete("/api/auth/tokens/abc/").status_code == 401
    assert anon.post("/api/auth/feed-token/", {}).status_code == 401


# --- feed tokens ----------------------------------------------------------


@pytest.mark.parametrize("scope", ["read_write", "read_only"])
def test_a_feed_token_comes_with_feed_urls(manager, plant, other_plant, scope):
    client = with_token(token_for(manager, scope))

    response = client.post("/api/auth/feed-token/", {"plant": "sz"})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["scope"] == "feed"
    assert body["name"] == "Calendar feed"
    expected = f"http://testserver/calendars/sz.ics?token={body['token']}"
    assert body["feed_url"] == expected
    assert body["feed_urls"] == [{"plant": "sz", "url": expected}]


def test_a_feed_token_for_another_plant_is_refused(api, manager, other_plant):
    response = api(manager).post("/api/auth/feed-token/", {"plant": "stg"})

    assert response.status_code == 400
    assert "plant" in response.json()
    assert not ApiToken.objects.filter(scope="feed").exists()


# --- browser sessions -----------------------------------------------------


def test_a_session_reads_and_writes_with_csrf(session_api, manager, plant):
    client = session_api(manager)
    body = {"plant": "sz", "name": "Audit", "kind": "audit",
            "start": "2026-05-04", "end": "2026-05-05"}  # fmt: skip

    assert client.get("/api/plants/").status_code == 200
    refused = client.post("/api/milestones/", body)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]

    csrf = _csrf_cookie(client)
    assert (
        client.post("/api/milestones/", body, HTTP_X_CSRFTOKEN=csrf).status_code == 201
    )


def _csrf_cookie(client) -> str:
    """What a browser holds after any page: the CSRF cookie, echoed in a header."""
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    return token
