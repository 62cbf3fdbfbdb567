"""Reads of the production calendar.

frame   the calendar of a plant as one pandas DataFrame, one row per
        plant-local day (one query per table, no Python loop over days)
plan_lines  a plant's production plan rows as the calendar reads them
days    the same as a list of day dicts, for the API
plants  which plants a user sees (the rule is accounts.permissions)
"""

from calendars.intervals import CalendarInterval
from calendars.selectors.days import calendar_days
from calendars.selectors.frame import (
    CalendarData,
    CalendarRows,
    calendar_frame_build,
    calendar_rows_load,
    plant_calendar,
    plant_calendar_data,
)
from calendars.selectors.plan_lines import SkippedPlanLine, plan_lines_skipped
from calendars.selectors.plants import (
    plant_visible_get,
    plants_visible_to,
    plants_where,
)

__all__ = [
    "CalendarData",
    "CalendarInterval",
    "CalendarRows",
    "SkippedPlanLine",
    "calendar_days",
    "calendar_frame_build",
    "calendar_rows_load",
    "plan_lines_skipped",
    "plant_calendar",
    "plant_calendar_data",
    "plant_visible_get",
    "plants_visible_to",
    "plants_where",
]
