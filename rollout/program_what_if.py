"""What-ifs: a program planned again with a change (a plant slipped or pinned,
a team away, more plants), compared with its stored plan. Nothing is saved."""

import dataclasses
import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calendars.models import Plant
from rollout.models_programs import Program
from rollout.program_inputs import Changes, program_inputs
from rollout.program_services import check_plants, plan_rows, solve


@dataclasses.dataclass(frozen=True)
class WhatIf:
    slip: tuple[tuple[str, int], ...] = ()  # (plant code, days)
    pin: tuple[tuple[str, datetime.date], ...] = ()
    team_unavailable: tuple[tuple[str, datetime.date, datetime.date], ...] = ()
    add_plants: tuple[Plant, ...] = ()


def _check_what_if(program: Program, what: WhatIf, base: dict) -> None:
    codes = set(program.plants.values_list("code", flat=True))
    added = {p.code for p in what.add_plants}
    teams = set(program.teams.values_list("name", flat=True))
    for code, _days in what.slip:
        if code not in codes:
            raise ValidationError(
                {"slip": _("%(plant)s is not in the program.") % {"plant": code}}
            )
        if code not in base:
            raise ValidationError(
                {
                    "slip": _("%(plant)s has no planned go-live to slip.")
                    % {"plant": code}
                }
            )
    for code, _day in what.pin:
        if code not in codes | added:
            raise ValidationError(
                {"pin": _("%(plant)s is not in the program.") % {"plant": code}}
            )
    for name, start, end in what.team_unavailable:
        if name not in teams:
            raise ValidationError(
                {"team_unavailable": _("There is no team %(team)s.") % {"team": name}}
            )
        if end < start:
            raise ValidationError(
                {"team_unavailable": _("A period ends before it starts.")}
            )
    if what.add_plants:
        check_plants(program, list(what.add_plants))


def program_what_if(*, program: Program, what: WhatIf) -> dict:
    """The plan with `what` changed, and how it differs from the stored plan
    (or, never planned, from a plan made now): nothing is saved.

    slip: the plant goes live N days after its planned go-live (pinned
    there); pin: the plant goes live on that day; team_unavailable: the team
    is away from start to end, inclusive; add_plants: more of the rollout's
    plants join the program. The others are planned again around them."""
    base_rows = (program.plan or {}).get("assignments") or []
    if not base_rows or program.stale:
        base_inputs = program_inputs(program=program)
        base_rows = plan_rows(base_inputs, solve(base_inputs))["assignments"]
    base = {row["plant"]: row for row in base_rows}
    _check_what_if(program, what, base)
    pins = {
        code: datetime.date.fromisoformat(base[code]["go_live"])
        + datetime.timedelta(days=days)
        for code, days in what.slip
    }
    pins.update(dict(what.pin))
    unavailable: dict[str, list] = {}
    for name, start, end in what.team_unavailable:
        unavailable.setdefault(name, []).append((start, end))
    inputs = program_inputs(
        program=program,
        changes=Changes(
            pins=pins, unavailable=unavailable, extra_plants=tuple(what.add_plants)
        ),
    )
    result = solve(inputs)
    rows = plan_rows(inputs, result)
    changes = []
    for row in rows["assignments"]:
        old = base.get(row["plant"])
        if old is None:
            changes.append(
                {
                    "plant": row["plant"],
                    "from": None,
                    "to": row["go_live"],
                    "cost_delta": row["cost"],
                }
            )
        elif old["go_live"] != row["go_live"]:
            changes.append(
                {
                    "plant": row["plant"],
                    "from": old["go_live"],
                    "to": row["go_live"],
                    "cost_delta": round(row["cost"] - old["cost"], 3),
                }
            )
    base_total = sum(r["cost"] for r in base_rows)
    return {
        "status": result.status,
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "solve_seconds": round(result.solve_seconds, 3),
        "assignments": rows["assignments"],
        "conflicts": rows["conflicts"],
        "changes": changes,
        "cost_delta": None
        if result.objective is None
        else round(result.objective - base_total, 3),
    }
