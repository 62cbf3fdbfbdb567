"""/api/plants/: everyone sees only the plants they are assigned to."""

import pytest

from tests.api.conftest import ROLES

pytestmark = pytest.mark.django_db


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


def test_plants_are_read_only(api, manager, plant):
    assert api(manager).delete("/api/plants/sz/").status_code == 405


def test_plants_filter_by_country(api, staff, plant, other_plant):
    response = api(staff).get("/api/plants/", {"country": "DE"})

    assert [p["code"] for p in response.json()["results"]] == ["stg"]
