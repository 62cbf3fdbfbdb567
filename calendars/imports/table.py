"""A file's cells as its reader found them, in one shape for CSV and Excel.

Rules:

- The header is the first row that has a value; rows before it are blank.
- Blank rows below it are dropped but keep their row numbers.
- Trailing empty cells are dropped, so `a,b,c,,,` is three values.
- The header may name at most MAX_COLUMNS columns. A row may hold values in at
  most MAX_COLUMNS columns; a CSV row, which has no column letters, may
  moreover hold no more values than its header has cells. Either is a problem
  of that row, reported with the others; the extra values are not read.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from calendars.imports.decoding import column_letter
from calendars.imports.errors import PlanImportRowError, file_error
from calendars.imports.limits import MAX_COLUMNS


@dataclass
class Table:
    """header_row: the header's 1-based row; header: its cells; rows: (row,
    cells) for every row below it with a value; decimal_comma: whether text
    numbers use a decimal comma; problems: rows refused while reading."""

    header_row: int
    header: list
    rows: list[tuple[int, list]]
    decimal_comma: bool = False
    problems: list[PlanImportRowError] = field(default_factory=list)


def is_empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def trimmed(cells: Sequence) -> list:
    """The cells without the empty ones at the end."""
    end = len(cells)
    while end and is_empty(cells[end - 1]):
        end -= 1
    return list(cells[:end])


def table_build(
    *,
    header_row: int,
    header: Sequence,
    rows: Iterable[tuple[int, Sequence]],
    header_width: int | None = None,
    decimal_comma: bool = False,
) -> Table:
    """A Table from a header and numbered rows (blank ones may be included).
    With header_width (CSV), a row holding more values than that is a problem."""
    names = trimmed(header)
    if len(names) > MAX_COLUMNS:
        raise file_error(
            _("the header has %(n)s columns; a plan file has at most %(max)s")
            % {"n": len(names), "max": MAX_COLUMNS}
        )
    table = Table(header_row, names, [], decimal_comma)
    for row, raw in rows:
        cells = trimmed(raw)
        if not cells:
            continue
        if header_width is not None and len(cells) > header_width:
            table.problems.append(
                PlanImportRowError(
                    row,
                    None,
                    _("the row has %(saw)s values but the header has %(expected)s")
                    % {"saw": len(cells), "expected": header_width},
                )
            )
            cells = cells[:header_width]
        if len(cells) > MAX_COLUMNS:
            table.problems.append(
                PlanImportRowError(
                    row,
                    None,
                    _(
                        "the row has a value in column %(letter)s; a plan file has "
                        "at most %(max)s columns"
                    )
                    % {"letter": column_letter(len(cells) - 1), "max": MAX_COLUMNS},
                )
            )
            cells = cells[:MAX_COLUMNS]
        table.rows.append((row, cells))
    return table


def too_many_rows(limit: int) -> str:
    return _(
        "the file has more than %(limit)s rows below its header; import at most "
        "%(limit)s rows at a time"
    ) % {"limit": f"{limit:,}"}
