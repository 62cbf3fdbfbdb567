"""Reading and checking one cell: each function returns (value, None) or
(None, the message a planner reads).

Rules:

- No cell holds a control character (U+0000-U+001F, U+007F-U+009F) other
  than tab: a NUL or a line break inside a plan cell is a wrongly saved file,
  and some databases refuse NUL outright. Checked before cells are stripped,
  since str.strip() would silently eat some of them.
- Dates are ISO `YYYY-MM-DD` text or Excel date cells without a time, from
  FIRST_DATE to LAST_DATE (calendars.models.validate_calendar_date), and so
  is the last day of each bucket.
- Numbers are finite: load from 0 to MAX_AMOUNT (no minus sign, not even on
  zero), capacity above 0 up to MAX_AMOUNT, and load at most MAX_UTILISATION
  times capacity. Text numbers follow the file's decimal separator.
- A work centre is text of at most WORK_CENTRE_MAX_LENGTH characters.
"""

import datetime
import math
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calendars.imports.decoding import NumberOutOfRange, parse_number
from calendars.imports.limits import MAX_AMOUNT, MAX_UTILISATION
from calendars.models import PlanLine, ProductionPlan, validate_calendar_date

WORK_CENTRE_MAX_LENGTH = PlanLine._meta.get_field("work_centre").max_length
# decoding.CONTROL_CHARACTERS and line breaks too: a plan cell is one line.
FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKDAYS = (
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
)
_AMOUNT = f"{MAX_AMOUNT:,.0f}"
_SHOWN = 40


def shown(value) -> str:
    """A cell's value for a message, cut short: a cell may hold a whole file."""
    text = str(value)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def forbidden_character(value) -> str | None:
    if not isinstance(value, str):
        return None
    found = FORBIDDEN.search(value)
    if not found:
        return None
    return _(
        "contains the control character U+%04X; remove it or save the file again"
    ) % ord(found.group())


def _out_of_range(day: datetime.date) -> str | None:
    try:
        validate_calendar_date(day)
    except ValidationError as exc:
        return _("%(day)s is out of range. %(rule)s") % {
            "day": day,
            "rule": " ".join(exc.messages),
        }
    return None


def parse_date(value) -> tuple[datetime.date | None, str | None]:
    if isinstance(value, datetime.datetime):  # an Excel date cell
        if value.time() != datetime.time():
            return None, _("%s has a time of day; give the date only") % shown(value)
        value = value.date()
    elif isinstance(value, datetime.date):
        pass
    elif value == "":
        return None, _("date is missing")
    elif not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None, _("%s is not a date in the form YYYY-MM-DD") % shown(value)
    else:
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return None, _("%s is not a valid date") % value
    problem = _out_of_range(value)
    return (None, problem) if problem else (value, None)


def alignment(day: datetime.date, granularity: str) -> str | None:
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


def bucket_end(day: datetime.date, granularity: str) -> datetime.date:
    if granularity == ProductionPlan.Granularity.WEEK:
        return day + datetime.timedelta(days=6)
    if granularity == ProductionPlan.Granularity.MONTH:
        following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return following - datetime.timedelta(days=1)
    return day


def bucket_label(day: datetime.date, granularity: str) -> str:
    if granularity == ProductionPlan.Granularity.WEEK:
        return _("the week of %s") % day
    if granularity == ProductionPlan.Granularity.MONTH:
        return _("the month %s") % day.strftime("%Y-%m")
    return str(day)


def bucket_end_check(day: datetime.date, granularity: str) -> str | None:
    """A bucket that starts in range may still end after LAST_DATE."""
    end = bucket_end(day, granularity)
    try:
        validate_calendar_date(end)
    except ValidationError as exc:
        return _("%(bucket)s ends on %(end)s. %(rule)s") % {
            "bucket": bucket_label(day, granularity),
            "end": end,
            "rule": " ".join(exc.messages),
        }
    return None


def number(
    value, *, column: str, decimal_comma: bool = False
) -> tuple[float | None, str | None]:
    """A float, possibly ±inf for a well-formed number too large for a float
    (the range checks then name the bound it breaks), or a message."""
    not_a_number = _("%(column)s must be a number, not %(value)s") % {
        "column": column,
        "value": shown(value),
    }
    if isinstance(value, bool):
        return None, not_a_number
    if isinstance(value, int):
        try:
            return float(value), None
        except OverflowError:  # an int past 1.8e308
            return (math.inf if value > 0 else -math.inf), None
    if isinstance(value, float):
        return (None, not_a_number) if math.isnan(value) else (value, None)
    if value == "":
        return None, _("%s is missing") % column
    if not isinstance(value, str):
        return None, not_a_number
    try:
        return parse_number(value, decimal_comma=decimal_comma), None
    except NumberOutOfRange as exc:
        return math.copysign(math.inf, exc.sign), None
    except ValueError:
        return None, not_a_number


def check_load(load: float) -> str | None:
    if load < 0:
        return _("load must be zero or more")
    if math.copysign(1, load) < 0:
        return _("load must be zero or more; write 0, not -0")
    if load > MAX_AMOUNT:
        return _("load must be at most %s") % _AMOUNT
    return None


def check_capacity(capacity: float) -> str | None:
    if capacity <= 0:
        return _("capacity must be more than zero")
    if capacity > MAX_AMOUNT:
        return _("capacity must be at most %s") % _AMOUNT
    return None


def check_utilisation(load: float, capacity: float) -> str | None:
    if load > MAX_UTILISATION * capacity:
        return _(
            "load is %(ratio)s times the capacity; at most %(max)s times is "
            "accepted (check the units)"
        ) % {"ratio": f"{load / capacity:,.4g}", "max": f"{MAX_UTILISATION:g}"}
    return None


def work_centre(value) -> tuple[str | None, str | None]:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # an Excel number cell such as 10 may arrive as 10.0
    text = str(value)
    if len(text) > WORK_CENTRE_MAX_LENGTH:
        return None, _("work_centre is longer than %s characters") % (
            WORK_CENTRE_MAX_LENGTH
        )
    return text, None
