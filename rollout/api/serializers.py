"""Shapes of the API's input and output. Validation of input only: writes go
through calendars.services / rollout.services, called by the views."""

import datetime

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
)
from rollout import permissions as rules
from rollout.models import ApiToken, Rollout

MAX_CALENDAR_DAYS = 800
MAX_DB_INT = 2**31 - 1
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2999, 12, 31)


def sane_date(value: datetime.date) -> None:
    """Dates the calendar can do arithmetic around: a milestone ending on
    9999-12-31 would overflow its freeze buffer (and every calendar read)."""
    if not FIRST_DATE <= value <= LAST_DATE:
        raise serializers.ValidationError(
            f"Give a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}."
        )


def _sane_dates(*names: str) -> dict:
    return {name: {"validators": [sane_date]} for name in names}


@extend_schema_field({"type": "string", "description": "Plant code."})
class VisiblePlantField(serializers.SlugRelatedField):
    """A plant by code, among the plants the requesting user sees: any other
    code is reported as not existing (400), whether it exists or not."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return rules.plants_visible_to(user) if user else Plant.objects.none()


# --- plants and their calendars -------------------------------------------


class PlantSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plant
        fields = [
            "code",
            "name",
            "timezone",
            "country",
            "subdivision",
            "calendar_revision",
            "holiday_categories",
            "weekend_days",
            "default_utilisation",
        ]
        read_only_fields = fields


class PeakSeasonSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(
        allow_null=True,
        help_text="Plant code; null for a company-wide season (staff only).",
    )

    class Meta:
        model = PeakSeason
        extra_kwargs = _sane_dates("start", "end")
        fields = [
            "id",
            "plant",
            "name",
            "start",
            "end",
            "recurring_yearly",
            "severity",
            "hard",
        ]


class MilestoneSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(help_text="Plant code.")
    buffered_start = serializers.DateField(
        read_only=True, help_text="Start minus the freeze buffer before."
    )
    buffered_end = serializers.DateField(
        read_only=True, help_text="End plus the freeze buffer after."
    )

    class Meta:
        model = Milestone
        extra_kwargs = _sane_dates("start", "end")
        fields = [
            "id",
            "plant",
            "name",
            "kind",
            "start",
            "end",
            "criticality",
            "freeze_before_days",
            "freeze_after_days",
            "hard",
            "buffered_start",
            "buffered_end",
        ]


class BlackoutSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(help_text="Plant code.")

    class Meta:
        model = Blackout
        extra_kwargs = _sane_dates("start", "end")
        fields = [
            "id",
            "plant",
            "name",
            "kind",
            "start",
            "end",
            "rrule",
            "duration_days",
            "hard",
        ]


class CalendarExceptionSerializer(serializers.ModelSerializer):
    plant = VisiblePlantField(help_text="Plant code.")

    class Meta:
        model = CalendarException
        extra_kwargs = _sane_dates("start", "end")
        fields = ["id", "plant", "name", "kind", "start", "end"]


class ProductionPlanSerializer(serializers.ModelSerializer):
    plant = serializers.SlugRelatedField(slug_field="code", read_only=True)
    imported_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = ProductionPlan
        fields = [
            "plant",
            "version",
            "granularity",
            "source_name",
            "imported_by",
            "imported_at",
            "period_start",
            "period_end",
            "row_count",
            "active",
        ]
        read_only_fields = fields


class ProductionPlanCreatedSerializer(ProductionPlanSerializer):
    superseded_versions = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Older plan versions lying wholly within this one, now inactive.",
    )

    class Meta(ProductionPlanSerializer.Meta):
        fields = [*ProductionPlanSerializer.Meta.fields, "superseded_versions"]
        read_only_fields = fields


class ProductionPlanUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="CSV (UTF-8) or Excel .xlsx with the columns date, load, "
        "capacity and optionally work_centre; header in row 1."
    )
    granularity = serializers.ChoiceField(choices=ProductionPlan.Granularity.choices)


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="File row (header = 1); null: the whole file."
    )
    column = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportErrorsSerializer(serializers.Serializer):
    """A file that cannot be imported: {"errors": [...]}, every problem with
    its row and column. A missing file or granularity is reported like any
    invalid field instead: {"file": ["…"]}."""

    errors = ImportErrorSerializer(many=True, required=False)


class CalendarQuerySerializer(serializers.Serializer):
    start = serializers.DateField(
        required=False,
        validators=[sane_date],
        help_text="First day (plant-local); default: today.",
    )
    end = serializers.DateField(
        required=False,
        validators=[sane_date],
        help_text=f"Last day, inclusive; default: start + 89 days. At most "
        f"{MAX_CALENDAR_DAYS} days from start to end.",
    )

    def validate(self, attrs):
        start, end = attrs.get("start"), attrs.get("end")
        if start and end:
            if end < start:
                raise serializers.ValidationError(
                    {"end": "The end is before the start."}
                )
            if (end - start).days + 1 > MAX_CALENDAR_DAYS:
                raise serializers.ValidationError(
                    {"end": f"Ask for at most {MAX_CALENDAR_DAYS} days at a time."}
                )
        return attrs


class CalendarDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    is_working = serializers.BooleanField()
    reason = serializers.CharField(
        help_text="Holiday name, weekend, closure, make-up day…; empty on an "
        "ordinary working day."
    )
    provisional = serializers.BooleanField(
        help_text="The official holiday arrangement of that year is not published."
    )
    absence = serializers.BooleanField(help_text="Holiday or closure: staff away.")
    utilisation = serializers.FloatField(help_text="Planned load / capacity.")
    peak_severity = serializers.IntegerField(help_text="0 (none) to 5.")
    seasons = serializers.ListField(child=serializers.CharField())
    milestone_pressure = serializers.IntegerField(
        help_text="Highest criticality (0-5) of the milestones whose buffered "
        "span covers the day."
    )
    milestones = serializers.ListField(
        child=serializers.CharField(), help_text="Including their freeze buffers."
    )
    blackouts = serializers.ListField(child=serializers.CharField())
    forbidden = serializers.BooleanField(
        help_text="A hard season, milestone or blackout forbids cutover/hypercare."
    )
    forbidden_reason = serializers.CharField()


# --- rollouts and recommendations -----------------------------------------


class RolloutSerializer(serializers.ModelSerializer):
    plants = VisiblePlantField(
        many=True,
        help_text="Plant codes. Only the plants you see are listed; to create or "
        "change a rollout you must be an IT lead at every one of them.",
    )

    class Meta:
        model = Rollout
        extra_kwargs = _sane_dates("earliest_go_live", "latest_go_live")
        fields = [
            "id",
            "name",
            "kind",
            "description",
            "plants",
            "training_days",
            "cutover_days",
            "hypercare_days",
            "earliest_go_live",
            "latest_go_live",
            "active",
            "revision",
        ]
        read_only_fields = ["revision"]


class PhaseSerializer(serializers.Serializer):
    name = serializers.ChoiceField(choices=["training", "cutover", "hypercare"])
    start = serializers.DateField()
    end = serializers.DateField()


class ContributionSerializer(serializers.Serializer):
    phase = serializers.CharField()
    factor = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    days = serializers.IntegerField()
    cost = serializers.FloatField()


class _StoredPhases(serializers.JSONField):
    """Stored as the engine laid them out; passed through as is."""


class _StoredExplanation(serializers.JSONField):
    pass


extend_schema_field(PhaseSerializer(many=True))(_StoredPhases)
extend_schema_field(ContributionSerializer(many=True))(_StoredExplanation)


class RecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    go_live = serializers.DateField()
    phases = _StoredPhases(read_only=True)
    score = serializers.FloatField(help_text="Quietness 0-100 (100 = no disturbance).")
    cost = serializers.FloatField()
    feasible = serializers.SerializerMethodField()
    explanation = _StoredExplanation(read_only=True)

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_feasible(self, window) -> bool:
        # Only feasible windows are ever stored as recommendations.
        return True


class RecommendationQuerySerializer(serializers.Serializer):
    rollout = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT)
    limit = serializers.IntegerField(
        min_value=1, max_value=100, required=False, help_text="Default 10."
    )


class RecommendationListSerializer(serializers.Serializer):
    calendar_revision = serializers.IntegerField()
    built_from_revision = serializers.IntegerField(allow_null=True)
    up_to_date = serializers.BooleanField(
        help_text="False while a rebuild is pending: the calendar or rollout "
        "changed since the build, the horizon moved on, or nothing was built yet."
    )
    built_at = serializers.DateTimeField(allow_null=True)
    results = RecommendationSerializer(many=True)


class RolloutQuerySerializer(serializers.Serializer):
    rollout = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT)


class EvaluationRequestSerializer(serializers.Serializer):
    plant = VisiblePlantField()
    rollout = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT)
    go_live = serializers.DateField(
        validators=[sane_date], help_text="Plant-local date within the horizon."
    )


class ConflictSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="season, milestone, blackout or closure")
    name = serializers.CharField()
    phase = serializers.CharField()
    start = serializers.DateField(help_text="First overlapping day.")
    end = serializers.DateField(help_text="Last overlapping day.")
    hard = serializers.BooleanField()
    blocking = serializers.BooleanField(
        help_text="Hard and in cutover or hypercare: makes the date infeasible."
    )
    factor = serializers.CharField()
    value = serializers.FloatField()


class WindowSerializer(serializers.Serializer):
    go_live = serializers.DateField()
    score = serializers.FloatField()
    cost = serializers.FloatField()
    feasible = serializers.BooleanField()
    phases = PhaseSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    plant = serializers.CharField()
    rollout = serializers.IntegerField()
    go_live = serializers.DateField()
    feasible = serializers.BooleanField()
    score = serializers.FloatField(allow_null=True)
    cost = serializers.FloatField(allow_null=True)
    percentile = serializers.FloatField(
        allow_null=True,
        help_text="Share (0-100) of the other feasible dates that cost more.",
    )
    phases = PhaseSerializer(many=True)
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why it is infeasible ([] if not)."
    )
    conflicts = ConflictSerializer(many=True)
    explanation = ContributionSerializer(many=True)
    alternatives = WindowSerializer(many=True)
    fallback = WindowSerializer(allow_null=True)
    fallback_statement = serializers.CharField()


class WindowStateSerializer(serializers.Serializer):
    plant = serializers.CharField()
    rollout = serializers.IntegerField()
    today = serializers.DateField(help_text="The plant's local date now.")
    allowed_today = serializers.BooleanField(
        help_text="A go-live today is feasible for the rollout."
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), help_text="Why not ([] when allowed)."
    )
    reason_codes = serializers.ListField(child=serializers.CharField())
    blocking = ConflictSerializer(
        many=True, help_text="Hard conflicts in cutover or hypercare."
    )
    next_open = serializers.DateField(
        allow_null=True,
        help_text="First day from today on which a go-live is allowed "
        "(today when allowed_today); null if none within the horizon.",
    )
    next_close = serializers.DateField(
        allow_null=True,
        help_text="First day after next_open on which it is no longer allowed; "
        "null if it stays allowed to the end of the horizon.",
    )
    horizon_end = serializers.DateField()
    calendar_revision = serializers.IntegerField()


# --- tokens ---------------------------------------------------------------


def _expiry_days_field() -> serializers.IntegerField:
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
    expiry_days = _expiry_days_field()


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


class FeedTokenRequestSerializer(serializers.Serializer):
    name = serializers.CharField(
        max_length=100, required=False, help_text="Default 'Calendar feed'."
    )
    plant = VisiblePlantField(
        required=False, help_text="Return this plant's feed URL as feed_url."
    )
    expiry_days = _expiry_days_field()


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
