"""/api/plants/{code}/calendar/: one object per plant-local day."""

import datetime

import pytest

from tests.factories import BlackoutFactory, MilestoneFactory, PeakSeasonFactory

pytestmark = pytest.mark.django_db

URL = "/api/plants/sz/calendar/"
FIELDS = {
    "date", "is_working", "reason", "provisional", "utilisation", "peak_severity",
    "seasons", "milestones", "blackouts", "forbidden",
}  # fmt: skip


def test_every_day_has_the_contract_fields(api, viewer, plant):
    response = api(viewer).get(URL, {"start": "2026-09-28", "end": "2026-10-04"})

    assert response.status_code == 200
    days = response.json()
    assert [d["date"] for d in days] == [f"2026-{d}" for d in
        ("09-28", "09-29", "09-30", "10-01", "10-02", "10-03", "10-04")]  # fmt: skip
    assert all(FIELDS <= set(day) for day in days)
    national_day = days[3]
    assert national_day["is_working"] is False
    assert "National Day" in national_day["reason"]
    assert days[0]["is_working"] is True
    assert days[0]["utilisation"] == pytest.approx(0.7)


def test_seasons_milestones_and_blackouts_are_lists_of_names(api, viewer, plant):
    PeakSeasonFactory(
        plant=plant,
        name="Peak, with a comma",
        severity=5,
        hard=True,
        start=datetime.date(2026, 9, 1),
        end=datetime.date(2026, 9, 30),
    )
    PeakSeasonFactory(
        plant=None,
        name="Company peak",
        severity=2,
        start=datetime.date(2026, 9, 10),
        end=datetime.date(2026, 9, 12),
    )
    MilestoneFactory(
        plant=plant,
        name="SOP",
        start=datetime.date(2026, 9, 14),
        end=datetime.date(2026, 9, 14),
        freeze_before_days=3,
    )
    BlackoutFactory(plant=plant, name="Month-end close")  # fmt: skip

    response = api(viewer).get(URL, {"start": "2026-09-10", "end": "2026-09-30"})

    by_date = {d["date"]: d for d in response.json()}
    assert by_date["2026-09-10"]["seasons"] == ["Peak, with a comma", "Company peak"]
    assert by_date["2026-09-10"]["peak_severity"] == 5
    assert by_date["2026-09-10"]["forbidden"] is True
    assert by_date["2026-09-11"]["milestones"] == ["SOP"]  # the freeze buffer
    assert by_date["2026-09-15"]["milestones"] == []
    assert by_date["2026-09-29"]["blackouts"] == ["Month-end close"]
    assert by_date["2026-09-28"]["blackouts"] == []


def test_the_default_range_is_90_days_from_today(api, viewer, plant):
    days = api(viewer).get(URL).json()

    assert len(days) == 90
    assert days[0]["date"] == plant.local_today().isoformat()


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-01-01", "end": "2028-03-11"}, "end"),  # 801 days
        ({"start": "2026-02-01", "end": "2026-01-01"}, "end"),
        ({"start": "tomorrow"}, "start"),
        ({"start": "9999-12-31"}, "start"),
        ({"start": "", "end": "2026-03-01"}, "start"),  # a blank form field
    ],
)
def test_a_bad_or_too_long_range_is_a_clear_400(api, viewer, plant, query, field):
    response = api(viewer).get(URL, query)

    assert response.status_code == 400
    assert field in response.json()


def test_800_days_is_allowed(api, viewer, plant):
    response = api(viewer).get(URL, {"start": "2026-01-01", "end": "2028-03-10"})

    assert response.status_code == 200
    assert len(response.json()) == 800


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_every_role_that_sees_the_plant_reads_it(api, users, plant, role):
    assert api(users[role]).get(URL).status_code == 200


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_calendar_is_not_found(api, users, other_plant, role):
    assert api(users[role]).get("/api/plants/stg/calendar/").status_code == 404


def test_anonymous_is_unauthorised(anon, plant):
    assert anon.get(URL).status_code == 401
