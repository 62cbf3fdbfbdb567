"""Plants, their time zone, holiday calendar and working week, and the date
range every calendar date must fall in."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from calendars import fiscal
from calendars import holidays as plant_holidays

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


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


class FiscalPattern(models.TextChoices):
    MONTHS = "months", _("calendar months")
    P445 = "4-4-5", _("4-4-5 weeks")
    P454 = "4-5-4", _("4-5-4 weeks")
    P544 = "5-4-4", _("5-4-4 weeks")


WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
MONTH_CHOICES = [
    (1, _("January")),
    (2, _("February")),
    (3, _("March")),
    (4, _("April")),
    (5, _("May")),
    (6, _("June")),
    (7, _("July")),
    (8, _("August")),
    (9, _("September")),
    (10, _("October")),
    (11, _("November")),
    (12, _("December")),
]


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
    fiscal_pattern = models.CharField(
        _("fiscal calendar"),
        max_length=6,
        choices=FiscalPattern.choices,
        default=FiscalPattern.MONTHS,
        help_text=_(
            "Calendar months, or 52/53-week years split 4-4-5, 4-5-4 or 5-4-4."
        ),
    )
    fiscal_year_end_month = models.PositiveSmallIntegerField(
        _("fiscal year ends in"),
        choices=MONTH_CHOICES,
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    fiscal_week_end_day = models.PositiveSmallIntegerField(
        _("fiscal week ends on"),
        choices=WEEKDAY_CHOICES,
        null=True,
        blank=True,
        validators=[MaxValueValidator(6)],
        help_text=_(
            "Week patterns only: a fiscal year ends on the last such day of its "
            "last month."
        ),
    )
    close_last_days = models.PositiveSmallIntegerField(
        _("close: last working days of a period"),
        default=0,
        validators=[MaxValueValidator(fiscal.MAX_CLOSE_DAYS)],
        help_text=_(
            "Period-close blackout before each fiscal period ends (0 with the "
            "next field: no generated closes). Finance often closes over the "
            "last 2 working days and the first of the next period."
        ),
    )
    close_first_days = models.PositiveSmallIntegerField(
        _("close: first working days of the next period"),
        default=0,
        validators=[MaxValueValidator(fiscal.MAX_CLOSE_DAYS)],
        help_text=_("Period-close blackout after each fiscal period starts."),
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
        self._clean_fiscal()

    def _clean_fiscal(self) -> None:
        weekly = self.fiscal_pattern in fiscal.WEEK_PATTERNS
        if weekly and self.fiscal_week_end_day is None:
            raise ValidationError(
                {
                    "fiscal_week_end_day": _(
                        "The 4-4-5, 4-5-4 and 5-4-4 patterns need the day their "
                        "fiscal weeks end on (0 = Monday … 6 = Sunday)."
                    )
                }
            )
        if not weekly and self.fiscal_week_end_day is not None:
            raise ValidationError(
                {
                    "fiscal_week_end_day": _(
                        "Only the 4-4-5, 4-5-4 and 5-4-4 patterns use a week end "
                        "day; leave it empty for calendar months."
                    )
                }
            )
        try:
            self.fiscal_calendar()
        except fiscal.FiscalValueError as exc:
            raise ValidationError({exc.field: str(exc)}) from None

    def fiscal_calendar(self) -> fiscal.FiscalCalendar:
        """The plant's fiscal calendar (calendars.fiscal)."""
        return fiscal.FiscalCalendar(
            pattern=self.fiscal_pattern,
            year_end_month=self.fiscal_year_end_month,
            week_end_day=self.fiscal_week_end_day,
        )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def local_today(self) -> datetime.date:
        return datetime.datetime.now(self.zone).date()
