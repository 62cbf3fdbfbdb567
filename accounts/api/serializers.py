"""Shapes of the token endpoints' input and output."""

from rest_framework import serializers

from accounts.models import ApiToken

# --- tokens ---------------------------------------------------------------


def expiry_days_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=3650,
        required=False,
        allow_null=True,
        help_text="Days until the token expires; omitted or null: until revoked.",
    )


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(
        max_length=4096, style={"input_type": "password"}, trim_whitespace=False
    )
    name = serializers.CharField(
        max_length=100, required=False, help_text="Which client; default 'API'."
    )
    scope = serializers.ChoiceField(
        choices=[ApiToken.Scope.READ_WRITE, ApiToken.Scope.READ_ONLY],
        required=False,
        help_text="Default: read_write for plant managers, IT leads and staff; "
        "read_only for everyone else (viewers). A read-only token can never "
        "write, whatever its user may do; read_write acts with the user's "
        "rights.",
    )
    expiry_days = expiry_days_field()


class TokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiToken
        fields = ["token_key", "name", "scope", "created", "expiry"]
        read_only_fields = fields


class TokenCreatedSerializer(TokenSerializer):
    token = serializers.CharField(
        read_only=True, help_text="Shown once; send as `Authorization: Token …`."
    )

    class Meta(TokenSerializer.Meta):
        fields = ["token", *TokenSerializer.Meta.fields]
        read_only_fields = fields
