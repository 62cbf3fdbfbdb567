"""The calendar items of a plant: exceptions to its working days, peak
seasons, milestones and blackouts. Each kind is registered in calendars.kinds
and answers the same questions: which rows touch a date range (`in_range`),
which spans of the calendar it covers (`calendar_intervals`) and what its
iCalendar feed shows (`feed_events`).

Seasons, milestones and blackouts may be anchored to a movable holiday of
their plant (`AnchoredMixin`): "from N days before to M days after the Spring
Festival", resolved in every year by calendars.anchors. An anchored item has
no start or end of its own; its occurrences are what the calendar, the engine,
the feed and the API show. A company-wide season cannot be anchored (its
plants have different holidays): it is refused on `anchor`, and the plant's
own anchored season is the way to say it."""

import datetime
import logging

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from calendars import anchors
from calendars.holidays import UnsupportedLocation
from calendars.intervals import CalendarInterval, FeedEvent
from calendars.models.plants import Plant, Severity, validate_calendar_date
from calendars.recurrence import rrule_dates, rrule_normalize, rrule_problem

logger = logging.getLogger(__name__)


class DateRangeMixin(models.Model):
    start = models.DateField(_("start"), validators=[validate_calendar_date])
    end = models.DateField(_("end"), validators=[validate_calendar_date])

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})


def occurrence_label(name: str, start: datetime.date, end: datetime.date) -> str:
    """How explanations and conflicts name one occurrence of an anchored item:
    "Post-festival restart 2028-02-06 – 2028-02-27"."""
    return f"{name} {start.isoformat()} – {end.isoformat()}"


class AnchoredMixin(models.Model):
    """Dates that follow a movable holiday of the plant: from `days_before`
    days before the holiday's first day to `days_after` days after it, in every
    year (calendars.anchors). `anchor` is the holiday's stable key; blank: the
    item has dates of its own."""

    anchor = models.CharField(
        _("anchor holiday"),
        max_length=100,
        blank=True,
        default="",
        help_text=_(
            "A holiday of the plant's country: the dates then follow it every "
            "year, and start and end stay empty."
        ),
    )
    days_before = models.PositiveSmallIntegerField(
        _("days before"),
        default=0,
        validators=[MaxValueValidator(anchors.MAX_OFFSET_DAYS)],
        help_text=_("Starts this many days before the holiday's first day (0-120)."),
    )
    days_after = models.PositiveSmallIntegerField(
        _("days after"),
        default=0,
        validators=[MaxValueValidator(anchors.MAX_OFFSET_DAYS)],
        help_text=_("Ends this many days after the holiday's first day (0-120)."),
    )

    class Meta:
        abstract = True

    @property
    def is_anchored(self) -> bool:
        return bool(self.anchor)

    def _location(self) -> dict:
        plant = self.plant
        return {
            "country": plant.country,
            "subdivision": plant.subdivision,
            "categories": plant.holiday_categories,
        }

    def anchored_spans(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The spans of an anchored item that touch [first, last]. A key its
        plant no longer has (the plant moved country) gives none, with a
        warning, rather than taking the plant's calendar down."""
        if not self.anchor or self.plant_id is None:
            return []
        try:
            return anchors.anchored_occurrences(
                **self._location(),
                key=self.anchor,
                days_before=self.days_before,
                days_after=self.days_after,
                start=first,
                end=last,
            )
        except (anchors.AnchorValueError, UnsupportedLocation) as exc:
            logger.warning(
                "%s %s: anchor ignored: %s", type(self).__name__, self.pk, exc
            )
            return []

    def anchor_day(self, span_start: datetime.date) -> datetime.date:
        return span_start + datetime.timedelta(days=self.days_before)

    def horizon_occurrences(self) -> list[tuple[datetime.date, datetime.date]]:
        """Its occurrences from the plant's today to the end of the horizon
        (OFFPEAK_HORIZON_DAYS), as the API and the pages list them."""
        today = self.plant.local_today() if self.plant_id else datetime.date.today()
        last = today + datetime.timedelta(days=settings.OFFPEAK_HORIZON_DAYS)
        return self.occurrences(today, last)

    def next_occurrence(self) -> tuple[datetime.date, datetime.date] | None:
        found = self.horizon_occurrences()
        return found[0] if found else None

    def anchor_name(self, language: str | None = None) -> str:
        """The anchor holiday's name in `language` (default: the active one)."""
        if not self.anchor or self.plant_id is None:
            return ""
        try:
            found = anchors.holiday_anchors(
                **self._location(),
                on_or_after=self.plant.local_today(),
                language=language or get_language(),
            )
        except UnsupportedLocation:
            return self.anchor
        return next((a.name for a in found if a.key == self.anchor), self.anchor)

    def clean_anchor(self, *, own_dates: tuple[str, ...]) -> None:
        """The anchor rules, each error on its field: a key the plant has, no
        company-wide anchor, offsets 0-120 (the fields' validators), and
        either an anchor or the item's own dates."""
        errors: dict[str, str] = {}
        if self.anchor:
            self.anchor = self.anchor.strip()
        if not self.anchor:
            for name in ("days_before", "days_after"):
                if getattr(self, name):
                    errors[name] = _("Days before and after need an anchor holiday.")
            for name in own_dates[:1]:
                if getattr(self, name) is None:
                    errors[name] = _("Give a start date or an anchor holiday.")
        else:
            given = [n for n in own_dates if getattr(self, n) not in (None, "")]
            for name in given:
                errors[name] = _(
                    "An anchored item has no dates of its own: leave it empty."
                )
            if self.plant_id is None:
                errors["anchor"] = _(
                    "A company-wide season cannot be anchored: plants have "
                    "different holidays. Add it to each plant."
                )
            else:
                errors.update(self._anchor_key_errors())
        if errors:
            raise ValidationError(errors)

    def _anchor_key_errors(self) -> dict[str, str]:
        today = self.plant.local_today()
        try:
            anchors.anchor_dates(
                **self._location(),
                key=self.anchor,
                start=today,
                end=today + datetime.timedelta(days=366),
            )
        except anchors.AnchorValueError:
            return {
                "anchor": _(
                    "%(key)s is not a holiday of the plant's calendar (%(country)s)."
                )
                % {"key": self.anchor, "country": self.plant.country}
            }
        except UnsupportedLocation as exc:
            return {"anchor": str(exc)}
        return {}


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
        return cls.objects.filter(
            models.Q(plant=plant) | models.Q(plant__isnull=True),
            models.Q(recurring_yearly=True)
            | ~models.Q(anchor="")
            | models.Q(start__lte=end, end__gte=start),
        ).select_related("plant")

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        return [
            CalendarInterval(
                "season",
                self.name,
                a,
                b,
                self.severity,
                self.hard,
                label=occurrence_label(self.name, a, b) if self.anchor else "",
            )
            for a, b in self.occurrences(first, last)
        ]

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
        if self.anchor:
            return self.anchored_spans(first, last)
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


class Milestone(AnchoredMixin, DateRangeMixin):
    """A critical production event (关键生产节点), widened by a freeze buffer.
    Anchored to a holiday (AnchoredMixin), it recurs every year and has no
    start or end of its own."""

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
    start = models.DateField(
        _("start"), null=True, blank=True, validators=[validate_calendar_date]
    )
    end = models.DateField(
        _("end"), null=True, blank=True, validators=[validate_calendar_date]
    )
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

    def clean(self) -> None:
        self.clean_anchor(own_dates=("start", "end"))
        if not self.anchor and self.end is None:
            raise ValidationError({"end": _("Give an end date or an anchor holiday.")})
        super().clean()

    @property
    def buffered_start(self) -> datetime.date | None:
        """The first day of its freeze buffer; None when anchored (each
        occurrence has its own)."""
        if self.start is None:
            return None
        return self.start - datetime.timedelta(days=self.freeze_before_days)

    @property
    def buffered_end(self) -> datetime.date | None:
        if self.end is None:
            return None
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
            models.Q(start__lte=end + year, end__gte=start - year)
            | ~models.Q(anchor=""),
            plant=plant,
        ).select_related("plant")

    def occurrences(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The milestone's own (start, end) spans whose buffered span touches
        [first, last]: one, or one per year when anchored."""
        before = datetime.timedelta(days=self.freeze_before_days)
        after = datetime.timedelta(days=self.freeze_after_days)
        if self.anchor:
            spans = self.anchored_spans(first - after, last + before)
        else:
            spans = [(self.start, self.end)]
        return [(a, b) for a, b in spans if b + after >= first and a - before <= last]

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        """One span per occurrence: the milestone widened by its freeze
        buffers."""
        before = datetime.timedelta(days=self.freeze_before_days)
        after = datetime.timedelta(days=self.freeze_after_days)
        return [
            CalendarInterval(
                "milestone",
                self.name,
                a - before,
                b + after,
                self.criticality,
                self.hard,
                detail=self.kind,
                core=(a, b),
                label=occurrence_label(self.name, a, b) if self.anchor else "",
            )
            for a, b in self.occurrences(first, last)
        ]

    def feed_events(self, first, last) -> list[FeedEvent]:
        """The milestone and each of its freeze buffers, per occurrence."""
        hard = (
            " " + gettext("Hard: no cutover or hypercare in it or its buffer.")
            if self.hard
            else ""
        )
        events = []
        for a, b in self.occurrences(first, last):
            uid = f"milestone-{self.id}"
            if self.anchor:
                uid += f"-{self.anchor_day(a).isoformat()}"
            events.append(
                FeedEvent(
                    uid,
                    a,
                    b,
                    gettext("Milestone: %(name)s") % {"name": self.name},
                    "milestone",
                    gettext("%(kind)s, criticality %(value)s/5.")
                    % {"kind": self.get_kind_display(), "value": self.criticality}
                    + hard,
                )
            )
            if self.freeze_before_days:
                events.append(
                    FeedEvent(
                        f"{uid}-freeze-before",
                        a - datetime.timedelta(days=self.freeze_before_days),
                        a - datetime.timedelta(days=1),
                        gettext("Freeze before %(name)s") % {"name": self.name},
                        "freeze buffer",
                        gettext("%(n)s days' freeze buffer.")
                        % {"n": self.freeze_before_days}
                        + hard,
                    )
                )
            if self.freeze_after_days:
                events.append(
                    FeedEvent(
                        f"{uid}-freeze-after",
                        b + datetime.timedelta(days=1),
                        b + datetime.timedelta(days=self.freeze_after_days),
                        gettext("Freeze after %(name)s") % {"name": self.name},
                        "freeze buffer",
                        gettext("%(n)s days' freeze buffer.")
                        % {"n": self.freeze_after_days}
                        + hard,
                    )
                )
        return events


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
        return cls.objects.filter(
            models.Q(
                models.Q(end__isnull=True)
                | models.Q(end__gte=start)
                | ~models.Q(rrule=""),
                start__lte=end,
            )
            | ~models.Q(anchor=""),
            plant=plant,
        ).select_related("plant")

    def calendar_intervals(self, first, last) -> list[CalendarInterval]:
        return [
            CalendarInterval(
                "blackout",
                self.name,
                a,
                b,
                1.0,
                self.hard,
                detail=self.kind,
                label=occurrence_label(self.name, a, b) if self.anchor else "",
            )
            for a, b in self.occurrences(first, last)
        ]

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
        if self.anchor:
            return self.anchored_spans(first, last)
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
