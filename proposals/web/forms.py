"""Forms of the proposal pages; every write goes through proposals.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.web.widgets import DateInput


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
        from proposals.models import Observation

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
