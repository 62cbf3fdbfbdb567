"""What the calendar item kinds share: a start and end (DateRangeMixin) and
the dates that follow a movable holiday of the plant (AnchoredMixin).

Seasons, milestones and blackouts may be anchored: "from N days before to M
days after the Spring Festival", resolved in every year by calendars.anchors.
An anchored item has no start or end of its own; its occurrences are what the
calendar, the engine, the feed and the API show. A company-wide season cannot
be anchored (its plants have different holidays): it is refused on `anchor`,
and the plant's own anchored season is the way to say it."""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from calendars import anchors
from calendars.holidays import UnsupportedLocation
from calendars.intervals import CalendarInterval
from calendars.models.plants import validate_calendar_date

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

    def own_or_anchored_spans(
        self, first: datetime.date, last: datetime.date
    ) -> list[tuple[datetime.date, datetime.date]]:
        """An anchored item's occurrences that touch [first, last], or else
        its own start..end when that touches them."""
        if self.anchor:
            return self.anchored_spans(first, last)
        if self.end < first or self.start > last:
            return []
        return [(self.start, self.end)]

    @classmethod
    def anchored_or_dated(cls, plants: models.Q, dated: models.Q):
        """The rows of `plants` that are anchored (their occurrences are
        resolved later) or whose own dates match `dated`, in one query."""
        return cls.objects.filter(plants, dated | ~models.Q(anchor="")).select_related(
            "plant"
        )

    def span_label(self, start: datetime.date, end: datetime.date) -> str:
        """What explanations call one occurrence: an anchored item's names its
        dates; "" (the name) otherwise."""
        return occurrence_label(self.name, start, end) if self.anchor else ""

    def occurrence_intervals(
        self, kind: str, first, last, value: float, **extra
    ) -> list[CalendarInterval]:
        """One CalendarInterval per occurrence (`occurrences`) touching
        [first, last]."""
        return [
            CalendarInterval(
                kind,
                self.name,
                a,
                b,
                value,
                self.hard,
                label=self.span_label(a, b),
                **extra,
            )
            for a, b in self.occurrences(first, last)
        ]

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
