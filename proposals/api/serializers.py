"""Shapes of the proposal API's output and input. The input of each workflow
step is derived from its entry in proposals.workflow."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.api.filters import StrictQuerySerializer
from calendars.models import validate_calendar_date
from proposals import selectors, workflow
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ProposalTransition,
    ReadinessItem,
)
from rollout.api.serializers import QuietnessField

# --- output -----------------------------------------------------------------


class UserRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    name = serializers.CharField(source="get_full_name")


class TransitionSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(allow_null=True)

    class Meta:
        model = ProposalTransition
        fields = [
            "action",
            "from_status",
            "to_status",
            "actor",
            "at",
            "comment",
            "data",
        ]


class ReadinessItemSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    owner = UserRefSerializer(allow_null=True)
    done_by = UserRefSerializer(allow_null=True)
    done = serializers.BooleanField()
    overdue = serializers.SerializerMethodField()
    kind_label = serializers.CharField(source="get_kind_display")

    class Meta:
        model = ReadinessItem
        fields = [
            "id",
            "proposal",
            "kind",
            "kind_label",
            "title",
            "position",
            "owner",
            "due",
            "overdue",
            "done",
            "done_at",
            "done_by",
            "evidence",
            "trained_share",
        ]

    def get_overdue(self, item) -> bool:
        return item.is_overdue()


class ObservationSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(allow_null=True)
    suggests_pause = serializers.BooleanField()

    class Meta:
        model = Observation
        fields = [
            "id",
            "observed_at",
            "severity",
            "area",
            "description",
            "production_affected",
            "suggests_pause",
            "recorded_by",
            "recorded_at",
        ]


class ReviewSerializer(serializers.ModelSerializer):
    proposal = serializers.IntegerField(source="proposal_id")
    plant = serializers.CharField(source="proposal.plant.code")
    rollout = serializers.CharField(source="proposal.rollout.name")
    reviewed_by = UserRefSerializer(allow_null=True)
    output_vs_plan = serializers.FloatField(allow_null=True)

    class Meta:
        model = ProposalReview
        fields = [
            "proposal",
            "plant",
            "rollout",
            "planned_go_live",
            "actual_go_live",
            "planned_hypercare_start",
            "planned_hypercare_end",
            "actual_hypercare_start",
            "closed_on",
            "planned_utilisation",
            "actual_utilisation",
            "output_vs_plan",
            "incidents",
            "paused",
            "rolled_back",
            "lessons_learned",
            "rating",
            "reviewed_by",
            "created_at",
            "updated_at",
        ]


class ProposalSerializer(serializers.ModelSerializer):
    rollout = serializers.SerializerMethodField()
    plant = serializers.SerializerMethodField()
    proposer = UserRefSerializer(allow_null=True)
    status_label = serializers.CharField(source="get_status_display")
    contingency = serializers.SerializerMethodField()
    decision = serializers.SerializerMethodField()
    pause = serializers.SerializerMethodField()
    revalidation = serializers.SerializerMethodField()
    checklist = serializers.SerializerMethodField()

    score = QuietnessField(read_only=True, allow_null=True)
    percentile = QuietnessField(read_only=True, allow_null=True)

    class Meta:
        model = GoLiveProposal
        fields = [
            "id",
            "rollout",
            "plant",
            "go_live",
            "phases",
            "status",
            "status_label",
            "version",
            "proposer",
            "score",
            "percentile",
            "evaluated_at",
            "evaluation",
            "contingency",
            "decision",
            "pause",
            "rollback_reason",
            "revalidation",
            "checklist",
            "created_at",
            "updated_at",
        ]

    def get_rollout(self, p) -> dict:
        return {"id": p.rollout_id, "name": p.rollout.name, "kind": p.rollout.kind}

    def get_plant(self, p) -> dict:
        return {"id": p.plant_id, "code": p.plant.code, "name": p.plant.name}

    def get_contingency(self, p) -> dict:
        return {
            "fallback": p.contingency_fallback,
            "triggers": p.contingency_triggers,
            "decider": p.contingency_decider,
            "rollback_hours": p.contingency_rollback_hours,
        }

    def get_decision(self, p) -> dict:
        by = p.decided_by
        return {
            "by": UserRefSerializer(by).data if by else None,
            "at": p.decided_at,
            "comment": p.decision_comment,
            "override_reason": p.override_reason,
        }

    def get_pause(self, p) -> dict:
        return {
            "paused_from": p.paused_from,
            "reason": p.pause_reason,
            "impact": p.pause_impact,
        }

    def get_revalidation(self, p) -> dict:
        return {
            "flagged": p.flagged,
            "conflicts": p.revalidation_conflicts,
            "at": p.revalidated_at,
        }

    def get_checklist(self, p) -> dict:
        return {
            "total": getattr(p, "checklist_total", None),
            "done": getattr(p, "checklist_done", None),
        }


class ProposalDetailSerializer(ProposalSerializer):
    """A proposal with what the detail page needs; the view reads those parts
    through the selectors and hands them over in the context."""

    actions = serializers.SerializerMethodField()
    pause_suggested = serializers.SerializerMethodField()
    checklist_items = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    review = serializers.SerializerMethodField()

    class Meta(ProposalSerializer.Meta):
        fields = [
            *ProposalSerializer.Meta.fields,
            "actions",
            "pause_suggested",
            "checklist_items",
            "history",
            "review",
        ]

    def get_actions(self, p) -> list[str]:
        """The moves you may make now (POST /api/proposals/{id}/{action}/)."""
        return self.context["actions"]

    def get_pause_suggested(self, p) -> bool:
        return self.context["pause_suggested"]

    @extend_schema_field(ReadinessItemSerializer(many=True))
    def get_checklist_items(self, p):
        return ReadinessItemSerializer(self.context["checklist_items"], many=True).data

    @extend_schema_field(TransitionSerializer(many=True))
    def get_history(self, p):
        return TransitionSerializer(self.context["history"], many=True).data

    @extend_schema_field(ReviewSerializer(allow_null=True))
    def get_review(self, p):
        review = self.context["review"]
        return ReviewSerializer(review).data if review else None


def proposal_detail(*, proposal: GoLiveProposal, user) -> dict:
    context = {
        "actions": selectors.proposal_actions(proposal=proposal, user=user),
        "pause_suggested": selectors.proposal_pause_suggested(proposal=proposal),
        "checklist_items": selectors.readiness_item_list(proposal=proposal),
        "history": selectors.proposal_history(proposal=proposal),
        "review": selectors.review_get(proposal=proposal),
    }
    return ProposalDetailSerializer(proposal, context=context).data


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class NeedsActionSerializer(serializers.Serializer):
    to_decide = ProposalSerializer(many=True)
    ready_for_go = ProposalSerializer(many=True)
    overdue_items = ReadinessItemSerializer(many=True)
    conflicts = ProposalSerializer(many=True)
    pause_suggested = ProposalSerializer(many=True)


# --- input --------------------------------------------------------------------


class ContingencyInput(serializers.Serializer):
    contingency_fallback = serializers.CharField(required=False, allow_blank=True)
    contingency_triggers = serializers.CharField(required=False, allow_blank=True)
    contingency_decider = serializers.CharField(
        required=False, allow_blank=True, max_length=200
    )
    contingency_rollback_hours = serializers.IntegerField(
        required=False, allow_null=True, min_value=0
    )


class ProposalCreateInput(ContingencyInput):
    rollout = serializers.IntegerField()
    plant = serializers.CharField(help_text="plant code")
    go_live = serializers.DateField()


class ProposalUpdateInput(ContingencyInput):
    go_live = serializers.DateField(required=False)
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="What changed and why (kept in the history of a revision).",
    )


class ListFilterInput(StrictQuerySerializer):
    plant = serializers.CharField(required=False)
    status = serializers.CharField(required=False, help_text="comma-separated")
    rollout = serializers.IntegerField(required=False)
    date = serializers.DateField(required=False, help_text="go-live on this day")
    go_live_from = serializers.DateField(required=False)
    go_live_to = serializers.DateField(required=False)
    flagged = serializers.BooleanField(required=False, allow_null=True, default=None)

    def validate_status(self, value: str) -> list[str]:
        statuses = [s.strip() for s in value.split(",") if s.strip()]
        unknown = set(statuses) - set(GoLiveProposal.Status.values)
        if unknown:
            raise serializers.ValidationError(
                f"Unknown status: {', '.join(sorted(unknown))}."
            )
        return statuses


class ReviewInput(serializers.Serializer):
    lessons_learned = serializers.CharField(required=False, allow_blank=True)
    rating = serializers.IntegerField(required=False, allow_null=True)
    actual_utilisation = serializers.FloatField(required=False, allow_null=True)


class ReadinessItemCreateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(ReadinessItem.Kind.choices, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True)


class ReadinessItemUpdateInput(serializers.Serializer):
    title = serializers.CharField(max_length=200, required=False)
    owner = serializers.IntegerField(required=False, allow_null=True)
    due = serializers.DateField(required=False, allow_null=True)
    evidence = serializers.CharField(required=False, allow_blank=True)
    trained_share = serializers.FloatField(
        required=False, allow_null=True, min_value=0, max_value=100
    )
    done = serializers.BooleanField(required=False)


class ObservationInput(serializers.Serializer):
    severity = serializers.ChoiceField(Observation.Severity.choices)
    area = serializers.ChoiceField(Observation.Area.choices)
    description = serializers.CharField()
    production_affected = serializers.BooleanField(default=False)
    observed_at = serializers.DateTimeField(required=False)


def _input_field(spec: workflow.Input) -> serializers.Field:
    if spec.kind == "date":
        return serializers.DateField(
            required=spec.required, validators=[validate_calendar_date]
        )
    if spec.kind == "rating":
        return serializers.IntegerField(required=False, allow_null=True, default=None)
    if spec.kind == "share":
        return serializers.FloatField(
            required=False,
            allow_null=True,
            default=None,
            min_value=0,
            max_value=5,
            help_text="A fraction: 0.72 for 72 %.",
        )
    return serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000
    )


def _step_input(step: workflow.Step) -> type[serializers.Serializer]:
    """The input of a workflow step, from its entry in proposals.workflow."""
    return type(
        f"Proposal{step.action.title()}Input",
        (serializers.Serializer,),
        {spec.name: _input_field(spec) for spec in step.input_specs()},
    )


STEP_INPUTS = {action: _step_input(step) for action, step in workflow.STEPS.items()}
