"""A password change or a deactivation revokes the user's API and feed tokens
at once: the next request with an old token is refused even while the token
would still be in the authentication cache."""

import pytest
from django.contrib.auth.hashers import make_password
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.tokens import api_token_create
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _long_cache(settings):
    settings.API_TOKEN_CACHE_SECONDS = 300


@pytest.fixture
def user(db):
    return UserFactory(username="li.wei")


def client_with_token(user) -> APIClient:
    _, raw = api_token_create(user=user, name="ci", scope="read_only")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {raw}")
    assert client.get("/api/auth/tokens/").status_code == 200  # now cached
    return client


def test_a_password_change_revokes_tokens_at_once(user):
    client = client_with_token(user)
    api_token_create(user=user, name="feed", scope=ApiToken.Scope.FEED)

    user.set_password("a-brand-new-passphrase-42")
    user.save()

    assert client.get("/api/auth/tokens/").status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_a_new_password_hash_set_directly_revokes_too(user):
    client = client_with_token(user)

    user.password = make_password("another-new-passphrase-42")
    user.save()

    assert client.get("/api/auth/tokens/").status_code == 401


def test_deactivation_revokes_tokens_at_once(user):
    client = client_with_token(user)

    user.is_active = False
    user.save(update_fields=["is_active"])

    assert client.get("/api/auth/tokens/").status_code == 401
    assert not ApiToken.objects.filter(user=user).exists()


def test_deleting_the_user_stops_cached_tokens(user):
    client = client_with_token(user)

    user.delete()

    assert client.get("/api/auth/tokens/").status_code == 401


def test_other_changes_keep_tokens(user):
    client = client_with_token(user)
    other = client_with_token(UserFactory())

    user.first_name = "Wei"
    user.save()
    user.is_active = True
    user.save()
    other_user = ApiToken.objects.exclude(user=user).get().user
    other_user.set_password("a-brand-new-passphrase-42")
    other_user.save()

    assert client.get("/api/auth/tokens/").status_code == 200
    assert other.get("/api/auth/tokens/").status_code == 401


def test_a_hash_upgrade_at_sign_in_keeps_tokens(user, settings):
    client = client_with_token(user)
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]

    assert user.check_password(PASSWORD)  # rehashes with PBKDF2 and saves

    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert client.get("/api/auth/tokens/").status_code == 200
