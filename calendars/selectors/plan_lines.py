"""A plant's production plan rows as the daily calendar reads them.

One query for the active plans' rows of a date range (compiled to SQL once:
every rebuild and calendar page runs it), returned as one numpy array per
column, without the rows no entry point would have let in: those are logged
and listed (the plan page shows them), never fatal to the calendar.
"""

import datetime
import logging
from dataclasses import dataclass

import numpy as np

from accounts.compiled import CompiledQuery
from calendars.imports.limits import MAX_AMOUNT, MAX_UTILISATION
from calendars.models import PlanLine, Plant, ProductionPlan

logger = logging.getLogger(__name__)

# A plant whose stored plan is full of bad rows gets this many warnings per
# read, then one line with the count: the log says it, and does not flood.
_LOGGED_SKIPS = 10

# Plan rows as one array per column of _PLAN_LINE_COLUMNS (numpy, no pandas:
# every rebuild reads them).
PlanLines = dict[str, np.ndarray]


@dataclass(frozen=True)
class SkippedPlanLine:
    """A stored plan row the calendar could not use: its load or capacity is
    not finite or out of the range every entry point enforces (a row written
    to the database past validation)."""

    plan_id: int
    plan_version: int
    line_id: int
    bucket_start: datetime.date
    granularity: str
    load: float
    capacity: float


# The columns of a plan row the calendar reads (name → values_list path), and
# each one's array type.
_PLAN_LINE_COLUMNS = {
    "id": ("id", np.int64),
    "plan_id": ("plan_id", np.int64),
    "bucket_start": ("bucket_start", "datetime64[D]"),
    "load": ("load", float),
    "capacity": ("capacity", float),
    "version": ("plan__version", np.int64),
    "granularity": ("plan__granularity", object),
}


def _plan_lines(*, plant: Plant, **filters):
    return PlanLine.objects.filter(
        plan__plant=plant, plan__active=True, **filters
    ).values_list(*(path for path, _ in _PLAN_LINE_COLUMNS.values()))


def _plan_line_arrays(rows: list[tuple]) -> PlanLines:
    columns = zip(*rows, strict=True) if rows else [()] * len(_PLAN_LINE_COLUMNS)
    return {
        # A NULL load or capacity becomes NaN: not finite, so left out.
        name: np.array(values, dtype=dtype)
        for (name, (_, dtype)), values in zip(
            _PLAN_LINE_COLUMNS.items(), columns, strict=True
        )
    }


_PLAN_LINES_IN_RANGE = CompiledQuery(
    lambda plant_id, start, end: _plan_lines(
        plant=Plant(pk=plant_id),
        bucket_start__lte=end,
        bucket_start__gte=start - datetime.timedelta(days=31),  # longest bucket
    ),
    plant_id=int,
    start=datetime.date,
    end=datetime.date,
)


def _plan_lines_in_range(plant: Plant, start, end) -> list[tuple]:
    return _PLAN_LINES_IN_RANGE.run(plant_id=plant.pk, start=start, end=end)


def plan_lines_load(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> tuple[PlanLines, list[SkippedPlanLine]]:
    """The usable rows of the plant's active plans whose buckets may touch
    [start, end], and the rows left out (plan_lines_checked)."""
    return plan_lines_checked(
        plant=plant, lines=_plan_line_arrays(_plan_lines_in_range(plant, start, end))
    )


def plan_lines_checked(
    *, plant: Plant, lines: PlanLines
) -> tuple[PlanLines, list[SkippedPlanLine]]:
    """`lines` without the rows no entry point would have let in (load finite,
    0 to MAX_AMOUNT and at most MAX_UTILISATION × capacity; capacity finite,
    above 0 up to MAX_AMOUNT), and those rows, each logged with its plant,
    plan, row and date. One bad row written straight into the database must
    not fail the calendar, the rebuild and the go-live gate of a whole plant:
    its bucket falls back to the plant's default utilisation instead."""
    load, capacity = lines["load"], lines["capacity"]
    with np.errstate(invalid="ignore", over="ignore"):
        good = (
            np.isfinite(load)
            & np.isfinite(capacity)
            & (load >= 0)
            & (load <= MAX_AMOUNT)
            & (capacity > 0)
            & (capacity <= MAX_AMOUNT)
            & (load <= MAX_UTILISATION * capacity)
        )
    if good.all():
        return lines, []
    skipped = [
        SkippedPlanLine(
            plan_id=int(lines["plan_id"][i]),
            plan_version=int(lines["version"][i]),
            line_id=int(lines["id"][i]),
            bucket_start=lines["bucket_start"][i].item(),
            granularity=str(lines["granularity"][i]),
            load=float(load[i]),
            capacity=float(capacity[i]),
        )
        for i in np.flatnonzero(~good)
    ]
    for line in skipped[:_LOGGED_SKIPS]:
        logger.warning(
            "plant %s: production plan v%s (id %s) row %s dated %s skipped: "
            "load %r / capacity %r is not finite or out of range",
            plant.code,
            line.plan_version,
            line.plan_id,
            line.line_id,
            line.bucket_start.isoformat(),
            line.load,
            line.capacity,
        )
    if len(skipped) > _LOGGED_SKIPS:
        logger.warning(
            "plant %s: %d more bad production plan rows skipped",
            plant.code,
            len(skipped) - _LOGGED_SKIPS,
        )
    return {name: column[good] for name, column in lines.items()}, skipped


def plan_lines_skipped(*, plant: Plant) -> list[SkippedPlanLine]:
    """The rows of the plant's active plans that the calendar leaves out
    (plan_lines_checked), whatever their date: the plan page shows them."""
    lines = _plan_line_arrays(list(_plan_lines(plant=plant)))
    return plan_lines_checked(plant=plant, lines=lines)[1]


def plan_line_span(line: SkippedPlanLine) -> tuple[datetime.date, datetime.date]:
    """The first and last day a plan row's bucket covers."""
    first = line.bucket_start
    if line.granularity == ProductionPlan.Granularity.WEEK:
        return first, first + datetime.timedelta(days=6)
    if line.granularity == ProductionPlan.Granularity.MONTH:
        following = (first.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        return first, following - datetime.timedelta(days=1)
    return first, first
