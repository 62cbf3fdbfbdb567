"""API tokens: obtain with a password, list, revoke (feed tokens: calendars.api)."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts import permissions as rules
from accounts.api import serializers as s
from accounts.api.permissions import TokenScope
from accounts.api.throttles import AnonThrottle, AuthThrottle
from accounts.lockout import lockout_message
from accounts.models import ApiToken
from accounts.tokens import (
    LoginLockedOut,
    TokenLimitReached,
    api_token_create,
    api_token_list,
    api_token_revoke,
    credentials_check,
)

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY


class SignInLockedOut(APIException):
    """Too many failed sign-ins for this username from this address."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"

    def __init__(self):
        super().__init__(lockout_message())
        self.wait = int(settings.AXES_COOLOFF_TIME.total_seconds())


def _token_create(**kwargs) -> tuple[ApiToken, str]:
    try:
        return api_token_create(**kwargs)
    except TokenLimitReached as exc:
        raise ValidationError({NON_FIELD: [str(exc)]}) from None


class TokenObtainView(APIView):
    """Exchange a username and password for a new API token (shown once).

    Scope defaults to read_write for plant managers, IT leads and staff and to
    read_only for everyone else (viewers); read_write acts with the user's
    rights, read_only can only read (and evaluate dates). Send the token as
    `Authorization: Token <token>`. Many tokens per user, one per client.
    After too many wrong passwords for a username from one address, that
    username is locked out from that address (429) for a while, here and on
    the sign-in page alike.
    """

    authentication_classes: list = []
    permission_classes = [TokenScope, AllowAny]
    throttle_classes = [AnonThrottle, AuthThrottle]
    throttle_scope = "auth"

    @extend_schema(
        operation_id="auth_token_create",
        request=s.TokenObtainSerializer,
        responses={201: s.TokenCreatedSerializer},
        auth=[],
        tags=["auth"],
    )
    def post(self, request):
        form = s.TokenObtainSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            user = credentials_check(
                request=request, username=data["username"], password=data["password"]
            )
        except LoginLockedOut:
            raise SignInLockedOut() from None
        if user is None:
            raise ValidationError(
                {NON_FIELD: [_("Unable to log in with the username and password.")]}
            )
        token, raw = _token_create(
            user=user,
            name=data.get("name") or "API",
            scope=data.get("scope") or rules.default_token_scope(user),
            expiry_days=data.get("expiry_days"),
        )
        token.token = raw
        return Response(
            s.TokenCreatedSerializer(token).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["auth"])
class TokenListView(generics.ListAPIView):
    """Your live API and feed tokens (never the tokens themselves)."""

    serializer_class = s.TokenSerializer
    filter_backends: list = []

    def get_queryset(self):
        return api_token_list(user=self.request.user)


@extend_schema(tags=["auth"])
class TokenRevokeView(APIView):
    """Revoke one of your tokens by its token_key; it stops working at once."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "token_key", str, OpenApiParameter.PATH, description="From the list."
            )
        ],
        responses={204: None},
    )
    def delete(self, request, token_key: str):
        if not api_token_revoke(user=request.user, token_key=token_key):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)
