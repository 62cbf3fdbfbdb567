"""Admin for the production calendar. Saves and deletes go through the services
so that the admin bumps calendar revisions like every other entry point."""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts import permissions
from calendars import services
from calendars.kinds import ITEM_KINDS
from calendars.models import (
    PlanLine,
    Plant,
    ProductionPlan,
)
from calendars.selectors import plants_visible_to
from calendars.suggestions import suggested_seasons_for
from calendars.web.forms import AnchorFieldsMixin


class CalendarItemAdmin(admin.ModelAdmin):
    """Saves through calendar_item_save so the plant's revision moves."""

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit_calendar_item(request.user, obj.plant)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_edit_calendar_item(request.user, obj.plant)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and (
            permissions.has_any_role(request.user, permissions.PLANT_MANAGER)
            or permissions.can_edit_company_calendar(request.user)
        )

    def save_model(self, request, obj, form, change):
        # The plant is known only now: the same rule as the API and the pages.
        permissions.require(permissions.can_edit_calendar_item(request.user, obj.plant))
        services.calendar_item_save(item=obj)

    def delete_model(self, request, obj):
        services.calendar_item_delete(item=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_item_delete(item=obj)


@admin.register(Plant)
class PlantAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "country",
        "subdivision",
        "timezone",
        "calendar_revision",
    )
    list_filter = ("country",)
    search_fields = ("code", "name")
    readonly_fields = ("calendar_revision",)
    filter_horizontal = ("members",)

    def save_model(self, request, obj, form, change):
        services.plant_save(plant=obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_change_plant(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        # A plant with go-live proposals is kept (calendars.services guards).
        return super().has_delete_permission(request, obj) and (
            obj is None
            or (
                permissions.can_delete_plant(request.user, obj)
                and not services.plant_delete_reasons(plant=obj)
            )
        )

    def delete_model(self, request, obj):
        services.plant_delete(plant=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            try:
                services.plant_delete(plant=obj)
            except services.PlantInUse as exc:
                messages.error(request, f"{obj.code}: {exc}")

    def response_add(self, request, obj, post_url_continue=None):
        """A new plant: point its creator at the seasons its country's
        planners expect, to accept on its calendar-data page (never applied
        here)."""
        offered = suggested_seasons_for(plant=obj)
        if offered:
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    gettext("Seasons planners in %(country)s expect: %(names)s.")
                    % {
                        "country": obj.country,
                        "names": ", ".join(s["name"] for s in offered),
                    },
                    reverse("web:calendar_data", args=[obj.code]) + "#sec-suggested",
                    gettext("Review and accept them"),
                ),
                messages.INFO,
            )
        return super().response_add(request, obj, post_url_continue)


class AnchoredItemAdmin(CalendarItemAdmin):
    """An anchorable kind: the anchor is a select of each plant's holidays
    (localised names), and the list shows the next occurrence."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = super().get_form(request, obj, change, **kwargs)
        plants = list(plants_visible_to(request.user))

        class Form(AnchorFieldsMixin, base):
            anchor_plants = plants

            def __init__(self, *args, **kw):
                super().__init__(*args, **kw)
                self.setup_anchor()

        return Form

    @admin.display(description=_("next occurrence"))
    def next_occurrence_display(self, obj):
        found = obj.next_occurrence()
        return f"{found[0]} – {found[1]}" if found else "–"


def _item_admin(kind) -> type[CalendarItemAdmin]:
    """The admin of a calendar kind, from its entry in calendars.kinds."""
    extra = ("next_occurrence_display",) if kind.anchorable else ()
    return type(
        f"{kind.model.__name__}Admin",
        (AnchoredItemAdmin if kind.anchorable else CalendarItemAdmin,),
        {
            "list_display": (*kind.columns[:1], "plant", *kind.columns[1:], *extra),
            "list_filter": ("plant", *kind.filters),
            "search_fields": ("name",),
        },
    )


for _kind in ITEM_KINDS.values():
    admin.site.register(_kind.model, _item_admin(_kind))


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

    list_display = (
        "plant",
        "version",
        "granularity",
        "source_name",
        "period_start",
        "period_end",
        "row_count",
        "active",
        "imported_by",
        "imported_at",
    )
    list_filter = ("plant", "granularity", "active")
    search_fields = ("source_name",)
    readonly_fields = (
        "plant",
        "version",
        "granularity",
        "source_name",
        "imported_by",
        "imported_at",
        "period_start",
        "period_end",
        "row_count",
    )
    inlines = [PlanLineInline]
    change_list_template = "admin/calendars/productionplan/change_list.html"
    import_template = "admin/calendars/productionplan/import.html"

    def has_add_permission(self, request):
        return False

    def has_import_permission(self, request) -> bool:
        # Plans are never typed in, so the model's add permission is what
        # allows importing one.
        from django.contrib.auth import get_permission_codename

        codename = get_permission_codename("add", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def get_urls(self):
        from django.urls import path

        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=name),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            "has_import_permission": self.has_import_permission(request),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context)

    def get_import_form_class(self):
        from django import forms
        from django.utils.translation import gettext_lazy

        class PlanImportForm(forms.Form):
            plant = forms.ModelChoiceField(
                queryset=Plant.objects.all(), label=gettext_lazy("plant")
            )
            granularity = forms.ChoiceField(
                choices=ProductionPlan.Granularity.choices,
                initial=ProductionPlan.Granularity.WEEK,
                label=gettext_lazy("granularity"),
                help_text=gettext_lazy(
                    "What one row covers: a day, a week (dated by its Monday) or "
                    "a month (dated by its 1st)."
                ),
            )
            file = forms.FileField(
                label=gettext_lazy("file"),
                help_text=gettext_lazy(
                    "CSV or Excel .xlsx with the columns date, load, "
                    "capacity and optionally work_centre."
                ),
            )

        return PlanImportForm

    def import_view(self, request):
        """Thin: validate the form, call plan_import, show its row errors."""
        from django.contrib import messages
        from django.core.exceptions import PermissionDenied
        from django.http import HttpResponseRedirect
        from django.template.response import TemplateResponse
        from django.urls import reverse
        from django.utils.translation import gettext

        from calendars.imports import PlanImportError, plan_import, plan_import_summary

        if not self.has_import_permission(request):
            raise PermissionDenied
        form_class = self.get_import_form_class()
        if request.method == "POST":
            form = form_class(request.POST, request.FILES)
        else:
            form = form_class()
        import_errors = []
        if form.is_bound and form.is_valid():
            permissions.require(
                permissions.can_edit_calendar(request.user, form.cleaned_data["plant"])
            )
            try:
                plan = plan_import(
                    plant=form.cleaned_data["plant"],
                    file=form.cleaned_data["file"],
                    granularity=form.cleaned_data["granularity"],
                    user=request.user,
                )
            except PlanImportError as exc:
                import_errors = exc.errors
                form.add_error(
                    None,
                    gettext(
                        "Nothing was imported: fix the problems listed below and "
                        "upload the file again."
                    ),
                )
            else:
                self.log_addition(request, plan, [{"added": {}}])
                self.message_user(
                    request, plan_import_summary(plan=plan), messages.SUCCESS
                )
                return HttpResponseRedirect(
                    reverse(
                        f"admin:{self.opts.app_label}_{self.opts.model_name}"
                        "_changelist",
                        current_app=self.admin_site.name,
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Import a production plan"),
            "form": form,
            "import_errors": import_errors,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, self.import_template, context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or permissions.can_edit_calendar(request.user, obj.plant)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or permissions.can_edit_calendar(request.user, obj.plant)
        )

    def save_model(self, request, obj, form, change):
        services.production_plan_set_active(plan=obj, active=obj.active)

    def delete_model(self, request, obj):
        services.calendar_item_delete(item=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            services.calendar_item_delete(item=obj)
