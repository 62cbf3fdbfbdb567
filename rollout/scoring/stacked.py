"""Plants stacked into flat arrays, once per batch, for `costs` to score.

Layout. Plants are stacked in rows of W = n columns (n: the longest horizon)
and flattened: column d is day d, and days past a plant's horizon are empty,
non-working padding. Go-live day G of plant p sits at flat index p*W + G, so
shifting all candidates by a whole number of days is one contiguous slice for
every plant at once; the columns where a shift crosses a row start are the
days before a cutover fits, overwritten with nan afterwards.

Rank space. Training and hypercare are runs of consecutive working days: rank
r is a plant's r-th working day, rows of R ranks (most working days + 1), the
ranks past a plant's last working day padding. A rank carries the factor
values of its working day, and the absence of its day and of the non-working
days just before it (`gap`).

Memory. Working arrays come from a per-thread `Pool`: on first touch, fresh
memory costs a page fault per 4 KiB, and on a small VM those faults cost more
than the arithmetic (about 1.5 us each on the 2-core VM measured, where a 656 KB
array add takes 20 us). Sums and counts are built with difference arrays or by
painting days, integer cumsums, and gathers: no Python loop over dates.
Every gather's indices are in range by construction: the gathers here and in
`costs` use mode="wrap", whose check costs less than "clip" (~12 %) and which
then never wraps, rather than the default "raise", which buffers the output.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rollout.scoring.types import _ABSENCE, FACTORS, CalendarArrays

# alloc(name, shape, dtype) -> an uninitialised array; `name` identifies it
# within one call, so that a pool can hand the same memory out next call.
Alloc = Callable[..., np.ndarray]


def fresh(name: str, shape: tuple[int, ...], dtype: object = np.float64) -> np.ndarray:
    """Alloc for arrays that outlive the call (kept on a CalendarArrays)."""
    return np.empty(shape, dtype)


class Pool(threading.local):
    """Alloc keeping its arrays for the next call on the same thread, up to
    `limit` bytes in all (past it, arrays are fresh). What it hands out is only
    valid until the next call: never return it, nor keep it on a result."""

    def __init__(self, limit: int = 64 << 20) -> None:
        self.limit = limit
        self.nbytes = 0
        self.buffers: dict[str, np.ndarray] = {}
        self.arrays: dict[tuple[str, tuple[int, ...], object], np.ndarray] = {}

    def __call__(
        self, name: str, shape: tuple[int, ...], dtype: object = np.float64
    ) -> np.ndarray:
        key = (name, shape, dtype)
        array = self.arrays.get(key)
        if array is not None:
            return array
        dtype = np.dtype(dtype)
        nbytes = math.prod(shape) * dtype.itemsize
        buffer = self.buffers.get(name)
        if buffer is None or len(buffer) < nbytes:
            total = self.nbytes + nbytes - (0 if buffer is None else len(buffer))
            if total > self.limit:
                return np.empty(shape, dtype)
            buffer = self.buffers[name] = np.empty(nbytes, dtype=np.uint8)
            self.nbytes = total
            self.arrays = {k: a for k, a in self.arrays.items() if k[0] != name}
        if len(self.arrays) > 256:  # shapes keep changing: forget the views
            self.arrays.clear()
        array = self.arrays[key] = buffer[:nbytes].view(dtype).reshape(shape)
        return array


_IOTA = np.arange(0)


def _iota(n: int) -> np.ndarray:
    """np.arange(n), as a view of a kept array (read-only)."""
    global _IOTA
    iota = _IOTA
    if len(iota) < n:
        iota = np.arange(max(n, 2 * len(iota)))
        iota.flags.writeable = False
        _IOTA = iota
    return iota[:n]


@dataclass(frozen=True, eq=False)
class Batch:
    """The arrays of a batch of plants, laid out as the module docstring says."""

    lengths: np.ndarray  # (P,) days per plant
    width: int  # W
    starts: np.ndarray  # (P,) first day of each horizon, as a proleptic ordinal
    first_start: int  # the earliest of them
    last_start: int  # the latest
    values: np.ndarray  # (5, P*W + 1) factor values per day, then a nan
    work: np.ndarray  # (P*W,) working days
    hard: np.ndarray  # (P*W,) int32 hard days through day d
    # Counts of days, int16 when they fit:
    day: np.ndarray  # (W,) the day of each column
    left: np.ndarray  # (P*W,) working days from day d on
    # (P*W,) working days from the first working day >= d before a hard day,
    # on a working day or between two (= left if none): a run of H working
    # days from there has a hard day in its span iff slack < H <= left.
    slack: np.ndarray
    # Rank space: P rows of R = (most working days + 1) ranks, flattened; the
    # ranks past a plant's last working day are padding.
    ranks: int
    padding: np.ndarray  # (P,) flat index of each plant's first padding rank
    rank_of: np.ndarray  # (P*W,) flat rank of the first working day >= d
    at_rank: np.ndarray  # (5, P*R) factor values on rank r's day, nan at
    # padding; absence also over the non-working days just before it,
    gap: np.ndarray  # (P*R,) which this holds alone
    # Go-live alignments every plant offers (a plant without one: no day),
    # (P*W,) bool each.
    alignments: dict[str, np.ndarray]

    @property
    def plants(self) -> int:
        return len(self.lengths)


def _stack(
    arrays: Sequence[np.ndarray], lengths: Sequence[int], n: int, out: np.ndarray
) -> None:
    """Rows of n: each array, then empty padding."""
    if all(length == n for length in lengths):
        np.concatenate(arrays, out=out)
        return
    gap = np.zeros(n, dtype=out.dtype)
    pieces = []
    for array, length in zip(arrays, lengths, strict=True):
        pieces += [array, gap[: n - length]]
    np.concatenate(pieces, out=out)


def _add_intervals(
    out: np.ndarray,
    row: np.ndarray | int,
    first: np.ndarray,
    end: np.ndarray,
    value: np.ndarray | int,
    shape: tuple[int, int],
    alloc: Alloc,
) -> None:
    """Add `value` to out[row][first:end] for each interval; out is 2-D, C
    order, rows of at least P*n, its `row`s zero on [0, P*n) before. Values of
    overlapping intervals add up. Intervals covering fewer days in all than a
    row has are painted day by day; more go through difference arrays and a
    cumsum per row, which costs the same whatever they cover."""
    plants, n = shape
    size = plants * n
    row = np.broadcast_to(row, first.shape)
    value = np.broadcast_to(np.asarray(value, dtype=out.dtype), first.shape)
    days = end - first  # >= 1 each
    total = int(days.sum())
    if total <= size:
        position = np.repeat(
            row * out.shape[1] + first - (np.cumsum(days) - days), days
        )
        position += _iota(total)
        np.add.at(out.reshape(-1), position, np.repeat(value, days))  # same dtypes
        return
    rows, at = np.unique(row, return_inverse=True)
    diff = alloc("diff", (len(rows), size), out.dtype)
    diff.fill(0)
    marks = end % n != 0  # an interval running to a row's end needs no end mark
    np.add.at(diff, (at, first), value)
    np.add.at(diff, (at[marks], end[marks]), -value[marks])
    for r, sums in zip(rows.tolist(), diff, strict=True):
        grid = out[r, :size].reshape(plants, n)
        np.cumsum(sums.reshape(plants, n), axis=1, out=grid)


def stack(cals: Sequence[CalendarArrays], alloc: Alloc) -> Batch:
    """The batch of `cals` (at least one)."""
    plants = len(cals)
    lengths = [c.n for c in cals]
    n = max(lengths)
    size = plants * n
    values = alloc("values", (len(FACTORS), size + 1))
    values[:, size] = np.nan
    work = alloc("work", (size,), bool)
    _stack([c.is_working for c in cals], lengths, n, work)
    _stack([c.load for c in cals], lengths, n, values[0, :size])
    _stack([c.absence for c in cals], lengths, n, values[_ABSENCE, :size])

    tables = [c._cause_table for c in cals]
    table = np.concatenate(tables)
    plant = np.repeat(_iota(plants), [len(t) for t in tables])
    last = np.asarray(lengths)[plant]
    # Clipped to [0, last] (np.minimum/maximum: np.clip costs more per call).
    lo = np.minimum(np.maximum(table[:, 1], 0), last).astype(np.intp)
    hi = np.minimum(np.maximum(table[:, 2], 0), last).astype(np.intp)  # day after
    row = plant * n
    lo += row
    hi += row
    factor = table[:, 0].astype(np.intp)
    live = lo < hi
    adds = live & (factor != _ABSENCE)  # absence causes only name the days
    values[1:_ABSENCE, :size] = 0.0
    _add_intervals(
        values, factor[adds], lo[adds], hi[adds], table[adds, 3], (plants, n), alloc
    )

    hard = live & (table[:, 4] > 0)
    cover = alloc("cover", (1, size), np.int32)  # hard causes on day d
    cover.fill(0)
    _add_intervals(cover, 0, lo[hard], hi[hard], 1, (plants, n), alloc)
    covered = alloc("covered", (size + 1,), bool)  # + a slot for padding ranks
    covered[size] = False
    np.greater(cover[0], 0, out=covered[:size])
    hard_days = alloc("hard", (size + 1,), np.int32)
    hard_days[size] = 0
    np.cumsum(
        covered[:size].reshape(plants, n),
        axis=1,
        dtype=np.int32,
        out=hard_days[:size].reshape(plants, n),
    )

    # Rank space.
    grid = work.reshape(plants, n)
    before = alloc("rank_of", (plants, n), np.intp)  # working days before d
    counts = np.zeros(plants, dtype=np.intp)
    if n:
        before[:, 0] = 0
        np.cumsum(grid[:, :-1], axis=1, out=before[:, 1:])
        counts += before[:, -1]
        counts += grid[:, -1]
    ranks = int(counts.max(initial=0)) + 1
    offset = _iota(plants) * ranks
    small = np.int16 if n < 2**15 - 1 else np.intp  # n + 1 fits
    left = alloc("left", (plants, n), small)
    np.subtract(counts[:, None], before, out=left, casting="unsafe")
    before += offset[:, None]
    rank_of = before.reshape(-1)
    column = np.flatnonzero(work)  # of each working day, in rank order
    # A plant's ranks below its count hold its working days, in order.
    held = alloc("held", (plants, ranks), bool)
    np.less(_iota(ranks), counts[:, None], out=held)
    day_of_rank = alloc("day_of_rank", (plants * ranks,), np.intp)
    day_of_rank.fill(size)  # padding: the slots
    day_of_rank[held.reshape(-1)] = column

    at_rank = alloc("at_rank", (len(FACTORS), plants * ranks))
    np.take(values, day_of_rank, axis=1, out=at_rank, mode="wrap")
    gap = alloc("gap", (plants * ranks,))  # absence over days (D[r - 1], D[r]]
    gap.fill(0.0)
    absent = np.flatnonzero(
        values[_ABSENCE, :size] > 0
    )  # > 0: nonzero of floats is slow
    np.add.at(gap, rank_of[absent], values[_ABSENCE, absent])
    gap -= at_rank[_ABSENCE]  # ... less day D[r]
    at_rank[_ABSENCE] += gap

    # Hard days ahead. For rank r, the first hard day on or after its day is
    # the plant's (k+1)-th, k = hard days before; `hard_rank` lists, per plant,
    # the working days before each hard day, then the working days in all.
    earlier = alloc("earlier", (size + 1,), np.intp)  # hard days before d
    np.subtract(hard_days, covered, out=earlier)
    hard_before = alloc("hard_before", (plants, ranks), np.intp)
    np.take(earlier, day_of_rank, out=hard_before.reshape(-1), mode="wrap")
    hard_at = np.flatnonzero(covered[:size])
    per_plant = hard_days[n - 1 : size : n] if n else np.zeros(plants, np.int32)
    columns = int(per_plant.max(initial=0)) + 1
    hard_rank = np.repeat(counts.astype(small), columns).reshape(plants, columns)
    plant_of = hard_at // max(n, 1)
    order = _iota(len(hard_at)) - np.repeat(np.cumsum(per_plant) - per_plant, per_plant)
    hard_rank[plant_of, order] = rank_of[hard_at] - offset[plant_of]
    hard_before += (_iota(plants) * columns)[:, None]
    ahead = alloc("ahead", (plants, ranks), small)
    np.take(hard_rank.reshape(-1), hard_before, out=ahead, mode="wrap")
    ahead -= _iota(ranks).astype(small)  # less the rank itself
    slack = alloc("slack", (size,), small)
    np.take(ahead.reshape(-1), rank_of, out=slack, mode="wrap")
    starts = np.array([c.start.toordinal() for c in cals])
    alignments = {}
    for name in sorted({a for c in cals for a in c.alignments}):
        mask = alloc(f"align {name}", (size,), bool)
        masks = [c.alignments.get(name, np.zeros(c.n, bool)) for c in cals]
        _stack(masks, lengths, n, mask)
        alignments[name] = mask
    return Batch(
        lengths=np.asarray(lengths),
        width=n,
        starts=starts,
        first_start=int(starts.min()),
        last_start=int(starts.max()),
        values=values,
        work=work,
        hard=hard_days[:size],
        day=np.arange(n, dtype=small),
        left=left.reshape(-1),
        slack=slack,
        ranks=ranks,
        padding=offset + counts,
        rank_of=rank_of,
        at_rank=at_rank,
        gap=gap,
        alignments=alignments,
    )
