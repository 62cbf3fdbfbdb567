"""One candidate go-live day: what its cost is made of, and what it collides with."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from rollout.scoring.engine import _cached, _working_days, phase_spans
from rollout.scoring.types import (
    _ABSENCE,
    _CUTOVER,
    _HYPERCARE,
    _TRAINING,
    FACTORS,
    PHASES,
    CalendarArrays,
    RolloutSpec,
)


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
    horizon (cost nan), only the phases that fit are explained. Equal costs
    keep the order phase, factor, then the load, the causes in `cal.causes`
    order, the absence days (non-working days first).
    """
    return explain_many(cal, spec, [g])[0]


def explain_many(
    cal: CalendarArrays, spec: RolloutSpec, gs: Sequence[int] | np.ndarray
) -> list[list[Contribution]]:
    """[explain(cal, spec, g) for g in gs], in one pass over the causes for all
    of them: use it for a rollout's recommended windows."""
    return explain_rollouts(cal, [(spec, gs)])[0]


def explain_rollouts(
    cal: CalendarArrays,
    picks: Sequence[tuple[RolloutSpec, Sequence[int] | np.ndarray]],
) -> list[list[list[Contribution]]]:
    """For each (spec, gs) of one plant, [explain(cal, spec, g) for g in gs]:
    the recommended windows of all of a plant's rollouts in one pass over its
    causes."""
    gs = [np.asarray(g, dtype=np.intp).reshape(-1) for _, g in picks]
    g = np.concatenate(gs) if gs else np.zeros(0, dtype=np.intp)
    if len(g) and (g.min() < 0 or g.max() >= cal.n):
        wrong = g[(g < 0) | (g >= cal.n)][0]
        raise IndexError(f"go-live index {wrong} is outside the horizon 0..{cal.n - 1}")
    sizes = [len(x) for x in gs]
    if not len(g):
        return [[] for _ in picks]
    spans = [_spans(cal, spec, x) for (spec, _), x in zip(picks, gs, strict=True)]
    first = np.concatenate([a for a, _ in spans])  # (m, 3) each, -1: no span
    last = np.concatenate([b for _, b in spans])
    weights = np.repeat(  # (m, 3, 5): each window's profile
        np.stack([spec.profile.matrix for spec, _ in picks]), sizes, axis=0
    )
    parts = _explain(cal, first, last, weights)
    out = []
    at = 0
    for size in sizes:
        out.append(parts[at : at + size])
        at += size
    return out


_IS_CUTOVER = (np.arange(len(PHASES)) == _CUTOVER)[:, None]  # (3, 1)


def _explain(
    cal: CalendarArrays, first: np.ndarray, last: np.ndarray, weights: np.ndarray
) -> list[list[Contribution]]:
    """The contributions of m windows: phase spans first, last (m, 3), -1 for
    none; weights (m, 3, 5), each window's profile matrix."""
    t = _table(cal)
    present = first >= 0
    m = len(first)
    phases = len(PHASES)
    lo_day = np.where(present, first, 0)
    hi_day = np.where(present, last + 1, 0)  # 0..0: an empty sum

    # Parts, one column each: the load, each other cause, each absence owner.
    cost = np.zeros((m, phases, t.columns))
    days = np.zeros((m, phases, t.columns), dtype=np.intp)
    # The load summed like explain always did (numpy's pairwise sum of the
    # span): equal contributions then keep their order.
    loads = (t.load_worked, cal.load)
    at = np.nonzero(present)
    spans = zip(*(a.tolist() for a in (*at, lo_day[at], hi_day[at])), strict=True)
    for w, p, a, b in spans:
        cost[w, p, 0] = weights[w, p, 0] * loads[p == _CUTOVER][a:b].sum()
    counts = t.load_counts  # (2, n + 1): counted in training, hypercare; cutover
    which = _IS_CUTOVER[:, 0].astype(np.intp)
    days[:, :, 0] = counts[which, hi_day] - counts[which, lo_day]

    k = len(t.factor)
    if k:
        lo = np.maximum(first[:, :, None], t.start)  # (m, 3, K)
        hi = np.minimum(last[:, :, None], t.end)
        overlap = present[:, :, None] & (lo <= hi)
        lo = np.where(overlap, lo, 0)
        hi = np.where(overlap, hi + 1, 0)
        worked = t.before[hi] - t.before[lo]  # counted days of training, hypercare
        counted = np.where(_IS_CUTOVER, hi - lo, worked)
        days[:, :, 1 : 1 + k] = counted
        cost[:, :, 1 : 1 + k] = (weights[:, :, t.factor] * t.value) * counted

    if t.owners:
        lengths = hi_day - lo_day  # (m, 3)
        total = int(lengths.sum())
        if total:
            flat = lengths.reshape(-1)
            group = np.repeat(np.arange(len(flat)), flat)
            day = np.repeat(lo_day.reshape(-1) - (np.cumsum(flat) - flat), flat)
            day += np.arange(total)
            slot = group * t.owners + t.owner[day]
            size = len(flat) * t.owners
            absent = np.bincount(slot, cal.absence[day], size)
            absent_days = np.bincount(slot, t.absent[day], size)
            shape = (m, phases, t.owners)
            cost[:, :, 1 + k :] = weights[:, :, _ABSENCE, None] * absent.reshape(shape)
            days[:, :, 1 + k :] = absent_days.reshape(shape)

    # Merge the positive parts by key, in column order.
    positive = np.flatnonzero(cost > 0)
    if not len(positive):
        return [[] for _ in range(m)]
    cell, col = np.divmod(positive, t.columns)  # cell: window * 3 + phase
    keys = len(t.labels)
    cell = cell * keys + t.key[col]
    # Sorted cells; the first part of each (its smallest column) and the merge.
    unique, position, merge = np.unique(cell, return_index=True, return_inverse=True)
    merged = np.bincount(merge, cost.reshape(-1)[positive])
    merged_days = np.bincount(merge, days.reshape(-1)[positive])
    window, rest = np.divmod(unique, phases * keys)
    phase, key = np.divmod(rest, keys)
    order = np.lexsort((col[position], t.key_factor[key], phase, -merged, window))
    out: list[list[Contribution]] = [[] for _ in range(m)]
    labels = t.labels
    rows = zip(
        window[order].tolist(),
        phase[order].tolist(),
        key[order].tolist(),
        merged_days[order].tolist(),
        merged[order].tolist(),
        strict=True,
    )
    new = object.__new__
    for w, p, j, n, c in rows:
        factor, kind, name = labels[j]
        # Contribution(...) without the frozen dataclass's __init__ (a
        # setattr per field): thousands of them for a rebuild.
        part = new(Contribution)
        part.__dict__.update(
            phase=PHASES[p], factor=factor, kind=kind, name=name, days=int(n), cost=c
        )
        out[w].append(part)
    return out


@dataclass(frozen=True, eq=False)
class _Table:
    """A calendar's causes as arrays for `explain_many`, built once per calendar.

    Parts (columns): 0 the load, then each cause of another factor than
    absence in `cal.causes` order, then the absence owners: -1 (a non-working
    day no absence cause covers) then each absence cause. `key` maps a column
    to its contribution's key, `labels` a key to (factor, kind, name)."""

    factor: np.ndarray  # (K,) of the causes other than absence
    start: np.ndarray
    end: np.ndarray
    value: np.ndarray
    before: np.ndarray  # (n + 1,) working days before each day
    load_worked: np.ndarray  # (n,) the load on working days, 0 elsewhere
    load_counts: np.ndarray  # (2, n + 1) days with some load before each day:
    # working days, every day
    owners: int  # absence owners, -1 included
    owner: np.ndarray  # (n,) the column (less 1 + K) owning each day's absence
    absent: np.ndarray  # (n,) 1 where absence > 0
    columns: int
    key: np.ndarray  # (columns,) key of each column
    key_factor: np.ndarray  # (keys,) FACTORS index
    labels: tuple[tuple[str, str, str], ...]  # (factor, kind, name) of each key


def _table(cal: CalendarArrays) -> _Table:
    return _cached(cal, "_explain_table", lambda: _build_table(cal))


def _build_table(cal: CalendarArrays) -> _Table:
    table = cal._cause_table  # factor, start, end + 1, value, hard
    is_absence = table[:, 0] == _ABSENCE
    others = table[~is_absence]
    absence_causes = [c for c in cal.causes if c.factor == "absence"]
    owner = np.zeros(cal.n, dtype=np.intp)  # 0: no absence cause, -1 + 1
    for i in reversed(range(len(absence_causes))):
        c = absence_causes[i]
        owner[max(c.start, 0) : max(c.end + 1, 0)] = i + 1
    keys: dict[tuple[str, str, str], int] = {}
    labels = [
        ("load", "load", cal.load_name),
        *((c.factor, c.kind, c.name) for c in cal.causes if c.factor != "absence"),
        ("absence", "non-working", "non-working day"),
        *(("absence", c.kind, c.name) for c in absence_causes),
    ]
    column_key = np.array([keys.setdefault(label, len(keys)) for label in labels])
    work = cal.is_working
    loaded = cal.load > 0
    load_counts = np.zeros((2, cal.n + 1), dtype=np.intp)
    np.cumsum(loaded & work, out=load_counts[0, 1:])
    np.cumsum(loaded, out=load_counts[1, 1:])
    _, before = _working_days(cal)
    factor_of = {factor: i for i, factor in enumerate(FACTORS)}
    return _Table(
        factor=others[:, 0].astype(np.intp),
        start=others[:, 1].astype(np.intp),
        end=others[:, 2].astype(np.intp) - 1,
        value=others[:, 3].copy(),
        before=before,
        load_worked=cal.load * work,
        load_counts=load_counts,
        owners=1 + len(absence_causes),
        owner=owner,
        absent=(cal.absence > 0).astype(np.float64),
        columns=len(labels),
        key=column_key,
        key_factor=np.array([factor_of[k[0]] for k in keys], dtype=np.intp),
        labels=tuple(keys),
    )


def _spans(
    cal: CalendarArrays, spec: RolloutSpec, g: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(first, last), (len(g), 3) each in PHASES order, -1 where the phase is
    empty or does not fit: phase_spans for many go-live days."""
    days, before = _working_days(cal)
    workdays = len(days) - 1
    T, C, H = spec.phase_lengths
    first = np.full((len(g), len(PHASES)), -1, dtype=np.intp)
    last = np.full((len(g), len(PHASES)), -1, dtype=np.intp)
    anchor = g - C + 1 if C else g
    if C:
        fits = anchor >= 0
        first[fits, _CUTOVER] = anchor[fits]
        last[fits, _CUTOVER] = g[fits]
    if T:
        k = before[np.maximum(anchor, 0)]  # working days before the anchor
        fits = k >= T
        first[fits, _TRAINING] = days[k[fits] - T]
        last[fits, _TRAINING] = days[k[fits] - 1]
    if H:
        j = before[g]  # rank of the first working day >= g
        fits = j + H <= workdays
        first[fits, _HYPERCARE] = days[j[fits]]
        last[fits, _HYPERCARE] = days[j[fits] + H - 1]
    return first, last


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
