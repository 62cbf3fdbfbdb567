"""Admin for the production calendar. Saves and deletes go through the services
so that the admin bumps calendar revisions like every other entry point."""

from django.contrib import admin
from django.db import transaction

from calendars import services
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    PlanLine,
    ProductionPlan,
)


class CalendarItemAdmin(admin.ModelAdmin):
    """Saves through calendar_item_save so the plant's revision moves."""

    def save_model(self, request, obj, form, change):
        services.calendar_item_save(item=obj)

    def delete_model(self, request, obj):
        services.calendar_item_delete(item=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_item_delete(item=obj)


@admin.register(Plant)
class PlantAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "country", "subdivision", "timezone",
                    "calendar_revision")
    list_filter = ("country",)
    search_fields = ("code", "name")
    readonly_fields = ("calendar_revision",)
    filter_horizontal = ("members",)

    def save_model(self, request, obj, form, change):
        services.plant_save(plant=obj)


@admin.register(CalendarException)
class CalendarExceptionAdmin(CalendarItemAdmin):
    list_display = ("name", "plant", "kind", "start", "end")
    list_filter = ("plant", "kind")
    search_fields = ("name",)
    date_hierarchy = "start"


@admin.register(PeakSeason)
class PeakSeasonAdmin(CalendarItemAdmin):
    list_display = ("name", "plant", "start", "end", "recurring_yearly",
                    "severity", "hard")
    list_filter = ("plant", "recurring_yearly", "severity", "hard")
    search_fields = ("name",)


@admin.register(Milestone)
class MilestoneAdmin(CalendarItemAdmin):
    list_display = ("name", "plant", "kind", "start", "end", "criticality",
                    "freeze_before_days", "freeze_after_days", "hard")
    list_filter = ("plant", "kind", "criticality", "hard")
    search_fields = ("name",)
    date_hierarchy = "start"


@admin.register(Blackout)
class BlackoutAdmin(CalendarItemAdmin):
    list_display = ("name", "plant", "kind", "start", "end", "rrule",
                    "duration_days", "hard")
    list_filter = ("plant", "kind", "hard")
    search_fields = ("name", "rrule")


class PlanLineInline(admin.TabularInline):
    model = PlanLine
    extra = 0
    can_delete = False
    readonly_fields = ("bucket_start", "work_centre", "load", "capacity")
    max_num = 0
    show_change_link = False


@admin.register(ProductionPlan)
class ProductionPlanAdmin(admin.ModelAdmin):
    """Plans arrive by import (command, API, page); here they are inspected and
    switched on or off."""

    list_display = ("plant", "version", "granularity", "source_name",
                    "period_start", "period_end", "row_count", "active",
                    "imported_by", "imported_at")
    list_filter = ("plant", "granularity", "active")
    search_fields = ("source_name",)
    readonly_fields = ("plant", "version", "granularity", "source_name",
                       "imported_by", "imported_at", "period_start", "period_end",
                       "row_count")
    inlines = [PlanLineInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        services.production_plan_set_active(plan=obj, active=obj.active)

    def delete_model(self, request, obj):
        services.calendar_item_delete(item=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_item_delete(item=obj)
