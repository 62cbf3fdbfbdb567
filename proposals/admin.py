"""Admin for go-live proposals: read-only. The workflow moves only through
proposals.services (roles, audit, notifications), never a form."""

from django.contrib import admin

from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ProposalTransition,
    ReadinessItem,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TransitionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProposalTransition
    extra = 0
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields


class ReadinessItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReadinessItem
    extra = 0
    fields = ("title", "owner", "due", "done_at", "done_by", "evidence")
    readonly_fields = fields


class ObservationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Observation
    extra = 0
    fields = (
        "observed_at",
        "severity",
        "area",
        "production_affected",
        "description",
    )
    readonly_fields = fields


@admin.register(GoLiveProposal)
class GoLiveProposalAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("id", "rollout", "plant", "go_live", "status", "proposer", "score")
    list_filter = ("status", "plant", "rollout")
    search_fields = ("rollout__name", "plant__code", "proposer__username")
    date_hierarchy = "go_live"
    inlines = [ReadinessItemInline, ObservationInline, TransitionInline]


@admin.register(ProposalReview)
class ProposalReviewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("proposal", "closed_on", "rating", "paused", "rolled_back")
    list_filter = ("proposal__plant", "rating", "paused", "rolled_back")
