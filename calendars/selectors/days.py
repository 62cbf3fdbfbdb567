"""The calendar as a list of days, for the API and the feed."""

import datetime

import numpy as np

from calendars.kinds import BAND_KINDS, ITEM_KINDS
from calendars.models import Plant
from calendars.selectors.frame import plant_calendar_data
from calendars.selectors.plan_lines import plan_line_span

_NAMED_KINDS = {k.key: k.names_column for k in BAND_KINDS.values() if k.names_column}


def calendar_days(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> list[dict]:
    """One dict per plant-local day in [start, end]: the columns of
    calendars.selectors.plant_calendar, with seasons, milestones and blackouts
    as lists of names (from the calendar's intervals, so a name containing a
    comma stays whole), and plan_rows_skipped: how many bad stored plan rows
    covering the day were left out of its utilisation."""
    data = plant_calendar_data(plant=plant, start=start, end=end)
    frame = data.frame
    n = len(frame)
    names: dict[str, list[list[str]]] = {
        column: [[] for _ in range(n)] for column in _NAMED_KINDS.values()
    }
    for interval in data.intervals:
        column = _NAMED_KINDS.get(interval.kind)
        if column is None:
            continue
        lo = max((interval.start - start).days, 0)
        hi = min((interval.end - start).days, n - 1)
        for day_names in names[column][lo : hi + 1]:
            if interval.name not in day_names:
                day_names.append(interval.name)
    # Per bad row +1 on its first day in range, -1 after its last: the
    # running sum counts the rows covering each day.
    steps = np.zeros(n + 1, dtype=np.int64)
    for line in data.skipped_plan_lines:
        first, last = plan_line_span(line)
        lo = max((first - start).days, 0)
        hi = min((last - start).days, n - 1)
        if lo <= hi:
            steps[lo] += 1
            steps[hi + 1] -= 1
    skipped = np.cumsum(steps[:n]).tolist()
    dates = frame.index.date
    columns = {
        name: frame[name].tolist()
        for name in (
            "is_working",
            "reason",
            "provisional",
            "absence",
            "utilisation",
            *(k.level_column for k in ITEM_KINDS.values() if k.level_column),
            "forbidden",
            "forbidden_reason",
        )
    }
    return [
        {
            "date": dates[i],
            **{name: values[i] for name, values in columns.items()},
            **{column: lists[i] for column, lists in names.items()},
            "plan_rows_skipped": skipped[i],
        }
        for i in range(n)
    ]
