"""Calendar data of a plant: seasons, milestones, blackouts, closures and the
production plan. Everyone who sees the plant reads it; plant managers edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from calendars import services
from calendars.imports import (
    PlanImportError,
    plan_import,
    plan_import_summary,
    plan_parse,
)
from calendars.kinds import ITEM_KINDS, ItemKind, items_at, kind_by_slug
from calendars.models import (
    ProductionPlan,
)
from calendars.selectors import plan_lines_skipped, plants_visible_to
from calendars.suggestions import suggested_seasons_accept, suggested_seasons_for
from calendars.web import forms as web_forms
from calendars.web.access import plant_get, require
from calendars.web.charts import plan_preview_chart, utilisation_chart
from calendars.web.uploads import upload_forget, upload_keep, upload_take

PREVIEW_ROWS = 60
UPLOAD_SESSION_KEY = "offpeak_plan_upload"


def _kind(slug: str) -> ItemKind:
    kind = kind_by_slug(slug)
    if kind is None:
        raise Http404
    return kind


@login_required
def calendar_data(request, code):
    plant = plant_get(request.user, code)
    sections = [
        {"kind": kind, "items": list(items_at(kind, plant))}
        for kind in ITEM_KINDS.values()
    ]
    can_edit = permissions.can_edit_calendar(request.user, plant)
    suggestions = [s for s in suggested_seasons_for(plant=plant) if not s["exists"]]
    return render(
        request,
        "web/calendar_data.html",
        {
            "plant": plant,
            "sections": sections,
            "suggestions": suggestions if can_edit else [],
            "can_edit": can_edit,
            "can_edit_company": permissions.can_edit_company_calendar(request.user),
        },
    )


@login_required
@require_POST
def suggested_season_accept(request, code):
    """A plant manager accepts one suggested season: it becomes an anchored
    season of the plant, to edit or delete like any other."""
    plant = plant_get(request.user, code)
    require(permissions.can_edit_calendar(request.user, plant))
    try:
        [season] = suggested_seasons_accept(
            plant=plant, keys=[request.POST.get("suggestion", "")]
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Added %(item)s. The recommendations are being recalculated.")
            % {"item": season.name},
        )
    return redirect(f"{reverse('web:calendar_data', args=[plant.code])}#sec-seasons")


@login_required
def item_edit(request, code, kind, pk=None):
    plant = plant_get(request.user, code)
    item_kind = _kind(kind)
    if pk is None:
        require(permissions.can_edit_calendar(request.user, plant))
        item = item_kind.model(plant=plant)
    else:
        item = get_object_or_404(items_at(item_kind, plant), pk=pk)
        require(permissions.can_edit_calendar_item(request.user, item.plant))
    form = web_forms.item_form_class(item_kind)(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_item_save(item=form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Saved %(item)s. The recommendations are being recalculated.")
                % {"item": item.name},
            )
            return redirect("web:calendar_data", code=plant.code)
    return render(
        request,
        "web/item_form.html",
        {"plant": plant, "kind": item_kind, "form": form, "item": item},
    )


@login_required
def item_delete(request, code, kind, pk):
    plant = plant_get(request.user, code)
    item_kind = _kind(kind)
    item = get_object_or_404(items_at(item_kind, plant), pk=pk)
    require(permissions.can_edit_calendar_item(request.user, item.plant))
    if request.method == "POST":
        services.calendar_item_delete(item=item)
        messages.success(request, _("Deleted %(item)s.") % {"item": item.name})
        return redirect("web:calendar_data", code=plant.code)
    return render(
        request,
        "web/item_delete.html",
        {"plant": plant, "kind": item_kind, "item": item},
    )


# --- production plan ------------------------------------------------------


def _plans_context(request, plant, **extra) -> dict:
    return {
        "plant": plant,
        "plans": ProductionPlan.objects.filter(plant=plant).select_related(
            "imported_by"
        ),
        "chart": utilisation_chart(plant=plant),
        "skipped_plan_lines": plan_lines_skipped(plant=plant),
        "can_edit": permissions.can_edit_calendar(request.user, plant),
        **extra,
    }


@login_required
def plans(request, code):
    plant = plant_get(request.user, code)
    form = web_forms.PlanUploadForm()
    return render(request, "web/plans.html", _plans_context(request, plant, form=form))


@login_required
@require_POST
def plan_preview(request, code):
    """Parse the upload without saving: a preview, or the errors by row."""
    plant = plant_get(request.user, code)
    require(permissions.can_edit_calendar(request.user, plant))
    form = web_forms.PlanUploadForm(request.POST, request.FILES)
    context = {"form": form}
    if form.is_valid():
        upload = form.cleaned_data["file"]
        granularity = form.cleaned_data["granularity"]
        try:
            lines = plan_parse(file=upload, granularity=granularity)
        except PlanImportError as exc:
            context["import_errors"] = exc.errors
            form.add_error(
                "file",
                _("The file has %(n)s problems; nothing was imported.")
                % {"n": len(exc.errors)}
                if len(exc.errors) != 1
                else _("The file has a problem; nothing was imported."),
            )
        else:
            token = upload_keep(
                request,
                key=UPLOAD_SESSION_KEY,
                plant=plant,
                upload=upload,
                granularity=granularity,
            )
            context.update(
                token=token,
                file_name=upload.name,
                granularity=granularity,
                granularity_label=ProductionPlan.Granularity(granularity).label,
                line_count=len(lines),
                preview_lines=lines.head(PREVIEW_ROWS).itertuples(index=False),
                more_lines=max(0, len(lines) - PREVIEW_ROWS),
                period_start=lines["bucket_start"].min().date(),
                period_end=lines["bucket_end"].max().date(),
                preview_chart=plan_preview_chart(plant=plant, lines=lines),
            )
    return render(request, "web/plans.html", _plans_context(request, plant, **context))


@login_required
@require_POST
def plan_import_confirm(request, code):
    plant = plant_get(request.user, code)
    require(permissions.can_edit_calendar(request.user, plant))
    kept = upload_take(request, key=UPLOAD_SESSION_KEY, plant=plant)
    if kept is None:
        return redirect("web:plans", code=plant.code)
    file, details = kept
    try:
        plan = plan_import(
            plant=plant,
            file=file,
            granularity=details["granularity"],
            user=request.user,
        )
    except PlanImportError as exc:
        form = web_forms.PlanUploadForm()
        return render(
            request,
            "web/plans.html",
            _plans_context(request, plant, form=form, import_errors=exc.errors),
        )
    upload_forget(request, key=UPLOAD_SESSION_KEY)
    messages.success(request, plan_import_summary(plan=plan))
    return redirect("web:plans", code=plant.code)


@login_required
@require_POST
def plan_toggle(request, code, pk):
    plant = plant_get(request.user, code)
    plan = get_object_or_404(ProductionPlan, plant=plant, pk=pk)
    if not permissions.can_edit_calendar(request.user, plant):
        raise PermissionDenied
    services.production_plan_set_active(plan=plan, active=not plan.active)
    return redirect("web:plans", code=plant.code)


@login_required
def plant_list(request):
    plants = [
        {
            "plant": plant,
            "can_edit": permissions.can_edit_calendar(request.user, plant),
            "can_plan": permissions.can_plan_rollouts(request.user, plant),
            "can_decide": permissions.can_decide_proposals(request.user, plant),
        }
        for plant in plants_visible_to(request.user)
    ]
    return render(request, "web/plant_list.html", {"plants": plants})
