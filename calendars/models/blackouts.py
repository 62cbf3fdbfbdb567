"""Blackouts: periods in which changes are unwelcome, as a date range, an
RFC 5545 recurrence or anchored to a movable holiday (AnchoredMixin)."""

import datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from calendars.intervals import CalendarInterval, FeedEvent
from calendars.models.mixins import AnchoredMixin
from calendars.models.plants import Plant, validate_calendar_date
from calendars.recurrence import rrule_dates, rrule_normalize, rrule_problem


class Blackout(AnchoredMixin, models.Model):
    """A period in which changes are unwelcome: closings, stock counts, freezes.

    Either an explicit range (start..end) or a recurrence: an RFC 5545 RRULE
    anchored at `start` (its DTSTART), each occurrence lasting `duration_days`
    calendar days; `end`, when set, bounds the recurrence. The last two weekdays
    of every month: ``FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1`` with a
    duration of 1 day. Or anchored to a holiday (AnchoredMixin): no start,
    end or rule of its own.
    """

    class Kind(models.TextChoices):
        MONTH_END = "month_end", _("Month-end close")
        QUARTER_END = "quarter_end", _("Quarter-end close")
        YEAR_END = "year_end", _("Year-end close")
        STOCK_COUNT = "stock_count", _("Stock count")
        AUDIT = "audit", _("Audit")
        IT_FREEZE = "it_freeze", _("IT change freeze")
        OTHER = "other", _("Other")

    plant = models.ForeignKey(Plant, on_delete=models.CASCADE, related_name="blackouts")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    start = models.DateField(
        _("start"), null=True, blank=True, validators=[validate_calendar_date]
    )
    end = models.DateField(
        _("end"), null=True, blank=True, validators=[validate_calendar_date]
    )
    rrule = models.CharField(
        _("recurrence rule"),
        max_length=500,
        blank=True,
        help_text=_("RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYMONTHDAY=-1."),
    )
    duration_days = models.PositiveSmallIntegerField(
        _("duration (days)"), default=1, validators=[MinValueValidator(1)]
    )
    hard = models.BooleanField(_("hard"), default=False)

    class Meta:
        ordering = ["plant", "start"]
        verbose_name = _("blackout")
        verbose_name_plural = _("blackouts")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.clean_anchor(own_dates=("start", "end", "rrule"))
        if self.anchor:
            return
        if self.rrule:
            self.rrule = rrule_normalize(self.rrule)
            # FREQ=SECONDLY, BYHOUR, COUNT=10**9…: refused before dateutil
            # even parses them (calendars.recurrence).
            problem = rrule_problem(self.rrule)
            if problem:
                raise ValidationError({"rrule": problem})
            try:
                # Without a start (already reported) there is no DTSTART to try.
                if self.start:
                    self._rule()
            except (ValueError, TypeError, OverflowError) as exc:
                raise ValidationError(
                    {"rrule": _("Not a valid RRULE: %(error)s") % {"error": exc}}
                ) from None
        elif not self.end:
            raise ValidationError({"end": _("Give an end date or a recurrence rule.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})

    @classmethod
    def in_range(cls, plant, start: datetime.date, end: datetime.date):
        # A recurrence's `end` bounds when occurrences start, and one that
        # starts before `start` can last into it: occurrences() sorts them out.
        return cls.anchored_or_dated(
            models.Q(plant=plant),
            models.Q(
                models.Q(end__isnull=True)
                | models.Q(end__gte=start)
                | ~models.Q(rrule=""),
                start__lte=end,
            ),
        )

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        return self.occurrence_intervals("blackout", first, last, 1.0, detail=self.kind)

    def feed_events(self, first, last) -> list[FeedEvent]:
        note = (gettext("%(kind)s (hard).") if self.hard else gettext("%(kind)s.")) % {
            "kind": self.get_kind_display()
        }
        summary = gettext("Blackout: %(name)s") % {"name": self.name}
        return [
            FeedEvent(
                f"blackout-{self.id}-{a.isoformat()}",
                a,
                b,
                summary,
                "blackout",
                note,
            )
            for a, b in self.occurrences(first, last)
        ]

    def _rule(self):
        dtstart = datetime.datetime.combine(self.start, datetime.time())
        return rrulestr(self.rrule, dtstart=dtstart)

    def occurrences(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The (start, end) spans of this blackout that touch [first, last].

        A recurrence expands lazily to at most OFFPEAK_RRULE_MAX_OCCURRENCES
        spans; a stored rule that the checks of clean() refuse (saved before
        they existed) has none, with a warning, so that it cannot take down the
        plant's calendar."""
        if self.anchor or not self.rrule:
            return self.own_or_anchored_spans(first, last)
        length = datetime.timedelta(days=self.duration_days - 1)
        if self.end:
            last = min(last, self.end)
        return [
            (day, day + length)
            for day in rrule_dates(
                self.rrule,
                self.start,
                first - length,
                last,
                label=f"blackout {self.pk}",
            )
        ]
