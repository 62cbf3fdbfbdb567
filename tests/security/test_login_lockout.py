"""Sign-in lockout (django-axes): after too many wrong passwords for one
username from one address, that pair is locked out for the cool-off, on the
sign-in page and on the API token endpoint alike; other addresses and other
users are not affected."""

import datetime

import pytest
from django.contrib import admin
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5
WRONG = "not-the-password"
HOME = "10.0.0.1"


@pytest.fixture
def user(db):
    return UserFactory(username="li.wei")


def sign_in(client, username, password, ip=HOME):
    return client.post(
        "/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def obtain(client, username, password, ip=HOME):
    return client.post(
        "/api/auth/token/",
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_defaults_are_five_failures_and_fifteen_minutes(settings):
    assert settings.AXES_FAILURE_LIMIT == LIMIT
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=15)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_the_right_password_is_refused_after_too_many_wrong_ones(client, user):
    for _ in range(LIMIT - 1):
        assert sign_in(client, user.username, WRONG).status_code == 200

    assert sign_in(client, user.username, WRONG).status_code == 429
    response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert not signed_in(client)
    text = response.content.decode()
    assert "Too many failed sign-ins" in text
    assert "15 minutes" in text
    assert 'class="top"' in text  # the site's own page (base.html)


def test_the_lockout_is_per_user_and_address(client, user):
    other = UserFactory(username="chen.jing")
    for _ in range(LIMIT):
        sign_in(client, user.username, WRONG)

    assert sign_in(client, other.username, PASSWORD).status_code == 302
    client.logout()
    assert sign_in(client, user.username, PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, user, settings):
    from axes.models import AccessAttempt

    for _ in range(LIMIT):
        sign_in(client, user.username, WRONG)
    assert sign_in(client, user.username, PASSWORD).status_code == 429

    earlier = (
        timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(minutes=1)
    )
    AccessAttempt.objects.update(attempt_time=earlier)

    assert sign_in(client, user.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_forgets_earlier_failures(client, user):
    for _ in range(LIMIT - 1):
        sign_in(client, user.username, WRONG)
    assert sign_in(client, user.username, PASSWORD).status_code == 302
    client.logout()

    for _ in range(LIMIT - 1):
        assert sign_in(client, user.username, WRONG).status_code == 200


def test_the_token_endpoint_is_locked_the_same_way_with_json(user):
    api = APIClient()
    for _ in range(LIMIT - 1):
        assert obtain(api, user.username, WRONG).status_code == 400

    assert obtain(api, user.username, WRONG).status_code == 429
    response = obtain(api, user.username, PASSWORD)

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert "Too many failed sign-ins" in response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    # One lockout for both doors: the sign-in page refuses the pair too.
    assert sign_in(Client(), user.username, PASSWORD).status_code == 429
    # Another address still gets its token.
    assert obtain(api, user.username, PASSWORD, ip="10.0.0.2").status_code == 201


def test_failures_on_the_page_lock_the_token_endpoint(client, user):
    for _ in range(LIMIT):
        sign_in(client, user.username, WRONG)

    response = obtain(APIClient(), user.username, PASSWORD)

    assert response.status_code == 429
    assert response.json()["detail"]


def test_staff_see_the_attempts_in_the_admin():
    from axes.models import AccessAttempt, AccessLog

    assert admin.site.is_registered(AccessAttempt)
    assert admin.site.is_registered(AccessLog)


def test_the_test_clients_login_still_works(client, user):
    assert client.login(username=user.username, password=PASSWORD)
