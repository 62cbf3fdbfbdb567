"""Properties of the scoring engine on random calendars.

The brute-force reference (tests.rollout.scoring_reference) walks every candidate day
by day; the engine must agree with it, and recommendations must never break
the rules a planner relies on. No database.
"""

import datetime
from itertools import combinations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rollout.scoring import (
    ALIGNMENTS,
    CALENDAR_ALIGNMENTS,
    DEFAULT_PROFILE,
    FACTORS,
    PHASES,
    CalendarArrays,
    Cause,
    Profile,
    RolloutSpec,
    best_windows,
    explain,
    explain_many,
    explain_rollouts,
    score_horizon,
    score_many,
)
from tests.rollout import scoring_reference as reference

START = datetime.date(2026, 1, 1)
TENTHS = st.integers(0, 10).map(lambda i: i / 10)
RANDOM = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def causes(draw: st.DrawFn, n: int) -> Cause:
    start = draw(st.integers(-15, n + 5))
    return Cause(
        kind=draw(st.sampled_from(["season", "milestone", "blackout", "closure"])),
        name=draw(st.sampled_from(["Q4 peak", "SOP", "Month-end close", "Audit"])),
        factor=draw(st.sampled_from(FACTORS[1:])),
        start=start,
        end=start + draw(st.integers(0, 40)),
        value=draw(TENTHS),
        hard=draw(st.integers(0, 3)) == 0,  # one cause in four forbids days
    )


@st.composite
def calendars(
    draw: st.DrawFn, min_days: int = 30, max_days: int = 200
) -> CalendarArrays:
    n = draw(st.integers(min_days, max_days))
    working = np.array(
        draw(st.lists(st.booleans() | st.just(True), min_size=n, max_size=n))
    )
    load = np.array(draw(st.lists(st.integers(0, 15), min_size=n, max_size=n))) / 10
    holiday = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    start = START + datetime.timedelta(days=draw(st.integers(0, 400)))
    # Some fiscal alignments, each marking a few days (or missing).
    names = draw(st.lists(st.sampled_from(CALENDAR_ALIGNMENTS), unique=True))
    alignments = {
        name: np.array(draw(st.lists(st.integers(0, 9), min_size=n, max_size=n))) == 0
        for name in names
    }
    return CalendarArrays(
        start=start,
        is_working=working,
        load=load * working,
        absence=(holiday & ~working).astype(float),
        causes=tuple(draw(st.lists(causes(n), max_size=6))),
        alignments=alignments,
    )


@st.composite
def profiles(draw: st.DrawFn) -> Profile:
    if draw(st.booleans()):
        return DEFAULT_PROFILE
    weight = st.integers(0, 6).map(lambda i: i / 2)
    return Profile({p: {f: draw(weight) for f in FACTORS} for p in PHASES})


@st.composite
def specs(draw: st.DrawFn, start: datetime.date = START) -> RolloutSpec:
    def bound() -> datetime.date | None:
        if draw(st.booleans()):
            return None
        return start + datetime.timedelta(days=draw(st.integers(-10, 210)))

    return RolloutSpec(
        training_days=draw(st.integers(0, 12)),
        cutover_days=draw(st.integers(0, 5)),
        hypercare_days=draw(st.integers(0, 15)),
        earliest=bound(),
        latest=bound(),
        profile=draw(profiles()),
        go_live_on=draw(st.sampled_from(ALIGNMENTS)),
        go_live_weekday=draw(st.none() | st.integers(0, 6)),
    )


@st.composite
def plans(draw: st.DrawFn) -> tuple[CalendarArrays, RolloutSpec]:
    cal = draw(calendars())
    return cal, draw(specs(cal.start))


def reference_windows(cal: CalendarArrays, spec: RolloutSpec) -> list[tuple[int, int]]:
    """Each candidate's whole window (training start .. hypercare end), computed
    from the reference's day lists."""
    windows = []
    for g in range(cal.n):
        days = [
            d for ds in reference.phase_days(cal, spec, g).values() for d in ds or []
        ]
        windows.append((min([g, *days]), max([g, *days])))
    return windows


@RANDOM
@given(plans())
def test_engine_matches_the_day_by_day_reference(plan):
    cal, spec = plan
    scores = score_horizon(cal, spec)
    cost, feasible = reference.reference_score(cal, spec)
    np.testing.assert_allclose(scores.cost, cost, rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(scores.feasible, feasible)
    np.testing.assert_array_equal(
        scores.reasons, reference.reference_reasons(cal, spec)
    )
    for g in range(cal.n):
        for p, days in enumerate(reference.phase_days(cal, spec, g).values()):
            span = (days[0], days[-1]) if days else (-1, -1)
            assert (scores.phase_start[g, p], scores.phase_end[g, p]) == span


@RANDOM
@given(plans())
def test_quietness_is_100_minus_the_share_of_the_worst_case(plan):
    cal, spec = plan
    scores = score_horizon(cal, spec)
    if spec.ceiling > 0:
        expected = np.clip(100 * (1 - scores.cost / spec.ceiling), 0, 100)
    else:
        expected = np.where(np.isnan(scores.cost), np.nan, 100.0)
    np.testing.assert_allclose(scores.score, expected)
    # Quietness ranks exactly like cost.
    finite = ~np.isnan(scores.cost)
    order = np.argsort(scores.cost[finite], kind="stable")
    assert (np.diff(scores.score[finite][order]) <= 1e-9).all()


@RANDOM
@given(plans(), st.data())
def test_more_load_never_lowers_a_cost(plan, data):
    cal, spec = plan
    extra = np.array(data.draw(st.lists(TENTHS, min_size=cal.n, max_size=cal.n)))
    busier = CalendarArrays(
        cal.start, cal.is_working, cal.load + extra * cal.is_working, cal.absence,
        cal.causes, alignments=cal.alignments,
    )  # fmt: skip
    before, after = score_horizon(cal, spec), score_horizon(busier, spec)
    np.testing.assert_array_equal(np.isnan(after.cost), np.isnan(before.cost))
    finite = ~np.isnan(before.cost)
    assert (after.cost[finite] >= before.cost[finite] - 1e-9).all()
    np.testing.assert_array_equal(after.feasible, before.feasible)


@RANDOM
@given(plans(), st.data())
def test_a_soft_milestone_never_lowers_a_cost_nor_forbids_a_day(plan, data):
    cal, spec = plan
    first = data.draw(st.integers(-5, cal.n))
    milestone = Cause(
        "milestone", "SOP Model Y (buffer)", "milestone", first,
        first + data.draw(st.integers(0, 30)), data.draw(TENTHS),
    )  # fmt: skip
    busier = CalendarArrays(
        cal.start, cal.is_working, cal.load, cal.absence, (*cal.causes, milestone),
        alignments=cal.alignments,
    )  # fmt: skip
    before, after = score_horizon(cal, spec), score_horizon(busier, spec)
    finite = ~np.isnan(before.cost)
    assert (after.cost[finite] >= before.cost[finite] - 1e-9).all()
    np.testing.assert_array_equal(after.reasons, before.reasons)


@RANDOM
@given(plans())
def test_no_recommended_window_puts_cutover_or_hypercare_on_a_forbidden_day(plan):
    cal, spec = plan
    hard = reference.hard_days(cal)
    for g in best_windows(score_horizon(cal, spec), n=cal.n):
        days = reference.phase_days(cal, spec, g)
        hypercare = days["hypercare"]
        span = range(hypercare[0], hypercare[-1] + 1) if hypercare else []
        assert not any(hard[d] for d in [*days["cutover"], *span])


@RANDOM
@given(plans())
def test_recommended_windows_never_overlap(plan):
    cal, spec = plan
    windows = reference_windows(cal, spec)
    picked = [windows[g] for g in best_windows(score_horizon(cal, spec), n=cal.n)]
    for (a_first, a_last), (b_first, b_last) in combinations(picked, 2):
        assert a_last < b_first or b_last < a_first


@RANDOM
@given(plans(), st.integers(1, 12))
def test_recommended_windows_are_feasible_cheapest_first_and_leave_no_gap(plan, n):
    cal, spec = plan
    scores = score_horizon(cal, spec)
    picked = best_windows(scores, n=n)
    assert len(picked) <= n
    assert all(scores.feasible[picked])
    assert (np.diff(scores.cost[picked]) >= -1e-9).all()
    if scores.feasible.any():
        cheapest = scores.cost[scores.feasible].min()
        assert np.isclose(scores.cost[picked[0]], cheapest, rtol=1e-9, atol=1e-9)
    if len(picked) < n:
        # Greedy stopped early: every feasible day overlaps a picked window.
        windows = reference_windows(cal, spec)
        for g in np.flatnonzero(scores.feasible):
            first, last = windows[g]
            assert any(first <= windows[w][1] and windows[w][0] <= last for w in picked)


@RANDOM
@given(calendars(), st.data())
def test_zero_length_phases_cost_nothing(cal, data):
    lengths = data.draw(st.lists(st.integers(0, 8), min_size=3, max_size=3))
    empty = data.draw(st.integers(0, 2))
    lengths[empty] = 0
    spec = RolloutSpec(*lengths, earliest=None, latest=None)
    scores = score_horizon(cal, spec)
    assert (scores.phase_start[:, empty] == -1).all()
    assert (scores.phase_end[:, empty] == -1).all()
    finite = ~np.isnan(scores.cost)
    assert (scores.by_phase_factor[finite, empty] == 0).all()
    if lengths == [0, 0, 0]:
        assert (scores.cost == 0).all() and scores.feasible.all()


@RANDOM
@given(plans(), st.data())
def test_the_explanation_adds_up_to_the_cost(plan, data):
    cal, spec = plan
    scores = score_horizon(cal, spec)
    g = data.draw(st.integers(0, cal.n - 1))
    parts = explain(cal, spec, g)
    assert all(part.cost > 0 for part in parts)
    assert [part.cost for part in parts] == sorted(
        (p.cost for p in parts), reverse=True
    )
    if not np.isnan(scores.cost[g]):
        assert np.isclose(sum(p.cost for p in parts), scores.cost[g], atol=1e-9)
        assert np.isclose(scores.by_phase_factor[g].sum(), scores.cost[g], atol=1e-9)


@RANDOM
@given(plans(), st.data())
def test_explaining_many_go_live_days_at_once_explains_each_one(plan, data):
    cal, spec = plan
    days = data.draw(st.lists(st.integers(0, cal.n - 1), max_size=12))
    assert explain_many(cal, spec, days) == [explain(cal, spec, g) for g in days]


@RANDOM
@given(calendars(), st.lists(specs(), min_size=1, max_size=3), st.data())
def test_explaining_several_rollouts_at_once_explains_each_one(cal, rollouts, data):
    picks = [
        (spec, data.draw(st.lists(st.integers(0, cal.n - 1), max_size=5)))
        for spec in rollouts
    ]
    assert explain_rollouts(cal, picks) == [
        [explain(cal, spec, g) for g in days] for spec, days in picks
    ]


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(calendars(min_days=1, max_days=120), min_size=1, max_size=4), st.data())
def test_scoring_many_plants_at_once_gives_each_plant_its_own_scores(cals, data):
    rollouts = data.draw(st.lists(specs(), min_size=1, max_size=3))
    grid = score_many(cals, rollouts)
    for cal, row in zip(cals, grid, strict=True):
        for spec, scores in zip(rollouts, row, strict=True):
            alone = score_horizon(cal, spec)
            np.testing.assert_allclose(scores.cost, alone.cost, rtol=1e-12, atol=1e-12)
            np.testing.assert_array_equal(scores.reasons, alone.reasons)
            np.testing.assert_array_equal(scores.phase_start, alone.phase_start)
            np.testing.assert_array_equal(scores.phase_end, alone.phase_end)
