"""Plan files as Chinese, German, Spanish and English Excel save them, uploaded
the way plant managers do it: through the plan page (preview, then import)
and through the REST API. A file that fits no reading is refused with one
error naming the encodings and delimiters tried, and saves nothing."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calendars.models import PlanLine, ProductionPlan

pytestmark = pytest.mark.django_db

D = datetime.date
API = "/api/plants/SZ/production-plans/"

FILES = {
    "GBK with Chinese headers (Chinese Excel, WPS)": (
        "日期,工作中心,计划负荷,产能\r\n2026-03-09,一车间,320.5,400\r\n".encode("gbk"),
        [(D(2026, 3, 9), "一车间", 320.5, 400.0)],
    ),
    "GBK with 负荷 as the load header": (
        "日期,工作中心,负荷,产能\r\n2026-03-09,总装线,80,100\r\n".encode("gb18030"),
        [(D(2026, 3, 9), "总装线", 80.0, 100.0)],
    ),
    "UTF-8 with a byte-order mark": (
        "\ufeff日期,工作中心,负荷,产能\n2026-03-09,总装线,80,100\n".encode(),
        [(D(2026, 3, 9), "总装线", 80.0, 100.0)],
    ),
    "UTF-8 without a byte-order mark": (
        b"date,work_centre,load,capacity\n2026-03-09,Assembly,80,100\n",
        [(D(2026, 3, 9), "Assembly", 80.0, 100.0)],
    ),
    "UTF-16 Unicode text with tabs": (
        "日期\t工作中心\t负荷\t产能\r\n2026-03-09\t总装线\t80\t100\r\n".encode(
            "utf-16"
        ),
        [(D(2026, 3, 9), "总装线", 80.0, 100.0)],
    ),
    "German Excel: semicolons and decimal commas": (
        "Datum;Arbeitsplatz;Belastung;Kapazität\r\n"
        "2026-03-09;Presse 1;1.234,5;2.000\r\n".encode("cp1252"),
        [(D(2026, 3, 9), "Presse 1", 1234.5, 2000.0)],
    ),
    "Spanish Excel: semicolons and decimal commas": (
        "Fecha;Centro de trabajo;Carga;Capacidad\r\n"
        "2026-03-09;Línea 1;320,5;400\r\n".encode("cp1252"),
        [(D(2026, 3, 9), "Línea 1", 320.5, 400.0)],
    ),
}
UNREADABLE = b"\x00\x01\x02 no table \xff\xfe\x00"


def lines(plan) -> list[tuple]:
    return [
        (line.bucket_start, line.work_centre, line.load, line.capacity)
        for line in plan.lines.order_by("bucket_start", "work_centre")
    ]


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.csv", data, "text/csv")


@pytest.mark.parametrize("case", FILES)
def test_the_plan_page_previews_then_imports_the_file(web, plant, case):
    data, expected = FILES[case]

    preview = web.post(
        "/plants/SZ/plan/preview/", {"file": upload(data), "granularity": "week"}
    )

    html = preview.content.decode()
    assert "Preview of plan.csv" in html, html
    assert expected[0][1] in html  # the work centre, readable
    assert not ProductionPlan.objects.exists()
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    web.post("/plants/SZ/plan/import/", {"token": token})
    assert lines(ProductionPlan.objects.get(plant=plant)) == expected


@pytest.mark.parametrize("case", FILES)
def test_the_api_imports_the_file(api, plant, case):
    data, expected = FILES[case]

    response = api.post(
        API, {"file": upload(data), "granularity": "week"}, format="multipart"
    )

    assert response.status_code == 201, response.json()
    assert lines(ProductionPlan.objects.get(plant=plant)) == expected


def test_the_page_names_the_encodings_and_delimiters_tried(web, plant):
    response = web.post(
        "/plants/SZ/plan/preview/",
        {"file": upload(UNREADABLE), "granularity": "week"},
    )

    html = response.content.decode()
    assert "plan.csv" in html
    assert "GB18030/GBK" in html and "UTF-16" in html and "Windows-1252" in html
    assert "semicolon" in html and "tab" in html
    assert not PlanLine.objects.exists()


def test_the_api_gives_one_error_naming_the_encodings_and_delimiters(api, plant):
    response = api.post(
        API, {"file": upload(UNREADABLE), "granularity": "week"}, format="multipart"
    )

    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["row"] is None
    assert error["message"].startswith("plan.csv ")
    for tried in ("UTF-8", "UTF-16", "GB18030/GBK", "Windows-1252", "comma", "tab"):
        assert tried in error["message"]
    assert not ProductionPlan.objects.exists()
