"""/api/plants/: everyone sees only the plants they are assigned to."""

import pytest

from calendars.models import Plant
from proposals.models import GoLiveProposal
from tests.api.conftest import ROLES, make_rollout

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_process_tasks")]


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_a_member_lists_only_their_plants(api, users, plant, other_plant, role):
    response = api(users[role]).get("/api/plants/")

    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["sz"]


def test_staff_list_every_plant(api, staff, plant, other_plant):
    response = api(staff).get("/api/plants/")

    assert [p["code"] for p in response.json()["results"]] == ["stg", "sz"]


@pytest.mark.parametrize("role", ROLES)
def test_the_detail_has_the_contract_fields(api, users, plant, role):
    response = api(users[role]).get("/api/plants/sz/")

    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "sz"
    assert body["name"] == "Suzhou"
    assert body["timezone"] == "Asia/Shanghai"
    assert body["country"] == "CN"
    assert body["subdivision"] == ""
    assert body["calendar_revision"] == plant.calendar_revision


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plant_is_not_found(api, users, other_plant, role):
    assert api(users[role]).get("/api/plants/stg/").status_code == 404


def test_an_unknown_plant_is_not_found_the_same_way(api, viewer, other_plant):
    hidden = api(viewer).get("/api/plants/stg/")
    missing = api(viewer).get("/api/plants/nope/")

    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_anonymous_is_unauthorised(anon, plant):
    assert anon.get("/api/plants/").status_code == 401
    assert anon.get("/api/plants/sz/").status_code == 401


def test_a_manager_may_not_delete_their_plant(api, manager, plant):
    assert api(manager).delete("/api/plants/sz/").status_code == 403
    assert Plant.objects.filter(code="sz").exists()


def test_plants_filter_by_country(api, staff, plant, other_plant):
    response = api(staff).get("/api/plants/", {"country": "DE"})

    assert [p["code"] for p in response.json()["results"]] == ["stg"]


# --- writes -----------------------------------------------------------------

NEW_PLANT = {
    "code": "pune",
    "name": "Pune",
    "timezone": "Asia/Kolkata",
    "country": "IN",
    "fiscal_year_end_month": 3,
    "close_last_days": 2,
    "close_first_days": 1,
}


def test_staff_create_a_plant(api, staff):
    response = api(staff).post("/api/plants/", NEW_PLANT, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"] == "pune"
    assert body["fiscal_pattern"] == "months"
    assert body["fiscal_year_end_month"] == 3
    pune = Plant.objects.get(code="pune")
    assert (pune.country, pune.close_last_days, pune.close_first_days) == ("IN", 2, 1)
    # April-March years: the plant's fiscal year 2027 starts on 2026-04-01.
    periods = api(staff).get(
        "/api/plants/pune/fiscal-periods/", {"start": "2026-04-01", "end": "2026-04-30"}
    )
    assert periods.json() == [
        {
            "year": 2027,
            "quarter": 1,
            "period": 1,
            "start": "2026-04-01",
            "end": "2026-04-30",
        }
    ]


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_only_staff_create_plants(api, users, role):
    response = api(users[role]).post("/api/plants/", NEW_PLANT, format="json")

    assert response.status_code == 403
    assert not Plant.objects.filter(code="pune").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Asia/Suzhou"),
        ("country", "XX"),
        ("subdivision", "ZZ"),
        ("fiscal_pattern", "4-4-4"),
        ("fiscal_year_end_month", 13),
        ("close_last_days", 21),
    ],
)
def test_a_bad_setting_is_a_400_naming_its_field(api, manager, plant, field, value):
    before = plant.calendar_revision

    response = api(manager).patch("/api/plants/sz/", {field: value}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == [field]
    plant.refresh_from_db()
    assert plant.calendar_revision == before
    assert getattr(plant, field) != value


def test_a_week_pattern_needs_its_week_end_day(api, manager, plant):
    response = api(manager).patch(
        "/api/plants/sz/", {"fiscal_pattern": "4-4-5"}, format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == ["fiscal_week_end_day"]


def test_a_manager_changes_the_settings_and_the_calendar_follows(
    api, manager, plant, rollout, django_capture_on_commit_callbacks
):
    before = plant.calendar_revision
    with django_capture_on_commit_callbacks(execute=True):
        response = api(manager).patch(
            "/api/plants/sz/",
            {
                "weekend_days": [6],
                "close_last_days": 1,
                "close_first_days": 0,
                "subdivision": "",
            },
            format="json",
        )

    assert response.status_code == 200, response.json()
    assert response.json()["calendar_revision"] == before + 1
    # Saturdays are working days now, and the last working day of each month
    # is a period close.
    days = (
        api(manager)
        .get("/api/plants/sz/calendar/", {"start": "2027-07-30", "end": "2027-08-02"})
        .json()
    )
    assert [(d["date"], d["is_working"], d["blackouts"]) for d in days] == [
        ("2027-07-30", True, []),
        ("2027-07-31", True, ["period close FY2027 P07"]),
        ("2027-08-01", False, []),
        ("2027-08-02", True, []),
    ]
    # The change rebuilt the recommendations (the eager task ran after commit).
    recommendations = (
        api(manager)
        .get("/api/plants/sz/recommendations/", {"rollout": rollout.pk})
        .json()
    )
    assert recommendations["built_from_revision"] == before + 1


def test_a_manager_of_another_plant_does_not_find_it(api, other_manager, plant):
    response = api(other_manager).patch(
        "/api/plants/sz/", {"name": "Mine now"}, format="json"
    )

    assert response.status_code == 404
    plant.refresh_from_db()
    assert plant.name == "Suzhou"


@pytest.mark.parametrize("role", ["it_lead", "viewer"])
def test_other_roles_may_not_change_settings(api, users, plant, role):
    response = api(users[role]).patch("/api/plants/sz/", {"name": "X"}, format="json")

    assert response.status_code == 403
    plant.refresh_from_db()
    assert plant.name == "Suzhou"


def test_the_code_stays(api, manager, plant):
    response = api(manager).patch("/api/plants/sz/", {"code": "sz2"}, format="json")

    assert response.status_code == 200
    assert Plant.objects.filter(code="sz").exists()


def test_a_plant_with_proposals_is_not_deleted(api, staff, it_lead, plant, rollout):
    GoLiveProposal.objects.create(
        rollout=rollout,
        plant=plant,
        go_live=plant.local_today(),
        proposer=it_lead,
        contingency_fallback="Legacy MES.",
    )

    response = api(staff).delete("/api/plants/sz/")

    assert response.status_code == 409
    assert response.json()["reasons"] == [
        "The plant has 1 go-live proposal; deleting it would erase its history."
    ]
    assert Plant.objects.filter(code="sz").exists()


def test_a_plant_without_proposals_is_deleted(api, staff, plant, other_plant):
    make_rollout("Both", [plant, other_plant])

    assert api(staff).delete("/api/plants/sz/").status_code == 204
    assert not Plant.objects.filter(code="sz").exists()
    assert api(staff).get("/api/plants/sz/").status_code == 404


def test_a_stranger_deleting_gets_404(api, other_manager, plant):
    assert api(other_manager).delete("/api/plants/sz/").status_code == 404
    assert Plant.objects.filter(code="sz").exists()
