"""Every number is finite and in range and every date within the calendar:
a value that would overflow a later sum or a datetime is refused by row and
column, and nothing is saved."""

import datetime

import pytest

from calendars.imports import plan_import
from calendars.models import PlanLine
from tests.calendars.imports.files import (
    problems,
    refused,
    sheet_rows,
    upload,
    xlsx_bytes,
    xlsx_with_sheet,
)

pytestmark = pytest.mark.django_db

D = datetime.date
AT_MOST = "must be at most 1,000,000,000,000"


def one_row(load: str, capacity: str, day: str = "2027-01-04") -> str:
    return f"date,load,capacity\n{day},{load},{capacity}\n"


def test_a_row_of_1e308_over_1e_minus_308_is_refused_naming_file_row_and_column(
    plant,
):
    error = refused(plant, upload(one_row("1e308", "1e-308")))

    assert problems(error) == [(2, "load", f"load {AT_MOST}")]
    assert str(error) == f"plan.csv: row 2, column load: load {AT_MOST}"


@pytest.mark.parametrize(
    ("load", "message"),
    [
        ("nan", "load must be a number, not nan"),
        ("inf", "load must be a number, not inf"),
        ("-inf", "load must be a number, not -inf"),
        ("1e309", f"load {AT_MOST}"),
        ("-1e309", "load must be zero or more"),
        ("1e12000", f"load {AT_MOST}"),
        ("1000000000001", f"load {AT_MOST}"),
        ("-0", "load must be zero or more; write 0, not -0"),
        ("-0.0", "load must be zero or more; write 0, not -0"),
    ],
)
def test_a_load_that_is_not_finite_or_out_of_range_is_refused(plant, load, message):
    error = refused(plant, upload(one_row(load, "100")))

    assert problems(error) == [(2, "load", message)]


@pytest.mark.parametrize(
    ("capacity", "message"),
    [
        ("nan", "capacity must be a number, not nan"),
        ("inf", "capacity must be a number, not inf"),
        ("1e309", f"capacity {AT_MOST}"),
        ("-0", "capacity must be more than zero"),
        ("1.5e12", f"capacity {AT_MOST}"),
    ],
)
def test_a_capacity_that_is_not_finite_or_out_of_range_is_refused(
    plant, capacity, message
):
    error = refused(plant, upload(one_row("0", capacity)))

    assert problems(error) == [(2, "capacity", message)]


def test_the_largest_load_and_capacity_and_a_zero_load_are_accepted(plant):
    text = "date,load,capacity\n2027-01-04,1e12,1e12\n2027-01-05,0,1e-9\n"

    plan = plan_import(plant=plant, file=upload(text), granularity="day")

    assert plan.row_count == 2


def test_a_load_of_more_than_ten_times_the_capacity_is_refused(plant):
    text = "date,load,capacity\n2027-01-04,1000,100\n2027-01-05,1000.1,100\n"

    error = refused(plant, upload(text))

    assert problems(error) == [
        (
            3,
            "load",
            "load is 10 times the capacity; at most 10 times is accepted "
            "(check the units)",
        )
    ]


def test_excel_number_cells_obey_the_same_limits(plant):
    # Written by hand: openpyxl refuses to write an infinite or overlong number.
    huge = "1" + "0" * 400
    data = xlsx_with_sheet(
        sheet_rows(
            [
                (2, "2027-01-04", "1E+308", "1E-308"),
                (3, "2027-01-05", "5", huge),
                (4, "2027-01-06", "1E+400", "1"),
            ]
        )
    )

    error = refused(plant, upload(data, "plan.xlsx"))

    assert problems(error) == [
        (2, "load", f"load {AT_MOST}"),
        (3, "capacity", f"capacity {AT_MOST}"),
        (4, "load", f"load {AT_MOST}"),
    ]


def test_an_excel_true_is_not_a_number(plant):
    rows = [["date", "load", "capacity"], [D(2027, 1, 4), True, 1]]

    error = refused(plant, upload(xlsx_bytes(rows), "plan.xlsx"))

    assert problems(error) == [(2, "load", "load must be a number, not True")]


@pytest.mark.parametrize(
    "day", ["1899-12-31", "0001-01-01", "3000-01-01", "9999-12-31"]
)
def test_a_date_outside_the_calendar_is_refused(plant, day):
    error = refused(plant, upload(one_row("1", "1", day=day)))

    assert problems(error) == [
        (
            2,
            "date",
            f"{day} is out of range. Give a date from 1900-01-01 to 2999-12-31.",
        )
    ]


def test_the_first_and_last_calendar_dates_import_even_past_2262(plant):
    # pandas' nanosecond timestamps end in 2262; the plan's dates must not.
    text = "date,load,capacity\n1900-01-01,1,2\n2999-12-31,1,2\n"

    plan = plan_import(plant=plant, file=upload(text), granularity="day")

    assert (plan.period_start, plan.period_end) == (D(1900, 1, 1), D(2999, 12, 31))
    assert PlanLine.objects.count() == 2


def test_a_week_that_ends_after_the_last_calendar_date_is_refused(plant):
    error = refused(plant, upload(one_row("1", "1", day="2999-12-30")), "week")

    assert problems(error) == [
        (
            2,
            "date",
            "the week of 2999-12-30 ends on 3000-01-05. Give a date from "
            "1900-01-01 to 2999-12-31.",
        )
    ]


def test_a_work_centre_is_stripped_and_at_most_100_characters(plant):
    text = (
        "date,work_centre,load,capacity\n"
        f"2027-01-04,  {'x' * 100}  ,1,1\n"
        f"2027-01-05,{'y' * 101},1,1\n"
    )

    error = refused(plant, upload(text))

    assert problems(error) == [
        (3, "work_centre", "work_centre is longer than 100 characters")
    ]
