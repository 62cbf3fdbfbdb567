"""What a plant's production calendar holds.

Every write goes through calendars.services, which bumps the plant's
calendar_revision in the same transaction and announces the change after commit.
"""

import datetime
import re
import zoneinfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars import holidays as plant_holidays

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_UNTIL_UTC = re.compile(r"(UNTIL=\d{8}(?:T\d{6})?)Z", re.IGNORECASE)


# Every date that enters a calendar, from any door (API, pages, admin, imports):
# the calendar does arithmetic around them (freeze buffers, horizons), and
# 9999-12-31 plus a buffer overflows every later read of the plant.
FIRST_DATE = datetime.date(1900, 1, 1)
LAST_DATE = datetime.date(2999, 12, 31)


def validate_calendar_date(value: datetime.date) -> None:
    if value is not None and not FIRST_DATE <= value <= LAST_DATE:
        raise ValidationError(
            _("Give a date from %(first)s to %(last)s."),
            code="date_out_of_range",
            params={"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()},
        )


def _validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone name."), params={"value": value}
        )


def _validate_weekend_days(value) -> None:
    if not isinstance(value, list) or not all(
        isinstance(d, int) and 0 <= d <= 6 for d in value
    ):
        raise ValidationError(
            _("Weekend days must be a list of weekday numbers, 0 (Mon) to 6 (Sun).")
        )
    if len(set(value)) != len(value) or len(value) > 6:
        raise ValidationError(_("Weekend days must be distinct, at most six."))


def _default_weekend() -> list[int]:
    return [5, 6]


def _default_categories() -> list[str]:
    return ["public"]


class Severity(models.IntegerChoices):
    """1 = barely noticeable … 5 = the plant's busiest, most fragile time."""

    MINIMAL = 1, _("1 – minimal")
    LOW = 2, _("2 – low")
    MEDIUM = 3, _("3 – medium")
    HIGH = 4, _("4 – high")
    CRITICAL = 5, _("5 – critical")


class Plant(models.Model):
    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    timezone = models.CharField(
        _("time zone"), max_length=64, validators=[_validate_timezone]
    )
    country = models.CharField(
        _("holiday country"),
        max_length=3,
        help_text=_("ISO 3166 code as supported by the holidays package, e.g. CN."),
    )
    subdivision = models.CharField(
        _("holiday subdivision"),
        max_length=64,
        blank=True,
        help_text=_("State or province code, e.g. BW for Baden-Württemberg."),
    )
    holiday_categories = models.JSONField(
        _("holiday categories"), default=_default_categories
    )
    weekend_days = models.JSONField(
        _("weekend days"),
        default=_default_weekend,
        blank=True,  # [] = a plant that works seven days a week
        validators=[_validate_weekend_days],
        help_text=_("Weekday numbers, 0 = Monday … 6 = Sunday."),
    )
    default_utilisation = models.FloatField(
        _("default utilisation"),
        default=0.7,
        validators=[MinValueValidator(0.0), MaxValueValidator(2.0)],
        help_text=_("Share of capacity planned on a working day no plan covers."),
    )
    calendar_revision = models.PositiveIntegerField(
        _("calendar revision"), default=0, editable=False
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="plants",
        verbose_name=_("members"),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("plant")
        verbose_name_plural = _("plants")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def clean(self) -> None:
        self.country = (self.country or "").strip().upper()
        # The package's subdivision codes are case-sensitive and a few are not
        # upper case (DE "Augsburg", FR "Zone A"): match its own spelling.
        subdivision = (self.subdivision or "").strip()
        known = plant_holidays.supported_countries().get(self.country, [])
        self.subdivision = next(
            (s for s in known if s.upper() == subdivision.upper()),
            subdivision.upper(),
        )
        try:
            plant_holidays.validate_location(
                self.country, self.subdivision, self.holiday_categories
            )
        except plant_holidays.UnsupportedLocation as exc:
            raise ValidationError({exc.field: str(exc)}) from None

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_today(self) -> datetime.date:
        return datetime.datetime.now(self.zone).date()


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
            self.rrule = self.rrule.strip()
            if self.rrule.upper().startswith("RRULE:"):
                self.rrule = self.rrule[6:]
            # Calendar apps export UNTIL in UTC ("…Z"); occurrences here are
            # plant-local dates, so the bound is read as a local date-time.
            self.rrule = _UNTIL_UTC.sub(r"\1", self.rrule)
            try:
                # Without a start (already reported) there is no DTSTART to try.
                if self.start:
                    self._rule()
            except (ValueError, TypeError) as exc:
                raise ValidationError(
                    {"rrule": _("Not a valid RRULE: %(error)s") % {"error": exc}}
                ) from None
        elif not self.end:
            raise ValidationError({"end": _("Give an end date or a recurrence rule.")})
        if self.start and self.end and self.end < self.start:
            raise ValidationError({"end": _("The end is before the start.")})

    def _rule(self):
        dtstart = datetime.datetime.combine(self.start, datetime.time())
        rule = rrulestr(self.rrule, dtstart=dtstart, forceset=True)
        return rule

    def occurrences(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """The (start, end) spans of this blackout that touch [first, last]."""
        if not self.rrule:
            if self.end < first or self.start > last:
                return []
            return [(self.start, self.end)]
        length = datetime.timedelta(days=self.duration_days - 1)
        window_start = datetime.datetime.combine(first - length, datetime.time())
        window_end = datetime.datetime.combine(last, datetime.time())
        if self.end:
            window_end = min(
                window_end, datetime.datetime.combine(self.end, datetime.time())
            )
        return [
            (moment.date(), moment.date() + length)
            for moment in self._rule().between(window_start, window_end, inc=True)
        ]


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
