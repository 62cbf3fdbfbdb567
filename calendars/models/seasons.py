"""Peak seasons: busy periods of a plant or of the whole company, once, every
year by month and day, or anchored to a movable holiday (AnchoredMixin)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from calendars.intervals import CalendarInterval, FeedEvent
from calendars.models.mixins import AnchoredMixin
from calendars.models.plants import Plant, Severity, validate_calendar_date


class PeakSeason(AnchoredMixin):
    """A busy period. Recurring seasons repeat every year by month and day; the
    year of their start and end is then ignored and the end may fall before the
    start (12-01 to 02-15 crosses New Year). Anchored seasons follow a movable
    holiday instead (AnchoredMixin) and have no start or end."""

    plant = models.ForeignKey(
        Plant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="peak_seasons",
        help_text=_("Empty: applies to every plant of the company."),
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(
        _("start"), null=True, blank=True, validators=[validate_calendar_date]
    )
    end = models.DateField(
        _("end"), null=True, blank=True, validators=[validate_calendar_date]
    )
    recurring_yearly = models.BooleanField(_("recurs every year"), default=False)
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity.choices, default=Severity.HIGH
    )
    hard = models.BooleanField(
        _("hard freeze"),
        default=False,
        help_text=_("No cutover or hypercare may touch this season."),
    )

    class Meta:
        ordering = ["start"]
        verbose_name = _("peak season")
        verbose_name_plural = _("peak seasons")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_anchor(own_dates=("start", "end"))
        if self.anchor:
            if self.recurring_yearly:
                raise ValidationError(
                    {
                        "recurring_yearly": _(
                            "An anchored season recurs every year by itself: "
                            "leave this unticked."
                        )
                    }
                )
            return
        if self.end is None:
            raise ValidationError({"end": _("Give an end date or an anchor holiday.")})
        if not (self.start and self.end):
            return
        if self.recurring_yearly:
            if (self.start.month, self.start.day) == (self.end.month, self.end.day):
                raise ValidationError(
                    {"end": _("A yearly season needs different start and end days.")}
                )
        elif self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})

    @classmethod
    def in_range(cls, plant, start: datetime.date, end: datetime.date):
        """The plant's seasons and the company-wide ones that may touch the range
        (recurring ones always may)."""
        return cls.anchored_or_dated(
            models.Q(plant=plant) | models.Q(plant__isnull=True),
            models.Q(recurring_yearly=True) | models.Q(start__lte=end, end__gte=start),
        )

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        return self.occurrence_intervals("season", first, last, self.severity)

    def feed_events(self, first, last) -> list[FeedEvent]:
        note = gettext("Severity %(severity)s/5.") % {"severity": self.severity}
        if self.hard:
            note = gettext(
                "Severity %(severity)s/5, hard freeze: no cutover or hypercare."
            ) % {"severity": self.severity}
        summary = gettext("Peak season: %(name)s") % {"name": self.name}
        return [
            FeedEvent(
                f"season-{self.id}-{self.anchor_day(a).isoformat()}"
                if self.anchor
                else f"season-{self.id}-{a.isoformat()}"
                if self.recurring_yearly
                else f"season-{self.id}",
                a,
                b,
                summary,
                "peak season",
                note,
            )
            for a, b in self.occurrences(first, last)
        ]

    def occurrences(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The (start, end) spans of this season that touch [first, last]."""
        if self.anchor or not self.recurring_yearly:
            return self.own_or_anchored_spans(first, last)
        spans = []
        crosses = (self.end.month, self.end.day) < (self.start.month, self.start.day)
        for year in range(first.year - 1, last.year + 1):
            start = _month_day(year, self.start)
            end = _month_day(year + 1 if crosses else year, self.end)
            if end >= first and start <= last:
                spans.append((start, end))
        return spans


def _month_day(year: int, template: datetime.date) -> datetime.date:
    # 29 February falls back to the 28th in common years.
    day = template.day
    if template.month == 2 and day == 29:
        try:
            return datetime.date(year, 2, 29)
        except ValueError:
            day = 28
    return datetime.date(year, template.month, day)
