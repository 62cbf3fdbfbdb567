"""The one place that talks to the `holidays` package.

Public holidays, official make-up working days (China's 调休) and which years'
arrangements a government has not published yet.
"""

import datetime
from dataclasses import dataclass
from functools import lru_cache

import holidays


class UnsupportedLocation(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class HolidayYear:
    holidays: dict[datetime.date, str]
    makeup_workdays: frozenset[datetime.date]


def supported_countries() -> dict[str, list[str]]:
    return holidays.list_supported_countries()


@lru_cache(maxsize=1)
def _countries() -> dict[str, tuple[str, ...]]:
    return {c: tuple(s) for c, s in holidays.list_supported_countries().items()}


@lru_cache(maxsize=256)
def _categories(country: str) -> tuple[str, ...]:
    return tuple(holidays.country_holidays(country).supported_categories)


def validate_location(country: str, subdivision: str, categories) -> None:
    """Raise UnsupportedLocation naming the field that the package cannot serve.
    The package's tables are read once per process (every anchored item of a
    calendar asks)."""
    countries = _countries()
    if country not in countries:
        raise UnsupportedLocation(
            "country", f"{country!r} is not a country the holidays package supports."
        )
    if subdivision and subdivision not in countries[country]:
        raise UnsupportedLocation(
            "subdivision",
            f"{subdivision!r} is not a subdivision of {country}; "
            f"supported: {', '.join(countries[country]) or 'none'}.",
        )
    if not isinstance(categories, list) or not categories:
        raise UnsupportedLocation(
            "holiday_categories", "Give at least one holiday category, e.g. public."
        )
    supported = _categories(country)
    unknown = [c for c in categories if c not in supported]
    if unknown:
        raise UnsupportedLocation(
            "holiday_categories",
            f"{', '.join(map(str, unknown))} not supported for {country}; "
            f"supported: {', '.join(supported)}.",
        )


ENGLISH = "en_US"
# Django's language codes where they differ from the package's.
_LANGUAGE_ALIASES = {"zh-hans": "zh_CN", "zh-hant": "zh_TW", "en": "en_US"}


@lru_cache(maxsize=256)
def package_language(country: str, language: str | None) -> str:
    """The package's code for a language (Django's "zh-hans" or the
    package's "zh_CN"), if it translates the country's holidays into it; a
    variant of the same language next (English: en_US); else English."""
    supported = holidays.country_holidays(country).supported_languages
    if language:
        wanted = _LANGUAGE_ALIASES.get(language.lower(), language.replace("-", "_"))
        exact = {code.lower(): code for code in supported}
        if wanted.lower() in exact:
            return exact[wanted.lower()]
        base = wanted.split("_")[0].lower()
        same_base = sorted(c for c in supported if c.split("_")[0].lower() == base)
        if same_base:
            return ENGLISH if ENGLISH in same_base else same_base[0]
    if ENGLISH in supported:
        return ENGLISH
    return holidays.country_holidays(country).default_language or ENGLISH


@lru_cache(maxsize=256)
def _year(
    country: str,
    subdivision: str,
    categories: tuple[str, ...],
    year: int,
    language: str = ENGLISH,
) -> HolidayYear:
    calendar = holidays.country_holidays(
        country,
        subdiv=subdivision or None,
        years=year,
        categories=categories,
        language=language,
    )
    # `weekend_workdays` lists the weekend days a government declared working
    # (调休); it is filled for the years populated above.
    workdays = frozenset(
        d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year
    )
    return HolidayYear(holidays=dict(calendar.items()), makeup_workdays=workdays)


def holiday_calendar(
    country: str,
    subdivision: str,
    categories,
    first: datetime.date,
    last: datetime.date,
    language: str | None = None,
) -> HolidayYear:
    """Holidays and make-up working days between first and last, inclusive;
    names in `language` (a Django or package code) where the package
    translates the country into it, else in English."""
    days: dict[datetime.date, str] = {}
    workdays: set[datetime.date] = set()
    code = package_language(country, language) if language else ENGLISH
    for year in range(first.year, last.year + 1):
        one = _year(country, subdivision, tuple(categories), year, code)
        days.update(one.holidays)
        workdays |= one.makeup_workdays
    return HolidayYear(
        holidays={d: n for d, n in days.items() if first <= d <= last},
        makeup_workdays=frozenset(d for d in workdays if first <= d <= last),
    )


@lru_cache(maxsize=64)
def published_through(country: str) -> int | None:
    """The last year whose official working-day arrangement is known.

    Countries that publish a yearly arrangement with make-up working days (China
    does each winter) have `weekend_workdays` in the package for the years
    published so far; later years are provisional. None: the country's holidays
    follow fixed rules and no year is provisional.
    """
    this_year = datetime.date.today().year
    years = range(this_year - 5, this_year + 4)
    calendar = holidays.country_holidays(country, years=list(years))
    known = {d.year for d in getattr(calendar, "weekend_workdays", ())}
    if not known:
        return None
    return max(known)


def package_version() -> str:
    """The release of the holidays package in use (a new one may move holidays
    and make-up working days: calendars.holiday_releases)."""
    return holidays.__version__


_SEPARATOR = "; "  # how the package joins the names of one day's holidays


@lru_cache(maxsize=64)
def english_to_local_names(
    country: str,
    subdivision: str,
    categories: tuple[str, ...],
    language: str,
    first_year: int,
    last_year: int,
) -> dict[str, str]:
    """English holiday name (as the package gives it in en_US, observed and
    estimated days included) -> its name in `language` (a package code), for
    the years first_year..last_year; names paired day by day."""
    names: dict[str, str] = {}
    if language == ENGLISH:
        return names
    for year in range(first_year, last_year + 1):
        english = _year(country, subdivision, categories, year, ENGLISH).holidays
        local = _year(country, subdivision, categories, year, language).holidays
        for day, name in english.items():
            there = local.get(day)
            if not there:
                continue
            names.setdefault(name, there)
            parts = name.split(_SEPARATOR), there.split(_SEPARATOR)
            if len(parts[0]) == len(parts[1]):
                for en, loc in zip(*parts, strict=True):
                    names.setdefault(en, loc)
    return names
