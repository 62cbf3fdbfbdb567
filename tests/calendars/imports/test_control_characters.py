"""A NUL or another control character in any cell is a row-numbered error,
never a server error or a database error, whether the file is CSV or Excel."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from calendars.imports import PlanImportRowError, plan_import
from calendars.models import ProductionPlan
from tests.calendars.imports.files import (
    SHEET_END,
    SHEET_START,
    problems,
    refused,
    text_cell,
    upload,
    xlsx_with_sheet,
)

pytestmark = pytest.mark.django_db

NUL = "contains the control character U+0000; remove it or save the file again"


def test_a_nul_in_a_csv_cell_is_refused_by_row_and_column(plant):
    text = "date,work_centre,load,capacity\n2026-03-09,Press,80,100\n"
    text += "2026-03-10,Pre\x00ss,80,100\n"

    error = refused(plant, upload(text))

    assert problems(error) == [(3, "work_centre", NUL)]


def test_every_cell_with_a_control_character_is_reported_once(plant):
    text = (
        "date,load,capacity\n"
        "2026-03-09,8\x000,100\n"  # not also "load must be a number"
        "2026-03-10,80,1\x1b00\n"
        "2026-03-11\x7f,80,100\n"
    )

    error = refused(plant, upload(text))

    assert [(row, column) for row, column, _message in problems(error)] == [
        (2, "load"),
        (3, "capacity"),
        (4, "date"),
    ]
    assert "U+001B" in problems(error)[1][2]
    assert "U+007F" in problems(error)[2][2]


def test_control_characters_that_stripping_would_hide_are_still_refused(plant):
    # str.strip() removes U+001C..U+001F and U+0085 as if they were spaces.
    text = "date,load,capacity\n2026-03-09\x1f,80,100\n2026-03-10,\x8580,100\n"

    error = refused(plant, upload(text))

    assert [(row, column) for row, column, _message in problems(error)] == [
        (2, "date"),
        (3, "load"),
    ]


def test_a_line_break_inside_a_quoted_csv_cell_is_refused_but_a_tab_is_kept(
    plant,
):
    text = 'date,work_centre,load,capacity\n2026-03-09,"Line\n1",80,100\n'
    with_tab = 'date,work_centre,load,capacity\n2026-03-09,"Line\t1",80,100\n'

    error = refused(plant, upload(text))
    plan = plan_import(plant=plant, file=upload(with_tab), granularity="day")

    assert problems(error) == [
        (
            2,
            "work_centre",
            "contains the control character U+000A; remove it or save the file again",
        )
    ]
    assert plan.lines.get().work_centre == "Line\t1"


def test_a_control_character_in_the_header_names_its_column_letter(plant):
    error = refused(plant, upload("date,lo\x07ad,capacity\n2026-03-09,80,100\n"))

    assert problems(error) == [
        (
            1,
            "B",
            "contains the control character U+0007; remove it or save the file again",
        )
    ]


def test_a_control_character_in_an_excel_cell_is_refused(plant):
    # openpyxl will not write one; XML allows C1 controls such as U+0085.
    data = xlsx_with_sheet(
        [
            SHEET_START,
            b'<row r="1">'
            + text_cell("A1", "date")
            + text_cell("B1", "work_centre")
            + text_cell("C1", "load")
            + text_cell("D1", "capacity")
            + b"</row>",
            b'<row r="2">'
            + text_cell("A2", "2026-03-09")
            + text_cell("B2", "Press\u0085 1")
            + b'<c r="C2"><v>80</v></c><c r="D2"><v>100</v></c></row>',
            SHEET_END,
        ]
    )

    error = refused(plant, upload(data, "plan.xlsx"))

    assert [(row, column) for row, column, _message in problems(error)] == [
        (2, "work_centre")
    ]


def test_a_file_name_with_control_characters_is_stored_without_them(plant):
    file = upload("date,load,capacity\n2026-03-09,80,100\n", "pl\x00an\x1b.csv")

    plan = plan_import(plant=plant, file=file, granularity="week")

    assert plan.source_name == "plan.csv"


def test_the_admin_import_shows_a_nul_cell_as_an_error_not_a_server_error(
    admin_client, plant
):
    upload_file = SimpleUploadedFile(
        "plan.csv", b"date,load,capacity\n2026-03-09,80\x00,100\n"
    )

    response = admin_client.post(
        reverse("admin:calendars_productionplan_import"),
        {"plant": plant.pk, "granularity": "week", "file": upload_file},
    )

    assert response.status_code == 200
    assert response.context["import_errors"] == [PlanImportRowError(2, "load", NUL)]
    assert not ProductionPlan.objects.exists()
