"""Reads of the production calendar.

`plant_calendar` turns a plant's calendar into one pandas DataFrame, one row per
plant-local day. It runs one query per table (`calendar_rows_load`) and expands
intervals to days with numpy slices and vectorised joins (`calendar_frame_build`):
there is no Python loop over days.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
from django.utils.translation import get_language, gettext, override

from accounts.compiled import CompiledQuery
from calendars import holidays as plant_holidays
from calendars.intervals import CalendarInterval
from calendars.kinds import GENERATED_KINDS, ITEM_KINDS
from calendars.models import Plant
from calendars.selectors.plan_lines import PlanLines, SkippedPlanLine, plan_lines_load
from calendars.selectors.utilisation import daily_utilisation

_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday (Monday = 0)


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


def calendar_rows_load(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> CalendarRows:
    """One query per table for everything that shapes [start, end]."""
    plan_lines, skipped = plan_lines_load(plant=plant, start=start, end=end)
    return CalendarRows(
        plant=plant,
        start=start,
        end=end,
        items={key: _items_in_range(key, plant, start, end) for key in ITEM_KINDS},
        plan_lines=plan_lines,
        skipped_plan_lines=skipped,
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


def _items_in_range(key: str, plant: Plant, start, end) -> list:
    """The kind's items for the range, each holding `plant` itself rather
    than a copy joined in per row: the rows of the plant's own items come
    without the plant's columns, and the company-wide ones have none."""
    items = _ITEMS_IN_RANGE[key].run(plant_id=plant.pk, start=start, end=end)
    for item in items:
        if item.plant_id == plant.pk:
            item.plant = plant
    return items


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
