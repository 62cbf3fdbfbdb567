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


def validate_location(country: str, subdivision: str, categories) -> None:
    """Raise UnsupportedLocation naming the field that the package cannot serve."""
    countries = supported_countries()
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
    supported = holidays.country_holidays(country).supported_categories
    unknown = [c for c in categories if c not in supported]
    if unknown:
        raise UnsupportedLocation(
            "holiday_categories",
            f"{', '.join(map(str, unknown))} not supported for {country}; "
            f"supported: {', '.join(supported)}.",
        )


@lru_cache(maxsize=256)
def _year(
    country: str, subdivision: str, categories: tuple[str, ...], year: int
) -> HolidayYear:
    calendar = holidays.country_holidays(
        country,
        subdiv=subdivision or None,
        years=year,
        categories=categories,
        language="en_US",
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
) -> HolidayYear:
    """Holidays and make-up working days between first and last, inclusive."""
    days: dict[datetime.date, str] = {}
    workdays: set[datetime.date] = set()
    for year in range(first.year, last.year + 1):
        one = _year(country, subdivision, tuple(categories), year)
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
