"""Validating a read Table into plan lines, reporting every problem at once.

Rules:

- The header names each column once: date, load, capacity and optionally
  work_centre, in any order, in English, Chinese, German or Spanish (see
  `decoding.COLUMN_ALIASES`), ignoring case, spaces and underscores. A column
  with values needs a header.
- Each cell follows `cells` (characters, dates, numbers, work centres); text
  cells are stripped first. A bucket (its start and work centre) appears once.
- Problems are reported by the row a spreadsheet user sees (header = 1) and
  the canonical column name, in row order, at most MAX_REPORTED_ERRORS of
  them and a count of the rest; one cell gets one problem.
"""

import datetime
import math
from functools import partial

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _

from calendars.imports import cells
from calendars.imports.decoding import REQUIRED_COLUMNS, column_letter, header_column
from calendars.imports.errors import PlanImportError, PlanImportRowError, file_error
from calendars.imports.table import Table

OPTIONAL_COLUMNS = ("work_centre",)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_REPORTED_ERRORS = 100
_SEPARATORS = (
    (";", "semicolons"),
    ("\t", "tabs"),
    (",", "commas"),
)


def _cell(value) -> object:
    """Strip text, turn empty cells into ""; leave Excel numbers and dates."""
    if isinstance(value, str):
        return value.strip()
    return "" if value is None else value


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def table_validate(*, table: Table, granularity: str) -> pd.DataFrame:
    """Plan lines sorted by bucket: `row`, `bucket_start` and `bucket_end`
    (datetime64[s], inclusive, so that dates past 2262 fit), `work_centre`,
    `load`, `capacity`; or PlanImportError listing every problem."""
    header_problems = [
        PlanImportRowError(table.header_row, column_letter(position), message)
        for position, value in enumerate(table.header)
        if (message := cells.forbidden_character(value))
    ]
    if header_problems:
        raise PlanImportError(header_problems)
    width = max([len(table.header)] + [len(row) for _number, row in table.rows])
    # A numpy object grid keeps every cell as read (pandas would infer dtypes).
    raw = np.full((len(table.rows), width), "", dtype=object)
    for index, (_number, row) in enumerate(table.rows):
        raw[index, : len(row)] = row
    grid = np.frompyfunc(_cell, 1, 1)(raw).astype(object) if len(raw) else raw
    columns = _header(table.header, grid, width, row=table.header_row)
    if not table.rows:
        raise file_error(_("file has a header but no data rows"))

    rows = [number for number, _row in table.rows]
    problems = _Problems(rows)
    problems.found += [(p.row, -1, None, p.message) for p in table.problems]
    names = {position: name for name, position in columns.items()}
    for position, messages in _forbidden(raw):
        problems.flag(names.get(position, column_letter(position)), messages)
    values = {
        name: grid[:, columns[name]].tolist() if name in columns else [""] * len(rows)
        for name in COLUMNS
    }
    days = _dates(values["date"], granularity, problems)
    loads, capacities = _amounts(values, table.decimal_comma, problems)
    centres, messages = _by_value(values["work_centre"], cells.work_centre)
    problems.flag("work_centre", messages)
    problems.flag("date", _duplicates(days, centres, granularity, rows))
    problems.raise_any()

    starts = _datetime64(days)
    ends = _datetime64(_each(days, lambda day: cells.bucket_end(day, granularity)))
    frame = pd.DataFrame(
        {
            "row": rows,
            "bucket_start": starts,
            "bucket_end": ends,
            "work_centre": centres,
            "load": np.array(loads, dtype=float),
            "capacity": np.array(capacities, dtype=float),
        }
    )
    return frame.sort_values(["bucket_start", "work_centre"], ignore_index=True)


class _Problems:
    """Every problem found, as (row, column order, column, message)."""

    def __init__(self, rows: list[int]) -> None:
        self.rows = rows
        self.found: list[tuple[int, int, str | None, str]] = []

    def flag(self, column: str, messages: list[str | None]) -> None:
        order = COLUMNS.index(column) if column in COLUMNS else len(COLUMNS)
        self.found += [
            (row, order, column, message)
            for row, message in zip(self.rows, messages, strict=True)
            if message is not None
        ]

    def raise_any(self) -> None:
        if not self.found:
            return
        seen: set[tuple[int, str]] = set()
        errors = []
        for row, _order, column, message in sorted(self.found, key=lambda f: f[:2]):
            if column is not None:
                # One problem per cell: a control character hides what it broke.
                if (row, column) in seen:
                    continue
                seen.add((row, column))
            errors.append(PlanImportRowError(row, column, message))
        if len(errors) > MAX_REPORTED_ERRORS:
            more = len(errors) - MAX_REPORTED_ERRORS
            errors = errors[:MAX_REPORTED_ERRORS] + [
                PlanImportRowError(
                    None, None, _("… and %(n)s more errors") % {"n": more}
                )
            ]
        raise PlanImportError(errors)


def _dates(values: list, granularity: str, problems: _Problems) -> list:
    """Each row's bucket start, or None where the date has a problem."""
    days, messages = _by_value(values, cells.parse_date)
    problems.flag("date", messages)
    misaligned = _each(days, lambda day: cells.alignment(day, granularity))
    problems.flag("date", misaligned)
    days = _unless(days, misaligned)
    late = _each(days, lambda day: cells.bucket_end_check(day, granularity))
    problems.flag("date", late)
    return _unless(days, late)


def _amounts(
    values: dict[str, list], decimal_comma: bool, problems: _Problems
) -> tuple[list, list]:
    """Each row's load and capacity, None where either has a problem."""
    checked = {}
    for column, check in (
        ("load", cells.check_load),
        ("capacity", cells.check_capacity),
    ):
        parse = partial(cells.number, column=column, decimal_comma=decimal_comma)
        numbers, messages = _by_value(values[column], parse)
        problems.flag(column, messages)
        messages = _each(numbers, check)
        problems.flag(column, messages)
        checked[column] = _unless(numbers, messages)
    loads, capacities = checked["load"], checked["capacity"]
    problems.flag(
        "load",
        [
            None
            if load is None or capacity is None
            else cells.check_utilisation(load, capacity)
            for load, capacity in zip(loads, capacities, strict=True)
        ],
    )
    return loads, capacities


def _forbidden(raw: np.ndarray):
    """(position, messages) for each column holding a control character."""
    strings = [value for value in raw.ravel().tolist() if isinstance(value, str)]
    if not cells.FORBIDDEN.search("\t".join(strings)):  # tab is allowed
        return
    found = np.frompyfunc(cells.forbidden_character, 1, 1)(raw)
    for position in range(raw.shape[1]):
        messages = found[:, position].tolist()
        if any(message is not None for message in messages):
            yield position, messages


_EPOCH = datetime.date(1970, 1, 1).toordinal()


def _datetime64(days: list[datetime.date]) -> np.ndarray:
    ordinals = np.array([day.toordinal() for day in days], dtype=np.int64)
    return (ordinals - _EPOCH).astype("datetime64[D]").astype("datetime64[s]")


def _header(header: list, grid: np.ndarray, width: int, row: int) -> dict[str, int]:
    """Map canonical column names to positions; raise on any header problem."""
    names = [_text(cell) for cell in header] + [""] * (width - len(header))
    if all(name == "" for name in names[1:]):
        for separator, label in _SEPARATORS:
            if separator in names[0]:
                raise file_error(
                    _(
                        "the header is all in column A, separated by %s; split it "
                        "into columns or save the sheet as CSV"
                    )
                    % label
                )
    errors = []
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        key = header_column(name) if name else None
        if name == "":
            if len(grid) and (grid[:, position] != "").any():
                errors.append(
                    PlanImportRowError(
                        row,
                        None,
                        _("column %s has values but no header")
                        % column_letter(position),
                    )
                )
        elif key is None:
            message = _(
                "unknown column %s; the columns are date, load, capacity and "
                "optionally work_centre (or their Chinese, German or Spanish names)"
            )
            name = cells.shown(name)
            errors.append(PlanImportRowError(row, name, message % name))
        elif key in columns:
            errors.append(
                PlanImportRowError(row, key, _("column %s appears twice") % key)
            )
        else:
            columns[key] = position
    errors += [
        PlanImportRowError(row, key, _("required column %s is missing") % key)
        for key in REQUIRED_COLUMNS
        if key not in columns
    ]
    if errors:
        raise PlanImportError(errors)
    return columns


def _key(value) -> tuple:
    # Keeps "1", 1 and True apart, and 0.0 from -0.0 (equal, but load refuses -0).
    if value.__class__ is float:
        return (float, value, math.copysign(1.0, value))
    return (value.__class__, value)


def _by_value(values: list, parse) -> tuple[list, list]:
    """Apply parse (value -> (result, message)) once per distinct value."""
    parsed: dict[tuple, tuple] = {}
    results = []
    for value in values:
        key = _key(value)
        if key not in parsed:
            parsed[key] = parse(value)
        results.append(parsed[key])
    return [r[0] for r in results], [r[1] for r in results]


def _unless(values: list, messages: list) -> list:
    """The values, None where there is a message."""
    return [
        value if message is None else None
        for value, message in zip(values, messages, strict=True)
    ]


def _each(values: list, check) -> list:
    """check(value) for each value that is not None, once per distinct value."""
    done: dict[tuple, object] = {}
    results = []
    for value in values:
        if value is None:
            results.append(None)
            continue
        key = _key(value)
        if key not in done:
            done[key] = check(value)
        results.append(done[key])
    return results


def _duplicates(
    days: list, centres: list, granularity: str, rows: list[int]
) -> list[str | None]:
    """A message on every row that repeats an earlier row's bucket."""
    first: dict[tuple, int] = {}
    messages: list[str | None] = []
    for day, centre, row in zip(days, centres, rows, strict=True):
        if day is None:
            messages.append(None)
            continue
        earlier = first.setdefault((day, centre or ""), row)
        if earlier == row:
            messages.append(None)
            continue
        bucket = cells.bucket_label(day, granularity)
        if centre:
            bucket += _(" at work centre %s") % centre
        messages.append(
            _("rows %(first)s and %(row)s both give %(bucket)s; give each bucket once")
            % {"first": earlier, "row": row, "bucket": bucket}
        )
    return messages
