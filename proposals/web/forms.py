"""Forms of the proposal pages; every write goes through proposals.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.web.widgets import DateInput
from proposals.workflow import Input, Step


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
    comment = forms.CharField(
        label=_("What changed and why"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The plant managers read it with the revised proposal."),
    )


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


def _field(spec: Input) -> forms.Field:
    if spec.kind == "date":
        return forms.DateField(
            label=spec.label, required=spec.required, widget=DateInput()
        )
    if spec.kind == "rating":
        return forms.TypedChoiceField(
            label=spec.label,
            required=spec.required,
            coerce=int,
            empty_value=None,
            choices=[("", "–")] + [(i, str(i)) for i in range(1, 6)],
        )
    if spec.kind == "share":
        return forms.FloatField(
            label=spec.label, required=spec.required, min_value=0, max_value=500
        )
    return forms.CharField(
        label=spec.label,
        required=spec.required,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def action_form(step: Step, data=None) -> forms.Form:
    """The form of a workflow step: its inputs as proposals.workflow lists them.
    A share is shown and typed as a percentage."""
    form_class = type(
        f"{step.action.title()}Form",
        (forms.Form,),
        {spec.name: _field(spec) for spec in step.input_specs()},
    )
    return form_class(data, prefix=step.action)


def action_inputs(step: Step, cleaned: dict) -> dict:
    """A valid step form's data as the step's service takes it."""
    inputs = {}
    for spec in step.input_specs():
        value = cleaned.get(spec.name)
        if spec.kind == "share" and value is not None:
            value = value / 100
        if spec.kind == "text" and value is None:
            value = ""
        inputs[spec.name] = value
    return inputs


class ReadinessItemForm(forms.Form):
    title = forms.CharField(label=_("New checklist item"), max_length=200)
    due = forms.DateField(label=_("Due"), required=False, widget=DateInput())
    # Members of the proposal's plant only (services.readiness_owner_candidates):
    # any other id is "not one of the available choices", whoever it is.
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=None, required=False, empty_label=_("Nobody yet")
    )

    def __init__(self, *args, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


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
