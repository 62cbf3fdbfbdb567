"""Plant managers keep seasons, milestones, blackouts and closures; every
save goes through the calendar services (revision bump)."""

import pytest

from calendars.models import Blackout, CalendarException, Milestone, PeakSeason
from tests.factories import PeakSeasonFactory

pytestmark = pytest.mark.django_db


def test_it_lists_every_kind_of_calendar_item(login, viewer, plant):
    html = login(viewer).get("/plants/sz/data/").content.decode()
    for text in ("Peak seasons", "Milestones", "Blackouts", "Closures"):
        assert text in html
    assert "Spring peak" in html and "SOP gen 3" in html and "Month-end close" in html
    assert "Edit" not in html  # viewers read only


def test_a_manager_adds_a_season_and_the_revision_moves(login, manager, plant):
    before = plant.calendar_revision
    response = login(manager).post(
        "/plants/sz/data/seasons/new/",
        {
            "name": "Golden week rush",
            "start": "2027-09-20",
            "end": "2027-10-10",
            "severity": 5,
        },
    )
    assert response.status_code == 302
    season = PeakSeason.objects.get(name="Golden week rush")
    assert season.plant == plant
    plant.refresh_from_db()
    assert plant.calendar_revision == before + 1


def test_errors_are_shown_next_to_the_field(login, manager, plant):
    response = login(manager).post(
        "/plants/sz/data/milestones/new/",
        {
            "name": "Audit",
            "kind": "audit",
            "start": "2027-05-10",
            "end": "2027-05-01",
            "criticality": 3,
            "freeze_before_days": 0,
            "freeze_after_days": 0,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_end_error"' in html
    assert "The end is before the start." in html
    assert not Milestone.objects.filter(name="Audit").exists()


def test_a_blackout_needs_an_end_or_a_rule(login, manager, plant):
    response = login(manager).post(
        "/plants/sz/data/blackouts/new/",
        {"name": "Stock count", "kind": "stock_count", "start": "2027-06-30",
         "duration_days": 1},
    )  # fmt: skip
    assert "Give an end date or a recurrence rule." in response.content.decode()
    response = login(manager).post(
        "/plants/sz/data/blackouts/new/",
        {"name": "Stock count", "kind": "stock_count", "start": "2027-06-30",
         "rrule": "FREQ=BOGUS", "duration_days": 1},
    )  # fmt: skip
    assert "Not a valid RRULE" in response.content.decode()
    assert not Blackout.objects.filter(name="Stock count").exists()


def test_a_manager_edits_and_deletes_a_closure(login, manager, plant):
    client = login(manager)
    client.post(
        "/plants/sz/data/closures/new/",
        {"kind": "closure", "name": "CNY shutdown", "start": "2027-02-05",
         "end": "2027-02-14"},
    )  # fmt: skip
    closure = CalendarException.objects.get(name="CNY shutdown")
    client.post(
        f"/plants/sz/data/closures/{closure.pk}/",
        {"kind": "closure", "name": "CNY shutdown", "start": "2027-02-05",
         "end": "2027-02-16"},
    )  # fmt: skip
    closure.refresh_from_db()
    assert str(closure.end) == "2027-02-16"
    assert (
        client.get(f"/plants/sz/data/closures/{closure.pk}/delete/").status_code == 200
    )
    client.post(f"/plants/sz/data/closures/{closure.pk}/delete/")
    assert not CalendarException.objects.filter(pk=closure.pk).exists()


def test_company_wide_seasons_are_read_only_for_managers(login, manager, plant):
    season = PeakSeasonFactory(plant=None, name="Q4 peak")
    client = login(manager)
    assert "Q4 peak" in client.get("/plants/sz/data/").content.decode()
    assert client.get(f"/plants/sz/data/seasons/{season.pk}/").status_code == 403
    assert (
        client.post(f"/plants/sz/data/seasons/{season.pk}/delete/").status_code == 403
    )


def test_another_plants_item_is_not_found(login, manager, other_plant):
    season = PeakSeasonFactory(plant=other_plant)
    client = login(manager)
    assert client.get(f"/plants/sz/data/seasons/{season.pk}/").status_code == 404
    assert client.get(f"/plants/stg/data/seasons/{season.pk}/").status_code == 404


def test_an_unknown_kind_is_not_found(login, manager, plant):
    assert login(manager).get("/plants/sz/data/holidays/new/").status_code == 404
