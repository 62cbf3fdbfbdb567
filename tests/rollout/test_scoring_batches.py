"""Scoring many plants at once, and the engine's shortcuts that random
calendars rarely reach: long cutovers, profiles ignoring a phase, many long
causes, horizons past 32k days, memory reused from one call to the next. The
day-by-day reference decides. No database."""

import datetime

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rollout.scoring import (
    DEFAULT_PROFILE,
    FACTORS,
    PHASES,
    CalendarArrays,
    Cause,
    Profile,
    Reason,
    RolloutSpec,
    score_horizon,
    score_many,
)
from tests.rollout import scoring_reference as reference

START = datetime.date(2026, 3, 2)  # a Monday


def plant(n: int, seed: int, causes: int = 6, long: bool = False) -> CalendarArrays:
    """Weekdays with holidays, some load, and causes of every kind."""
    rng = np.random.default_rng(seed)
    working = (np.arange(n) % 7 < 5) & (rng.random(n) > 0.05)
    absence = ((~working) & (rng.random(n) < 0.3)).astype(float)
    load = rng.integers(0, 12, n) / 10 * working
    made = []
    for i in range(causes):
        first = int(rng.integers(-10, n))
        length = int(rng.integers(n // 2, 2 * n)) if long else int(rng.integers(0, 20))
        made.append(
            Cause(
                "season", f"Cause {i}", str(rng.choice(FACTORS[1:])), first,
                first + length, float(rng.integers(1, 10)) / 10,
                hard=bool(rng.random() < 0.2),
            )
        )  # fmt: skip
    return CalendarArrays(START, working, load, absence, tuple(made))


def assert_matches_reference(cal: CalendarArrays, spec: RolloutSpec) -> None:
    scores = score_horizon(cal, spec)
    cost, feasible = reference.reference_score(cal, spec)
    np.testing.assert_allclose(scores.cost, cost, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(scores.feasible, feasible)
    np.testing.assert_array_equal(
        scores.reasons, reference.reference_reasons(cal, spec)
    )


@pytest.mark.parametrize("cutover_days", [9, 14, 40])
def test_a_cutover_longer_than_a_week_is_scored_like_the_reference(cutover_days):
    cal = plant(150, seed=cutover_days)
    assert_matches_reference(cal, RolloutSpec(5, cutover_days, 8))
    assert_matches_reference(cal, RolloutSpec(0, cutover_days, 0))


def test_a_cutover_longer_than_the_horizon_fits_nowhere():
    cal = plant(30, seed=1)
    scores = score_horizon(cal, RolloutSpec(3, 31, 3))
    assert np.isnan(scores.cost).all()
    assert (scores.reasons & Reason.PHASE_OUTSIDE_HORIZON).all()
    assert not (scores.reasons & Reason.HARD_CONFLICT_CUTOVER).any()
    assert_matches_reference(cal, RolloutSpec(3, 31, 3))


def test_a_profile_ignoring_a_phase_still_knows_where_it_does_not_fit():
    # Zero weights multiply the nan past the horizon into nothing in some BLAS
    # kernels: the phases must still be found not to fit.
    ignoring = Profile({"cutover": {"load": 1}})
    cal = plant(60, seed=2)
    spec = RolloutSpec(10, 2, 10, profile=ignoring)
    assert_matches_reference(cal, spec)
    scores = score_horizon(cal, spec)
    assert np.isnan(scores.cost[:5]).all() and np.isnan(scores.cost[-5:]).all()


def test_many_long_overlapping_causes_add_up_like_the_reference():
    # More days under causes than the horizon has: summed through difference
    # arrays instead of day by day.
    cal = plant(120, seed=3, causes=8, long=True)
    assert_matches_reference(cal, RolloutSpec(6, 2, 9))
    assert_matches_reference(cal, RolloutSpec(4, 1, 5, profile=Profile({})))


def test_a_horizon_of_a_hundred_years_is_scored_like_the_reference():
    # Past 32k days the day counts no longer fit 16 bits.
    n = 36_600
    working = np.arange(n) % 7 < 5
    causes = (
        Cause("blackout", "Freeze", "blackout", 33_000, 33_004, 1.0, hard=True),
        Cause("season", "Peak", "peak", 34_000, 34_200, 0.5),
    )
    cal = CalendarArrays(START, working, 0.5 * working, np.zeros(n), causes)
    spec = RolloutSpec(5, 2, 10, latest=START + datetime.timedelta(days=35_000))
    scores = score_horizon(cal, spec)
    values, hard = reference.daily_values(cal), reference.hard_days(cal)
    for g in [0, 10, 32_990, 32_998, 33_003, 33_010, 34_100, 35_001, n - 3]:
        cost, reasons = reference.reference_candidate(cal, spec, g, values, hard)
        np.testing.assert_allclose(scores.cost[g], cost, rtol=1e-9, atol=1e-9)
        assert scores.reasons[g] == reasons, g


def test_scores_stay_as_they_were_when_more_plants_are_scored():
    cals = [plant(90, seed=s) for s in range(4)]
    specs = [RolloutSpec(5, 2, 10), RolloutSpec(3, 1, 4)]
    first = score_many(cals, specs)
    kept = [[(s.cost.copy(), s.reasons.copy()) for s in row] for row in first]
    score_many([plant(90, seed=s) for s in range(10, 14)], specs)  # same sizes
    score_many([plant(300, seed=20)], [RolloutSpec(8, 3, 12)])
    for row, was in zip(first, kept, strict=True):
        for scores, (cost, reasons) in zip(row, was, strict=True):
            np.testing.assert_array_equal(scores.cost, cost)
            np.testing.assert_array_equal(scores.reasons, reasons)


@st.composite
def plants(draw: st.DrawFn) -> list[CalendarArrays]:
    count = draw(st.integers(1, 4))
    return [
        plant(draw(st.integers(1, 120)), seed=draw(st.integers(0, 10**6)))
        for _ in range(count)
    ]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plants(), st.integers(0, 9), st.integers(0, 12), st.integers(0, 12))
def test_what_is_read_later_from_many_plants_matches_one_plant(cals, c, t, h):
    weights = {p: {f: (i + j) % 3 / 2 for j, f in enumerate(FACTORS)}
               for i, p in enumerate(PHASES)}  # fmt: skip
    specs = [RolloutSpec(t, c, h), RolloutSpec(h, c, t, profile=Profile(weights))]
    for cal, row in zip(cals, score_many(cals, specs), strict=True):
        for spec, scores in zip(specs, row, strict=True):
            alone = score_horizon(cal, spec)
            np.testing.assert_allclose(scores.score, alone.score, rtol=1e-12)
            np.testing.assert_array_equal(scores.feasible, alone.feasible)
            np.testing.assert_array_equal(scores.window_start, alone.window_start)
            np.testing.assert_array_equal(scores.window_end, alone.window_end)
            np.testing.assert_allclose(
                scores.by_phase_factor, alone.by_phase_factor, rtol=1e-12, atol=1e-12
            )


def test_rollouts_sharing_a_profile_are_scored_as_if_alone():
    cals = [plant(80, seed=s) for s in range(3)]
    specs = [
        RolloutSpec(5, 2, 10),
        RolloutSpec(4, 1, 6, profile=Profile({"training": {"load": 2}})),
        RolloutSpec(8, 3, 12, profile=DEFAULT_PROFILE),
    ]
    for cal, row in zip(cals, score_many(cals, specs), strict=True):
        for spec, scores in zip(specs, row, strict=True):
            np.testing.assert_allclose(
                scores.cost, score_horizon(cal, spec).cost, rtol=1e-12, atol=1e-12
            )
