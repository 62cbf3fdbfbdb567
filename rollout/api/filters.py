"""Query filters of the API lists (django-filter).

Dates are ISO 8601; `start_after`/`start_before` and `end_after`/`end_before`
bound a field inclusively. `plant` takes a plant code; codes of plants the
user does not see match nothing.
"""

import django_filters
from django.utils.translation import gettext as _

from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    Plant,
    ProductionPlan,
)
from rollout import permissions as rules
from rollout.models import Rollout


class StrictFilterSet(django_filters.FilterSet):
    """Filters that say so when they cannot be applied.

    django-filter ignores an empty value (?kind=) and a boolean it does not
    understand (?hard=maybe), answering as if the filter were absent; an API
    client would never notice its mistake. Here both are a 400 naming the
    parameter; booleans are `true` or `false`.
    """

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            ranged = isinstance(filter_, django_filters.DateFromToRangeFilter)
            params = [f"{name}_after", f"{name}_before"] if ranged else [name]
            for param in params:
                value = self.data.get(param)
                if value is None or name not in self.form.fields:
                    continue
                if value == "":
                    message = _("Give a value, or leave %(param)s out.")
                elif isinstance(
                    filter_, django_filters.BooleanFilter
                ) and value not in (
                    "true",
                    "false",
                ):
                    message = _("%(param)s is true or false.")
                else:
                    continue
                self.form.add_error(name, message % {"param": param})
                valid = False
        return valid


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


class RolloutFilter(StrictFilterSet):
    plant = django_filters.CharFilter(method="filter_plant", help_text="Plant code.")
    earliest_go_live = django_filters.DateFromToRangeFilter()
    latest_go_live = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Rollout
        fields = ["plant", "kind", "active", "earliest_go_live", "latest_go_live"]

    def filter_plant(self, queryset, name, value):
        # Only plants the user sees: a rollout's other plants stay unknown.
        plants = rules.plants_visible_to(self.request.user).filter(code=value)
        return queryset.filter(pk__in=Rollout.objects.filter(plants__in=plants))
