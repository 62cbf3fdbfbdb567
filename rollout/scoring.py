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
from types import MappingProxyType
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


@dataclass(frozen=True)
class CalendarArrays:
    """One plant's horizon as day-indexed arrays; index 0 is `start`.

    The arrays are coerced to bool/float64 and must not be mutated afterwards.
    """

    start: datetime.date
    is_working: np.ndarray
    load: np.ndarray
    absence: np.ndarray
    causes: tuple[Cause, ...]
    load_name: str = "production load"

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
        # Columns: factor index, start, end + 1, value, hard. Converted once here
        # so that batch scoring never walks Cause objects.
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
    Missing phases or factors weigh 0; unknown names raise ValueError."""

    weights: Mapping[str, Mapping[str, float]]

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
        frozen = {
            p: MappingProxyType(dict(zip(FACTORS, map(float, row), strict=True)))
            for p, row in zip(PHASES, matrix, strict=True)
        }
        object.__setattr__(self, "weights", MappingProxyType(frozen))
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
    def ceiling(self) -> float:
        """Cost if every factor were 1.0 on every counted day, each phase spanning
        exactly its length: the quietness scale, one number per rollout."""
        days = (self.training_days, self.cutover_days, self.hypercare_days)
        return float(np.dot(days, self.profile.matrix.sum(axis=1)))


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
    phase_start, phase_end: int64 (n, 3) spans in PHASES order, -1 where the
      phase is empty or does not fit the horizon.
    window_start, window_end: int64 (n,), the whole window (training start ..
      hypercare end; always contains G), -1 where a phase does not fit.
    by_phase_factor: (n, 3, 5) costs per phase and factor; computed on first
      access, rows sum to cost.
    """

    start: datetime.date
    spec: RolloutSpec
    cost: np.ndarray
    score: np.ndarray
    feasible: np.ndarray
    reasons: np.ndarray
    phase_start: np.ndarray
    phase_end: np.ndarray
    window_start: np.ndarray
    window_end: np.ndarray
    _prefix: tuple[np.ndarray, np.ndarray] = field(repr=False)

    def __len__(self) -> int:
        return len(self.cost)

    def date(self, i: int) -> datetime.date:
        return self.start + datetime.timedelta(days=int(i))

    @cached_property
    def by_phase_factor(self) -> np.ndarray:
        weights = self.spec.profile.matrix
        out = np.zeros((len(self), len(PHASES), len(FACTORS)))
        for p in range(len(PHASES)):
            first, last = self.phase_start[:, p], self.phase_end[:, p]
            present = first >= 0
            span, calendar = self._prefix
            prefix = calendar if p == _CUTOVER else span
            sums = (
                prefix[:, np.where(present, last + 1, 0)] - prefix[:, first * present]
            )
            out[:, p, :] = sums.T * weights[p]
        out[np.isnan(self.cost)] = np.nan
        return out


# --- the vectorised engine ------------------------------------------------


@dataclass(frozen=True)
class _Batch:
    """Plants stacked into 2-D arrays, padded to the longest horizon n with
    non-working, cost-free days (which no candidate's phase can reach)."""

    n: int
    lengths: np.ndarray  # (P,) each plant's own horizon
    starts: np.ndarray  # (P,) datetime64[D]
    prefix_calendar: np.ndarray  # (5, P, n+1): factor sums over calendar days
    prefix_span: np.ndarray  # (5, P, n+1): as above, but load/peak/milestone/
    # blackout only on working days (absence stays on every day)
    prefix_hard: np.ndarray  # (P, n+1): hard days before index d
    work_before: np.ndarray  # (P, n+1): working days before index d
    workdays: np.ndarray  # (P * (n+1),): k-th working day of each plant, padded


def _batch(cals: Sequence[CalendarArrays]) -> _Batch:
    plants = len(cals)
    lengths = np.fromiter((c.n for c in cals), dtype=np.intp, count=plants)
    n = int(lengths.max(initial=0))
    stride = n + 1
    work = np.zeros((plants, n), dtype=bool)
    values = np.zeros((len(FACTORS), plants, n))
    if (lengths == n).all():
        np.stack([c.is_working for c in cals], out=work)
        np.stack([c.load for c in cals], out=values[0])
        np.stack([c.absence for c in cals], out=values[_ABSENCE])
    else:
        for i, c in enumerate(cals):
            work[i, : c.n] = c.is_working
            values[0, i, : c.n] = c.load
            values[_ABSENCE, i, : c.n] = c.absence

    # Causes: difference arrays over all plants at once, then cumsum.
    tables = [c._cause_table for c in cals]  # type: ignore[attr-defined]
    counts = np.fromiter(map(len, tables), dtype=np.intp, count=plants)
    table = np.concatenate(tables) if plants else np.zeros((0, 5))
    plant = np.repeat(np.arange(plants), counts)
    limit = lengths[plant]
    lo = np.clip(table[:, 1], 0, limit).astype(np.intp)
    hi = np.clip(table[:, 2], 0, limit).astype(np.intp)
    factor = table[:, 0].astype(np.intp)
    live = lo < hi
    adds = live & (factor != _ABSENCE)
    rows = ((factor[adds] - 1) * plants + plant[adds]) * stride
    size = 3 * plants * stride
    diff = np.bincount(rows + lo[adds], table[adds, 3], size) - np.bincount(
        rows + hi[adds], table[adds, 3], size
    )
    np.cumsum(diff.reshape(3, plants, stride)[:, :, :n], axis=2, out=values[1:4])

    hard = live & (table[:, 4] > 0)
    rows = plant[hard] * stride
    hard_diff = np.bincount(rows + lo[hard], minlength=plants * stride) - np.bincount(
        rows + hi[hard], minlength=plants * stride
    )
    hard_day = np.cumsum(hard_diff.reshape(plants, stride)[:, :n], axis=1) > 0

    prefix_calendar = np.zeros((len(FACTORS), plants, stride))
    np.cumsum(values, axis=2, out=prefix_calendar[:, :, 1:])
    prefix_span = np.zeros_like(prefix_calendar)
    np.cumsum(values[:_ABSENCE] * work, axis=2, out=prefix_span[:_ABSENCE, :, 1:])
    prefix_span[_ABSENCE] = prefix_calendar[_ABSENCE]
    prefix_hard = np.zeros((plants, stride), dtype=np.intp)
    np.cumsum(hard_day, axis=1, out=prefix_hard[:, 1:])
    work_before = np.zeros((plants, stride), dtype=np.intp)
    np.cumsum(work, axis=1, out=work_before[:, 1:])
    workdays = np.full(plants * stride, max(n - 1, 0), dtype=np.intp)
    day_plant, day = np.nonzero(work)
    workdays[day_plant * stride + work_before[day_plant, day]] = day
    return _Batch(
        n=n,
        lengths=lengths,
        starts=np.array([c.start for c in cals], dtype="datetime64[D]"),
        prefix_calendar=prefix_calendar,
        prefix_span=prefix_span,
        prefix_hard=prefix_hard,
        work_before=work_before,
        workdays=workdays,
    )


def _score_batch(b: _Batch, spec: RolloutSpec) -> dict[str, np.ndarray]:
    """All candidates of all plants for one rollout, as (P, n) arrays."""
    plants, n = len(b.lengths), b.n
    stride = n + 1
    T, C, H = spec.training_days, spec.cutover_days, spec.hypercare_days
    weights = spec.profile.matrix
    g = np.arange(n)
    off = np.arange(plants)[:, None] * stride
    cost = np.zeros((plants, n))
    outside = np.zeros((plants, n), dtype=bool)
    hard_cutover = np.zeros((plants, n), dtype=bool)
    hard_hypercare = np.zeros((plants, n), dtype=bool)
    start = np.full((plants, n, 3), -1, dtype=np.int64)
    end = np.full((plants, n, 3), -1, dtype=np.int64)
    anchor = g - C + 1 if C else g  # first day of cutover (G when none)
    window_start = np.broadcast_to(np.maximum(anchor, 0), (plants, n))
    window_end = np.broadcast_to(g, (plants, n))

    if C:
        daily = weights[_CUTOVER] @ b.prefix_calendar.reshape(len(FACTORS), -1)
        daily = daily.reshape(plants, stride)
        outside[:, : C - 1] = True
        if C <= n:
            cost[:, C - 1 :] = daily[:, C:] - daily[:, : stride - C]
            hard_cutover[:, C - 1 :] = (
                b.prefix_hard[:, C:] > b.prefix_hard[:, : stride - C]
            )
        start[:, :, _CUTOVER] = np.where(anchor >= 0, anchor, -1)
        end[:, :, _CUTOVER] = np.where(anchor >= 0, g, -1)
    if T:
        span = weights[_TRAINING] @ b.prefix_span.reshape(len(FACTORS), -1)
        k = np.take(b.work_before, np.clip(anchor, 0, n), axis=1)
        fits = k >= T
        first = b.workdays[off + np.maximum(k - T, 0)]
        last = b.workdays[off + np.maximum(k - 1, 0)]
        cost += span[off + last + 1] - span[off + first]
        outside |= ~fits
        start[:, :, _TRAINING] = np.where(fits, first, -1)
        end[:, :, _TRAINING] = np.where(fits, last, -1)
        window_start = first
    if H:
        span = weights[_HYPERCARE] @ b.prefix_span.reshape(len(FACTORS), -1)
        j = b.work_before[:, :n]
        fits = j + H <= b.work_before[:, n:]
        first = b.workdays[off + j]
        last = b.workdays[off + np.minimum(j + H - 1, n)]
        cost += span[off + last + 1] - span[off + first]
        hard = b.prefix_hard.ravel()
        hard_hypercare = fits & (hard[off + last + 1] > hard[off + first])
        outside |= ~fits
        start[:, :, _HYPERCARE] = np.where(fits, first, -1)
        end[:, :, _HYPERCARE] = np.where(fits, last, -1)
        window_end = last

    before = np.zeros((plants, n), dtype=bool)
    after = np.zeros((plants, n), dtype=bool)
    if spec.earliest is not None:
        before = g < (np.datetime64(spec.earliest, "D") - b.starts)[:, None].astype(int)
    if spec.latest is not None:
        after = g > (np.datetime64(spec.latest, "D") - b.starts)[:, None].astype(int)
    reasons = (
        before.view(np.uint8) * np.uint8(Reason.BEFORE_EARLIEST)
        | after.view(np.uint8) * np.uint8(Reason.AFTER_LATEST)
        | outside.view(np.uint8) * np.uint8(Reason.PHASE_OUTSIDE_HORIZON)
        | hard_cutover.view(np.uint8) * np.uint8(Reason.HARD_CONFLICT_CUTOVER)
        | hard_hypercare.view(np.uint8) * np.uint8(Reason.HARD_CONFLICT_HYPERCARE)
    )
    np.copyto(cost, np.nan, where=outside)
    ceiling = spec.ceiling
    if ceiling > 0:
        score = np.clip(100.0 - cost * (100.0 / ceiling), 0.0, 100.0)
    else:
        score = np.where(outside, np.nan, 100.0)
    return {
        "cost": cost,
        "score": score,
        "feasible": reasons == 0,
        "reasons": reasons,
        "phase_start": start,
        "phase_end": end,
        "window_start": np.where(outside, -1, window_start),
        "window_end": np.where(outside, -1, window_end),
    }


def score_many(
    cals: Sequence[CalendarArrays], specs: Sequence[RolloutSpec]
) -> list[list[Scores]]:
    """Score every rollout on every plant: result[i][j] equals
    score_horizon(cals[i], specs[j]). Plants are stacked into 2-D arrays, so
    the per-call overhead is paid once per rollout, not once per pair."""
    b = _batch(cals)
    out: list[list[Scores]] = [[] for _ in cals]
    for spec in specs:
        arrays = _score_batch(b, spec)
        for i, cal in enumerate(cals):
            n = cal.n
            prefix = (b.prefix_span[:, i, : n + 1], b.prefix_calendar[:, i, : n + 1])
            fields = {name: array[i, :n] for name, array in arrays.items()}
            out[i].append(Scores(start=cal.start, spec=spec, _prefix=prefix, **fields))
    return out


def score_horizon(cal: CalendarArrays, spec: RolloutSpec) -> Scores:
    """Score every day of `cal` as go-live day G of `spec`, following the rules
    in the module docstring: prefix sums over calendar days and over working
    days, O(days x factors), no Python loop over dates. See `Scores`."""
    return score_many([cal], [spec])[0][0]


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


def best_windows(scores: Scores, n: int = 10) -> list[int]:
    """Up to n cheapest feasible go-live indices whose whole windows (training
    start .. hypercare end) do not overlap one another, sorted by cost: greedy,
    cheapest first, ties to the earlier date; each pick masks every candidate
    whose window overlaps it."""
    cost = np.where(scores.feasible, scores.cost, np.inf)
    first, last = scores.window_start, scores.window_end
    picked: list[int] = []
    while len(picked) < n and len(cost):
        i = int(np.argmin(cost))
        if not np.isfinite(cost[i]):
            break
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
    costlier = others & (scores.cost > cost + 1e-9 * max(1.0, abs(cost)))
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
    index: int
    statement: str


def fallback_window(
    cal: CalendarArrays, spec: RolloutSpec, scores: Scores, g: int
) -> Fallback | None:
    """Contingency for go-live g: if it is abandoned during cutover or
    hypercare, the earliest feasible go-live whose whole window starts after g's
    window ends and ends before the next peak season or hard cause starting
    after g. Returns (index, plain-English statement), None if there is none."""
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
