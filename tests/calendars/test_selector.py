"""The daily calendar frame a plant's recommendations are scored from."""

import datetime

import pandas as pd
import pytest

from calendars.models import CalendarException, ProductionPlan
from calendars.selectors import plant_calendar
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlanLineFactory,
    PlantFactory,
    ProductionPlanFactory,
)

D = datetime.date

pytestmark = pytest.mark.django_db

COLUMNS = [
    "is_working",
    "reason",
    "provisional",
    "absence",
    "utilisation",
    "peak_severity",
    "seasons",
    "milestone_pressure",
    "milestones",
    "blackouts",
    "forbidden",
    "forbidden_reason",
]


@pytest.fixture
def stuttgart_winter():
    """A Baden-Württemberg plant around New Year 2027.

    Public holidays: Christmas Day (Fri 25 Dec), Second Day of Christmas (Sat 26),
    New Year's Day (Fri 1 Jan), Epiphany (Wed 6 Jan).
    """
    plant = PlantFactory(stuttgart=True, code="stg", default_utilisation=0.7)
    other = PlantFactory(code="other")
    CalendarExceptionFactory(
        plant=plant,
        kind=CalendarException.Kind.CLOSURE,
        name="Christmas shutdown",
        start=D(2026, 12, 28),
        end=D(2026, 12, 30),
    )
    CalendarExceptionFactory(
        plant=plant,
        kind=CalendarException.Kind.HALF_DAY,
        name="Christmas Eve",
        start=D(2026, 12, 24),
        end=D(2026, 12, 24),
    )
    CalendarExceptionFactory(
        plant=plant,
        kind=CalendarException.Kind.EXTRA_WORKING_DAY,
        name="Inventory Saturday",
        start=D(2027, 1, 9),
        end=D(2027, 1, 9),
    )
    CalendarExceptionFactory(  # another plant's closure
        plant=other, start=D(2026, 12, 21), end=D(2027, 1, 8)
    )
    # Entered once, for the winter of 2025/26; it recurs every year.
    PeakSeasonFactory(
        plant=plant,
        name="Winter peak",
        start=D(2025, 12, 22),
        end=D(2026, 1, 5),
        recurring_yearly=True,
        severity=4,
    )
    PeakSeasonFactory(  # company-wide, one-off, a hard freeze
        plant=None,
        name="Year-end rush",
        start=D(2026, 12, 20),
        end=D(2026, 12, 23),
        severity=2,
        hard=True,
    )
    PeakSeasonFactory(plant=other, start=D(2026, 12, 1), end=D(2027, 1, 31))
    MilestoneFactory(
        plant=plant,
        name="Customer audit",
        start=D(2027, 1, 7),
        end=D(2027, 1, 7),
        criticality=5,
        freeze_before_days=2,
        freeze_after_days=2,
        hard=True,
    )
    MilestoneFactory(
        plant=plant,
        name="Key order ACME",
        start=D(2027, 1, 8),
        end=D(2027, 1, 8),
        criticality=3,
    )
    MilestoneFactory(  # long past, not in the frame
        plant=plant, name="Old SOP", start=D(2026, 6, 1), end=D(2026, 6, 5)
    )
    BlackoutFactory(  # last two weekdays of each month: 30 and 31 Dec
        plant=plant, name="Month-end close", start=D(2026, 1, 1)
    )
    BlackoutFactory(
        plant=plant,
        name="Stock count",
        kind="stock_count",
        rrule="",
        start=D(2027, 1, 5),
        end=D(2027, 1, 5),
        hard=True,
    )
    plan = ProductionPlanFactory(plant=plant, version=1, granularity="week")
    PlanLineFactory(plan=plan, bucket_start=D(2026, 12, 21), load=60, capacity=100)
    PlanLineFactory(
        plan=plan,
        bucket_start=D(2027, 1, 4),
        work_centre="press",
        load=50,
        capacity=60,
    )
    PlanLineFactory(
        plan=plan,
        bucket_start=D(2027, 1, 4),
        work_centre="paint",
        load=40,
        capacity=40,
    )
    return plant


@pytest.fixture
def frame(stuttgart_winter):
    return plant_calendar(
        plant=stuttgart_winter, start=D(2026, 12, 20), end=D(2027, 1, 10)
    )


# One entry per day, Sun 20 Dec 2026 … Sun 10 Jan 2027.
DAYS = [
    "2026-12-20 Sun", "2026-12-21 Mon", "2026-12-22 Tue", "2026-12-23 Wed",
    "2026-12-24 Thu", "2026-12-25 Fri", "2026-12-26 Sat", "2026-12-27 Sun",
    "2026-12-28 Mon", "2026-12-29 Tue", "2026-12-30 Wed", "2026-12-31 Thu",
    "2027-01-01 Fri", "2027-01-02 Sat", "2027-01-03 Sun", "2027-01-04 Mon",
    "2027-01-05 Tue", "2027-01-06 Wed", "2027-01-07 Thu", "2027-01-08 Fri",
    "2027-01-09 Sat", "2027-01-10 Sun",
]  # fmt: skip
T, F = True, False
SHUT = "closure: Christmas shutdown"
WP, YR = "Winter peak", "Year-end rush"
CA = "Customer audit"
EXPECTED = {
    "is_working": [
        F, T, T, T,
        T, F, F, F,
        F, F, F, T,
        F, F, F, T,
        T, F, T, T,
        T, F,
    ],
    "reason": [
        "weekend", "", "", "",
        "half day: Christmas Eve", "Christmas Day", "Second Day of Christmas",
        "weekend",
        SHUT, SHUT, SHUT, "",
        "New Year's Day", "weekend", "weekend", "",
        "", "Epiphany", "", "",
        "extra working day: Inventory Saturday", "weekend",
    ],
    "absence": [
        F, F, F, F,
        F, T, T, F,
        T, T, T, F,
        T, F, F, F,
        F, T, F, F,
        F, F,
    ],
    "utilisation": [
        0.0, 0.6, 0.6, 0.6,
        0.6, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.7,
        0.0, 0.0, 0.0, 0.9,
        0.9, 0.0, 0.9, 0.9,
        0.9, 0.0,
    ],
    "peak_severity": [
        2, 2, 4, 4,
        4, 4, 4, 4,
        4, 4, 4, 4,
        4, 4, 4, 4,
        4, 0, 0, 0,
        0, 0,
    ],
    "seasons": [
        YR, YR, f"{WP}, {YR}", f"{WP}, {YR}",
        WP, WP, WP, WP,
        WP, WP, WP, WP,
        WP, WP, WP, WP,
        WP, "", "", "",
        "", "",
    ],
    "milestone_pressure": [
        0, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
        0, 0, 0, 0,
        5, 5, 5, 5,
        5, 0,
    ],
    "milestones": [
        "", "", "", "",
        "", "", "", "",
        "", "", "", "",
        "", "", "", "",
        CA, CA, CA, f"{CA}, Key order ACME",
        CA, "",
    ],
    "blackouts": [
        "", "", "", "",
        "", "", "", "",
        "", "", "Month-end close", "Month-end close",
        "", "", "", "",
        "Stock count", "", "", "",
        "", "",
    ],
    "forbidden": [
        T, T, T, T,
        F, F, F, F,
        F, F, F, F,
        F, F, F, F,
        T, T, T, T,
        T, F,
    ],
    "forbidden_reason": [
        "hard-freeze season Year-end rush", "hard-freeze season Year-end rush",
        "hard-freeze season Year-end rush", "hard-freeze season Year-end rush",
        "", "", "", "",
        "", "", "", "",
        "", "", "", "",
        "hard milestone Customer audit, hard blackout Stock count",
        "hard milestone Customer audit", "hard milestone Customer audit",
        "hard milestone Customer audit", "hard milestone Customer audit",
        "",
    ],
}  # fmt: skip


def test_the_frame_has_one_row_per_day_indexed_by_date(frame):
    assert len(frame) == 22
    assert frame.index.name == "date"
    assert isinstance(frame.index, pd.DatetimeIndex)
    assert [f"{ts:%Y-%m-%d %a}" for ts in frame.index] == DAYS
    assert list(frame.columns) == COLUMNS


@pytest.mark.parametrize("column", list(EXPECTED))
def test_each_column_matches_the_hand_made_calendar(frame, column):
    actual = frame[column].tolist()
    expected = EXPECTED[column]

    if column == "utilisation":
        assert actual == pytest.approx(expected)
    else:
        mismatches = [
            (day, got, want)
            for day, got, want in zip(DAYS, actual, expected, strict=True)
            if got != want
        ]
        assert mismatches == []


def test_nothing_is_provisional_in_germany(frame):
    assert not frame["provisional"].any()


def test_a_single_day_frame_works(stuttgart_winter):
    one = plant_calendar(plant=stuttgart_winter, start=D(2027, 1, 7), end=D(2027, 1, 7))

    assert len(one) == 1
    assert one.iloc[0]["milestones"] == "Customer audit"
    assert one.iloc[0]["forbidden"]


def test_building_two_years_takes_the_same_few_queries_however_many_milestones(
    django_assert_max_num_queries,
):
    plant = PlantFactory()
    MilestoneFactory(plant=plant)
    BlackoutFactory(plant=plant)
    PeakSeasonFactory(plant=plant, recurring_yearly=True)
    CalendarExceptionFactory(plant=plant)
    PlanLineFactory(plan=ProductionPlanFactory(plant=plant))
    start, end = D(2026, 1, 1), D(2027, 12, 31)

    with django_assert_max_num_queries(6) as few:
        plant_calendar(plant=plant, start=start, end=end)
    for week in range(60):
        monday = D(2026, 3, 2) + datetime.timedelta(weeks=week)
        MilestoneFactory(plant=plant, start=monday, end=monday, freeze_after_days=2)
    with django_assert_max_num_queries(6) as many:
        frame = plant_calendar(plant=plant, start=start, end=end)

    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(frame) == 730


@pytest.fixture
def berlin_january():
    """v1: monthly plan for January 2027 at 50 %; v2: one week at 80 %."""
    plant = PlantFactory(berlin=True, default_utilisation=0.7)
    v1 = ProductionPlanFactory(plant=plant, version=1, granularity="month")
    PlanLineFactory(plan=v1, bucket_start=D(2027, 1, 1), load=500, capacity=1000)
    v2 = ProductionPlanFactory(plant=plant, version=2, granularity="week")
    PlanLineFactory(plan=v2, bucket_start=D(2027, 1, 11), load=80, capacity=100)
    return plant


def _utilisation(plant, first, last):
    return plant_calendar(plant=plant, start=first, end=last)["utilisation"].tolist()


def test_overlapping_plans_the_newest_version_wins_day_by_day(berlin_january):
    # Mon 11 Jan … Tue 2 Feb 2027.
    assert _utilisation(berlin_january, D(2027, 1, 11), D(2027, 2, 2)) == [
        0.8, 0.8, 0.8, 0.8, 0.8, 0.0, 0.0,  # v2's week
        0.5, 0.5, 0.5, 0.5, 0.5, 0.0, 0.0,  # v1's month
        0.5, 0.5, 0.5, 0.5, 0.5, 0.0, 0.0,
        0.7, 0.7,  # February: no plan, the plant's default
    ]  # fmt: skip


def test_the_newest_version_wins_even_if_imported_first(berlin_january):
    v0 = ProductionPlanFactory(plant=berlin_january, version=0, granularity="week")
    PlanLineFactory(plan=v0, bucket_start=D(2027, 1, 18), load=10, capacity=100)

    assert _utilisation(berlin_january, D(2027, 1, 18), D(2027, 1, 19)) == [0.5, 0.5]


def test_a_switched_off_plan_no_longer_counts(berlin_january):
    ProductionPlan.objects.filter(version=2).update(active=False)

    assert _utilisation(berlin_january, D(2027, 1, 11), D(2027, 1, 12)) == [0.5, 0.5]


def test_a_weekly_plan_that_started_before_the_frame_still_counts(berlin_january):
    # v2's week began on Monday 11 January.
    assert _utilisation(berlin_january, D(2027, 1, 13), D(2027, 1, 14)) == [0.8, 0.8]


def test_a_daily_plan_counts_on_the_day_it_names_even_a_sunday():
    plant = PlantFactory(berlin=True)
    plan = ProductionPlanFactory(plant=plant, granularity="day")
    PlanLineFactory(plan=plan, bucket_start=D(2027, 1, 17), load=30, capacity=100)

    assert _utilisation(plant, D(2027, 1, 15), D(2027, 1, 18)) == pytest.approx(
        [0.7, 0.0, 0.3, 0.7]
    )


def test_a_recurring_blackout_longer_than_a_day_reaches_into_the_frame():
    plant = PlantFactory(berlin=True)
    BlackoutFactory(plant=plant, start=D(2026, 1, 1), duration_days=3, hard=True)

    frame = plant_calendar(plant=plant, start=D(2026, 3, 1), end=D(2026, 3, 2))

    # 27 Feb (Fri) + 3 days covers 1 March.
    assert frame["blackouts"].tolist() == ["Month-end close", ""]
    assert frame["forbidden_reason"].tolist() == ["hard blackout Month-end close", ""]


def test_a_finished_recurring_blackout_still_shows_its_last_occurrence_tail():
    plant = PlantFactory(berlin=True)
    # The last occurrence starts on Fri 27 Feb, its end, and lasts until 1 March.
    BlackoutFactory(
        plant=plant, start=D(2026, 1, 1), end=D(2026, 2, 27), duration_days=3
    )

    frame = plant_calendar(plant=plant, start=D(2026, 3, 1), end=D(2026, 3, 2))

    assert frame["blackouts"].tolist() == ["Month-end close", ""]
