"""Template helpers: dates in the interface's one convention, and the
quietness scale.

Dates follow the interface language, never the plant's country: a page that
lists a Mexican and a German plant must not read "09/11/2026" for one and
"14.01.2027" for the other. Both languages write ISO 8601 (in China the
national standard GB/T 7408), which nobody can misread and which sorts:

  English  2027-01-04   Mon 2027-01-04   2027-01-04 14:30
  Chinese  2027-01-04   2027-01-04 周一   2027-01-04 14:30

Times are plant-local, 24-hour. The date inputs take the same form
(accounts.web.widgets.DateInput).
"""

import datetime
from collections.abc import Callable

from django import template
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

register = template.Library()

DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"
WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
# Quietness buckets (lower bounds) of the colour scale q0..q5.
SCALE = (0, 50, 65, 75, 85, 90)


def format_plant_date(value, plant, weekday: bool = False) -> str:
    """A date (or ISO string) as YYYY-MM-DD, with the weekday where the
    language puts it; an aware datetime in the plant's time zone with its time."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = parse_date(value[:10])
        if value is None:
            return ""
    if isinstance(value, datetime.datetime):
        if plant is not None and value.tzinfo is not None:
            value = value.astimezone(plant.zone)
        return value.strftime(f"{DATE_FORMAT} {TIME_FORMAT}")
    if weekday:
        return weekday_date_formatter()(value)
    return value.strftime(DATE_FORMAT)


def weekday_date_formatter() -> Callable[[datetime.date], str]:
    """format_plant_date(day, plant, weekday=True) for many dates (the window
    calendar's cells): the language's pattern and weekday names looked up once."""
    # Translators: a date with its weekday; keep both placeholders.
    pattern = gettext("%(weekday)s %(date)s")
    names: list = list(WEEKDAYS)  # translated when first used

    def text(day: datetime.date) -> str:
        weekday = day.weekday()
        name = names[weekday]
        if not isinstance(name, str):
            name = names[weekday] = str(name)
        # isoformat() is DATE_FORMAT for every four-digit year, and cheaper.
        return pattern % {"weekday": name, "date": day.isoformat()}

    return text


@register.filter
def plant_date(value, plant) -> str:
    """A date (or ISO string, or aware datetime) in the plant's local format."""
    return format_plant_date(value, plant)


@register.filter
def plant_day(value, plant) -> str:
    """Like plant_date, with the weekday in front."""
    return format_plant_date(value, plant, weekday=True)


def quietness_bucket(score) -> int:
    try:
        score = float(score)
    except (TypeError, ValueError):
        return -1
    if score != score:
        return -1
    bucket = 0
    for i, low in enumerate(SCALE):
        if score >= low:
            bucket = i
    return bucket


@register.filter
def qclass(score) -> str:
    """The CSS class of a quietness score on the colour scale."""
    bucket = quietness_bucket(score)
    return "qx" if bucket < 0 else f"q{bucket}"


@register.filter
def roundscore(score) -> str:
    try:
        score = float(score)
    except (TypeError, ValueError):
        return "–"
    if score != score:
        return "–"
    return f"{score:.0f}"
