"""A profile's prefix sums over a batch, and every go-live day of every plant
scored for one rollout: cost and reasons, (P*W,) each. See `stacked` for the
layout and the rules in the package docstring.

Costs. A profile weighs the five factors into a daily cost per phase. Cutover
adds its days up. A run of ranks [a, b) costs the prefix sum over ranks up to
b minus the one up to a, less the gap before a (not in the run's calendar
span). Each candidate then looks up the run it uses: hypercare the one
starting at the first working day >= G, training the one ending just before
the cutover starts (G without cutover). Runs past a plant's last working day
sum a nan, so they cost nan and PHASE_OUTSIDE_HORIZON falls out of the
arithmetic.

Speed. Per rollout: two runs over the ranks, one gather, C adds, and flags
from byte-wide compares against counts the batch keeps (`slack`, `left`,
`hard`), over the P*W candidates; per profile: one cumsum and its `lo`
bounds. The weighted sums of every profile come from two BLAS products per
batch (one reading the days, one the ranks), small enough for OpenBLAS to keep
on the calling thread. numpy's cumsum waits for each sum before starting the
next, so training and hypercare are summed at once, as the real and imaginary
parts of one complex array.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from rollout.scoring import alignment
from rollout.scoring.stacked import Alloc, Batch
from rollout.scoring.types import (
    _ABSENCE,
    _CUTOVER,
    _HYPERCARE,
    _TRAINING,
    Reason,
    RolloutSpec,
)

_SHIFTED_SUMS = 8  # cutovers up to this long add shifted days; longer use a cumsum
_SMALL_PRODUCT = 1_000_000  # see _product
_FLAGS = {reason: np.uint8(reason) for reason in Reason}


@dataclass(eq=False)
class Weighted:
    """A profile's costs over a batch: cutover's per day; for training and
    hypercare, `up` the prefix sums over ranks (R + 1 columns) and `lo` the
    same less the gap before each rank, so a run [a, b) costs up[b] - lo[a]."""

    batch: Batch
    cutover: np.ndarray  # (P*W + 1,)
    training_up: np.ndarray  # (P, R + 1)
    training_lo: np.ndarray  # (P, R)
    hypercare_up: np.ndarray
    hypercare_lo: np.ndarray

    @cached_property
    def cutover_prefix(self) -> np.ndarray:
        size = self.batch.plants * self.batch.width
        rows = self.cutover[:size].reshape(self.batch.plants, self.batch.width)
        return rows.cumsum(axis=1)


def weigh(b: Batch, matrices: Sequence[np.ndarray], alloc: Alloc) -> list[Weighted]:
    """One `Weighted` per profile, given as its (3, 5) weight matrix. The
    profiles' daily costs come from one pass over the batch: a BLAS product
    for cutover over the days, one for training and hypercare over the
    ranks."""
    plants, ranks = b.plants, b.ranks
    shape = (plants, ranks)
    count = len(matrices)
    # (profiles, 3, 5); score_horizon weighs one profile of one plant at a time.
    weights = matrices[0][np.newaxis] if count == 1 else np.stack(matrices)
    cutovers = alloc("cutover", (count, b.values.shape[1]))
    _product(weights[:, _CUTOVER], b.values, cutovers)
    # Per profile, training's daily costs in the real parts, hypercare's in
    # the imaginary: (P*R, profiles) complex, each profile a strided column.
    # Rows training and hypercare (0 and 2): a slice costs less than a list.
    pairs = weights[:, _TRAINING :: _HYPERCARE - _TRAINING].reshape(2 * count, -1)
    daily = alloc("daily", (plants * ranks, count), np.complex128)
    _product(b.at_rank.T, pairs.T, daily.view(np.float64))
    # Past the last working day, a nan (BLAS may skip a zero weight's nan).
    daily[b.padding] = complex(np.nan, np.nan)
    gap = b.gap.reshape(shape)
    out = []
    for i, matrix in enumerate(matrices):
        prefix = alloc(f"{i} prefix", (plants, ranks + 1), np.complex128)
        prefix[:, 0] = 0.0
        np.cumsum(daily[:, i].reshape(shape), axis=1, out=prefix[:, 1:])
        bounds = []
        # `up` is the real or imaginary part of the prefix sums itself:
        # reading every other float costs less than copying them out.
        for phase, up in ((_TRAINING, prefix.real), (_HYPERCARE, prefix.imag)):
            lo = alloc(f"{i} {phase} lo", shape)
            np.multiply(gap, matrix[phase, _ABSENCE], out=lo)
            lo += up[:, :ranks]
            bounds += [up, lo]
        out.append(Weighted(b, cutovers[i], *bounds))
    return out


def _product(a: np.ndarray, b: np.ndarray, out: np.ndarray) -> None:
    """out = a @ b, in slices of at most _SMALL_PRODUCT multiply-adds: OpenBLAS
    computes those on the calling thread (its small-matrix kernels), while a
    larger product wakes its thread pool, whose start and waits cost more CPU
    time than these thin products themselves (and much more on a busy
    machine)."""
    (m, k), n = a.shape, b.shape[1]
    if m * k * n <= _SMALL_PRODUCT:
        np.matmul(a, b, out=out)
    elif m >= n:
        step = max(_SMALL_PRODUCT // (k * n), 1)
        for i in range(0, m, step):
            np.matmul(a[i : i + step], b, out=out[i : i + step])
    else:
        step = max(_SMALL_PRODUCT // (k * m), 1)
        for j in range(0, n, step):
            np.matmul(a, b[:, j : j + step], out=out[:, j : j + step])


def _runs(
    up: np.ndarray, lo: np.ndarray, length: int, out: np.ndarray, *, ending: bool
) -> None:
    """Into out (P, R): the cost of the run of `length` working days starting at
    each rank, or ending just before it; nan where it leaves the working days."""
    ranks = out.shape[1]
    if ending:  # up[r] - lo[r - length]
        fits = max(ranks - length, 0)
        np.subtract(up[:, length:ranks], lo[:, :fits], out=out[:, ranks - fits :])
        out[:, : ranks - fits] = np.nan
    else:  # up[r + length] - lo[r]
        fits = min(max(ranks + 1 - length, 0), ranks)
        np.subtract(up[:, length : length + fits], lo[:, :fits], out=out[:, :fits])
        out[:, fits:] = np.nan


def _flag(
    reasons: np.ndarray, where: np.ndarray, reason: Reason, scratch: np.ndarray
) -> None:
    np.multiply(where.view(np.uint8), _FLAGS[reason], out=scratch)
    np.bitwise_or(reasons, scratch, out=reasons)


def score(
    w: Weighted, spec: RolloutSpec, cost: np.ndarray, reasons: np.ndarray, alloc: Alloc
) -> None:
    """Fill cost and reasons, (P*W,) each, for every go-live day of every plant."""
    b = w.batch
    plants, n, ranks = b.plants, b.width, b.ranks
    size = plants * n
    T, C, H = spec.phase_lengths

    k = max(C - 1, 0)  # from G = C - 1 on, for plant 0; the rest is overwritten
    if size and C <= n:
        out = cost[k:]
        shape = (plants, ranks)
        training = (w.training_up, w.training_lo, T)
        hypercare = (w.hypercare_up, w.hypercare_lo, H)
        if T and H and C <= 1:  # both look up the first working day >= G
            runs, more = alloc("runs", shape), alloc("more runs", shape)
            _runs(*training, runs, ending=True)
            _runs(*hypercare, more, ending=False)
            runs += more
            np.take(runs.reshape(-1), b.rank_of, out=out, mode="wrap")
        elif T and H:  # training looks up G - C + 1: one gather of both
            both = alloc("both runs", shape, np.complex128)
            _runs(*training, both.real, ending=True)
            _runs(*hypercare, both.imag, ending=False)
            gathered = alloc("gathered", (size,), np.complex128)
            np.take(both.reshape(-1), b.rank_of, out=gathered, mode="wrap")
            np.add(gathered.real[: size - k], gathered.imag[k:], out=out)
        elif T or H:
            runs = alloc("runs", shape)
            _runs(*(training if T else hypercare), runs, ending=bool(T))
            index = b.rank_of[: size - k] if T else b.rank_of[k:]
            np.take(runs.reshape(-1), index, out=out, mode="wrap")
        else:
            out.fill(0.0)
        if C > _SHIFTED_SUMS:
            window = alloc("window", (plants, n))
            prefix = w.cutover_prefix
            window[:, :k] = 0.0
            window[:, k] = prefix[:, k]
            np.subtract(prefix[:, C:], prefix[:, : n - C], out=window[:, C:])
            out += window.reshape(-1)[k:]
        else:
            for shift in range(C):
                out += w.cutover[k - shift : size - shift]
    cost.reshape(plants, n)[:, :k] = np.nan  # the cutover would start too early

    where = alloc("where", (plants, n), bool)
    scratch2d = alloc("scratch", (plants, n), np.uint8)
    scratch = scratch2d.reshape(-1)
    grid = reasons.reshape(plants, n)
    if H:
        h = min(H, n + 1)  # a longer one never fits either
        hit = where.reshape(-1)
        np.less(b.slack, h, out=hit)
        fits = scratch.view(bool)
        np.greater_equal(b.left, h, out=fits)
        hit &= fits
        np.multiply(
            hit.view(np.uint8), _FLAGS[Reason.HARD_CONFLICT_HYPERCARE], out=reasons
        )
    else:
        reasons.fill(0)
    if 0 < C <= n:
        # Flat: the first C columns of each row compare with the row before,
        # and are overwritten next.
        np.greater(b.hard[C:], b.hard[: size - C], out=where.reshape(-1)[C:])
        hard = b.hard.reshape(plants, n)
        where[:, :k] = False
        np.greater(hard[:, k], 0, out=where[:, k])
        _flag(reasons, where.reshape(-1), Reason.HARD_CONFLICT_CUTOVER, scratch)
    np.isnan(cost, out=where.reshape(-1))
    _flag(reasons, where.reshape(-1), Reason.PHASE_OUTSIDE_HORIZON, scratch)
    # Date bounds: only the columns past some plant's bound need a look.
    if spec.earliest is not None:
        end = min(spec.earliest.toordinal() - b.first_start, n)  # G < end
        if end > 0:
            first = spec.earliest.toordinal() - b.starts
            np.less(b.day[:end], first[:, None], out=where[:, :end])
            _flag(
                grid[:, :end],
                where[:, :end],
                Reason.BEFORE_EARLIEST,
                scratch2d[:, :end],
            )
    if spec.aligned:
        _flag_alignment(b, spec, reasons, scratch)
    if spec.latest is not None:
        begin = max(spec.latest.toordinal() - b.last_start + 1, 0)  # G >= begin
        if begin < n:
            last = spec.latest.toordinal() - b.starts
            np.greater(b.day[begin:], last[:, None], out=where[:, begin:])
            _flag(
                grid[:, begin:],
                where[:, begin:],
                Reason.AFTER_LATEST,
                scratch2d[:, begin:],
            )


def _flag_alignment(
    b: Batch, spec: RolloutSpec, reasons: np.ndarray, scratch: np.ndarray
) -> None:
    """MISALIGNED and WRONG_WEEKDAY where G is not a day the rollout may go
    live on (rollout.scoring.alignment: the one rule)."""
    off = alignment.misaligned(spec, b.work, b.alignments)
    if off is not None:
        _flag(reasons, off, Reason.MISALIGNED, scratch)
    if spec.go_live_weekday is not None:
        ordinals = (b.starts[:, None] + b.day[None, :].astype(np.int64)).reshape(-1)
        wrong = alignment.wrong_weekday(spec, ordinals)
        _flag(reasons, wrong, Reason.WRONG_WEEKDAY, scratch)
