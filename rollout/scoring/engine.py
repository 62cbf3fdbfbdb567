"""Every day of a horizon scored as go-live day at once: `Scores`, and the
entry points over the vectorised core (`stacked`, then `costs`). The rules are
in the package docstring."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

import numpy as np

from rollout.scoring import costs, stacked
from rollout.scoring.types import (
    _ABSENCE,
    _CUTOVER,
    _HYPERCARE,
    _TRAINING,
    FACTORS,
    PHASES,
    CalendarArrays,
    Profile,
    RolloutSpec,
)


@dataclass(eq=False)
class Scores:
    """Every day of the horizon scored as go-live day G (arrays over G).

    cost: float (n,), nan where a phase does not fit the horizon.
    reasons: uint8 `Reason` flags (n,).
    score: quietness 100 * (1 - cost / spec.ceiling), clipped to [0, 100]: an
      absolute scale, comparable across plants and dates, 100 = no disturbance
      (100 everywhere when the ceiling is 0), ranked exactly like cost.
    feasible: bool (n,), reasons == 0.
    phase_start, phase_end: int32 (n, 3) day indices in PHASES order, -1 where
      the phase is empty or does not fit the horizon.
    window_start, window_end: (n,) the whole window (training start ..
      hypercare end, always containing G), -1 where a phase does not fit.
    by_phase_factor: (n, 3, 5) costs per phase and factor, rows summing to cost.
    Everything but cost and reasons is computed on first access: scoring many
    plants then only pays for what is read.
    """

    start: datetime.date
    spec: RolloutSpec
    cost: np.ndarray
    reasons: np.ndarray
    _cal: CalendarArrays = field(repr=False)

    def __len__(self) -> int:
        return len(self.cost)

    def date(self, i: int) -> datetime.date:
        return self.start + datetime.timedelta(days=int(i))

    @cached_property
    def score(self) -> np.ndarray:
        ceiling = self.spec.ceiling
        if ceiling > 0:
            return np.clip(100.0 - self.cost * (100.0 / ceiling), 0.0, 100.0)
        return np.where(np.isnan(self.cost), np.nan, 100.0)

    @cached_property
    def feasible(self) -> np.ndarray:
        return self.reasons == 0

    @property
    def phase_start(self) -> np.ndarray:
        return self._phase_bounds[0]

    @property
    def phase_end(self) -> np.ndarray:
        return self._phase_bounds[1]

    # The window needs only the first phase's start and the last one's end:
    # best_windows reads it for every pair, the spans are read for a few.
    # Where nothing is outside the horizon, training starts before G and
    # hypercare ends on or after it.
    @cached_property
    def window_start(self) -> np.ndarray:
        T, C, _ = self.spec.phase_lengths
        n = len(self)
        if T:
            days, before = _padded(self._cal)
            # k, the working days before the anchor G - C + 1 (G without
            # cutover), is a slice of `before`; training starts on day k - T.
            offset = n - min(C, n + 1) + 1 if C else n
            first = before[offset : offset + n] + (n - min(T, n))
            np.take(days, first, out=first)
        else:
            first = self._g - (C - 1 if C else 0)
        first[self._outside] = -1
        return first

    @cached_property
    def window_end(self) -> np.ndarray:
        H = self.spec.hypercare_days
        n = len(self)
        if H:
            days, before = _padded(self._cal)
            last = before[n : 2 * n] + (n + min(H, n + 1) - 1)  # its last rank
            np.take(days, last, out=last)
        else:
            last = self._g.copy()
        last[self._outside] = -1
        return last

    @cached_property
    def _outside(self) -> np.ndarray:
        return np.isnan(self.cost)

    @cached_property
    def by_phase_factor(self) -> np.ndarray:
        b = _plant_batch(self._cal)
        values = b.values[:, : len(self)]
        calendar = np.zeros((len(FACTORS), len(self) + 1))
        np.cumsum(values, axis=1, out=calendar[:, 1:])
        span = calendar.copy()  # training and hypercare: working days, but
        np.cumsum(values[:_ABSENCE] * b.work, axis=1, out=span[:_ABSENCE, 1:])
        out = np.zeros((len(self), len(PHASES), len(FACTORS)))
        for p, weights in enumerate(self.spec.profile.matrix):
            first, last = self.phase_start[:, p], self.phase_end[:, p]
            present = first >= 0
            prefix = calendar if p == _CUTOVER else span
            sums = (
                prefix[:, np.where(present, last + 1, 0)] - prefix[:, first * present]
            )
            out[:, p, :] = sums.T * weights
        out[np.isnan(self.cost)] = np.nan
        return out

    @cached_property
    def _phase_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        return _phase_bounds(self._cal, self.spec)

    @property
    def _g(self) -> np.ndarray:
        return np.arange(len(self))


# Working memory for score_many and score_horizon, per thread (see stacked).
_POOL = stacked.Pool()


def score_many(
    cals: Sequence[CalendarArrays], specs: Sequence[RolloutSpec]
) -> list[list[Scores]]:
    """Score every rollout on every plant: result[i][j] equals
    score_horizon(cals[i], specs[j]) (within float rounding). Plants are stacked
    into one array per quantity and rollouts sharing a profile share its prefix
    sums, so numpy's per-call overhead is paid once per rollout, not once per
    pair: use it to rebuild many plants at once."""
    if not cals:
        return []
    b = stacked.stack(cals, _POOL)
    cost, reasons = _outputs(b, len(specs))
    by_profile: dict[Profile, list[int]] = {}
    for j, spec in enumerate(specs):
        by_profile.setdefault(spec.profile, []).append(j)
    matrices = [profile.matrix for profile in by_profile]
    weighted = costs.weigh(b, matrices, _POOL)
    for w, js in zip(weighted, by_profile.values(), strict=True):
        for j in js:
            costs.score(w, specs[j], cost[j].reshape(-1), reasons[j].reshape(-1), _POOL)
    return _results(b, cals, specs, cost, reasons)


def score_horizon(cal: CalendarArrays, spec: RolloutSpec) -> Scores:
    """Score every day of `cal` as go-live day G of `spec`, following the rules
    in the package docstring: prefix sums over calendar days and over working
    days, O(days x factors), no Python loop over dates. See `Scores`.

    The calendar's arrays, and its prefix sums per profile, are built on first
    use and kept on `cal` (it is immutable), so scoring a plant's other
    rollouts reuses them."""
    b = _plant_batch(cal)
    weighted = _cached(cal, "_weighted", dict)
    w = weighted.get(spec.profile)
    if w is None:
        w = weighted[spec.profile] = costs.weigh(
            b, [spec.profile.matrix], stacked.fresh
        )[0]
    cost, reasons = _outputs(b, 1)
    costs.score(w, spec, cost.reshape(-1), reasons.reshape(-1), _POOL)
    return _results(b, [cal], [spec], cost, reasons)[0][0]


def _outputs(b: stacked.Batch, rollouts: int) -> tuple[np.ndarray, np.ndarray]:
    """(cost, reasons), (rollouts, P, W) each: one block each for all pairs."""
    shape = (rollouts, b.plants, b.width)
    return np.empty(shape), np.empty(shape, dtype=np.uint8)


def _results(
    b: stacked.Batch,
    cals: Sequence[CalendarArrays],
    specs: Sequence[RolloutSpec],
    cost: np.ndarray,
    reasons: np.ndarray,
) -> list[list[Scores]]:
    out: list[list[Scores]] = [[] for _ in cals]
    lengths = b.lengths.tolist()
    padded = any(length != b.width for length in lengths)
    for spec, plant_costs, flags in zip(specs, cost, reasons, strict=True):
        rows = zip(out, cals, lengths, plant_costs, flags, strict=True)
        for row, cal, n, c, r in rows:
            if padded:
                c, r = c[:n], r[:n]
            row.append(Scores(cal.start, spec, c, r, cal))
    return out


_T = TypeVar("_T")


def _cached(cal: CalendarArrays, name: str, build: Callable[[], _T]) -> _T:
    """A value derived from `cal`, built once and kept on it."""
    value = cal.__dict__.get(name)
    if value is None:
        value = build()
        object.__setattr__(cal, name, value)
    return value


def _plant_batch(cal: CalendarArrays) -> stacked.Batch:
    return _cached(cal, "_batch", lambda: stacked.stack([cal], stacked.fresh))


def _working_days(cal: CalendarArrays) -> tuple[np.ndarray, np.ndarray]:
    """(days, before): the working days then -1, and the number of working days
    before each day 0..n."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        days = np.append(np.flatnonzero(cal.is_working), -1)
        before = np.zeros(cal.n + 1, dtype=np.intp)
        np.cumsum(cal.is_working, out=before[1:])
        return days, before

    return _cached(cal, "_working_days", build)


def _padded(cal: CalendarArrays) -> tuple[np.ndarray, np.ndarray]:
    """(days, before) for gathers without clipping: days = n times -1, the
    working days, then n + 1 times -1; before = n zeros, then the working days
    before each day 0..n (so before[n + d] counts those before day d)."""

    def build() -> tuple[np.ndarray, np.ndarray]:
        days, before = _working_days(cal)
        gap = np.full(cal.n, -1, dtype=np.intp)
        padded = np.concatenate([gap, days[:-1], gap, [-1]])
        return padded, np.concatenate([np.zeros(cal.n, dtype=np.intp), before])

    return _cached(cal, "_padded", build)


def _training(cal: CalendarArrays, T: int, C: int, *, last: bool) -> np.ndarray:
    """The first (last) day of the training of each go-live day, -1 where it
    does not fit: the T working days before the cutover's first day (G
    without cutover)."""
    n = cal.n
    days, before = _working_days(cal)
    workdays = len(days) - 1
    anchor = np.arange(-C + 1, n - C + 1) if C else np.arange(n)
    k = before[np.clip(anchor, 0, n)]  # working days before the anchor
    # By k: working day k - T (k - 1), or -1 where k < T.
    days = days[T - 1 : workdays] if last else days[: max(workdays + 1 - T, 0)]
    return np.concatenate([np.full(T, -1), days])[k]


def _hypercare(cal: CalendarArrays, H: int, *, first: bool) -> np.ndarray:
    """The first (last) day of the hypercare of each go-live day, -1 where it
    does not fit: the H working days from the first working day >= G."""
    days, before = _working_days(cal)
    workdays = len(days) - 1
    # By j, the rank of the first working day >= G: working day j (j + H - 1),
    # or -1 where j + H > workdays.
    days = days[: max(workdays + 1 - H, 0)] if first else days[H - 1 : workdays]
    return np.concatenate([days, np.full(H, -1)])[before[:-1]]


def _phase_bounds(
    cal: CalendarArrays, spec: RolloutSpec
) -> tuple[np.ndarray, np.ndarray]:
    """(phase_start, phase_end) of `Scores`."""
    n = cal.n
    T, C, H = spec.phase_lengths
    start = np.full((len(PHASES), n), -1, dtype=np.int32)
    end = np.full((len(PHASES), n), -1, dtype=np.int32)
    if C and C <= n:
        start[_CUTOVER, C - 1 :] = np.arange(n - C + 1)
        end[_CUTOVER, C - 1 :] = np.arange(C - 1, n)
    if T:
        start[_TRAINING] = _training(cal, T, C, last=False)
        end[_TRAINING] = _training(cal, T, C, last=True)
    if H:
        start[_HYPERCARE] = _hypercare(cal, H, first=True)
        end[_HYPERCARE] = _hypercare(cal, H, first=False)
    return start.T, end.T


# --- one candidate ------------------------------------------------------------


def phase_spans(
    cal: CalendarArrays, spec: RolloutSpec, g: int
) -> dict[str, tuple[int, int] | None]:
    """Each phase's [first, last] day index for go-live g, None when the phase
    is empty or does not fit the horizon."""
    if not 0 <= g < cal.n:
        raise IndexError(f"go-live index {g} is outside the horizon 0..{cal.n - 1}")
    workdays = np.flatnonzero(cal.is_working)
    T, C, H = spec.training_days, spec.cutover_days, spec.hypercare_days
    anchor = g - C + 1 if C else g
    spans: dict[str, tuple[int, int] | None] = dict.fromkeys(PHASES)
    if C and anchor >= 0:
        spans["cutover"] = (anchor, g)
    k = int(np.searchsorted(workdays, anchor)) if anchor >= 0 else 0
    if T and k >= T:
        spans["training"] = (int(workdays[k - T]), int(workdays[k - 1]))
    j = int(np.searchsorted(workdays, g))
    if H and j + H <= len(workdays):
        spans["hypercare"] = (int(workdays[j]), int(workdays[j + H - 1]))
    return spans
