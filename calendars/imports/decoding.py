"""Decoding production-plan CSV files as plants save them.

Excel and WPS write CSV and "Unicode text" in the user's locale: Chinese
installations in GB18030/GBK, German and Spanish ones with `;` between columns
and a decimal comma, "Unicode text" as UTF-16 with tabs. `decode_table` turns
such bytes into text cells and maps localised headers onto the plan columns
(`date`, `work_centre`, `load`, `capacity`); the plan import validates the
cells. Pure: standard library only.

Rules:

- Encodings, in this order: UTF-8 (strict, byte-order mark optional); UTF-16
  only when the file starts with its byte-order mark; then GB18030 (a superset
  of GBK). Valid UTF-8 is never read as anything else, so it cannot be misread
  as GB18030. Last, Windows-1252 (German/Spanish Excel's "CSV"), taken only when
  its header names the required columns and the GB18030 reading does not, or
  does but reads as implausible Chinese (see `_plausibly_chinese`): "Kapazität"
  and "Línea" in Windows-1252 are also valid GB18030 ("Kapazit鋞", "L韓ea").
- Delimiter: `,`, `;` or tab, whichever splits the header row into the most
  columns (ties: the one that splits the most of the next rows alike). Excel's
  "sep=;" first line is honoured and skipped.
- Decimal comma: a `;`-delimited file with numbers like `1.234,5` or `320,5`
  and none like `320.5`; a tab-delimited file only when a comma cannot be a
  thousands separator (`320,5`, `1.234,5`).
- Rows are records: a quoted cell may span lines. Row numbers are 1-based over
  the whole file, so the header is row 1 unless blank lines precede it. With
  `max_rows`, reading stops as soon as more than max_rows records follow the
  first one, so a huge file costs no more than the limit.
- No cell may hold a control character other than tab, newline and carriage
  return (NUL in a cell usually means a wrongly saved file).
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass
from itertools import islice

REQUIRED_COLUMNS = ("date", "load", "capacity")
# Canonical column -> the headers plants use for it, matched ignoring case,
# spaces, underscores and hyphens (and full-width forms, via NFKC).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "date": ("date", "日期", "Datum", "Fecha"),
    "work_centre": (
        "work_centre",
        "work center",
        "工作中心",
        "Arbeitsplatz",
        "Centro de trabajo",
    ),
    "load": ("load", "负荷", "计划负荷", "Last", "Belastung", "Carga"),
    "capacity": ("capacity", "产能", "Kapazität", "Capacidad"),
}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16 (with byte-order mark)",
    "gb18030": "GB18030/GBK",
    "cp1252": "Windows-1252",
}
# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SNIFF_ROWS = 20
_PLAUSIBILITY_SAMPLE = 2000  # non-ASCII characters looked at, at most
_BLANK = re.compile(r"[\s,;\ufeff]*")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_SEP_LINE = re.compile(r"sep=([,;\t])\r?\n?")
_POINT_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_COMMA_NUMBER = re.compile(r"[+-]?((\d{1,3}(\.\d{3})+|\d+)(,\d*)?|,\d+)")
# A comma that cannot be a thousands separator: not followed by exactly 3 digits.
_DECIMAL_COMMA_ONLY = re.compile(r"[+-]?(\d{1,3}(\.\d{3})+,\d*|\d*,(\d{1,2}|\d{4,}))")


class FileDecodingError(ValueError):
    """A plan file cannot be read as a table."""


class UndecodableFile(FileDecodingError):
    """No encoding and delimiter fit; one error for the whole file."""

    def __init__(self, filename: str, reason: str | None = None) -> None:
        self.filename = filename
        self.reason = reason or "cannot be read as a table"
        self.encodings = list(ENCODING_NAMES.values())
        self.delimiters = list(DELIMITERS.values())
        super().__init__(
            f"{filename}: {self.reason}. Tried the "
            f"encodings {', '.join(self.encodings)} and the delimiters "
            f"{', '.join(self.delimiters)}; save it as CSV UTF-8."
        )


class EmptyFile(UndecodableFile):
    """The file holds no value: only blanks, delimiters or a byte-order mark."""

    def __init__(self, filename: str) -> None:
        super().__init__(filename, "is empty")


class TooManyRows(FileDecodingError):
    """More than `max_rows` records follow the file's first record."""

    def __init__(self, filename: str, max_rows: int) -> None:
        self.filename = filename
        self.max_rows = max_rows
        super().__init__(f"{filename}: has more than {max_rows} rows below its first")


class ForbiddenCharacter(FileDecodingError):
    """A cell holds a control character; `row` (1-based) and `column` name it."""

    def __init__(self, filename: str, row: int, column: str, character: str) -> None:
        self.filename = filename
        self.row = row
        self.column = column
        self.character = character
        super().__init__(
            f"{filename}: row {row}, column {column}: contains the control "
            f"character U+{ord(character):04X}; remove it or save the file again"
        )


class NumberOutOfRange(ValueError):
    """A well-formed number too large for a float (such as 1e309): `sign` is
    +1 or -1, so that callers can say which bound it broke."""

    def __init__(self, text: str, sign: int) -> None:
        self.sign = sign
        super().__init__(f"{text!r} is not a finite number")


@dataclass(frozen=True)
class DecodedTable:
    """A decoded file. `encoding` is the Python codec; `header` is the header
    row's cells (row `header_row`); `rows` are the records after it, blank ones
    kept, so rows[i] is file row header_row + 1 + i. `header_map` maps each
    header cell that names a plan column to that column."""

    encoding: str
    delimiter: str
    decimal_comma: bool
    header: list[str]
    rows: list[list[str]]
    header_map: dict[str, str]
    header_row: int = 1


def _normalise(header: str) -> str:
    text = unicodedata.normalize("NFKC", header).replace("\ufeff", "").casefold()
    return re.sub(r"[\s_\-]+", "", text)


_ALIASES = {
    _normalise(alias): column
    for column, aliases in COLUMN_ALIASES.items()
    for alias in aliases
}


def header_column(cell: str) -> str | None:
    """The canonical column a header cell names, or None."""
    return _ALIASES.get(_normalise(cell))


def header_map(header: list[str]) -> dict[str, str]:
    """Header cell -> canonical column, for the cells that name one."""
    return {cell: column for cell in header if (column := header_column(cell))}


def parse_number(text: str, *, decimal_comma: bool) -> float:
    """A cell's number. With decimal_comma, "1.234,5" and "320,5" (points group
    thousands); without, "1234.5" and "1e3" (no grouping). Raises ValueError for
    anything else, and NumberOutOfRange (a ValueError) for a well-formed number
    beyond a float's range such as 1e309; "nan" and "inf" are not numbers."""
    cell = text.strip()
    if decimal_comma:
        if not _COMMA_NUMBER.fullmatch(cell):
            raise ValueError(f"{text!r} is not a number like 1.234,5")
        cell = cell.replace(".", "").replace(",", ".")
    elif not _POINT_NUMBER.fullmatch(cell):
        raise ValueError(f"{text!r} is not a number like 1234.5")
    value = float(cell)
    if not math.isfinite(value):
        raise NumberOutOfRange(text, -1 if value < 0 else 1)
    return value


# Encodings and layout -----------------------------------------------------------


def _decode(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _readings(data: bytes) -> list[tuple[str, str]]:
    """(codec, text) for each encoding the rules allow and the bytes fit."""
    text = _decode(data, "utf-8-sig")
    if text is not None:
        return [("utf-8", text)]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16")  # consumes the byte-order mark
        return [("utf-16", text)] if text is not None else []
    return [
        (c, t) for c in ("gb18030", "cp1252") if (t := _decode(data, c)) is not None
    ]


def _in_gb2312(character: str) -> bool:
    try:
        character.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _plausibly_chinese(text: str) -> bool:
    """Whether a GB18030 reading looks like Chinese. Chinese plans are written
    almost entirely in GB2312 (the 6,763 common hanzi and CJK punctuation).
    Western text read as GB18030 is not: an accented letter followed by an
    ASCII one ("ü" + "l") pairs into a rare GBK-only character. Half or more
    of the non-ASCII characters in GB2312 is taken as Chinese."""
    sample = [
        m.group() for m in islice(_NON_ASCII.finditer(text), _PLAUSIBILITY_SAMPLE)
    ]
    return 2 * sum(map(_in_gb2312, sample)) >= len(sample)


def _records(text: str, delimiter: str):
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)


def _is_blank(record: list[str]) -> bool:
    return all(not cell.strip() for cell in record)


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    skip: int  # records before the header search starts ("sep=" line)
    header: list[str]


def _layout(text: str) -> _Layout | None:
    """The delimiter that splits the header row into 2+ columns, else None."""
    forced = _SEP_LINE.match(text)
    skip = int(bool(forced))
    best, best_score = None, (0, 0)
    for delimiter in [forced.group(1)] if forced else DELIMITERS:
        try:
            records = islice(_records(text, delimiter), skip, None)
            sample = [r for r in islice(records, _SNIFF_ROWS * 2) if not _is_blank(r)]
        except csv.Error:
            continue  # e.g. a cell over the csv module's size limit
        if not sample or len(sample[0]) < 2:
            continue
        width = len(sample[0])
        score = (width, sum(len(r) == width for r in sample[1:_SNIFF_ROWS]))
        if score > best_score:  # strict: earlier delimiters win ties
            best, best_score = _Layout(delimiter, skip, sample[0]), score
    return best


def _maps_required(header: list[str]) -> bool:
    return set(REQUIRED_COLUMNS) <= set(header_map(header).values())


def _choose(
    layouts: list[tuple[str, str, _Layout]],
) -> tuple[str, str, _Layout] | None:
    fits = [x for x in layouts if _maps_required(x[2].header)]
    if len(fits) > 1 and fits[0][0] == "gb18030" and not _plausibly_chinese(fits[0][1]):
        return fits[1]  # Windows-1252: English or Spanish headers, accented cells
    if fits:
        return fits[0]
    # Windows-1252 decodes nearly any bytes: trusted only on header evidence.
    return next((x for x in layouts if x[0] != "cp1252"), None)


def _decimal_comma(delimiter: str, header: list[str], rows: list[list[str]]) -> bool:
    if delimiter == ",":
        return False
    mapped = header_map(header)
    numeric = [i for i, h in enumerate(header) if mapped.get(h) in ("load", "capacity")]
    if not numeric:  # unknown headers: judge every cell that is not a date/text
        numeric = [i for i, h in enumerate(header) if h not in mapped]
    cells = [r[i].strip() for r in rows for i in numeric if i < len(r)]
    evidence = _COMMA_NUMBER if delimiter == ";" else _DECIMAL_COMMA_ONLY
    commas = any("," in c and evidence.fullmatch(c) for c in cells)
    # "320.5" can only be a decimal point ("1.234" might group thousands).
    points = any(
        _POINT_NUMBER.fullmatch(c) and not _COMMA_NUMBER.fullmatch(c) for c in cells
    )
    return commas and not points


def column_letter(position: int) -> str:
    """The spreadsheet letter of a 0-based column position: 0 -> A, 26 -> AA."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _check_characters(
    filename: str, text: str, records: list[list[str]], header_at: int
) -> None:
    if not CONTROL_CHARACTERS.search(text):
        return
    header = records[header_at] if header_at < len(records) else []
    for row, record in enumerate(records, start=1):
        for position, cell in enumerate(record):
            found = CONTROL_CHARACTERS.search(cell)
            if found:
                name = header[position].strip() if position < len(header) else ""
                column = name or column_letter(position)
                raise ForbiddenCharacter(filename, row, column, found.group())


def _read_records(
    text: str, delimiter: str, filename: str, max_rows: int | None
) -> list[list[str]]:
    records: list[list[str]] = []
    try:
        for record in _records(text, delimiter):
            records.append(record)
            if max_rows is not None and len(records) > max_rows + 1:
                raise TooManyRows(filename, max_rows)
    except csv.Error as exc:
        raise UndecodableFile(filename, f"is not readable as CSV ({exc})") from None
    return records


def decode_table(
    *,
    data: bytes,
    filename: str,
    max_rows: int | None = None,
    check_characters: bool = True,
) -> DecodedTable:
    """Decode a plan file's bytes into cells; see the module docstring for the
    rules. Raises EmptyFile, UndecodableFile (naming the file, the encodings
    and the delimiters tried), TooManyRows (more than max_rows records after
    the first) or, unless check_characters is false (the caller checks every
    cell itself), ForbiddenCharacter naming the first bad cell's row and
    column."""
    readings = _readings(data)
    if not data.strip() or (readings and _BLANK.fullmatch(readings[0][1])):
        raise EmptyFile(filename)
    chosen = _choose(
        [
            (codec, text, layout)
            for codec, text in readings
            if (layout := _layout(text)) is not None
        ]
    )
    if chosen is None:
        raise UndecodableFile(filename)
    codec, text, layout = chosen
    records = _read_records(text, layout.delimiter, filename, max_rows)
    header_at = next(
        i for i in range(layout.skip, len(records)) if not _is_blank(records[i])
    )
    if check_characters:
        _check_characters(filename, text, records, header_at)
    # A byte-order mark left inside the first cell (say, after "sep=") goes.
    header = [cell.lstrip("\ufeff") for cell in records[header_at]]
    rows = records[header_at + 1 :]
    return DecodedTable(
        encoding=codec,
        delimiter=layout.delimiter,
        decimal_comma=_decimal_comma(layout.delimiter, header, rows),
        header=header,
        rows=rows,
        header_map=header_map(header),
        header_row=header_at + 1,
    )
