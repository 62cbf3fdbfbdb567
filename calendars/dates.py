"""Date ranges as every entry point checks them: the end is not before the
start, and a range asked for at once has at most so many days. The errors name
the end's field, so API, pages and services report the same thing."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def date_range_check(
    start: datetime.date | None,
    end: datetime.date | None,
    *,
    max_days: int | None = None,
    end_field: str = "end",
) -> None:
    """ValidationError on `end_field` when end < start or the range (both days
    included) is longer than max_days; nothing when either is missing."""
    if start is None or end is None:
        return
    if end < start:
        raise ValidationError({end_field: _("The end is before the start.")})
    if max_days is not None and (end - start).days + 1 > max_days:
        raise ValidationError(
            {end_field: _("At most %(n)s days per request.") % {"n": max_days}}
        )
