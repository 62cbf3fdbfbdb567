"""What a plant's production calendar holds.

Every write goes through calendars.services, which bumps the plant's
calendar_revision in the same transaction and announces the change after commit.
"""

from calendars.models.blackouts import Blackout
from calendars.models.exceptions import CalendarException
from calendars.models.milestones import Milestone
from calendars.models.mixins import DateRangeMixin
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
from calendars.models.seasons import PeakSeason

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
