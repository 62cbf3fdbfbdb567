"""The window calendar of a plant for a rollout, and one day's evaluation."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.templatetags.offpeak import format_plant_date
from calendars.kinds import kind_labels as calendar_kind_labels
from calendars.names import localised_causes
from calendars.web.access import plant_get
from rollout.calendar_arrays import plant_calendar_load
from rollout.evaluation import DateOutsideHorizon, go_live_evaluate
from rollout.hooks import hooks
from rollout.models import FACTOR_LABELS, PHASE_LABELS
from rollout.selectors import recommendation_list, rollout_list_for_plant
from rollout.web.selectors import (
    MONTH_CHOICES,
    heatmap_build,
    reason_text,
    recommended_days,
)


def kind_labels() -> dict[str, str]:
    """What the evaluation panel calls each cause: the calendar kinds, and the
    engine's own (load, non-working days)."""
    return {
        **calendar_kind_labels(),
        "load": _("production load"),
        "non-working": _("non-working day"),
    }


def _rollout(plant, value):
    rollouts = list(rollout_list_for_plant(plant=plant).select_related("profile"))
    if not value:
        return rollouts, (rollouts[0] if rollouts else None)
    try:
        wanted = int(value)
    except ValueError:
        raise Http404 from None
    chosen = next((r for r in rollouts if r.id == wanted), None)
    if chosen is None:
        raise Http404
    return rollouts, chosen


def _day(value) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def propose_url(plant, rollout, day) -> str:
    base = reverse("web:proposal_create")
    return f"{base}?plant={plant.code}&rollout={rollout.id}&go_live={day.isoformat()}"


def evaluation_context(*, request, plant, rollout, day, calendar=None) -> dict:
    """The evaluation of one go-live date, labelled for the page."""
    try:
        evaluation = go_live_evaluate(
            plant=plant, rollout=rollout, go_live=day, calendar=calendar
        )
    except DateOutsideHorizon:
        return {"outside": True, "day": day, "plant": plant, "rollout": rollout}
    data = evaluation.as_dict()
    # Holiday, period-close and load names in the reader's language.
    data["conflicts"] = localised_causes(plant=plant, entries=data["conflicts"])
    data["explanation"] = localised_causes(plant=plant, entries=data["explanation"])
    kinds = kind_labels()
    reasons = reason_text()

    def when(value):
        return format_plant_date(value, plant)

    phases = [
        {
            "name": p["name"],
            "label": PHASE_LABELS.get(p["name"], p["name"]),
            "start": p["start"],
            "end": p["end"],
            "start_text": when(p["start"]),
            "end_text": when(p["end"]),
        }
        for p in data["phases"]
    ]
    conflicts = [
        {
            **c,
            "kind_label": kinds.get(c["kind"], c["kind"]),
            "phase_label": PHASE_LABELS.get(c["phase"], c["phase"]),
            "start_text": when(c["start"]),
            "end_text": when(c["end"]),
        }
        for c in data["conflicts"]
    ]
    total = sum(c["cost"] for c in data["explanation"]) or 1.0
    explanation = [
        {
            **c,
            "phase_label": PHASE_LABELS.get(c["phase"], c["phase"]),
            "factor_label": FACTOR_LABELS.get(c["factor"], c["factor"]),
            "name_label": kinds[c["kind"]]
            if c["kind"] in ("load", "non-working")
            else c["name"],
            "share": 100.0 * c["cost"] / total,
        }
        for c in data["explanation"][:8]
    ]
    alternatives = [
        {**a, "text": format_plant_date(a["go_live"], plant, weekday=True)}
        for a in data["alternatives"]
    ]
    fallback = data["fallback"]
    if fallback:
        first = fallback["phases"][0]["start"] if fallback["phases"] else None
        last = fallback["phases"][-1]["end"] if fallback["phases"] else None
        fallback_text = _(
            "If this go-live is abandoned during cutover or hypercare, fall back to "
            "the old system and go live again on %(day)s (window %(start)s to "
            "%(end)s, quietness %(score).0f of 100), before the next peak season "
            "or hard milestone."
        ) % {
            "day": format_plant_date(fallback["go_live"], plant, weekday=True),
            "start": when(first),
            "end": when(last),
            "score": fallback["score"],
        }
    else:
        fallback_text = _(
            "No feasible window after this go-live ends before the next peak "
            "season or hard milestone: if it is abandoned, plan to stay on the old "
            "system until after that period."
        )
    nearest_aligned = [
        {
            **w,
            "side": side,
            "label": _("Nearest allowed day before")
            if side == "before"
            else _("Nearest allowed day after"),
            "text": format_plant_date(w["go_live"], plant, weekday=True),
        }
        for side, w in data["nearest_aligned"].items()
        if w is not None
    ]
    can_propose = permissions.can_plan_rollouts(request.user, plant)
    return {
        "nearest_aligned": nearest_aligned,
        "plant": plant,
        "rollout": rollout,
        "day": day,
        "day_text": format_plant_date(day, plant, weekday=True),
        "evaluation": data,
        "reasons": [reasons.get(r, r) for r in data["reasons"]],
        "phases": phases,
        "conflicts": conflicts,
        "explanation": explanation,
        "alternatives": alternatives,
        "fallback": fallback,
        "fallback_text": fallback_text,
        "propose_url": propose_url(plant, rollout, day) if can_propose else None,
    }


@login_required
def window_calendar(request, code):
    plant = plant_get(request.user, code)
    rollouts, rollout = _rollout(plant, request.GET.get("rollout"))
    try:
        months = int(request.GET.get("months", 12))
    except ValueError:
        months = 12
    if months not in MONTH_CHOICES:
        months = 12
    context = {
        "plant": plant,
        "rollouts": rollouts,
        "rollout": rollout,
        "months": months,
        "month_choices": MONTH_CHOICES,
        "can_plan": permissions.can_plan_rollouts(request.user, plant),
        "can_edit": permissions.can_edit_calendar(request.user, plant),
    }
    if rollout is None:
        return render(request, "web/calendar.html", context)
    calendar = plant_calendar_load(plant=plant)
    recs = recommendation_list(plant=plant, rollout=rollout)
    day = _day(request.GET.get("day"))
    # The grid opens on the chosen day, else on the best window.
    focus = day or (recs.results[0].go_live if recs.results else None)
    start = calendar.horizon.start.replace(day=1)
    heatmap = heatmap_build(
        plant=plant,
        rollout=rollout,
        months=months,
        focus=focus,
        approved=hooks.marks(
            user=request.user, plant=plant, start=start, end=calendar.horizon.end
        ),
        recommended=recommended_days(recs),
        calendar=calendar,
    )
    context.update(
        heatmap=heatmap,
        recommendations=recs,
        recommendation_rows=[
            {
                "rec": r,
                "text": format_plant_date(r.go_live, plant, weekday=True),
                "window": [
                    format_plant_date(r.phases[0]["start"], plant),
                    format_plant_date(r.phases[-1]["end"], plant),
                ]
                if r.phases
                else None,
            }
            for r in recs.results
        ],
        focus_iso=(focus or calendar.horizon.start).isoformat(),
    )
    if day is not None:
        # The panel's template reads the evaluation at the top of its context,
        # as the fragment view renders it.
        context.update(
            evaluation_context(
                request=request,
                plant=plant,
                rollout=rollout,
                day=day,
                calendar=calendar,
            ),
            panel=True,
            day_iso=day.isoformat(),
        )
    return render(request, "web/calendar.html", context)


@login_required
def day_evaluation(request, code):
    """The evaluation panel of one day (a page fragment for the calendar)."""
    plant = plant_get(request.user, code)
    _rollouts, rollout = _rollout(plant, request.GET.get("rollout"))
    day = _day(request.GET.get("date"))
    if rollout is None or day is None:
        raise Http404
    context = evaluation_context(request=request, plant=plant, rollout=rollout, day=day)
    return render(request, "web/_evaluation.html", context)
