"""Closures or blackouts from an iCalendar (.ics) file: company shutdowns or
change freezes exported from Outlook, Google Calendar or a change-management
tool.

`calendar_file_parse` reads a file into a preview without touching the
database; `calendar_file_import` (ics_store) saves what the preview lists.
`ics_read` checks the upload and reads its events, `ics_expand` expands them
into plant-local days within bounds.

Rules, in the order a file meets them:

- Before parsing: the size (CALENDAR_IMPORT_MAX_BYTES, see limits), the name
  (.ics, .ical, .icalendar) and the content type the browser or client sent,
  UTF-8 text beginning with BEGIN:VCALENDAR, and at most
  CALENDAR_IMPORT_MAX_EVENTS events, counted before anything is parsed.
- Structure: every line is a property (NAME:value) and BEGIN/END pair up;
  a problem names its line.
- Each event needs a start in the calendar's date range (1900-2999); a
  repeat is daily, weekly, monthly or yearly (closures and blackouts are
  whole days) with a sensible INTERVAL; an end before the start is refused.
  Every problem names the file, the event (summary and UID) and its line.
- Expansion (ics_expand) only within the plant's horizon: from the plant's
  today to OFFPEAK_HORIZON_DAYS ahead, within the calendar's date range, at
  most CALENDAR_IMPORT_MAX_ITEMS occurrences. All-day and timed events
  become whole plant-local days.
- Cancelled events and occurrences (STATUS:CANCELLED) and events with no day
  in the horizon are listed as skipped; an occurrence equal (name, first and
  last day) to an item of that kind already in the plant's calendar, or to
  an earlier one of the file, is listed as a duplicate and not saved again.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from calendars.imports import limits
from calendars.imports.ics_expand import (
    ExpansionTooLarge,
    TooManyOccurrences,
    occurrences_within,
)
from calendars.imports.ics_read import (
    CalendarFileError,
    CalendarFileProblem,
    check_cost,
    checked_text,
    clean_text,
    read_events,
    too_costly,
    whole_file,
)
from calendars.imports.upload import upload_name
from calendars.models import Blackout, CalendarException, Plant
from calendars.models.plants import FIRST_DATE, LAST_DATE

__all__ = [
    "KINDS",
    "CalendarFileEntry",
    "CalendarFileError",
    "CalendarFileProblem",
    "CalendarFilePreview",
    "CalendarFileSkip",
    "calendar_file_kind",
    "calendar_file_parse",
    "horizon",
]

KINDS = {
    "closure": gettext_lazy("Plant closure"),
    "blackout": gettext_lazy("Blackout"),
}
NAME_LENGTH = 200  # the models' name field


@dataclass(frozen=True)
class CalendarFileEntry:
    """One closure or blackout the file gives: its name and days, the event
    it comes from (uid, line), whether that event is timed or repeats, and
    whether it is already in the calendar (then it is not saved again)."""

    name: str
    start: datetime.date
    end: datetime.date
    uid: str
    line: int | None
    timed: bool
    recurring: bool
    duplicate: bool = False


@dataclass(frozen=True)
class CalendarFileSkip:
    """An event that gives nothing: its label, line and why."""

    event: str
    line: int | None
    reason: str


@dataclass
class CalendarFilePreview:
    filename: str
    kind: str
    first: datetime.date  # the window expanded: the plant's horizon
    last: datetime.date
    entries: list[CalendarFileEntry] = field(default_factory=list)
    skipped: list[CalendarFileSkip] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])

    @property
    def new_entries(self) -> list[CalendarFileEntry]:
        return [e for e in self.entries if not e.duplicate]

    @property
    def duplicates(self) -> int:
        return sum(e.duplicate for e in self.entries)


def horizon(plant: Plant) -> tuple[datetime.date, datetime.date]:
    """The days an import expands into: the plant's scoring horizon, within
    the calendar's date range."""
    today = plant.local_today()
    last = today + datetime.timedelta(days=limits.horizon_days())
    return max(today, FIRST_DATE), min(last, LAST_DATE)


def calendar_file_kind(value) -> str:
    """The kind the file's events become, or a CalendarFileProblem message."""
    value = str(value or "").strip().lower()
    if value not in KINDS:
        raise ValueError(
            _("import as closure or blackout, not %(value)r") % {"value": value}
        )
    return value


def calendar_file_parse(
    *, plant: Plant, file, kind: str, existing: bool = True
) -> CalendarFilePreview:
    """Read an .ics file into the closures or blackouts it gives, saving
    nothing; raise CalendarFileError naming the file and, for each problem,
    the event and line. With `existing`, entries already in the plant's
    calendar are marked as duplicates."""
    name = upload_name(file=file, default="calendar.ics")
    try:
        kind = calendar_file_kind(kind)
    except ValueError as exc:
        raise whole_file(name, str(exc)) from None
    text = checked_text(file, name)
    events, calendar = read_events(text, name)
    first, last = horizon(plant)
    check_cost(events, calendar, name, last)
    try:
        found = occurrences_within(
            calendar,
            first=first,
            last=last,
            zone=plant.zone,
            max_items=limits.calendar_max_items(),
            max_steps=limits.MAX_EXPANSION_STEPS,
        )
    except TooManyOccurrences:
        raise whole_file(
            name,
            _(
                "the events give more than %(max)s closures or blackouts from "
                "%(first)s to %(last)s; import fewer or shorter repeats at a time"
            )
            % {
                "max": f"{limits.calendar_max_items():,}",
                "first": first.isoformat(),
                "last": last.isoformat(),
            },
        ) from None
    except ExpansionTooLarge:
        raise too_costly(name, events, last) from None
    except (ValueError, TypeError, OverflowError, KeyError, IndexError) as exc:
        raise whole_file(
            name, _("the repeats cannot be expanded: %(error)s") % {"error": exc}
        ) from None
    preview = CalendarFilePreview(filename=name, kind=kind, first=first, last=last)
    by_uid = {event.uid: event for event in reversed(events)}
    seen_uids: set[str] = set()
    taken = _existing(plant, kind, first, last) if existing else set()
    for occurrence in sorted(found, key=lambda o: (o.first, o.last, o.summary)):
        event = by_uid.get(occurrence.uid)
        seen_uids.add(occurrence.uid)
        if occurrence.status == "CANCELLED":
            continue
        entry_name = (clean_text(occurrence.summary) or (event.label if event else ""))[
            :NAME_LENGTH
        ] or _("Imported event")
        key = (entry_name, occurrence.first, occurrence.last)
        preview.entries.append(
            CalendarFileEntry(
                name=entry_name,
                start=occurrence.first,
                end=occurrence.last,
                uid=occurrence.uid,
                line=event.line if event else None,
                timed=occurrence.timed,
                recurring=bool(event and event.recurring),
                duplicate=key in taken,
            )
        )
        taken.add(key)
    for event in events:
        if event.uid in seen_uids:
            continue
        seen_uids.add(event.uid)
        preview.skipped.append(
            CalendarFileSkip(
                event.label,
                event.line,
                _("no day from %(first)s to %(last)s, the planning horizon")
                % {"first": first.isoformat(), "last": last.isoformat()},
            )
        )
    cancelled = {o.uid for o in found if o.status == "CANCELLED"} - {
        e.uid for e in preview.entries
    }
    for event in events:
        if event.uid in cancelled:
            cancelled.discard(event.uid)
            preview.skipped.append(
                CalendarFileSkip(event.label, event.line, _("cancelled"))
            )
    return preview


# --- what is already there --------------------------------------------------


def _existing(plant: Plant, kind: str, first, last) -> set[tuple]:
    if kind == "closure":
        rows = CalendarException.objects.filter(
            plant=plant, kind=CalendarException.Kind.CLOSURE
        )
    else:
        rows = Blackout.objects.filter(plant=plant, rrule="", end__isnull=False)
    # Entries may begin before `first` (an occurrence that touches it).
    rows = rows.filter(start__lte=last, end__gte=first - datetime.timedelta(days=366))
    return set(rows.values_list("name", "start", "end"))
