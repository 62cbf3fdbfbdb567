"""Table cells of the calendar-data page, for any calendar kind (calendars.kinds)."""

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.templatetags.offpeak import format_plant_date

register = template.Library()

_HEADINGS = {
    "name": gettext_lazy("Name"),
    "kind": gettext_lazy("Kind"),
    "start": gettext_lazy("From"),
    "end": gettext_lazy("To"),
    "recurring_yearly": gettext_lazy("Every year"),
    "rrule": gettext_lazy("Repeats"),
    "buffer": gettext_lazy("Freeze buffer"),
    "hard": gettext_lazy("Hard"),
    "anchor": gettext_lazy("Follows holiday"),
}


@register.filter
def column_heading(kind, column: str) -> str:
    if column in _HEADINGS:
        return str(_HEADINGS[column])
    try:
        return str(kind.model._meta.get_field(column).verbose_name).capitalize()
    except FieldDoesNotExist:
        return column


@register.simple_tag
def item_cell(item, column: str, plant) -> str:
    """One cell: dates in the plant's format (month-day for a yearly season;
    an anchored item's next occurrence), choices by their label, flags as
    words, the anchor holiday by its name in the reader's language."""
    value = getattr(item, column, None)
    if getattr(item, "anchor", ""):
        if column == "anchor":
            return format_html(
                '{} <span class="muted small">{}</span>',
                item.anchor_name(),
                _("%(before)s days before to %(after)s days after")
                % {"before": item.days_before, "after": item.days_after},
            )
        if column in ("start", "end"):
            # The next occurrence: what the plant will meet next.
            found = item.next_occurrence()
            if found is None:
                return "–"
            day = found[0] if column == "start" else found[1]
            return format_plant_date(day, plant) or "–"
    if column in ("start", "end"):
        if getattr(item, "recurring_yearly", False):
            return value.strftime("%m-%d") if value else "–"
        return format_plant_date(value, plant) or "–"
    if column == "rrule":
        if not value:
            return "–"
        days = ngettext("%(n)s day each", "%(n)s days each", item.duration_days) % {
            "n": item.duration_days
        }
        return format_html(
            '<code>{}</code> <span class="muted small">{}</span>', value, days
        )
    if column == "hard":
        return format_html("<strong>{}</strong>", _("hard")) if value else "–"
    display = getattr(item, f"get_{column}_display", None)
    if display is not None:
        return display()
    if callable(value):
        return value()
    if isinstance(value, bool):
        yes, no = _("yes,no").split(",")
        return yes if value else no
    return "–" if value in (None, "") else str(value)
