"""Benchmark the rollout program planner (CP-SAT) against the greedy baseline.

Run: python benchmarks/bench_programs.py [--plants 50] [--days 730] [--seed 7]
     [--time-limit 10] [--workers 2]

Builds a synthetic program as the scoring engine would score it: each plant
has working days (5 or 6 a week), shared peak seasons (a year-end peak, a
Spring Festival slowdown) and its own, a production load with a weekly and
month-end pattern, milestones with freeze buffers and hard blackout blocks.
A go-live G has a 3-day cutover ending on G, 10 working days of training
before it and 15 of hypercare after (a window of about 40 calendar days); its
cost weighs load in the cutover, absence and peaks in training, peaks and
milestones in hypercare; a window touching a hard day is infeasible. Three
teams (capacities 2, 2 and 1, two of them serving subsets, each away over the
year end), 10 precedences, a 7-day team gap, a few earliest/latest limits and
two pins. No Django.

Prints the planner's solve time, status, objective, bound and gap, the greedy
baseline's objective and the greedy/planner cost ratio, and the load average.
The target: proven optimal or <= 1 % gap within 10 s on 2 cores, and clearly
cheaper than greedy. Exits 0 whenever it ran (it reports, it does not judge);
`main()` returns the figures as a dict for other runners.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from summary import record  # noqa: E402

from rollout.programs import (  # noqa: E402
    Pin,
    PlanResult,
    PlantOption,
    Precedence,
    Program,
    Team,
    greedy_plan,
    plan_program,
)

START = datetime.date(2027, 1, 4)  # a Monday
MARGIN = 60  # days before the first and after the last candidate
TRAINING_DAYS = 10  # working days
CUTOVER_DAYS = 3  # calendar days ending on the go-live day
HYPERCARE_DAYS = 15  # working days after the go-live day


def _yearly_bump(
    day_of_year: np.ndarray, centre: float, width: float, height: float
) -> np.ndarray:
    # A season recurring every year: distance on the circle of the year.
    distance = np.abs(day_of_year - centre)
    distance = np.minimum(distance, 365 - distance)
    return height * np.exp(-0.5 * (distance / width) ** 2)


def synthetic_plant(
    rng: np.random.Generator, code: str, days: int
) -> tuple[PlantOption, np.ndarray]:
    """A plant's scored candidates over `days` go-live days (and its costs)."""
    axis = np.arange(-MARGIN, days + MARGIN)  # day indices from START
    dates = np.datetime64(START) + axis
    weekday = (dates.astype(np.int64) + 3) % 7  # 0 = Monday
    day_of_year = (dates - dates.astype("datetime64[Y]")).astype(np.int64)
    working = weekday < (6 if rng.random() < 0.3 else 5)
    # Spring Festival (around early February): closed for a week or so.
    closed = _yearly_bump(day_of_year, 38 + rng.normal(0, 4), 4, 1.0) > 0.5
    working &= ~closed
    peak = (
        _yearly_bump(day_of_year, 320, 25, rng.uniform(0.5, 1.5))  # year-end
        + _yearly_bump(day_of_year, rng.uniform(0, 365), rng.uniform(10, 30), 1.0)
        + _yearly_bump(day_of_year, 30, 12, rng.uniform(0.2, 0.8))  # pre-festival
    )
    month_end = (dates + 3).astype("datetime64[M]") != dates.astype("datetime64[M]")
    load = (
        rng.uniform(0.55, 0.85)
        + 0.25 * peak
        + 0.15 * month_end
        + rng.normal(0, 0.05, axis.size)
    ) * working
    milestone = np.zeros(axis.size)
    hard = np.zeros(axis.size, dtype=bool)
    for _ in range(int(rng.integers(3, 7))):
        at = int(rng.integers(0, axis.size))
        buffer = int(rng.integers(3, 10))
        milestone[max(at - buffer, 0) : at + buffer + 1] += rng.uniform(1, 3)
        if rng.random() < 0.3:
            hard[max(at - 2, 0) : at + 3] = True
    for _ in range(int(rng.integers(3, 7))):  # blackouts: audits, campaigns
        at = int(rng.integers(0, axis.size))
        hard[at : at + int(rng.integers(5, 30))] = True
    absence = (~working).astype(float)

    # Working-day arithmetic: rank[d] = number of working days before d.
    rank = np.concatenate(([0], np.cumsum(working)))
    positions = np.flatnonzero(working)
    go_live = np.arange(days) + MARGIN  # positions on the axis
    cutover_start = go_live - (CUTOVER_DAYS - 1)
    first_training = rank[cutover_start] - TRAINING_DAYS
    window_start = positions[np.clip(first_training, 0, positions.size - 1)]
    last_hypercare = rank[go_live + 1] + HYPERCARE_DAYS - 1
    window_end = positions[np.clip(last_hypercare, 0, positions.size - 1)]

    def span_sum(values: np.ndarray, first: np.ndarray, last: np.ndarray):
        prefix = np.concatenate(([0.0], np.cumsum(values)))
        return prefix[last + 1] - prefix[first]

    cost = (
        3.0 * span_sum(load, cutover_start, go_live)
        + 1.0
        * span_sum(absence + 0.5 * peak * working, window_start, cutover_start - 1)
        + 2.0 * span_sum((peak + milestone) * working, go_live + 1, window_end)
    )
    feasible = span_sum(hard.astype(float), window_start, window_end) == 0
    option = PlantOption(
        plant=code,
        days=go_live - MARGIN,
        cost=np.round(cost, 3),
        feasible=feasible,
        window_start=window_start - MARGIN,
        window_end=window_end - MARGIN,
        cutover_start=cutover_start - MARGIN,
    )
    return option, cost


def synthetic_program(*, plants: int = 50, days: int = 730, seed: int = 7) -> Program:
    """The benchmark's program (see the module docstring)."""
    rng = np.random.default_rng(seed)
    options = [synthetic_plant(rng, f"P{i:02d}", days)[0] for i in range(plants)]
    codes = [option.plant for option in options]
    # A few limits and two pins, on plants outside the precedences.
    order = rng.permutation(plants)
    chained = [int(i) for i in order[:14]]
    precedences = []
    for _ in range(10):
        a, b = sorted(rng.choice(chained, size=2, replace=False).tolist())
        precedences.append(
            Precedence(
                before=codes[a],
                after=codes[b],
                min_gap_days=int(rng.choice([0, 14, 30, 60])),
            )
        )
    for i in order[14:19]:
        options[i] = _replace(options[i], earliest=int(rng.integers(90, 240)))
    for i in order[19:24]:
        options[i] = _replace(options[i], latest=int(rng.integers(365, days)))
    for i in order[24:26]:
        option = options[i]
        good = np.flatnonzero(option.feasible & (option.days < 365))
        pick = int(good[np.argsort(option.cost[good])[len(good) // 4]])
        options[i] = _replace(option, pinned=Pin(go_live=int(option.days[pick])))
    year_end = [(358, 372), (358 + 365, 372 + 365)]
    third = plants // 3
    teams = [
        Team(
            name="A",
            capacity=2,
            plants=frozenset(codes[: 2 * third + 1]),
            unavailable=tuple(year_end),
        ),
        Team(
            name="B",
            capacity=2,
            plants=frozenset(codes[third:]),
            unavailable=tuple(year_end),
        ),
        Team(name="C", capacity=1, unavailable=((350, 365), (715, 730))),
    ]
    return Program(
        start=START,
        plants=tuple(options),
        teams=tuple(teams),
        precedences=tuple(precedences),
        busy_from="training",
        team_min_gap_days=7,
    )


def _replace(option: PlantOption, **changes: Any) -> PlantOption:
    fields = {
        name: getattr(option, name)
        for name in (
            "plant",
            "days",
            "cost",
            "feasible",
            "window_start",
            "window_end",
            "cutover_start",
            "earliest",
            "latest",
            "pinned",
        )
    }
    return PlantOption(**{**fields, **changes})


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print its figures and return them (argv: the options)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plants", type=int, default=50)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--log", action="store_true", help="CP-SAT search log")
    # A runner calling main() gets the defaults, whatever its own command line.
    args = parser.parse_args([] if argv is None else argv)

    built = time.perf_counter()
    program = synthetic_program(plants=args.plants, days=args.days, seed=args.seed)
    built = time.perf_counter() - built
    candidates = sum(
        int((o.feasible & np.isfinite(o.cost)).sum()) for o in program.plants
    )
    greedy = greedy_plan(program=program)
    plan = plan_program(
        program=program,
        time_limit_seconds=args.time_limit,
        workers=args.workers,
        hint=greedy,
        log_search=args.log,
    )
    # Every plant on its own cheapest day (a pinned one on its pin): what the
    # plan would cost without teams and precedences.
    best_total = sum(
        a.cost if a.pinned else (a.best_cost or 0.0) for a in plan.assignments
    )
    figures: dict[str, Any] = {
        "plants": args.plants,
        "days": args.days,
        "teams": len(program.teams),
        "precedences": len(program.precedences),
        "feasible_candidates": candidates,
        "generate_seconds": round(built, 3),
        "greedy_seconds": round(greedy.solve_seconds, 3),
        "greedy_status": greedy.status,
        "greedy_objective": greedy.objective,
        "solve_seconds": round(plan.solve_seconds, 3),
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "unconstrained_total": best_total,
        "price_gap": _price_gap(plan, best_total),
        "greedy_ratio": _ratio(greedy, plan),
        "conflicts": [c["message"] for c in plan.conflicts],
        "load_average": os.getloadavg(),
        "cpus": os.cpu_count(),
    }
    for name, value in figures.items():
        if isinstance(value, float):
            value = f"{value:.6g}"
        print(f"{name:>22}: {value}")
    name = f"program planner ({args.plants} plants x {args.days} days)"
    solved = plan.status in ("optimal", "feasible") and plan.gap is not None
    record(name, "solve time", plan.solve_seconds, "s", f"<= {args.time_limit:g} s",
           plan.solve_seconds <= args.time_limit * 1.1)  # fmt: skip
    record(name, "optimality gap", (plan.gap or 0.0) * 100 if solved else float("nan"),
           "%", "<= 1 %", solved and plan.gap <= 0.01)  # fmt: skip
    if figures["greedy_ratio"] is not None:
        record(name, "greedy cost / planner cost", figures["greedy_ratio"], "x",
               "> 1 (cheaper than greedy)", figures["greedy_ratio"] > 1)  # fmt: skip
    return figures


def _ratio(greedy: PlanResult, plan: PlanResult) -> float | None:
    if greedy.objective is None or not plan.objective:
        return None
    return greedy.objective / plan.objective


def _price_gap(plan: PlanResult, best_total: float) -> float | None:
    # The gap measured on what teams and precedences cost above every plant's
    # own best day: far stricter than the gap on the total cost.
    if plan.objective is None or plan.bound is None:
        return None
    price = plan.objective - best_total
    return (plan.objective - plan.bound) / price if price > 0 else 0.0


if __name__ == "__main__":
    main(sys.argv[1:])
    sys.exit(0)
