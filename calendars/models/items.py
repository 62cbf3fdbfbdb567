"""The calendar items of a plant: exceptions to its working days, peak
seasons, milestones and blackouts. Each kind is registered in calendars.kinds
and answers the same questions: which rows touch a date range (`in_range`),
which spans of the calendar it covers (`calendar_intervals`) and what its
iCalendar feed shows (`feed_events`)."""

import datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from calendars.intervals import CalendarInterval, FeedEvent
from calendars.models.plants import Plant, Severity, validate_calendar_date
from calendars.recurrence import rrule_dates, rrule_normalize, rrule_problem


class DateRangeMixin(models.Model):
    start = models.DateField(_("start"), validators=[validate_calendar_date])
    end = models.DateField(_("end"), validators=[validate_calendar_date])

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})


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


class PeakSeason(models.Model):
    """A busy period. Recurring seasons repeat every year by month and day; the
    year of their start and end is then ignored and the end may fall before the
    start (12-01 to 02-15 crosses New Year)."""

    plant = models.ForeignKey(
        Plant,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="peak_seasons",
        help_text=_("Empty: applies to every plant of the company."),
    )
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"), validators=[validate_calendar_date])
    end = models.DateField(_("end"), validators=[validate_calendar_date])
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
        return cls.objects.filter(
            models.Q(plant=plant) | models.Q(plant__isnull=True),
            models.Q(recurring_yearly=True) | models.Q(start__lte=end, end__gte=start),
        )

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        return [
            CalendarInterval("season", self.name, a, b, self.severity, self.hard)
            for a, b in self.occurrences(first, last)
        ]

    def feed_events(self, first, last) -> list[FeedEvent]:
        note = f"Severity {self.severity}/5" + (
            ", hard freeze: no cutover or hypercare." if self.hard else "."
        )
        return [
            FeedEvent(
                f"season-{self.id}-{a.isoformat()}"
                if self.recurring_yearly
                else f"season-{self.id}",
                a,
                b,
                f"Peak season: {self.name}",
                "peak season",
                note,
            )
            for a, b in self.occurrences(first, last)
        ]

    def occurrences(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The (start, end) spans of this season that touch [first, last]."""
        if not self.recurring_yearly:
            if self.end < first or self.start > last:
                return []
            return [(self.start, self.end)]
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


class Milestone(DateRangeMixin):
    """A critical production event (关键生产节点), widened by a freeze buffer."""

    class Kind(models.TextChoices):
        START_OF_PRODUCTION = "sop", _("Start of production / new product launch")
        KEY_ORDER = "key_order", _("Key customer order")
        AUDIT = "audit", _("Audit")
        CUSTOMER_VISIT = "customer_visit", _("Customer visit")
        MAINTENANCE = "maintenance", _("Maintenance shutdown")
        OTHER = "other", _("Other")

    plant = models.ForeignKey(
        Plant, on_delete=models.CASCADE, related_name="milestones"
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    criticality = models.PositiveSmallIntegerField(
        _("criticality"), choices=Severity.choices, default=Severity.HIGH
    )
    freeze_before_days = models.PositiveSmallIntegerField(
        _("freeze buffer before (days)"), default=0
    )
    freeze_after_days = models.PositiveSmallIntegerField(
        _("freeze buffer after (days)"), default=0
    )
    hard = models.BooleanField(
        _("hard"),
        default=False,
        help_text=_("No cutover or hypercare may touch it or its buffer."),
    )

    class Meta:
        ordering = ["plant", "start"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name

    @property
    def buffered_start(self) -> datetime.date:
        return self.start - datetime.timedelta(days=self.freeze_before_days)

    @property
    def buffered_end(self) -> datetime.date:
        return self.end + datetime.timedelta(days=self.freeze_after_days)

    def buffer(self) -> str:
        return gettext("%(before)s days before, %(after)s after") % {
            "before": self.freeze_before_days,
            "after": self.freeze_after_days,
        }

    buffer.short_description = _("freeze buffer")

    @classmethod
    def in_range(cls, plant, start: datetime.date, end: datetime.date):
        # Buffers are at most a year long (freeze_*_days); calendar_intervals
        # drops the milestones whose buffered span misses the range.
        year = datetime.timedelta(days=366)
        return cls.objects.filter(
            plant=plant, start__lte=end + year, end__gte=start - year
        )

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        """One span: the milestone widened by its freeze buffers."""
        if self.buffered_end < first or self.buffered_start > last:
            return []
        return [
            CalendarInterval(
                "milestone",
                self.name,
                self.buffered_start,
                self.buffered_end,
                self.criticality,
                self.hard,
                detail=self.kind,
                core=(self.start, self.end),
            )
        ]

    def feed_events(self, first, last) -> list[FeedEvent]:
        """The milestone and each of its freeze buffers."""
        if not self.calendar_intervals(first, last):
            return []
        hard = " Hard: no cutover or hypercare in it or its buffer." * self.hard
        events = [
            FeedEvent(
                f"milestone-{self.id}",
                self.start,
                self.end,
                f"Milestone: {self.name}",
                "milestone",
                f"{self.get_kind_display()}, criticality {self.criticality}/5.{hard}",
            )
        ]
        if self.freeze_before_days:
            events.append(
                FeedEvent(
                    f"milestone-{self.id}-freeze-before",
                    self.buffered_start,
                    self.start - datetime.timedelta(days=1),
                    f"Freeze before {self.name}",
                    "freeze buffer",
                    f"{self.freeze_before_days} days' freeze buffer.{hard}",
                )
            )
        if self.freeze_after_days:
            events.append(
                FeedEvent(
                    f"milestone-{self.id}-freeze-after",
                    self.end + datetime.timedelta(days=1),
                    self.buffered_end,
                    f"Freeze after {self.name}",
                    "freeze buffer",
                    f"{self.freeze_after_days} days' freeze buffer.{hard}",
                )
            )
        return events


class Blackout(models.Model):
    """A period in which changes are unwelcome: closings, stock counts, freezes.

    Either an explicit range (start..end) or a recurrence: an RFC 5545 RRULE
    anchored at `start` (its DTSTART), each occurrence lasting `duration_days`
    calendar days; `end`, when set, bounds the recurrence. The last two weekdays
    of every month: ``FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1`` with a
    duration of 1 day.
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
    start = models.DateField(_("start"), validators=[validate_calendar_date])
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
        return cls.objects.filter(
            models.Q(end__isnull=True) | models.Q(end__gte=start) | ~models.Q(rrule=""),
            plant=plant,
            start__lte=end,
        )

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        return [
            CalendarInterval(
                "blackout", self.name, a, b, 1.0, self.hard, detail=self.kind
            )
            for a, b in self.occurrences(first, last)
        ]

    def feed_events(self, first, last) -> list[FeedEvent]:
        note = self.get_kind_display() + (" (hard)." if self.hard else ".")
        return [
            FeedEvent(
                f"blackout-{self.id}-{a.isoformat()}",
                a,
                b,
                f"Blackout: {self.name}",
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
        if not self.rrule:
            if self.end < first or self.start > last:
                return []
            return [(self.start, self.end)]
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
