"""Closures and blackouts from .ics files: recurring events expanded within
the plant's horizon, all-day and timed events as whole plant-local days,
every problem naming the file and the event, nothing saved unless all is
well, and the bounds that keep an upload cheap."""

import time

import pytest

from calendars.imports.ics import CalendarFileError, calendar_file_parse
from calendars.imports.ics_store import calendar_file_import
from calendars.models import Blackout, CalendarException, Plant
from calendars.services import calendar_item_create
from tests.calendars.imports.ics_files import (
    HORIZON_END,
    OUTLOOK_NEW_YEAR,
    TIMED,
    TODAY,
    WEEKLY_FREEZE,
    WEEKLY_FREEZE_DAYS,
    D,
    ics,
    many_events,
    upload,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]


def days(preview) -> list[tuple]:
    return [(e.name, e.start, e.end) for e in preview.entries]


def refused(plant, text, **kwargs) -> CalendarFileError:
    before = Plant.objects.get(pk=plant.pk).calendar_revision
    with pytest.raises(CalendarFileError) as caught:
        calendar_file_import(plant=plant, file=upload(text, **kwargs), kind="closure")
    assert not CalendarException.objects.exists()
    assert Plant.objects.get(pk=plant.pk).calendar_revision == before
    return caught.value


def test_a_weekly_freeze_repeats_every_friday_but_the_excluded_one(plant):
    preview = calendar_file_parse(
        plant=plant, file=upload(WEEKLY_FREEZE), kind="blackout"
    )

    assert [(e.start, e.end) for e in preview.entries] == WEEKLY_FREEZE_DAYS
    assert {e.name for e in preview.entries} == {"Weekend change freeze"}
    assert all(e.recurring and not e.timed for e in preview.entries)
    assert not Blackout.objects.exists()  # a preview saves nothing


def test_an_outlook_all_day_shutdown_over_new_year_ends_the_day_before_dtend(plant):
    preview = calendar_file_parse(
        plant=plant, file=upload(OUTLOOK_NEW_YEAR), kind="closure"
    )

    assert days(preview) == [("New Year shutdown", D(2026, 12, 31), D(2027, 1, 3))]
    assert preview.entries[0].line == 14  # its BEGIN:VEVENT


def test_timed_events_cover_every_day_they_touch_in_the_plants_zone(plant):
    preview = calendar_file_parse(plant=plant, file=upload(TIMED), kind="blackout")

    assert days(preview) == [
        # 15:00-19:00 UTC is 23:00-03:00 in Suzhou: two days.
        ("Network core switch replacement", D(2027, 1, 15), D(2027, 1, 16)),
        # 22:00-04:00 in Berlin is 05:00-11:00 the next day in Suzhou.
        ("ERP database patch (Berlin night)", D(2027, 1, 16), D(2027, 1, 16)),
    ]
    assert all(e.timed for e in preview.entries)


def test_an_event_ending_at_midnight_does_not_take_the_next_day(plant):
    text = ics(
        "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Stock count\r\n"
        "DTSTART:20270301T080000\r\nDTEND:20270302T000000\r\nEND:VEVENT\r\n"
    )

    preview = calendar_file_parse(plant=plant, file=upload(text), kind="blackout")

    assert days(preview) == [("Stock count", D(2027, 3, 1), D(2027, 3, 1))]


def test_an_unbounded_repeat_stops_at_the_end_of_the_horizon(plant):
    text = ics(
        "BEGIN:VEVENT\r\nUID:month-end@example.com\r\nSUMMARY:Month-end freeze\r\n"
        "DTSTART;VALUE=DATE:20250101\r\nRRULE:FREQ=MONTHLY;BYMONTHDAY=1\r\n"
        "END:VEVENT\r\n"
    )

    preview = calendar_file_parse(plant=plant, file=upload(text), kind="blackout")

    starts = [e.start for e in preview.entries]
    assert starts[0] == D(2026, 12, 1)  # none before today
    assert starts[-1] == D(2028, 11, 1)  # none after the horizon
    assert len(starts) == 24
    assert (preview.first, preview.last) == (TODAY, HORIZON_END)


def test_a_repeat_that_never_matches_is_skipped_quickly(plant):
    # dateutil alone scans such a rule day by day up to the year 9999.
    text = ics(
        "BEGIN:VEVENT\r\nUID:never\r\nSUMMARY:30 February\r\n"
        "DTSTART;VALUE=DATE:20200101\r\nRRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n"
        "END:VEVENT\r\n"
    )

    began = time.perf_counter()
    preview = calendar_file_parse(plant=plant, file=upload(text), kind="closure")

    assert time.perf_counter() - began < 5
    assert preview.entries == []
    [skip] = preview.skipped
    assert skip.event == "“30 February” (UID never)"
    assert "no day from 2026-11-30 to 2028-11-29" in skip.reason


def test_events_outside_the_horizon_and_cancelled_ones_are_listed_as_skipped(plant):
    text = ics(
        "BEGIN:VEVENT\r\nUID:past\r\nSUMMARY:Last year's shutdown\r\n"
        "DTSTART;VALUE=DATE:20251224\r\nDTEND;VALUE=DATE:20260102\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:off\r\nSUMMARY:Cancelled audit freeze\r\n"
        "STATUS:CANCELLED\r\nDTSTART;VALUE=DATE:20270301\r\nEND:VEVENT\r\n"
    )

    preview = calendar_file_parse(plant=plant, file=upload(text), kind="closure")

    assert preview.entries == []
    assert [(s.event, s.line) for s in preview.skipped] == [
        ("“Last year's shutdown” (UID past)", 4),
        ("“Cancelled audit freeze” (UID off)", 10),
    ]
    assert preview.skipped[1].reason == "cancelled"


def test_confirm_saves_closures_atomically_with_one_revision_bump(plant):
    before = Plant.objects.get(pk=plant.pk).calendar_revision

    result = calendar_file_import(
        plant=plant, file=upload(WEEKLY_FREEZE), kind="closure"
    )

    saved = CalendarException.objects.filter(plant=plant).order_by("start")
    assert [(c.start, c.end) for c in saved] == WEEKLY_FREEZE_DAYS
    assert {c.kind for c in saved} == {CalendarException.Kind.CLOSURE}
    assert sorted(result.ids) == sorted(c.pk for c in saved)
    assert Plant.objects.get(pk=plant.pk).calendar_revision == before + 1


def test_blackouts_are_change_freezes_and_may_be_hard(plant):
    calendar_file_import(
        plant=plant, file=upload(OUTLOOK_NEW_YEAR), kind="blackout", hard=True
    )

    [blackout] = Blackout.objects.filter(plant=plant)
    assert (blackout.name, blackout.start, blackout.end) == (
        "New Year shutdown",
        D(2026, 12, 31),
        D(2027, 1, 3),
    )
    assert blackout.kind == Blackout.Kind.IT_FREEZE and blackout.hard
    assert blackout.rrule == ""


def test_importing_the_same_file_again_adds_nothing(plant):
    calendar_file_import(plant=plant, file=upload(WEEKLY_FREEZE), kind="closure")
    revision = Plant.objects.get(pk=plant.pk).calendar_revision

    again = calendar_file_parse(plant=plant, file=upload(WEEKLY_FREEZE), kind="closure")
    result = calendar_file_import(
        plant=plant, file=upload(WEEKLY_FREEZE), kind="closure"
    )

    assert again.duplicates == 7 and again.new_entries == []
    assert result.created == []
    assert CalendarException.objects.count() == 7
    assert Plant.objects.get(pk=plant.pk).calendar_revision == revision


def test_an_entry_already_in_the_calendar_is_not_saved_twice(plant):
    calendar_item_create(
        model=CalendarException,
        plant=plant,
        kind=CalendarException.Kind.CLOSURE,
        name="New Year shutdown",
        start=D(2026, 12, 31),
        end=D(2027, 1, 3),
    )

    preview = calendar_file_parse(
        plant=plant, file=upload(OUTLOOK_NEW_YEAR), kind="closure"
    )

    assert [e.duplicate for e in preview.entries] == [True]


# --- refused files ------------------------------------------------------------


def test_a_malformed_file_names_the_file_and_the_line(plant):
    text = ics(
        "BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:Shutdown\r\nDTSTART;VALUE=DATE:20270101\r\n"
    )  # END:VEVENT missing

    error = refused(plant, text)

    assert error.filename == "shutdowns.ics"
    assert [(e.line, e.message) for e in error.errors] == [
        (8, "END:VCALENDAR where END:VEVENT (for the BEGIN on line 4) was expected")
    ]
    assert str(error).startswith("shutdowns.ics: line 8")


def test_a_broken_event_is_named_by_summary_uid_and_line(plant):
    text = ics(
        "BEGIN:VEVENT\r\nUID:ok\r\nSUMMARY:Fine\r\nDTSTART;VALUE=DATE:20270101\r\n"
        "END:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:CHG42\r\nSUMMARY:Audit freeze\r\nDTSTART:tomorrow\r\n"
        "END:VEVENT\r\n"
    )

    error = refused(plant, text)

    [problem] = error.errors
    assert problem.line == 9
    assert problem.event == "“Audit freeze” (UID CHG42)"
    assert "DTSTART" in problem.message


@pytest.mark.parametrize(
    "event, message",
    [
        ("DTSTART;VALUE=DATE:20270110\r\nDTEND;VALUE=DATE:20270105\r\n", "ends before"),
        ("SUMMARY:x\r\n", "no start (DTSTART)"),
        (
            "DTSTART:20270110T080000Z\r\nRRULE:FREQ=HOURLY\r\n",
            "FREQ=HOURLY; only daily, weekly, monthly or yearly",
        ),
        (
            "DTSTART;VALUE=DATE:20270110\r\nRRULE:FREQ=DAILY;INTERVAL=0\r\n",
            "INTERVAL=0 is not allowed",
        ),
        ("DTSTART;VALUE=DATE:30270110\r\n", "outside 1900-01-01 to 2999-12-31"),
        (
            "DTSTART;VALUE=DATE:20270110\r\nDTEND;VALUE=DATE:20270111\r\n"
            "DTEND;VALUE=DATE:20270112\r\n",
            "DTEND is given more than once",
        ),
    ],
)
def test_events_the_calendar_cannot_take_are_refused(plant, event, message):
    text = ics(f"BEGIN:VEVENT\r\nUID:bad-1\r\n{event}END:VEVENT\r\n")

    [problem] = refused(plant, text).errors

    assert message in problem.message
    assert problem.line == 4 and "bad-1" in problem.event


def test_a_file_of_ten_thousand_events_is_refused_before_it_is_parsed(plant):
    error = refused(plant, many_events(10_000))

    [problem] = error.errors
    assert problem.message == (
        "the file has 10,000 events; at most 1,000 are imported at a time: "
        "export a shorter period"
    )


def test_a_file_over_the_size_limit_is_refused(plant):
    notes = "".join(f"X-NOTE:{n:070d}\r\n" for n in range(20_000))  # 1.6 MB
    text = OUTLOOK_NEW_YEAR.replace("BEGIN:VEVENT\r\n", "BEGIN:VEVENT\r\n" + notes)

    error = refused(plant, text)

    assert error.errors[0].message == "file is 1.5 MB; the limit is 1.0 MB"


def test_a_file_expanding_to_too_many_items_is_refused(plant, settings):
    settings.CALENDAR_IMPORT_MAX_ITEMS = 50
    text = ics(
        "BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Daily\r\nDTSTART;VALUE=DATE:20261201\r\n"
        "RRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
    )

    error = refused(plant, text)

    assert "more than 50 closures or blackouts from 2026-11-30 to 2028-11-29" in (
        error.errors[0].message
    )


def test_repeats_too_costly_to_expand_are_refused(plant):
    daily_since_1900 = "".join(
        f"BEGIN:VEVENT\r\nUID:old-{n}\r\nSUMMARY:Old daily {n}\r\n"
        "DTSTART;VALUE=DATE:19000101\r\nRRULE:FREQ=DAILY\r\nEND:VEVENT\r\n"
        for n in range(20)
    )

    error = refused(plant, ics(daily_since_1900))

    [problem] = error.errors
    assert "start too long before 2028-11-29" in problem.message
    assert "Old daily 0" in problem.event


@pytest.mark.parametrize(
    "data, name, content_type, message",
    [
        (OUTLOOK_NEW_YEAR, "shutdowns.csv", "text/csv", "named .ics"),
        (OUTLOOK_NEW_YEAR, "shutdowns.ics", "image/png", "sent as image/png"),
        (
            "date,name\n2027-01-01,x\n",
            "shutdowns.ics",
            "text/calendar",
            "BEGIN:VCALENDAR",
        ),
        (
            b"PK\x03\x04\x14\x00\x06\x00",
            "shutdowns.ics",
            "text/calendar",
            "BEGIN:VCALENDAR",
        ),
        (
            OUTLOOK_NEW_YEAR.replace("New Year", "元旦").encode("gbk"),
            "shutdowns.ics",
            "text/calendar",
            "not UTF-8",
        ),
    ],
)
def test_the_upload_is_checked_before_it_is_parsed(
    plant, data, name, content_type, message
):
    error = refused(plant, data, name=name, content_type=content_type)

    assert error.filename == name
    assert message in error.errors[0].message
