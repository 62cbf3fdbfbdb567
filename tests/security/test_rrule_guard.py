"""Hardening, finding 2: a blackout's recurrence rule cannot exhaust the server.

Rules of seconds, minutes or hours, times of day, absurd intervals and counts
are refused on the `rrule` field (Blackout.clean, so by the API, the pages and
the admin alike); a rule that slipped into the database before the guard
expands to nothing instead of hanging the plant's calendar and its rebuild,
and any rule expands to at most OFFPEAK_RRULE_MAX_OCCURRENCES dates per window.
"""

import datetime
import time

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from accounts.permissions import PLANT_MANAGER
from calendars import services
from calendars.models import Blackout
from calendars.recurrence import rrule_dates
from rollout.services import plant_recommendations_rebuild
from tests.api.conftest import make_rollout, token_client
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

D = datetime.date
URL = "/api/blackouts/"


@pytest.fixture
def plant():
    return services.plant_create(
        code="sz", name="Suzhou", timezone="Asia/Shanghai", country="CN"
    )


@pytest.fixture
def manager(plant):
    user = UserFactory(username="manager")
    user.groups.add(Group.objects.get(name=PLANT_MANAGER))
    plant.members.add(user)
    return user


@pytest.fixture
def api(manager):
    return token_client(manager)


def payload(rrule: str, **fields) -> dict:
    return {
        "plant": "sz",
        "name": "Month-end close",
        "kind": "month_end",
        "start": "2026-01-01",
        "end": None,
        "rrule": rrule,
        "duration_days": 1,
        "hard": True,
        **fields,
    }


def stored(plant, rrule: str, start: D, end: D | None = None) -> Blackout:
    """A blackout whose rule got into the database without validation."""
    blackout = services.calendar_item_create(
        model=Blackout,
        plant=plant,
        name="Legacy freeze",
        kind=Blackout.Kind.IT_FREEZE,
        start=start,
        end=end,
        rrule="FREQ=MONTHLY;BYMONTHDAY=1",
        hard=True,
    )
    Blackout.objects.filter(pk=blackout.pk).update(rrule=rrule)
    blackout.refresh_from_db()
    return blackout


# --- refused at the door ----------------------------------------------------


@pytest.mark.parametrize("freq", ["SECONDLY", "MINUTELY", "HOURLY"])
def test_sub_daily_frequencies_are_refused_on_the_rrule_field(api, plant, freq):
    response = api.post(URL, payload(f"FREQ={freq};UNTIL=20260102"), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["rrule"]
    assert f"FREQ={freq} is not allowed" in response.json()["rrule"][0]
    assert not Blackout.objects.exists()


@pytest.mark.parametrize("part", ["BYHOUR=9", "BYMINUTE=0,30", "BYSECOND=1"])
def test_times_of_day_are_refused(api, plant, part):
    response = api.post(URL, payload(f"FREQ=DAILY;{part}"), format="json")

    assert response.status_code == 400
    name = part.split("=")[0]
    assert response.json() == {
        "rrule": [f"{name} is not allowed: blackouts are whole days."]
    }


def test_a_count_above_the_cap_is_refused(api, plant, settings):
    settings.OFFPEAK_RRULE_MAX_OCCURRENCES = 50

    response = api.post(URL, payload("FREQ=DAILY;COUNT=51"), format="json")

    assert response.status_code == 400
    assert "COUNT=51" in response.json()["rrule"][0]
    assert (
        api.post(URL, payload("FREQ=DAILY;COUNT=50"), format="json").status_code == 201
    )


@pytest.mark.parametrize(
    "rrule",
    ["FREQ=DAILY;INTERVAL=0", "FREQ=WEEKLY;INTERVAL=-1", "FREQ=YEARLY;INTERVAL=500"],
)
def test_absurd_intervals_are_refused(api, plant, rrule):
    response = api.post(URL, payload(rrule), format="json")

    assert response.status_code == 400
    assert response.json()["rrule"][0].startswith("INTERVAL=")


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=DAILY\nRRULE:FREQ=SECONDLY",
        "FREQ=DAILY;FREQ=SECONDLY",
        "RRULE:FREQ=MINUTELY",
    ],
)
def test_a_second_rule_cannot_smuggle_a_fast_one_in(api, plant, rrule):
    response = api.post(URL, payload(rrule), format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["rrule"]


def test_model_validation_refuses_it_for_the_pages_and_the_admin_too(plant):
    blackout = Blackout(
        plant=plant,
        name="Storm",
        kind=Blackout.Kind.OTHER,
        start=D(2026, 1, 1),
        rrule="FREQ=SECONDLY",
    )

    with pytest.raises(ValidationError) as error:
        blackout.full_clean()

    assert list(error.value.message_dict) == ["rrule"]


def test_a_monthly_rule_still_works(api, plant):
    response = api.post(
        URL,
        payload("RRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1"),
        format="json",
    )

    assert response.status_code == 201
    assert (
        response.json()["rrule"] == "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1"
    )
    blackout = Blackout.objects.get()
    assert blackout.occurrences(D(2026, 3, 1), D(2026, 3, 31)) == [
        (D(2026, 3, 30), D(2026, 3, 30)),
        (D(2026, 3, 31), D(2026, 3, 31)),
    ]


# --- a bad rule already stored ----------------------------------------------


def test_a_stored_secondly_rule_does_not_slow_the_calendar(api, plant, caplog):
    stored(plant, "FREQ=SECONDLY", D(2026, 3, 2), D(2026, 3, 3))

    began = time.monotonic()
    response = api.get(
        "/api/plants/sz/calendar/", {"start": "2026-03-01", "end": "2026-05-29"}
    )
    took = time.monotonic() - began

    assert response.status_code == 200
    assert took < 2
    assert not any(day["blackouts"] for day in response.json())
    assert "FREQ=SECONDLY" in caplog.text


def test_a_stored_secondly_rule_does_not_block_a_rebuild(plant):
    today = plant.local_today()
    stored(plant, "FREQ=SECONDLY", today, today + datetime.timedelta(days=1))
    make_rollout("MES 2.0", [plant])

    began = time.monotonic()
    outcome = plant_recommendations_rebuild(plant_id=plant.id, force=True)

    assert outcome.rebuilt
    assert time.monotonic() - began < 10


def test_an_unbounded_stored_secondly_rule_has_no_occurrences(plant):
    blackout = stored(plant, "FREQ=SECONDLY", D(2026, 1, 1))

    assert blackout.occurrences(D(2026, 1, 1), D(2027, 12, 31)) == []


def test_a_stored_rule_that_dateutil_rejects_has_no_occurrences(plant):
    blackout = stored(plant, "FREQ=SOMETIMES", D(2026, 1, 1))

    assert blackout.occurrences(D(2026, 1, 1), D(2027, 12, 31)) == []


# --- bounded expansion ------------------------------------------------------


def test_an_unbounded_daily_rule_expands_at_most_the_cap(plant, settings, caplog):
    settings.OFFPEAK_HORIZON_DAYS = 730
    settings.OFFPEAK_RRULE_MAX_OCCURRENCES = 100
    blackout = services.calendar_item_create(
        model=Blackout,
        plant=plant,
        name="Every day",
        kind=Blackout.Kind.OTHER,
        start=D(2026, 1, 1),
        rrule="FREQ=DAILY",
    )

    spans = blackout.occurrences(D(2026, 1, 1), D(2026, 1, 1) + datetime.timedelta(729))

    assert len(spans) == 100
    assert spans[0] == (D(2026, 1, 1), D(2026, 1, 1))
    assert "stopped at 100" in caplog.text


def test_the_default_cap_covers_two_years_of_days(plant):
    assert (
        len(rrule_dates("FREQ=DAILY", D(2026, 1, 1), D(2026, 1, 1), D(2027, 12, 31)))
        == 730
    )


def test_a_rule_that_never_matches_does_not_scan_to_year_9999():
    began = time.monotonic()

    dates = rrule_dates(
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",
        D(2026, 1, 1),
        D(2026, 1, 1),
        D(2027, 12, 31),
    )

    assert dates == []
    assert time.monotonic() - began < 0.5  # dateutil alone: about 3 s


def test_a_bounded_rule_still_reaches_the_end_of_the_window():
    dates = rrule_dates(
        "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31",
        D(2026, 1, 1),
        D(2026, 1, 1),
        D(2027, 12, 31),
    )

    assert dates == [D(2026, 12, 31), D(2027, 12, 31)]
