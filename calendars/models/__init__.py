"""What a plant's production calendar holds.

Every write goes through calendars.services, which bumps the plant's
calendar_revision in the same transaction and announces the change after commit.
"""

from calendars.models.items import (
    Blackout,
    CalendarException,
    DateRangeMixin,
    Milestone,
    PeakSeason,
)
from calendars.models.plans import PlanLine, ProductionPlan
from calendars.models.plants import (  # the private ones: old migrations name them
    FIRST_DATE,
    LAST_DATE,
    WEEKDAY_NAMES,
    Plant,
    Severity,
    _default_categories,
    _default_weekend,
    _validate_timezone,
    _validate_weekend_days,
    validate_calendar_date,
)
from calendars.models.releases import HolidaysRelease

__all__ = [
    "FIRST_DATE",
    "LAST_DATE",
    "WEEKDAY_NAMES",
    "Blackout",
    "CalendarException",
    "DateRangeMixin",
    "HolidaysRelease",
    "Milestone",
    "PeakSeason",
    "PlanLine",
    "Plant",
    "ProductionPlan",
    "Severity",
    "_default_categories",
    "_default_weekend",
    "_validate_timezone",
    "_validate_weekend_days",
    "validate_calendar_date",
]
