"""Forms of the rollout pages; saving goes through rollout.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.web.widgets import DateInput
from rollout import scoring
from rollout.models import FACTOR_LABELS, PHASE_LABELS, Rollout, ScoringProfile


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
            "go_live_on",
            "go_live_weekday",
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
