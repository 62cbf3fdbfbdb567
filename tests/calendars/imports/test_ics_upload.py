"""The .ics import as plant managers use it: the page (upload, preview,
confirm) linked from the plant's calendar data, and
POST /api/plants/{code}/calendar-import/ (confirm=false previews, true
saves)."""

import re

import pytest
from django.contrib.auth.models import Group

from accounts.permissions import IT_LEAD
from calendars.models import Blackout, CalendarException, Plant
from calendars.services import plant_create
from tests.calendars.imports.ics_files import (
    OUTLOOK_NEW_YEAR,
    WEEKLY_FREEZE,
    WEEKLY_FREEZE_DAYS,
    ics,
    upload,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_today")]

PAGE = "/plants/SZ/data/import/"
API = "/api/plants/SZ/calendar-import/"
MALFORMED = ics("BEGIN:VEVENT\r\nUID:x-1\r\nSUMMARY:Half an event\r\n")


def revision(plant) -> int:
    return Plant.objects.get(pk=plant.pk).calendar_revision


# --- the page -------------------------------------------------------------------


def test_the_calendar_data_page_links_managers_to_the_import(web, plant):
    html = web.get("/plants/SZ/data/").content.decode()

    assert f'href="{PAGE}"' in html


def test_a_manager_previews_then_imports_closures(web, plant):
    before = revision(plant)

    preview = web.post(PAGE, {"file": upload(OUTLOOK_NEW_YEAR), "kind": "closure"})

    html = preview.content.decode()
    assert "Preview of shutdowns.ics" in html
    row = re.search(r"<tr><td[^>]*>040000008200E.*?</tr>", html, re.S).group()
    assert "Plant closure" in row and "New Year shutdown" in row
    assert "2026-12-31" in row and "2027-01-03" in row
    assert "<td>14</td>" in row  # the event's line
    assert not CalendarException.objects.exists()  # nothing saved yet
    assert revision(plant) == before

    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    done = web.post(PAGE + "confirm/", {"token": token}, follow=True)

    [closure] = CalendarException.objects.filter(plant=plant)
    assert (closure.name, closure.start.isoformat(), closure.end.isoformat()) == (
        "New Year shutdown",
        "2026-12-31",
        "2027-01-03",
    )
    assert revision(plant) == before + 1
    assert "Imported 1 Plant closure from shutdowns.ics" in done.content.decode()


def test_a_weekly_freeze_is_previewed_occurrence_by_occurrence_as_blackouts(web, plant):
    response = web.post(
        PAGE, {"file": upload(WEEKLY_FREEZE), "kind": "blackout", "hard": "on"}
    )

    html = response.content.decode()
    assert html.count("Weekend change freeze") == len(WEEKLY_FREEZE_DAYS)
    assert "2026-12-25" not in html  # excluded by EXDATE
    assert "They will be hard blackouts." in html
    token = re.search(r'name="token" value="([^"]+)"', html).group(1)
    web.post(PAGE + "confirm/", {"token": token})
    saved = Blackout.objects.filter(plant=plant, hard=True).order_by("start")
    assert [(b.start, b.end) for b in saved] == WEEKLY_FREEZE_DAYS


def test_a_malformed_file_is_explained_with_its_name_and_line(web, plant):
    response = web.post(PAGE, {"file": upload(MALFORMED), "kind": "closure"})

    html = response.content.decode()
    assert "shutdowns.ics has a problem; nothing was imported." in html
    assert "Problems in shutdowns.ics" in html
    assert "<td>7</td>" in html
    assert "END:VCALENDAR where END:VEVENT (for the BEGIN on line 4)" in html
    assert not CalendarException.objects.exists()


def test_an_expired_preview_saves_nothing(web, plant):
    response = web.post(PAGE + "confirm/", {"token": "stale"}, follow=True)

    assert "expired" in response.content.decode()
    assert not CalendarException.objects.exists()


@pytest.fixture
def it_lead(plant):
    user = UserFactory(username="it")
    user.groups.add(Group.objects.get(name=IT_LEAD))
    plant.members.add(user)
    return user


def test_only_the_plants_managers_import(client, it_lead, plant):
    client.force_login(it_lead)

    assert client.get(PAGE).status_code == 403
    posted = client.post(PAGE, {"file": upload(OUTLOOK_NEW_YEAR), "kind": "closure"})
    assert posted.status_code == 403
    assert client.post(PAGE + "confirm/", {"token": "x"}).status_code == 403
    assert f'href="{PAGE}"' not in client.get("/plants/SZ/data/").content.decode()
    assert not CalendarException.objects.exists()


def test_another_plants_import_page_is_not_found(web, plant):
    plant_create(code="STG", name="Stuttgart", timezone="Europe/Berlin", country="DE")

    assert web.get("/plants/STG/data/import/").status_code == 404


# --- the API --------------------------------------------------------------------


def post(api, text, **fields):
    return api.post(API, {"file": upload(text), **fields}, format="multipart")


def test_the_api_previews_without_saving(api, plant):
    response = post(api, WEEKLY_FREEZE, **{"as": "blackout", "confirm": "false"})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["file"] == "shutdowns.ics" and body["as"] == "blackout"
    assert body["horizon"] == {"start": "2026-11-30", "end": "2028-11-29"}
    assert [(i["start"], i["end"]) for i in body["items"]] == [
        (a.isoformat(), b.isoformat()) for a, b in WEEKLY_FREEZE_DAYS
    ]
    assert body["items"][0] == {
        "kind": "blackout",
        "name": "Weekend change freeze",
        "start": "2026-12-04",
        "end": "2026-12-05",
        "uid": "3kq1bq0weekly@google.com",
        "line": 8,
        "timed": False,
        "recurring": True,
        "duplicate": False,
    }
    assert not Blackout.objects.exists()


def test_the_api_saves_on_confirm_and_answers_the_new_ids(api, plant):
    before = revision(plant)

    response = post(api, OUTLOOK_NEW_YEAR, **{"as": "closure", "confirm": "true"})

    assert response.status_code == 201, response.json()
    body = response.json()
    [closure] = CalendarException.objects.filter(plant=plant)
    assert body["created"] == [closure.pk]
    assert body["calendar_revision"] == revision(plant) == before + 1
    assert (closure.start.isoformat(), closure.end.isoformat()) == (
        "2026-12-31",
        "2027-01-03",
    )


def test_the_api_names_the_file_event_and_line_of_a_problem(api, plant):
    text = ics(
        "BEGIN:VEVENT\r\nUID:CHG7\r\nSUMMARY:Freeze\r\n"
        "DTSTART:20270101T000000Z\r\nRRULE:FREQ=MINUTELY\r\nEND:VEVENT\r\n"
    )

    response = post(api, text, **{"as": "closure", "confirm": "true"})

    assert response.status_code == 400
    body = response.json()
    assert body["file"] == "shutdowns.ics"
    [error] = body["errors"]
    assert error["line"] == 4
    assert error["event"] == "“Freeze” (UID CHG7)"
    assert "FREQ=MINUTELY" in error["message"]
    assert not CalendarException.objects.exists()


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"as": "holiday"}, "as"),
        ({}, "as"),
        ({"as": "closure", "confirm": "x"}, "confirm"),
    ],
)
def test_the_api_refuses_bad_fields_by_name(api, plant, fields, field):
    response = post(api, OUTLOOK_NEW_YEAR, **fields)

    assert response.status_code == 400
    assert field in response.json()
    assert not CalendarException.objects.exists()


def test_the_api_refuses_it_leads_and_hides_other_plants(it_lead, plant):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(it_lead)
    plant_create(code="STG", name="Stuttgart", timezone="Europe/Berlin", country="DE")

    assert post(client, OUTLOOK_NEW_YEAR, **{"as": "closure"}).status_code == 403
    other = client.post(
        "/api/plants/STG/calendar-import/",
        {"file": upload(OUTLOOK_NEW_YEAR), "as": "closure"},
        format="multipart",
    )
    assert other.status_code == 404
    assert not CalendarException.objects.exists()


def test_the_page_and_its_preview_speak_chinese(web, plant, back_to_english):
    zh = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}

    form = web.get(PAGE, **zh).content.decode()
    preview = web.post(
        PAGE, {"file": upload(WEEKLY_FREEZE), "kind": "blackout"}, **zh
    ).content.decode()

    assert "向 Suzhou 导入停产或禁止变更期" in form
    assert "7 条新条目（禁止变更期）" in preview
    assert "导入这些条目" in preview
