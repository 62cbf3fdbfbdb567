"""Rollouts (a system going live), their scoring profiles and the stored
recommendations built from a plant's calendar."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars.models import Plant, validate_calendar_date
from calendars.models.plants import WEEKDAY_CHOICES
from rollout import scoring

PHASE_LABELS = {
    "training": _("training"),
    "cutover": _("cutover"),
    "hypercare": _("hypercare"),
}
FACTOR_LABELS = {
    "load": _("production load"),
    "peak": _("peak season"),
    "milestone": _("milestones"),
    "blackout": _("blackouts"),
    "absence": _("staff away (holidays, closures)"),
}


class ScoringProfile(models.Model):
    """How much each phase minds each factor: cost = Σ weight × daily factor
    value over the phase's days (see rollout.scoring)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scoring profile")
        verbose_name_plural = _("scoring profiles")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def weight_field(phase: str, factor: str) -> str:
        return f"{phase}_{factor}"

    def as_profile(self) -> scoring.Profile:
        return scoring.Profile(
            weights={
                phase: {
                    factor: getattr(self, self.weight_field(phase, factor))
                    for factor in scoring.FACTORS
                }
                for phase in scoring.PHASES
            }
        )


# One weight field per phase and factor, defaulting to the engine's profile.
for _phase in scoring.PHASES:
    for _factor in scoring.FACTORS:
        ScoringProfile.add_to_class(
            ScoringProfile.weight_field(_phase, _factor),
            models.FloatField(
                f"{_phase} × {_factor}",
                default=scoring.DEFAULT_PROFILE.weights[_phase][_factor],
                validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
            ),
        )


class GoLiveOn(models.TextChoices):
    """Which days a rollout may go live on (rollout.scoring.ALIGNMENTS)."""

    ANY_DAY = "any_day", _("any day")
    WORKING_DAY = "working_day", _("a working day")
    PERIOD_START = "period_start", _("the first working day of a fiscal period")
    QUARTER_START = "quarter_start", _("the first working day of a fiscal quarter")
    YEAR_START = "year_start", _("the first working day of a fiscal year")


GO_LIVE_WEEKDAYS = WEEKDAY_CHOICES  # one weekday enum in the API schema


class Rollout(models.Model):
    """One business system going live at one or more plants."""

    class Kind(models.TextChoices):
        ERP = "erp", "ERP"
        MES = "mes", "MES"
        WMS = "wms", "WMS"
        CRM = "crm", "CRM"
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    plants = models.ManyToManyField(Plant, related_name="rollouts")
    training_days = models.PositiveSmallIntegerField(
        _("training (working days before go-live)"),
        default=10,
        validators=[MaxValueValidator(250)],
    )
    cutover_days = models.PositiveSmallIntegerField(
        _("cutover (calendar days ending on go-live)"),
        default=3,
        validators=[MaxValueValidator(60)],
    )
    hypercare_days = models.PositiveSmallIntegerField(
        _("hypercare (working days from go-live)"),
        default=15,
        validators=[MaxValueValidator(250)],
    )
    earliest_go_live = models.DateField(
        _("earliest go-live"),
        null=True,
        blank=True,
        validators=[validate_calendar_date],
    )
    latest_go_live = models.DateField(
        _("latest go-live"),
        null=True,
        blank=True,
        validators=[validate_calendar_date],
    )
    go_live_on = models.CharField(
        _("go live on"),
        max_length=20,
        choices=GoLiveOn.choices,
        blank=True,
        help_text=_(
            "Empty: the default of its kind (ERP: the first working day of a "
            "fiscal period, opening balances from a closed period; others: any "
            "day)."
        ),
    )
    go_live_weekday = models.PositiveSmallIntegerField(
        _("go-live weekday"),
        choices=GO_LIVE_WEEKDAYS,
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
    )
    profile = models.ForeignKey(
        ScoringProfile,
        on_delete=models.PROTECT,
        related_name="rollouts",
        verbose_name=_("scoring profile"),
    )
    active = models.BooleanField(_("active"), default=True)
    # Moves whenever phases, dates or profile change, so stored recommendations
    # built for an older definition are known to be stale.
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("rollout")
        verbose_name_plural = _("rollouts")

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def default_go_live_on(kind: str) -> str:
        return GoLiveOn.PERIOD_START if kind == Rollout.Kind.ERP else GoLiveOn.ANY_DAY

    def clean(self) -> None:
        if not self.go_live_on:
            self.go_live_on = self.default_go_live_on(self.kind)
        if (
            self.earliest_go_live
            and self.latest_go_live
            and self.latest_go_live < self.earliest_go_live
        ):
            raise ValidationError(
                {"latest_go_live": _("The latest go-live is before the earliest.")}
            )

    def spec(self, profile: scoring.Profile | None = None) -> scoring.RolloutSpec:
        return scoring.RolloutSpec(
            training_days=self.training_days,
            cutover_days=self.cutover_days,
            hypercare_days=self.hypercare_days,
            earliest=self.earliest_go_live,
            latest=self.latest_go_live,
            profile=profile or self.profile.as_profile(),
            # Unset only on a row saved without validation: no restriction.
            go_live_on=self.go_live_on or GoLiveOn.ANY_DAY,
            go_live_weekday=self.go_live_weekday,
        )


class RecommendationSet(models.Model):
    """The latest build of recommendations for one plant and rollout."""

    plant = models.ForeignKey(Plant, on_delete=models.CASCADE, related_name="+")
    rollout = models.ForeignKey(
        Rollout, on_delete=models.CASCADE, related_name="recommendation_sets"
    )
    calendar_revision = models.PositiveIntegerField()
    rollout_revision = models.PositiveIntegerField()
    built_at = models.DateTimeField()
    horizon_start = models.DateField()
    horizon_end = models.DateField()
    candidates = models.PositiveIntegerField()
    feasible_candidates = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plant", "rollout"], name="one_recommendation_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plant.code} / {self.rollout} @ r{self.calendar_revision}"


class Recommendation(models.Model):
    """One ranked go-live window."""

    recommendation_set = models.ForeignKey(
        RecommendationSet, on_delete=models.CASCADE, related_name="windows"
    )
    rank = models.PositiveSmallIntegerField()
    go_live = models.DateField()
    phases = models.JSONField()  # [{"name", "start", "end"}], ISO dates
    cost = models.FloatField()
    score = models.FloatField()  # quietness 0-100
    explanation = models.JSONField()

    class Meta:
        ordering = ["recommendation_set", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation_set", "rank"], name="unique_rank_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.rank} {self.go_live} ({self.score:.0f})"


# Programs live in their own module; imported here so that Django finds them.
from rollout.models_programs import Precedence, Program, Team  # noqa: E402, F401
