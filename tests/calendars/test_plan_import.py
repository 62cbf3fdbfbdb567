"""Importing a production plan from CSV or Excel: what planners see.

March 2026 has no public holiday in China, so its weekdays are working days and
its weekends are not.
"""

import datetime
import io
import time

import openpyxl
import pandas as pd
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse

from calendars.imports import (
    PlanImportError,
    PlanImportRowError,
    plan_import,
    plan_parse,
)
from calendars.models import PlanLine, Plant, ProductionPlan
from calendars.selectors import plant_calendar
from calendars.services import plant_create

pytestmark = pytest.mark.django_db

D = datetime.date
MB = 1024 * 1024


@pytest.fixture
def plant():
    return plant_create(
        code="SZ", name="Suzhou", timezone="Asia/Shanghai", country="CN"
    )


def csv_file(text: str | bytes, name: str = "plan.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows: list[list], name: str = "plan.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows))


def utilisation(plant: Plant, start: D, end: D) -> dict[D, float]:
    frame = plant_calendar(plant=plant, start=start, end=end)
    return {day.date(): round(value, 6) for day, value in frame["utilisation"].items()}


def revision(plant: Plant) -> int:
    return Plant.objects.get(pk=plant.pk).calendar_revision


def rejected(plant: Plant, file, granularity: str = "week") -> list:
    """Import a bad file; check nothing was saved; return (row, column, message)."""
    before = revision(plant)
    with pytest.raises(PlanImportError) as caught:
        plan_import(plant=plant, file=file, granularity=granularity)
    assert not ProductionPlan.objects.exists()
    assert not PlanLine.objects.exists()
    assert revision(plant) == before
    return [(e.row, e.column, e.message) for e in caught.value.errors]


# Happy paths ---------------------------------------------------------------

BUCKETS = {
    "day": (D(2026, 3, 10), D(2026, 3, 10)),
    "week": (D(2026, 3, 9), D(2026, 3, 15)),
    "month": (D(2026, 3, 1), D(2026, 3, 31)),
}


def plan_rows(granularity: str, with_centres: bool, excel_dates: bool) -> list[list]:
    start = BUCKETS[granularity][0]
    date = start if excel_dates else start.isoformat()
    if with_centres:
        # Work centres of one bucket add up: (50 + 30) / (60 + 40) = 0.8.
        return [
            ["date", "work_centre", "load", "capacity"],
            [date, "Assembly", 50, 60],
            [date, "Paint", 30, 40],
        ]
    return [["date", "load", "capacity"], [date, 80, 100]]


@pytest.mark.parametrize("granularity", ["day", "week", "month"])
@pytest.mark.parametrize("with_centres", [False, True], ids=["plain", "centres"])
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_it_imports_every_format_and_granularity_into_daily_utilisation(
    plant, granularity, with_centres, kind
):
    rows = plan_rows(granularity, with_centres, excel_dates=kind == "xlsx")
    if kind == "csv":
        file = csv_file("".join(",".join(map(str, row)) + "\n" for row in rows))
    else:
        file = xlsx_file(rows)

    plan = plan_import(plant=plant, file=file, granularity=granularity)

    first, last = BUCKETS[granularity]
    assert (plan.version, plan.granularity, plan.active) == (1, granularity, True)
    assert (plan.period_start, plan.period_end) == (first, last)
    assert plan.row_count == len(rows) - 1
    assert plan.source_name == f"plan.{kind}"
    assert plan.lines.count() == len(rows) - 1
    calendar = plant_calendar(plant=plant, start=first, end=last + D.resolution)
    for day, row in calendar.iterrows():
        if day.date() > last:
            assert row["utilisation"] == pytest.approx(0.7)  # the plant default
        else:
            assert row["utilisation"] == pytest.approx(0.8 if row["is_working"] else 0)


def test_a_weekly_bucket_fills_its_working_days_and_leaves_the_weekend_empty(plant):
    plan_import(
        plant=plant,
        file=csv_file("date,load,capacity\n2026-03-09,80,100\n"),
        granularity="week",
    )

    days = utilisation(plant, D(2026, 3, 9), D(2026, 3, 15))
    assert list(days.values()) == [0.8, 0.8, 0.8, 0.8, 0.8, 0.0, 0.0]


def test_a_daily_bucket_counts_even_on_a_weekend(plant):
    plan_import(
        plant=plant,
        file=csv_file("date,load,capacity\n2026-03-14,30,100\n"),
        granularity="day",
    )

    assert utilisation(plant, D(2026, 3, 13), D(2026, 3, 15)) == {
        D(2026, 3, 13): 0.7,
        D(2026, 3, 14): 0.3,
        D(2026, 3, 15): 0.0,
    }


def test_it_accepts_headers_in_any_case_with_spaces_and_in_any_order(plant):
    text = " Capacity ,WORK_CENTRE, Date,Load \n100,  Press 1 ,2026-03-09, 80 \n"

    plan = plan_import(plant=plant, file=csv_file(text), granularity="week")

    line = plan.lines.get()
    assert (line.bucket_start, line.work_centre) == (D(2026, 3, 9), "Press 1")
    assert (line.load, line.capacity) == (80, 100)


def test_it_accepts_utf8_with_a_byte_order_mark_and_chinese_work_centres(plant):
    text = "date,work_centre,load,capacity\n2026-03-09,总装线,80,100\n"

    plan = plan_import(
        plant=plant, file=csv_file(text.encode("utf-8-sig")), granularity="week"
    )

    assert plan.lines.get().work_centre == "总装线"


def test_it_skips_blank_lines_but_keeps_counting_them_as_rows(plant):
    text = "date,load,capacity\n2026-03-09,80,100\n\n2026-03-16,-5,100\n"

    errors = rejected(plant, csv_file(text))

    assert errors == [(4, "load", "load must be zero or more")]


def test_it_reads_an_xlsx_with_text_dates_and_number_work_centres(plant):
    rows = [["date", "load", "capacity", "work_centre"], ["2026-03-09", 8, 10, 12]]

    plan = plan_import(plant=plant, file=xlsx_file(rows), granularity="week")

    assert plan.lines.get().work_centre == "12"


def test_it_tells_xlsx_from_csv_by_content_when_the_name_has_no_extension(plant):
    data = xlsx_bytes([["date", "load", "capacity"], [D(2026, 3, 9), 8, 10]])
    file = io.BytesIO(data)  # no name, no size

    plan = plan_import(plant=plant, file=file, granularity="week")

    assert plan.row_count == 1
    assert plan.source_name == "upload"


def test_it_records_who_imported_the_plan_and_a_given_source_name(plant):
    user = get_user_model().objects.create_user("li", password="x")

    plan = plan_import(
        plant=plant,
        file=csv_file("date,load,capacity\n2026-03-09,80,100\n"),
        granularity="week",
        user=user,
        source_name="MRP export March",
    )

    assert (plan.imported_by, plan.source_name) == (user, "MRP export March")


def test_plan_parse_returns_validated_sorted_rows_without_touching_the_database(
    django_assert_num_queries,
):
    text = "date,work_centre,load,capacity\n2026-04-01,B,1,2\n2026-03-01,A,3,4\n"

    with django_assert_num_queries(0):
        frame = plan_parse(file=csv_file(text), granularity="month")

    assert list(frame.columns) == [
        "row",
        "bucket_start",
        "bucket_end",
        "work_centre",
        "load",
        "capacity",
    ]
    assert frame["row"].tolist() == [3, 2]
    assert frame["bucket_start"].tolist() == [
        pd.Timestamp("2026-03-01"),
        pd.Timestamp("2026-04-01"),
    ]
    assert frame["bucket_end"].tolist() == [
        pd.Timestamp("2026-03-31"),
        pd.Timestamp("2026-04-30"),
    ]
    assert frame["load"].tolist() == [3.0, 1.0]


# Versions, superseding, revision ------------------------------------------


def week_plan(*weeks: tuple[str, int]) -> SimpleUploadedFile:
    body = "".join(f"{monday},{load},100\n" for monday, load in weeks)
    return csv_file("date,load,capacity\n" + body)


def test_reimporting_the_same_period_supersedes_the_older_plan(plant):
    old = plan_import(
        plant=plant, file=week_plan(("2026-03-09", 80)), granularity="week"
    )

    new = plan_import(
        plant=plant,
        file=week_plan(("2026-03-09", 50), ("2026-03-16", 50)),
        granularity="week",
    )

    old.refresh_from_db()
    assert (old.active, new.active, new.version) == (False, True, 2)
    assert new.superseded_versions == [1]
    assert utilisation(plant, D(2026, 3, 9), D(2026, 3, 9)) == {D(2026, 3, 9): 0.5}


def test_a_partly_overlapping_older_plan_stays_active_and_the_newest_wins_each_day(
    plant,
):
    old = plan_import(
        plant=plant,
        file=week_plan(("2026-03-09", 80), ("2026-03-16", 80)),
        granularity="week",
    )

    new = plan_import(
        plant=plant,
        file=week_plan(("2026-03-16", 50), ("2026-03-23", 50)),
        granularity="week",
    )

    old.refresh_from_db()
    assert old.active and new.active
    assert new.superseded_versions == []
    days = utilisation(plant, D(2026, 3, 9), D(2026, 3, 27))
    assert days[D(2026, 3, 10)] == 0.8
    assert days[D(2026, 3, 17)] == 0.5
    assert days[D(2026, 3, 24)] == 0.5


def test_a_daily_plan_inside_a_monthly_one_overrides_just_its_days(plant):
    month = csv_file("date,load,capacity\n2026-03-01,60,100\n")
    plan_import(plant=plant, file=month, granularity="month")
    day = csv_file("date,load,capacity\n2026-03-10,90,100\n")

    plan_import(plant=plant, file=day, granularity="day")

    days = utilisation(plant, D(2026, 3, 9), D(2026, 3, 11))
    assert list(days.values()) == [0.6, 0.9, 0.6]
    assert ProductionPlan.objects.filter(active=True).count() == 2


def test_an_inactive_older_plan_is_not_reported_as_superseded_again(plant):
    plan_import(plant=plant, file=week_plan(("2026-03-09", 80)), granularity="week")
    plan_import(plant=plant, file=week_plan(("2026-03-09", 70)), granularity="week")

    third = plan_import(
        plant=plant, file=week_plan(("2026-03-09", 60)), granularity="week"
    )

    assert (third.version, third.superseded_versions) == (3, [2])


def test_the_calendar_revision_moves_by_exactly_one_per_import(plant):
    before = revision(plant)

    plan_import(plant=plant, file=week_plan(("2026-03-09", 80)), granularity="week")
    assert revision(plant) == before + 1
    plan_import(plant=plant, file=week_plan(("2026-03-09", 70)), granularity="week")
    assert revision(plant) == before + 2
    assert plant.calendar_revision == before + 2  # the caller's instance too


def test_versions_are_numbered_per_plant(plant):
    other = plant_create(code="WX", name="Wuxi", timezone="Asia/Shanghai", country="CN")
    plan_import(plant=plant, file=week_plan(("2026-03-09", 80)), granularity="week")

    plan = plan_import(
        plant=other, file=week_plan(("2026-03-09", 80)), granularity="week"
    )

    assert plan.version == 1
    assert revision(plant) == 2 and revision(other) == 2


# Bad files -----------------------------------------------------------------


def test_it_rejects_an_unknown_column_naming_it(plant):
    text = "date,load,capacity,shift\n2026-03-09,80,100,night\n"

    [(row, column, message)] = rejected(plant, csv_file(text))

    assert (row, column) == (1, "shift")
    assert "unknown column shift" in message


def test_it_rejects_a_missing_required_column(plant):
    errors = rejected(plant, csv_file("date,load\n2026-03-09,80\n"))

    assert errors == [(1, "capacity", "required column capacity is missing")]


def test_it_rejects_a_column_given_twice(plant):
    text = "date,load,Load,capacity\n2026-03-09,80,80,100\n"

    assert rejected(plant, csv_file(text)) == [(1, "load", "column load appears twice")]


def test_it_rejects_values_under_no_header(plant):
    text = "date,load,capacity,\n2026-03-09,80,100,oops\n"

    assert rejected(plant, csv_file(text)) == [
        (1, None, "column D has values but no header")
    ]


def test_it_reads_a_semicolon_separated_file_instead_of_refusing_it(plant):
    plan = plan_import(
        plant=plant,
        file=csv_file("date;load;capacity\n2026-03-09;80;100\n"),
        granularity="week",
    )

    assert (plan.lines.get().load, plan.lines.get().capacity) == (80, 100)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2026-3-9", "2026-3-9 is not a date in the form YYYY-MM-DD"),
        ("09/03/2026", "09/03/2026 is not a date in the form YYYY-MM-DD"),
        ("2026-02-30", "2026-02-30 is not a valid date"),
        ("", "date is missing"),
    ],
)
def test_it_rejects_a_bad_date(plant, value, message):
    text = f"date,load,capacity\n2026-03-09,80,100\n{value},80,100\n"

    assert rejected(plant, csv_file(text), "day") == [(3, "date", message)]


def test_it_rejects_an_excel_date_with_a_time_of_day(plant):
    rows = [["date", "load", "capacity"], [datetime.datetime(2026, 3, 9, 8), 8, 10]]

    [(row, column, message)] = rejected(plant, xlsx_file(rows))

    assert (row, column) == (2, "date")
    assert "time of day" in message


def test_it_rejects_a_weekly_date_that_is_not_a_monday_instead_of_shifting_it(plant):
    text = "date,load,capacity\n2026-03-11,80,100\n"

    assert rejected(plant, csv_file(text), "week") == [
        (
            2,
            "date",
            "2026-03-11 is a Wednesday; a weekly plan gives each week by its "
            "Monday (2026-03-09)",
        )
    ]


def test_it_rejects_a_monthly_date_that_is_not_the_first(plant):
    text = "date,load,capacity\n2026-03-15,80,100\n"

    [(row, column, message)] = rejected(plant, csv_file(text), "month")

    assert (row, column) == (2, "date")
    assert "not the 1st of a month" in message and "(2026-03-01)" in message


def test_it_rejects_a_negative_load(plant):
    text = "date,load,capacity\n2026-03-09,80,100\n2026-03-16,-1,100\n"

    assert rejected(plant, csv_file(text)) == [(3, "load", "load must be zero or more")]


@pytest.mark.parametrize("capacity", ["0", "-10", "0.0"])
def test_it_rejects_a_capacity_of_zero_or_less(plant, capacity):
    text = f"date,load,capacity\n2026-03-09,0,{capacity}\n"

    assert rejected(plant, csv_file(text)) == [
        (2, "capacity", "capacity must be more than zero")
    ]


@pytest.mark.parametrize(
    ("load", "message"),
    [
        ("eighty", "load must be a number, not eighty"),
        ("80,5", "load must be a number, not 80,5"),
        ("nan", "load must be a number, not nan"),
        ("inf", "load must be a number, not inf"),
        ("1_000", "load must be a number, not 1_000"),
        ("", "load is missing"),
    ],
)
def test_it_rejects_a_load_that_is_not_a_number(plant, load, message):
    text = f'date,load,capacity\n2026-03-09,"{load}",100\n'

    assert rejected(plant, csv_file(text)) == [(2, "load", message)]


def test_it_rejects_a_non_numeric_excel_cell(plant):
    rows = [["date", "load", "capacity"], [D(2026, 3, 9), True, "lots"]]

    assert rejected(plant, xlsx_file(rows)) == [
        (2, "load", "load must be a number, not True"),
        (2, "capacity", "capacity must be a number, not lots"),
    ]


def test_it_rejects_a_row_with_more_values_than_the_header(plant):
    text = "date,load,capacity\n2026-03-09,80,100\n2026-03-16,80,100,7\n"

    assert rejected(plant, csv_file(text)) == [
        (3, None, "the row has 4 values but the header has 3")
    ]


def test_it_rejects_a_duplicate_bucket_naming_both_rows(plant):
    text = (
        "date,load,capacity\n2026-03-09,80,100\n2026-03-16,80,100\n2026-03-09,70,100\n"
    )

    assert rejected(plant, csv_file(text)) == [
        (
            4,
            "date",
            "rows 2 and 4 both give the week of 2026-03-09; give each bucket once",
        )
    ]


def test_a_bucket_may_repeat_for_different_work_centres_but_not_the_same_one(plant):
    text = (
        "date,work_centre,load,capacity\n"
        "2026-03-09,Press,80,100\n"
        "2026-03-09,Paint,80,100\n"
        "2026-03-09,Press,70,100\n"
    )

    [(row, column, message)] = rejected(plant, csv_file(text))

    assert (row, column) == (4, "date")
    assert message.startswith("rows 2 and 4 both give the week of 2026-03-09")
    assert "work centre Press" in message


def test_it_rejects_a_work_centre_longer_than_the_database_allows(plant):
    text = f"date,work_centre,load,capacity\n2026-03-09,{'x' * 101},80,100\n"

    [(row, column, _message)] = rejected(plant, csv_file(text))

    assert (row, column) == (2, "work_centre")


def test_it_collects_every_row_error_in_row_order(plant):
    text = "date,load,capacity\n2026-03-10,-1,0\n2026-03-16,80,100\nsomeday,x,100\n"

    errors = rejected(plant, csv_file(text))

    assert [(row, column) for row, column, _ in errors] == [
        (2, "date"),
        (2, "load"),
        (2, "capacity"),
        (4, "date"),
        (4, "load"),
    ]


def test_it_reports_at_most_a_hundred_errors_and_counts_the_rest(plant):
    mondays = [D(2026, 3, 9) + datetime.timedelta(weeks=n) for n in range(150)]
    body = "".join(f"{monday},-1,100\n" for monday in mondays)

    errors = rejected(plant, csv_file("date,load,capacity\n" + body))

    assert len(errors) == 101
    assert [row for row, _, _ in errors[:100]] == list(range(2, 102))
    assert errors[-1] == (None, None, "… and 50 more errors")


@pytest.mark.parametrize(
    ("encoding", "centre"),
    [("gbk", "总装线"), ("cp1252", "Müller"), ("latin-1", "Línea 1")],
)
def test_it_reads_a_file_that_is_not_utf8_in_its_own_encoding(plant, encoding, centre):
    text = f"date,work_centre,load,capacity\n2026-03-09,{centre},80,100\n"

    plan = plan_import(
        plant=plant, file=csv_file(text.encode(encoding)), granularity="week"
    )

    assert plan.lines.get().work_centre == centre


@pytest.mark.parametrize("content", [b"", b"  \n\n", b"\xef\xbb\xbf", b",,\n,,\n"])
def test_it_rejects_an_empty_file(plant, content):
    assert rejected(plant, csv_file(content)) == [(None, None, "file is empty")]


def test_it_rejects_a_file_with_only_a_header(plant):
    assert rejected(plant, csv_file("date,load,capacity\n\n")) == [
        (None, None, "file has a header but no data rows")
    ]


def test_it_rejects_an_xlsx_with_an_empty_sheet(plant):
    assert rejected(plant, xlsx_file([])) == [(None, None, "file is empty")]


def test_it_rejects_an_xlsx_with_only_a_header(plant):
    assert rejected(plant, xlsx_file([["date", "load", "capacity"]])) == [
        (None, None, "file has a header but no data rows")
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"PK\x03\x04 this is not really a zip",
        xlsx_bytes([["date", "load", "capacity"]])[:300],  # truncated
        b"date,load,capacity\n2026-03-09,80,100\n",  # CSV named .xlsx
    ],
    ids=["bad-zip", "truncated", "csv-inside"],
)
def test_it_rejects_an_unreadable_xlsx(plant, content):
    errors = rejected(plant, SimpleUploadedFile("plan.xlsx", content))

    assert errors == [(None, None, "file is not a readable Excel workbook (.xlsx)")]


def test_it_rejects_an_old_xls_file(plant):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100

    [(_row, _column, message)] = rejected(
        plant, SimpleUploadedFile("plan.xls", content)
    )

    assert "old Excel .xls files are not supported" in message


def test_it_rejects_an_unknown_granularity(plant):
    [(_row, _column, message)] = rejected(
        plant, week_plan(("2026-03-09", 80)), granularity="quarter"
    )

    assert message == "granularity must be day, week or month, not 'quarter'"


# Size limit ----------------------------------------------------------------


class _Unreadable(io.RawIOBase):
    """A 50 MB upload that fails the test if anything reads it."""

    name = "huge.csv"
    size = 50 * MB + 1

    def read(self, *args):
        raise AssertionError("the file was read")


class _Stream:
    """A 50 MB stream without a size: counts how much the import asked for."""

    name = "huge.csv"

    def __init__(self) -> None:
        self.data = io.BytesIO(b"2026-03-09,80,100\n" * (50 * MB // 18 + 1))
        self.requested = 0

    def read(self, size=-1):
        self.requested += size if size >= 0 else 10**12
        return self.data.read(size)


def test_it_rejects_a_file_over_the_limit_by_its_size_without_reading_it(
    plant, monkeypatch
):
    monkeypatch.setattr(pd, "read_csv", pytest.fail)

    errors = rejected(plant, _Unreadable())

    assert errors == [(None, None, "file is 50.0 MB; the limit is 10.0 MB")]


def test_it_rejects_a_50_mb_upload_fast_without_parsing(plant, monkeypatch):
    monkeypatch.setattr(pd, "read_csv", pytest.fail)
    big = SimpleUploadedFile("big.csv", b"2026-03-09,80,100\n" * (50 * MB // 18 + 1))

    started = time.perf_counter()
    errors = rejected(plant, big)

    assert time.perf_counter() - started < 1
    assert errors[0][2].startswith("file is 50.0 MB; the limit is 10.0 MB")


def test_a_stream_without_a_size_is_read_only_up_to_the_limit(plant, monkeypatch):
    monkeypatch.setattr(pd, "read_csv", pytest.fail)
    stream = _Stream()

    errors = rejected(plant, stream)

    assert errors == [(None, None, "file is larger than the limit of 10.0 MB")]
    assert stream.requested == 10 * MB + 1


def test_the_limit_comes_from_settings_and_a_file_at_the_limit_passes(plant):
    text = "date,load,capacity\n2026-03-09,80,100\n"

    with override_settings(PLAN_IMPORT_MAX_BYTES=len(text)):
        assert plan_import(plant=plant, file=csv_file(text), granularity="week")
    with override_settings(PLAN_IMPORT_MAX_BYTES=len(text) - 1):
        with pytest.raises(PlanImportError, match="the limit is"):
            plan_import(plant=plant, file=csv_file(text), granularity="week")

    assert ProductionPlan.objects.count() == 1


# The management command ----------------------------------------------------


def run_command(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_file_and_reports_superseded_versions(plant, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("date,load,capacity\n2026-03-09,80,100\n2026-03-16,80,100\n")

    first, _ = run_command("--plant", "SZ", "--granularity", "week", str(path))
    second, _ = run_command("--plant", "SZ", "--granularity", "week", str(path))

    assert first.strip() == "Imported plan v1 for SZ: 2 rows, 2026-03-09..2026-03-22"
    assert second.strip() == (
        "Imported plan v2 for SZ: 2 rows, 2026-03-09..2026-03-22 (superseded: v1)"
    )


def test_the_command_records_the_user(plant, tmp_path):
    user = get_user_model().objects.create_user("li", password="x")
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx_bytes([["date", "load", "capacity"], [D(2026, 3, 1), 8, 10]]))

    out, _ = run_command(
        "--plant", "SZ", "--granularity", "month", "--user", "li", str(path)
    )

    assert out.strip() == "Imported plan v1 for SZ: 1 row, 2026-03-01..2026-03-31"
    assert ProductionPlan.objects.get().imported_by == user


def test_the_command_prints_each_error_with_file_row_and_column(plant, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text(
        "date,load,capacity\n2026-03-09,80,100\n2026-03-10,-1,100\n", encoding="utf-8"
    )

    err = io.StringIO()

    with pytest.raises(CommandError) as caught:
        call_command(
            "import_plan",
            "--plant",
            "SZ",
            "--granularity",
            "week",
            str(path),
            stderr=err,
            stdout=io.StringIO(),
        )

    assert err.getvalue().splitlines() == [
        "plan.csv row 3, column date: 2026-03-10 is a Tuesday; a weekly plan gives "
        "each week by its Monday (2026-03-09)",
        "plan.csv row 3, column load: load must be zero or more",
    ]
    assert "plan.csv was not imported" in str(caught.value)
    assert not ProductionPlan.objects.exists()


def test_the_command_prints_file_level_errors_without_a_row(plant, tmp_path):
    path = tmp_path / "plan.csv"
    # 0x81 is undefined in Windows-1252 and starts no GB18030 character here.
    path.write_bytes(b"date,work_centre,load,capacity\n2026-03-09,\x81,1,1\n")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_plan",
            "--plant",
            "SZ",
            "--granularity",
            "week",
            str(path),
            stderr=err,
            stdout=io.StringIO(),
        )

    assert err.getvalue().startswith("plan.csv: plan.csv cannot be read as a table")
    assert "GB18030" in err.getvalue()


def test_the_command_rejects_an_unknown_plant_or_user_or_missing_file(plant, tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("date,load,capacity\n2026-03-09,80,100\n")

    with pytest.raises(CommandError, match="No plant with the code 'XX'"):
        run_command("--plant", "XX", "--granularity", "week", str(path))
    with pytest.raises(CommandError, match="No user 'nobody'"):
        run_command(
            "--plant", "SZ", "--granularity", "week", "--user", "nobody", str(path)
        )
    with pytest.raises(CommandError, match="Cannot open"):
        run_command("--plant", "SZ", "--granularity", "week", str(tmp_path / "no.csv"))
    assert not ProductionPlan.objects.exists()


def test_the_command_refuses_a_file_over_the_limit_by_its_size(plant, tmp_path):
    path = tmp_path / "plan.csv"
    with path.open("wb") as handle:
        handle.truncate(11 * MB)  # sparse: costs no time or disk
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command(
            "import_plan",
            "--plant",
            "SZ",
            "--granularity",
            "week",
            str(path),
            stderr=err,
            stdout=io.StringIO(),
        )

    assert err.getvalue().strip() == "plan.csv: file is 11.0 MB; the limit is 10.0 MB"


# The admin page ------------------------------------------------------------


def test_the_admin_changelist_links_to_the_import_page(admin_client):
    response = admin_client.get(reverse("admin:calendars_productionplan_changelist"))

    assert reverse("admin:calendars_productionplan_import") in response.text


def test_the_admin_import_page_shows_the_form(admin_client, plant):
    response = admin_client.get(reverse("admin:calendars_productionplan_import"))

    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert str(plant) in response.text


def test_the_admin_import_shows_row_numbered_errors_and_saves_nothing(
    admin_client, plant
):
    upload = csv_file("date,load,capacity\n2026-03-09,80,0\n")

    response = admin_client.post(
        reverse("admin:calendars_productionplan_import"),
        {"plant": plant.pk, "granularity": "week", "file": upload},
    )

    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert "capacity must be more than zero" in response.text
    assert response.context["import_errors"] == [
        PlanImportRowError(2, "capacity", "capacity must be more than zero")
    ]
    assert not ProductionPlan.objects.exists()


def test_the_admin_import_saves_the_plan_and_says_so(admin_client, admin_user, plant):
    upload = csv_file("date,load,capacity\n2026-03-09,80,100\n")

    response = admin_client.post(
        reverse("admin:calendars_productionplan_import"),
        {"plant": plant.pk, "granularity": "week", "file": upload},
        follow=True,
    )

    assert "Imported plan v1 for SZ: 1 row, 2026-03-09..2026-03-15" in response.text
    assert ProductionPlan.objects.get().imported_by == admin_user


def test_the_admin_import_needs_the_add_permission(client, plant):
    staff = get_user_model().objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(staff)

    response = client.get(reverse("admin:calendars_productionplan_import"))

    assert response.status_code == 403
