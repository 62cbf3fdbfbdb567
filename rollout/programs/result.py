"""What planning gives back: one `Assignment` per plant, in a `PlanResult`."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from rollout.programs.problem import Candidates, PlantOption, Program, Status


@dataclasses.dataclass(frozen=True)
class Assignment:
    """Where and when one plant goes live, and what it costs.

    `best_cost` is the plant's cheapest candidate within its own limits,
    ignoring every other plant (None when it has none, e.g. pinned to an
    infeasible day); `price` = `cost` - `best_cost`, what the program's
    constraints cost this plant.
    """

    plant: str
    team: str
    go_live: int
    go_live_date: datetime.date
    window_start: int
    window_end: int
    cutover_start: int
    cost: float
    best_cost: float | None
    price: float | None
    pinned: bool

    def as_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["go_live_date"] = self.go_live_date.isoformat()
        return data


@dataclasses.dataclass(frozen=True)
class PlanResult:
    """A plan, or why there is none.

    status: "optimal" (proven), "feasible" (a plan, not proven optimal),
    "infeasible" (`conflicts` says why), or "unknown" (the time ran out before
    a plan or a proof was found). `objective` is the total cost of the
    assignments in the plants' cost units; `bound` a proven lower bound on it;
    `gap` = (objective - bound) / |objective|, from the solver's integer-scaled
    costs. The greedy baseline has no bound.
    """

    status: Status
    objective: float | None
    bound: float | None
    gap: float | None
    solve_seconds: float
    assignments: tuple[Assignment, ...] = ()
    conflicts: tuple[dict[str, Any], ...] = ()

    def by_plant(self) -> dict[str, Assignment]:
        """The assignments keyed by plant code."""
        return {assignment.plant: assignment for assignment in self.assignments}

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "solve_seconds": self.solve_seconds,
            "assignments": [a.as_dict() for a in self.assignments],
            "conflicts": [dict(conflict) for conflict in self.conflicts],
        }


def assignment(
    *,
    program: Program,
    option: PlantOption,
    cand: Candidates,
    index: int,
    team: str,
) -> Assignment:
    """The `Assignment` of `option`'s candidate `index` carried by `team`."""
    cost = float(cand.cost[index])
    best = option.best_cost()
    go_live = int(cand.days[index])
    return Assignment(
        plant=option.plant,
        team=team,
        go_live=go_live,
        go_live_date=program.date(go_live),
        window_start=int(cand.window_start[index]),
        window_end=int(cand.window_end[index]),
        cutover_start=int(cand.cutover_start[index]),
        cost=cost,
        best_cost=best,
        price=None if best is None else cost - best,
        pinned=bool(cand.pin[index]),
    )
