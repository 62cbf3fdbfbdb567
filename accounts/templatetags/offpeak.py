"""Template helpers: plant-local date formats and the quietness scale."""

import datetime

from django import template
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

register = template.Library()

# How a plant's people write a date, by the plant's country.
DATE_FORMATS = {
    "CN": "%Y-%m-%d",
    "JP": "%Y/%m/%d",
    "KR": "%Y.%m.%d",
    "DE": "%d.%m.%Y",
    "AT": "%d.%m.%Y",
    "CH": "%d.%m.%Y",
    "PL": "%d.%m.%Y",
    "CZ": "%d.%m.%Y",
    "MX": "%d/%m/%Y",
    "ES": "%d/%m/%Y",
    "FR": "%d/%m/%Y",
    "IT": "%d/%m/%Y",
    "GB": "%d/%m/%Y",
    "BR": "%d/%m/%Y",
    "IN": "%d/%m/%Y",
    "US": "%m/%d/%Y",
    "HU": "%Y.%m.%d.",
}
WEEKDAYS = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
# Quietness buckets (lower bounds) of the colour scale q0..q5.
SCALE = (0, 50, 65, 75, 85, 90)


def date_format_for(plant) -> str:
    country = getattr(plant, "country", "") or ""
    return DATE_FORMATS.get(country.upper(), "%Y-%m-%d")


def format_plant_date(value, plant, weekday: bool = False) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        value = parse_date(value[:10])
        if value is None:
            return ""
    if isinstance(value, datetime.datetime):
        if plant is not None and value.tzinfo is not None:
            value = value.astimezone(plant.zone)
        return value.strftime(date_format_for(plant) + " %H:%M")
    text = value.strftime(date_format_for(plant))
    if weekday:
        text = f"{WEEKDAYS[value.weekday()]} {text}"
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
