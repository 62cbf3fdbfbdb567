"""A file too big to parse safely is refused quickly, before it is parsed: by
its size, its inflated size and compression ratio (zip bombs), and its rows."""

import datetime
from functools import cache

import openpyxl
import pytest
from django.test import override_settings

from calendars.imports import cells, plan_import
from tests.calendars.imports.files import (
    SHEET_END,
    SHEET_START,
    problems,
    refused,
    sheet_rows,
    text_cell,
    upload,
    xlsx_bytes,
    xlsx_with_sheet,
)

pytestmark = pytest.mark.django_db

MB = 2**20
ROW_CAP = (
    None,
    None,
    "the file has more than 100,000 rows below its header; import at most "
    "100,000 rows at a time",
)


def repeated(chunk: bytes, size: int):
    """Sheet XML of `size` bytes or so: one chunk over and over."""
    yield SHEET_START
    for _ in range(size // len(chunk)):
        yield chunk
    yield SHEET_END


@cache
def bomb() -> bytes:
    row = b'<row><c t="inlineStr"><is><t>2026-03-09</t></is></c></row>' * 20_000
    return xlsx_with_sheet(repeated(row, 60 * MB))


@cache
def rows_200k() -> bytes:
    first = datetime.date(2026, 1, 5)
    return xlsx_with_sheet(
        sheet_rows(
            (n, (first + datetime.timedelta(days=n % 3000)).isoformat(), n % 997, 1000)
            for n in range(2, 200_002)
        )
    )


@pytest.fixture
def openpyxl_must_not_open(monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", pytest.fail)


def test_a_zip_bomb_is_refused_by_its_inflated_size_before_it_is_inflated(
    plant, openpyxl_must_not_open
):
    data = bomb()
    assert len(data) < 1 * MB  # 60 MB of sheet XML in a small upload

    error = refused(plant, upload(data, "plan.xlsx"))

    [(row, column, message)] = problems(error)
    assert (row, column) == (None, None)
    assert message.startswith("the workbook inflates to 59.")
    assert message.endswith(
        "MB when opened; the limit is 50.0 MB. Save only the plan's sheet, or "
        "save it as CSV"
    )


def test_a_part_inflating_too_many_fold_is_refused_even_under_the_size_limit(
    plant, openpyxl_must_not_open
):
    row = b"<row><c><v>1</v></c></row>" * 10_000
    data = xlsx_with_sheet(repeated(row, 20 * MB))

    [(_row, _column, message)] = problems(refused(plant, upload(data, "p.xlsx")))

    assert message.startswith("the workbook's part xl/worksheets/sheet1.xml inflates")
    assert "(at most 100 is accepted)" in message


def test_the_inflated_size_limit_comes_from_settings(plant):
    data = xlsx_bytes([["date", "load", "capacity"], [datetime.date(2026, 3, 9), 1, 2]])

    with override_settings(PLAN_IMPORT_MAX_UNCOMPRESSED_BYTES=len(data)):
        [(_row, _column, message)] = problems(refused(plant, upload(data, "p.xlsx")))

    assert message.startswith("the workbook inflates to")


def test_a_200k_row_csv_is_refused_by_the_row_cap_before_any_row_is_checked(
    plant, monkeypatch
):
    # Reading stops at the cap: no cell of the file is ever validated.
    monkeypatch.setattr(cells, "check_capacity", pytest.fail)
    data = b"date,load,capacity\n" + b"2026-03-09,80,100\n" * 200_000

    error = refused(plant, upload(data))

    assert problems(error) == [ROW_CAP]


def test_a_200k_row_xlsx_is_refused_by_the_row_cap_before_openpyxl_opens_it(
    plant, openpyxl_must_not_open
):
    data = rows_200k()

    error = refused(plant, upload(data, "plan.xlsx"))

    assert problems(error) == [ROW_CAP]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_row_cap_comes_from_settings_and_a_file_at_the_cap_imports(plant, kind):
    def plan_file(rows: int):
        mondays = [
            datetime.date(2026, 3, 2) + datetime.timedelta(weeks=n) for n in range(rows)
        ]
        if kind == "xlsx":
            data = xlsx_bytes(
                [["date", "load", "capacity"]] + [[m, 1, 2] for m in mondays]
            )
            return upload(data, "plan.xlsx")
        return upload("date,load,capacity\n" + "".join(f"{m},1,2\n" for m in mondays))

    with override_settings(PLAN_IMPORT_MAX_ROWS=3):
        error = refused(plant, plan_file(4), "week")
        plan = plan_import(plant=plant, file=plan_file(3), granularity="week")

    assert problems(error)[0][2].startswith("the file has more than 3 rows")
    assert plan.row_count == 3


def test_a_sparse_sheet_counts_its_missing_rows_towards_the_cap(plant):
    # Three row tags, but the last is row 150,001: openpyxl yields the rows
    # between, and reading stops at the cap.
    data = xlsx_with_sheet(
        sheet_rows([(2, "2026-03-09", 1, 2), (150_001, "2026-03-16", 1, 2)])
    )

    error = refused(plant, upload(data, "plan.xlsx"))

    assert problems(error) == [ROW_CAP]


def test_a_value_far_to_the_right_is_a_row_error_not_a_16384_column_grid(plant):
    data = xlsx_with_sheet(
        [
            SHEET_START,
            b'<row r="1">'
            + text_cell("A1", "date")
            + text_cell("B1", "load")
            + text_cell("C1", "capacity")
            + b"</row>",
            b'<row r="2">'
            + text_cell("A2", "2026-03-09")
            + b'<c r="B2"><v>1</v></c><c r="C2"><v>2</v></c>'
            + text_cell("XFD2", "note")
            + b"</row>",
            SHEET_END,
        ]
    )

    error = refused(plant, upload(data, "plan.xlsx"))

    assert problems(error) == [
        (
            2,
            None,
            "the row has a value in column XFD; a plan file has at most 100 columns",
        )
    ]


def test_a_sheet_of_too_many_cells_is_refused_before_openpyxl_opens_it(
    plant, openpyxl_must_not_open
):
    cells = b"".join(b'<c r="A%d"><v>1</v></c>' % n for n in range(50))
    data = xlsx_with_sheet([SHEET_START, b'<row r="1">' + cells + b"</row>", SHEET_END])

    with override_settings(PLAN_IMPORT_MAX_ROWS=3):
        [(_row, _column, message)] = problems(refused(plant, upload(data, "p.xlsx")))

    assert message.startswith("the workbook's sheets have more than 40 cells")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "plan.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "file is password-protected or an old .xls workbook renamed; remove "
            "the password and save it as .xlsx or as CSV UTF-8",
        ),
        (
            "plan.csv",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,
            "old Excel .xls files are not supported; save it as .xlsx or as CSV UTF-8",
        ),
        (
            "plan.xlsx",
            "date,load,capacity\n2026-03-09,80,100\n".encode("utf-16"),
            "file is not a readable Excel workbook (.xlsx)",
        ),
    ],
    ids=["encrypted-xlsx", "xls-named-csv", "text-named-xlsx"],
)
def test_an_upload_is_checked_by_its_magic_bytes_before_parsing(
    plant, openpyxl_must_not_open, name, content, message
):
    assert problems(refused(plant, upload(content, name))) == [(None, None, message)]
