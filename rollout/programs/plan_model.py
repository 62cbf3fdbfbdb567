"""The time-indexed CP-SAT model that plans a program.

One Boolean per (plant, team, candidate day): "this team carries this plant,
which goes live on that day". Rules, each written once here:

* exactly one Boolean per plant is true;
* a (team, day) pair whose busy span overlaps one of the team's unavailable
  spans gets no Boolean at all;
* capacity: for each team and each day on which some busy span starts, the
  Booleans whose busy span covers that day sum to at most the capacity.
  Checking those days is enough: the busy spans covering any day d all cover
  the latest start among them. A row whose Booleans all still cover the next
  such day is implied by the next row and left out;
* team gap: for each team and each go-live day d of one of its Booleans, at
  most one Boolean goes live in [d, d + gap - 1] (a plant has one Boolean
  true anyway, so this keeps two plants' go-lives at least `gap` apart);
* precedence: sum(day * Boolean) of `after` >= that of `before` + the gap;
* objective: the sum of the Booleans' prices, (cost - the plant's cheapest
  candidate cost) * COST_SCALE, rounded.

Why not interval variables and a cumulative per team: on the 50-plant, 730-day
benchmark CP-SAT with this model finds near-optimal plans and proves tight
bounds within seconds, where the interval model (Booleans tied to start, size
and end variables, optional intervals per (plant, team)) spends its time in
presolve and stays far from the optimum. The interval model is kept where it
shines, naming clashes with assumptions (`conflict_model`).

`max_price` keeps only the Booleans whose price is at most that much, for
the staged solve in `solver`; `excluded_price` says how cheap the cheapest
left-out Boolean is, which bounds every plan that would need one.
"""

from __future__ import annotations

import dataclasses

import numpy as np
from ortools.sat.python import cp_model

from rollout.programs.problem import COST_SCALE, Candidates, PlantOption, Program
from rollout.programs.result import PlanResult


@dataclasses.dataclass
class PlantChoices:
    """One plant's Booleans: `index[k]` into `cand`, carried by `team[k]`."""

    option: PlantOption
    cand: Candidates
    index: np.ndarray
    team: list[str]
    choose: list[cp_model.IntVar]


@dataclasses.dataclass
class PlanModel:
    model: cp_model.CpModel
    plants: list[PlantChoices]
    #: The cheapest scaled price of a Boolean left out by `max_price` (None
    #: when none was): a plan using one costs at least that much.
    excluded_price: int | None

    def add_hint(self, plan: PlanResult) -> None:
        """Hint CP-SAT with `plan`, for the plants whose choice is in the model."""
        chosen = plan.by_plant()
        for pc in self.plants:
            placed = chosen.get(pc.option.plant)
            if placed is None:
                continue
            days = pc.cand.days[pc.index]
            hits = [
                k
                for k in np.flatnonzero(days == placed.go_live).tolist()
                if pc.team[k] == placed.team
            ]
            if not hits:
                continue
            for k, var in enumerate(pc.choose):
                self.model.add_hint(var, k == hits[0])


def allowed_choices(
    program: Program, option: PlantOption, cand: Candidates
) -> tuple[np.ndarray, list[str]]:
    """Every (candidate index, team) a plant could take: eligible, not away."""
    indices: list[np.ndarray] = []
    teams: list[str] = []
    for team in program.teams_for(option.plant):
        ok = np.ones(cand.size, dtype=bool)
        for first, last in team.unavailable:
            ok &= (cand.busy_end < first) | (cand.busy_start > last)
        found = np.flatnonzero(ok)
        indices.append(found)
        teams += [team.name] * found.size
    index = np.concatenate(indices) if indices else np.zeros(0, dtype=np.int64)
    return index.astype(np.int64), teams


def build_plan_model(
    program: Program,
    cands: dict[str, Candidates],
    *,
    max_price: int | None = None,
) -> PlanModel:
    """The planning model of `program` over `cands` (see the module docstring)."""
    model = cp_model.CpModel()
    plants: list[PlantChoices] = []
    excluded: int | None = None
    for option in program.plants:
        cand = cands[option.plant]
        index, teams = allowed_choices(program, option, cand)
        if max_price is not None and index.size:
            prices = cand.scaled_prices(COST_SCALE)[index]
            keep = prices <= max_price
            if not keep.all():
                cheapest = int(prices[~keep].min())
                excluded = cheapest if excluded is None else min(excluded, cheapest)
            teams = [team for team, kept in zip(teams, keep, strict=True) if kept]
            index = index[keep]
        choose = [
            model.new_bool_var(f"{option.plant}@{cand.days[i]} by {team}")
            for i, team in zip(index.tolist(), teams, strict=True)
        ]
        model.add_exactly_one(choose)  # none at all: infeasible, as it should
        plants.append(
            PlantChoices(
                option=option, cand=cand, index=index, team=teams, choose=choose
            )
        )

    for team in program.teams:
        _capacity_rows(model, team.name, team.capacity, plants)
        if program.team_min_gap_days > 0:
            _gap_rows(model, team.name, program.team_min_gap_days, plants)

    go_live = {
        pc.option.plant: cp_model.LinearExpr.weighted_sum(
            pc.choose, pc.cand.days[pc.index].tolist()
        )
        for pc in plants
    }
    for rule in program.precedences:
        model.add(go_live[rule.after] >= go_live[rule.before] + rule.min_gap_days)

    terms: list[cp_model.IntVar] = []
    weights: list[int] = []
    for pc in plants:
        prices = pc.cand.scaled_prices(COST_SCALE)[pc.index]
        for var, price in zip(pc.choose, prices.tolist(), strict=True):
            if price:
                terms.append(var)
                weights.append(price)
    model.minimize(cp_model.LinearExpr.weighted_sum(terms, weights))
    return PlanModel(model=model, plants=plants, excluded_price=excluded)


def _team_columns(
    team: str, plants: list[PlantChoices]
) -> tuple[list[cp_model.IntVar], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The team's Booleans with their plant number, busy span and go-live."""
    variables: list[cp_model.IntVar] = []
    owner, start, end, day = [], [], [], []
    for number, pc in enumerate(plants):
        mine = [k for k, name in enumerate(pc.team) if name == team]
        if not mine:
            continue
        rows = pc.index[mine]
        variables += [pc.choose[k] for k in mine]
        owner.append(np.full(len(mine), number))
        start.append(pc.cand.busy_start[rows])
        end.append(pc.cand.busy_end[rows])
        day.append(pc.cand.days[rows])
    if not variables:
        empty = np.zeros(0, dtype=np.int64)
        return variables, empty, empty, empty, empty
    return (
        variables,
        np.concatenate(owner),
        np.concatenate(start),
        np.concatenate(end),
        np.concatenate(day),
    )


def _rows(first: np.ndarray, last: np.ndarray, points: np.ndarray) -> list[np.ndarray]:
    """For each of the sorted `points`, the columns whose [first, last] holds it."""
    low = np.searchsorted(points, first)
    high = np.searchsorted(points, last, side="right")
    counts = high - low
    columns = np.repeat(np.arange(first.size), counts)
    # The row of each (column, point) pair: low[column] + 0, 1, ..., counts - 1.
    offsets = np.arange(columns.size) - np.repeat(np.cumsum(counts) - counts, counts)
    row_of = np.repeat(low, counts) + offsets
    order = np.argsort(row_of, kind="stable")
    split = np.searchsorted(row_of[order], np.arange(1, points.size))
    return np.split(columns[order], split)


def _capacity_rows(
    model: cp_model.CpModel, team: str, capacity: int, plants: list[PlantChoices]
) -> None:
    variables, owner, start, end, _ = _team_columns(team, plants)
    if np.unique(owner).size <= capacity:
        return  # it can carry all of them at once
    points = np.unique(start)
    rows = _rows(start, end, points)
    for number, row in enumerate(rows):
        if np.unique(owner[row]).size <= capacity:
            continue
        if number + 1 < points.size and end[row].min() >= points[number + 1]:
            continue  # every span here still runs on the next start: implied
        model.add(cp_model.LinearExpr.sum([variables[k] for k in row]) <= capacity)


def _gap_rows(
    model: cp_model.CpModel, team: str, gap: int, plants: list[PlantChoices]
) -> None:
    variables, owner, _, _, day = _team_columns(team, plants)
    if np.unique(owner).size <= 1:
        return
    points = np.unique(day)
    # Column k lies in the window starting at point d when d <= day[k] <= d+gap-1.
    rows = _rows(day - (gap - 1), day, points)
    for row in rows:
        if np.unique(owner[row]).size > 1:
            model.add_at_most_one([variables[k] for k in row])
