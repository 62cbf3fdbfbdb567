"""Fiscal calendars: a plant's fiscal years, quarters and periods, and the close
days around each period boundary. Pure: no Django, no database.

Patterns (`FiscalCalendar.pattern`):

- "months": a fiscal year is the 12 calendar months ending with the last day of
  `year_end_month` (3 gives the April-March years of India and Japan). Each
  period is one calendar month; quarters are periods 1-3, 4-6, 7-9 and 10-12.
- "4-4-5", "4-5-4", "5-4-4": 52/53-week years. A year ends on the LAST
  `week_end_day` (Monday = 0) of `year_end_month` (the "last" variant of 52-53
  week years, as pandas' `FY5253(variation="last")` computes it), and starts the
  day after the previous year's end. Each quarter is 13 weeks, split into three
  periods of 4-4-5, 4-5-4 or 5-4-4 weeks. In a 53-week year the extra week goes
  to the last period of the fourth quarter (period 12 then has 6, 5 or 5 weeks
  respectively), matching `FY5253Quarter` with `qtr_with_extra_week=4`.

Naming: a fiscal year is named by the calendar year in which it ends, so the
April 2026 - March 2027 year is fiscal year 2027, and a 4-4-5 year ending on
Saturday 2022-12-31 is fiscal year 2022.

Dates are `datetime.date`, ranges are inclusive at both ends. Errors are
`FiscalValueError`, whose `field` is the plant setting's name (fiscal_pattern,
fiscal_year_end_month, fiscal_week_end_day) or the argument's (end, last_k,
first_j, working_days).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
from pandas.tseries.offsets import FY5253

PATTERNS = ("months", "4-4-5", "4-5-4", "5-4-4")
WEEK_PATTERNS: dict[str, tuple[int, int, int]] = {
    "4-4-5": (4, 4, 5),
    "4-5-4": (4, 5, 4),
    "5-4-4": (5, 4, 4),
}
MAX_CLOSE_DAYS = 20

_ONE_DAY = datetime.timedelta(days=1)

WorkingDays = (
    Callable[[datetime.date], bool] | Iterable[datetime.date] | np.ndarray | pd.Series
)


class FiscalValueError(ValueError):
    """A fiscal setting or argument is invalid; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _is_int(value: object) -> bool:
    # bool is an int subclass, but True is not a month.
    return isinstance(value, int | np.integer) and not isinstance(value, bool)


@dataclass(frozen=True)
class FiscalCalendar:
    """A plant's fiscal calendar; see the module docstring for the rules.

    `week_end_day` (0-6, Monday = 0) is required by the week patterns and must
    be None for "months", so that equal calendars compare equal.
    """

    pattern: str = "months"
    year_end_month: int = 12
    week_end_day: int | None = None

    def __post_init__(self) -> None:
        if self.pattern not in PATTERNS:
            raise FiscalValueError(
                "fiscal_pattern",
                f"fiscal pattern must be one of {', '.join(PATTERNS)}, "
                f"not {self.pattern!r}",
            )
        if not _is_int(self.year_end_month) or not 1 <= self.year_end_month <= 12:
            raise FiscalValueError(
                "fiscal_year_end_month",
                f"fiscal year end month must be 1-12, not {self.year_end_month!r}",
            )
        if self.pattern == "months":
            if self.week_end_day is not None:
                raise FiscalValueError(
                    "fiscal_week_end_day",
                    "only the 4-4-5, 4-5-4 and 5-4-4 patterns use a week end day",
                )
        elif not _is_int(self.week_end_day) or not 0 <= self.week_end_day <= 6:
            raise FiscalValueError(
                "fiscal_week_end_day",
                f"the {self.pattern} pattern needs a week end day 0-6 "
                f"(Monday = 0), not {self.week_end_day!r}",
            )

    @property
    def weekly(self) -> bool:
        return self.pattern != "months"


@dataclass(frozen=True)
class FiscalPeriod:
    """One fiscal period [start, end]; period is 1-12, quarter 1-4."""

    year: int
    quarter: int
    period: int
    start: datetime.date
    end: datetime.date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class CloseWindow:
    """The working days around the end of one fiscal period.

    `last_days`: the period's last K working days; `first_days`: the next
    period's first J working days; `boundary`: the next period's first day.
    `year_end`: the period closes the fiscal year (period 12).
    """

    year: int
    quarter: int
    period: int
    boundary: datetime.date
    last_days: tuple[datetime.date, ...]
    first_days: tuple[datetime.date, ...]
    year_end: bool

    @property
    def days(self) -> tuple[datetime.date, ...]:
        return self.last_days + self.first_days


# Fiscal years -----------------------------------------------------------------


@lru_cache(maxsize=64)
def _offset(calendar: FiscalCalendar) -> FY5253:
    return FY5253(
        weekday=calendar.week_end_day,
        startingMonth=calendar.year_end_month,
        variation="last",
    )


def _week_year_end(calendar: FiscalCalendar, year: int) -> datetime.date:
    # With variation="last" the year end always falls in year_end_month, so the
    # first year end on or after that month's 1st is fiscal year `year`'s.
    first = pd.Timestamp(year, calendar.year_end_month, 1)
    return _offset(calendar).rollforward(first).date()


def fiscal_year_of(*, calendar: FiscalCalendar, day: datetime.date) -> int:
    """The fiscal year (named by the calendar year it ends in) containing day."""
    if calendar.weekly:
        return _offset(calendar).rollforward(pd.Timestamp(day)).year
    return day.year + (day.month > calendar.year_end_month)


@lru_cache(maxsize=1024)
def _year_periods(calendar: FiscalCalendar, year: int) -> tuple[FiscalPeriod, ...]:
    if calendar.weekly:
        first = _week_year_end(calendar, year - 1) + _ONE_DAY
        end = _week_year_end(calendar, year)
        # 52 or 53, as FY5253 placed the year ends; the surplus week (if any)
        # lengthens the last period of the fourth quarter.
        weeks = ((end - first).days + 1) // 7
        lengths = list(WEEK_PATTERNS[calendar.pattern] * 4)
        lengths[-1] += weeks - 52
        ends = np.cumsum(lengths) * 7
        starts = np.concatenate(([0], ends[:-1]))
        bounds = [
            (first + datetime.timedelta(int(s)), first + datetime.timedelta(int(e) - 1))
            for s, e in zip(starts, ends, strict=True)
        ]
    else:
        months = pd.period_range(
            pd.Period(year=year - 1, month=calendar.year_end_month, freq="M") + 1,
            periods=12,
            freq="M",
        )
        bounds = [(m.start_time.date(), m.end_time.date()) for m in months]
    return tuple(
        FiscalPeriod(
            year=year, quarter=(number - 1) // 3 + 1, period=number, start=s, end=e
        )
        for number, (s, e) in enumerate(bounds, start=1)
    )


# Public API ---------------------------------------------------------------------


def _check_range(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise FiscalValueError("end", f"end {end} is before start {start}")


def fiscal_periods(
    *, calendar: FiscalCalendar, start: datetime.date, end: datetime.date
) -> list[FiscalPeriod]:
    """Every fiscal period that overlaps [start, end], in order. The periods
    tile time: each starts the day after the previous one ends."""
    _check_range(start, end)
    first_year = fiscal_year_of(calendar=calendar, day=start)
    last_year = fiscal_year_of(calendar=calendar, day=end)
    return [
        period
        for year in range(first_year, last_year + 1)
        for period in _year_periods(calendar, year)
        if period.end >= start and period.start <= end
    ]


def _starts(
    calendar: FiscalCalendar,
    start: datetime.date,
    end: datetime.date,
    every: int,
) -> np.ndarray:
    days = [
        p.start
        for p in fiscal_periods(calendar=calendar, start=start, end=end)
        if start <= p.start and (p.period - 1) % every == 0
    ]
    return np.array(days, dtype="datetime64[D]")


def period_starts(
    *, calendar: FiscalCalendar, start: datetime.date, end: datetime.date
) -> np.ndarray:
    """First days of fiscal periods within [start, end], as a sorted
    datetime64[D] array (test a day array with `np.isin`)."""
    return _starts(calendar, start, end, every=1)


def quarter_starts(
    *, calendar: FiscalCalendar, start: datetime.date, end: datetime.date
) -> np.ndarray:
    """First days of fiscal quarters within [start, end] (datetime64[D])."""
    return _starts(calendar, start, end, every=3)


def year_starts(
    *, calendar: FiscalCalendar, start: datetime.date, end: datetime.date
) -> np.ndarray:
    """First days of fiscal years within [start, end] (datetime64[D])."""
    return _starts(calendar, start, end, every=12)


def _working_mask(
    working_days: WorkingDays,
    first: np.datetime64,
    count: int,
    start: datetime.date,
    end: datetime.date,
) -> np.ndarray:
    """Working flags for the `count` days from `first`; unknown days are not
    working."""
    days = first + np.arange(count)
    if isinstance(working_days, pd.Series):
        index = pd.to_datetime(working_days.index).to_numpy().astype("datetime64[D]")
        offsets = (index - first).astype(int)
        inside = (offsets >= 0) & (offsets < count)
        mask = np.zeros(count, dtype=bool)
        mask[offsets[inside]] = working_days.to_numpy(dtype=bool)[inside]
        return mask
    if isinstance(working_days, np.ndarray) and working_days.dtype == bool:
        expected = (end - start).days + 1
        if working_days.shape != (expected,):
            raise FiscalValueError(
                "working_days",
                f"a working-day mask must have one flag per day from {start} to "
                f"{end} ({expected}), not shape {working_days.shape}",
            )
        mask = np.zeros(count, dtype=bool)
        at = int((np.datetime64(start, "D") - first).astype(int))
        lo, hi = max(at, 0), min(at + expected, count)
        mask[lo:hi] = working_days[lo - at : hi - at]
        return mask
    if callable(working_days):
        return np.fromiter(
            (bool(working_days(d)) for d in days.astype(object)), bool, count
        )
    if isinstance(working_days, np.ndarray | pd.Index):
        try:
            dates = np.asarray(working_days).astype("datetime64[D]")
        except (TypeError, ValueError):
            raise _bad_working_days() from None
        return np.isin(days, dates)
    if not isinstance(working_days, Iterable):
        raise _bad_working_days()
    if not isinstance(working_days, AbstractSet):
        working_days = set(working_days)
    # Set membership per day beats converting hundreds of dates to datetime64.
    return np.fromiter((d in working_days for d in days.astype(object)), bool, count)


def _bad_working_days() -> FiscalValueError:
    return FiscalValueError(
        "working_days",
        "working_days must be a callable, a collection of dates, a boolean "
        "mask or a boolean Series indexed by date",
    )


def _count(value: object, field: str) -> int:
    if not _is_int(value) or not 0 <= value <= MAX_CLOSE_DAYS:
        raise FiscalValueError(
            field, f"{field} must be a whole number 0-{MAX_CLOSE_DAYS}, not {value!r}"
        )
    return int(value)


def period_close_days(
    *,
    calendar: FiscalCalendar,
    start: datetime.date,
    end: datetime.date,
    working_days: WorkingDays,
    last_k: int,
    first_j: int,
) -> list[CloseWindow]:
    """The close window of every period boundary whose days touch [start, end].

    A window is the closing period's last `last_k` WORKING days and the next
    period's first `first_j` working days; non-working days are skipped, never
    counted, and a window never reaches beyond those two periods. Windows are
    soft constraints; the one closing a fiscal year has `year_end=True` (the
    callers make it hard).

    working_days is one of: a callable date -> bool; a collection of working
    dates; a boolean Series indexed by date; a boolean numpy array with one flag
    per day of [start, end]. Days it does not cover count as non-working, so a
    mask that stops at `end` may shorten the windows at the range's edges.
    """
    _check_range(start, end)
    last_k = _count(last_k, "last_k")
    first_j = _count(first_j, "first_j")
    periods = fiscal_periods(calendar=calendar, start=start, end=end)
    before = fiscal_periods(
        calendar=calendar, start=periods[0].start - _ONE_DAY, end=periods[0].start
    )[0]
    after = fiscal_periods(
        calendar=calendar, start=periods[-1].end, end=periods[-1].end + _ONE_DAY
    )[-1]
    chain = [before, *periods, after]

    first = np.datetime64(chain[0].start, "D")
    count = (chain[-1].end - chain[0].start).days + 1
    working = np.flatnonzero(_working_mask(working_days, first, count, start, end))
    # Day offsets of each closing period's start, each boundary (the next
    # period's start) and the day after the next period: one searchsorted each.
    starts = np.array([p.start for p in chain], dtype="datetime64[D]") - first
    stops = np.array([p.end for p in chain], dtype="datetime64[D]") - first + 1
    opens = np.searchsorted(working, starts[:-1].astype(int))
    bounds = np.searchsorted(working, starts[1:].astype(int))
    closes = np.searchsorted(working, stops[1:].astype(int))

    # Window i is working[lasts[i]:bounds[i]] then working[bounds[i]:heads[i]].
    lasts = np.maximum(bounds - last_k, opens).tolist()
    heads = np.minimum(bounds + first_j, closes).tolist()
    bounds = bounds.tolist()
    # The period before the range is kept only if its window reaches in.
    low, high = (start - chain[0].start).days, (end - chain[0].start).days
    reaches = working[lasts[0] : heads[0]]
    skip_first = not ((reaches >= low) & (reaches <= high)).any()
    dates = (first + working).astype(object).tolist()  # one conversion
    windows = []
    for i, closing in enumerate(chain[:-1]):
        if i == 0 and skip_first:
            continue
        b = bounds[i]
        windows.append(
            CloseWindow(
                year=closing.year,
                quarter=closing.quarter,
                period=closing.period,
                boundary=chain[i + 1].start,
                last_days=tuple(dates[lasts[i] : b]),
                first_days=tuple(dates[b : heads[i]]),
                year_end=closing.period == 12,
            )
        )
    return windows
