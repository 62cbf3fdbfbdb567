"""Choosing among scored candidates: best windows, rank, alternatives, fallback."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from rollout.scoring.engine import Scores
from rollout.scoring.types import CalendarArrays, RolloutSpec

_TIE = 1e-9  # relative difference below which two costs are equal (prefix-sum noise)


def best_windows(scores: Scores, n: int = 10) -> list[int]:
    """Up to n cheapest feasible go-live indices whose whole windows (training
    start .. hypercare end) do not overlap one another, sorted by cost: greedy,
    cheapest first, ties (costs within 1e-9 relative) to the earlier date; each
    pick masks every candidate whose window overlaps it."""
    cost = np.where(scores.feasible, scores.cost, np.inf)
    first, last = scores.window_start, scores.window_end
    picked: list[int] = []
    if n <= 0 or not len(cost):
        return picked
    # Windows start and end later as G does (-1 where a phase does not fit, and
    # those cost inf): the windows overlapping a pick are then one run of G,
    # found by bisection on the running maxima.
    firsts = np.maximum.accumulate(first)
    lasts = np.maximum.accumulate(last)
    ordered = bool(
        ((firsts == first) | (first < 0)).all() and ((lasts == last) | (last < 0)).all()
    )
    while len(picked) < n:
        i = int(cost.argmin())
        cheapest = cost[i]
        if not np.isfinite(cheapest):
            break
        # Costs within rounding noise of each other tie: the earlier date wins.
        if i:
            tied = cost[:i] <= cheapest + _TIE * max(1.0, cheapest)
            earlier = int(tied.argmax())
            if tied[earlier]:
                i = earlier
        picked.append(i)
        if ordered:
            a = int(lasts.searchsorted(first[i]))
            b = int(firsts.searchsorted(last[i], side="right"))
            cost[a:b] = np.inf
        else:
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
