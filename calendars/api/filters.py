"""Query filters of the API lists (django-filter).

Dates are ISO 8601; `start_after`/`start_before` and `end_after`/`end_before`
bound a field inclusively. `plant` takes a plant code; codes of plants the
user does not see match nothing.
"""

import django_filters

from accounts.api.filters import StrictFilterSet
from calendars.kinds import ITEM_KINDS, ItemKind
from calendars.models import Plant, ProductionPlan


class PlantFilter(StrictFilterSet):
    class Meta:
        model = Plant
        fields = ["country"]


def item_filter(kind: ItemKind) -> type[StrictFilterSet]:
    """The list filters of a calendar kind (calendars.kinds): plant code,
    start and end ranges, its own filter fields, company_wide where it has
    company-wide items."""
    attrs: dict = {
        "plant": django_filters.CharFilter(
            field_name="plant__code", help_text="Plant code."
        ),
        "start": django_filters.DateFromToRangeFilter(),
        "end": django_filters.DateFromToRangeFilter(),
    }
    fields = ["plant", "start", "end", *kind.filters]
    if kind.company_wide:
        attrs["company_wide"] = django_filters.BooleanFilter(
            field_name="plant", lookup_expr="isnull", help_text="Items of no plant."
        )
        fields.insert(1, "company_wide")
    attrs["Meta"] = type("Meta", (), {"model": kind.model, "fields": fields})
    return type(f"{kind.model.__name__}Filter", (StrictFilterSet,), attrs)


ITEM_FILTERS = {key: item_filter(kind) for key, kind in ITEM_KINDS.items()}


class ProductionPlanFilter(StrictFilterSet):
    class Meta:
        model = ProductionPlan
        fields = ["granularity", "active"]
