"""Period-close blackouts generated from a plant's fiscal calendar.

Finance closes every fiscal period: its last K working days and the next
period's first J working days (the plant's `close_last_days` and
`close_first_days`) are a soft blackout, and the last K working days of a
fiscal year, the year-end close, a hard one. They are computed, never stored:
a change of the plant's fiscal settings (which bumps its calendar revision
through calendars.services) changes them at once.

Working days are the plant's own (weekends, holidays, make-up days and
closures), given as the daily calendar's boolean array: one call of
calendars.fiscal.period_close_days per range, no loop over days.
"""

import datetime
import re

import numpy as np
from django.utils.translation import gettext as _

from calendars import fiscal
from calendars.intervals import CalendarInterval, FeedEvent

KIND = "period_close"
_EDGE = datetime.timedelta(days=3 * fiscal.MAX_CLOSE_DAYS)


def period_label(year: int, period: int) -> str:
    """The name finance gives a fiscal period, e.g. FY2027 P03."""
    return f"FY{year} P{period:02d}"


def year_end_close_name(year: int) -> str:
    """The year-end close's name in the active language."""
    return _("year-end close FY%(year)s") % {"year": year}


def period_close_name(label: str) -> str:
    """A period close's name in the active language; `label`: period_label()."""
    return _period_close_wording() % {"period": label}


def _period_close_wording() -> str:
    """The wording of a period close's name in the active language, with
    "%(period)s" in it: looked up once for all of a calendar's closes."""
    return _("period close %(period)s")


# The names as generated in English, which stored explanations keep.
_STORED_YEAR_END = re.compile(r"year-end close FY(\d+)")
_STORED_PERIOD = re.compile(r"period close (FY\d+ P\d+)")


def close_name_in_language(name: str) -> str:
    """A generated close name as stored (English) in the active language; any
    other name unchanged."""
    if found := _STORED_YEAR_END.fullmatch(name):
        return year_end_close_name(int(found.group(1)))
    if found := _STORED_PERIOD.fullmatch(name):
        return period_close_name(found.group(1))
    return name


def period_close_intervals(
    *, plant, start: datetime.date, end: datetime.date, is_working: np.ndarray
) -> list[CalendarInterval]:
    """The close windows touching [start, end], as calendar intervals of kind
    "period_close": per period boundary one soft interval from the first to
    the last close day (weekends between included: the books stay open), and
    for a fiscal year's end a hard interval over its last working days instead
    of the soft part before the boundary. `is_working`: one flag per day of
    [start, end]."""
    k, j = plant.close_last_days, plant.close_first_days
    if not k and not j:
        return []
    # A window near the range's edges counts working days beyond it: there,
    # the plant's working week stands in for its full calendar.
    first, last = start - _EDGE, end + _EDGE
    days = np.arange(
        np.datetime64(first, "D"), np.datetime64(last, "D") + 1, dtype="datetime64[D]"
    )
    weekday = (days.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    working = ~np.isin(weekday, plant.weekend_days)
    inside = _EDGE.days
    working[inside : inside + len(is_working)] = np.asarray(is_working, dtype=bool)
    windows = fiscal.period_close_days(
        calendar=plant.fiscal_calendar(),
        start=first,
        end=last,
        working_days=working,
        last_k=k,
        first_j=j,
    )
    intervals = []
    period_close = _period_close_wording()
    for w in windows:
        label = period_label(w.year, w.period)
        soft = w.first_days if w.year_end else w.days
        if w.year_end and w.last_days:
            intervals.append(
                CalendarInterval(
                    KIND,
                    year_end_close_name(w.year),
                    w.last_days[0],
                    w.last_days[-1],
                    1.0,
                    True,
                    detail=label,
                )
            )
        if soft:
            intervals.append(
                CalendarInterval(
                    KIND,
                    period_close % {"period": label},
                    soft[0],
                    soft[-1],
                    1.0,
                    False,
                    detail=label,
                )
            )
    return [i for i in intervals if i.end >= start and i.start <= end]


def period_close_feed_events(
    *, plant, intervals: list[CalendarInterval]
) -> list[FeedEvent]:
    """The feed's events of the close intervals, UIDs stable per plant, kind
    and first day."""
    return [
        FeedEvent(
            uid=f"{KIND}-{plant.pk}-{'hard' if i.hard else 'soft'}-"
            f"{i.start.isoformat()}",
            start=i.start,
            end=i.end,
            summary=i.name,
            category="period close",
        )
        for i in intervals
        if i.kind == KIND
    ]
