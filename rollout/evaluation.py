"""Evaluating go-live dates with the scoring engine: one proposed date
(feasibility, quietness, conflicts, alternatives, a contingency fallback) and
the go-live gate deployment tools poll (may the rollout go live today?).

Called alike by the REST API, the pages, the proposal workflow and the tasks.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import get_language

from calendars.models import Plant
from calendars.selectors import plant_calendar_data
from rollout import scoring
from rollout.calendar_arrays import (
    PlantCalendar,
    calendar_arrays,
    plant_calendar_load,
    plant_horizon,
)
from rollout.models import Rollout

NO_FALLBACK = (
    "No feasible window after this go-live ends before the next peak season or "
    "hard milestone: if it is abandoned, plan to stay on the old system until "
    "after that period."
)


@dataclass
class Window:
    go_live: datetime.date
    score: float
    cost: float
    feasible: bool
    phases: list[dict]

    def as_dict(self) -> dict:
        return {
            "go_live": self.go_live.isoformat(),
            "score": round(self.score, 1),
            "cost": round(self.cost, 3),
            "feasible": self.feasible,
            "phases": self.phases,
        }


@dataclass
class Evaluation:
    plant: Plant
    rollout: Rollout
    go_live: datetime.date
    feasible: bool
    score: float | None
    cost: float | None
    percentile: float | None
    phases: list[dict]
    reasons: list[str]
    conflicts: list[dict]
    explanation: list[dict]
    alternatives: list[Window] = field(default_factory=list)
    fallback: dict | None = None
    fallback_statement: str = ""
    aligned: bool = True
    # Not aligned: the nearest aligned go-live days before and after.
    nearest_aligned: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "plant": self.plant.code,
            "rollout": self.rollout.id,
            "go_live": self.go_live.isoformat(),
            "feasible": self.feasible,
            "score": None if self.score is None else round(self.score, 1),
            "cost": None if self.cost is None else round(self.cost, 3),
            "percentile": None
            if self.percentile is None
            else round(self.percentile, 1),
            "phases": self.phases,
            "reasons": self.reasons,
            "conflicts": self.conflicts,
            "explanation": self.explanation,
            "alternatives": [a.as_dict() for a in self.alternatives],
            "fallback": self.fallback,
            "fallback_statement": self.fallback_statement,
            "aligned": self.aligned,
            "nearest_aligned": {
                side: None if w is None else w.as_dict()
                for side, w in self.nearest_aligned.items()
            },
        }


class DateOutsideHorizon(ValueError):
    pass


def _window(calendar: PlantCalendar, scores: scoring.Scores, g: int) -> Window:
    return Window(
        go_live=calendar.date(g),
        score=float(scores.score[g]),
        cost=float(scores.cost[g]),
        feasible=bool(scores.feasible[g]),
        phases=calendar.phase_dates(scores, g),
    )


def go_live_conflicts(
    *, calendar: PlantCalendar, rollout: Rollout, go_live: datetime.date
) -> list[dict]:
    """The conflicts of one go-live date (go_live_evaluate's `conflicts`)
    without scoring the rest of the horizon: what re-validation compares after
    every rebuild. The date must be within the calendar's horizon."""
    spec = calendar.spec_for(rollout)
    g = calendar.index(go_live)
    return [c.as_dict() for c in scoring.conflicts(calendar.arrays, spec, g)]


def go_live_evaluate(
    *,
    plant: Plant,
    rollout: Rollout,
    go_live: datetime.date,
    calendar: PlantCalendar | None = None,
) -> Evaluation:
    """Feasibility, cost, quietness, percentile, conflicts, the three best
    alternatives closest in time and a contingency fallback for one date."""
    calendar = calendar or plant_calendar_load(plant=plant)
    g = calendar.index(go_live)
    if g < 0 or go_live > calendar.horizon.last_candidate:
        raise DateOutsideHorizon(
            f"{go_live.isoformat()} is outside the planning horizon "
            f"{calendar.horizon.start.isoformat()}.."
            f"{calendar.horizon.last_candidate.isoformat()}"
        )
    spec = calendar.spec_for(rollout)
    scores = scoring.score_horizon(calendar.arrays, spec)
    feasible = bool(scores.feasible[g])
    cost = float(scores.cost[g])
    has_cost = cost == cost  # not NaN
    fallback = scoring.fallback_window(calendar.arrays, spec, scores, g)
    fallback_index, statement = fallback if fallback else (None, NO_FALLBACK)
    allowed = scoring.allowed_days(calendar.arrays, spec)
    nearest: dict[str, Window | None] = {}
    if not allowed[g]:
        # Aligned days whose phases fit the horizon, feasible or not.
        fits = allowed & ~np.isnan(scores.cost)
        last = calendar.index(calendar.horizon.last_candidate)
        before = np.flatnonzero(fits[:g])
        after = g + 1 + np.flatnonzero(fits[g + 1 : last + 1])
        nearest = {
            "before": _window(calendar, scores, int(before[-1]))
            if len(before)
            else None,
            "after": _window(calendar, scores, int(after[0])) if len(after) else None,
        }
    return Evaluation(
        plant=plant,
        rollout=rollout,
        go_live=go_live,
        feasible=feasible,
        score=float(scores.score[g]) if has_cost else None,
        cost=cost if has_cost else None,
        percentile=scoring.percentile(scores, g) if feasible else None,
        phases=calendar.phase_dates(scores, g),
        reasons=scoring.reason_labels(int(scores.reasons[g]), spec),
        conflicts=go_live_conflicts(
            calendar=calendar, rollout=rollout, go_live=go_live
        ),
        explanation=[c.as_dict() for c in scoring.explain(calendar.arrays, spec, g)]
        if has_cost
        else [],
        alternatives=[
            _window(calendar, scores, a)
            for a in scoring.nearest_alternatives(scores, g, 3)
        ],
        fallback=_window(calendar, scores, fallback_index).as_dict()
        if fallback_index is not None
        else None,
        fallback_statement=statement,
        aligned=bool(allowed[g]),
        nearest_aligned=nearest,
    )


# --- the go-live gate -----------------------------------------------------


@dataclass(frozen=True)
class WindowState:
    plant: str
    rollout: int
    today: datetime.date
    allowed_today: bool
    reasons: list[str]
    reason_codes: list[str]
    blocking: list[dict]
    next_open: datetime.date | None
    next_close: datetime.date | None
    horizon_end: datetime.date
    calendar_revision: int


def _lookback_days(rollout: Rollout) -> int:
    # Training counts working days before the cutover: two calendar days per
    # working day cover weekends, and 60 more cover holidays and closures.
    return rollout.cutover_days + 2 * rollout.training_days + 60


def window_state_key(
    *,
    plant_id: int,
    calendar_revision: int,
    rollout_id: int,
    rollout_revision: int,
    today: datetime.date,
) -> str:
    """A cache key of window_state's answer: it changes with everything the
    answer depends on, the plant's calendar (its settings and items move
    calendar_revision), the rollout's phases, dates and profile (its
    revision), the plant-local day, the horizon's length and the reader's
    language (names in `blocking`)."""
    return (
        f"offpeak:window-state:{plant_id}.{calendar_revision}:"
        f"{rollout_id}.{rollout_revision}:{today.isoformat()}:"
        f"{settings.OFFPEAK_HORIZON_DAYS}:{get_language()}"
    )


def window_state(
    *, plant: Plant, rollout: Rollout, today: datetime.date | None = None
) -> WindowState:
    """Whether the rollout may go live at the plant today, and when that changes.

    Rule: a go-live is allowed on day D when D, as go-live day, is feasible for
    the rollout in the scoring engine: D within the rollout's earliest/latest
    go-live, all phases fit, and no hard season, milestone or blackout touches
    the cutover or hypercare. The calendar is scored from far enough before
    today that today's training phase fits. next_open is the first allowed day
    from today (today itself when allowed), next_close the first day after it
    that is not, both within the planning horizon.
    """
    today = today or plant.local_today()
    lookback = _lookback_days(rollout)
    horizon = plant_horizon(
        plant=plant,
        today=today - datetime.timedelta(days=lookback),
        days=lookback + settings.OFFPEAK_HORIZON_DAYS,
    )
    data = plant_calendar_data(plant=plant, start=horizon.start, end=horizon.end)
    calendar = PlantCalendar(
        plant=plant,
        horizon=horizon,
        data=data,
        arrays=calendar_arrays(data=data, start=horizon.start, plant=plant),
    )
    spec = calendar.spec_for(rollout)
    scores = scoring.score_horizon(calendar.arrays, spec)
    t = calendar.index(today)
    last = calendar.index(horizon.last_candidate)
    ahead = np.asarray(scores.feasible[t : last + 1], dtype=bool)
    allowed = bool(ahead[0])
    next_open = next_close = None
    if ahead.any():
        first_open = int(np.argmax(ahead))
        next_open = calendar.date(t + first_open)
        closed_after = ~ahead[first_open:]
        if closed_after.any():
            next_close = calendar.date(t + first_open + int(np.argmax(closed_after)))
    flags = int(scores.reasons[t])
    return WindowState(
        plant=plant.code,
        rollout=rollout.id,
        today=today,
        allowed_today=allowed,
        reasons=scoring.reason_labels(flags, spec),
        reason_codes=scoring.reason_codes(flags),
        blocking=[
            c.as_dict()
            for c in scoring.conflicts(calendar.arrays, spec, t)
            if c.blocking
        ],
        next_open=next_open,
        next_close=next_close,
        horizon_end=horizon.last_candidate,
        calendar_revision=plant.calendar_revision,
    )
