"""Seasons, milestones and blackouts anchored to a movable holiday.

"From N days before to M days after <holiday>", resolved in every year from the
holidays package for the plant's country, subdivision and holiday categories.
Pure: no Django, no database.

Rules:

- An anchor is one holiday. Its `key` is the slug of the holiday's name in the
  package's English localisation (`language="en_US"`), so it is the same in
  every year and whatever language the user reads: China's 春节 is
  "chinese-new-year-spring-festival", Germany's Karfreitag "good-friday".
- Consecutive days with the same English name are one holiday (China's Spring
  Festival is three days); the anchor date is its FIRST day. A run that goes on
  from 31 December into 1 January stays one holiday.
- Observed days ("… (observed)", 补假) and substitute days off ("Day off
  (substituted from …)", 调休) never anchor: they move with the weekday and
  their names carry dates.
- A few movable days that planners keep but the package does not list as
  holidays of the country (they are not rest days by law) are anchors too:
  OBSERVANCES (Mexico's Holy Thursday and Good Friday, from Western Easter).
  They anchor seasons only; they never make a day a holiday.
- Location errors (country, subdivision, holiday_categories) are
  `calendars.holidays.UnsupportedLocation`; the others are `AnchorValueError`.
  Both are ValueErrors with a `field`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import holidays
from dateutil.easter import easter

from calendars.holidays import package_language as _resolve_language
from calendars.holidays import validate_location

MAX_OFFSET_DAYS = 120
_ENGLISH = "en_US"


@dataclass(frozen=True)
class _Observance:
    name: str  # English; its key is anchor_key(name)
    names: dict  # package language code -> name
    easter_offset: int  # days from Western Easter Sunday


# Movable days planners keep that the package (0.109) does not list as the
# country's holidays. Mexico: Holy Week (Semana Santa) is not a federal rest
# day, yet most plants slow down or close for it.
OBSERVANCES: dict[str, tuple[_Observance, ...]] = {
    "MX": (
        _Observance("Holy Thursday", {"es": "Jueves Santo"}, -3),
        _Observance("Good Friday", {"es": "Viernes Santo"}, -2),
    ),
}


class AnchorValueError(ValueError):
    """An anchor argument is invalid; `field` names it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Anchor:
    """A holiday that can anchor a season: stable key, name in the requested
    language, and the first day of its next occurrence."""

    key: str
    name: str
    next_date: datetime.date


@dataclass(frozen=True)
class _Run:
    key: str
    name: str  # English
    first: datetime.date
    last: datetime.date


def anchor_key(name: str) -> str:
    """The slug of an English holiday name: "Chinese New Year's Eve" ->
    "chinese-new-years-eve". A name with no Latin letters (a country the package
    has no English for) keeps its own letters."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    # Apostrophes vanish rather than split words: "new-years", not "new-year-s".
    for text, pattern in ((folded.lower(), r"[^a-z0-9]+"), (name.casefold(), r"\W+")):
        slug = re.sub(pattern, "-", re.sub(r"['\u2019]", "", text)).strip("-")
        if slug:
            return slug
    return ""


# Reading the package (cached per location and year) --------------------------


def _country_calendar(location: tuple, year: int, language: str):
    country, subdivision, categories = location
    return holidays.country_holidays(
        country,
        subdiv=subdivision or None,
        years=year,
        categories=categories,
        language=language,
        # Observed days are left out at the source; _label_patterns catches
        # substitute days and observed special holidays that still come through.
        observed=False,
    )


def _label(calendar, attribute: str) -> str | None:
    label = getattr(calendar, attribute, None)
    text = calendar.tr(label) if label else None
    # Japan's observed days keep the bare holiday name ("%s"): nothing to match.
    return text if text and text.strip() != "%s" and "%s" in text else None


@lru_cache(maxsize=256)
def _label_patterns(country: str) -> tuple[re.Pattern | None, re.Pattern | None]:
    """Patterns for English names built from the package's labels: days that
    move (observed, substituted) and estimated dates ("%s (estimated)"), whose
    group is the holiday's own name."""
    calendar = holidays.country_holidays(country, language=_ENGLISH)
    labels = ("observed_label", "observed_estimated_label", "substituted_label")
    moving = [
        ".*".join(re.escape(part) for part in text.split("%s"))
        for attribute in labels
        if (text := _label(calendar, attribute))
    ]
    estimated = _label(calendar, "estimated_label")
    return (
        re.compile("|".join(f"(?:{p})" for p in moving)) if moving else None,
        re.compile("(.*)".join(re.escape(p) for p in estimated.split("%s", 1)))
        if estimated
        else None,
    )


def _english_key(country: str, name: str) -> str | None:
    """The anchor key of an English name; None for days that cannot anchor."""
    moving, estimated = _label_patterns(country)
    if moving and moving.fullmatch(name):
        return None
    # "Eid al-Fitr (estimated)" in later years is the same holiday.
    found = estimated.fullmatch(name) if estimated else None
    return anchor_key(found.group(1) if found else name) or None


@lru_cache(maxsize=1024)
def _year_runs(location: tuple, year: int) -> tuple[_Run, ...]:
    calendar = _country_calendar(location, year, _ENGLISH)
    runs: list[_Run] = []
    open_runs: dict[str, int] = {}
    for day in sorted(calendar):
        for name in calendar.get_list(day):
            key = _english_key(location[0], name)
            if key is None:
                continue
            at = open_runs.get(key)
            if at is not None and runs[at].last == day - datetime.timedelta(1):
                runs[at] = replace(runs[at], last=day)
            else:
                open_runs[key] = len(runs)
                runs.append(_Run(key, name, day, day))
    keys = {run.key for run in runs}
    for observance in OBSERVANCES.get(location[0], ()):
        key = anchor_key(observance.name)
        if key not in keys:  # a package that lists it wins
            day = easter(year) + datetime.timedelta(days=observance.easter_offset)
            runs.append(_Run(key, observance.name, day, day))
    return tuple(sorted(runs, key=lambda r: r.first))


def _runs(location: tuple, first_year: int, last_year: int) -> list[_Run]:
    """Holidays that touch years first_year..last_year, in date order."""
    merged: list[_Run] = []
    ending_new_years_eve: dict[str, int] = {}
    for year in range(first_year - 1, last_year + 1):
        for run in _year_runs(location, year):
            # The package works year by year; a run starting on 1 January
            # continues the same holiday ending on 31 December (school breaks).
            at = ending_new_years_eve.get(run.key)
            if at is not None and run.first == datetime.date(year, 1, 1):
                merged[at] = replace(merged[at], last=run.last)
            else:
                merged.append(run)
        new_years_eve = datetime.date(year, 12, 31)
        ending_new_years_eve = {
            r.key: i for i, r in enumerate(merged) if r.last == new_years_eve
        }
    first = datetime.date(first_year, 1, 1)
    return sorted((r for r in merged if r.last >= first), key=lambda r: r.first)


@lru_cache(maxsize=1024)
def _localised_names(location: tuple, year: int, language: str) -> dict:
    """(key, day) -> the holiday's name in `language`, paired with the English
    names by their order on each day."""
    english = _country_calendar(location, year, _ENGLISH)
    local = _country_calendar(location, year, language)
    names = {}
    for day in english:
        pairs = zip(english.get_list(day), local.get_list(day), strict=False)
        names.update({(_english_key(location[0], en), day): n for en, n in pairs})
    for observance in OBSERVANCES.get(location[0], ()):
        day = easter(year) + datetime.timedelta(days=observance.easter_offset)
        key = anchor_key(observance.name)
        names.setdefault((key, day), observance.names.get(language, observance.name))
    return names


# Validation -------------------------------------------------------------------


def _location(country: str, subdivision: str, categories) -> tuple:
    if isinstance(categories, str) or not isinstance(categories, Iterable):
        categories_list = categories  # validate_location names the field
    else:
        categories_list = list(categories)
    validate_location(country, subdivision or "", categories_list)
    return (country, subdivision or "", tuple(sorted(set(categories_list))))


def _check_offset(value: object, field: str) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not 0 <= value <= MAX_OFFSET_DAYS
    ):
        raise AnchorValueError(
            field, f"{field} must be a whole number 0-{MAX_OFFSET_DAYS}, not {value!r}"
        )
    return value


# Public API -------------------------------------------------------------------


def holiday_anchors(
    *,
    country: str,
    subdivision: str,
    categories: Iterable[str],
    on_or_after: datetime.date,
    language: str | None = None,
) -> list[Anchor]:
    """The plant's holidays that can anchor a season, ordered by next date.

    next_date is the first day of the holiday's next occurrence starting on or
    after `on_or_after` (within about a year). Names are in `language` when the
    package translates that country into it (Django codes such as "zh-hans"
    are understood), otherwise in English.
    """
    location = _location(country, subdivision, categories)
    language = _resolve_language(country, language)
    found: dict[str, _Run] = {}
    for run in _runs(location, on_or_after.year, on_or_after.year + 1):
        if run.first >= on_or_after:
            found.setdefault(run.key, run)
    return [
        Anchor(
            key=run.key,
            name=_localised_names(location, run.first.year, language).get(
                (run.key, run.first), run.name
            ),
            next_date=run.first,
        )
        for run in sorted(found.values(), key=lambda r: (r.first, r.key))
    ]


def anchor_dates(
    *,
    country: str,
    subdivision: str,
    categories: Iterable[str],
    key: str,
    start: datetime.date,
    end: datetime.date,
) -> list[datetime.date]:
    """First days of every occurrence of holiday `key` starting in the years
    from start.year - 1 to end.year + 1, so that a span anchored a few months
    away that overlaps [start, end] is found. A key that does not occur in
    those years is an AnchorValueError on field "anchor"."""
    if end < start:
        raise AnchorValueError("end", f"end {end} is before start {start}")
    location = _location(country, subdivision, categories)
    runs = _runs(location, start.year - 1, end.year + 1)
    dates = [r.first for r in runs if r.key == key and r.first.year >= start.year - 1]
    if not dates:
        raise AnchorValueError(
            "anchor",
            f"{key!r} is not a holiday of {country}"
            f"{'-' + subdivision if subdivision else ''} between "
            f"{start.year - 1} and {end.year + 1}",
        )
    return dates


def anchored_occurrences(
    *,
    country: str,
    subdivision: str,
    categories: Iterable[str],
    key: str,
    days_before: int,
    days_after: int,
    start: datetime.date,
    end: datetime.date,
) -> list[tuple[datetime.date, datetime.date]]:
    """Spans [anchor - days_before, anchor + days_after] (inclusive) that
    overlap [start, end], one per occurrence, unclipped. days_before and
    days_after are whole numbers 0-120."""
    before = datetime.timedelta(_check_offset(days_before, "days_before"))
    after = datetime.timedelta(_check_offset(days_after, "days_after"))
    dates = anchor_dates(
        country=country,
        subdivision=subdivision,
        categories=categories,
        key=key,
        start=start,
        end=end,
    )
    spans = [(day - before, day + after) for day in dates]
    return [(s, e) for s, e in spans if s <= end and e >= start]


def holiday_keys(
    *,
    country: str,
    subdivision: str,
    categories: Iterable[str],
    first_year: int,
    last_year: int,
) -> set[str]:
    """The keys of the holidays that touch years first_year..last_year (the
    anchors a plant has then)."""
    location = _location(country, subdivision, categories)
    return {run.key for run in _runs(location, first_year, last_year)}
