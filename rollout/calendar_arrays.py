"""From a plant's stored calendar to the scoring engine's arrays.

The engine (rollout.scoring) is pure; this module is the one bridge between it
and the database: one calendar load per plant, shared by all its rollouts.
"""

import dataclasses
import datetime
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from calendars import fiscal
from calendars.kinds import FACTORS_BY_KIND, VALUE_SCALES
from calendars.models import Plant
from calendars.selectors import CalendarData, plant_calendar_data
from rollout import scoring

# Days scored beyond the last candidate so that a late go-live's hypercare fits.
HYPERCARE_MARGIN_DAYS = 400


@dataclass(frozen=True)
class Horizon:
    start: datetime.date  # the plant's today
    last_candidate: datetime.date
    end: datetime.date  # last day with calendar data (past the last candidate)


@dataclass(frozen=True)
class PlantCalendar:
    plant: Plant
    horizon: Horizon
    data: CalendarData
    arrays: scoring.CalendarArrays

    def index(self, day: datetime.date) -> int:
        return (day - self.horizon.start).days

    def date(self, index: int) -> datetime.date:
        return self.horizon.start + datetime.timedelta(days=int(index))

    def spec_for(self, rollout) -> scoring.RolloutSpec:
        """The rollout's spec with its latest go-live capped to the horizon:
        how the rebuild, an evaluation, the window state and the window
        calendar all score it."""
        spec = rollout.spec()
        last = self.horizon.last_candidate
        if spec.latest is None or spec.latest > last:
            spec = dataclasses.replace(spec, latest=last)
        return spec

    def phase_dates(self, scores: scoring.Scores, g: int) -> list[dict]:
        """[{"name", "start", "end"}] (ISO dates) of the go-live on day g."""
        phases = []
        for p, name in enumerate(scoring.PHASES):
            first, last = int(scores.phase_start[g, p]), int(scores.phase_end[g, p])
            if first >= 0:
                phases.append(
                    {
                        "name": name,
                        "start": self.date(first).isoformat(),
                        "end": self.date(last).isoformat(),
                    }
                )
        return phases


def plant_horizon(
    *, plant: Plant, today: datetime.date | None = None, days: int | None = None
) -> Horizon:
    start = today or plant.local_today()
    length = settings.OFFPEAK_HORIZON_DAYS if days is None else days
    last = start + datetime.timedelta(days=length)
    return Horizon(
        start=start,
        last_candidate=last,
        end=last + datetime.timedelta(days=HYPERCARE_MARGIN_DAYS),
    )


def plant_calendar_load(
    *, plant: Plant, today: datetime.date | None = None
) -> PlantCalendar:
    horizon = plant_horizon(plant=plant, today=today)
    data = plant_calendar_data(plant=plant, start=horizon.start, end=horizon.end)
    return PlantCalendar(
        plant=plant,
        horizon=horizon,
        data=data,
        arrays=calendar_arrays(data=data, start=horizon.start, plant=plant),
    )


# go_live_on → which fiscal boundaries it goes live at (calendars.fiscal).
_FISCAL_STARTS = {
    "period_start": fiscal.period_starts,
    "quarter_start": fiscal.quarter_starts,
    "year_start": fiscal.year_starts,
}


def fiscal_alignments(
    *, plant: Plant, start: datetime.date, is_working: np.ndarray
) -> dict[str, np.ndarray]:
    """For each fiscal alignment, True on the first working day of each fiscal
    period (quarter, year) starting within the days from `start`
    (is_working: one flag per day); a period with no working day has none.
    Vectorised: one searchsorted per alignment."""
    n = len(is_working)
    calendar = plant.fiscal_calendar()
    last = start + datetime.timedelta(days=max(n - 1, 0))
    working = np.flatnonzero(is_working)
    out = {}
    for name, starts_of in _FISCAL_STARTS.items():
        mask = np.zeros(n, dtype=bool)
        out[name] = mask
        if not n or not len(working):
            continue
        starts = starts_of(calendar=calendar, start=start, end=last)
        offsets = (starts - np.datetime64(start, "D")).astype(np.int64)
        following = np.append(offsets[1:], n)  # each period's end + 1, capped
        at = np.searchsorted(working, offsets)
        inside = at < len(working)
        days = working[np.minimum(at, len(working) - 1)]
        mask[days[inside & (days < following)]] = True
    return out


def calendar_arrays(
    *, data: CalendarData, start: datetime.date, plant: Plant
) -> scoring.CalendarArrays:
    columns = data.numeric  # no text column painted, no frame built
    causes = tuple(
        scoring.Cause(
            kind=interval.kind,
            # An anchored item's occurrence names its dates.
            name=interval.cause_name,
            # The one place calendar kinds meet the engine's factors.
            factor=FACTORS_BY_KIND[interval.kind],
            start=(interval.start - start).days,
            end=(interval.end - start).days,
            # Severity and criticality 1-5 count 0.2-1; blackouts and absences 1.
            value=interval.value / VALUE_SCALES[interval.kind],
            hard=interval.hard,
        )
        for interval in data.intervals
    )
    is_working = np.asarray(columns["is_working"], dtype=bool)
    return scoring.CalendarArrays(
        start=start,
        is_working=is_working,
        load=np.asarray(columns["utilisation"], dtype=float),
        absence=np.asarray(columns["absence"], dtype=float),
        causes=causes,
        alignments=fiscal_alignments(plant=plant, start=start, is_working=is_working),
    )
