"""The greedy baseline: one plant at a time, each to its cheapest fitting day.

Rules: pinned plants first (their day is given), then the others in
precedence (topological) order, ties broken by fewer candidates first, then
program order; plants on a precedence cycle come last, in program order.

Each plant takes the cheapest (candidate day, team) that fits given the
plants already placed: the team may serve it, has room for it on each of its
busy days (capacity, unavailability) and keeps the team gap to the team's
other go-lives; and the precedences hold with the placed plants and still
leave each unplaced plant a day that fits now (bounds narrowed along the
precedences, both ways, over the days that fit given the placed plants).
Ties go to the earlier day, then the first team in program order.

It never revisits a choice, so it may fail (status "infeasible", conflict
kind "greedy_stuck") where a plan exists; it never claims optimality and has
no bound.
"""

from __future__ import annotations

import time

import numpy as np

from rollout.programs.problem import Candidates, Program, candidates
from rollout.programs.result import Assignment, PlanResult, assignment


def _order(program: Program, sizes: dict[str, int]) -> list[str]:
    codes = [option.plant for option in program.plants]
    position = {code: i for i, code in enumerate(codes)}
    pinned = [o.plant for o in program.plants if o.pinned is not None]
    waiting = {code: 0 for code in codes}
    followers: dict[str, list[str]] = {code: [] for code in codes}
    for rule in program.precedences:
        waiting[rule.after] += 1
        followers[rule.before].append(rule.after)
    order: list[str] = []
    ready = [code for code in codes if waiting[code] == 0]
    while ready:
        ready.sort(key=lambda code: (sizes[code], position[code]))
        code = ready.pop(0)
        order.append(code)
        for follower in followers[code]:
            waiting[follower] -= 1
            if waiting[follower] == 0:
                ready.append(follower)
    order += [code for code in codes if code not in order]  # cycles
    return pinned + [code for code in order if code not in pinned]


class _Teams:
    """What the teams carry so far, day by day."""

    def __init__(self, program: Program, cands: dict[str, Candidates]) -> None:
        spans = [
            (int(c.busy_start.min()), int(c.busy_end.max()))
            for c in cands.values()
            if c.size
        ]
        spans += [span for team in program.teams for span in team.unavailable]
        self.low = min((a for a, _ in spans), default=0)
        length = max((b for _, b in spans), default=0) - self.low + 1
        self.program = program
        self.load = {t.name: np.zeros(length, dtype=np.int64) for t in program.teams}
        self.away = {t.name: np.zeros(length, dtype=bool) for t in program.teams}
        for team in program.teams:
            for a, b in team.unavailable:
                self.away[team.name][a - self.low : b - self.low + 1] = True
        self.go_lives: dict[str, list[int]] = {t.name: [] for t in program.teams}

    def fits(self, cand: Candidates, team: str, capacity: int) -> np.ndarray:
        """Which candidates `team` could still carry."""
        full = (self.load[team] >= capacity) | self.away[team]
        blocked = np.concatenate(([0], np.cumsum(full)))
        busy = (
            blocked[cand.busy_end - self.low + 1] - blocked[cand.busy_start - self.low]
        )
        fits = busy == 0
        gap = self.program.team_min_gap_days
        if gap > 0:
            for day in self.go_lives[team]:
                fits &= np.abs(cand.days - day) >= gap
        return fits

    def open_days(self, code: str, cand: Candidates) -> np.ndarray:
        """The sorted days on which some team could still carry `code`."""
        mask = np.zeros(cand.size, dtype=bool)
        for team in self.program.teams_for(code):
            mask |= self.fits(cand, team.name, team.capacity)
        return cand.days[mask]

    def carry(self, team: str, cand: Candidates, index: int) -> None:
        first = cand.busy_start[index] - self.low
        self.load[team][first : cand.busy_end[index] - self.low + 1] += 1
        self.go_lives[team].append(int(cand.days[index]))


def _bounds(
    program: Program, days: dict[str, np.ndarray], placed: dict[str, Assignment]
) -> dict[str, tuple[int, int]]:
    """Each plant's first and last go-live day that the precedences still allow.

    `days` are each unplaced plant's open days (sorted). Placed plants are
    fixed; the others' ranges are narrowed along the precedences, both ways,
    to open days until nothing changes (an empty range has low > high).
    """
    bounds: dict[str, tuple[int, int]] = {}
    for code, open_days in days.items():
        if code in placed:
            bounds[code] = (placed[code].go_live, placed[code].go_live)
        elif open_days.size:
            bounds[code] = (int(open_days[0]), int(open_days[-1]))
        else:
            bounds[code] = (1, 0)

    def snap(code: str, low: int, high: int) -> tuple[int, int]:
        if code in placed:
            return bounds[code]
        open_days = days[code]
        first = int(np.searchsorted(open_days, low))
        last = int(np.searchsorted(open_days, high, side="right")) - 1
        if first > last:
            return (1, 0)
        return int(open_days[first]), int(open_days[last])

    for _ in range(len(days) + 1):  # a cycle with a positive gap never settles
        changed = False
        for rule in program.precedences:
            before, after = bounds[rule.before], bounds[rule.after]
            new_after = snap(
                rule.after, max(after[0], before[0] + rule.min_gap_days), after[1]
            )
            new_before = snap(
                rule.before, before[0], min(before[1], after[1] - rule.min_gap_days)
            )
            if new_after != after or new_before != before:
                bounds[rule.after], bounds[rule.before] = new_after, new_before
                changed = True
        if not changed:
            break
    return bounds


def greedy_plan(*, program: Program) -> PlanResult:
    """Plan `program` greedily (see the module docstring)."""
    started = time.perf_counter()
    options = {option.plant: option for option in program.plants}
    cands: dict[str, Candidates] = {
        code: candidates(option, busy_from=program.busy_from)
        for code, option in options.items()
    }
    teams = _Teams(program, cands)
    placed: dict[str, Assignment] = {}
    linked = {r.before for r in program.precedences} | {
        r.after for r in program.precedences
    }

    for code in _order(program, {code: c.size for code, c in cands.items()}):
        cand = cands[code]
        low_day, high_day = cand.days.min(initial=0), cand.days.max(initial=0)
        if code in linked:
            days = {
                other: (
                    np.zeros(0, dtype=np.int64)
                    if other in placed
                    else teams.open_days(other, cands[other])
                )
                for other in linked
            }
            low_day, high_day = _bounds(program, days, placed)[code]
        allowed = (cand.days >= low_day) & (cand.days <= high_day)
        best: tuple[float, int, int, str] | None = None
        for rank, team in enumerate(program.teams_for(code)):
            fits = allowed & teams.fits(cand, team.name, team.capacity)
            if not fits.any():
                continue
            index = int(np.flatnonzero(fits)[np.argmin(cand.cost[fits])])
            key = (float(cand.cost[index]), int(cand.days[index]), rank, team.name)
            if best is None or key[:3] < best[:3]:
                best = key
        if best is None:
            return PlanResult(
                status="infeasible",
                objective=None,
                bound=None,
                gap=None,
                solve_seconds=time.perf_counter() - started,
                conflicts=(
                    {
                        "kind": "greedy_stuck",
                        "plant": code,
                        "message": (
                            f"the greedy baseline found no day for {code} "
                            f"after placing {len(placed)} plants"
                        ),
                    },
                ),
            )
        _, day, _, team_name = best
        index = int(np.flatnonzero(cand.days == day)[0])
        placed[code] = assignment(
            program=program,
            option=options[code],
            cand=cand,
            index=index,
            team=team_name,
        )
        teams.carry(team_name, cand, index)

    ordered = tuple(placed[option.plant] for option in program.plants)
    return PlanResult(
        status="feasible",
        objective=float(sum(a.cost for a in ordered)),
        bound=None,
        gap=None,
        solve_seconds=time.perf_counter() - started,
        assignments=ordered,
    )
