"""Forms of the calendar pages. Model validation (clean, validators) runs in
the forms so that errors appear next to their field; saving goes through
calendars.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.web.widgets import DateInput
from calendars.kinds import ItemKind
from calendars.models import ProductionPlan

# Help beyond the models' own, where a form needs an example.
_HELP = {
    ("season", "recurring_yearly"): _(
        "Repeats every year on the same days; the year is then ignored "
        "and the end may fall before the start (1 Dec to 15 Feb)."
    ),
    ("blackout", "start"): _("First day, or the first occurrence of a recurrence."),
    ("blackout", "end"): _(
        "Last day; with a recurrence rule, when it stops (optional)."
    ),
    ("blackout", "rrule"): _(
        "Optional. Last two weekdays of every month: "
        "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1"
    ),
    ("blackout", "hard"): _("No cutover or hypercare may touch it."),
}


def item_form_class(kind: ItemKind) -> type[forms.ModelForm]:
    """The page form of a calendar kind: the fields its entry in calendars.kinds
    lists, dates with the date picker. The model's own validation runs in it."""
    widgets = {}
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if field.get_internal_type() == "DateField":
            widgets[name] = DateInput()
        elif name in kind.form_hints:
            widgets[name] = forms.TextInput(attrs=kind.form_hints[name])
    return forms.modelform_factory(
        kind.model,
        fields=list(kind.fields),
        widgets=widgets,
        help_texts={
            name: text for (key, name), text in _HELP.items() if key == kind.key
        },
    )


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_(
            "CSV or Excel .xlsx with the columns date, load, capacity and "
            "optionally work_centre."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx"}),
    )
    granularity = forms.ChoiceField(
        label=_("Each row is"),
        choices=ProductionPlan.Granularity.choices,
        initial=ProductionPlan.Granularity.WEEK,
    )
