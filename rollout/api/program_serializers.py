"""Shapes of the programs API and of a plant's daily scores. Validation of
input only: writes go through rollout.program_services."""

from rest_framework import serializers

from accounts.api.filters import StrictQuerySerializer
from calendars.api.serializers import MAX_DB_INT, VisiblePlantField
from calendars.dates import date_range_check
from rollout.models_programs import MAX_GAP_DAYS, MAX_TEAM_CAPACITY, Program
from rollout.program_inputs import DEFAULT_SCORE_DAYS, MAX_SCORE_DAYS
from rollout.program_selectors import program_plan_status
from rollout.selectors import rollouts_visible_to


class ScoresQuerySerializer(StrictQuerySerializer):
    rollout = serializers.IntegerField(min_value=1, max_value=MAX_DB_INT)
    start = serializers.DateField(
        required=False, help_text="First go-live day (default: the plant's today)."
    )
    end = serializers.DateField(
        required=False,
        help_text=f"Last go-live day, fewer than {MAX_SCORE_DAYS} days after start "
        f"(default: start + {DEFAULT_SCORE_DAYS} days or the horizon's end).",
    )


class ScoreRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    score = serializers.FloatField(allow_null=True)
    cost = serializers.FloatField(allow_null=True)
    feasible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField())
    window_start = serializers.DateField(allow_null=True)
    window_end = serializers.DateField(allow_null=True)


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, data):
        date_range_check(data["start"], data["end"])
        return data


class TeamSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    capacity = serializers.IntegerField(
        min_value=1, max_value=MAX_TEAM_CAPACITY, default=1
    )
    plants = VisiblePlantField(
        many=True,
        required=False,
        help_text="Plant codes it may serve; none: every plant of the program.",
    )
    unavailable = PeriodSerializer(many=True, required=False)

    def to_representation(self, team):
        return {
            "name": team.name,
            "capacity": team.capacity,
            "plants": sorted(p.code for p in team.plants.all()),
            "unavailable": list(team.unavailable),
        }


class PrecedenceSerializer(serializers.Serializer):
    before = VisiblePlantField()
    after = VisiblePlantField()
    min_gap_days = serializers.IntegerField(
        min_value=0, max_value=MAX_GAP_DAYS, default=0
    )

    def to_representation(self, rule):
        return {
            "before": rule.before.code,
            "after": rule.after.code,
            "min_gap_days": rule.min_gap_days,
        }


class VisibleRolloutField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return rollouts_visible_to(request.user)


class ProgramSerializer(serializers.ModelSerializer):
    rollout = VisibleRolloutField()
    plants = VisiblePlantField(
        many=True,
        allow_empty=False,
        help_text="Plant codes, among the rollout's; you must be an IT lead at "
        "every one of them.",
    )
    teams = TeamSerializer(many=True, allow_empty=False)
    precedences = PrecedenceSerializer(many=True, required=False)
    owner = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = serializers.SerializerMethodField(
        help_text="optimal, feasible, infeasible, running or stale (no current plan)."
    )

    class Meta:
        model = Program
        fields = [
            "id",
            "name",
            "rollout",
            "plants",
            "teams",
            "busy_from",
            "precedences",
            "min_gap_days",
            "owner",
            "status",
            "revision",
        ]
        read_only_fields = ["revision"]

    def get_status(self, program) -> str:
        return program_plan_status(program) or "stale"


class AssignmentSerializer(serializers.Serializer):
    plant = serializers.CharField()
    team = serializers.CharField()
    go_live = serializers.DateField()
    window_start = serializers.DateField()
    window_end = serializers.DateField()
    phases = serializers.JSONField()
    score = serializers.FloatField(allow_null=True)
    cost = serializers.FloatField()
    best_cost = serializers.FloatField(allow_null=True)
    pinned = serializers.BooleanField()


class ProgramConflictSerializer(serializers.Serializer):
    kind = serializers.CharField()
    message = serializers.CharField()


class ChangeSerializer(serializers.Serializer):
    plant = serializers.CharField()
    to = serializers.DateField()
    cost_delta = serializers.FloatField()

    def get_fields(self):
        fields = super().get_fields()
        # "from" is a Python keyword: declared here rather than as an attribute.
        fields["from"] = serializers.DateField(allow_null=True)
        return fields


class PlanSerializer(serializers.Serializer):
    status = serializers.CharField(
        help_text="optimal, feasible (not proven optimal; see bound), infeasible "
        "(see conflicts), unknown (no plan found in time), running or stale."
    )
    objective = serializers.FloatField(allow_null=True)
    bound = serializers.FloatField(allow_null=True)
    gap = serializers.FloatField(allow_null=True)
    solve_seconds = serializers.FloatField(allow_null=True)
    planned_at = serializers.DateTimeField(allow_null=True, required=False)
    assignments = serializers.ListField(child=serializers.DictField())
    conflicts = serializers.ListField(child=serializers.DictField())
    moved = serializers.ListField(child=serializers.DictField(), required=False)

    def to_representation(self, data):
        return data


class WhatIfSlipSerializer(serializers.Serializer):
    plant = serializers.CharField(max_length=20)
    days = serializers.IntegerField(min_value=-730, max_value=730)


class WhatIfPinSerializer(serializers.Serializer):
    plant = serializers.CharField(max_length=20)
    go_live = serializers.DateField()


class WhatIfTeamSerializer(serializers.Serializer):
    team = serializers.CharField(max_length=100)
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, data):
        date_range_check(data["start"], data["end"])
        return data


class WhatIfSerializer(serializers.Serializer):
    slip = WhatIfSlipSerializer(many=True, required=False)
    pin = WhatIfPinSerializer(many=True, required=False)
    team_unavailable = WhatIfTeamSerializer(many=True, required=False)
    add_plants = VisiblePlantField(
        many=True, required=False, help_text="Plant codes of the rollout to add."
    )

    def validate(self, data):
        if not any(
            data.get(k) for k in ("slip", "pin", "team_unavailable", "add_plants")
        ):
            raise serializers.ValidationError(
                "Give at least one of slip, pin, team_unavailable or add_plants."
            )
        return data


class WhatIfResultSerializer(PlanSerializer):
    changes = ChangeSerializer(many=True)
    cost_delta = serializers.FloatField(allow_null=True)
