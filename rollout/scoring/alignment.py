"""Which days a rollout may go live on: its `go_live_on` and `go_live_weekday`
(see RolloutSpec), as boolean arrays over days. One rule, used by the batch
scorer (costs) on stacked plants and by `allowed_days` on one plant."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from rollout.scoring.types import CalendarArrays, RolloutSpec


def misaligned(
    spec: RolloutSpec,
    work: np.ndarray,
    alignments: Mapping[str, np.ndarray],
) -> np.ndarray | None:
    """True where G is not a day of `spec.go_live_on` (None: every day is):
    any_day allows all, working_day the working days, the fiscal ones the days
    `alignments[name]` marks (none when the calendar does not provide them)."""
    on = spec.go_live_on
    if on == "any_day":
        return None
    if on == "working_day":
        return ~work
    mask = alignments.get(on)
    if mask is None:
        return np.ones(work.shape, dtype=bool)
    return ~mask


def wrong_weekday(spec: RolloutSpec, ordinals: np.ndarray) -> np.ndarray | None:
    """True where G (given as proleptic ordinals) is not `spec.go_live_weekday`
    (None: no weekday asked). Ordinal 1, 0001-01-01, was a Monday."""
    if spec.go_live_weekday is None:
        return None
    return (ordinals - 1) % 7 != spec.go_live_weekday


def allowed_days(cal: CalendarArrays, spec: RolloutSpec) -> np.ndarray:
    """(n,) bool: the days of `cal` the rollout may go live on, whatever else
    makes them infeasible."""
    allowed = np.ones(cal.n, dtype=bool)
    off = misaligned(spec, cal.is_working, cal.alignments)
    if off is not None:
        allowed &= ~off
    ordinals = cal.start.toordinal() + np.arange(cal.n)
    wrong = wrong_weekday(spec, ordinals)
    if wrong is not None:
        allowed &= ~wrong
    return allowed
