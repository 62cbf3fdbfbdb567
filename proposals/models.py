"""Go-live proposals and what follows them: the audit trail, the readiness
checklist, observations during cutover and hypercare, and the closing review.

Every write goes through proposals.services; the workflow fields are
never set by a form or a save() override.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from calendars.models import Plant, validate_calendar_date
from rollout.models import Rollout

__all__ = [
    "GoLiveProposal",
    "Observation",
    "ProposalReview",
    "ProposalTransition",
    "ReadinessItem",
]


class GoLiveProposal(models.Model):
    """An IT lead's proposed go-live of one rollout at one plant."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        WITHDRAWN = "withdrawn", _("withdrawn")
        GO = "go", _("go")
        LIVE = "live", _("live")
        HYPERCARE = "hypercare", _("in hypercare")
        PAUSED = "paused", _("paused")
        ROLLED_BACK = "rolled_back", _("rolled back")
        CLOSED = "closed", _("closed")

    rollout = models.ForeignKey(
        Rollout,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("rollout"),
    )
    plant = models.ForeignKey(
        Plant,
        on_delete=models.CASCADE,
        related_name="proposals",
        verbose_name=_("plant"),
    )
    go_live = models.DateField(_("go-live date"), validators=[validate_calendar_date])
    # [{"name", "start", "end"}] with ISO dates, as the engine laid them out.
    phases = models.JSONField(_("phases"), default=list, blank=True)
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="golive_proposals",
        verbose_name=_("proposer"),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
    )
    # Moves with every transition: a transition applies only to the version it
    # was decided on (conditional UPDATE), so concurrent moves cannot both win.
    version = models.PositiveIntegerField(default=0, editable=False)

    # The engine's evaluation taken at submission: Evaluation.as_dict() plus
    # calendar_revision and evaluated_at.
    evaluation = models.JSONField(
        _("evaluation at submission"), default=dict, blank=True
    )
    score = models.FloatField(_("quietness"), null=True, blank=True)
    percentile = models.FloatField(_("percentile"), null=True, blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)

    contingency_fallback = models.TextField(
        _("fallback system or procedure"), blank=True
    )
    contingency_triggers = models.TextField(_("rollback trigger criteria"), blank=True)
    contingency_decider = models.CharField(
        _("who decides a rollback"), max_length=200, blank=True
    )
    contingency_rollback_hours = models.PositiveIntegerField(
        _("rollback duration (hours)"), null=True, blank=True
    )

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    override_reason = models.TextField(_("conflict override reason"), blank=True)

    paused_from = models.CharField(
        _("paused from"), max_length=16, choices=Status.choices, blank=True
    )
    pause_reason = models.TextField(_("pause reason"), blank=True)
    pause_impact = models.TextField(_("observed impact on production"), blank=True)
    rollback_reason = models.TextField(_("rollback reason"), blank=True)

    # Re-validation after calendar changes: conflicts that were not in the
    # submitted evaluation (nor acknowledged), and which of them were mailed.
    revalidation_conflicts = models.JSONField(
        _("new conflicts"), default=list, blank=True
    )
    revalidated_at = models.DateTimeField(_("re-validated at"), null=True, blank=True)
    notified_conflict_keys = models.JSONField(default=list, blank=True)
    acknowledged_conflict_keys = models.JSONField(default=list, blank=True)

    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        db_table = "rollout_goliveproposal"  # created by rollout's migrations
        ordering = ["go_live", "id"]
        indexes = [models.Index(fields=["plant", "status"])]
        verbose_name = _("go-live proposal")
        verbose_name_plural = _("go-live proposals")

    def __str__(self) -> str:
        return f"{self.rollout} @ {self.plant.code} on {self.go_live}"

    @property
    def conflicts(self) -> list[dict]:
        return list(self.evaluation.get("conflicts") or [])

    @property
    def has_conflicts(self) -> bool:
        """Conflicts or infeasibility at submission: approval needs an override."""
        return bool(self.conflicts) or self.evaluation.get("feasible") is False

    @property
    def flagged(self) -> bool:
        return bool(self.revalidation_conflicts)

    def phase(self, name: str) -> dict | None:
        return next((p for p in self.phases if p.get("name") == name), None)


class ProposalTransition(models.Model):
    """The audit trail: one row per workflow move (and per re-validation flag)."""

    proposal = models.ForeignKey(
        GoLiveProposal, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(
        _("from"), max_length=16, choices=GoLiveProposal.Status.choices, blank=True
    )
    to_status = models.CharField(
        _("to"), max_length=16, choices=GoLiveProposal.Status.choices
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        db_table = "rollout_proposaltransition"  # created by rollout's migrations
        ordering = ["at", "id"]
        verbose_name = _("proposal transition")
        verbose_name_plural = _("proposal transitions")

    def __str__(self) -> str:
        return f"{self.action}: {self.from_status or '–'} → {self.to_status}"


class ReadinessItem(models.Model):
    """One line of the readiness checklist that must be done before go."""

    class Kind(models.TextChoices):
        KEY_USERS_TRAINED = "key_users_trained", _("Key users trained")
        UAT_PASSED = "uat_passed", _("User acceptance tests passed")
        BACKUP_VERIFIED = "backup_verified", _("Data backup taken and restore verified")
        MIGRATION_REHEARSED = "migration_rehearsed", _("Data migration rehearsed")
        CONTINGENCY_REVIEWED = "contingency_reviewed", _("Contingency plan reviewed")
        CUTOVER_COMMUNICATED = (
            "cutover_communicated",
            _("Cutover plan communicated to production"),
        )
        OTHER = "other", _("Other")

    proposal = models.ForeignKey(
        GoLiveProposal, on_delete=models.CASCADE, related_name="checklist"
    )
    kind = models.CharField(
        _("kind"), max_length=24, choices=Kind.choices, default=Kind.OTHER
    )
    title = models.CharField(_("title"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="readiness_items",
        verbose_name=_("owner"),
    )
    due = models.DateField(
        _("due"), null=True, blank=True, validators=[validate_calendar_date]
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
    )
    evidence = models.TextField(_("evidence"), blank=True)
    trained_share = models.FloatField(
        _("trained staff (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
    )

    class Meta:
        db_table = "rollout_readinessitem"  # created by rollout's migrations
        ordering = ["proposal", "position", "id"]
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")

    def __str__(self) -> str:
        return self.title

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def is_overdue(self, today=None) -> bool:
        """Not done and due before the plant's today."""
        if self.done or self.due is None:
            return False
        return self.due < (today or self.proposal.plant.local_today())


class Observation(models.Model):
    """Something noticed during cutover or hypercare."""

    class Severity(models.TextChoices):
        LOW = "low", _("low")
        MEDIUM = "medium", _("medium")
        HIGH = "high", _("high")
        CRITICAL = "critical", _("critical")

    class Area(models.TextChoices):
        PRODUCTION = "production", _("production")
        QUALITY = "quality", _("quality")
        SHIPPING = "shipping", _("shipping")
        FINANCE = "finance", _("finance")
        IT = "it", _("IT")

    SEVERITY_RANK = {s: rank for rank, s in enumerate(Severity.values)}
    # A production-affecting observation at or above this suggests pausing.
    PAUSE_THRESHOLD = Severity.HIGH

    proposal = models.ForeignKey(
        GoLiveProposal, on_delete=models.CASCADE, related_name="observations"
    )
    observed_at = models.DateTimeField(_("observed at"), default=timezone.now)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    area = models.CharField(_("area"), max_length=12, choices=Area.choices)
    description = models.TextField(_("description"))
    production_affected = models.BooleanField(_("production affected"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        db_table = "rollout_observation"  # created by rollout's migrations
        ordering = ["-observed_at", "-id"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.get_area_display()}"

    @property
    def suggests_pause(self) -> bool:
        return self.production_affected and (
            self.SEVERITY_RANK[self.severity]
            >= self.SEVERITY_RANK[self.PAUSE_THRESHOLD]
        )


class ProposalReview(models.Model):
    """The review written when a go-live is closed, for the next rollout."""

    proposal = models.OneToOneField(
        GoLiveProposal, on_delete=models.CASCADE, related_name="review"
    )
    planned_go_live = models.DateField(_("planned go-live"))
    actual_go_live = models.DateField(_("actual go-live"), null=True, blank=True)
    planned_hypercare_start = models.DateField(
        _("planned hypercare start"), null=True, blank=True
    )
    planned_hypercare_end = models.DateField(
        _("planned hypercare end"), null=True, blank=True
    )
    actual_hypercare_start = models.DateField(
        _("actual hypercare start"), null=True, blank=True
    )
    closed_on = models.DateField(_("closed on"))
    # Mean planned utilisation (load / capacity) over the hypercare's working
    # days, from the production plan; actual_utilisation is what the plant saw.
    planned_utilisation = models.FloatField(
        _("planned utilisation during hypercare"), null=True, blank=True
    )
    actual_utilisation = models.FloatField(
        _("actual utilisation during hypercare"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(5.0)],
    )
    incidents = models.JSONField(_("incidents by severity"), default=dict, blank=True)
    paused = models.BooleanField(_("was paused"), default=False)
    rolled_back = models.BooleanField(_("was rolled back"), default=False)
    lessons_learned = models.TextField(_("lessons learned"))
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        db_table = "rollout_proposalreview"  # created by rollout's migrations
        ordering = ["-closed_on", "-id"]
        verbose_name = _("go-live review")
        verbose_name_plural = _("go-live reviews")

    def __str__(self) -> str:
        return f"Review of {self.proposal}"

    @property
    def pauses(self) -> list[dict]:
        """The go-live's pauses as recorded: {"reason", "impact"} each."""
        return [
            {"reason": t.data.get("reason", ""), "impact": t.data.get("impact", "")}
            for t in self.proposal.transitions.all()
            if t.action == "pause"
        ]

    @property
    def output_vs_plan(self) -> float | None:
        """Actual over planned utilisation in percent (100 = as planned)."""
        if not self.planned_utilisation or self.actual_utilisation is None:
            return None
        return 100.0 * self.actual_utilisation / self.planned_utilisation
