"""Production plans: imported versions and their lines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars.models.plants import Plant, validate_calendar_date


class ProductionPlan(models.Model):
    """One imported version of a plant's production plan."""

    class Granularity(models.TextChoices):
        DAY = "day", _("Daily")
        WEEK = "week", _("Weekly")
        MONTH = "month", _("Monthly")

    plant = models.ForeignKey(
        Plant, on_delete=models.CASCADE, related_name="production_plans"
    )
    version = models.PositiveIntegerField(_("version"))
    granularity = models.CharField(
        _("granularity"), max_length=5, choices=Granularity.choices
    )
    source_name = models.CharField(_("source file"), max_length=255)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    period_start = models.DateField(
        _("period start"), validators=[validate_calendar_date]
    )
    period_end = models.DateField(_("period end"), validators=[validate_calendar_date])
    row_count = models.PositiveIntegerField(_("rows"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["plant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["plant", "version"], name="plan_version_unique_per_plant"
            )
        ]
        verbose_name = _("production plan")
        verbose_name_plural = _("production plans")

    def __str__(self) -> str:
        return f"{self.plant.code} plan v{self.version} ({self.source_name})"


class PlanLine(models.Model):
    plan = models.ForeignKey(
        ProductionPlan, on_delete=models.CASCADE, related_name="lines"
    )
    bucket_start = models.DateField(
        _("bucket start"), validators=[validate_calendar_date]
    )
    work_centre = models.CharField(_("work centre"), max_length=100, blank=True)
    load = models.FloatField(_("planned load"))
    capacity = models.FloatField(_("capacity"))

    class Meta:
        ordering = ["plan", "bucket_start", "work_centre"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "bucket_start", "work_centre"],
                name="plan_line_unique_bucket",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bucket_start} {self.work_centre} {self.load}/{self.capacity}"
