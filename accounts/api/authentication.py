"""Per-client API tokens: knox's hashed tokens, stored as accounts.ApiToken.

Clients send ``Authorization: Token <token>``. Only the SHA-512 digest of a
token is stored; the first 15 characters (``token_key``) find its row.
"""

import binascii
from hmac import compare_digest

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from accounts.cache import CacheUnavailable, cache_guard
from accounts.models import ApiToken
from accounts.tokens import token_cache_key


class ApiTokenAuthentication(TokenAuthentication):
    """knox's token check, at most one query per request, usually none.

    knox loads every other token of the user on each request to delete the
    expired ones; that cleanup runs when tokens are created or listed instead
    (accounts.tokens). A token found in the database is kept in the cache
    (with its user) for settings.API_TOKEN_CACHE_SECONDS, keyed by its digest:
    revoking deletes that entry at once (accounts.tokens.api_token_revoke);
    a user deactivated meanwhile is refused once the entry ages out (0
    disables the cache). Expired tokens fail and are deleted; inactive users
    fail. A cache that is down or stalled is skipped (accounts.api.throttles.
    cache_guard): the token is then checked in the database on every request.
    """

    def authenticate_credentials(self, token: bytes):
        invalid = _("Invalid token.")
        try:
            token = token.decode("utf-8")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, binascii.Error):
            raise exceptions.AuthenticationFailed(invalid) from None
        seconds = settings.API_TOKEN_CACHE_SECONDS
        key = token_cache_key(digest)
        auth_token = None
        if seconds:
            try:
                with cache_guard("API token read"):
                    auth_token = cache.get(key)
            except CacheUnavailable:
                pass  # the database decides
        if auth_token is None:
            auth_token = self._lookup(token, digest)
            if seconds:
                try:
                    with cache_guard("API token write"):
                        cache.set(key, auth_token, seconds)
                except CacheUnavailable:
                    pass
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            ApiToken.objects.filter(digest=auth_token.digest).delete()
            try:
                with cache_guard("API token delete"):
                    cache.delete(key)
            except CacheUnavailable:
                pass  # a cached copy still fails this expiry check
            raise exceptions.AuthenticationFailed(_("Token expired."))
        return self.validate_user(auth_token)

    @staticmethod
    def _lookup(token: str, digest: str) -> ApiToken:
        candidates = ApiToken.objects.filter(
            token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH]
        ).select_related("user")
        for auth_token in candidates:
            if compare_digest(digest, auth_token.digest):
                return auth_token
        raise exceptions.AuthenticationFailed(_("Invalid token."))


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix="Token"
        )
        scheme["description"] = (
            "A per-client API token from POST /api/auth/token/, sent as "
            "`Authorization: Token <token>`. Scope read_write acts with the "
            "user's rights; read_only can only read (and POST /api/evaluations/); "
            "feed tokens open iCalendar feeds only and are refused here."
        )
        return scheme
