"""Offpeak's scoring engine: how much would a go-live on each day disturb production?

Pure numpy, no Django import. A plant's calendar comes in as day-indexed arrays
over the horizon (`CalendarArrays`, index 0 = `start`), a rollout as phase
lengths and weights (`RolloutSpec`); `score_horizon` scores every day of the
horizon as the go-live day G at once, from prefix sums.

Scoring rules
-------------
Factors, one value per day:
  load       planned utilisation (load / capacity), 0 on non-working days, may
             exceed 1;
  peak, milestone, blackout
             the SUM of the values of the causes covering the day, so
             overlapping seasons (or two milestone buffers) add up;
  absence    1.0 on holidays and closures (staff away). Causes of factor
             "absence" only name these days in explanations.
Phases of the go-live on day G:
  cutover    the `cutover_days` calendar days ending on G, all counted;
  training   the `training_days` working days just before the cutover starts
             (just before G when there is no cutover);
  hypercare  the `hypercare_days` working days from the first working day >= G.
Every phase has a calendar span [first day, last day]. Training and hypercare
count load, peak, milestone and blackout on their working days only but absence
on every day of their span: a hypercare stretched over a shutdown has nobody to
support, while a cutover over a closure weekend is cheap (load 0 there). A
zero-length phase has no span (-1 in the arrays, None in `phase_spans`), no cost.

cost(G) = sum over phases p and factors f of weight[p][f] * (sum of f over the
days p counts).

Quietness = 100 * (1 - cost / ceiling), clipped to [0, 100]; 100 = no
disturbance. The ceiling is the rollout's cost if every factor were 1.0 (load
1.0 = full capacity) on every counted day of phases spanning exactly their
lengths: it depends on the rollout only, not on the plant or the date, so
quietness is an absolute scale, comparable across plants, and ranks dates
exactly like cost. Overlapping causes, overload or a span stretched over
holidays can exceed the ceiling: quietness 0.

Feasibility is a set of `Reason` flags (0 = feasible). An infeasible candidate
keeps its finite cost, so a forbidden date can still be explained, except when
a phase does not fit in the horizon (PHASE_OUTSIDE_HORIZON): then its cost,
score and `by_phase_factor` row are nan. Infeasible days are never recommended.
"""

from __future__ import annotations

import datetime
import enum
import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np

FACTORS = ("load", "peak", "milestone", "blackout", "absence")
PHASES = ("training", "cutover", "hypercare")
_ABSENCE = FACTORS.index("absence")
_TRAINING, _CUTOVER, _HYPERCARE = range(3)


@dataclass(frozen=True)
class Cause:
    """A named interval [start, end] (day indices, inclusive) that adds `value`
    per day to one factor; `hard` forbids cutover and hypercare on its days.
    Indices outside the horizon are clipped when scoring."""

    kind: str
    name: str
    factor: str
    start: int
    end: int
    value: float
    hard: bool = False

    def __post_init__(self) -> None:
        if self.factor not in FACTORS[1:]:
            raise ValueError(
                f"Cause {self.name!r}: factor must be one of {FACTORS[1:]}, "
                f"not {self.factor!r}"
            )
        if self.end < self.start:
            raise ValueError(
                f"Cause {self.name!r}: end ({self.end}) is before start ({self.start})"
            )
        if not (math.isfinite(self.value) and self.value >= 0):
            raise ValueError(
                f"Cause {self.name!r}: value must be a finite number >= 0, "
                f"not {self.value!r}"
            )


@dataclass(frozen=True, eq=False)
class CalendarArrays:
    """One plant's horizon as day-indexed arrays; index 0 is `start`.

    The arrays are coerced to bool/float64 and must not be mutated afterwards
    (the engine keeps sums derived from them). Equality is identity.
    """

    start: datetime.date
    is_working: np.ndarray
    load: np.ndarray
    absence: np.ndarray
    causes: tuple[Cause, ...]
    load_name: str = "production load"
    # Columns: factor index, start, end + 1, value, hard. Converted once here
    # so that batch scoring never walks Cause objects.
    _cause_table: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        arrays = {
            "is_working": np.asarray(self.is_working, dtype=bool),
            "load": np.asarray(self.load, dtype=np.float64),
            "absence": np.asarray(self.absence, dtype=np.float64),
        }
        n = len(arrays["is_working"])
        for name, array in arrays.items():
            if array.shape != (n,):
                raise ValueError(f"{name}: expected shape ({n},), got {array.shape}")
            if name != "is_working" and not (np.isfinite(array) & (array >= 0)).all():
                raise ValueError(f"{name}: values must be finite and >= 0")
            object.__setattr__(self, name, array)
        object.__setattr__(self, "causes", tuple(self.causes))
        table = np.array(
            [
                (FACTORS.index(c.factor), c.start, c.end + 1, c.value, c.hard)
                for c in self.causes
            ],
            dtype=np.float64,
        ).reshape(-1, 5)
        object.__setattr__(self, "_cause_table", table)

    @property
    def n(self) -> int:
        return len(self.is_working)

    def date(self, i: int) -> datetime.date:
        return self.start + datetime.timedelta(days=int(i))


@dataclass(frozen=True, eq=False)
class Profile:
    """How much each phase minds each factor: weights[phase][factor] >= 0.

    Missing phases or factors weigh 0; unknown names raise ValueError. `weights`
    is stored as a full copy (plain dicts, JSON-friendly); `matrix` is the same
    as a read-only (3, 5) array in PHASES x FACTORS order, the one scoring uses.
    """

    weights: Mapping[str, Mapping[str, float]]
    matrix: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        matrix = np.zeros((len(PHASES), len(FACTORS)))
        for phase, row in self.weights.items():
            if phase not in PHASES:
                raise ValueError(f"weights: unknown phase {phase!r}")
            for factor, weight in row.items():
                if factor not in FACTORS:
                    raise ValueError(f"weights[{phase!r}]: unknown factor {factor!r}")
                value = float(weight)
                if not (math.isfinite(value) and value >= 0):
                    raise ValueError(
                        f"weights[{phase!r}][{factor!r}] must be a finite "
                        f"number >= 0, not {weight!r}"
                    )
                matrix[PHASES.index(phase), FACTORS.index(factor)] = value
        matrix.flags.writeable = False
        weights = {
            p: dict(zip(FACTORS, map(float, row), strict=True))
            for p, row in zip(PHASES, matrix, strict=True)
        }
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "matrix", matrix)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return bool((self.matrix == other.matrix).all())

    def __hash__(self) -> int:
        return hash(self.matrix.tobytes())


# Cutover minds load most (it competes with production for people and systems);
# hypercare minds peaks and milestones (a fragile new system meets the busiest
# days); training needs staff present. Absence is free at cutover (nobody works).
DEFAULT_PROFILE = Profile(
    {
        "training": {
            "load": 0.5, "peak": 2, "milestone": 1, "blackout": 0.5, "absence": 1,
        },
        "cutover": {"load": 3, "peak": 1, "milestone": 2, "blackout": 2, "absence": 0},
        "hypercare": {
            "load": 1, "peak": 3, "milestone": 3, "blackout": 1.5, "absence": 2,
        },
    }
)  # fmt: skip


@dataclass(frozen=True)
class RolloutSpec:
    """Phase lengths (see the module docstring) and the allowed go-live dates
    (inclusive bounds on G itself; None = unbounded)."""

    training_days: int
    cutover_days: int
    hypercare_days: int
    earliest: datetime.date | None = None
    latest: datetime.date | None = None
    profile: Profile = DEFAULT_PROFILE

    def __post_init__(self) -> None:
        for name in ("training_days", "cutover_days", "hypercare_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise ValueError(f"{name} must be an integer, not {value!r}")
            if value < 0:
                raise ValueError(f"{name} must be >= 0, not {value}")
        for name in ("earliest", "latest"):
            value = getattr(self, name)
            # A datetime is a date too, but comparing it with dates fails later.
            if value is not None and type(value) is not datetime.date:
                raise ValueError(f"{name} must be a datetime.date, not {value!r}")

    @property
    def phase_lengths(self) -> tuple[int, int, int]:
        """(training_days, cutover_days, hypercare_days), in PHASES order."""
        return (self.training_days, self.cutover_days, self.hypercare_days)

    @property
    def ceiling(self) -> float:
        """Cost if every factor were 1.0 on every counted day, each phase spanning
        exactly its length: the quietness scale, one number per rollout."""
        return float(np.dot(self.phase_lengths, self.profile.matrix.sum(axis=1)))


class Reason(enum.IntFlag):
    """Why a go-live day is infeasible; 0 means feasible."""

    BEFORE_EARLIEST = 1
    AFTER_LATEST = 2
    PHASE_OUTSIDE_HORIZON = 4  # not enough working days before/after in horizon
    HARD_CONFLICT_CUTOVER = 8
    HARD_CONFLICT_HYPERCARE = 16  # hypercare's calendar span touches a hard day


_REASON_TEXT = {
    Reason.BEFORE_EARLIEST: "go-live is before the earliest allowed date",
    Reason.AFTER_LATEST: "go-live is after the latest allowed date",
    Reason.PHASE_OUTSIDE_HORIZON: "the phases do not fit in the planning horizon",
    Reason.HARD_CONFLICT_CUTOVER: "cutover falls on a day a hard milestone or "
    "blackout forbids",
    Reason.HARD_CONFLICT_HYPERCARE: "hypercare falls on a day a hard milestone or "
    "blackout forbids",
}


def reason_labels(flags: int) -> list[str]:
    """Readable English sentences for a candidate's reason flags ([] = feasible)."""
    return [text for reason, text in _REASON_TEXT.items() if int(flags) & reason]


def reason_codes(flags: int) -> list[str]:
    """Machine-readable names of the flags, e.g. ["HARD_CONFLICT_CUTOVER"]."""
    return [str(reason.name) for reason in Reason if int(flags) & reason]


@dataclass(eq=False)
class Scores:
    """Every day of the horizon scored as go-live day G (arrays over G).

    cost: float (n,), nan where a phase does not fit the horizon.
    score: quietness 100 * (1 - cost / spec.ceiling), clipped to [0, 100]: an
      absolute scale, comparable across plants and dates, 100 = no disturbance
      (100 everywhere when the ceiling is 0), ranked exactly like cost.
    feasible: bool (n,), reasons == 0. reasons: uint8 `Reason` flags (n,).
    phase_start, phase_end: int32 (n, 3) day indices in PHASES order, -1 where
      the phase is empty or does not fit the horizon.
    window_start, window_end: (n,) the whole window (training start ..
      hypercare end, always containing G), -1 where a phase does not fit.
    by_phase_factor: (n, 3, 5) costs per phase and factor, rows summing to cost.
    The last three are computed on first access.
    """

    start: datetime.date
    spec: RolloutSpec
    cost: np.ndarray
    score: np.ndarray
    feasible: np.ndarray
    reasons: np.ndarray
    phase_start: np.ndarray
    phase_end: np.ndarray
    _values: np.ndarray = field(repr=False)  # (5, n) factor values per day
    _work: np.ndarray = field(repr=False)  # (n,) working days

    def __len__(self) -> int:
        return len(self.cost)

    def date(self, i: int) -> datetime.date:
        return self.start + datetime.timedelta(days=int(i))

    @cached_property
    def window_start(self) -> np.ndarray:
        for phase in (_TRAINING, _CUTOVER, _HYPERCARE):
            if self.spec.phase_lengths[phase]:
                first = self.phase_start[:, phase]
                return np.where(np.isnan(self.cost), -1, np.minimum(first, self._g))
        return np.where(np.isnan(self.cost), -1, self._g)

    @cached_property
    def window_end(self) -> np.ndarray:
        last = self.phase_end[:, _HYPERCARE] if self.spec.hypercare_days else -1
        return np.where(np.isnan(self.cost), -1, np.maximum(last, self._g))

    @cached_property
    def by_phase_factor(self) -> np.ndarray:
        calendar = np.zeros((len(FACTORS), len(self) + 1))
        np.cumsum(self._values, axis=1, out=calendar[:, 1:])
        span = calendar.copy()  # training and hypercare: working days, but
        np.cumsum(self._values[:_ABSENCE] * self._work, axis=1, out=span[:_ABSENCE, 1:])
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

    @property
    def _g(self) -> np.ndarray:
        return np.arange(len(self))


# --- the vectorised engine ------------------------------------------------
#
# Plants are stacked into (P, n) arrays, padded to the longest horizon with
# non-working, cost-free days that no candidate's phases can reach. Training and
# hypercare are runs of consecutive working days, so they are computed in
# working-day space: rank r is a plant's r-th working day, a run of L working
# days is the slice [r, r + L) of ranks, and its cost is a difference of prefix
# sums over ranks. Each candidate then looks up the run it uses: hypercare the
# one starting at the first working day >= G, training the one ending just
# before the cutover. Ranks past a plant's last working day hold nan sums, so a
# run leaving the horizon costs nan and PHASE_OUTSIDE_HORIZON falls out of the
# arithmetic. Cutover sums its weighted daily cost over calendar days.


@dataclass(frozen=True)
class _Batch:
    starts: np.ndarray  # (P,) datetime64[D]
    values: np.ndarray  # (5, P, n) factor values per day
    work: np.ndarray  # (P, n) working days
    hard_prefix: np.ndarray  # (P, n+1) hard days before day d
    # Rank space, flattened to P rows of R = (most working days + 1) ranks; the
    # last rank of a row is spare: past every plant's last working day.
    rank_of: np.ndarray  # (P, n+1) flat index of the first working day >= d
    offset: np.ndarray  # (P, 1) flat index of each row's rank 0
    rank_day: np.ndarray  # (P*R,) day of each rank, -1 past the last one
    next_day: np.ndarray  # (P, n) first working day >= d, -1 if none
    prev_day: np.ndarray  # (P, n+1) last working day < d, -1 if none
    rank_prefix: np.ndarray  # (4, P*R) load/peak/milestone/blackout summed
    # over the working days of lower ranks
    absence_before: np.ndarray  # (P*R,) absence on days before rank r's day,
    absence_through: np.ndarray  # ... and through it; nan past the last rank
    hard_before: np.ndarray  # (P*R,) the same for hard days
    hard_through: np.ndarray


def _batch(cals: Sequence[CalendarArrays]) -> _Batch:
    plants = len(cals)
    lengths = np.fromiter((c.n for c in cals), dtype=np.intp, count=plants)
    n = int(lengths.max(initial=0))
    work = np.zeros((plants, n), dtype=bool)
    values = np.zeros((len(FACTORS), plants, n))
    if (lengths == n).all():
        np.concatenate([c.is_working for c in cals], out=work.reshape(-1))
        np.concatenate([c.load for c in cals], out=values[0].reshape(-1))
        np.concatenate([c.absence for c in cals], out=values[_ABSENCE].reshape(-1))
    else:
        for i, c in enumerate(cals):
            work[i, : c.n] = c.is_working
            values[0, i, : c.n] = c.load
            values[_ABSENCE, i, : c.n] = c.absence

    # Causes: difference arrays for all plants at once, then cumsum. Values add
    # up where causes overlap.
    tables = [c._cause_table for c in cals]
    counts = np.fromiter(map(len, tables), dtype=np.intp, count=plants)
    table = np.concatenate(tables) if plants else np.zeros((0, 5))
    plant = np.repeat(np.arange(plants), counts)
    lo = np.clip(table[:, 1], 0, lengths[plant]).astype(np.intp)
    hi = np.clip(table[:, 2], 0, lengths[plant]).astype(np.intp)
    factor = table[:, 0].astype(np.intp)
    live = lo < hi
    adds = live & (factor != _ABSENCE)  # absence causes only name the days
    row = ((factor[adds] - 1) * plants + plant[adds]) * (n + 1)
    size = 3 * plants * (n + 1)
    diff = np.bincount(row + lo[adds], table[adds, 3], size)
    diff -= np.bincount(row + hi[adds], table[adds, 3], size)
    np.cumsum(diff.reshape(3, plants, n + 1)[:, :, :n], axis=2, out=values[1:4])
    hard = live & (table[:, 4] > 0)
    row = plant[hard] * (n + 1)
    hard_diff = np.bincount(row + lo[hard], minlength=plants * (n + 1))
    hard_diff -= np.bincount(row + hi[hard], minlength=plants * (n + 1))
    hard_day = hard_diff.reshape(plants, n + 1)[:, :n].cumsum(axis=1, dtype=np.int32)
    hard_prefix = np.zeros((plants, n + 1), dtype=np.int32)
    np.cumsum(hard_day > 0, axis=1, dtype=np.int32, out=hard_prefix[:, 1:])
    absence_prefix = np.zeros((plants, n + 1))
    np.cumsum(values[_ABSENCE], axis=1, out=absence_prefix[:, 1:])

    # Rank space.
    before = np.zeros((plants, n + 1), dtype=np.int32)  # working days before d
    np.cumsum(work, axis=1, dtype=np.int32, out=before[:, 1:])
    n_work = before[:, n]
    stride = int(n_work.max(initial=0)) + 1
    offset = np.arange(plants)[:, None] * stride
    rank_of = before + offset
    position = np.flatnonzero(work)  # plant * n + day of each working day
    plant = np.repeat(np.arange(plants), n_work)
    at = rank_of[:, :-1].ravel()[position]  # flat rank of each working day
    rank_day = np.full(plants * stride, -1, dtype=np.int32)
    rank_day[at] = position - plant * n
    rank_prefix = np.zeros((4, plants * stride))
    for f, prefix in enumerate(rank_prefix):
        prefix[at + 1] = values[f].ravel()[position]  # then cumsum: lower ranks
    np.cumsum(
        rank_prefix.reshape(4, plants, stride),
        axis=2,
        out=rank_prefix.reshape(4, plants, stride),
    )
    at_rank = []
    for prefix in (absence_prefix, hard_prefix):
        for shift in (0, 1):  # days before / through the day of rank r
            column = np.full(plants * stride, np.nan)
            column[at] = prefix.ravel()[position + plant + shift]
            at_rank.append(column)
    spare = offset + stride - 1
    return _Batch(
        starts=np.array([c.start for c in cals], dtype="datetime64[D]"),
        values=values,
        work=work,
        hard_prefix=hard_prefix,
        rank_of=rank_of,
        offset=offset,
        rank_day=rank_day,
        next_day=rank_day[rank_of[:, :n]],
        prev_day=rank_day[np.where(before > 0, rank_of - 1, spare)],
        rank_prefix=rank_prefix,
        absence_before=at_rank[0],
        absence_through=at_rank[1],
        hard_before=at_rank[2],
        hard_through=at_rank[3],
    )


def _runs(
    b: _Batch, weights: np.ndarray, length: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the run of `length` working days from each flat rank: its cost
    (working-day factors plus absence over its calendar span), its last day and
    whether a hard day falls in its span; nan, -1 and False where the run would
    pass the plant's last working day (the padding propagates)."""
    plants, stride = b.offset.shape[0], b.rank_day.size // b.offset.shape[0]
    cost = np.full((plants, stride), np.nan)
    last = np.full((plants, stride), -1, dtype=np.int32)
    hard = np.zeros((plants, stride), dtype=bool)
    runs = stride - length
    if runs > 0:
        prefix = (weights[:_ABSENCE] @ b.rank_prefix).reshape(plants, stride)
        absence_through = b.absence_through.reshape(plants, stride)[:, length - 1 : -1]
        absence_before = b.absence_before.reshape(plants, stride)[:, :runs]
        cost[:, :runs] = prefix[:, length:] - prefix[:, :runs]
        cost[:, :runs] += weights[_ABSENCE] * (absence_through - absence_before)
        last[:, :runs] = b.rank_day.reshape(plants, stride)[:, length - 1 : -1]
        hard_through = b.hard_through.reshape(plants, stride)[:, length - 1 : -1]
        hard_before = b.hard_before.reshape(plants, stride)[:, :runs]
        np.greater(hard_through, hard_before, out=hard[:, :runs])  # nan: False
    return cost.ravel(), last.ravel(), hard.ravel()


def _window_sums(daily: np.ndarray, length: int) -> np.ndarray:
    """Sums of `length` consecutive days ending on each day >= length - 1."""
    if length <= 8:  # a few shifted adds beat a cumsum
        n = daily.shape[1]
        sums = daily[:, length - 1 :].copy()
        for shift in range(1, length):
            sums += daily[:, length - 1 - shift : n - shift]
        return sums
    prefix = np.zeros((daily.shape[0], daily.shape[1] + 1))
    np.cumsum(daily, axis=1, out=prefix[:, 1:])
    return prefix[:, length:] - prefix[:, :-length]


def _score_batch(b: _Batch, spec: RolloutSpec) -> list[np.ndarray]:
    """[cost, score, feasible, reasons, phase_start, phase_end] for all plants,
    shapes (P, n) and (P, 3, n)."""
    plants, n = b.work.shape
    stride = b.rank_day.size // plants
    T, C, H = spec.phase_lengths
    weights = spec.profile.matrix
    g = np.arange(n)
    cost = np.zeros((plants, n))
    start = np.full((plants, 3, n), -1, dtype=np.int32)
    end = np.full((plants, 3, n), -1, dtype=np.int32)
    hard_cutover = hard_hypercare = np.zeros((plants, n), dtype=bool)
    anchor = g - C + 1 if C else g  # cutover's first day; training ends before
    if C:
        cost[:, : C - 1] = np.nan  # the cutover would start before the horizon
        if C <= n:
            daily = weights[_CUTOVER] @ b.values.reshape(len(FACTORS), -1)
            cost[:, C - 1 :] = _window_sums(daily.reshape(plants, n), C)
            hard = b.hard_prefix
            hard_cutover = np.zeros((plants, n), dtype=bool)
            hard_cutover[:, C - 1 :] = hard[:, C:] > hard[:, : n + 1 - C]
            start[:, _CUTOVER, C - 1 :] = anchor[C - 1 :]
            end[:, _CUTOVER, C - 1 :] = g[C - 1 :]
    if T:
        clipped = np.clip(anchor, 0, n)
        rank = np.take(b.rank_of, clipped, axis=1) - T  # the run ending before it
        rank = np.where(rank >= b.offset, rank, b.offset + stride - 1)  # none: spare
        run_cost, _, _ = _runs(b, weights[_TRAINING], T)
        cost += np.take(run_cost, rank)
        first = np.take(b.rank_day, rank, out=start[:, _TRAINING])
        last = np.take(b.prev_day, clipped, axis=1)
        np.copyto(end[:, _TRAINING], last, where=first >= 0)
    if H:
        rank = b.rank_of[:, :n]  # the run from the first working day >= G
        run_cost, run_last, run_hard = _runs(b, weights[_HYPERCARE], H)
        cost += np.take(run_cost, rank)
        last = np.take(run_last, rank, out=end[:, _HYPERCARE])
        np.copyto(start[:, _HYPERCARE], b.next_day, where=last >= 0)
        hard_hypercare = np.take(run_hard, rank)
    outside = np.isnan(cost)
    flags = [
        (outside, Reason.PHASE_OUTSIDE_HORIZON),
        (hard_cutover, Reason.HARD_CONFLICT_CUTOVER),
        (hard_hypercare, Reason.HARD_CONFLICT_HYPERCARE),
    ]
    if spec.earliest is not None:
        first_day = (np.datetime64(spec.earliest, "D") - b.starts).astype(np.intp)
        flags.append((g < first_day[:, None], Reason.BEFORE_EARLIEST))
    if spec.latest is not None:
        last_day = (np.datetime64(spec.latest, "D") - b.starts).astype(np.intp)
        flags.append((g > last_day[:, None], Reason.AFTER_LATEST))
    reasons = np.zeros((plants, n), dtype=np.uint8)
    for mask, flag in flags:
        reasons |= mask.view(np.uint8) * np.uint8(flag)
    ceiling = spec.ceiling
    if ceiling > 0:
        score = np.clip(100.0 - cost * (100.0 / ceiling), 0.0, 100.0)
    else:
        score = np.where(outside, np.nan, 100.0)
    return [cost, score, reasons == 0, reasons, start, end]


def _scores(
    b: _Batch, cals: Sequence[CalendarArrays], specs: Sequence[RolloutSpec]
) -> list[list[Scores]]:
    n = b.work.shape[1]
    out: list[list[Scores]] = [[] for _ in cals]
    values = list(b.values.transpose(1, 0, 2))
    for spec in specs:
        cost, score, feasible, reasons, start, end = _score_batch(b, spec)
        rows = zip(
            cals, cost, score, feasible, reasons, start, end, values, b.work,
            strict=True,
        )  # fmt: skip
        for i, (cal, *arrays) in enumerate(rows):
            if cal.n != n:
                arrays = [a[..., : cal.n] for a in arrays]
            c, s, f, r, first, last, v, w = arrays
            out[i].append(Scores(cal.start, spec, c, s, f, r, first.T, last.T, v, w))
    return out


def score_many(
    cals: Sequence[CalendarArrays], specs: Sequence[RolloutSpec]
) -> list[list[Scores]]:
    """Score every rollout on every plant: result[i][j] equals
    score_horizon(cals[i], specs[j]) (within float rounding). Plants are stacked
    into 2-D arrays, so numpy's per-call overhead is paid once per rollout, not
    once per pair: use it to rebuild many plants at once."""
    if not cals:
        return []
    return _scores(_batch(cals), cals, specs)


def score_horizon(cal: CalendarArrays, spec: RolloutSpec) -> Scores:
    """Score every day of `cal` as go-live day G of `spec`, following the rules
    in the module docstring: prefix sums over calendar days and over working
    days, O(days x factors), no Python loop over dates. See `Scores`.

    The calendar's prefix sums are built on the first call and kept on `cal`
    (it is immutable), so scoring a plant's other rollouts reuses them."""
    b = cal.__dict__.get("_batch")
    if b is None:
        b = _batch([cal])
        object.__setattr__(cal, "_batch", b)
    return _scores(b, [cal], [spec])[0][0]


# --- one candidate: spans, explanation, conflicts ---------------------------


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


@dataclass(frozen=True)
class Contribution:
    """Part of a candidate's cost: one phase, factor and named cause."""

    phase: str
    factor: str
    kind: str
    name: str
    days: int  # counted days on which it added cost
    cost: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(cal: CalendarArrays, spec: RolloutSpec, g: int) -> list[Contribution]:
    """Why go-live g costs what it costs, largest contribution first.

    Contributions are keyed by (phase, factor, cause kind, cause name); causes
    sharing kind and name (a season recurring yearly) are merged. Load is named
    `cal.load_name`; an absence day goes to the first absence cause covering it,
    else to "non-working day". Zero-cost parts are left out. They sum to
    score_horizon's cost[g] within float tolerance; if a phase does not fit the
    horizon (cost nan), only the phases that fit are explained.
    """
    weights = spec.profile.matrix
    owner = np.full(cal.n, -1)
    absence_causes = [c for c in cal.causes if c.factor == "absence"]
    for i in reversed(range(len(absence_causes))):
        c = absence_causes[i]
        owner[max(c.start, 0) : max(c.end + 1, 0)] = i
    totals: dict[tuple[str, str, str, str], list[float]] = {}

    def add(key: tuple[str, str, str, str], days: int, cost: float) -> None:
        if cost > 0:
            total = totals.setdefault(key, [0, 0.0])
            total[0] += days
            total[1] += cost

    for p, (phase, span) in enumerate(phase_spans(cal, spec, g).items()):
        if span is None:
            continue
        s, e = span
        counted = (
            np.ones(e - s + 1, bool) if p == _CUTOVER else cal.is_working[s : e + 1]
        )
        w = weights[p]
        load = cal.load[s : e + 1] * counted
        add(
            (phase, "load", "load", cal.load_name),
            np.count_nonzero(load),
            w[0] * load.sum(),
        )
        for c in cal.causes:
            f = FACTORS.index(c.factor)
            lo, hi = max(s, c.start), min(e, c.end)
            if f != _ABSENCE and lo <= hi:
                days = int(np.count_nonzero(counted[lo - s : hi - s + 1]))
                add((phase, c.factor, c.kind, c.name), days, w[f] * c.value * days)
        absence, who = cal.absence[s : e + 1], owner[s : e + 1]
        for i in np.unique(who[absence > 0]):
            c = absence_causes[i] if i >= 0 else None
            key = (
                (phase, "absence", c.kind, c.name)
                if c
                else (phase, "absence", "non-working", "non-working day")
            )
            days_absent = absence[who == i]
            add(key, np.count_nonzero(days_absent), w[_ABSENCE] * days_absent.sum())
    out = [
        Contribution(*key, int(days), float(cost))
        for key, (days, cost) in totals.items()
    ]
    out.sort(key=lambda c: (-c.cost, PHASES.index(c.phase), FACTORS.index(c.factor)))
    return out


@dataclass(frozen=True)
class Conflict:
    """A phase span of one candidate overlapping a season, milestone, blackout
    or closure; `blocking` = hard and in cutover or hypercare (infeasible)."""

    kind: str
    name: str
    phase: str
    start: datetime.date  # first overlapping day
    end: datetime.date  # last overlapping day
    hard: bool
    blocking: bool
    factor: str
    value: float

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def conflicts(cal: CalendarArrays, spec: RolloutSpec, g: int) -> list[Conflict]:
    """Every overlap of a phase's calendar span with a season, milestone or
    blackout cause, or with a closure (holidays are not conflicts), in date
    order. A hard one in cutover or hypercare is what makes g infeasible."""
    out = []
    for phase, span in phase_spans(cal, spec, g).items():
        if span is None:
            continue
        for c in cal.causes:
            lo, hi = max(span[0], c.start), min(span[1], c.end)
            if lo > hi or (c.factor == "absence" and c.kind != "closure"):
                continue
            out.append(
                Conflict(
                    kind=c.kind, name=c.name, phase=phase,
                    start=cal.date(lo), end=cal.date(hi),
                    hard=c.hard, blocking=c.hard and phase != "training",
                    factor=c.factor, value=c.value,
                )
            )  # fmt: skip
    out.sort(key=lambda c: (c.start, PHASES.index(c.phase), c.name))
    return out


# --- choosing among candidates --------------------------------------------

_TIE = 1e-9  # relative difference below which two costs are equal (prefix-sum noise)


def best_windows(scores: Scores, n: int = 10) -> list[int]:
    """Up to n cheapest feasible go-live indices whose whole windows (training
    start .. hypercare end) do not overlap one another, sorted by cost: greedy,
    cheapest first, ties (costs within 1e-9 relative) to the earlier date; each
    pick masks every candidate whose window overlaps it."""
    cost = np.where(scores.feasible, scores.cost, np.inf)
    first, last = scores.window_start, scores.window_end
    picked: list[int] = []
    while len(picked) < n and len(cost):
        cheapest = cost.min()
        if not np.isfinite(cheapest):
            break
        # Costs within rounding noise of each other tie: the earlier date wins.
        i = int(np.argmax(cost <= cheapest + _TIE * max(1.0, cheapest)))
        picked.append(i)
        cost[(first <= last[i]) & (last >= first[i])] = np.inf
    return picked


def percentile(scores: Scores, g: int) -> float:
    """Share (0-100) of the other feasible candidates that cost more than g:
    100 = nothing feasible is cheaper. nan if g has no cost (phases outside the
    horizon) or nothing else is feasible to compare with (100 if g is)."""
    cost = scores.cost[g]
    if np.isnan(cost):
        return math.nan
    others = scores.feasible.copy()
    others[g] = False
    total = int(others.sum())
    if total == 0:
        return 100.0 if scores.feasible[g] else math.nan
    costlier = others & (scores.cost > cost + _TIE * max(1.0, cost))
    return 100.0 * int(costlier.sum()) / total


def nearest_alternatives(
    scores: Scores, g: int, k: int = 3, pool: int = 50
) -> list[int]:
    """The k best windows (from best_windows(scores, pool)) closest in time to
    g, excluding g itself, nearest first (ties: cheaper, then earlier)."""
    windows = [w for w in best_windows(scores, pool) if w != g]
    windows.sort(key=lambda w: (abs(w - g), scores.cost[w], w))
    return windows[:k]


class Fallback(NamedTuple):
    """A contingency go-live: its index and why it was chosen, in English."""

    index: int
    statement: str


def fallback_window(
    cal: CalendarArrays, spec: RolloutSpec, scores: Scores, g: int
) -> Fallback | None:
    """Contingency for go-live g: if it is abandoned during cutover or
    hypercare, the earliest feasible go-live whose whole window starts after g's
    window ends and ends before the next peak season or hard cause starting
    after g (or the horizon's end). Returns (index, plain-English statement),
    None if there is none."""
    spans = [e for e in scores.phase_end[g] if e >= 0]
    after = max([g, *spans])
    blockers = [c for c in cal.causes if c.start > g and (c.kind == "season" or c.hard)]
    deadline = min(blockers, key=lambda c: c.start, default=None)
    limit = deadline.start if deadline else cal.n
    ok = scores.feasible & (scores.window_start > after) & (scores.window_end < limit)
    if not ok.any():
        return None
    h = int(np.argmax(ok))
    window = f"{cal.date(scores.window_start[h])} to {cal.date(scores.window_end[h])}"
    until = (
        f"ends before {deadline.name} starts on {cal.date(deadline.start)}"
        if deadline
        else "is the first feasible one after it"
    )
    return Fallback(
        h,
        f"If the go-live on {cal.date(g)} is abandoned, fall back to the old system "
        f"and go live again on {cal.date(h)} (window {window}, quietness "
        f"{scores.score[h]:.0f}/100): it starts after the abandoned window ends "
        f"on {cal.date(after)} and {until}.",
    )
