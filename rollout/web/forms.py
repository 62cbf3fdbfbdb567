"""Forms of the pages. Model validation (clean, validators) runs in the forms so
that errors appear next to their field; saving goes through the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from calendars.models import (
    Blackout,
    CalendarException,
    Milestone,
    PeakSeason,
    ProductionPlan,
)
from rollout import scoring
from rollout.models import FACTOR_LABELS, PHASE_LABELS, Rollout, ScoringProfile


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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


class RolloutForm(forms.ModelForm):
    plants = forms.ModelMultipleChoiceField(
        label=_("Plants"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The plants where this system goes live."),
    )

    class Meta:
        model = Rollout
        fields = [
            "name",
            "kind",
            "description",
            "plants",
            "training_days",
            "cutover_days",
            "hypercare_days",
            "earliest_go_live",
            "latest_go_live",
            "profile",
            "active",
        ]
        widgets = {
            "earliest_go_live": DateInput(),
            "latest_go_live": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, plants, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plants"].queryset = plants
        if self.instance.pk:
            self.initial["plants"] = [
                p.pk for p in self.instance.plants.all() if p in plants
            ]


class ScoringProfileForm(forms.ModelForm):
    """The weight matrix: one number per phase and factor."""

    class Meta:
        model = ScoringProfile
        fields = ["name", "description"] + [
            ScoringProfile.weight_field(p, f)
            for p in scoring.PHASES
            for f in scoring.FACTORS
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for phase in scoring.PHASES:
            for factor in scoring.FACTORS:
                field = self.fields[ScoringProfile.weight_field(phase, factor)]
                field.label = _("%(phase)s × %(factor)s") % {
                    "phase": PHASE_LABELS[phase],
                    "factor": FACTOR_LABELS[factor],
                }
                field.widget.attrs.update({"step": "0.1", "min": "0", "max": "100"})

    def weight_rows(self):
        return [
            (
                PHASE_LABELS[phase],
                [
                    self[ScoringProfile.weight_field(phase, factor)]
                    for factor in scoring.FACTORS
                ],
            )
            for phase in scoring.PHASES
        ]

    @staticmethod
    def factor_labels():
        return [FACTOR_LABELS[f] for f in scoring.FACTORS]


# --- proposals ---------------------------------------------------------------


class ProposalForm(forms.Form):
    """A new go-live proposal: where, what, when, and the contingency plan."""

    plant = forms.ModelChoiceField(label=_("Plant"), queryset=None)
    rollout = forms.ModelChoiceField(label=_("Rollout"), queryset=None)
    go_live = forms.DateField(
        label=_("Go-live date"),
        widget=DateInput(),
        help_text=_("Pick it on the window calendar or type it here."),
    )
    contingency_fallback = forms.CharField(
        label=_("Fallback system or procedure"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("How production keeps running on the old system if needed."),
    )
    contingency_triggers = forms.CharField(
        label=_("Rollback trigger criteria"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    contingency_decider = forms.CharField(
        label=_("Who decides a rollback"), required=False, max_length=200
    )
    contingency_rollback_hours = forms.IntegerField(
        label=_("Rollback duration (hours)"), required=False, min_value=0
    )

    def __init__(self, *args, plants, rollouts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plant"].queryset = plants
        self.fields["plant"].label_from_instance = lambda p: f"{p.code} – {p.name}"
        self.fields["rollout"].queryset = rollouts

    def clean(self):
        data = super().clean()
        plant, rollout = data.get("plant"), data.get("rollout")
        if plant and rollout and not rollout.plants.filter(pk=plant.pk).exists():
            self.add_error(
                "rollout",
                _("%(rollout)s does not go live at %(plant)s.")
                % {"rollout": rollout.name, "plant": plant.code},
            )
        return data


class ContingencyForm(forms.Form):
    go_live = forms.DateField(label=_("Go-live date"), widget=DateInput())
    contingency_fallback = ProposalForm.base_fields["contingency_fallback"]
    contingency_triggers = ProposalForm.base_fields["contingency_triggers"]
    contingency_decider = ProposalForm.base_fields["contingency_decider"]
    contingency_rollback_hours = ProposalForm.base_fields["contingency_rollback_hours"]


class ProposalFilterForm(forms.Form):
    plant = forms.ModelChoiceField(
        label=_("Plant"), queryset=None, required=False, empty_label=_("All plants")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    rollout = forms.ModelChoiceField(
        label=_("Rollout"), queryset=None, required=False, empty_label=_("All")
    )
    flagged = forms.BooleanField(label=_("Only with new conflicts"), required=False)

    def __init__(self, *args, plants, rollouts, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plant"].queryset = plants
        self.fields["plant"].to_field_name = "code"
        self.fields["rollout"].queryset = rollouts
        self.fields["status"].choices = [("", _("All")), *statuses]


class ActionForm(forms.Form):
    """Inputs of the workflow moves; each move uses the fields it needs."""

    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Why approve despite the conflicts"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    impact = forms.CharField(
        label=_("Impact observed on production"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    go_live = forms.DateField(
        label=_("New go-live date"), required=False, widget=DateInput()
    )
    lessons_learned = forms.CharField(
        label=_("Lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rating = forms.TypedChoiceField(
        label=_("Rating (1 = poor, 5 = excellent)"),
        required=False,
        coerce=int,
        choices=[("", "–")] + [(i, str(i)) for i in range(1, 6)],
    )
    actual_utilisation = forms.FloatField(
        label=_("Actual utilisation during hypercare (%)"),
        required=False,
        min_value=0,
        max_value=500,
    )


# Which ActionForm fields each move shows, in order.
ACTION_FIELDS = {
    "submit": ["comment"],
    "withdraw": ["comment"],
    "approve": ["comment", "override_reason"],
    "reject": ["comment"],
    "go": ["comment"],
    "live": ["comment"],
    "hypercare": ["comment"],
    "pause": ["reason", "impact", "comment"],
    "resume": ["comment"],
    "reschedule": ["go_live", "comment"],
    "rollback": ["reason", "comment"],
    "close": ["lessons_learned", "rating", "actual_utilisation", "comment"],
}


class ReadinessItemForm(forms.Form):
    title = forms.CharField(label=_("New checklist item"), max_length=200)
    due = forms.DateField(label=_("Due"), required=False, widget=DateInput())


class ReadinessDoneForm(forms.Form):
    done = forms.BooleanField(required=False)
    trained_share = forms.FloatField(
        label=_("Key users trained (%)"), required=False, min_value=0, max_value=100
    )
    evidence = forms.CharField(label=_("Evidence"), required=False, max_length=2000)


class ObservationForm(forms.Form):
    severity = forms.ChoiceField(label=_("Severity"))
    area = forms.ChoiceField(label=_("Area"))
    description = forms.CharField(
        label=_("What was observed"), widget=forms.Textarea(attrs={"rows": 2})
    )
    production_affected = forms.BooleanField(
        label=_("Production is affected"), required=False
    )

    def __init__(self, *args, **kwargs):
        from rollout.proposals.models import Observation

        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = Observation.Severity.choices
        self.fields["area"].choices = Observation.Area.choices


class ReviewForm(forms.Form):
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), widget=forms.Textarea(attrs={"rows": 4})
    )
    rating = forms.TypedChoiceField(
        label=_("Rating (1 = poor, 5 = excellent)"),
        coerce=int,
        choices=[(i, str(i)) for i in range(1, 6)],
    )
    actual_utilisation = forms.FloatField(
        label=_("Actual utilisation during hypercare (%)"),
        required=False,
        min_value=0,
        max_value=500,
    )
