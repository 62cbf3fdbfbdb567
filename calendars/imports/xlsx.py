"""Reading an Excel workbook's first sheet into a Table, without letting a
crafted workbook (a "zip bomb") take the server's memory or time.

Rules, checked in this order:

1. Before anything is inflated, by the sizes the archive's directory declares:
   its parts together inflate to at most PLAN_IMPORT_MAX_UNCOMPRESSED_BYTES,
   and no part of a megabyte or more inflates more than MAX_COMPRESSION_RATIO
   fold. Declared sizes can be trusted as upper bounds: zipfile never inflates
   a part beyond its declared size (it stops there and fails the CRC check).
2. Before openpyxl opens the workbook, the worksheets' XML is streamed once,
   only counting row and cell tags: the first sheet may have at most
   PLAN_IMPORT_MAX_ROWS + 1 rows, and all sheets together at most
   MAX_CELLS_PER_ROW tags (rows and cells) per such row. openpyxl parses a
   sheet in full while opening the workbook when the sheet records no
   dimensions, so every sheet counts, and this bounds the time it can take.
3. The sheet is read with values only, ignoring its recorded dimensions
   (some writers get them wrong), and reading stops at the row cap all the
   same: missing rows of a sparse sheet count, and so do cell slots up to a
   row's last cell, so that `<c r="XFD1"/>` cannot make every row 16,384 wide.
"""

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

import openpyxl
from django.utils.translation import gettext as _

from calendars.imports.errors import PlanImportError, file_error
from calendars.imports.limits import (
    MAX_CELLS_PER_ROW,
    MAX_COLUMNS,
    MAX_COMPRESSION_RATIO,
    RATIO_CHECKED_FROM_BYTES,
    max_rows,
    max_uncompressed_bytes,
    megabytes,
)
from calendars.imports.table import Table, table_build, too_many_rows, trimmed

# Tag starts, with or without a namespace prefix (`<x:row ...>` from .NET).
_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?row[\s/>]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,15}:)?c[\s/>]")
_CHUNK = 2**20


def _unreadable() -> PlanImportError:
    return file_error(_("file is not a readable Excel workbook (.xlsx)"))


def xlsx_table(*, data: bytes) -> Table:
    """The first sheet's header and rows; raises PlanImportError for a file
    that is not a workbook, inflates too much, or has too many rows."""
    limit = max_rows()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        raise _unreadable() from None
    with archive:
        _check_inflation(archive)
        try:
            sheets = _worksheet_parts(archive)
            if not sheets:
                raise file_error(_("file is empty"))
            _check_tags(archive, sheets, limit)
        except PlanImportError:
            raise
        except Exception:  # missing parts, broken XML, bad CRCs, encryption
            raise _unreadable() from None
    try:
        book = openpyxl.load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False
        )
    except Exception:  # zipfile, XML and openpyxl errors of many kinds
        raise _unreadable() from None
    try:
        if not book.worksheets:
            raise file_error(_("file is empty"))
        return _read(book.worksheets[0], limit)
    except PlanImportError:
        raise
    except Exception:  # a sheet's XML broken past its start
        raise _unreadable() from None
    finally:
        book.close()


def _check_inflation(archive: zipfile.ZipFile) -> None:
    parts = archive.infolist()
    total = sum(part.file_size for part in parts)
    limit = max_uncompressed_bytes()
    if total > limit:
        raise file_error(
            _(
                "the workbook inflates to %(size)s when opened; the limit is "
                "%(limit)s. Save only the plan's sheet, or save it as CSV"
            )
            % {"size": megabytes(total), "limit": megabytes(limit)}
        )
    for part in parts:
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > MAX_COMPRESSION_RATIO:
            raise file_error(
                _(
                    "the workbook's part %(part)s inflates %(ratio)s fold (at "
                    "most %(max)s is accepted); it is not a plan saved by a "
                    "spreadsheet program"
                )
                % {
                    "part": part.filename,
                    "ratio": f"{ratio:,.0f}",
                    "max": MAX_COMPRESSION_RATIO,
                }
            )


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _relationships(archive: zipfile.ZipFile, path: str) -> dict[str, tuple]:
    """Id -> (type, part path) of a .rels part, targets resolved as openpyxl
    does: from the package root when absolute, else from the source's folder."""
    source = posixpath.dirname(posixpath.dirname(path))
    found = {}
    for node in ElementTree.fromstring(archive.read(path)):
        target = node.get("Target", "")
        if _local(node.tag) != "Relationship" or node.get("TargetMode") == "External":
            continue
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(source, target))
        found[node.get("Id")] = (node.get("Type", ""), target)
    return found


def _worksheet_parts(archive: zipfile.ZipFile) -> list[str]:
    """The worksheets' part paths, first sheet first (chartsheets left out)."""
    workbook = next(
        target
        for kind, target in _relationships(archive, "_rels/.rels").values()
        if kind.endswith("/officeDocument")
    )
    folder, name = posixpath.split(workbook)
    rels = _relationships(archive, posixpath.join(folder, "_rels", name + ".rels"))
    parts = []
    for node in ElementTree.fromstring(archive.read(workbook)).iter():
        if _local(node.tag) != "sheet":
            continue
        ids = [value for key, value in node.attrib.items() if _local(key) == "id"]
        kind, target = rels.get(ids[0] if ids else "", ("", ""))
        if kind.endswith("/worksheet") and target in archive.NameToInfo:
            parts.append(target)
    return parts


def _count_tags(
    archive: zipfile.ZipFile, path: str, *, most_rows: int, most_tags: int
) -> tuple[int, int]:
    """(rows, rows + cells) tags in a sheet's XML, streamed, never held whole;
    counting stops once either passes its most."""
    rows = tags = 0
    carry = b""
    with archive.open(path) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = carry + chunk
            # A tag start never spans a ">" except as its last byte, so cutting
            # after the last ">" splits none; the rest waits for the next chunk.
            cut = buffer.rfind(b">") + 1
            found = len(_ROW_TAG.findall(buffer, 0, cut))
            rows += found
            tags += found + len(_CELL_TAG.findall(buffer, 0, cut))
            carry = buffer[cut:]
            if rows > most_rows or tags > most_tags:
                break
    return rows, tags


def _check_tags(archive: zipfile.ZipFile, sheets: list[str], limit: int) -> None:
    # openpyxl parses a sheet whole when it opens the workbook if the sheet
    # records no dimensions, so every sheet's cells count, not only the first's.
    budget = MAX_CELLS_PER_ROW * (limit + 1)
    for index, path in enumerate(sheets):
        rows, tags = _count_tags(
            archive,
            path,
            most_rows=limit + 1 if index == 0 else budget,
            most_tags=budget,
        )
        if index == 0 and rows > limit + 1:
            raise file_error(too_many_rows(limit))
        budget -= tags
        if budget < 0:
            raise file_error(
                _(
                    "the workbook's sheets have more than %(cells)s cells; a plan "
                    "of %(rows)s rows needs far fewer"
                )
                % {
                    "cells": f"{MAX_CELLS_PER_ROW * (limit + 1):,}",
                    "rows": f"{limit:,}",
                }
            )


def _numbered_rows(sheet, limit: int):
    slots = 0
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > limit + 1:
            raise file_error(too_many_rows(limit))
        slots += len(row)
        if slots > MAX_COLUMNS * (limit + 1):
            raise file_error(
                _("the sheet has cells too far to the right on too many rows")
            )
        yield number, row


def _read(sheet, limit: int) -> Table:
    sheet.reset_dimensions()
    rows = _numbered_rows(sheet, limit)
    for number, cells in rows:
        if trimmed(cells):
            # table_build reads the rest of the same generator.
            return table_build(header_row=number, header=cells, rows=rows)
    raise file_error(_("file is empty"))
