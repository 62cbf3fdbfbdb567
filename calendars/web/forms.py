"""Forms of the calendar pages. Model validation (clean, validators) runs in
the forms so that errors appear next to their field; saving goes through
calendars.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.web.widgets import DateInput
from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    ProductionPlan,
)


class PeakSeasonForm(forms.ModelForm):
    class Meta:
        model = PeakSeason
        fields = ["name", "start", "end", "recurring_yearly", "severity", "hard"]
        widgets = {"start": DateInput(), "end": DateInput()}
        help_texts = {
            "recurring_yearly": _(
                "Repeats every year on the same days; the year is then ignored "
                "and the end may fall before the start (1 Dec to 15 Feb)."
            ),
        }


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = [
            "name",
            "kind",
            "start",
            "end",
            "criticality",
            "freeze_before_days",
            "freeze_after_days",
            "hard",
        ]
        widgets = {"start": DateInput(), "end": DateInput()}


class BlackoutForm(forms.ModelForm):
    class Meta:
        model = Blackout
        fields = ["name", "kind", "start", "end", "rrule", "duration_days", "hard"]
        widgets = {
            "start": DateInput(),
            "end": DateInput(),
            "rrule": forms.TextInput(
                attrs={
                    "list": "rrule-examples",
                    "spellcheck": "false",
                    "autocomplete": "off",
                }
            ),
        }
        help_texts = {
            "start": _("First day, or the first occurrence of a recurrence."),
            "end": _("Last day; with a recurrence rule, when it stops (optional)."),
            "rrule": _(
                "Optional. Last two weekdays of every month: "
                "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1"
            ),
            "hard": _("No cutover or hypercare may touch it."),
        }


class CalendarExceptionForm(forms.ModelForm):
    class Meta:
        model = CalendarException
        fields = ["kind", "name", "start", "end"]
        widgets = {"start": DateInput(), "end": DateInput()}


class PlanUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Plan file"),
        help_text=_(
            "CSV (UTF-8) or Excel .xlsx with the columns date, load, capacity and "
            "optionally work_centre."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    granularity = forms.ChoiceField(
        label=_("Each row is"),
        choices=ProductionPlan.Granularity.choices,
        initial=ProductionPlan.Granularity.WEEK,
    )
