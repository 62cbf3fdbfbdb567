"""Why a program has no plan, in a program manager's words.

Two sources, each conflict a dict with "kind", "message" and structured
fields (dates as ISO strings, with the day indices beside them):

* `direct_conflicts`, without solving: a plant no team may serve
  ("no_team"), a plant with no feasible day at all ("no_candidate") or none
  within its limits ("no_candidate_within_limits"), a pin outside the
  plant's limits ("pin_outside_limits").
* `explain_infeasible`: the model for explaining (see `conflict_model`) is solved
  with one assumption literal per constraint group; CP-SAT names a set of
  assumptions that cannot hold together, which is then shrunk by dropping
  each in turn while the rest still clash (so every sentence is needed).
  Kinds: "pin", "limits", "precedence", "capacity", "unavailable",
  "team_gap"; "unexplained" when the time ran out before a clash was named.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from rollout.programs.conflict_model import BuiltModel, Group, build_conflict_model
from rollout.programs.problem import PlantOption, Program, candidates

Conflict = dict[str, Any]


def _names(codes: list[str]) -> str:
    """Plant codes as a phrase: "A", "A and B", "A, B and C"."""
    if len(codes) <= 1:
        return "".join(codes)
    return f"{', '.join(codes[:-1])} and {codes[-1]}"


def _limits_phrase(program: Program, option: PlantOption) -> str:
    earliest, latest = option.earliest, option.latest
    if earliest is not None and latest is not None:
        return (
            f"between {program.date(earliest).isoformat()} and "
            f"{program.date(latest).isoformat()}"
        )
    if earliest is not None:
        return f"on or after {program.date(earliest).isoformat()}"
    return f"on or before {program.date(latest or 0).isoformat()}"


def _limit_fields(program: Program, option: PlantOption) -> dict[str, Any]:
    def iso(day: int | None) -> str | None:
        return None if day is None else program.date(day).isoformat()

    return {
        "earliest": iso(option.earliest),
        "latest": iso(option.latest),
        "earliest_day": option.earliest,
        "latest_day": option.latest,
    }


def direct_conflicts(program: Program) -> list[Conflict]:
    """Conflicts found without solving (see the module docstring)."""
    found: list[Conflict] = []
    for option in program.plants:
        code = option.plant
        if not program.teams_for(code):
            found.append(
                {
                    "kind": "no_team",
                    "plant": code,
                    "message": f"no team may serve {code}",
                }
            )
        limited = option.earliest is not None or option.latest is not None
        if option.pinned is not None:
            day = option.pinned.go_live
            if not option.within_limits(np.array([day]))[0]:
                found.append(
                    {
                        "kind": "pin_outside_limits",
                        "plant": code,
                        "day": day,
                        "date": program.date(day).isoformat(),
                        **_limit_fields(program, option),
                        "message": (
                            f"{code} is pinned to {program.date(day).isoformat()} "
                            f"but must go live {_limits_phrase(program, option)}"
                        ),
                    }
                )
            continue
        feasible = option.feasible_mask()
        if not feasible.any():
            first, last = int(option.days.min()), int(option.days.max())
            span = (
                f"between {program.date(first).isoformat()} and "
                f"{program.date(last).isoformat()}"
                if option.days.size
                else "at all"
            )
            found.append(
                {
                    "kind": "no_candidate",
                    "plant": code,
                    "message": f"{code} has no feasible go-live day {span}",
                }
            )
        elif limited and not (feasible & option.within_limits(option.days)).any():
            found.append(
                {
                    "kind": "no_candidate_within_limits",
                    "plant": code,
                    **_limit_fields(program, option),
                    "message": (
                        f"{code} has no feasible go-live day "
                        f"{_limits_phrase(program, option)}"
                    ),
                }
            )
    return found


def _solve(
    built: BuiltModel, assumed: list[cp_model.IntVar], seconds: float
) -> tuple[str, list[int]]:
    """("infeasible", the clashing literal indices) / ("feasible" | "unknown", [])."""
    built.model.clear_assumptions()
    built.model.add_assumptions(assumed)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    solver.parameters.num_workers = 1  # CP-SAT runs assumptions on one worker
    # Probing the Booleans of every candidate day dominates small solves here
    # (0.8 s of 0.9 s on four plants of 200 days), and cores need many solves.
    solver.parameters.cp_model_probing_level = 0
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        return "infeasible", list(solver.sufficient_assumptions_for_infeasibility())
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "feasible", []
    return "unknown", []


def days_clash(program: Program) -> bool:
    """Whether the limits, pins and precedences alone leave a plant no day.

    Bounds propagation along the precedences over each plant's candidate
    days, to a fixpoint: complete for constraints of the form
    after >= before + gap (when every range is non-empty, each plant's
    lowest remaining day is a plan of them), and cheap. Teams play no part.
    """
    days = {
        o.plant: candidates(o, busy_from=program.busy_from).days for o in program.plants
    }
    low = {code: int(d[0]) if d.size else 1 for code, d in days.items()}
    high = {code: int(d[-1]) if d.size else 0 for code, d in days.items()}
    # A cycle of positive gaps raises its bounds by at least one day a round.
    for _ in range(sum(d.size for d in days.values()) + 2):
        changed = False
        for rule in program.precedences:
            need = low[rule.before] + rule.min_gap_days
            if need > low[rule.after]:
                d = days[rule.after]
                at = int(np.searchsorted(d, need))
                low[rule.after] = int(d[at]) if at < d.size else high[rule.after] + 1
                changed = True
            allow = high[rule.after] - rule.min_gap_days
            if allow < high[rule.before]:
                d = days[rule.before]
                at = int(np.searchsorted(d, allow, side="right")) - 1
                high[rule.before] = int(d[at]) if at >= 0 else low[rule.before] - 1
                changed = True
            if (
                low[rule.after] > high[rule.after]
                or low[rule.before] > high[rule.before]
            ):
                return True
        if not changed:
            return False
    return True


def explain_infeasible(
    *, program: Program, time_limit_seconds: float = 10.0, with_teams: bool = True
) -> list[Conflict]:
    """The constraint groups that clash, as sentences (see the module docstring).

    Only for a program without direct conflicts. `with_teams=False` looks for
    the clash among limits, pins and precedences only (see `days_clash`).
    Returns one "unexplained" conflict when no clash could be named within the
    time limit.
    """
    deadline = time.perf_counter() + time_limit_seconds
    built = build_conflict_model(program, with_teams=with_teams)
    by_index = built.group_of()
    status, core = _solve(built, [g.literal for g in built.groups], time_limit_seconds)
    if status != "infeasible" or not core:
        return [
            {
                "kind": "unexplained",
                "message": (
                    "the constraints clash, but the planner could not tell which "
                    "within the time allowed"
                ),
            }
        ]
    # Drop each assumption in turn; keep it out while the others still clash.
    kept = [by_index[i] for i in core]
    position = 0
    while position < len(kept) and time.perf_counter() < deadline:
        trial = kept[:position] + kept[position + 1 :]
        status, smaller = _solve(
            built,
            [g.literal for g in trial],
            deadline - time.perf_counter(),
        )
        if status == "infeasible" and smaller:
            chosen = set(smaller)
            kept = [g for g in trial if g.literal.index in chosen]
        else:
            position += 1
    return sentences(program=program, groups=kept)


def _hull(
    program: Program, option: PlantOption, pinned: bool, limited: bool
) -> tuple[int, int]:
    """First and last busy day over the plant's days that the clash allows."""
    cand = candidates(option, busy_from=program.busy_from, for_explaining=True)
    keep = cand.pin if pinned else ~cand.pin
    if limited and not pinned:
        keep = keep & option.within_limits(cand.days)
    if not keep.any():
        keep = np.ones(cand.size, dtype=bool)
    return int(cand.busy_start[keep].min()), int(cand.busy_end[keep].max())


def sentences(*, program: Program, groups: list[Group]) -> list[Conflict]:
    """Conflict dicts for a set of clashing constraint groups."""
    options = {option.plant: option for option in program.plants}
    teams = {team.name: team for team in program.teams}
    pins = {g.plant for g in groups if g.kind == "pin"}
    limits = {g.plant for g in groups if g.kind == "limits"}
    by_team: dict[tuple[str, str, Any], list[str]] = defaultdict(list)
    out: list[Conflict] = []

    def iso(day: int) -> str:
        return program.date(day).isoformat()

    for group in groups:
        code = group.plant or ""
        if group.kind == "pin":
            pinned = options[code].pinned
            day = pinned.go_live if pinned is not None else 0
            out.append(
                {
                    "kind": "pin",
                    "plant": code,
                    "day": day,
                    "date": iso(day),
                    "message": f"{code} is pinned to {iso(day)}",
                }
            )
        elif group.kind == "limits":
            option = options[code]
            out.append(
                {
                    "kind": "limits",
                    "plant": code,
                    **_limit_fields(program, option),
                    "message": (
                        f"{code} must go live {_limits_phrase(program, option)}"
                    ),
                }
            )
        elif group.kind == "precedence" and group.precedence is not None:
            rule = group.precedence
            if rule.min_gap_days:
                days = "day" if rule.min_gap_days == 1 else "days"
                text = (
                    f"{rule.after} must go live at least {rule.min_gap_days} "
                    f"{days} after {rule.before}"
                )
            else:
                text = f"{rule.after} must not go live before {rule.before}"
            out.append(
                {
                    "kind": "precedence",
                    "before": rule.before,
                    "after": rule.after,
                    "min_gap_days": rule.min_gap_days,
                    "message": text,
                }
            )
        else:
            by_team[(group.kind, group.team or "", group.span)].append(code)

    for (kind, name, span), codes in by_team.items():
        codes = [o.plant for o in program.plants if o.plant in set(codes)]
        if kind == "capacity":
            hulls = [_hull(program, options[c], c in pins, c in limits) for c in codes]
            start = max(a for a, _ in hulls)
            end = min(b for _, b in hulls)
            if start > end:  # no day they all share: name their whole stretch
                start = min(a for a, _ in hulls)
                end = max(b for _, b in hulls)
            capacity = teams[name].capacity
            plural = "plant" if capacity == 1 else "plants"
            out.append(
                {
                    "kind": "capacity",
                    "team": name,
                    "capacity": capacity,
                    "plants": codes,
                    "start": iso(start),
                    "end": iso(end),
                    "start_day": start,
                    "end_day": end,
                    "message": (
                        f"team {name} cannot carry {_names(codes)} between "
                        f"{iso(start)} and {iso(end)} (it carries at most "
                        f"{capacity} {plural} at once)"
                    ),
                }
            )
        elif kind == "unavailable" and span is not None:
            out.append(
                {
                    "kind": "unavailable",
                    "team": name,
                    "plants": codes,
                    "start": iso(span[0]),
                    "end": iso(span[1]),
                    "start_day": span[0],
                    "end_day": span[1],
                    "message": (
                        f"team {name} is unavailable from {iso(span[0])} to "
                        f"{iso(span[1])}, when {_names(codes)} would need it"
                    ),
                }
            )
        elif kind == "team_gap":
            gap = program.team_min_gap_days
            out.append(
                {
                    "kind": "team_gap",
                    "team": name,
                    "plants": codes,
                    "min_gap_days": gap,
                    "message": (
                        f"team {name} needs at least {gap} days between its "
                        f"go-lives of {_names(codes)}"
                    ),
                }
            )
    return out
