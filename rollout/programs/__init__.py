"""Rollout programs: plan the go-lives of many plants with teams of limited capacity.

Pure Python (numpy and OR-Tools' CP-SAT, no Django import), so that planning is
fast and testable on its own. The scoring engine's per-day costs, feasibility
and windows of each plant come in as `PlantOption`s over day indices counted
from one `Program.start`; `plan_program` picks one go-live day and one team per
plant at least total cost, `greedy_plan` is the one-plant-at-a-time baseline,
and an infeasible program comes back with conflicts in plain words.

Layout
------
  problem         inputs (PlantOption, Pin, Team, Precedence, Program), day/date
                  helpers, each plant's candidate days
  result          outputs (Assignment, PlanResult)
  solver          plan_program: staged CP-SAT solves of the planning model
    plan_model    (internal) the time-indexed planning model
  explain         direct_conflicts, explain_infeasible: why there is no plan
    conflict_model  (internal) the interval model with assumption literals
  greedy          greedy_plan, the baseline
  check           violations: a plan checked against the rules, model-free
"""

from rollout.programs.check import violations
from rollout.programs.explain import direct_conflicts, explain_infeasible
from rollout.programs.greedy import greedy_plan
from rollout.programs.problem import (
    COST_SCALE,
    BusyFrom,
    Pin,
    PlantOption,
    Precedence,
    Program,
    Status,
    Team,
    day_date,
    day_index,
    day_indices,
)
from rollout.programs.result import Assignment, PlanResult
from rollout.programs.solver import plan_program

__all__ = [
    "COST_SCALE",
    "Assignment",
    "BusyFrom",
    "PlanResult",
    "Pin",
    "PlantOption",
    "Precedence",
    "Program",
    "Status",
    "Team",
    "day_date",
    "day_index",
    "day_indices",
    "direct_conflicts",
    "explain_infeasible",
    "greedy_plan",
    "plan_program",
    "violations",
]
