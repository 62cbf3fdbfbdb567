"""Production plan import from CSV or Excel (.xlsx), as plants save them.

`plan_parse` reads and validates a file into a DataFrame without touching the
database, so that a preview can reuse it; `plan_import` saves the result as the
plant's next plan version in one transaction. A file with any problem saves
nothing, and every problem is reported with the row a spreadsheet user sees
(header = row 1) and the column.

Modules, in the order a file meets them: `upload` (size, kind), `delimited`
with `decoding` (CSV encodings, delimiters, decimal commas, localised
headers) or `xlsx` (zip-bomb and row-cap checks, openpyxl read-only), both into
a `table.Table`; `validate` with `cells` (the rules for each value), `parse`
(plan_parse), `store` (plan_import). `limits` holds every bound and setting.

Closures and blackouts from iCalendar (.ics) files: `ics` (preview), with
`ics_read`, `ics_expand` and `ics_store` (calendar_file_import).
"""

from calendars.imports.errors import PlanImportError, PlanImportRowError
from calendars.imports.parse import plan_parse
from calendars.imports.store import plan_import, plan_import_summary
from calendars.imports.validate import (
    COLUMNS,
    MAX_REPORTED_ERRORS,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
)

__all__ = [
    "COLUMNS",
    "MAX_REPORTED_ERRORS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "PlanImportError",
    "PlanImportRowError",
    "plan_import",
    "plan_import_summary",
    "plan_parse",
]
