"""Which years of a plant's calendar are provisional: their official holiday
arrangement (China's make-up working days, 调休) is not published yet."""

import datetime

from calendars import holidays as plant_holidays
from calendars.models import Plant


def provisional_years(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> list[int]:
    """The years from start to end whose days are provisional (the day rows'
    `provisional`, calendars.selectors.frame); none where the country's
    holidays follow fixed rules."""
    published = plant_holidays.published_through(plant.country)
    if published is None:
        return []
    return list(range(max(start.year, published + 1), end.year + 1))
