"""iCalendar files as Outlook, Google Calendar and change-management tools
export them (CRLF lines, folded long lines, VTIMEZONE blocks, alarms), and
the plant's fixed today so that the horizon they expand into is known."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from calendars.models import Plant

D = datetime.date
TODAY = D(2026, 11, 30)
HORIZON_END = TODAY + datetime.timedelta(days=730)  # OFFPEAK_HORIZON_DAYS


@pytest.fixture
def fixed_today(monkeypatch, settings):
    """Plant-local today is 2026-11-30 and the horizon two years."""
    settings.OFFPEAK_HORIZON_DAYS = 730
    monkeypatch.setattr(Plant, "local_today", lambda self: TODAY)
    return TODAY


def ics(*events: str, prodid: str = "-//Offpeak tests//EN", extra: str = "") -> str:
    body = "".join(events)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        f"PRODID:{prodid}\r\n{extra}{body}END:VCALENDAR\r\n"
    )


def upload(
    text: str | bytes, name: str = "shutdowns.ics", content_type: str = "text/calendar"
) -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type)


# Google Calendar: a freeze every Friday and Saturday, one Friday taken out.
WEEKLY_FREEZE = ics(
    "BEGIN:VEVENT\r\n"
    "DTSTART;VALUE=DATE:20261204\r\n"
    "DTEND;VALUE=DATE:20261206\r\n"
    "RRULE:FREQ=WEEKLY;BYDAY=FR;COUNT=8\r\n"
    "EXDATE;VALUE=DATE:20261225\r\n"
    "DTSTAMP:20261101T080000Z\r\n"
    "UID:3kq1bq0weekly@google.com\r\n"
    "SUMMARY:Weekend change freeze\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "END:VEVENT\r\n",
    prodid="-//Google Inc//Google Calendar 70.9054//EN",
    extra="CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Freezes\r\n"
    "X-WR-TIMEZONE:Asia/Shanghai\r\n",
)
WEEKLY_FREEZE_DAYS = [
    (D(2026, 12, 4), D(2026, 12, 5)),
    (D(2026, 12, 11), D(2026, 12, 12)),
    (D(2026, 12, 18), D(2026, 12, 19)),
    # 25 December taken out by EXDATE
    (D(2027, 1, 1), D(2027, 1, 2)),
    (D(2027, 1, 8), D(2027, 1, 9)),
    (D(2027, 1, 15), D(2027, 1, 16)),
    (D(2027, 1, 22), D(2027, 1, 23)),
]

# Outlook: an all-day shutdown over New Year, with its time zone block, a
# folded description and a reminder.
OUTLOOK_NEW_YEAR = ics(
    "BEGIN:VTIMEZONE\r\n"
    "TZID:China Standard Time\r\n"
    "BEGIN:STANDARD\r\n"
    "DTSTART:16010101T000000\r\n"
    "TZOFFSETFROM:+0800\r\n"
    "TZOFFSETTO:+0800\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
    "BEGIN:VEVENT\r\n"
    "CLASS:PUBLIC\r\n"
    "CREATED:20261015T020000Z\r\n"
    "DESCRIPTION:The whole plant is closed from 31 December to 3 January; mai\r\n"
    " ntenance crews only.\\n\r\n"
    "DTEND;VALUE=DATE:20270104\r\n"
    "DTSTAMP:20261015T020000Z\r\n"
    "DTSTART;VALUE=DATE:20261231\r\n"
    "PRIORITY:5\r\n"
    "SEQUENCE:0\r\n"
    "SUMMARY;LANGUAGE=en-us:New Year shutdown\r\n"
    "TRANSP:TRANSPARENT\r\n"
    "UID:040000008200E00074C5B7101A82E00800000000D0C5outlook\r\n"
    "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE\r\n"
    "X-MICROSOFT-CDO-BUSYSTATUS:OOF\r\n"
    "BEGIN:VALARM\r\n"
    "TRIGGER:-PT1080M\r\n"
    "ACTION:DISPLAY\r\n"
    "DESCRIPTION:Reminder\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n",
    prodid="-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN",
    extra="METHOD:PUBLISH\r\nX-MS-OLK-FORCEINSPECTOROPEN:TRUE\r\n",
)

# A change-management tool: a timed freeze in UTC that crosses midnight in
# Suzhou (23:00 to 03:00 local), and one in Berlin time that does not (it is
# 05:00 to 11:00 in Suzhou).
TIMED = ics(
    "BEGIN:VEVENT\r\n"
    "UID:CHG0031337@servicenow\r\n"
    "DTSTAMP:20261120T000000Z\r\n"
    "DTSTART:20270115T150000Z\r\n"
    "DTEND:20270115T190000Z\r\n"
    "SUMMARY:Network core switch replacement\r\n"
    "END:VEVENT\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:CHG0031338@servicenow\r\n"
    "DTSTAMP:20261120T000000Z\r\n"
    "DTSTART;TZID=Europe/Berlin:20270115T220000\r\n"
    "DTEND;TZID=Europe/Berlin:20270116T040000\r\n"
    "SUMMARY:ERP database patch (Berlin night)\r\n"
    "END:VEVENT\r\n"
)


def many_events(count: int) -> str:
    start = D(2027, 1, 4)
    return ics(
        *(
            "BEGIN:VEVENT\r\n"
            f"UID:event-{n}@example.com\r\n"
            f"DTSTART;VALUE=DATE:{start + datetime.timedelta(days=n % 600):%Y%m%d}\r\n"
            f"SUMMARY:Freeze {n}\r\n"
            "END:VEVENT\r\n"
            for n in range(count)
        )
    )
