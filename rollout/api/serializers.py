"""Shapes of the planning API's input and output. Validation of input only:
writes go through rollout.services, called by the views."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from calendars.api.serializers import MAX_DB_INT, VisiblePlantField
from calendars.models import validate_calendar_date
from calendars.names import localised_causes
from rollout.models import Rollout

# --- rollouts and recommendations -----------------------------------------


class RolloutSerializer(serializers.ModelSerializer):
    plants = VisiblePlantField(
        many=True,
        allow_empty=False,
        help_text="Plant codes. Only the plants you see are listed; to create or "
        "change a rollout you must be an IT lead at every one of them.",
    )

    class Meta:
        model = Rollout
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
            "go_live_on",
            "go_live_weekday",
            "active",
            "revision",
        ]
        read_only_fields = ["revision"]
        extra_kwargs = {
            "go_live_on": {
                "help_text": "any_day, working_day, period_start (the first "
                "working day of a fiscal period of each plant), quarter_start or "
                "year_start. Omitted or empty on create: period_start for ERP, "
                "any_day otherwise. Other days are infeasible (reason_codes "
                "MISALIGNED)."
            },
            "go_live_weekday": {
                "help_text": "0 (Monday) to 6 (Sunday), or null: go live only on "
                "that weekday (reason_codes WRONG_WEEKDAY otherwise)."
            },
        }


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
    """Stored with English cause names; shown with holiday, period-close and
    load names in the request's language (the serializer's context "plant")."""

    def to_representation(self, value):
        value = super().to_representation(value)
        plant = self.context.get("plant")
        if plant is None or not isinstance(value, list):
            return value
        return localised_causes(plant=plant, entries=value)


extend_schema_field(PhaseSerializer(many=True))(_StoredPhases)
extend_schema_field(ContributionSerializer(many=True))(_StoredExplanation)


class QuietnessField(serializers.FloatField):
    """A quietness score as people read it: one decimal (94.2, not
    94.20437365010787)."""

    def to_representation(self, value):
        value = super().to_representation(value)
        return None if value is None else round(value, 1)


class RecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    go_live = serializers.DateField()
    phases = _StoredPhases(read_only=True)
    score = QuietnessField(help_text="Quietness 0-100 (100 = no disturbance).")
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
        validators=[validate_calendar_date],
        help_text="Plant-local date within the horizon.",
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
    score = QuietnessField()
    cost = serializers.FloatField()
    feasible = serializers.BooleanField()
    phases = PhaseSerializer(many=True)


class EvaluationSerializer(serializers.Serializer):
    plant = serializers.CharField()
    rollout = serializers.IntegerField()
    go_live = serializers.DateField()
    feasible = serializers.BooleanField()
    score = QuietnessField(allow_null=True)
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
    aligned = serializers.BooleanField(
        help_text="The date is a day the rollout may go live on (go_live_on, "
        "go_live_weekday)."
    )
    nearest_aligned = serializers.DictField(
        child=WindowSerializer(allow_null=True),
        help_text="When the date is not aligned: the nearest aligned go-live "
        'days within the horizon, {"before": window or null, "after": window '
        "or null}, feasible or not; {} when it is aligned.",
    )


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
