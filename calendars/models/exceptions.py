"""Plant-specific departures from the public holiday calendar: closures,
half days, extra and make-up working days."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars.intervals import CalendarInterval, FeedEvent
from calendars.models.mixins import DateRangeMixin
from calendars.models.plants import Plant


class CalendarException(DateRangeMixin):
    """A plant-specific departure from the public holiday calendar."""

    class Kind(models.TextChoices):
        CLOSURE = "closure", _("Plant closure")
        HALF_DAY = "half_day", _("Half day")
        EXTRA_WORKING_DAY = "extra_working_day", _("Extra working day")
        MAKEUP_WORKING_DAY = "makeup_working_day", _("Make-up working day")

    plant = models.ForeignKey(
        Plant, on_delete=models.CASCADE, related_name="exceptions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["plant", "start"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.name} ({self.start}–{self.end})"

    @property
    def is_working(self) -> bool:
        return self.kind != self.Kind.CLOSURE

    @classmethod
    def in_range(cls, plant, start: datetime.date, end: datetime.date):
        return cls.objects.filter(plant=plant, start__lte=end, end__gte=start)

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        """Closures keep staff away; the other exceptions only change which
        days are worked (the calendar frame applies them)."""
        if self.is_working or self.end < first or self.start > last:
            return []
        return [
            CalendarInterval("closure", self.name, self.start, self.end, 1.0, False)
        ]

    def feed_events(self, first, last) -> list[FeedEvent]:
        return [
            FeedEvent(
                f"closure-{self.id}", i.start, i.end, f"Closed: {i.name}", "closure"
            )
            for i in self.calendar_intervals(first, last)
        ]
