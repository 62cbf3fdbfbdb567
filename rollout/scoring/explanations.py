"""One candidate go-live day: what its cost is made of, and what it collides with."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from rollout.scoring.engine import phase_spans
from rollout.scoring.types import (
    _ABSENCE,
    _CUTOVER,
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
