"""Recurrence rules (RFC 5545 RRULE) of blackouts, kept cheap to expand.

A rule is a user's text, and dateutil expands whatever it is given: a rule of
seconds, or one that never matches (30 February, every day), costs minutes of
CPU and gigabytes of memory. So:

* `rrule_problem` refuses what a whole-day calendar never needs: FREQ other
  than DAILY, WEEKLY, MONTHLY or YEARLY, BYHOUR/BYMINUTE/BYSECOND, an
  INTERVAL below 1 (dateutil loops forever) or of more than about ten years,
  a COUNT above the cap, and more than one rule or property in the text;
* `rrule_dates` expands lazily, only within the window asked, and stops at
  `max_occurrences()` dates and at the end of the window's year even when the
  rule has no occurrence there: a rule read from the database that slipped in
  before these checks gives no dates and a logged warning, never an error.
"""

import datetime
import functools
import logging
import re
import types

from dateutil import rrule as dateutil_rrule
from django.conf import settings
from django.utils.translation import gettext

logger = logging.getLogger(__name__)

ALLOWED_FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
TIME_PARTS = ("BYHOUR", "BYMINUTE", "BYSECOND")
# About ten years between two occurrences at most.
MAX_INTERVAL = {"DAILY": 3660, "WEEKLY": 520, "MONTHLY": 120, "YEARLY": 10}
DEFAULT_MAX_OCCURRENCES = 1000
# The rule's DTSTART must be a calendar date (calendars.models.plants):
# iterating from year 1 to today is already a second of CPU.
FIRST_YEAR, LAST_YEAR = 1900, 2999

_UNTIL_UTC = re.compile(r"(UNTIL=\d{8}(?:T\d{6})?)Z", re.IGNORECASE)


def max_occurrences() -> int:
    """Most dates one rule expands to within one window (and its most COUNT)."""
    return int(
        getattr(settings, "OFFPEAK_RRULE_MAX_OCCURRENCES", DEFAULT_MAX_OCCURRENCES)
    )


def rrule_normalize(text: str) -> str:
    """The rule as stored: no "RRULE:" prefix, UNTIL read as a local time.

    Calendar apps export UNTIL in UTC ("…Z"); occurrences here are plant-local
    dates, so the bound is read as a local date-time.
    """
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    return _UNTIL_UTC.sub(r"\1", text)


def _parts(text: str) -> list[tuple[str, str]]:
    parts = []
    for part in text.split(";"):
        name, _sep, value = part.partition("=")
        if name.strip():
            parts.append((name.strip().upper(), value.strip().upper()))
    return parts


def _whole_number(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None  # dateutil reports it


def rrule_problem(text: str) -> str | None:
    """Why a normalised rule is refused, as a message naming the rule part;
    None if it may go on to dateutil (which still reports malformed text)."""
    if any(c in text for c in "\r\n:"):
        return gettext(
            "Give a single recurrence rule, e.g. FREQ=MONTHLY;BYMONTHDAY=-1."
        )
    parts = _parts(text)
    freqs = [value for name, value in parts if name == "FREQ"]
    for freq in freqs:
        # An unknown word (FREQ=SOMETIMES) is dateutil's to report.
        if freq in dateutil_rrule.FREQNAMES and freq not in ALLOWED_FREQS:
            return gettext(
                "FREQ=%(freq)s is not allowed: use DAILY, WEEKLY, MONTHLY or YEARLY."
            ) % {"freq": freq}
    freq = freqs[-1] if freqs and freqs[-1] in ALLOWED_FREQS else None
    cap = max_occurrences()
    for name, value in parts:
        if name in TIME_PARTS:
            return gettext("%(part)s is not allowed: blackouts are whole days.") % {
                "part": name
            }
        number = _whole_number(value)
        if number is None:
            continue
        if name == "INTERVAL" and freq and not 1 <= number <= MAX_INTERVAL[freq]:
            return gettext(
                "INTERVAL=%(value)s is not allowed: give 1 to %(limit)s for "
                "FREQ=%(freq)s."
            ) % {"value": number, "limit": MAX_INTERVAL[freq], "freq": freq}
        if name == "COUNT" and number > cap:
            return gettext(
                "COUNT=%(value)s is not allowed: at most %(limit)s occurrences."
            ) % {"value": number, "limit": cap}
    return None


@functools.lru_cache(maxsize=64)
def _iter_until_year(last_year: int):
    """dateutil's rrule._iter, stopping after `last_year` instead of 9999.

    dateutil checks UNTIL only on an occurrence, so a rule that never matches
    again (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) scans day by day up to
    datetime.MAXYEAR: seconds of CPU. The same code, run with a `datetime`
    whose MAXYEAR is the window's year, stops there.
    """
    original = dateutil_rrule.rrule._iter
    clock = types.ModuleType("datetime")
    clock.__dict__.update(datetime.__dict__)
    clock.MAXYEAR = last_year
    return types.FunctionType(
        original.__code__,
        {**original.__globals__, "datetime": clock},
        original.__name__,
        original.__defaults__,
        original.__closure__,
    )


def rrule_dates(
    text: str,
    dtstart: datetime.date,
    first: datetime.date,
    last: datetime.date,
    *,
    label: str = "",
) -> list[datetime.date]:
    """The dates from `first` to `last` on which the rule, anchored at
    `dtstart`, occurs: at most max_occurrences() of them. A refused or broken
    rule has none (and is logged)."""
    text = rrule_normalize(text)
    problem = rrule_problem(text)
    if problem is None and not FIRST_YEAR <= dtstart.year <= LAST_YEAR:
        problem = f"start {dtstart.isoformat()} out of range"
    if problem is not None:
        logger.warning("Recurrence rule %r of %s ignored: %s", text, label, problem)
        return []
    if last < first or last < dtstart:
        return []
    window_start = datetime.datetime.combine(max(first, dtstart), datetime.time())
    window_end = datetime.datetime.combine(last, datetime.time())
    cap = max_occurrences()
    dates: list[datetime.date] = []
    try:
        rule = dateutil_rrule.rrulestr(
            text, dtstart=datetime.datetime.combine(dtstart, datetime.time())
        )
        if not isinstance(rule, dateutil_rrule.rrule):
            raise ValueError("not a single RRULE")
        rule._iter = types.MethodType(_iter_until_year(last.year), rule)
        for moment in rule:
            if moment > window_end:
                break
            if moment < window_start:
                continue
            if len(dates) >= cap:
                logger.warning(
                    "Recurrence rule %r of %s stopped at %s dates from %s to %s",
                    text,
                    label,
                    cap,
                    first,
                    last,
                )
                break
            dates.append(moment.date())
    except (ValueError, TypeError, OverflowError) as exc:
        logger.warning("Recurrence rule %r of %s ignored: %s", text, label, exc)
        return []
    return dates
