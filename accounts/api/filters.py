"""The bases of every API list filter (django-filter) and query-parameter
serializer: an empty parameter is a mistake said as a 400, never "no filter"."""

import django_filters
from django.utils.translation import gettext as _
from rest_framework import serializers


def empty_parameter_message(param: str) -> str:
    return _("Give a value, or leave %(param)s out.") % {"param": param}


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
                    message = empty_parameter_message(param)
                elif isinstance(
                    filter_, django_filters.BooleanFilter
                ) and value not in (
                    "true",
                    "false",
                ):
                    message = _("%(param)s is true or false.") % {"param": param}
                else:
                    continue
                self.form.add_error(name, message)
                valid = False
        return valid


class StrictQuerySerializer(serializers.Serializer):
    """Query parameters read through a serializer, with StrictFilterSet's rule:
    DRF skips an empty optional parameter (?date=) as if it were absent, so
    the client never learns that its filter did nothing. Here it is a 400
    naming the parameter, as the OpenAPI schema (minLength, format) says."""

    def to_internal_value(self, data):
        empty = {
            name: [empty_parameter_message(name)]
            for name in self.fields
            if hasattr(data, "get") and data.get(name) == ""
        }
        if empty:
            raise serializers.ValidationError(empty)
        return super().to_internal_value(data)
