"""Production plan import from CSV (UTF-8) or Excel (.xlsx).

`plan_parse` reads and validates a file into a DataFrame without touching the
database, so that a preview can reuse it; `plan_import` saves the result as the
plant's next plan version in one transaction. A file with any problem saves
nothing, and every problem is reported with the row a spreadsheet user sees
(header = row 1) and the column.
"""

import datetime
import io
import math
import re
from dataclasses import dataclass
from functools import partial
from pathlib import PurePath

import numpy as np
import pandas as pd
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from calendars.models import PlanLine, Plant, ProductionPlan
from calendars.services import calendar_revision_bump

REQUIRED_COLUMNS = ("date", "load", "capacity")
OPTIONAL_COLUMNS = ("work_centre",)
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
MAX_REPORTED_ERRORS = 100
WORK_CENTRE_MAX_LENGTH = PlanLine._meta.get_field("work_centre").max_length

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_PARSER_LINE = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)


@dataclass(frozen=True)
class PlanImportRowError:
    """One problem. row: the 1-based file row (header = 1), None for the whole
    file; column: the column's name, or None."""

    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [f"row {self.row}"] if self.row is not None else []
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class PlanImportError(Exception):
    """The file cannot be imported; `errors` lists every problem found."""

    def __init__(self, errors: list[PlanImportRowError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(str(error) for error in self.errors[:3]))


def _file_error(message: str) -> PlanImportError:
    return PlanImportError([PlanImportRowError(None, None, message)])


def plan_parse(*, file, granularity: str) -> pd.DataFrame:
    """Read and validate a plan file; raise PlanImportError listing every problem.

    Returns one row per plan line, sorted by bucket, with the columns `row` (the
    file row), `bucket_start` and `bucket_end` (datetime64, inclusive),
    `work_centre` (str, "" when the file has none), `load` and `capacity` (float).
    """
    granularity = _granularity(granularity)
    data = _read_limited(file, settings.PLAN_IMPORT_MAX_BYTES)
    if not data.strip():
        raise _file_error(_("file is empty"))
    if _file_format(getattr(file, "name", None) or "", data) == "xlsx":
        raw = _read_xlsx(data)
    else:
        raw = _read_csv(data)
    return _validate(raw, granularity)


def plan_import(
    *,
    plant: Plant,
    file,
    granularity: str,
    user=None,
    source_name: str | None = None,
) -> ProductionPlan:
    """Save a plan file as the plant's next plan version, atomically.

    Older active plans whose period lies entirely within the new one are
    deactivated; the returned plan lists their versions in
    `superseded_versions`. Plans that only partly overlap stay active and the
    newest version wins day by day. Bumps the plant's calendar revision once.
    """
    lines = plan_parse(file=file, granularity=granularity)
    if not source_name:
        source_name = PurePath(getattr(file, "name", None) or "upload").name
    period_start = lines["bucket_start"].min().date()
    period_end = lines["bucket_end"].max().date()
    with transaction.atomic():
        # Serialises imports per plant so that two never take the same version.
        Plant.objects.select_for_update().filter(pk=plant.pk).values_list("pk").get()
        plans = ProductionPlan.objects.filter(plant_id=plant.pk)
        version = (plans.aggregate(v=Max("version"))["v"] or 0) + 1
        superseded = dict(
            plans.filter(
                active=True, period_start__gte=period_start, period_end__lte=period_end
            ).values_list("pk", "version")
        )
        plans.filter(pk__in=superseded).update(active=False)
        plan = ProductionPlan.objects.create(
            plant=plant,
            version=version,
            granularity=granularity,
            source_name=source_name[:255],
            imported_by=user if getattr(user, "is_authenticated", False) else None,
            period_start=period_start,
            period_end=period_end,
            row_count=len(lines),
            active=True,
        )
        PlanLine.objects.bulk_create(
            [
                PlanLine(
                    plan=plan,
                    bucket_start=start,
                    work_centre=centre,
                    load=load,
                    capacity=capacity,
                )
                for start, centre, load, capacity in zip(
                    lines["bucket_start"].dt.date,
                    lines["work_centre"],
                    lines["load"].tolist(),
                    lines["capacity"].tolist(),
                    strict=True,
                )
            ],
            batch_size=1000,
        )
        calendar_revision_bump(plant_ids=[plant.pk])
    plant.refresh_from_db(fields=["calendar_revision"])
    plan.superseded_versions = sorted(superseded.values())
    return plan


def plan_import_summary(*, plan: ProductionPlan) -> str:
    """One line for the command and the admin: `Imported plan v3 for SZ: 104
    rows, 2026-01-05..2028-01-02 (superseded: v1, v2)`."""
    text = _("Imported plan v%(version)s for %(plant)s: %(rows)s, %(period)s") % {
        "version": plan.version,
        "plant": plan.plant.code,
        "rows": _("1 row") if plan.row_count == 1 else _("%s rows") % plan.row_count,
        "period": f"{plan.period_start.isoformat()}..{plan.period_end.isoformat()}",
    }
    superseded = getattr(plan, "superseded_versions", None)
    if superseded:
        versions = ", ".join(f"v{version}" for version in superseded)
        text += " (" + _("superseded: %s") % versions + ")"
    return text


# Reading -------------------------------------------------------------------


def _granularity(value: str) -> str:
    try:
        return ProductionPlan.Granularity(value).value
    except ValueError:
        raise _file_error(
            _("granularity must be day, week or month, not %r") % (value,)
        ) from None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _read_limited(file, max_bytes: int) -> bytes:
    """The file's bytes, refusing a file over max_bytes before any parsing."""
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > max_bytes:
        raise _file_error(
            _("file is %(size)s; the limit is %(limit)s")
            % {"size": _megabytes(size), "limit": _megabytes(max_bytes)}
        )
    seekable = getattr(file, "seekable", None)
    if callable(seekable) and seekable():
        file.seek(0)
    data = file.read(max_bytes + 1)  # never more than the limit and one byte
    if isinstance(data, str):
        raise TypeError("open plan files in binary mode")
    if len(data) > max_bytes:
        raise _file_error(
            _("file is larger than the limit of %s") % _megabytes(max_bytes)
        )
    return data


def _file_format(name: str, data: bytes) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".csv" and data.startswith(_ZIP_SIGNATURE):
        raise _file_error(
            _(
                "file is named .csv but is an Excel workbook; name it .xlsx or save "
                "it as CSV UTF-8"
            )
        )
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    if data.startswith(_ZIP_SIGNATURE):
        return "xlsx"
    if data.startswith(_OLE2_SIGNATURE):
        raise _file_error(
            _(
                "old Excel .xls files are not supported; save it as .xlsx or as "
                "CSV UTF-8"
            )
        )
    return "csv"


def _read_csv(data: bytes) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(
            _(
                "file is not UTF-8 encoded (first invalid byte on line %s); save it "
                "as CSV UTF-8"
            )
            % (data.count(b"\n", 0, exc.start) + 1)
        ) from None
    try:
        # All text and blank lines kept, so record i is file row i + 1.
        return pd.read_csv(
            io.StringIO(text),
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
        )
    except pd.errors.EmptyDataError:
        raise _file_error(_("file is empty")) from None
    except pd.errors.ParserError as exc:
        # The tokenizer stops at the first row with too many values.
        found = _PARSER_LINE.search(str(exc))
        if not found:
            raise _file_error(_("file is not readable as CSV: %s") % exc) from None
        expected, line, saw = map(int, found.groups())
        message = _("the row has %(saw)s values but the header has %(expected)s") % {
            "saw": saw,
            "expected": expected,
        }
        raise PlanImportError([PlanImportRowError(line, None, message)]) from None


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        # The first sheet, blank rows kept, so record i is sheet row i + 1.
        return pd.read_excel(
            io.BytesIO(data), header=None, dtype=object, engine="openpyxl"
        )
    except Exception:  # zipfile, XML and openpyxl errors of many kinds
        raise _file_error(_("file is not a readable Excel workbook (.xlsx)")) from None


# Validation ----------------------------------------------------------------


def _cell(value) -> object:
    """Strip text, turn empty cells into ""; leave Excel numbers and dates."""
    if isinstance(value, str):
        return value.strip()
    if value is None or value is pd.NaT:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


def _validate(raw: pd.DataFrame, granularity: str) -> pd.DataFrame:
    # A numpy object grid keeps every cell as read (pandas would infer dtypes).
    grid = np.frompyfunc(_cell, 1, 1)(raw.to_numpy(dtype=object)).astype(object)
    filled = np.flatnonzero(~(grid == "").all(axis=1))
    if not len(filled):
        raise _file_error(_("file is empty"))
    header_at, data_at = filled[0], filled[1:]
    body = grid[data_at]
    columns = _header(list(grid[header_at]), body, row=int(header_at) + 1)
    if not len(data_at):
        raise _file_error(_("file has a header but no data rows"))

    frame = pd.DataFrame({"row": data_at + 1})
    values = {
        name: pd.Series(
            body[:, columns[name]] if name in columns else "",
            index=frame.index,
            dtype=object,
        )
        for name in COLUMNS
    }
    problems: list[pd.DataFrame] = []

    def flag(column: str, messages: pd.Series) -> None:
        bad = messages.notna()
        problems.append(
            pd.DataFrame(
                {
                    "row": frame["row"][bad],
                    "order": COLUMNS.index(column),
                    "column": column,
                    "message": messages[bad],
                }
            )
        )

    dates, messages = _by_value(values["date"], _parse_date)
    misaligned = dates.map(lambda d: _alignment(d, granularity), na_action="ignore")
    flag("date", messages)
    flag("date", misaligned)
    for column, check in (("load", _check_load), ("capacity", _check_capacity)):
        numbers, messages = _by_value(values[column], partial(_number, column=column))
        flag(column, messages)
        flag(column, numbers.map(check, na_action="ignore"))
        frame[column] = numbers
    centres, messages = _by_value(values["work_centre"], _work_centre)
    flag("work_centre", messages)
    frame["work_centre"] = centres.fillna("").astype(str)
    frame["bucket_start"] = pd.to_datetime(dates)
    aligned = dates.notna() & misaligned.isna()
    flag("date", _duplicates(frame[aligned], granularity).reindex(frame.index))

    found = pd.concat(problems).sort_values(["row", "order"], kind="stable")
    if len(found):
        errors = [
            PlanImportRowError(int(row), column, message)
            for row, column, message in found[["row", "column", "message"]]
            .head(MAX_REPORTED_ERRORS)
            .itertuples(index=False)
        ]
        if len(found) > MAX_REPORTED_ERRORS:
            errors.append(
                PlanImportRowError(
                    None,
                    None,
                    _("… and %(n)s more errors")
                    % {"n": len(found) - MAX_REPORTED_ERRORS},
                )
            )
        raise PlanImportError(errors)

    frame["bucket_end"] = _bucket_end(frame["bucket_start"], granularity)
    frame["load"] = frame["load"].astype(float)
    frame["capacity"] = frame["capacity"].astype(float)
    return frame[
        ["row", "bucket_start", "bucket_end", "work_centre", "load", "capacity"]
    ].sort_values(["bucket_start", "work_centre"], ignore_index=True)


def _header(names: list, body: np.ndarray, row: int) -> dict[str, int]:
    """Map canonical column names to positions; raise on any header problem."""
    names = [str(n).strip() for n in names]
    if all(n == "" for n in names[1:]):
        for separator, label in ((";", "semicolons"), ("\t", "tabs")):
            if separator in names[0]:
                raise _file_error(
                    _("columns must be separated by commas; this file uses %s") % label
                )
    errors = []
    columns: dict[str, int] = {}
    for position, name in enumerate(names):
        key = name.lower()
        if key == "":
            if (body[:, position] != "").any():
                letter = get_column_letter(position + 1)
                errors.append(
                    PlanImportRowError(
                        row, None, _("column %s has values but no header") % letter
                    )
                )
        elif key not in COLUMNS:
            message = _(
                "unknown column %s; the columns are date, load, capacity and "
                "optionally work_centre"
            )
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


def _by_value(values: pd.Series, parse) -> tuple[pd.Series, pd.Series]:
    """Apply parse (value -> (result, message)) once per distinct value."""
    keys = values.map(lambda v: (type(v), v))  # keeps "1", 1 and True apart
    parsed = {key: parse(key[1]) for key in dict.fromkeys(keys.tolist())}
    return (
        keys.map(lambda k: parsed[k][0]).astype(object),
        keys.map(lambda k: parsed[k][1]).astype(object),
    )


def _parse_date(value) -> tuple[datetime.date | None, str | None]:
    if isinstance(value, datetime.datetime):  # an Excel date cell
        if value.time() != datetime.time():
            return None, _("%s has a time of day; give the date only") % value
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if value == "":
        return None, _("date is missing")
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None, _("%s is not a date in the form YYYY-MM-DD") % value
    try:
        return datetime.date.fromisoformat(value), None
    except ValueError:
        return None, _("%s is not a valid date") % value


def _alignment(day: datetime.date, granularity: str) -> str | None:
    # Never shift a date silently: planners must see which bucket they meant.
    if granularity == ProductionPlan.Granularity.WEEK and day.weekday() != 0:
        return _(
            "%(day)s is a %(weekday)s; a weekly plan gives each week by its "
            "Monday (%(monday)s)"
        ) % {
            "day": day,
            "weekday": _(_WEEKDAYS[day.weekday()]),
            "monday": day - datetime.timedelta(days=day.weekday()),
        }
    if granularity == ProductionPlan.Granularity.MONTH and day.day != 1:
        return _(
            "%(day)s is not the 1st of a month; a monthly plan gives each month "
            "by its first day (%(first)s)"
        ) % {"day": day, "first": day.replace(day=1)}
    return None


def _number(value, column: str) -> tuple[float | None, str | None]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and _DECIMAL.fullmatch(value):
        number = float(value)
    elif value == "":
        return None, _("%s is missing") % column
    else:
        number = math.nan
    if not math.isfinite(number):
        return None, _("%(column)s must be a number, not %(value)s") % {
            "column": column,
            "value": value,
        }
    return number, None


def _check_load(load: float) -> str | None:
    return _("load must be zero or more") if load < 0 else None


def _check_capacity(capacity: float) -> str | None:
    return _("capacity must be more than zero") if capacity <= 0 else None


def _work_centre(value) -> tuple[str | None, str | None]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an Excel number cell such as 10 may arrive as 10.0
    text = str(value)
    if len(text) > WORK_CENTRE_MAX_LENGTH:
        return None, _("work_centre is longer than %s characters") % (
            WORK_CENTRE_MAX_LENGTH
        )
    return text, None


def _bucket_label(start: pd.Timestamp, granularity: str) -> str:
    if granularity == ProductionPlan.Granularity.WEEK:
        return _("the week of %s") % start.date()
    if granularity == ProductionPlan.Granularity.MONTH:
        return _("the month %s") % start.strftime("%Y-%m")
    return str(start.date())


def _duplicates(frame: pd.DataFrame, granularity: str) -> pd.Series:
    """A message on every row that repeats an earlier row's bucket."""
    keys = ["bucket_start", "work_centre"]
    messages = pd.Series(None, index=frame.index, dtype=object)
    repeated = frame[frame.duplicated(keys, keep=False)]
    for (start, centre), group in repeated.groupby(keys, sort=False):
        bucket = _bucket_label(start, granularity)
        if centre:
            bucket += _(" at work centre %s") % centre
        first = int(group["row"].iloc[0])
        for index, row in zip(group.index[1:], group["row"].iloc[1:], strict=True):
            messages[index] = _(
                "rows %(first)s and %(row)s both give %(bucket)s; give each bucket once"
            ) % {"first": first, "row": int(row), "bucket": bucket}
    return messages


def _bucket_end(starts: pd.Series, granularity: str) -> pd.Series:
    if granularity == ProductionPlan.Granularity.WEEK:
        return starts + pd.Timedelta(days=6)
    if granularity == ProductionPlan.Granularity.MONTH:
        return starts + pd.offsets.MonthEnd(0)
    return starts
