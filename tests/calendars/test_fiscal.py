"""Fiscal calendars: months and 52/53-week years, periods, close windows."""

import datetime
import time

import numpy as np
import pandas as pd
import pytest
from pandas.tseries.offsets import FY5253, FY5253Quarter

from calendars.fiscal import (
    CloseWindow,
    FiscalCalendar,
    FiscalValueError,
    fiscal_periods,
    fiscal_year_of,
    period_close_days,
    period_starts,
    quarter_starts,
    year_starts,
)

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
DECEMBER = FiscalCalendar()
APRIL_TO_MARCH = FiscalCalendar(year_end_month=3)


def saturday_calendar(pattern: str) -> FiscalCalendar:
    return FiscalCalendar(pattern=pattern, year_end_month=12, week_end_day=5)


def weekdays(first: datetime.date, last: datetime.date) -> set[datetime.date]:
    days = (first + ONE_DAY * n for n in range((last - first).days + 1))
    return {d for d in days if d.weekday() < 5}


def a_53_week_year() -> int:
    """A fiscal year ending on the last Saturday of December with 53 weeks, as
    pandas' FY5253 computes it (not the module under test)."""
    offset = FY5253(weekday=5, startingMonth=12, variation="last")
    ends = pd.date_range("2015-01-01", "2035-12-31", freq=offset)
    for previous, end in zip(ends[:-1], ends[1:], strict=True):
        if (end - previous).days == 371:
            return end.year
    raise AssertionError("no 53-week year found")


def test_the_default_calendar_is_calendar_months_ending_in_december():
    periods = fiscal_periods(
        calendar=DECEMBER, start=D(2026, 1, 1), end=D(2026, 12, 31)
    )

    assert [(p.year, p.quarter, p.period) for p in periods[:4]] == [
        (2026, 1, 1),
        (2026, 1, 2),
        (2026, 1, 3),
        (2026, 2, 4),
    ]
    assert [(p.start, p.end) for p in periods[1:2]] == [(D(2026, 2, 1), D(2026, 2, 28))]
    assert periods[-1].end == D(2026, 12, 31)
    assert len(periods) == 12


def test_an_april_to_march_year_is_named_by_the_year_it_ends_in():
    periods = fiscal_periods(
        calendar=APRIL_TO_MARCH, start=D(2026, 3, 15), end=D(2026, 4, 2)
    )

    assert [(p.year, p.quarter, p.period, p.start, p.end) for p in periods] == [
        (2026, 4, 12, D(2026, 3, 1), D(2026, 3, 31)),
        (2027, 1, 1, D(2026, 4, 1), D(2026, 4, 30)),
    ]
    assert fiscal_year_of(calendar=APRIL_TO_MARCH, day=D(2026, 12, 31)) == 2027
    assert fiscal_year_of(calendar=APRIL_TO_MARCH, day=D(2027, 3, 31)) == 2027
    assert fiscal_year_of(calendar=APRIL_TO_MARCH, day=D(2027, 4, 1)) == 2028


def test_a_53_week_4_4_5_year_has_371_days_and_a_14_week_final_period():
    year = a_53_week_year()
    calendar = saturday_calendar("4-4-5")

    periods = [
        p
        for p in fiscal_periods(
            calendar=calendar, start=D(year - 1, 12, 1), end=D(year, 12, 31)
        )
        if p.year == year
    ]

    assert (periods[-1].end - periods[0].start).days + 1 == 371
    assert periods[-1].end.weekday() == 5
    assert [p.days // 7 for p in periods] == [4, 4, 5] * 3 + [4, 4, 6]
    fourth_quarter = [p for p in periods if p.quarter == 4]
    assert (fourth_quarter[-1].end - fourth_quarter[0].start).days + 1 == 14 * 7


def test_week_year_ends_are_the_last_week_end_day_of_the_month_per_fy5253():
    calendar = FiscalCalendar(pattern="5-4-4", year_end_month=6, week_end_day=4)
    offset = FY5253(weekday=4, startingMonth=6, variation="last")

    periods = fiscal_periods(
        calendar=calendar, start=D(2020, 1, 1), end=D(2030, 12, 31)
    )

    ends = [p.end for p in periods if p.period == 12]
    expected = pd.date_range("2020-01-01", "2030-12-31", freq=offset)
    assert ends == [e.date() for e in expected]
    assert all(e.weekday() == 4 and (e + 7 * ONE_DAY).month == 7 for e in ends)


def test_week_quarters_end_where_fy5253quarter_puts_them():
    calendar = saturday_calendar("4-5-4")
    offset = FY5253Quarter(
        weekday=5, startingMonth=12, qtr_with_extra_week=4, variation="last"
    )

    quarter_ends = [
        p.end
        for p in fiscal_periods(
            calendar=calendar, start=D(2019, 1, 1), end=D(2028, 12, 31)
        )
        if p.period % 3 == 0
    ]

    expected = pd.date_range(quarter_ends[0], quarter_ends[-1], freq=offset)
    assert quarter_ends == [e.date() for e in expected]


@pytest.mark.parametrize(
    ("pattern", "weeks_52", "weeks_53"),
    [
        ("4-4-5", [4, 4, 5] * 4, [4, 4, 5] * 3 + [4, 4, 6]),
        ("4-5-4", [4, 5, 4] * 4, [4, 5, 4] * 3 + [4, 5, 5]),
        ("5-4-4", [5, 4, 4] * 4, [5, 4, 4] * 3 + [5, 4, 5]),
    ],
)
def test_each_week_pattern_splits_quarters_and_gives_the_extra_week_to_period_12(
    pattern, weeks_52, weeks_53
):
    year_53 = a_53_week_year()
    calendar = saturday_calendar(pattern)

    for year, weeks in ((year_53 - 1, weeks_52), (year_53, weeks_53)):
        periods = fiscal_periods(
            calendar=calendar, start=D(year, 6, 1), end=D(year, 6, 1)
        )
        year_periods = fiscal_periods(
            calendar=calendar, start=D(year - 1, 12, 31), end=D(year, 12, 31)
        )
        lengths = [p.days for p in year_periods if p.year == periods[0].year]
        assert all(days % 7 == 0 for days in lengths)
        assert [days // 7 for days in lengths] == weeks


@pytest.mark.parametrize(
    "calendar",
    [
        DECEMBER,
        APRIL_TO_MARCH,
        FiscalCalendar(year_end_month=6),
        saturday_calendar("4-4-5"),
        FiscalCalendar(pattern="4-5-4", year_end_month=9, week_end_day=6),
        FiscalCalendar(pattern="5-4-4", year_end_month=1, week_end_day=0),
    ],
    ids=str,
)
def test_periods_tile_ten_years_without_gaps_or_overlaps(calendar):
    start, end = D(2021, 1, 1), D(2030, 12, 31)

    periods = fiscal_periods(calendar=calendar, start=start, end=end)

    assert periods[0].start <= start and periods[-1].end >= end
    for previous, current in zip(periods[:-1], periods[1:], strict=True):
        assert current.start == previous.end + ONE_DAY
        assert current.period == previous.period % 12 + 1
        assert current.year == previous.year + (current.period == 1)
        assert current.quarter == (current.period - 1) // 3 + 1
    assert all(p.end >= p.start for p in periods)


def test_period_quarter_and_year_starts_are_date_arrays_within_the_range():
    calendar = saturday_calendar("4-4-5")
    start, end = D(2026, 1, 1), D(2027, 12, 31)
    periods = fiscal_periods(calendar=calendar, start=start, end=end)

    starts = period_starts(calendar=calendar, start=start, end=end)

    assert starts.dtype == np.dtype("datetime64[D]")
    assert starts.astype(object).tolist() == [p.start for p in periods[1:]]
    assert quarter_starts(calendar=calendar, start=start, end=end).astype(
        object
    ).tolist() == [p.start for p in periods[1:] if p.period in (1, 4, 7, 10)]
    assert year_starts(calendar=calendar, start=start, end=end).astype(
        object
    ).tolist() == [D(2026, 12, 27), D(2027, 12, 26)]


@pytest.mark.parametrize(
    ("settings", "field"),
    [
        ({"pattern": "4-4-4"}, "fiscal_pattern"),
        ({"year_end_month": 0}, "fiscal_year_end_month"),
        ({"year_end_month": 13}, "fiscal_year_end_month"),
        ({"year_end_month": True}, "fiscal_year_end_month"),
        ({"year_end_month": "12"}, "fiscal_year_end_month"),
        ({"pattern": "4-4-5"}, "fiscal_week_end_day"),
        ({"pattern": "4-4-5", "week_end_day": 7}, "fiscal_week_end_day"),
        ({"pattern": "5-4-4", "week_end_day": -1}, "fiscal_week_end_day"),
        ({"pattern": "months", "week_end_day": 5}, "fiscal_week_end_day"),
    ],
)
def test_invalid_settings_name_the_field(settings, field):
    with pytest.raises(FiscalValueError) as error:
        FiscalCalendar(**settings)

    assert error.value.field == field
    assert isinstance(error.value, ValueError)


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"last_k": -1}, "last_k"),
        ({"last_k": 21}, "last_k"),
        ({"first_j": 1.5}, "first_j"),
        ({"end": D(2025, 12, 31)}, "end"),
        ({"working_days": 5}, "working_days"),
        ({"working_days": np.ones(3, dtype=bool)}, "working_days"),
    ],
)
def test_invalid_close_day_arguments_name_the_field(arguments, field):
    call = {
        "calendar": DECEMBER,
        "start": D(2026, 1, 1),
        "end": D(2026, 12, 31),
        "working_days": weekdays(D(2025, 1, 1), D(2027, 12, 31)),
        "last_k": 2,
        "first_j": 1,
    } | arguments

    with pytest.raises(FiscalValueError) as error:
        period_close_days(**call)

    assert error.value.field == field


def test_close_days_skip_weekends_and_holidays():
    # January 2026 ends on a Saturday; 2026-01-30 (Friday) is made a holiday.
    working = weekdays(D(2025, 12, 1), D(2026, 3, 31)) - {D(2026, 1, 30)}

    windows = period_close_days(
        calendar=DECEMBER,
        start=D(2026, 1, 10),
        end=D(2026, 2, 10),
        working_days=working,
        last_k=3,
        first_j=2,
    )

    january = next(w for w in windows if w.period == 1)
    assert january.boundary == D(2026, 2, 1)
    assert january.last_days == (D(2026, 1, 27), D(2026, 1, 28), D(2026, 1, 29))
    assert january.first_days == (D(2026, 2, 2), D(2026, 2, 3))
    assert january.days == january.last_days + january.first_days
    assert not january.year_end


def test_close_windows_cover_each_period_in_range_and_flag_the_year_end():
    calendar = saturday_calendar("4-4-5")
    start, end = D(2026, 1, 1), D(2027, 12, 31)

    windows = period_close_days(
        calendar=calendar,
        start=start,
        end=end,
        working_days=weekdays(D(2025, 11, 1), D(2028, 3, 1)),
        last_k=2,
        first_j=5,
    )

    periods = fiscal_periods(calendar=calendar, start=start, end=end)
    closing = [(w.year, w.period) for w in windows if w.boundary > start]
    assert closing == [(p.year, p.period) for p in periods]
    assert [w.boundary for w in windows if w.year_end] == [
        D(2025, 12, 28),
        D(2026, 12, 27),
        D(2027, 12, 26),
    ]
    assert all(w.year_end == (w.period == 12) for w in windows)
    assert all(isinstance(w, CloseWindow) for w in windows)
    # FY2025 closes on Saturday 2025-12-27; its window reaches into the range
    # through FY2026's first five working days.
    assert windows[0].first_days == (
        D(2025, 12, 29),
        D(2025, 12, 30),
        D(2025, 12, 31),
        D(2026, 1, 1),
        D(2026, 1, 2),
    )


def test_a_window_stays_within_its_two_periods_when_few_days_work():
    working = {D(2026, 3, 2), D(2026, 4, 30)}

    windows = period_close_days(
        calendar=DECEMBER,
        start=D(2026, 3, 1),
        end=D(2026, 3, 31),
        working_days=working,
        last_k=5,
        first_j=5,
    )

    march = next(w for w in windows if w.period == 3)
    assert march.last_days == (D(2026, 3, 2),)
    assert march.first_days == (D(2026, 4, 30),)


def test_every_form_of_working_days_gives_the_same_windows():
    start, end = D(2026, 1, 1), D(2026, 12, 31)
    days = pd.date_range(start, end)
    working = weekdays(start, end)
    mask = days.day_of_week < 5
    forms = [
        working,
        sorted(working),
        lambda day: day in working,
        np.asarray(mask),
        pd.Series(mask, index=days),
        days[mask],
    ]

    results = [
        period_close_days(
            calendar=APRIL_TO_MARCH,
            start=start,
            end=end,
            working_days=form,
            last_k=3,
            first_j=2,
        )
        for form in forms
    ]

    assert all(result == results[0] for result in results[1:])


def test_a_two_year_horizon_takes_well_under_ten_milliseconds():
    start, end = D(2026, 5, 1), D(2028, 4, 30)
    working = weekdays(start - 60 * ONE_DAY, end + 60 * ONE_DAY)
    calendar = FiscalCalendar(pattern="4-4-5", year_end_month=9, week_end_day=5)

    def run() -> float:
        began = time.perf_counter()
        period_close_days(
            calendar=calendar,
            start=start,
            end=end,
            working_days=working,
            last_k=3,
            first_j=2,
        )
        return time.perf_counter() - began

    assert min(run() for _ in range(5)) < 0.010
