"""Milestones: critical production events widened by freeze buffers, on their
own dates or anchored to a movable holiday (AnchoredMixin)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from calendars.intervals import CalendarInterval, FeedEvent
from calendars.models.mixins import AnchoredMixin, DateRangeMixin
from calendars.models.plants import Plant, Severity, validate_calendar_date


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
        return cls.anchored_or_dated(
            models.Q(plant=plant),
            models.Q(start__lte=end + year, end__gte=start - year),
        )

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
                label=self.span_label(a, b),
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
