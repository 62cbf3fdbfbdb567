"""Expanding an iCalendar file's events into whole plant-local days, bounded.

recurring-ical-events does the expansion (RRULE, RDATE, EXDATE, moved or
cancelled occurrences by RECURRENCE-ID, Google's X-WR-TIMEZONE); dateutil
underneath walks each repeat from its DTSTART and, for a repeat that never
matches again (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30), up to the year 9999.
So, as in calendars.recurrence:

- every repeat stops scanning at the end of the window's last year;
- every date a repeat yields, before the window too, costs one step of a
  budget shared by the whole file (limits.MAX_EXPANSION_STEPS);
- at most `max_items` occurrences are taken within the window.

Days: an all-day event covers DTSTART to the day before DTEND; a timed event
covers every plant-local day it touches (a UTC or TZID time is converted to
the plant's zone; a floating time is the plant's own); an event without
length covers its start day.
"""

import datetime
import types
import zoneinfo
from dataclasses import dataclass

import recurring_ical_events
from recurring_ical_events.selection.name import ComponentsWithName
from recurring_ical_events.series import Series

from calendars.recurrence import _iter_until_year


class ExpansionTooLarge(Exception):
    """The file's repeats take more steps than the budget allows."""


class TooManyOccurrences(Exception):
    """The file expands to more occurrences than allowed within the window."""


@dataclass(frozen=True)
class Occurrence:
    uid: str
    summary: str
    status: str
    first: datetime.date
    last: datetime.date
    timed: bool


class _Budget:
    def __init__(self, steps: int) -> None:
        self.left = steps

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise ExpansionTooLarge


def _bounded_series(last_year: int, budget: _Budget) -> type[Series]:
    """A Series whose rules stop at the end of `last_year` and spend the
    budget on every date they yield."""
    capped = _iter_until_year(last_year)

    def bounded(rule):
        for moment in capped(rule):
            budget.spend()
            yield moment

    class RecurrenceRules(Series.RecurrenceRules):
        def rrulestr(self, rule_string):
            rule = super().rrulestr(rule_string)
            rule._iter = types.MethodType(bounded, rule)
            # rrulestr(cache=True) made its generator already: make it anew.
            rule._invalidate_cache()
            return rule

    class BoundedSeries(Series):
        pass

    BoundedSeries.RecurrenceRules = RecurrenceRules
    return BoundedSeries


def _local(moment: datetime.datetime, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    if moment.tzinfo is None:
        return moment  # floating: the plant's own wall clock
    return moment.astimezone(zone).replace(tzinfo=None)


def whole_days(
    start, end, zone: zoneinfo.ZoneInfo
) -> tuple[datetime.date, datetime.date, bool]:
    """(first day, last day, timed) that an event from start to end covers in
    the plant's zone."""
    if not isinstance(start, datetime.datetime):
        if isinstance(end, datetime.datetime):
            end = end.date()
        last = end - datetime.timedelta(days=1) if end and end > start else start
        return start, last, False
    begin = _local(start, zone)
    if end is None:
        return begin.date(), begin.date(), True
    if not isinstance(end, datetime.datetime):
        end = datetime.datetime.combine(end, datetime.time(), start.tzinfo)
    finish = _local(end, zone)
    if finish <= begin:
        return begin.date(), begin.date(), True
    # An event ending at midnight does not touch the day that begins then.
    return begin.date(), (finish - datetime.timedelta(microseconds=1)).date(), True


def occurrences_within(
    calendar,
    *,
    first: datetime.date,
    last: datetime.date,
    zone: zoneinfo.ZoneInfo,
    max_items: int,
    max_steps: int,
) -> list[Occurrence]:
    """Every occurrence of the calendar's events that touches [first, last]
    in the plant's zone. Raises ExpansionTooLarge or TooManyOccurrences."""
    budget = _Budget(max_steps)
    series_class = _bounded_series(last.year, budget)
    query = recurring_ical_events.of(
        calendar, components=[ComponentsWithName("VEVENT", series=series_class)]
    )
    # A day's margin on each side: a time in another zone may fall on a plant
    # day inside the window; days are filtered exactly below.
    span_start = datetime.datetime.combine(
        first - datetime.timedelta(days=1), datetime.time()
    )
    span_stop = datetime.datetime.combine(
        last + datetime.timedelta(days=2), datetime.time()
    )
    found: list[Occurrence] = []
    for series in query.series:
        for occurrence in series.between(span_start, span_stop):
            day_first, day_last, timed = whole_days(
                occurrence.start, occurrence.end, zone
            )
            if day_last < first or day_first > last:
                continue
            if len(found) >= max_items:
                raise TooManyOccurrences
            component = occurrence.as_component(False)
            found.append(
                Occurrence(
                    uid=str(component.get("UID", "")),
                    summary=str(component.get("SUMMARY", "")),
                    status=str(component.get("STATUS", "")).upper(),
                    first=day_first,
                    last=day_last,
                    timed=timed,
                )
            )
    return found
