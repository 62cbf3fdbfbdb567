"""API and feed tokens: issue, list, revoke, resolve (services and selectors).

Tokens are knox tokens in accounts.ApiToken: only a SHA-512 digest is stored,
the token itself is shown once, at creation. Expired tokens are deleted when
their user creates or lists tokens (and on use).
"""

import binascii
import datetime
from hmac import compare_digest

from django.contrib.auth import authenticate
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS, knox_settings

from accounts.cache import CacheUnavailable, cache_guard
from accounts.models import ApiToken


def token_cache_key(digest: str) -> str:
    """Where a verified token is cached (accounts.api.authentication)."""
    return f"offpeak:api-token:{digest}"


class TokenLimitReached(Exception):
    pass


class LoginLockedOut(Exception):
    """Too many failed sign-ins for this username from this address
    (django-axes); nothing is checked until the cool-off has passed."""


def credentials_check(*, request, username: str, password: str):
    """The active user with these credentials, or None.

    Raises LoginLockedOut while this username and address are locked out;
    every failure counts towards that lockout, shared with the sign-in page.
    """
    # Django's request, not DRF's wrapper: axes marks a lockout on the object
    # it is given and its middleware reads the mark from Django's request.
    http_request = getattr(request, "_request", request)
    user = authenticate(http_request, username=username, password=password)
    if getattr(http_request, "axes_locked_out", False):
        raise LoginLockedOut()
    return user if user is not None and user.is_active else None


def _expired_tokens_delete(*, user) -> None:
    ApiToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()


@transaction.atomic
def api_token_create(
    *, user, name: str, scope: str, expiry_days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token (shown only now).

    No expiry_days: the token lives until revoked. Refused past
    REST_KNOX["TOKEN_LIMIT_PER_USER"] live tokens.
    """
    _expired_tokens_delete(user=user)
    limit = knox_settings.TOKEN_LIMIT_PER_USER
    if limit is not None and ApiToken.objects.filter(user=user).count() >= limit:
        raise TokenLimitReached(
            f"You already have {limit} tokens: revoke one before creating another."
        )
    expiry = datetime.timedelta(days=expiry_days) if expiry_days else None
    return ApiToken.objects.create(user, expiry=expiry, name=name, scope=scope)


def api_token_list(*, user) -> QuerySet[ApiToken]:
    """The user's live tokens, newest first."""
    _expired_tokens_delete(user=user)
    return ApiToken.objects.filter(user=user).order_by("-created", "token_key")


def api_token_revoke(*, user, token_key: str) -> bool:
    """Delete the user's token(s) with this key, and forget them in the
    authentication cache: they stop working at once. False if there is none."""
    tokens = ApiToken.objects.filter(user=user, token_key=token_key)
    digests = list(tokens.values_list("digest", flat=True))
    tokens.delete()
    _forget([token_cache_key(digest) for digest in digests])
    return bool(digests)


def _forget(keys: list[str]) -> None:
    """Drop cache entries of deleted tokens. A down cache must not fail the
    revocation: the tokens are gone from the database, and a cached entry
    left behind expires within API_TOKEN_CACHE_SECONDS."""
    try:
        with cache_guard("token revocation"):
            cache.delete_many(keys)
    except CacheUnavailable:
        pass


def user_tokens_revoke(*, user) -> int:
    """Delete every token of `user` (API and feed) and forget them in the
    authentication cache, now and again once the transaction commits (so a
    request that cached one meanwhile cannot keep it). Returns how many."""
    tokens = ApiToken.objects.filter(user=user)
    digests = tokens.values_list("digest", flat=True)
    keys = [token_cache_key(digest) for digest in digests]
    if not keys:
        return 0
    tokens.delete()
    _forget(keys)
    transaction.on_commit(lambda: _forget(keys))
    return len(keys)


def user_tokens_forget(*, user) -> None:
    """Forget the user's tokens in the authentication cache (before the user
    row and, with it, the tokens are deleted)."""
    digests = ApiToken.objects.filter(user=user).values_list("digest", flat=True)
    keys = [token_cache_key(digest) for digest in digests]
    if keys:
        _forget(keys)
        transaction.on_commit(lambda: _forget(keys))


def feed_token_user(*, token: str):
    """The active user a live feed-scope token belongs to, or None."""
    if not token or len(token) > 200:
        return None
    try:
        digest = hash_token(token)
    except (TypeError, ValueError, binascii.Error):
        return None
    now = timezone.now()
    candidates = ApiToken.objects.filter(
        Q(expiry__isnull=True) | Q(expiry__gte=now),
        token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH],
        scope=ApiToken.Scope.FEED,
        user__is_active=True,
    ).select_related("user")
    for candidate in candidates:
        if compare_digest(digest, candidate.digest):
            return candidate.user
    return None
