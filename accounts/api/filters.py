"""The base of every API list filter (django-filter)."""

import django_filters
from django.utils.translation import gettext as _


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
