"""Reads of the production calendar.

`plant_calendar` turns a plant's calendar into one pandas DataFrame, one row per
plant-local day. It runs one query per table (`calendar_rows_load`) and expands
intervals to days with numpy slices and vectorised joins (`calendar_frame_build`):
there is no Python loop over days.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from django.utils.translation import get_language, gettext, override

from accounts.compiled import CompiledQuery
from calendars import holidays as plant_holidays
from calendars.imports.limits import MAX_AMOUNT, MAX_UTILISATION
from calendars.intervals import CalendarInterval
from calendars.kinds import GENERATED_KINDS, ITEM_KINDS
from calendars.models import (
    PlanLine,
    Plant,
    ProductionPlan,
)
from calendars.selectors.utilisation import daily_utilisation

logger = logging.getLogger(__name__)

_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)
# A plant whose stored plan is full of bad rows gets this many warnings per
# read, then one line with the count: the log says it, and does not flood.
_LOGGED_SKIPS = 10


# Plan rows as one array per column of _PLAN_LINE_COLUMNS (numpy, no pandas:
# every rebuild reads them).
PlanLines = dict[str, np.ndarray]


@dataclass(frozen=True)
class SkippedPlanLine:
    """A stored plan row the calendar could not use: its load or capacity is
    not finite or out of the range every entry point enforces (a row written
    to the database past validation)."""

    plan_id: int
    plan_version: int
    line_id: int
    bucket_start: datetime.date
    granularity: str
    load: float
    capacity: float


@dataclass
class CalendarRows:
    """What the database holds for one plant and date range, fetched once."""

    plant: Plant
    start: datetime.date
    end: datetime.date
    items: dict[str, list] = field(default_factory=dict)  # kind key → rows
    plan_lines: PlanLines | None = None
    skipped_plan_lines: list[SkippedPlanLine] = field(default_factory=list)


@dataclass
class CalendarData:
    days: np.ndarray
    # The frame's numeric columns (is_working, provisional, absence,
    # utilisation, the kinds' levels, forbidden), one value per day of `days`:
    # all a rebuild reads, built at once.
    numeric: dict[str, np.ndarray]
    intervals: list[CalendarInterval]
    # Paints the text columns (reason, the kinds' names, forbidden_reason);
    # run by `columns` when first read.
    paint_text: Callable[[], dict[str, np.ndarray]] = field(repr=False)
    # Bad stored plan rows left out of `utilisation` (see plan_lines_checked).
    skipped_plan_lines: list[SkippedPlanLine] = field(default_factory=list)

    @cached_property
    def columns(self) -> dict[str, np.ndarray]:
        """The frame's columns in its order, without the DataFrame."""
        numeric, text = self.numeric, self.paint_text()
        return {
            "is_working": numeric["is_working"],
            "reason": text["reason"],
            "provisional": numeric["provisional"],
            "absence": numeric["absence"],
            "utilisation": numeric["utilisation"],
            **_kind_columns(numeric, text),
            "forbidden": numeric["forbidden"],
            "forbidden_reason": text["forbidden_reason"],
        }

    @cached_property
    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                name: column.astype(str) if column.dtype == object else column
                for name, column in self.columns.items()
            },
            index=pd.DatetimeIndex(self.days, name="date"),
        )


# The columns of a plan row the calendar reads (name → values_list path), and
# each one's array type.
_PLAN_LINE_COLUMNS = {
    "id": ("id", np.int64),
    "plan_id": ("plan_id", np.int64),
    "bucket_start": ("bucket_start", "datetime64[D]"),
    "load": ("load", float),
    "capacity": ("capacity", float),
    "version": ("plan__version", np.int64),
    "granularity": ("plan__granularity", object),
}


def _plan_lines(*, plant: Plant, **filters):
    return PlanLine.objects.filter(
        plan__plant=plant, plan__active=True, **filters
    ).values_list(*(path for path, _ in _PLAN_LINE_COLUMNS.values()))


def _plan_line_arrays(rows: list[tuple]) -> PlanLines:
    columns = zip(*rows, strict=True) if rows else [()] * len(_PLAN_LINE_COLUMNS)
    return {
        # A NULL load or capacity becomes NaN: not finite, so left out.
        name: np.array(values, dtype=dtype)
        for (name, (_, dtype)), values in zip(
            _PLAN_LINE_COLUMNS.items(), columns, strict=True
        )
    }


def calendar_rows_load(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> CalendarRows:
    """One query per table for everything that shapes [start, end]."""
    plan_lines, skipped = plan_lines_checked(
        plant=plant,
        lines=_plan_line_arrays(_plan_lines_in_range(plant, start, end)),
    )
    return CalendarRows(
        plant=plant,
        start=start,
        end=end,
        items={key: _items_in_range(key, plant, start, end) for key in ITEM_KINDS},
        plan_lines=plan_lines,
        skipped_plan_lines=skipped,
    )


# Every rebuild and calendar page runs these: compiled to SQL once.
_PLAN_LINES_IN_RANGE = CompiledQuery(
    lambda plant_id, start, end: _plan_lines(
        plant=Plant(pk=plant_id),
        bucket_start__lte=end,
        bucket_start__gte=start - datetime.timedelta(days=31),  # longest bucket
    ),
    plant_id=int,
    start=datetime.date,
    end=datetime.date,
)
_ITEMS_IN_RANGE = {
    key: CompiledQuery(
        lambda plant_id, start, end, model=kind.model: model.in_range(
            Plant(pk=plant_id), start, end
        ).select_related(None),
        plant_id=int,
        start=datetime.date,
        end=datetime.date,
    )
    for key, kind in ITEM_KINDS.items()
}


def _plan_lines_in_range(plant: Plant, start, end) -> list[tuple]:
    return _PLAN_LINES_IN_RANGE.run(plant_id=plant.pk, start=start, end=end)


def _items_in_range(key: str, plant: Plant, start, end) -> list:
    """The kind's items for the range, each holding `plant` itself rather
    than a copy joined in per row: the rows of the plant's own items come
    without the plant's columns, and the company-wide ones have none."""
    items = _ITEMS_IN_RANGE[key].run(plant_id=plant.pk, start=start, end=end)
    for item in items:
        if item.plant_id == plant.pk:
            item.plant = plant
    return items


def plan_lines_checked(
    *, plant: Plant, lines: PlanLines
) -> tuple[PlanLines, list[SkippedPlanLine]]:
    """`lines` without the rows no entry point would have let in (load finite,
    0 to MAX_AMOUNT and at most MAX_UTILISATION × capacity; capacity finite,
    above 0 up to MAX_AMOUNT), and those rows, each logged with its plant,
    plan, row and date. One bad row written straight into the database must
    not fail the calendar, the rebuild and the go-live gate of a whole plant:
    its bucket falls back to the plant's default utilisation instead."""
    load, capacity = lines["load"], lines["capacity"]
    with np.errstate(invalid="ignore", over="ignore"):
        good = (
            np.isfinite(load)
            & np.isfinite(capacity)
            & (load >= 0)
            & (load <= MAX_AMOUNT)
            & (capacity > 0)
            & (capacity <= MAX_AMOUNT)
            & (load <= MAX_UTILISATION * capacity)
        )
    if good.all():
        return lines, []
    skipped = [
        SkippedPlanLine(
            plan_id=int(lines["plan_id"][i]),
            plan_version=int(lines["version"][i]),
            line_id=int(lines["id"][i]),
            bucket_start=lines["bucket_start"][i].item(),
            granularity=str(lines["granularity"][i]),
            load=float(load[i]),
            capacity=float(capacity[i]),
        )
        for i in np.flatnonzero(~good)
    ]
    for line in skipped[:_LOGGED_SKIPS]:
        logger.warning(
            "plant %s: production plan v%s (id %s) row %s dated %s skipped: "
            "load %r / capacity %r is not finite or out of range",
            plant.code,
            line.plan_version,
            line.plan_id,
            line.line_id,
            line.bucket_start.isoformat(),
            line.load,
            line.capacity,
        )
    if len(skipped) > _LOGGED_SKIPS:
        logger.warning(
            "plant %s: %d more bad production plan rows skipped",
            plant.code,
            len(skipped) - _LOGGED_SKIPS,
        )
    return {name: column[good] for name, column in lines.items()}, skipped


def plan_lines_skipped(*, plant: Plant) -> list[SkippedPlanLine]:
    """The rows of the plant's active plans that the calendar leaves out
    (plan_lines_checked), whatever their date: the plan page shows them."""
    lines = _plan_line_arrays(list(_plan_lines(plant=plant)))
    return plan_lines_checked(plant=plant, lines=lines)[1]


def plan_line_span(line: SkippedPlanLine) -> tuple[datetime.date, datetime.date]:
    """The first and last day a plan row's bucket covers."""
    first = line.bucket_start
    if line.granularity == ProductionPlan.Granularity.WEEK:
        return first, first + datetime.timedelta(days=6)
    if line.granularity == ProductionPlan.Granularity.MONTH:
        following = (first.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
    return first, first


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
    # Holiday names and reasons in the active language (the reader's: pages,
    # the API by Accept-Language, the feed in its token user's language); the
    # text columns are painted in it too, when first read.
    language = get_language()

    weekday = (days.astype(np.int64) + _EPOCH_WEEKDAY) % 7
    weekend = np.isin(weekday, plant.weekend_days)

    official = plant_holidays.holiday_calendar(
        plant.country,
        plant.subdivision,
        plant.holiday_categories,
        start,
        end,
        language=language,
    )
    holiday_dates = np.array(sorted(official.holidays), dtype="datetime64[D]")
    holiday_mask = np.isin(days, holiday_dates)
    makeup = np.isin(
        days, np.array(sorted(official.makeup_workdays), dtype="datetime64[D]")
    )
    is_working = (~weekend & ~holiday_mask) | makeup
    absence = holiday_mask & ~makeup
    for day, name in official.holidays.items():
        intervals.append(CalendarInterval("holiday", name, day, day, 1.0, False))

    closures = []
    for exc in rows.items.get("closure", []):
        where = paint.span(exc.start, exc.end)
        if where is None:
            continue
        closures.append((exc, where))
        is_working[where] = bool(exc.is_working)
        absence[where] = not exc.is_working

    published = plant_holidays.published_through(plant.country)
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    provisional = (
        years > published if published is not None else np.zeros(n, dtype=bool)
    )

    forbidden = np.zeros(n, dtype=bool)
    levels = {
        k.level_column: np.zeros(n, dtype=np.int64)
        for k in ITEM_KINDS.values()
        if k.level_column
    }
    spans = [
        (kind, interval)
        for key, kind in ITEM_KINDS.items()
        for item in rows.items.get(key, [])
        for interval in item.calendar_intervals(start, end)
    ] + [
        (kind, interval)
        for kind in GENERATED_KINDS.values()
        for interval in kind.generate(
            plant=plant, start=start, end=end, is_working=is_working
        )
    ]
    painted = []
    for kind, interval in spans:
        where = paint.span(interval.start, interval.end)
        if where is None:
            continue
        intervals.append(interval)
        painted.append((kind, interval, where))
        if kind.level_column:
            level = levels[kind.level_column]
            np.maximum(level[where], int(interval.value), out=level[where])
        if interval.hard and kind.hard_label:
            forbidden[where] = True

    utilisation = daily_utilisation(
        rows.plan_lines, days, is_working, plant.default_utilisation
    )

    def paint_text() -> dict[str, np.ndarray]:
        with override(language):
            reason = np.where(weekend, gettext("weekend"), "").astype(object)
            if holiday_mask.any():
                at = np.flatnonzero(holiday_mask)
                reason[at] = [
                    official.holidays[start + datetime.timedelta(int(i))] for i in at
                ]
            reason[makeup] = gettext("make-up working day")
            for exc, where in closures:
                if not exc.is_working:
                    reason[where] = gettext("closure: %(name)s") % {"name": exc.name}
                else:
                    reason[where] = gettext("%(kind)s: %(name)s") % {
                        "kind": exc.get_kind_display().lower(),
                        "name": exc.name,
                    }
        forbidden_reason = np.full(n, "", dtype=object)
        names = {
            k.names_column: np.full(n, "", dtype=object)
            for k in ITEM_KINDS.values()
            if k.names_column
        }
        for kind, interval, where in painted:
            if kind.names_column:
                paint.add_name(names[kind.names_column], where, interval.name)
            if interval.hard and kind.hard_label:
                paint.add_name(
                    forbidden_reason,
                    where,
                    kind.hard_label % {"name": interval.name},
                )
        return {"reason": reason, **names, "forbidden_reason": forbidden_reason}

    return CalendarData(
        days=days,
        numeric={
            "is_working": is_working,
            "provisional": provisional,
            "absence": absence,
            "utilisation": utilisation,
            **levels,
            "forbidden": forbidden,
        },
        intervals=intervals,
        paint_text=paint_text,
        skipped_plan_lines=list(rows.skipped_plan_lines),
    )


def _kind_columns(levels: dict, names: dict) -> dict:
    # Kind by kind, its level then its names (peak_severity, seasons, …).
    columns = {}
    for kind in ITEM_KINDS.values():
        if kind.level_column:
            columns[kind.level_column] = levels[kind.level_column]
        if kind.names_column:
            columns[kind.names_column] = names[kind.names_column]
    return columns
