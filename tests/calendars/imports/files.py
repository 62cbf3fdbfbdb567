"""Plan files as plants (and attackers) make them, and the check that a
refused file saved nothing."""

import io
import zipfile
from collections.abc import Iterable
from functools import cache

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calendars.imports import PlanImportError, plan_import
from calendars.models import PlanLine, Plant, ProductionPlan

SHEET = "xl/worksheets/sheet1.xml"
SHEET_START = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
SHEET_END = b"</sheetData></worksheet>"


def upload(data: bytes | str, name: str = "plan.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data.encode() if isinstance(data, str) else data)


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@cache
def _template() -> bytes:
    return xlsx_bytes([["date"]])


def xlsx_with_sheet(chunks: Iterable[bytes]) -> bytes:
    """A real workbook whose first sheet's XML is the given chunks, streamed
    into the archive so that a huge sheet never sits in memory whole."""
    source = zipfile.ZipFile(io.BytesIO(_template()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part in source.infolist():
            if part.filename != SHEET:
                archive.writestr(part.filename, source.read(part))
                continue
            with archive.open(SHEET, "w") as sheet:
                for chunk in chunks:
                    sheet.write(chunk)
    return buffer.getvalue()


def text_cell(reference: str, text: str) -> bytes:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'.encode()


def sheet_rows(rows: Iterable[tuple[int, str, str, str]]) -> Iterable[bytes]:
    """Sheet XML for (row, date text, load, capacity) rows under a header,
    in chunks of some thousand rows."""
    yield SHEET_START
    yield (
        b'<row r="1">'
        + text_cell("A1", "date")
        + text_cell("B1", "load")
        + text_cell("C1", "capacity")
        + b"</row>"
    )
    chunk = []
    for number, day, load, capacity in rows:
        chunk.append(
            f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>{day}</t>'
            f'</is></c><c r="B{number}"><v>{load}</v></c><c r="C{number}">'
            f"<v>{capacity}</v></c></row>"
        )
        if len(chunk) == 5000:
            yield "".join(chunk).encode()
            chunk = []
    yield "".join(chunk).encode()
    yield SHEET_END


def revision(plant: Plant) -> int:
    return Plant.objects.get(pk=plant.pk).calendar_revision


def refused(plant: Plant, file, granularity: str = "day") -> PlanImportError:
    """Import a bad file; check nothing was saved; return the error."""
    before = revision(plant)
    with pytest.raises(PlanImportError) as caught:
        plan_import(plant=plant, file=file, granularity=granularity)
    assert not ProductionPlan.objects.exists()
    assert not PlanLine.objects.exists()
    assert revision(plant) == before
    return caught.value


def problems(error: PlanImportError) -> list[tuple]:
    return [(e.row, e.column, e.message) for e in error.errors]
