"""Plan a rollout program: one go-live day and one team per plant, least total cost.

Rules (each written once, in `plan_model`):

* every plant goes live on exactly one of its candidate days: feasible, with
  a finite cost, within its earliest/latest limits; a pinned plant on its
  pinned day, whatever its feasibility (the limits still apply);
* every plant is carried by exactly one team that may serve it; a team is
  busy with a plant from its window start (or cutover start, per
  `Program.busy_from`) to its window end, carries at most `capacity` plants
  on any day and none during its unavailable spans;
* go_live(after) >= go_live(before) + min_gap_days for every precedence;
* go-lives carried by one team are at least `team_min_gap_days` apart;
* the objective is the sum of the plants' costs, scaled by `COST_SCALE` and
  rounded for CP-SAT; `objective` reports the unscaled sum.

How it is solved, exactly: a plant's price is its cost above its own
cheapest day. A plan that uses a (plant, team, day) of price p costs at least
p, so when only the choices up to some price are modelled, the best plan of
that smaller model is optimal as soon as it costs no more than the cheapest
choice left out; otherwise that left-out price still bounds every plan that
needs one. `plan_program` starts with the cheapest `candidate_budget`
choices (fewer when the greedy baseline already costs less than their
price), hinted with the greedy plan, for part of the time; then, while time
is left and the optimum is not proven, it widens the set to the choices a
better plan could use (at most `GROWTH` times as many), hinted with the best
plan so far. The reported bound is always a proven lower bound on the whole
program.

A plant without candidate or team is reported at once, without solving, and
limits, pins and precedences that leave a plant no day are explained without
the teams. Any other infeasible program is solved again with one assumption literal per
constraint group to say which clash (`explain`), so it may take up to twice
the time limit.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from ortools.sat.python import cp_model

from rollout.programs.check import violations
from rollout.programs.explain import (
    days_clash,
    direct_conflicts,
    explain_infeasible,
)
from rollout.programs.greedy import greedy_plan
from rollout.programs.plan_model import PlanModel, allowed_choices, build_plan_model
from rollout.programs.problem import COST_SCALE, Candidates, Program, candidates
from rollout.programs.result import PlanResult, assignment

#: How many (plant, team, day) choices the first model keeps, cheapest first:
#: what CP-SAT solves well within a few seconds on 2 cores. Each later model
#: keeps up to GROWTH times more; the first gets FIRST_STAGE_SHARE of the time.
CANDIDATE_BUDGET = 3000
GROWTH = 3
FIRST_STAGE_SHARE = 0.4

#: CP-SAT's full-problem workers, in order of use: LP-based search proves the
#: bound of this model, core-based search raises it from the cheap side.
SUBSOLVERS = ("max_lp", "core", "default_lp", "quick_restart", "no_lp")


@dataclasses.dataclass
class _Best:
    plan: PlanResult
    price: int  # the scaled objective of the planning model


def _no_plan(status: str, started: float, conflicts: list | tuple = ()) -> PlanResult:
    return PlanResult(
        status=status,  # type: ignore[arg-type]
        objective=None,
        bound=None,
        gap=None,
        solve_seconds=time.perf_counter() - started,
        conflicts=tuple(conflicts),
    )


def _scaled_price(plan: PlanResult, cands: dict[str, Candidates]) -> int:
    total = 0
    for placed in plan.assignments:
        cand = cands[placed.plant]
        where = np.flatnonzero(cand.days == placed.go_live)
        total += int(cand.scaled_prices(COST_SCALE)[where[0]])
    return total


def _price_levels(program: Program, cands: dict[str, Candidates]) -> np.ndarray:
    """The sorted scaled prices of every (plant, team, day) choice."""
    levels = []
    for option in program.plants:
        cand = cands[option.plant]
        index, _ = allowed_choices(program, option, cand)
        levels.append(cand.scaled_prices(COST_SCALE)[index])
    return np.sort(np.concatenate(levels)) if levels else np.zeros(0, np.int64)


def _threshold(levels: np.ndarray, count: int) -> int | None:
    """The price keeping about `count` choices; None keeps them all."""
    if count >= levels.size:
        return None
    return int(levels[count - 1])


def _read_plan(
    program: Program, model: PlanModel, solver: cp_model.CpSolver
) -> PlanResult:
    assignments = []
    for pc in model.plants:
        k = next(k for k, var in enumerate(pc.choose) if solver.boolean_value(var))
        assignments.append(
            assignment(
                program=program,
                option=pc.option,
                cand=pc.cand,
                index=int(pc.index[k]),
                team=pc.team[k],
            )
        )
    return PlanResult(
        status="feasible",
        objective=float(sum(a.cost for a in assignments)),
        bound=None,
        gap=None,
        solve_seconds=0.0,
        assignments=tuple(assignments),
    )


def plan_program(
    *,
    program: Program,
    time_limit_seconds: float = 10.0,
    workers: int = 2,
    hint: PlanResult | None = None,
    hint_with_greedy: bool = True,
    candidate_budget: int = CANDIDATE_BUDGET,
    log_search: bool = False,
) -> PlanResult:
    """The least-cost plan of `program` (see the module docstring).

    `hint` (or, when None and `hint_with_greedy`, the greedy baseline's plan)
    is the starting plan when it keeps every rule (`check.violations`): it
    seeds CP-SAT's search and caps the first model's prices. `solve_seconds`
    covers everything from the call.
    """
    started = time.perf_counter()
    deadline = started + time_limit_seconds
    conflicts = direct_conflicts(program)
    if conflicts:
        return _no_plan("infeasible", started, conflicts)
    if days_clash(program):  # no plan even before teams: say why, quickly
        return _no_plan(
            "infeasible",
            started,
            explain_infeasible(
                program=program,
                time_limit_seconds=time_limit_seconds,
                with_teams=False,
            ),
        )
    cands = {
        option.plant: candidates(option, busy_from=program.busy_from)
        for option in program.plants
    }
    base = sum(float(c.cost.min()) for c in cands.values())

    if hint is None and hint_with_greedy:
        hint = greedy_plan(program=program)
    best: _Best | None = None
    if (
        hint is not None
        and hint.status in ("optimal", "feasible")
        and not violations(program=program, plan=hint)
    ):
        best = _Best(plan=hint, price=_scaled_price(hint, cands))

    levels = _price_levels(program, cands)
    threshold = _threshold(levels, candidate_budget)
    if best is not None and threshold is not None and best.price < threshold:
        threshold = best.price  # nothing dearer can be in a better plan
    lower = 0  # a proven lower bound on the whole program's scaled price
    infeasible = False
    first = True
    while True:
        model = build_plan_model(program, cands, max_price=threshold)
        if best is not None:
            model.add_hint(best.plan)
        remaining = deadline - time.perf_counter()
        if first and threshold is not None:
            remaining *= FIRST_STAGE_SHARE
        first = False
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = max(remaining, 0.1)
        solver.parameters.num_workers = workers
        if workers > 1:
            solver.parameters.subsolvers.extend(SUBSOLVERS[:workers])
        solver.parameters.log_search_progress = log_search
        status = solver.solve(model.model)
        left_out = model.excluded_price
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            price = round(solver.objective_value)
            if best is None or price < best.price:
                best = _Best(plan=_read_plan(program, model, solver), price=price)
        if status == cp_model.OPTIMAL:
            here = round(solver.objective_value)
        elif status == cp_model.INFEASIBLE:
            here = None  # no plan within this model at all
        else:
            here = int(np.ceil(solver.best_objective_bound - 1e-6))
        # Plans outside this model cost at least the cheapest choice left out.
        if here is None:
            stage = left_out
        elif left_out is None:
            stage = here
        else:
            stage = min(here, left_out)
        if stage is None:
            infeasible = True
            break
        lower = max(lower, stage)
        if best is not None and best.price <= lower:
            break  # proven optimal
        if time.perf_counter() >= deadline - 0.05 or threshold is None:
            break
        # Widen: to what a better plan may use, at most GROWTH times the choices.
        kept = int(np.searchsorted(levels, threshold, side="right"))
        wider = _threshold(levels, GROWTH * kept)
        if best is not None and (wider is None or best.price - 1 < wider):
            wider = best.price - 1
        if wider is not None and wider <= threshold:
            wider = _threshold(levels, GROWTH * kept)
        if status == cp_model.INFEASIBLE and best is None:
            wider = None  # no plan among the cheap choices: settle it on all
        threshold = wider

    if infeasible and best is None:
        return _no_plan(
            "infeasible",
            started,
            explain_infeasible(program=program, time_limit_seconds=time_limit_seconds),
        )
    if best is None:
        return _no_plan("unknown", started)
    optimal = best.price <= lower
    base_scaled = round(base * COST_SCALE)
    found = base_scaled + best.price
    proven = base_scaled + min(lower, best.price)
    return dataclasses.replace(
        best.plan,
        status="optimal" if optimal else "feasible",
        bound=best.plan.objective if optimal else proven / COST_SCALE,
        gap=0.0 if optimal else (found - proven) / max(abs(found), 1),
        solve_seconds=time.perf_counter() - started,
    )
