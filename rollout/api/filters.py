"""Query filters of the rollout list (django-filter)."""

import django_filters

from accounts.api.filters import StrictFilterSet
from calendars.selectors import plants_visible_to
from rollout.models import Rollout


class RolloutFilter(StrictFilterSet):
    plant = django_filters.CharFilter(method="filter_plant", help_text="Plant code.")
    earliest_go_live = django_filters.DateFromToRangeFilter()
    latest_go_live = django_filters.DateFromToRangeFilter()

    class Meta:
        model = Rollout
        fields = ["plant", "kind", "active", "earliest_go_live", "latest_go_live"]

    def filter_plant(self, queryset, name, value):
        # Only plants the user sees: a rollout's other plants stay unknown.
        plants = plants_visible_to(self.request.user).filter(code=value)
        return queryset.filter(pk__in=Rollout.objects.filter(plants__in=plants))
