"""Programs: one rollout planned over many plants at once, with implementation
teams of limited capacity and precedences (the pilot first).

The rules of a program's shape (its plants run the rollout, a team serves only
the program's plants, a precedence joins two of them) are checked in each
model's `clean` and, across rows, in `rollout.program_services.program_save`.
The planner itself is the pure `rollout.programs`; the latest plan is stored
on the program (`plan`, the figures beside it), stamped with what it was built
from (`basis`).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars.models import Plant

MAX_GAP_DAYS = 730
MAX_TEAM_CAPACITY = 100
MAX_UNAVAILABLE_SPANS = 50


class Program(models.Model):
    """One rollout over a set of its plants, planned together."""

    class BusyFrom(models.TextChoices):
        TRAINING = "training", _("from training")
        CUTOVER = "cutover", _("from cutover")

    class PlanStatus(models.TextChoices):
        NONE = "", _("not planned yet")
        OPTIMAL = "optimal", _("optimal")
        FEASIBLE = "feasible", _("feasible")
        INFEASIBLE = "infeasible", _("infeasible")
        UNKNOWN = "unknown", _("no plan found in time")

    name = models.CharField(_("name"), max_length=200, unique=True)
    rollout = models.ForeignKey(
        "rollout.Rollout",  # by name: rollout.models imports this module
        on_delete=models.CASCADE,
        related_name="programs",
        verbose_name=_("rollout"),
    )
    plants = models.ManyToManyField(
        Plant, related_name="programs", verbose_name=_("plants")
    )
    busy_from = models.CharField(
        _("a team is busy"),
        max_length=10,
        choices=BusyFrom.choices,
        default=BusyFrom.TRAINING,
        help_text=_("From the start of training or of cutover to hypercare's end."),
    )
    min_gap_days = models.PositiveSmallIntegerField(
        _("days between two go-lives of one team"),
        default=0,
        validators=[MaxValueValidator(MAX_GAP_DAYS)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Moves with every change of plants, teams, precedences or rules.
    revision = models.PositiveIntegerField(default=0, editable=False)
    # True once something the plan depends on changed since it was made.
    stale = models.BooleanField(default=True, editable=False)
    plan_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    planned_at = models.DateTimeField(null=True, blank=True, editable=False)
    plan_status = models.CharField(
        max_length=12, choices=PlanStatus.choices, blank=True, editable=False
    )
    objective = models.FloatField(null=True, blank=True, editable=False)
    bound = models.FloatField(null=True, blank=True, editable=False)
    gap = models.FloatField(null=True, blank=True, editable=False)
    solve_seconds = models.FloatField(null=True, blank=True, editable=False)
    # {"assignments": [...], "conflicts": [...]} as the API serves them.
    plan = models.JSONField(default=dict, blank=True, editable=False)
    # What the plan was built from: {"program": revision, "rollout": revision,
    # "plants": {code: calendar revision}}.
    basis = models.JSONField(default=dict, blank=True, editable=False)
    # Plants whose go-live moved at the last re-plan: [{"plant", "from", "to"}],
    # shown to the owner on the program's page until the next plan.
    moved = models.JSONField(default=list, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")

    def __str__(self) -> str:
        return self.name


def validate_unavailable(value) -> None:
    """[{"start": "YYYY-MM-DD", "end": "YYYY-MM-DD"}], each start <= end."""
    if not isinstance(value, list):
        raise ValidationError(_("A list of periods with a start and an end."))
    if len(value) > MAX_UNAVAILABLE_SPANS:
        raise ValidationError(
            _("At most %(n)s unavailable periods.") % {"n": MAX_UNAVAILABLE_SPANS}
        )
    for span in value:
        if not isinstance(span, dict) or set(span) != {"start", "end"}:
            raise ValidationError(_("A list of periods with a start and an end."))
        try:
            start = datetime.date.fromisoformat(str(span["start"]))
            end = datetime.date.fromisoformat(str(span["end"]))
        except ValueError:
            raise ValidationError(
                _("Dates are written YYYY-MM-DD, e.g. 2027-06-01.")
            ) from None
        if end < start:
            raise ValidationError(
                _("The period from %(start)s ends before it starts.")
                % {"start": start.isoformat()}
            )


class Team(models.Model):
    """An implementation team: how many plants it carries at once, which it
    may serve (none named: all of the program's) and when it is away."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=100)
    capacity = models.PositiveSmallIntegerField(
        _("capacity (plants at once)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_TEAM_CAPACITY)],
    )
    plants = models.ManyToManyField(
        Plant, blank=True, related_name="+", verbose_name=_("plants it may serve")
    )
    unavailable = models.JSONField(
        _("unavailable periods"),
        default=list,
        blank=True,
        validators=[validate_unavailable],
    )

    class Meta:
        ordering = ["program", "id"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "name"], name="unique_team_name_per_program"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def unavailable_spans(self) -> list[tuple[datetime.date, datetime.date]]:
        return [
            (
                datetime.date.fromisoformat(span["start"]),
                datetime.date.fromisoformat(span["end"]),
            )
            for span in self.unavailable
        ]


class Precedence(models.Model):
    """`after` goes live at least `min_gap_days` after `before`."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="precedences"
    )
    before = models.ForeignKey(
        Plant, on_delete=models.CASCADE, related_name="+", verbose_name=_("before")
    )
    after = models.ForeignKey(
        Plant, on_delete=models.CASCADE, related_name="+", verbose_name=_("after")
    )
    min_gap_days = models.PositiveSmallIntegerField(
        _("at least days after"),
        default=0,
        validators=[MaxValueValidator(MAX_GAP_DAYS)],
    )

    class Meta:
        ordering = ["program", "id"]
        verbose_name = _("precedence")
        verbose_name_plural = _("precedences")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "before", "after"], name="unique_precedence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.before_id} < {self.after_id}"

    def clean(self) -> None:
        if self.before_id is not None and self.before_id == self.after_id:
            raise ValidationError({"after": _("A plant cannot go live after itself.")})
