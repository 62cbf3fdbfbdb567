"""Forms of the calendar pages. Model validation (clean, validators) runs in
the forms so that errors appear next to their field; saving goes through
calendars.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.web.widgets import DateInput
from calendars.kinds import ItemKind
from calendars.models import ProductionPlan
from calendars.selectors.anchors import anchor_choices

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
    **{
        (key, "anchor"): _(
            "Or follow a holiday of the plant every year: leave start and end "
            "empty and give the days before and after its first day."
        )
        for key in ("season", "milestone", "blackout")
    },
}


class AnchorFieldsMixin:
    """A form of an anchorable kind (calendars.kinds `anchorable`): the anchor
    is a select of the plant's holidays, named in the reader's language (one
    group per plant where the plant is chosen in the same form, as in the
    admin); days before and after default to 0. Which key fits which plant
    is the model's rule (AnchoredMixin.clean_anchor)."""

    anchor_plants = None  # plants offered when the form has a plant field

    def setup_anchor(self, plant=None) -> None:
        if "anchor" not in self.fields:
            return
        blank = [("", _("– none: the dates above –"))]
        if plant is not None:
            choices = blank + anchor_choices(plant=plant)
        else:
            choices = blank + [
                (str(p), anchor_choices(plant=p)) for p in (self.anchor_plants or [])
            ]
        current = getattr(self.instance, "anchor", "")
        keys = {k for group in choices for k in _keys(group)}
        if current and current not in keys:
            choices.append((current, current))
        field = self.fields["anchor"]
        self.fields["anchor"] = forms.ChoiceField(
            label=field.label,
            help_text=field.help_text,
            choices=choices,
            required=False,
        )
        for name in ("days_before", "days_after"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_days_before(self):
        return self.cleaned_data.get("days_before") or 0

    def clean_days_after(self):
        return self.cleaned_data.get("days_after") or 0


def _keys(choice) -> list[str]:
    value, label = choice
    return [k for k, _label in label] if isinstance(label, list) else [value]


def item_form_class(kind: ItemKind) -> type[forms.ModelForm]:
    """The page form of a calendar kind: the fields its entry in calendars.kinds
    lists, dates with the date picker, the anchor as a select of the plant's
    holidays. The model's own validation runs in it."""
    widgets = {}
    for name in kind.fields:
        field = kind.model._meta.get_field(name)
        if field.get_internal_type() == "DateField":
            widgets[name] = DateInput()
        elif name in kind.form_hints:
            widgets[name] = forms.TextInput(attrs=kind.form_hints[name])
    form = forms.modelform_factory(
        kind.model,
        fields=list(kind.fields),
        widgets=widgets,
        help_texts={
            name: text for (key, name), text in _HELP.items() if key == kind.key
        },
    )
    if not kind.anchorable:
        return form

    class AnchoredItemForm(AnchorFieldsMixin, form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            plant = self.instance.plant if self.instance.plant_id else None
            self.setup_anchor(plant)

    AnchoredItemForm.__name__ = form.__name__
    return AnchoredItemForm


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
