"""plan_import: a validated plan file saved as the plant's next plan version."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from calendars.imports.parse import plan_parse
from calendars.imports.upload import upload_name, without_controls
from calendars.models import PlanLine, Plant, ProductionPlan
from calendars.services import calendar_revision_bump


def plan_import(
    *,
    plant: Plant,
    file,
    granularity: str,
    user=None,
    source_name: str | None = None,
) -> ProductionPlan:
    """Save a plan file as the plant's next plan version, atomically.

    All or nothing: the file is parsed and validated in full (`plan_parse`)
    before the database is touched, so a file with any problem saves nothing.
    Older active plans whose period lies entirely within the new one are
    deactivated; the returned plan lists their versions in
    `superseded_versions`. Plans that only partly overlap stay active and the
    newest version wins day by day. Bumps the plant's calendar revision once.
    """
    lines = plan_parse(file=file, granularity=granularity)
    # The name is stored: no control character may reach the database.
    source_name = without_controls(source_name or "") or upload_name(file=file)
    period_start = lines["bucket_start"].min().date()
    period_end = lines["bucket_end"].max().date()
    with transaction.atomic():
        # Serialises imports per plant so that two never take the same version.
        Plant.objects.select_for_update().filter(pk=plant.pk).values_list("pk").get()
        plans = ProductionPlan.objects.filter(plant_id=plant.pk)
        version = (plans.aggregate(v=Max("version"))["v"] or 0) + 1
        superseded = dict(
            plans.filter(
                active=True, period_start__gte=period_start, period_end__lte=period_end
            ).values_list("pk", "version")
        )
        plans.filter(pk__in=superseded).update(active=False)
        plan = ProductionPlan.objects.create(
            plant=plant,
            version=version,
            granularity=granularity,
            source_name=source_name[:255],
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            period_start=period_start,
            period_end=period_end,
            row_count=len(lines),
            active=True,
        )
        PlanLine.objects.bulk_create(
            [
                PlanLine(
                    plan=plan,
                    bucket_start=start,
                    work_centre=centre,
                    load=load,
                    capacity=capacity,
                )
                for start, centre, load, capacity in zip(
                    lines["bucket_start"].dt.date,
                    lines["work_centre"],
                    lines["load"].tolist(),
                    lines["capacity"].tolist(),
                    strict=True,
                )
            ],
            batch_size=1000,
        )
        calendar_revision_bump(plant_ids=[plant.pk])
    plant.refresh_from_db(fields=["calendar_revision"])
    plan.superseded_versions = sorted(superseded.values())
    return plan


def plan_import_summary(*, plan: ProductionPlan) -> str:
    """One line for the command and the admin: `Imported plan v3 for SZ: 104
    rows, 2026-01-05..2028-01-02 (superseded: v1, v2)`."""
    text = _("Imported plan v%(version)s for %(plant)s: %(rows)s, %(period)s") % {
        "version": plan.version,
        "plant": plan.plant.code,
        "rows": _("1 row") if plan.row_count == 1 else _("%s rows") % plan.row_count,
        "period": f"{plan.period_start.isoformat()}..{plan.period_end.isoformat()}",
    }
    superseded = getattr(plan, "superseded_versions", None)
    if superseded:
        versions = ", ".join(f"v{version}" for version in superseded)
        text += " (" + _("superseded: %s") % versions + ")"
    return text
