"""Brute-force reference for rollout.scoring, used only by tests and benchmarks.

It walks the calendar day by day for every candidate, in plain Python, so that
it is obviously correct: no prefix sums, no working-day index, no numpy tricks.
It shares only the input types and the Reason flags with the engine.
"""

from __future__ import annotations

import datetime
import math

import numpy as np

from rollout.scoring import FACTORS, PHASES, CalendarArrays, Reason, RolloutSpec


def daily_values(cal: CalendarArrays) -> list[list[float]]:
    """values[f][d]: load and absence from the arrays; peak, milestone and
    blackout as the sum of the values of the causes covering day d."""
    n = cal.n
    values = [[0.0] * n for _ in FACTORS]
    for d in range(n):
        values[0][d] = float(cal.load[d])
        values[4][d] = float(cal.absence[d])
    for cause in cal.causes:
        if cause.factor == "absence":
            continue  # absence causes only name the absence array's days
        f = FACTORS.index(cause.factor)
        for d in range(n):
            if cause.start <= d <= cause.end:
                values[f][d] += cause.value
    return values


def hard_days(cal: CalendarArrays) -> list[bool]:
    """Whether a hard cause covers day d."""
    return [
        any(c.hard and c.start <= d <= c.end for c in cal.causes) for d in range(cal.n)
    ]


def phase_days(
    cal: CalendarArrays, spec: RolloutSpec, g: int
) -> dict[str, list[int] | None]:
    """The days of each phase for go-live g: cutover all its calendar days,
    training and hypercare their working days. [] for an empty phase, None for
    one that runs off the horizon."""
    n = cal.n
    work = [bool(x) for x in cal.is_working]
    days: dict[str, list[int] | None] = {}
    cutover = list(range(g - spec.cutover_days + 1, g + 1))
    days["cutover"] = cutover if all(d >= 0 for d in cutover) else None
    training: list[int] | None = []
    d = g - spec.cutover_days if spec.cutover_days else g - 1
    while training is not None and len(training) < spec.training_days:
        if d < 0:
            training = None
        elif work[d]:
            training.insert(0, d)
        d -= 1
    days["training"] = training if days["cutover"] is not None else None
    hypercare: list[int] | None = []
    d = g
    while hypercare is not None and len(hypercare) < spec.hypercare_days:
        if d >= n:
            hypercare = None
        elif work[d]:
            hypercare.append(d)
        d += 1
    days["hypercare"] = hypercare
    return {phase: days[phase] for phase in PHASES}


def aligned(cal: CalendarArrays, spec: RolloutSpec, g: int) -> bool:
    """Whether day g is a day of the rollout's go_live_on: any day, a working
    day, or a day the calendar marks for that alignment (none if unmarked)."""
    if spec.go_live_on == "any_day":
        return True
    if spec.go_live_on == "working_day":
        return bool(cal.is_working[g])
    mask = cal.alignments.get(spec.go_live_on)
    return mask is not None and bool(mask[g])


def reference_candidate(
    cal: CalendarArrays,
    spec: RolloutSpec,
    g: int,
    values: list[list[float]] | None = None,
    hard: list[bool] | None = None,
) -> tuple[float, int]:
    """(cost, reason flags) of go-live g, day by day."""
    values = daily_values(cal) if values is None else values
    hard = hard_days(cal) if hard is None else hard
    work = [bool(x) for x in cal.is_working]
    weights = spec.profile.weights
    reasons = 0
    day = cal.start + datetime.timedelta(days=g)
    if spec.earliest is not None and day < spec.earliest:
        reasons |= Reason.BEFORE_EARLIEST
    if spec.latest is not None and day > spec.latest:
        reasons |= Reason.AFTER_LATEST
    if not aligned(cal, spec, g):
        reasons |= Reason.MISALIGNED
    if spec.go_live_weekday is not None and day.weekday() != spec.go_live_weekday:
        reasons |= Reason.WRONG_WEEKDAY
    cost = 0.0
    for phase, days in phase_days(cal, spec, g).items():
        if days is None:
            reasons |= Reason.PHASE_OUTSIDE_HORIZON
            continue
        if not days:
            continue
        span = range(days[0], days[-1] + 1)
        for d in span:
            for f, factor in enumerate(FACTORS):
                counted = phase == "cutover" or factor == "absence" or work[d]
                if counted:
                    cost += weights[phase][factor] * values[f][d]
            if hard[d] and phase == "cutover":
                reasons |= Reason.HARD_CONFLICT_CUTOVER
            if hard[d] and phase == "hypercare":
                reasons |= Reason.HARD_CONFLICT_HYPERCARE
    if reasons & Reason.PHASE_OUTSIDE_HORIZON:
        cost = math.nan
    return cost, int(reasons)


def reference_score(
    cal: CalendarArrays, spec: RolloutSpec
) -> tuple[np.ndarray, np.ndarray]:
    """(cost, feasible) for every candidate, the slow way."""
    values, hard = daily_values(cal), hard_days(cal)
    results = [reference_candidate(cal, spec, g, values, hard) for g in range(cal.n)]
    cost = np.array([c for c, _ in results], dtype=float)
    feasible = np.array([r == 0 for _, r in results], dtype=bool)
    return cost, feasible


def reference_reasons(cal: CalendarArrays, spec: RolloutSpec) -> np.ndarray:
    """Reason flags for every candidate, the slow way."""
    values, hard = daily_values(cal), hard_days(cal)
    return np.array(
        [reference_candidate(cal, spec, g, values, hard)[1] for g in range(cal.n)]
    )
