"""/calendars/{plant_code}.ics?token=: an RFC 5545 feed a calendar app can
subscribe to, opened by a revocable per-user feed token."""

import datetime

import icalendar
import pytest
from rest_framework.test import APIClient

from calendars.models import CalendarException
from proposals.models import GoLiveProposal
from tests.api.conftest import token_for
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
)

pytestmark = pytest.mark.django_db


def in_days(plant, n: int) -> datetime.date:
    return plant.local_today() + datetime.timedelta(days=n)


def fetch(code: str, token: str):
    return APIClient().get(f"/calendars/{code}.ics", {"token": token})


def events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def calendar_items(plant, rollout):
    season = PeakSeasonFactory(
        plant=plant,
        name="Double 11",
        recurring_yearly=True,
        start=datetime.date(2024, 9, 15),
        end=datetime.date(2024, 11, 11),
    )
    company = PeakSeasonFactory(
        plant=None, name="Q4", start=in_days(plant, 20), end=in_days(plant, 30)
    )
    milestone = MilestoneFactory(
        plant=plant,
        name="SOP",
        start=in_days(plant, 40),
        end=in_days(plant, 42),
        freeze_before_days=7,
        freeze_after_days=3,
    )
    blackout = BlackoutFactory(
        plant=plant, name="Month-end close", start=in_days(plant, -100)
    )
    closure = CalendarExceptionFactory(
        plant=plant, name="Shutdown", start=in_days(plant, 50), end=in_days(plant, 52)
    )
    CalendarExceptionFactory(
        plant=plant,
        name="Saturday shift",
        kind=CalendarException.Kind.EXTRA_WORKING_DAY,
        start=in_days(plant, 5),
        end=in_days(plant, 5),
    )
    go_live = in_days(plant, 70)
    proposal = GoLiveProposal.objects.create(
        rollout=rollout,
        plant=plant,
        go_live=go_live,
        status=GoLiveProposal.Status.APPROVED,
        phases=[
            {
                "name": "cutover",
                "start": in_days(plant, 69).isoformat(),
                "end": go_live.isoformat(),
            }
        ],
    )
    GoLiveProposal.objects.create(
        rollout=rollout,
        plant=plant,
        go_live=go_live,
        status=GoLiveProposal.Status.SUBMITTED,
    )
    return {"season": season, "company": company, "milestone": milestone,
            "blackout": blackout, "closure": closure, "proposal": proposal}  # fmt: skip


def test_the_feed_parses_back_with_every_kind_of_event(viewer, plant, calendar_items):
    items = calendar_items

    response = fetch("sz", token_for(viewer, "feed"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    found = events(response)
    m = items["milestone"].id
    assert found[f"milestone-{m}@offpeak"]["SUMMARY"] == "Milestone: SOP"
    assert f"milestone-{m}-freeze-before@offpeak" in found
    assert f"milestone-{m}-freeze-after@offpeak" in found
    assert f"season-{items['company'].id}@offpeak" in found
    assert any(uid.startswith(f"season-{items['season'].id}-") for uid in found)
    assert f"closure-{items['closure'].id}@offpeak" in found
    assert f"golive-{items['proposal'].id}@offpeak" in found
    assert f"golive-{items['proposal'].id}-cutover@offpeak" in found
    assert sum(uid.startswith("golive-") for uid in found) == 2  # not the submitted
    national_day = [e for e in found.values() if "National Day" in str(e["SUMMARY"])]
    assert national_day
    blackouts = [u for u in found if u.startswith(f"blackout-{items['blackout'].id}-")]
    assert len(blackouts) > 12 * 2 - 2  # two a month, a year ahead and more


def test_events_are_all_day_dates_in_the_plants_time_zone(
    viewer, plant, calendar_items
):
    response = fetch("sz", token_for(viewer, "feed"))
    calendar = icalendar.Calendar.from_ical(response.content)

    assert str(calendar["X-WR-TIMEZONE"]) == "Asia/Shanghai"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]
    milestone = events(response)[f"milestone-{calendar_items['milestone'].id}@offpeak"]
    start, end = milestone["DTSTART"].dt, milestone["DTEND"].dt
    assert type(start) is datetime.date
    assert start == in_days(plant, 40)
    assert end == in_days(plant, 43)  # DTEND is exclusive
    assert "DTSTAMP" in milestone
    assert b"DTSTART;VALUE=DATE:" in response.content


def test_uids_are_stable_across_fetches(viewer, plant, calendar_items):
    token = token_for(viewer, "feed")

    assert set(events(fetch("sz", token))) == set(events(fetch("sz", token)))


def test_the_sequence_follows_the_calendar_revision(viewer, plant, calendar_items):
    from calendars.services import calendar_item_update

    token = token_for(viewer, "feed")
    uid = f"milestone-{calendar_items['milestone'].id}@offpeak"
    before = int(events(fetch("sz", token))[uid]["SEQUENCE"])
    calendar_item_update(item=calendar_items["milestone"], name="SOP moved")

    after = events(fetch("sz", token))[uid]

    assert int(after["SEQUENCE"]) == before + 1
    assert after["SUMMARY"] == "Milestone: SOP moved"


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_every_role_subscribes_to_its_plants(users, plant, role):
    assert fetch("sz", token_for(users[role], "feed")).status_code == 200


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_feed_is_not_found(users, other_plant, role):
    assert fetch("stg", token_for(users[role], "feed")).status_code == 404


def test_staff_subscribe_to_any_plant(staff, other_plant):
    assert fetch("stg", token_for(staff, "feed")).status_code == 200


@pytest.mark.parametrize("token", ["", "nonsense", "0" * 64])
def test_a_bad_token_is_not_found(plant, token):
    assert fetch("sz", token).status_code == 404


def test_a_revoked_token_is_not_found(api, viewer, plant):
    token = token_for(viewer, "feed")
    assert fetch("sz", token).status_code == 200

    api(viewer).delete(f"/api/auth/tokens/{token[:15]}/")

    assert fetch("sz", token).status_code == 404


def test_an_expired_token_is_not_found(viewer, plant):
    from django.utils import timezone

    from accounts.models import ApiToken

    token = token_for(viewer, "feed")
    ApiToken.objects.update(expiry=timezone.now() - datetime.timedelta(minutes=1))

    assert fetch("sz", token).status_code == 404


@pytest.mark.parametrize("scope", ["read_write", "read_only"])
def test_an_api_token_does_not_open_feeds(viewer, plant, scope):
    """API tokens stay out of URLs (and logs): only feed tokens open feeds."""
    assert fetch("sz", token_for(viewer, scope)).status_code == 404


def test_the_feed_url_from_the_api_works(api, viewer, plant):
    url = api(viewer).post("/api/auth/feed-token/", {"plant": "sz"}).json()["feed_url"]

    response = APIClient().get(url.removeprefix("http://testserver"))

    assert response.status_code == 200
    assert events(response)
