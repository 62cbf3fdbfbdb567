"""Which releases of the holidays package the plants' calendars were built
from: a new release may move public holidays and make-up working days (a
State Council notice published since, a corrected date), so it changes every
plant's calendar like an edit does (calendars.holiday_releases)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class HolidaysRelease(models.Model):
    version = models.CharField(
        _("holidays package version"), max_length=32, unique=True
    )
    applied_at = models.DateTimeField(_("applied"), auto_now_add=True)

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("holidays release")
        verbose_name_plural = _("holidays releases")

    def __str__(self) -> str:
        return self.version
