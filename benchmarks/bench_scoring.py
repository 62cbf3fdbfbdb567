"""Benchmark the scoring engine against the brute-force reference.

Run: python benchmarks/bench_scoring.py [--plants 100] [--reference-pairs 10]

Builds synthetic plants (two years of candidates plus a margin for the last
windows' hypercare) with weekends, holidays, a Spring Festival shutdown in some,
recurring peak seasons, milestones with freeze buffers (the critical ones hard),
month-end close blackouts and audits, and five rollouts; then times the engine
batched (score_many) and pair by pair (score_horizon), and the reference on a
subset of the pairs (scaled up: it needs seconds per pair). No Django.

The target: the batched engine scores all pairs in <= 5 ms and >= 100x faster
than the reference. The machine may be shared: run it a few times and read the
best-of figures (CPU time is printed too; it is disturbed less).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rollout.scoring import (  # noqa: E402
    DEFAULT_PROFILE,
    CalendarArrays,
    Cause,
    Profile,
    RolloutSpec,
    best_windows,
    explain,
    score_horizon,
    score_many,
)
from tests.rollout.scoring_reference import reference_score  # noqa: E402

CANDIDATE_DAYS = 730
MARGIN_DAYS = 90
FIRST_DAY = datetime.date(2026, 1, 5)


def synthetic_plant(rng: np.random.Generator, days: int) -> CalendarArrays:
    """A plausible plant calendar; causes as the selectors would build them."""
    start = FIRST_DAY + datetime.timedelta(days=int(rng.integers(0, 28)))
    dates = np.arange(np.datetime64(start), np.datetime64(start) + days)
    weekday = (dates.astype(int) + 3) % 7  # 0 = Monday
    day_of_year = (dates - dates.astype("datetime64[Y]")).astype(int)
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    working = weekday < (6 if rng.random() < 0.3 else 5)
    absence = np.zeros(days)
    causes: list[Cause] = []

    def index(year: int, month: int, day: int) -> int:
        return (datetime.date(year, month, day) - start).days

    for year in range(years[0], years[-1] + 1):
        for _ in range(10):  # public holidays
            d = index(year, 1, 1) + int(rng.integers(0, 365))
            if 0 <= d < days:
                working[d], absence[d] = False, 1.0
                causes.append(Cause("holiday", "Public holiday", "absence", d, d, 1.0))
        if rng.random() < 0.4:  # Spring Festival shutdown, about 9 days
            first = index(year, 1, 25) + int(rng.integers(0, 20))
            last = first + 8
            working[max(first, 0) : max(last + 1, 0)] = False
            absence[max(first, 0) : max(last + 1, 0)] = 1.0
            causes.append(
                Cause("closure", "Spring Festival", "absence", first, last, 1)
            )
        severity = int(rng.integers(4, 6))
        causes.append(
            Cause(
                "season", "Q4 peak", "peak", index(year, 10, 1), index(year, 12, 20),
                severity / 5,
            )
        )  # fmt: skip
        causes.append(
            Cause("season", "Spring orders", "peak", index(year, 3, 1),
                  index(year, 4, 15), int(rng.integers(1, 4)) / 5)
        )  # fmt: skip
        for month in range(1, 13):
            close = index(year + month // 12, month % 12 + 1, 1)
            causes.append(
                Cause(
                    "blackout", "Month-end close", "blackout", close - 3, close + 1, 1
                )
            )
        audit = index(year, 1, 1) + int(rng.integers(0, 360))
        causes.append(Cause("blackout", "Audit", "blackout", audit, audit + 4, 1, True))
    for m in range(int(rng.integers(6, 11))):
        day = int(rng.integers(0, days))
        criticality = int(rng.integers(1, 6))
        buffer = int(rng.integers(7, 15))
        causes.append(
            Cause(
                "milestone", f"Milestone {m} (buffer)", "milestone", day - buffer,
                day + buffer, criticality / 5, hard=criticality == 5,
            )
        )  # fmt: skip
    season = 0.15 * np.sin(2 * np.pi * (day_of_year - 200) / 365)
    load = np.clip(0.75 + season + rng.normal(0, 0.05, days), 0, 1.2) * working
    return CalendarArrays(start, working, load, absence, tuple(causes))


def rollouts() -> list[RolloutSpec]:
    earliest, latest = (
        FIRST_DAY + datetime.timedelta(days=14),
        FIRST_DAY.replace(year=FIRST_DAY.year + 2),
    )
    careful = Profile(
        {p: {f: 1.0 for f in w} for p, w in DEFAULT_PROFILE.weights.items()}
    )
    return [
        RolloutSpec(15, 4, 20, earliest, latest),  # ERP
        RolloutSpec(10, 3, 15, earliest, latest),  # MES
        RolloutSpec(8, 2, 10, None, latest, careful),  # WMS
        RolloutSpec(5, 1, 5, earliest, None),  # CRM
        RolloutSpec(0, 1, 3, None, None, careful),  # a patch: no training
    ]


class Timing(NamedTuple):
    wall: float  # best time.perf_counter() interval, seconds
    cpu: float  # best time.process_time() interval: less sensitive to a busy box
    median: float  # median wall interval

    def __str__(self) -> str:
        return (
            f"{self.wall * 1e3:.2f} ms (CPU {self.cpu * 1e3:.2f} ms, "
            f"median {self.median * 1e3:.2f} ms)"
        )


def best_of(
    repeats: int, run: Callable[[Any], object], setup: Callable[[], Any] = lambda: None
) -> Timing:
    """Fastest of `repeats` runs of run(setup()); setup is not timed."""
    walls, cpus = [], []
    for _ in range(repeats):
        prepared = setup()
        wall, cpu = time.perf_counter(), time.process_time()
        run(prepared)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Timing(min(walls), min(cpus), statistics.median(walls))


def fresh(cals: list[CalendarArrays]) -> list[CalendarArrays]:
    """Copies without the arrays score_horizon keeps on a calendar."""
    return [dataclasses.replace(c) for c in cals]


TARGET = 5e-3  # seconds for the batched engine, all pairs
RATIO = 100  # at least this many times faster than the reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plants", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--reference-pairs", type=int, default=10)
    args = parser.parse_args()
    rng = np.random.default_rng(20260105)
    days = CANDIDATE_DAYS + MARGIN_DAYS
    started = time.perf_counter()
    cals = [synthetic_plant(rng, days) for _ in range(args.plants)]
    built = time.perf_counter() - started
    specs = rollouts()
    pairs = len(cals) * len(specs)
    what = f"{args.plants} plants x {len(specs)} rollouts x {days} days"
    causes = sum(len(c.causes) for c in cals) / len(cals)
    few = max(3, args.repeats // 10)
    print(
        f"inputs: {what} ({CANDIDATE_DAYS} candidates + {MARGIN_DAYS} margin), "
        f"{causes:.0f} causes per plant; best of {args.repeats} runs, wall clock "
        f"(CPU time, which a busy machine disturbs less; median wall)"
    )
    print(f"building the CalendarArrays (not timed below): {built * 1e3:.1f} ms")

    def batched_run(cs: list[CalendarArrays]) -> None:
        score_many(cs, specs)

    wall, cpu = time.perf_counter(), time.process_time()
    score_many(fresh(cals), specs)
    cold = Timing(time.perf_counter() - wall, time.process_time() - cpu, 0.0)
    batched = best_of(args.repeats, batched_run, lambda: fresh(cals))
    print(
        f"engine, batched score_many for all {pairs} pairs: {batched}; "
        f"first call of the process {cold.wall * 1e3:.2f} ms"
    )

    def one_by_one(cs: list[CalendarArrays]) -> None:
        for cal in cs:  # a plant's rollouts share its arrays
            for spec in specs:
                score_horizon(cal, spec)

    single = best_of(args.repeats // 5 or 1, one_by_one, lambda: fresh(cals))
    print(f"engine, one score_horizon call per pair: {single}")

    def everything(cs: list[CalendarArrays]) -> None:
        for row in score_many(cs, specs):
            for scores in row:
                scores.score, scores.feasible  # noqa: B018  (computed on access)
                scores.window_start, scores.window_end  # noqa: B018

    print(
        "engine, batched + score, feasible and window bounds (what best_windows "
        f"reads) for every pair: {best_of(few, everything, lambda: fresh(cals))}"
    )

    def breakdown(cs: list[CalendarArrays]) -> None:
        for row in score_many(cs, specs):
            for scores in row:
                scores.by_phase_factor  # noqa: B018  (computed on access)

    print(
        "engine, batched + by_phase_factor materialised for every pair: "
        f"{best_of(few, breakdown, lambda: fresh(cals))}"
    )

    def rebuild(cs: list[CalendarArrays]) -> None:
        for cal, row in zip(cs, score_many(cs, specs), strict=True):
            for spec, scores in zip(specs, row, strict=True):
                for g in best_windows(scores, 10):
                    explain(cal, spec, g)

    print(
        "recommendations for every pair (batched scores, 10 best windows, "
        f"their explanations): {best_of(few, rebuild, lambda: fresh(cals))}"
    )

    subset = [(c, s) for c in cals for s in specs][: args.reference_pairs]
    wall, cpu = time.perf_counter(), time.process_time()
    reference = [reference_score(c, s) for c, s in subset]
    scale = pairs / len(subset)
    ref = Timing(
        (time.perf_counter() - wall) * scale, (time.process_time() - cpu) * scale, 0.0
    )
    for (cal, spec), (cost, feasible) in zip(subset, reference, strict=True):
        scores = score_horizon(cal, spec)
        assert np.allclose(scores.cost, cost, rtol=1e-9, atol=1e-9, equal_nan=True)
        assert (scores.feasible == feasible).all()
    print(
        f"reference (brute force, day by day): {ref.wall / scale:.2f} s for the "
        f"first {len(subset)} pairs only (costs and feasibility match the "
        f"engine), scaled x{scale:.0f} to {pairs} pairs: {ref.wall:.1f} s "
        f"(CPU {ref.cpu:.1f} s)"
    )

    ratio = ref.wall / batched.wall
    print(
        f"\nengine, batched: {batched.wall * 1e3:.2f} ms wall, best of "
        f"{args.repeats} (CPU {batched.cpu * 1e3:.2f} ms) for {what}; "
        f"one pair at a time: {single.wall * 1e3:.1f} ms\n"
        f"reference: {ref.wall:.1f} s (scaled from {len(subset)} pairs)\n"
        f"ratio: {ratio:,.0f}x batched, {ref.wall / single.wall:,.0f}x one pair "
        f"at a time (target >= {RATIO}x: {'met' if ratio >= RATIO else 'NOT met'})\n"
        f"target <= {TARGET * 1e3:.0f} ms for the batched engine: "
        f"{'met' if batched.wall <= TARGET else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
