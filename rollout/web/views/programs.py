"""Programs: the list of those you see, and a program's page with its Gantt
chart, the teams' load, "plan now" and what-ifs (shown, never saved)."""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import permissions
from calendars.dates import date_range_check
from calendars.selectors import plants_visible_to
from calendars.web.access import require
from rollout.models_programs import Program
from rollout.program_selectors import (
    program_plan,
    program_plan_status,
    programs_with_details,
)
from rollout.program_services import program_plan_request
from rollout.program_what_if import WhatIf, program_what_if
from rollout.web.selectors.programs import conflict_text, gantt, team_loads

STATUS_LABELS = {
    "optimal": gettext_lazy("optimal"),
    "feasible": gettext_lazy("feasible (not proven optimal)"),
    "infeasible": gettext_lazy("infeasible"),
    "unknown": gettext_lazy("no plan found in time"),
    "running": gettext_lazy("planning…"),
    "stale": gettext_lazy("out of date"),
    "": gettext_lazy("not planned yet"),
}


class WhatIfForm(forms.Form):
    """One or more changes; at least one."""

    slip_plant = forms.ChoiceField(label=gettext_lazy("Slip plant"), required=False)
    slip_days = forms.IntegerField(
        label=gettext_lazy("by days"), required=False, min_value=-730, max_value=730
    )
    pin_plant = forms.ChoiceField(label=gettext_lazy("Pin plant"), required=False)
    pin_date = forms.DateField(
        label=gettext_lazy("to go live on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    team = forms.ChoiceField(label=gettext_lazy("Team away"), required=False)
    team_start = forms.DateField(
        label=gettext_lazy("from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    team_end = forms.DateField(
        label=gettext_lazy("to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    add_plant = forms.ChoiceField(label=gettext_lazy("Add plant"), required=False)

    def __init__(self, *args, program: Program, addable, **kwargs):
        super().__init__(*args, **kwargs)
        codes = [("", "—")] + [
            (p.code, p.code.upper()) for p in sorted(program.plants.all(), key=str)
        ]
        self.fields["slip_plant"].choices = codes
        self.fields["pin_plant"].choices = codes
        self.fields["team"].choices = [("", "—")] + [
            (t.name, t.name) for t in program.teams.all()
        ]
        self.fields["add_plant"].choices = [("", "—")] + [
            (p.code, p.code.upper()) for p in addable
        ]
        self.addable = {p.code: p for p in addable}

    def clean(self):
        data = super().clean()
        pairs = {
            "slip_days": ("slip_plant", "slip_days"),
            "pin_date": ("pin_plant", "pin_date"),
            "team_start": ("team", "team_start"),
            "team_end": ("team", "team_end"),
        }
        for field, (first, second) in pairs.items():
            if bool(data.get(first)) != (data.get(second) not in (None, "")):
                self.add_error(field, _("Give both, or neither."))
        if data.get("team"):
            try:
                date_range_check(
                    data.get("team_start"), data.get("team_end"), end_field="team_end"
                )
            except ValidationError as error:
                self.add_error(None, error)
        if not any(
            data.get(k) for k in ("slip_plant", "pin_plant", "team", "add_plant")
        ):
            raise ValidationError(_("Choose at least one change."))
        return data

    def what_if(self) -> WhatIf:
        data = self.cleaned_data
        return WhatIf(
            slip=((data["slip_plant"], data["slip_days"]),)
            if data.get("slip_plant")
            else (),
            pin=((data["pin_plant"], data["pin_date"]),)
            if data.get("pin_plant")
            else (),
            team_unavailable=((data["team"], data["team_start"], data["team_end"]),)
            if data.get("team")
            else (),
            add_plants=(self.addable[data["add_plant"]],)
            if data.get("add_plant")
            else (),
        )


def _program_or_404(request, pk) -> Program:
    return get_object_or_404(programs_with_details(request.user), pk=pk)


@login_required
def program_list(request):
    rows = [
        {
            "program": p,
            "status": program_plan_status(p),
            "status_label": STATUS_LABELS.get(program_plan_status(p), ""),
            "plants": sorted(p.plants.all(), key=lambda x: x.code),
        }
        for p in programs_with_details(request.user)
    ]
    return render(request, "web/program_list.html", {"rows": rows})


def _addable(request, program: Program):
    visible = set(plants_visible_to(request.user))
    inside = set(program.plants.all())
    return sorted(
        (p for p in program.rollout.plants.all() if p in visible and p not in inside),
        key=lambda p: p.code,
    )


def _plan_context(plan: dict, plants: dict, program: Program) -> dict:
    return {
        "gantt": gantt(assignments=plan["assignments"], plants=plants),
        "conflicts": [conflict_text(c) for c in plan["conflicts"]],
        "loads": team_loads(
            assignments=plan["assignments"],
            teams=program.teams.all(),
            busy_from=program.busy_from,
        ),
    }


def _detail(request, program: Program, *, form=None, what_if=None, status=200):
    plan = program_plan(program)
    plants = {p.code: p for p in program.plants.all()}
    if what_if:
        plants.update({p.code: p for p in _addable(request, program)})
    context = {
        "program": program,
        "plan": plan,
        "status_label": STATUS_LABELS.get(plan["status"], plan["status"]),
        "can_change": permissions.can_change_program(request.user, program),
        "form": form or WhatIfForm(program=program, addable=_addable(request, program)),
        "what_if": what_if,
        "today": datetime.date.today(),
        **_plan_context(plan, plants, program),
    }
    if what_if:
        result = _plan_context(what_if, plants, program)
        context["what_if_gantt"] = result["gantt"]
        context["what_if_conflicts"] = result["conflicts"]
        context["what_if_status"] = STATUS_LABELS.get(
            what_if["status"], what_if["status"]
        )
    return render(request, "web/program_detail.html", context, status=status)


@login_required
def program_detail(request, pk):
    return _detail(request, _program_or_404(request, pk))


@login_required
@require_POST
def program_plan_now(request, pk):
    program = _program_or_404(request, pk)
    require(permissions.can_change_program(request.user, program))
    program_plan_request(program=program, user=request.user)
    program.refresh_from_db()
    if program_plan_status(program) == "running":
        messages.info(request, _("Planning has started; reload in a few seconds."))
    else:
        messages.success(request, _("Planned."))
    return redirect("web:program", pk=program.pk)


@login_required
@require_POST
def program_what_if_view(request, pk):
    """The changed plan, shown below the stored one; nothing is saved."""
    program = _program_or_404(request, pk)
    form = WhatIfForm(request.POST, program=program, addable=_addable(request, program))
    if not form.is_valid():
        return _detail(request, program, form=form, status=400)
    try:
        result = program_what_if(program=program, what=form.what_if())
    except ValidationError as exc:
        form.add_error(None, exc)
        return _detail(request, program, form=form, status=400)
    return _detail(request, program, form=form, what_if=result)
