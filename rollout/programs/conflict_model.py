"""The CP-SAT model that explains why a program has no plan.

One Boolean per (plant, candidate day) with exactly one true per plant; the
plant's go-live, busy start, busy days and busy end are integer variables tied
to those Booleans by one linear equality each, so precedences are plain linear
constraints on go-lives and the busy spans are interval variables. Each plant
is carried by exactly one team that may serve it: an optional interval per
(plant, team) in that team's cumulative (demand 1, capacity = the team's
capacity). The team gap (|g1 - g2| >= gap between go-lives carried by one
team) is a no-overlap of the intervals [go_live, go_live + gap) per team.

Team unavailability is not a fixed interval in the cumulative: each (plant,
team, span) forbids the plant's candidates whose busy days overlap the span
when that team carries it. That keeps an unavailability clash apart from the
capacity, so that each can be named on its own.

Every constraint group has an enforcement literal (a `Group`): a team's
capacity and gap per (team, plant), an unavailable span per (team, span,
plant), each precedence, each pin, each plant's limits. Limits and pins are
such groups rather than filters of the candidates, so that they can be named
too. There is no objective: `explain` assumes every literal and asks CP-SAT
which of them clash. (Planning uses the time-indexed model in `plan_model`,
which CP-SAT solves far faster; both encode the same rules.)
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from rollout.programs.problem import (
    Candidates,
    PlantOption,
    Precedence,
    Program,
    candidates,
)


@dataclasses.dataclass
class PlantVars:
    """One plant's variables. A team literal of None means "always that team"."""

    option: PlantOption
    cand: Candidates
    choose: list[cp_model.IntVar]
    go_live: cp_model.IntVar
    teams: dict[str, cp_model.IntVar | None]
    busy_start: cp_model.IntVar | None = None
    #: Busy days: CP-SAT wants an interval's size as a variable, not a sum.
    busy_size: cp_model.IntVar | None = None
    #: Exclusive: the day after the last busy day.
    busy_stop: cp_model.IntVar | None = None


@dataclasses.dataclass(frozen=True)
class Group:
    """A relaxable constraint group: its assumption literal and what it says.

    kind is "capacity" / "team_gap" (team, plant), "unavailable" (team, span,
    plant), "precedence" (precedence), "pin" or "limits" (plant).
    """

    literal: cp_model.IntVar
    kind: str
    plant: str | None = None
    team: str | None = None
    span: tuple[int, int] | None = None
    precedence: Precedence | None = None


@dataclasses.dataclass
class BuiltModel:
    model: cp_model.CpModel
    plants: list[PlantVars]
    groups: list[Group]

    def group_of(self) -> dict[int, Group]:
        """Groups keyed by the index of their literal."""
        return {group.literal.index: group for group in self.groups}


def _domain(values: np.ndarray) -> cp_model.Domain:
    return cp_model.Domain.from_values(sorted({int(v) for v in values}))


def _tied_var(
    model: cp_model.CpModel,
    choose: list[cp_model.IntVar],
    values: np.ndarray,
    name: str,
) -> cp_model.IntVar:
    """An integer variable equal to values[i] for the chosen candidate i."""
    var = model.new_int_var_from_domain(_domain(values), name)
    model.add(var == cp_model.LinearExpr.weighted_sum(choose, values.tolist()))
    return var


def build_conflict_model(program: Program, *, with_teams: bool = True) -> BuiltModel:
    """The explaining model of `program` (see the module docstring).

    Without teams it holds only the go-live days, limits, pins and
    precedences: one integer go-live per plant over its candidate days, far
    smaller, for clashes that need no team to arise. Expects every plant to
    have a candidate and a team (the caller reports those that have not,
    without solving).
    """
    model = cp_model.CpModel()
    groups: list[Group] = []

    def guard(kind: str, **fields: Any) -> list[cp_model.IntVar]:
        # The enforcement literal of one group, as a list for only_enforce_if.
        literal = model.new_bool_var(f"assume {kind} {fields}")
        groups.append(Group(literal=literal, kind=kind, **fields))
        return [literal]

    plants: list[PlantVars] = []
    for option in program.plants:
        if with_teams:
            plants.append(_plant_vars(model, program, option, guard))
        else:
            plants.append(_plant_day(model, program, option, guard))
    by_code = {pv.option.plant: pv for pv in plants}

    for team in program.teams if with_teams else ():
        members = [pv for pv in plants if team.name in pv.teams]
        _team_capacity(model, team.name, team.capacity, members, guard)
        for span in team.unavailable:
            for pv in members:
                _unavailability(model, team.name, span, pv, guard)
        if program.team_min_gap_days > 0 and len(members) > 1:
            _team_gap(model, team.name, program.team_min_gap_days, members, guard)

    for rule in program.precedences:
        before, after = by_code[rule.before].go_live, by_code[rule.after].go_live
        model.add(after >= before + rule.min_gap_days).only_enforce_if(
            guard("precedence", precedence=rule)
        )

    return BuiltModel(
        model=model,
        plants=plants,
        groups=groups,
    )


def _limits(
    model: cp_model.CpModel, option: PlantOption, go_live: cp_model.IntVar, guard: Any
) -> None:
    if option.earliest is not None or option.latest is not None:
        limits = guard("limits", plant=option.plant)
        if option.earliest is not None:
            model.add(go_live >= option.earliest).only_enforce_if(limits)
        if option.latest is not None:
            model.add(go_live <= option.latest).only_enforce_if(limits)


def _plant_day(
    model: cp_model.CpModel, program: Program, option: PlantOption, guard: Any
) -> PlantVars:
    """A plant as its go-live day alone (the model without teams)."""
    code = option.plant
    cand = candidates(option, busy_from=program.busy_from, for_explaining=True)
    if cand.size == 0:
        raise ValueError(f"{code} has no candidate day")
    go_live = model.new_int_var_from_domain(_domain(cand.days), f"{code} go-live")
    _limits(model, option, go_live, guard)
    if option.pinned is not None:
        day = option.pinned.go_live
        pin = guard("pin", plant=code)
        model.add(go_live == day).only_enforce_if(pin)
        if day not in cand.days[~cand.pin]:
            model.add(go_live != day).only_enforce_if(~pin[0])  # only by the pin
    return PlantVars(option=option, cand=cand, choose=[], go_live=go_live, teams={})


def _plant_vars(
    model: cp_model.CpModel,
    program: Program,
    option: PlantOption,
    guard: Any,
) -> PlantVars:
    code = option.plant
    cand = candidates(option, busy_from=program.busy_from, for_explaining=True)
    if cand.size == 0:
        raise ValueError(f"{code} has no candidate day")
    choose = [model.new_bool_var(f"{code}@{day}") for day in cand.days.tolist()]
    model.add_exactly_one(choose)
    go_live = _tied_var(model, choose, cand.days, f"{code} go-live")
    _limits(model, option, go_live, guard)
    if option.pinned is not None:
        # The pinned entry is the last one; it exists only by the pin.
        pin = guard("pin", plant=code)
        model.add(choose[-1] == 1).only_enforce_if(pin)
        model.add_implication(choose[-1], pin[0])
    eligible = program.teams_for(code)
    if not eligible:
        raise ValueError(f"no team may serve {code}")
    teams: dict[str, cp_model.IntVar | None] = {}
    if len(eligible) == 1:
        teams[eligible[0].name] = None
    else:
        for team in eligible:
            teams[team.name] = model.new_bool_var(f"{code} by {team.name}")
        model.add_exactly_one([lit for lit in teams.values() if lit is not None])
    return PlantVars(
        option=option,
        cand=cand,
        choose=choose,
        go_live=go_live,
        busy_start=_tied_var(model, choose, cand.busy_start, f"{code} busy"),
        busy_size=_tied_var(
            model, choose, cand.busy_end + 1 - cand.busy_start, f"{code} busy days"
        ),
        busy_stop=_tied_var(model, choose, cand.busy_end + 1, f"{code} free"),
        teams=teams,
    )


def _presence(
    model: cp_model.CpModel,
    carried: cp_model.IntVar | None,
    enforce: list[cp_model.IntVar],
    name: str,
) -> cp_model.IntVar | None:
    """A literal for "carried and enforced" (None when always true)."""
    parts = [lit for lit in (carried, *enforce) if lit is not None]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    both = model.new_bool_var(name)
    model.add_bool_and(parts).only_enforce_if(both)
    model.add_bool_or([both, *[~lit for lit in parts]])
    return both


def _team_capacity(
    model: cp_model.CpModel,
    team: str,
    capacity: int,
    members: list[PlantVars],
    guard: Any,
) -> None:
    if len(members) <= capacity:
        return  # it can carry all of them at once: nothing to constrain
    intervals = []
    for pv in members:
        code = pv.option.plant
        start, size, end = pv.busy_start, pv.busy_size, pv.busy_stop
        assert start is not None and size is not None and end is not None
        enforce = guard("capacity", team=team, plant=code)
        present = _presence(model, pv.teams[team], enforce, f"{code} counts {team}")
        name = f"{code} carried by {team}"
        if present is None:
            intervals.append(model.new_interval_var(start, size, end, name))
        else:
            intervals.append(
                model.new_optional_interval_var(start, size, end, present, name)
            )
    model.add_cumulative(intervals, [1] * len(intervals), capacity)


def _unavailability(
    model: cp_model.CpModel,
    team: str,
    span: tuple[int, int],
    pv: PlantVars,
    guard: Any,
) -> None:
    overlap = (pv.cand.busy_start <= span[1]) & (pv.cand.busy_end >= span[0])
    if not overlap.any():
        return
    clashing = [pv.choose[i] for i in np.flatnonzero(overlap)]
    enforce = guard("unavailable", team=team, span=span, plant=pv.option.plant)
    carried = pv.teams[team]
    # Always this team: those candidates are out. Else they exclude this team.
    allowed = 0 if carried is None else 1
    if carried is not None:
        clashing.append(carried)
    model.add(cp_model.LinearExpr.sum(clashing) <= allowed).only_enforce_if(enforce)


def _team_gap(
    model: cp_model.CpModel,
    team: str,
    gap: int,
    members: list[PlantVars],
    guard: Any,
) -> None:
    intervals = []
    for pv in members:
        code = pv.option.plant
        enforce = guard("team_gap", team=team, plant=code)
        present = _presence(model, pv.teams[team], enforce, f"{code} gap {team}")
        name = f"{code} go-live gap {team}"
        if present is None:
            intervals.append(model.new_fixed_size_interval_var(pv.go_live, gap, name))
        else:
            intervals.append(
                model.new_optional_fixed_size_interval_var(
                    pv.go_live, gap, present, name
                )
            )
    model.add_no_overlap(intervals)
