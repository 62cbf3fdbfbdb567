"""Plan files as Chinese, German, Spanish and English Excel save them import
as they are; a file that fits no reading gets one error that says what was
tried."""

import datetime

import pytest

from calendars.imports import plan_import, plan_parse
from tests.calendars.imports.files import problems, refused, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

D = datetime.date


def lines(plan) -> list[tuple]:
    return [
        (line.bucket_start, line.work_centre, line.load, line.capacity)
        for line in plan.lines.order_by("bucket_start", "work_centre")
    ]


def test_a_gbk_file_with_chinese_headers_imports_with_its_chinese_work_centres(
    plant,
):
    text = "日期,工作中心,计划负荷,产能\r\n2026-03-09,一车间,320.5,400\r\n"

    plan = plan_import(plant=plant, file=upload(text.encode("gbk")), granularity="week")

    assert lines(plan) == [(D(2026, 3, 9), "一车间", 320.5, 400)]


def test_excel_unicode_text_is_utf16_with_tabs_and_imports(plant):
    text = "日期\t负荷\t产能\r\n2026-03-09\t320.5\t400\r\n2026-03-16\t300\t400\r\n"

    plan = plan_import(
        plant=plant,
        file=upload(text.encode("utf-16"), "plan.txt"),
        granularity="week",
    )

    assert lines(plan) == [
        (D(2026, 3, 9), "", 320.5, 400),
        (D(2026, 3, 16), "", 300, 400),
    ]


def test_a_german_file_with_semicolons_and_decimal_commas_imports_its_numbers(
    plant,
):
    text = (
        "Datum;Arbeitsplatz;Belastung;Kapazität\r\n"
        "2026-03-09;Presse 1;1.234,5;2.000\r\n"
        "2026-03-16;Presse 1;320,5;400\r\n"
    )

    plan = plan_import(
        plant=plant, file=upload(text.encode("cp1252")), granularity="week"
    )

    assert lines(plan) == [
        (D(2026, 3, 9), "Presse 1", 1234.5, 2000),
        (D(2026, 3, 16), "Presse 1", 320.5, 400),
    ]


def test_a_spanish_windows_1252_file_keeps_its_accents(plant):
    # Spanish headers are plain ASCII, and "Línea" is valid GB18030 too.
    text = "Fecha;Centro de trabajo;Carga;Capacidad\n2026-03-09;Línea 1;320,5;400\n"

    plan = plan_import(
        plant=plant, file=upload(text.encode("cp1252")), granularity="week"
    )

    assert lines(plan) == [(D(2026, 3, 9), "Línea 1", 320.5, 400)]


def test_utf8_with_a_byte_order_mark_and_chinese_headers_imports(plant):
    text = "日期,工作中心,负荷,产能\n2026-03-09,总装线,80,100\n"

    plan = plan_import(
        plant=plant, file=upload(text.encode("utf-8-sig")), granularity="week"
    )

    assert lines(plan) == [(D(2026, 3, 9), "总装线", 80, 100)]


def test_excels_sep_line_is_honoured_and_rows_keep_their_file_numbers(plant):
    text = "sep=;\nDatum;Last;Kapazität\n2026-03-09;-1;400\n"

    error = refused(plant, upload(text), granularity="week")

    assert problems(error) == [(3, "load", "load must be zero or more")]


def test_an_xlsx_with_chinese_headers_imports(plant):
    data = xlsx_bytes([["日期", "负荷", "产能"], [D(2026, 3, 9), 80, 100]])

    plan = plan_import(plant=plant, file=upload(data, "计划.xlsx"), granularity="week")

    assert lines(plan) == [(D(2026, 3, 9), "", 80, 100)]


def test_errors_in_a_localised_file_name_the_row_and_the_canonical_column(plant):
    text = "Datum;Belastung;Kapazität\n2026-03-09;80;100\n2026-03-16;-3,5;0\n"

    error = refused(plant, upload(text), granularity="week")

    assert problems(error) == [
        (3, "load", "load must be zero or more"),
        (3, "capacity", "capacity must be more than zero"),
    ]


def test_a_column_named_twice_in_two_languages_is_refused(plant):
    text = "date,负荷,load,capacity\n2026-03-09,80,80,100\n"

    error = refused(plant, upload(text), granularity="week")

    assert problems(error) == [(1, "load", "column load appears twice")]


@pytest.mark.parametrize(
    "data",
    [
        b"date,load,capacity\n2026-03-09,\x81,100\n",  # no encoding fits
        b"date load capacity\n2026-03-09 80 100\n",  # no delimiter fits
    ],
    ids=["encoding", "delimiter"],
)
def test_an_undecodable_file_gets_one_error_naming_the_file_and_what_was_tried(
    plant, data
):
    error = refused(plant, upload(data, "export.csv"))

    [(row, column, message)] = problems(error)
    assert (row, column) == (None, None)
    assert message.startswith("export.csv cannot be read as a table: tried ")
    for tried in ("UTF-8", "UTF-16", "GB18030", "Windows-1252"):
        assert tried in message
    for tried in ("comma", "semicolon", "tab"):
        assert tried in message
    assert str(error).startswith("export.csv: export.csv cannot be read")


def test_a_sheet_with_everything_in_column_a_is_explained(plant):
    data = xlsx_bytes([["date;load;capacity"], ["2026-03-09;80;100"]])

    [(_row, _column, message)] = problems(refused(plant, upload(data, "p.xlsx")))

    assert message.startswith("the header is all in column A, separated by semicolons")


def test_plan_parse_reports_the_decimal_comma_numbers_as_floats():
    text = "Fecha;Carga;Capacidad\n2026-03-01;1.000,25;2.000,5\n"

    frame = plan_parse(file=upload(text), granularity="month")

    assert frame[["load", "capacity"]].values.tolist() == [[1000.25, 2000.5]]
