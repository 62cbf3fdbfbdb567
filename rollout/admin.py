"""Admin for rollouts and scoring profiles; saves go through the services so
recommendations are rebuilt when phases or weights change."""

from django.contrib import admin

from accounts import permissions
from rollout import scoring, services
from rollout.models import Recommendation, RecommendationSet, Rollout, ScoringProfile


@admin.register(ScoringProfile)
class ScoringProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "description")
    search_fields = ("name",)
    fieldsets = [(None, {"fields": ("name", "description")})] + [
        (
            phase.capitalize(),
            {
                "fields": [
                    tuple(
                        ScoringProfile.weight_field(phase, factor)
                        for factor in scoring.FACTORS
                    )
                ],
                "description": f"How much the {phase} phase minds each factor "
                "(0 = not at all).",
            },
        )
        for phase in scoring.PHASES
    ]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_change_profile(request.user, obj)
        )

    def save_model(self, request, obj, form, change):
        services.scoring_profile_save(profile=obj, user=request.user)


@admin.register(Rollout)
class RolloutAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "training_days",
        "cutover_days",
        "hypercare_days",
        "earliest_go_live",
        "latest_go_live",
        "profile",
        "active",
    )
    list_filter = ("kind", "active", "plants")
    search_fields = ("name", "description")
    filter_horizontal = ("plants",)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_change_rollout(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_change_rollout(request.user, obj)
        )

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        services.rollout_save(rollout=obj)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The plants are known now: the same rule as every other interface.
        services.rollout_save(rollout=form.instance, user=request.user)


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0
    max_num = 0
    can_delete = False
    fields = ("rank", "go_live", "score", "cost", "phases")
    readonly_fields = fields


@admin.register(RecommendationSet)
class RecommendationSetAdmin(admin.ModelAdmin):
    list_display = (
        "plant",
        "rollout",
        "calendar_revision",
        "built_at",
        "feasible_candidates",
        "candidates",
    )
    list_filter = ("plant", "rollout")
    readonly_fields = [f.name for f in RecommendationSet._meta.fields]
    inlines = [RecommendationInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
