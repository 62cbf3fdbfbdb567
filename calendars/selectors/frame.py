"""Reads of the production calendar.

`plant_calendar` turns a plant's calendar into one pandas DataFrame, one row per
plant-local day. It runs one query per table (`calendar_rows_load`) and expands
intervals to days with numpy slices and vectorised joins (`calendar_frame_build`):
there is no Python loop over days.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from django.db.models import Q

from calendars import holidays as plant_holidays
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    PlanLine,
    Plant,
    ProductionPlan,
)

_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


@dataclass(frozen=True)
class CalendarInterval:
    """A named span of a plant's calendar, as the scoring engine needs it.

    kind: season, milestone, blackout, closure or holiday. For milestones the
    span includes the freeze buffer. value: severity or criticality 1-5 (seasons,
    milestones), 1 for blackouts, closures and holidays.
    """

    kind: str
    name: str
    start: datetime.date
    end: datetime.date
    value: float
    hard: bool
    detail: str = ""


@dataclass
class CalendarRows:
    """What the database holds for one plant and date range, fetched once."""

    plant: Plant
    start: datetime.date
    end: datetime.date
    exceptions: list = field(default_factory=list)
    seasons: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    blackouts: list = field(default_factory=list)
    plan_lines: pd.DataFrame | None = None


@dataclass
class CalendarData:
    frame: pd.DataFrame
    intervals: list[CalendarInterval]


def calendar_rows_load(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> CalendarRows:
    """One query per table for everything that shapes [start, end]."""
    overlaps = Q(start__lte=end, end__gte=start)
    longest_bucket = datetime.timedelta(days=31)
    lines = PlanLine.objects.filter(
        plan__plant=plant,
        plan__active=True,
        bucket_start__lte=end,
        bucket_start__gte=start - longest_bucket,
    ).values_list(
        "bucket_start", "load", "capacity", "plan__version", "plan__granularity"
    )
    return CalendarRows(
        plant=plant,
        start=start,
        end=end,
        exceptions=list(CalendarException.objects.filter(overlaps, plant=plant)),
        seasons=list(
            PeakSeason.objects.filter(
                Q(plant=plant) | Q(plant__isnull=True),
                Q(recurring_yearly=True) | overlaps,
            )
        ),
        milestones=[
            m
            for m in Milestone.objects.filter(
                plant=plant,
                start__lte=end + datetime.timedelta(days=366),
                end__gte=start - datetime.timedelta(days=366),
            )
            if m.buffered_start <= end and m.buffered_end >= start
        ],
        # A recurrence's `end` bounds when occurrences start, and one that starts
        # before `start` can last into it: Blackout.occurrences sorts them out.
        blackouts=list(
            Blackout.objects.filter(
                Q(end__isnull=True) | Q(end__gte=start) | ~Q(rrule=""),
                plant=plant,
                start__lte=end,
            )
        ),
        plan_lines=pd.DataFrame.from_records(
            list(lines),
            columns=["bucket_start", "load", "capacity", "version", "granularity"],
        ),
    )


def plant_calendar_data(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> CalendarData:
    return calendar_frame_build(
        rows=calendar_rows_load(plant=plant, start=start, end=end)
    )


def plant_calendar(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> pd.DataFrame:
    """One row per plant-local day in [start, end] with the columns:

    is_working, reason (holiday name, weekend, closure, make-up day… empty on an
    ordinary working day), provisional (the official arrangement of that year is
    not published yet), absence (holiday or closure: staff away), utilisation,
    peak_severity (highest season that day) and seasons, milestone_pressure
    (highest criticality within a milestone's buffered span) and milestones,
    blackouts, forbidden (a hard season, milestone or blackout) and
    forbidden_reason.
    """
    return plant_calendar_data(plant=plant, start=start, end=end).frame


class _Painter:
    """Writes interval values onto day arrays with slices, one interval at a time."""

    def __init__(self, start: datetime.date, n: int) -> None:
        self.start = start
        self.n = n

    def span(self, first: datetime.date, last: datetime.date) -> slice | None:
        lo = max((first - self.start).days, 0)
        hi = min((last - self.start).days, self.n - 1)
        return slice(lo, hi + 1) if lo <= hi else None

    @staticmethod
    def add_name(names: np.ndarray, where: slice, name: str) -> None:
        part = names[where]
        names[where] = np.where(part == "", name, part + ", " + name)


def calendar_frame_build(*, rows: CalendarRows) -> CalendarData:
    plant, start, end = rows.plant, rows.start, rows.end
    days = np.arange(
        np.datetime64(start, "D"), np.datetime64(end, "D") + 1, dtype="datetime64[D]"
    )
    n = len(days)
    paint = _Painter(start, n)
    intervals: list[CalendarInterval] = []

    weekday = (days.astype(np.int64) + _EPOCH_WEEKDAY) % 7
    weekend = np.isin(weekday, plant.weekend_days)
    reason = np.where(weekend, "weekend", "").astype(object)

    official = plant_holidays.holiday_calendar(
        plant.country, plant.subdivision, plant.holiday_categories, start, end
    )
    holiday_dates = np.array(sorted(official.holidays), dtype="datetime64[D]")
    holiday_mask = np.isin(days, holiday_dates)
    if holiday_mask.any():
        names = pd.Series(
            {np.datetime64(d, "D"): n for d, n in official.holidays.items()}
        )
        reason[holiday_mask] = names.reindex(days[holiday_mask]).to_numpy()
    makeup = np.isin(
        days, np.array(sorted(official.makeup_workdays), dtype="datetime64[D]")
    )
    reason[makeup] = "make-up working day"
    is_working = (~weekend & ~holiday_mask) | makeup
    absence = holiday_mask & ~makeup
    for day, name in official.holidays.items():
        intervals.append(CalendarInterval("holiday", name, day, day, 1.0, False))

    for exc in rows.exceptions:
        where = paint.span(exc.start, exc.end)
        if where is None:
            continue
        if exc.kind == CalendarException.Kind.CLOSURE:
            is_working[where] = False
            absence[where] = True
            reason[where] = f"closure: {exc.name}"
            intervals.append(
                CalendarInterval("closure", exc.name, exc.start, exc.end, 1.0, False)
            )
        else:
            is_working[where] = True
            absence[where] = False
            reason[where] = f"{exc.get_kind_display().lower()}: {exc.name}"

    published = plant_holidays.published_through(plant.country)
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    provisional = (
        years > published if published is not None else np.zeros(n, dtype=bool)
    )

    peak = np.zeros(n, dtype=np.int64)
    season_names = np.full(n, "", dtype=object)
    pressure = np.zeros(n, dtype=np.int64)
    milestone_names = np.full(n, "", dtype=object)
    blackout_names = np.full(n, "", dtype=object)
    forbidden = np.zeros(n, dtype=bool)
    forbidden_reason = np.full(n, "", dtype=object)

    def forbid(where: slice, label: str) -> None:
        forbidden[where] = True
        paint.add_name(forbidden_reason, where, label)

    for season in rows.seasons:
        for first, last in season.occurrences(start, end):
            where = paint.span(first, last)
            if where is None:
                continue
            np.maximum(peak[where], season.severity, out=peak[where])
            paint.add_name(season_names, where, season.name)
            if season.hard:
                forbid(where, f"hard-freeze season {season.name}")
            intervals.append(
                CalendarInterval(
                    "season", season.name, first, last, season.severity, season.hard
                )
            )

    for milestone in rows.milestones:
        first, last = milestone.buffered_start, milestone.buffered_end
        where = paint.span(first, last)
        if where is None:
            continue
        np.maximum(pressure[where], milestone.criticality, out=pressure[where])
        paint.add_name(milestone_names, where, milestone.name)
        if milestone.hard:
            forbid(where, f"hard milestone {milestone.name}")
        intervals.append(
            CalendarInterval(
                "milestone",
                milestone.name,
                first,
                last,
                milestone.criticality,
                milestone.hard,
                detail=milestone.kind,
            )
        )

    for blackout in rows.blackouts:
        for first, last in blackout.occurrences(start, end):
            where = paint.span(first, last)
            if where is None:
                continue
            paint.add_name(blackout_names, where, blackout.name)
            if blackout.hard:
                forbid(where, f"hard blackout {blackout.name}")
            intervals.append(
                CalendarInterval(
                    "blackout",
                    blackout.name,
                    first,
                    last,
                    1.0,
                    blackout.hard,
                    detail=blackout.kind,
                )
            )

    utilisation = _utilisation(
        rows.plan_lines, days, is_working, plant.default_utilisation
    )

    frame = pd.DataFrame(
        {
            "is_working": is_working,
            "reason": reason.astype(str),
            "provisional": provisional,
            "absence": absence,
            "utilisation": utilisation,
            "peak_severity": peak,
            "seasons": season_names.astype(str),
            "milestone_pressure": pressure,
            "milestones": milestone_names.astype(str),
            "blackouts": blackout_names.astype(str),
            "forbidden": forbidden,
            "forbidden_reason": forbidden_reason.astype(str),
        },
        index=pd.DatetimeIndex(days, name="date"),
    )
    return CalendarData(frame=frame, intervals=intervals)


def _utilisation(
    lines: pd.DataFrame | None,
    days: np.ndarray,
    is_working: np.ndarray,
    default: float,
) -> np.ndarray:
    """Planned load / capacity per day.

    A daily bucket is its own day; weekly and monthly buckets spread their load
    and capacity evenly over their working days (so every working day carries
    the bucket's load/capacity ratio and non-working days none). Work centres of
    one bucket add up. Where plans overlap, the newest version wins day by day.
    Working days no plan covers get the plant's default utilisation.
    """
    n = len(days)
    utilisation = np.where(is_working, default, 0.0)
    if lines is None or lines.empty:
        return utilisation
    buckets = lines.groupby(["version", "granularity", "bucket_start"], as_index=False)[
        ["load", "capacity"]
    ].sum()
    first = buckets["bucket_start"].to_numpy(dtype="datetime64[D]")
    granularity = buckets["granularity"].to_numpy()
    month_end = (first.astype("datetime64[M]") + 1).astype("datetime64[D]") - 1
    last = np.where(
        granularity == ProductionPlan.Granularity.DAY,
        first,
        np.where(granularity == ProductionPlan.Granularity.WEEK, first + 6, month_end),
    )
    lengths = (last - first).astype(np.int64) + 1
    offsets = np.arange(lengths.sum()) - np.repeat(
        np.cumsum(lengths) - lengths, lengths
    )
    day_index = (np.repeat(first, lengths) - days[0]).astype(np.int64) + offsets
    expanded = pd.DataFrame(
        {
            "day": day_index,
            "version": np.repeat(buckets["version"].to_numpy(), lengths),
            "daily": np.repeat(granularity == ProductionPlan.Granularity.DAY, lengths),
            "ratio": np.repeat(
                (buckets["load"] / buckets["capacity"]).to_numpy(), lengths
            ),
        }
    )
    expanded = expanded[(expanded["day"] >= 0) & (expanded["day"] < n)]
    newest = expanded.sort_values("version").drop_duplicates("day", keep="last")
    index = newest["day"].to_numpy()
    counts = newest["daily"].to_numpy() | is_working[index]
    utilisation[index] = np.where(counts, newest["ratio"].to_numpy(), 0.0)
    return utilisation
