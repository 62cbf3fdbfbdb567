"""Feed tokens: a read-only token that opens the iCalendar feeds of the plants
its user sees (calendars/feeds.py), and the feed URLs. POST /api/auth/feed-token/."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts.api.serializers import TokenCreatedSerializer, expiry_days_field
from accounts.models import ApiToken
from accounts.tokens import TokenLimitReached, api_token_create
from calendars.api.serializers import VisiblePlantField
from calendars.selectors import plants_visible_to


class FeedTokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, required=False, help_text="Default 'Calendar feed'."
    )
    plant = VisiblePlantField(
        required=False, help_text="Return this plant's feed URL as feed_url."
    )
    expiry_days = expiry_days_field()


class FeedUrlSerializer(serializers.Serializer):
    plant = serializers.CharField()
    url = serializers.URLField()


class FeedTokenSerializer(TokenCreatedSerializer):
    feed_url = serializers.URLField(
        read_only=True, allow_null=True, help_text="The requested plant's feed."
    )
    feed_urls = FeedUrlSerializer(
        many=True, read_only=True, help_text="A feed URL for every plant you see."
    )

    class Meta(TokenCreatedSerializer.Meta):
        fields = [*TokenCreatedSerializer.Meta.fields, "feed_url", "feed_urls"]
        read_only_fields = fields


def _token_create(**kwargs) -> tuple[ApiToken, str]:
    try:
        return api_token_create(**kwargs)
    except TokenLimitReached as exc:
        raise ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [str(exc)]}) from None


@extend_schema(tags=["auth"])
class FeedTokenView(APIView):
    """A new calendar-feed token and the feed URLs it opens.

    Feed tokens open /calendars/{plant_code}.ics?token=… for the plants you
    see, and nothing else; revoke one like any token. Read-only API tokens may
    create them: a feed token reads no more than they do.
    """

    read_only_token_methods = ("POST",)

    @extend_schema(
        request=FeedTokenRequestSerializer,
        responses={201: FeedTokenSerializer},
    )
    def post(self, request):
        form = FeedTokenRequestSerializer(
            data=request.data, context={"request": request}
        )
        form.is_valid(raise_exception=True)
        data = form.validated_data
        token, raw = _token_create(
            user=request.user,
            name=data.get("name") or "Calendar feed",
            scope=ApiToken.Scope.FEED,
            expiry_days=data.get("expiry_days"),
        )

        def url(code: str) -> str:
            path = reverse("plant-feed", kwargs={"plant_code": code})
            return request.build_absolute_uri(f"{path}?token={raw}")

        token.token = raw
        token.feed_urls = [
            {"plant": code, "url": url(code)}
            for code in plants_visible_to(request.user).values_list("code", flat=True)
        ]
        token.feed_url = url(data["plant"].code) if data.get("plant") else None
        return Response(FeedTokenSerializer(token).data, status=status.HTTP_201_CREATED)
