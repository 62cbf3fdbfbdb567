"""Anonymous and authenticated traffic is throttled, counted in the cache."""

import pytest

from tests.api.conftest import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings, fresh_throttles):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {
                **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"],
                **rates,
            },
        }

    return set_rates


def test_a_token_over_its_rate_gets_429_with_retry_after(api, manager, plant, rates):
    rates(user="3/minute")
    client = api(manager)

    codes = [client.get("/api/plants/").status_code for _ in range(4)]

    assert codes == [200, 200, 200, 429]
    response = client.get("/api/plants/")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert "throttled" in response.json()["detail"].lower()


def test_all_of_a_users_tokens_share_one_rate(manager, plant, rates):
    from rest_framework.test import APIClient

    rates(user="2/minute")
    clients = []
    for _ in range(3):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(manager)}")
        clients.append(client)

    codes = [c.get("/api/plants/").status_code for c in clients]

    assert codes == [200, 200, 429]


def test_another_user_is_not_throttled_by_the_first(api, manager, viewer, rates):
    rates(user="1/minute")
    first, second = api(manager), api(viewer)

    assert first.get("/api/plants/").status_code == 200
    assert first.get("/api/plants/").status_code == 429
    assert second.get("/api/plants/").status_code == 200


def test_password_guessing_is_throttled(anon, manager, rates):
    rates(auth="2/minute")
    guess = {"username": "manager", "password": "guess"}

    codes = [anon.post("/api/auth/token/", guess).status_code for _ in range(3)]

    assert codes == [400, 400, 429]


def test_anonymous_traffic_is_throttled(anon, db, rates):
    rates(anon="2/minute")

    codes = [anon.get("/api/schema/").status_code for _ in range(3)]

    assert codes == [200, 200, 429]
