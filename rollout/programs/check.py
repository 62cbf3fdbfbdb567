"""Check a plan against a program's rules, independently of the models.

Plain loops over the assignments, written from the rules in `solver`'s
docstring rather than from either model: the tests hold both models and the
greedy baseline to it, and `plan_program` vets a caller's hint with it before
trusting it as a starting plan.
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from rollout.programs.problem import Program, candidates
from rollout.programs.result import PlanResult


def violations(*, program: Program, plan: PlanResult) -> list[str]:
    """What `plan` breaks, as sentences; empty when it keeps every rule."""
    found: list[str] = []
    placed = plan.by_plant()
    teams = {team.name: team for team in program.teams}
    for option in program.plants:
        code = option.plant
        a = placed.get(code)
        if a is None:
            found.append(f"{code} has no go-live")
            continue
        cand = candidates(option, busy_from=program.busy_from)
        hits = np.flatnonzero(cand.days == a.go_live)
        if not hits.size:
            found.append(f"{code} goes live on {a.go_live}, not a candidate day")
        elif (
            int(cand.window_start[hits[0]]) != a.window_start
            or int(cand.window_end[hits[0]]) != a.window_end
            or int(cand.cutover_start[hits[0]]) != a.cutover_start
        ):
            found.append(f"{code}'s window is not its candidate's")
        team = teams.get(a.team)
        if team is None or not team.serves(code):
            found.append(f"{code} is carried by {a.team}, who may not serve it")
    if len(placed) != len(program.plants):
        found.append("the plan names plants outside the program")
    if found:
        return found

    busy_from = program.busy_from
    for team in program.teams:
        mine = [a for a in plan.assignments if a.team == team.name]
        load: Counter[int] = Counter()
        for a in mine:
            first = a.window_start if busy_from == "training" else a.cutover_start
            for day in range(first, a.window_end + 1):
                load[day] += 1
            for start, end in team.unavailable:
                if first <= end and a.window_end >= start:
                    found.append(f"team {team.name} is away while carrying {a.plant}")
        over = sorted(day for day, count in load.items() if count > team.capacity)
        if over:
            found.append(f"team {team.name} carries too many plants on day {over[0]}")
        gap = program.team_min_gap_days
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                if gap > 0 and abs(a.go_live - b.go_live) < gap:
                    found.append(
                        f"team {team.name}'s go-lives of {a.plant} and {b.plant} "
                        f"are closer than {gap} days"
                    )
    for rule in program.precedences:
        if placed[rule.after].go_live < placed[rule.before].go_live + rule.min_gap_days:
            found.append(f"{rule.after} goes live too soon after {rule.before}")
    return found
