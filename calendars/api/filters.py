"""Query filters of the API lists (django-filter).

Dates are ISO 8601; `start_after`/`start_before` and `end_after`/`end_before`
bound a field inclusively. `plant` takes a plant code; codes of plants the
user does not see match nothing.
"""

import django_filters

from accounts.api.filters import StrictFilterSet
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
)


class PlantFilter(StrictFilterSet):
    class Meta:
        model = Plant
        fields = ["country"]


class _CalendarItemFilter(StrictFilterSet):
    plant = django_filters.CharFilter(field_name="plant__code", help_text="Plant code.")
    start = django_filters.DateFromToRangeFilter()
    end = django_filters.DateFromToRangeFilter()


class PeakSeasonFilter(_CalendarItemFilter):
    company_wide = django_filters.BooleanFilter(
        field_name="plant", lookup_expr="isnull", help_text="Seasons of no plant."
    )

    class Meta:
        model = PeakSeason
        fields = ["plant", "company_wide", "start", "end", "recurring_yearly", "hard"]


class MilestoneFilter(_CalendarItemFilter):
    class Meta:
        model = Milestone
        fields = ["plant", "kind", "start", "end", "hard"]


class BlackoutFilter(_CalendarItemFilter):
    class Meta:
        model = Blackout
        fields = ["plant", "kind", "start", "end", "hard"]


class CalendarExceptionFilter(_CalendarItemFilter):
    class Meta:
        model = CalendarException
        fields = ["plant", "kind", "start", "end"]


class ProductionPlanFilter(StrictFilterSet):
    class Meta:
        model = ProductionPlan
        fields = ["granularity", "active"]
