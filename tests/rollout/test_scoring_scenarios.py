"""Hand-built plants where a planner knows the right answer. No database."""

import datetime
from collections.abc import Sequence

import numpy as np

from rollout.scoring import (
    CalendarArrays,
    Cause,
    Reason,
    RolloutSpec,
    Scores,
    best_windows,
    conflicts,
    explain,
    fallback_window,
    nearest_alternatives,
    percentile,
    reason_labels,
    score_horizon,
)

D = datetime.date
START = D(2026, 1, 1)


def day(date: datetime.date) -> int:
    return (date - START).days


def plant(
    end: datetime.date,
    *,
    load: float = 0.8,
    monthly_load: dict[int, float] | None = None,
    working_weekdays: int = 5,
    shutdowns: Sequence[tuple[str, str, datetime.date, datetime.date]] = (),
    causes: Sequence[
        tuple[str, str, str, datetime.date, datetime.date, float, bool]
    ] = (),
) -> CalendarArrays:
    """A plant from START to `end`: Monday-Friday (or 6-7 days) at `load`,
    shutdowns as (kind, name, first, last) closed days with staff away, and
    causes as (kind, name, factor, first, last, value, hard)."""
    dates = [START + datetime.timedelta(days=i) for i in range(day(end) + 1)]
    working = np.array([d.weekday() < working_weekdays for d in dates])
    absence = np.zeros(len(dates))
    named = []
    for kind, name, first, last in shutdowns:
        working[day(first) : day(last) + 1] = False
        absence[day(first) : day(last) + 1] = 1.0
        named.append(Cause(kind, name, "absence", day(first), day(last), 1.0))
    for kind, name, factor, first, last, value, hard in causes:
        named.append(Cause(kind, name, factor, day(first), day(last), value, hard))
    loads = np.array([(monthly_load or {}).get(d.month, load) for d in dates])
    return CalendarArrays(START, working, loads * working, absence, tuple(named))


def window_dates(scores: Scores, g: int) -> tuple[datetime.date, datetime.date]:
    return scores.date(scores.window_start[g]), scores.date(scores.window_end[g])


def phase_dates(
    scores: Scores, g: int, phase: int
) -> tuple[datetime.date, datetime.date]:
    first, last = scores.phase_start[g, phase], scores.phase_end[g, phase]
    return scores.date(first), scores.date(last)


# A factory whose orders peak in Q4 and fall away in July.
SEASONAL = plant(
    D(2027, 3, 31),
    monthly_load={7: 0.3, 10: 1.0, 11: 1.0, 12: 1.0},
    causes=[
        ("season", "Q4 peak", "peak", D(2026, 10, 1), D(2026, 12, 31), 1.0, False),
    ],
)
ERP = RolloutSpec(10, 3, 15, earliest=D(2026, 2, 1), latest=D(2026, 12, 31))


def test_the_quietest_window_of_a_seasonal_factory_is_in_its_july_lull():
    scores = score_horizon(SEASONAL, ERP)
    best = best_windows(scores, n=3)
    assert scores.date(best[0]).month == 7
    for g in best:
        assert window_dates(scores, g)[1] < D(2026, 10, 1)
    assert percentile(scores, best[0]) == 100.0


def test_a_go_live_in_the_peak_ranks_near_the_bottom_and_blames_the_peak():
    scores = score_horizon(SEASONAL, ERP)
    november = day(D(2026, 11, 10))
    assert percentile(scores, november) < 10
    top = explain(SEASONAL, ERP, november)[0]
    assert (top.phase, top.factor, top.name) == ("hypercare", "peak", "Q4 peak")
    assert top.days == 15
    assert scores.score[november] < scores.score[best_windows(scores, 1)[0]]


def test_the_nearest_alternatives_are_recommended_windows_closest_in_time():
    scores = score_horizon(SEASONAL, ERP)
    november = day(D(2026, 11, 10))
    alternatives = nearest_alternatives(scores, november, k=3)
    recommended = best_windows(scores, n=50)
    assert len(alternatives) == 3
    assert set(alternatives) <= set(recommended)
    distances = [abs(a - november) for a in alternatives]
    assert distances == sorted(distances)
    others = set(recommended) - set(alternatives)
    assert all(abs(o - november) >= distances[-1] for o in others)
    assert best_windows(scores, 1)[0] not in nearest_alternatives(
        scores, best_windows(scores, 1)[0], k=3
    )


def test_the_fallback_retries_after_the_window_and_before_the_peak():
    scores = score_horizon(SEASONAL, ERP)
    july = best_windows(scores, 1)[0]
    fallback = fallback_window(SEASONAL, ERP, scores, july)
    assert fallback is not None
    retry, statement = fallback
    assert scores.feasible[retry]
    assert window_dates(scores, retry)[0] > window_dates(scores, july)[1]
    assert window_dates(scores, retry)[1] < D(2026, 10, 1)
    assert "Q4 peak" in statement and scores.date(retry).isoformat() in statement


def test_there_is_no_fallback_when_the_peak_starts_right_after_the_window():
    scores = score_horizon(SEASONAL, ERP)
    september = day(D(2026, 9, 1))
    assert scores.feasible[september]
    assert fallback_window(SEASONAL, ERP, scores, september) is None


# A start of production with a 14-day freeze either side that nothing may touch.
SOP = D(2026, 6, 15)
FROZEN = (SOP - datetime.timedelta(days=14), SOP + datetime.timedelta(days=14))
LAUNCH = plant(
    D(2026, 9, 30),
    causes=[
        ("milestone", "SOP Model Y (buffer)", "milestone", *FROZEN, 1.0, True),
    ],
)
MES = RolloutSpec(5, 2, 10, earliest=D(2026, 4, 1), latest=D(2026, 8, 31))


def test_a_hard_milestone_keeps_every_cutover_and_hypercare_out_of_its_buffer():
    scores = score_horizon(LAUNCH, MES)
    best = best_windows(scores, n=20)
    assert len(best) >= 5
    for g in best:
        for phase in (1, 2):  # cutover, hypercare
            first, last = phase_dates(scores, g, phase)
            assert last < FROZEN[0] or first > FROZEN[1]


def test_a_go_live_in_the_buffer_is_forbidden_with_the_reason():
    scores = score_horizon(LAUNCH, MES)
    g = day(D(2026, 6, 10))
    assert not scores.feasible[g]
    assert scores.reasons[g] & Reason.HARD_CONFLICT_CUTOVER
    assert any("cutover" in label for label in reason_labels(scores.reasons[g]))
    blocking = [c for c in conflicts(LAUNCH, MES, g) if c.blocking]
    assert {c.name for c in blocking} == {"SOP Model Y (buffer)"}
    # Its hypercare would run into the buffer too.
    before = day(D(2026, 5, 25))
    assert scores.reasons[before] == Reason.HARD_CONFLICT_HYPERCARE


def test_training_may_overlap_the_buffer_when_cutover_and_hypercare_clear_it():
    scores = score_horizon(LAUNCH, MES)
    g = day(D(2026, 7, 1))  # cutover 30 June - 1 July; training in the buffer
    assert scores.feasible[g]
    (conflict,) = conflicts(LAUNCH, MES, g)
    assert (conflict.phase, conflict.hard, conflict.blocking) == (
        "training",
        True,
        False,
    )
    assert conflict.end == FROZEN[1]
    assert not scores.feasible[g - 1]  # its cutover would touch 29 June


# A plant running seven days a week, closed for one weekend.
CLOSED = (D(2026, 3, 14), D(2026, 3, 15))  # Saturday, Sunday
ROUND_THE_CLOCK = plant(
    D(2026, 6, 30),
    load=1.0,
    working_weekdays=7,
    shutdowns=[("closure", "Maintenance weekend", *CLOSED)],
)
WMS = RolloutSpec(5, 2, 5, earliest=None, latest=None)


def test_a_cutover_over_a_closure_weekend_beats_one_over_full_production():
    scores = score_horizon(ROUND_THE_CLOCK, WMS)
    closure, weekday = day(CLOSED[1]), day(D(2026, 4, 8))
    assert scores.cost[closure] < scores.cost[weekday]
    assert scores.by_phase_factor[closure, 1].sum() == 0
    top = explain(ROUND_THE_CLOCK, WMS, weekday)[0]
    assert (top.phase, top.factor, top.name) == ("cutover", "load", "production load")
    assert best_windows(scores, 1) == [closure]


# A plant that shuts down for nine days over the Spring Festival.
FESTIVAL = (D(2026, 2, 14), D(2026, 2, 22))
SHANGHAI = plant(D(2026, 6, 30), shutdowns=[("closure", "Spring Festival", *FESTIVAL)])
CRM = RolloutSpec(5, 3, 10, earliest=None, latest=None)


def test_the_spring_festival_shutdown_is_good_for_cutover():
    scores = score_horizon(SHANGHAI, CRM)
    in_shutdown, ordinary = day(FESTIVAL[1]), day(D(2026, 3, 18))
    assert scores.by_phase_factor[in_shutdown, 1].sum() == 0
    assert scores.by_phase_factor[ordinary, 1].sum() > 0
    best = best_windows(scores, 1)[0]
    assert FESTIVAL[0] <= phase_dates(scores, best, 1)[0]
    assert phase_dates(scores, best, 1)[1] <= FESTIVAL[1]


def test_the_spring_festival_shutdown_is_bad_for_hypercare():
    scores = score_horizon(SHANGHAI, CRM)
    just_before, well_after = day(D(2026, 2, 12)), day(D(2026, 3, 18))
    assert scores.cost[just_before] > scores.cost[well_after]
    top = explain(SHANGHAI, CRM, just_before)[0]
    assert (top.phase, top.factor, top.name) == (
        "hypercare",
        "absence",
        "Spring Festival",
    )
    assert top.days == 9
    assert percentile(scores, just_before) < percentile(scores, well_after)
