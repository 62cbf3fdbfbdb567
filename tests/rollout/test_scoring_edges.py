"""Corner cases of the scoring engine: nothing to score, nothing allowed, bad
input. None of them may raise where a planner just gets "no window". No database.
"""

import datetime
import json

import numpy as np
import pytest

from rollout.scoring import (
    CalendarArrays,
    Cause,
    Profile,
    Reason,
    RolloutSpec,
    best_windows,
    conflicts,
    explain,
    fallback_window,
    nearest_alternatives,
    percentile,
    reason_codes,
    reason_labels,
    score_horizon,
)

START = datetime.date(2026, 3, 2)  # a Monday


def weekdays(
    n: int, load: float = 0.0, causes: tuple[Cause, ...] = ()
) -> CalendarArrays:
    working = np.arange(n) % 7 < 5
    return CalendarArrays(START, working, load * working, np.zeros(n), causes)


def test_a_plant_without_load_or_causes_is_quiet_everywhere():
    cal = weekdays(120)
    spec = RolloutSpec(5, 2, 10)
    scores = score_horizon(cal, spec)
    feasible = scores.feasible
    assert feasible.sum() > 90
    assert (scores.cost[feasible] == 0).all()
    assert (scores.score[feasible] == 100).all()
    assert explain(cal, spec, int(np.argmax(feasible))) == []


def test_equally_quiet_windows_are_recommended_earliest_first():
    scores = score_horizon(weekdays(400, load=0.8), RolloutSpec(5, 3, 10))
    best = best_windows(scores, n=10)
    assert np.allclose(scores.cost[best], scores.cost[best[0]])
    assert best == sorted(best)
    assert scores.window_start[best[0]] == 0  # the first window that fits


def test_a_horizon_shorter_than_the_phases_has_no_window_and_no_error():
    cal = weekdays(12, load=0.5)
    spec = RolloutSpec(10, 2, 10)
    scores = score_horizon(cal, spec)
    assert not scores.feasible.any()
    assert (scores.reasons & Reason.PHASE_OUTSIDE_HORIZON).all()
    assert np.isnan(scores.cost).all() and np.isnan(scores.score).all()
    assert (scores.window_start == -1).all()
    assert best_windows(scores) == []
    assert nearest_alternatives(scores, 5) == []
    assert fallback_window(cal, spec, scores, 5) is None
    assert np.isnan(percentile(scores, 5))
    # The cutover of day 5 fits, so it is still explained; nothing else is.
    assert {part.phase for part in explain(cal, spec, 5)} == {"cutover"}


def test_an_empty_horizon_scores_nothing():
    cal = weekdays(0)
    scores = score_horizon(cal, RolloutSpec(5, 2, 10))
    assert len(scores) == 0 and scores.phase_start.shape == (0, 3)
    assert best_windows(scores) == []
    with pytest.raises(IndexError):
        explain(cal, RolloutSpec(5, 2, 10), 0)


def test_when_every_day_is_forbidden_nothing_is_recommended():
    freeze = Cause("blackout", "Year-long freeze", "blackout", -5, 400, 1.0, hard=True)
    cal = weekdays(100, load=0.5, causes=(freeze,))
    spec = RolloutSpec(5, 2, 10)
    scores = score_horizon(cal, spec)
    assert not scores.feasible.any()
    fits = ~np.isnan(scores.cost)
    assert (scores.reasons[fits] & Reason.HARD_CONFLICT_CUTOVER).all()
    assert (scores.reasons[fits] & Reason.HARD_CONFLICT_HYPERCARE).all()
    assert best_windows(scores) == []
    assert nearest_alternatives(scores, 50) == []
    assert fallback_window(cal, spec, scores, 50) is None
    assert all(c.blocking for c in conflicts(cal, spec, 50) if c.phase != "training")


def test_earliest_after_latest_allows_no_date():
    spec = RolloutSpec(
        5, 2, 10, earliest=datetime.date(2026, 5, 1), latest=datetime.date(2026, 4, 1)
    )
    scores = score_horizon(weekdays(120, load=0.5), spec)
    assert not scores.feasible.any()
    assert best_windows(scores) == []
    may = (datetime.date(2026, 5, 4) - START).days
    assert scores.reasons[may] == Reason.AFTER_LATEST
    assert reason_codes(scores.reasons[may]) == ["AFTER_LATEST"]


def test_causes_reaching_past_the_horizon_count_only_inside_it():
    peak = Cause("season", "Q1 peak", "peak", -30, 3, 1.0)
    cal = weekdays(60, causes=(peak,))
    spec = RolloutSpec(0, 7, 0)  # a week-long cutover and nothing else
    scores = score_horizon(cal, spec)
    (part,) = explain(cal, spec, 6)
    assert (part.phase, part.name, part.days) == ("cutover", "Q1 peak", 4)
    assert scores.cost[6] == pytest.approx(4 * 1.0 * 1)  # cutover minds peaks x1


def test_overlapping_seasons_add_up():
    seasons = (
        Cause("season", "Export peak", "peak", 0, 59, 0.6),
        Cause("season", "Domestic peak", "peak", 20, 59, 0.4),
    )
    spec = RolloutSpec(0, 1, 0)
    scores = score_horizon(weekdays(60, causes=seasons), spec)
    assert scores.cost[10] == pytest.approx(0.6)
    assert scores.cost[30] == pytest.approx(1.0)


def test_a_hypercare_over_a_holiday_counts_the_staff_away_but_not_the_weekend():
    working = np.arange(40) % 7 < 5
    working[9] = False  # a Wednesday holiday
    absence = np.zeros(40)
    absence[9] = 1.0
    holiday = Cause("holiday", "Qingming", "absence", 9, 9, 1.0)
    cal = CalendarArrays(START, working, np.zeros(40), absence, (holiday,))
    spec = RolloutSpec(0, 0, 5)  # hypercare only: minds absence x2
    scores = score_horizon(cal, spec)
    assert scores.cost[7] == 2.0  # Monday: Mon, Tue, (Wed off), Thu, Fri, Mon
    assert scores.cost[14] == 0.0  # the next Monday: a weekend is no absence
    assert [c.name for c in explain(cal, spec, 7)] == ["Qingming"]


def test_a_go_live_on_a_weekend_starts_hypercare_on_monday():
    scores = score_horizon(weekdays(40, load=1.0), RolloutSpec(3, 1, 5))
    sunday = 6
    assert scores.phase_start[sunday].tolist() == [2, 6, 7]  # Wed, Sun, Mon
    assert scores.phase_end[sunday].tolist() == [4, 6, 11]  # Fri, Sun, Fri
    assert scores.window_start[sunday] == 2 and scores.window_end[sunday] == 11


def test_explanations_and_conflicts_are_json_friendly():
    milestone = Cause("milestone", "Customer audit", "milestone", 20, 24, 0.8, True)
    cal = weekdays(80, load=0.7, causes=(milestone,))
    spec = RolloutSpec(5, 2, 10)
    g = 21
    payload = {
        "explanation": [c.as_dict() for c in explain(cal, spec, g)],
        "conflicts": [c.as_dict() for c in conflicts(cal, spec, g)],
        "reasons": reason_labels(score_horizon(cal, spec).reasons[g]),
    }
    decoded = json.loads(json.dumps(payload))
    assert decoded["conflicts"][0]["start"] == "2026-03-22"
    assert len(decoded["reasons"]) == 2


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: RolloutSpec(-1, 2, 10), "training_days"),
        (lambda: RolloutSpec(5, 2.5, 10), "cutover_days"),
        (lambda: RolloutSpec(5, 2, 10, earliest="2026-05-01"), "earliest"),
        (lambda: Profile({"cutover": {"lod": 1}}), "lod"),
        (lambda: Profile({"golive": {"load": 1}}), "golive"),
        (lambda: Profile({"cutover": {"load": -1}}), "cutover"),
        (lambda: Cause("season", "Q4", "season", 0, 5, 1.0), "factor"),
        (lambda: Cause("season", "Q4", "peak", 5, 0, 1.0), "end"),
        (lambda: Cause("season", "Q4", "peak", 0, 5, float("nan")), "value"),
        (
            lambda: CalendarArrays(
                START, np.ones(5, bool), np.ones(4), np.zeros(5), ()
            ),
            "load",
        ),
        (
            lambda: CalendarArrays(START, np.ones(2, bool), [1, -1], np.zeros(2), ()),
            "load",
        ),
    ],
)
def test_bad_input_is_rejected_naming_the_field(make, field):
    with pytest.raises(ValueError, match=field):
        make()
