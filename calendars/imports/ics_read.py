"""Reading an .ics upload into its events, checked (calendars.imports.ics has
the rules): the upload before parsing, the structure line by line, each event,
and what expanding its repeats would cost. Every problem names the file, the
event (summary and UID) and the line."""

import codecs
import datetime
import re
from dataclasses import dataclass
from pathlib import PurePath

import icalendar
from django.utils.translation import gettext as _

from calendars.imports import limits
from calendars.imports.errors import PlanImportError
from calendars.imports.upload import upload_read, without_controls
from calendars.models.plants import FIRST_DATE, LAST_DATE
from calendars.recurrence import ALLOWED_FREQS, MAX_INTERVAL

SUFFIXES = (".ics", ".ical", ".icalendar")
# What browsers and clients send for an .ics file; anything else is another
# kind of file (a spreadsheet, an image…).
CONTENT_TYPES = {
    "",
    "text/calendar",
    "application/ics",
    "text/x-vcalendar",
    "application/octet-stream",
    "text/plain",
}
MAX_REPORTED = 50
# Properties an event has at most once (RFC 5545, 3.6.1).
_ONCE = ("UID", "DTSTART", "DTEND", "DURATION", "RECURRENCE-ID", "SUMMARY", "STATUS")
_PERIOD_DAYS = {"DAILY": 1.0, "WEEKLY": 7.0, "MONTHLY": 30.4, "YEARLY": 365.25}
_PROPERTY = re.compile(r"[A-Za-z0-9-]+[;:]")
_VEVENT = re.compile(rb"^BEGIN:VEVENT[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)
_BLANKS = re.compile(r"\s+")


@dataclass(frozen=True)
class CalendarFileProblem:
    """One problem: line (1-based, None for the whole file), event (its
    summary and UID, None for the whole file) and what is wrong."""

    line: int | None
    event: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.event:
            where.append(_("event %(event)s") % {"event": self.event})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class CalendarFileError(Exception):
    """The file cannot be imported: `errors` lists the problems, `filename`
    names the file."""

    def __init__(self, errors: list[CalendarFileProblem], filename: str) -> None:
        self.errors = list(errors)
        self.filename = filename
        super().__init__(f"{filename}: " + "; ".join(str(e) for e in self.errors[:3]))


@dataclass
class FileEvent:
    uid: str
    summary: str
    line: int | None
    recurring: bool

    @property
    def label(self) -> str:
        return event_label(self.summary, self.uid)


def event_label(summary: str, uid: str) -> str:
    """How problems name an event: "Summary" (UID abc)."""
    if summary and uid:
        return f"“{summary}” (UID {uid})"
    if summary:
        return f"“{summary}”"
    return f"UID {uid}" if uid else _("without summary or UID")


def clean_text(text) -> str:
    return _BLANKS.sub(" ", without_controls(str(text or ""))).strip()


def whole_file(name: str, message: str) -> CalendarFileError:
    return CalendarFileError([CalendarFileProblem(None, None, message)], name)


def checked_text(file, name: str) -> str:
    suffix = PurePath(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise whole_file(
            name,
            _(
                "an iCalendar file is named .ics; export the calendar from "
                "Outlook or Google Calendar as .ics"
            ),
        )
    content_type = str(getattr(file, "content_type", "") or "").split(";")[0]
    if content_type.strip().lower() not in CONTENT_TYPES:
        raise whole_file(
            name,
            _("the file was sent as %(type)s, not as an iCalendar file (text/calendar)")
            % {"type": content_type},
        )
    try:
        data = upload_read(file=file, max_bytes=limits.calendar_max_bytes())
    except PlanImportError as exc:
        raise CalendarFileError(
            [CalendarFileProblem(None, None, e.message) for e in exc.errors], name
        ) from None
    count = len(_VEVENT.findall(data))
    if count > limits.calendar_max_events():
        raise whole_file(
            name,
            _(
                "the file has %(count)s events; at most %(max)s are imported at "
                "a time: export a shorter period"
            )
            % {
                "count": f"{count:,}",
                "max": f"{limits.calendar_max_events():,}",
            },
        )
    if not data.removeprefix(codecs.BOM_UTF8).lstrip()[:15].upper() == (
        b"BEGIN:VCALENDAR"
    ):
        raise whole_file(
            name,
            _(
                "the file is not an iCalendar file: it does not begin with "
                "BEGIN:VCALENDAR"
            ),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise whole_file(
            name, _("the file is not UTF-8 text, as iCalendar files are")
        ) from None


# --- structure and events ---------------------------------------------------


def _scan(text: str, name: str) -> list[int]:
    """The line of each VEVENT's BEGIN, in order; raises for lines that are
    no property and BEGIN/END that do not pair up."""
    problems: list[CalendarFileProblem] = []
    stack: list[tuple[str, int]] = []
    events: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line[:1] in (" ", "\t"):
            continue  # blank, or the continuation of a folded line
        if not _PROPERTY.match(line):
            problems.append(
                CalendarFileProblem(
                    number,
                    None,
                    _("not an iCalendar property (NAME:value): %(text)s")
                    % {"text": without_controls(line[:60])},
                )
            )
            continue
        head, _sep, value = line.partition(":")
        head = head.upper()
        if head == "BEGIN":
            component = value.strip().upper()
            if component == "VEVENT":
                events.append(number)
            stack.append((component, number))
        elif head == "END":
            component = value.strip().upper()
            if not stack or stack[-1][0] != component:
                expected, begun = stack[-1] if stack else (None, None)
                problems.append(
                    CalendarFileProblem(
                        number,
                        None,
                        _(
                            "END:%(found)s where END:%(expected)s (for the BEGIN "
                            "on line %(begun)s) was expected"
                        )
                        % {"found": component, "expected": expected, "begun": begun}
                        if expected
                        else _("END:%(found)s without its BEGIN")
                        % {"found": component},
                    )
                )
                break
            stack.pop()
        if len(problems) >= MAX_REPORTED:
            break
    if not problems:
        for component, number in reversed(stack):
            problems.append(
                CalendarFileProblem(
                    number,
                    None,
                    _("BEGIN:%(name)s is never ended") % {"name": component},
                )
            )
    if problems:
        raise CalendarFileError(problems, name)
    return events


def read_events(text: str, name: str):
    lines = _scan(text, name)
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        raise whole_file(
            name,
            _("the file cannot be read as iCalendar: %(error)s")
            % {"error": str(exc)[:200]},
        ) from None
    components = list(calendar.walk("VEVENT"))
    problems: list[CalendarFileProblem] = []
    events: list[FileEvent] = []
    for index, component in enumerate(components):
        line = lines[index] if len(lines) == len(components) else None
        uid = clean_text(component.get("UID"))
        if not uid:
            # recurring-ical-events groups events by UID: each needs its own.
            uid = f"line-{line or index + 1}@offpeak"
            component["UID"] = uid
        recurring = any(key in component for key in ("RRULE", "RDATE"))
        event = FileEvent(uid, clean_text(component.get("SUMMARY")), line, recurring)
        events.append(event)
        try:
            messages = _event_problems(component)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            messages = [_("the event cannot be read: %(error)s") % {"error": exc}]
        for message in messages:
            problems.append(CalendarFileProblem(line, event.label, message))
    if problems:
        raise CalendarFileError(problems[:MAX_REPORTED], name)
    return events, calendar


def _day(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def _event_problems(component) -> list[str]:
    problems = [
        _("%(property)s: %(error)s") % {"property": prop, "error": error}
        for prop, error in getattr(component, "errors", [])
    ]
    if problems:
        return problems
    twice = [p for p in _ONCE if isinstance(component.get(p), list)]
    if twice:
        return [
            _("%(property)s is given more than once") % {"property": p} for p in twice
        ]
    if "DTSTART" not in component:
        return [_("the event has no start (DTSTART)")]
    start = component.decoded("DTSTART")
    start_day = _day(start)
    if start_day is None:
        return [_("the start (DTSTART) is not a date or a time")]
    for label, day in ((_("start"), start_day), (_("end"), _day(_end(component)))):
        if day is not None and not FIRST_DATE <= day <= LAST_DATE:
            problems.append(
                _("the %(which)s %(day)s is outside %(first)s to %(last)s")
                % {
                    "which": label,
                    "day": day.isoformat(),
                    "first": FIRST_DATE.isoformat(),
                    "last": LAST_DATE.isoformat(),
                }
            )
    end = _end(component)
    if end is not None and _comparable(end) < _comparable(start):
        problems.append(_("the event ends before it starts"))
    for rule in _rules(component):
        problems.extend(_rule_problems(rule))
    return problems


def _end(component):
    if "DTEND" in component:
        return component.decoded("DTEND")
    return None


def _comparable(value) -> datetime.datetime:
    if isinstance(value, datetime.datetime):
        return (
            value.replace(tzinfo=None)
            if value.tzinfo is None
            else (value.astimezone(datetime.UTC).replace(tzinfo=None))
        )
    return datetime.datetime.combine(value, datetime.time())


def _rules(component) -> list:
    rules = component.get("RRULE")
    if rules is None:
        return []
    return rules if isinstance(rules, list) else [rules]


def _rule_problems(rule) -> list[str]:
    freqs = [str(f).upper() for f in rule.get("FREQ", [])]
    freq = freqs[0] if freqs else ""
    if freq not in ALLOWED_FREQS:
        return [
            _(
                "it repeats FREQ=%(freq)s; only daily, weekly, monthly or yearly "
                "repeats are imported, as closures and blackouts are whole days"
            )
            % {"freq": freq or "?"}
        ]
    intervals = rule.get("INTERVAL", [1])
    interval = intervals[0] if intervals else 1
    if not isinstance(interval, int) or not 1 <= interval <= MAX_INTERVAL[freq]:
        return [
            _("INTERVAL=%(value)s is not allowed: give 1 to %(limit)s for %(freq)s")
            % {"value": interval, "limit": MAX_INTERVAL[freq], "freq": freq}
        ]
    return []


def _steps(component, last: datetime.date) -> float:
    """About how many periods dateutil walks for the event's repeats."""
    start = _day(component.decoded("DTSTART"))
    total = 0.0
    for rule in _rules(component):
        freq = str(rule.get("FREQ")[0]).upper()
        interval = (rule.get("INTERVAL") or [1])[0]
        days = max((last - start).days, 0)
        total += days / (_PERIOD_DAYS[freq] * interval)
    return total


def check_cost(events: list[FileEvent], calendar, name: str, last) -> None:
    costs = [
        (_steps(component, last), event)
        for event, component in zip(events, calendar.walk("VEVENT"), strict=True)
        if event.recurring
    ]
    if sum(cost for cost, _event in costs) > limits.MAX_EXPANSION_STEPS:
        raise too_costly(name, events, last, costs)


def too_costly(name, events, last, costs=None) -> CalendarFileError:
    costs = sorted(costs or [], key=lambda c: -c[0])[:3]
    worst = ", ".join(event.label for _cost, event in costs) or "-"
    return CalendarFileError(
        [
            CalendarFileProblem(
                costs[0][1].line if costs else None,
                worst if costs else None,
                _(
                    "the repeating events start too long before %(last)s to be "
                    "expanded within the import's limits; start their series "
                    "nearer today (in the calendar app: edit the series from a "
                    "recent occurrence on)"
                )
                % {"last": last.isoformat()},
            )
        ],
        name,
    )
