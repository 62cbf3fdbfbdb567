"""/api/rollouts/: IT leads plan rollouts for their plants; others read the
rollouts touching their plants, and never see the other plants' codes."""

import pytest

from rollout.models import Rollout
from tests.api.conftest import make_rollout

pytestmark = pytest.mark.django_db

NEW = {
    "name": "SAP S/4HANA",
    "kind": "erp",
    "plants": ["sz"],
    "training_days": 15,
    "cutover_days": 4,
    "hypercare_days": 20,
    "earliest_go_live": "2027-03-01",
    "latest_go_live": "2027-12-31",
}


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_lists_hold_the_rollouts_touching_ones_plants(
    api, users, rollout, other_rollout, role
):
    response = api(users[role]).get("/api/rollouts/")

    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [rollout.id]


def test_a_shared_rollout_lists_only_the_plants_one_sees(
    api, viewer, plant, other_plant
):
    shared = make_rollout("Shared", [plant, other_plant])

    body = api(viewer).get(f"/api/rollouts/{shared.id}/").json()

    assert body["plants"] == ["sz"]
    assert api(viewer).get("/api/rollouts/", {"plant": "stg"}).json()["count"] == 0


def test_staff_see_every_rollout(api, staff, rollout, other_rollout):
    assert api(staff).get("/api/rollouts/").json()["count"] == 2


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_the_detail_has_the_contract_fields(api, users, rollout, role):
    body = api(users[role]).get(f"/api/rollouts/{rollout.id}/").json()

    assert body["id"] == rollout.id
    assert body["plants"] == ["sz"]
    for field in ("name", "kind", "training_days", "cutover_days", "hypercare_days",
                  "earliest_go_live", "latest_go_live"):  # fmt: skip
        assert field in body


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_rollout_is_not_found(api, users, other_rollout, role):
    client = api(users[role])
    url = f"/api/rollouts/{other_rollout.id}/"

    assert client.get(url).status_code == 404
    assert client.patch(url, {"name": "x"}).status_code in (403, 404)


def test_an_it_lead_creates_a_rollout(
    api, it_lead, plant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = api(it_lead).post("/api/rollouts/", NEW)

    assert response.status_code == 201, response.json()
    body = response.json()
    for field, value in NEW.items():
        assert body[field] == value
    rollout = Rollout.objects.get(pk=body["id"])
    assert rollout.created_by == it_lead
    assert rollout.profile.name == "Default"


def test_an_it_lead_updates_a_rollout_and_its_revision_moves(api, it_lead, rollout):
    response = api(it_lead).patch(f"/api/rollouts/{rollout.id}/", {"cutover_days": 5})

    assert response.status_code == 200, response.json()
    assert response.json()["cutover_days"] == 5
    assert response.json()["revision"] == rollout.revision + 1


def test_model_validation_errors_name_the_field(api, it_lead, plant):
    bad = NEW | {"latest_go_live": "2027-01-01"}

    response = api(it_lead).post("/api/rollouts/", bad)

    assert response.status_code == 400
    assert "latest_go_live" in response.json()


def test_a_duplicate_name_is_a_400(api, it_lead, rollout):
    response = api(it_lead).post("/api/rollouts/", NEW | {"name": rollout.name})

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("role", ["manager", "viewer", "staff"])
def test_only_it_leads_plan_rollouts(api, users, rollout, role):
    client = api(users[role])

    assert client.post("/api/rollouts/", NEW).status_code == 403
    response = client.patch(f"/api/rollouts/{rollout.id}/", {"name": "x"})
    assert response.status_code == 403


def test_an_it_lead_cannot_plan_for_a_plant_they_do_not_see(api, it_lead, other_plant):
    response = api(it_lead).post("/api/rollouts/", NEW | {"plants": ["sz", "stg"]})

    assert response.status_code == 400
    assert "plants" in response.json()
    assert not Rollout.objects.exists()


def test_an_it_lead_cannot_change_a_rollout_spanning_other_plants(
    api, it_lead, plant, other_plant
):
    shared = make_rollout("Shared", [plant, other_plant])

    response = api(it_lead).patch(f"/api/rollouts/{shared.id}/", {"cutover_days": 9})

    assert response.status_code == 403


def test_an_it_lead_at_both_plants_plans_a_rollout_spanning_them(
    api, it_lead, plant, other_plant
):
    other_plant.members.add(it_lead)  # roles are global; membership picks plants

    response = api(it_lead).post("/api/rollouts/", NEW | {"plants": ["sz", "stg"]})

    assert response.status_code == 201
    assert response.json()["plants"] == ["stg", "sz"]


def test_a_read_only_token_cannot_create(api, it_lead, plant):
    assert api(it_lead, "read_only").post("/api/rollouts/", NEW).status_code == 403


def test_rollouts_cannot_be_deleted(api, it_lead, rollout):
    assert api(it_lead).delete(f"/api/rollouts/{rollout.id}/").status_code == 405


def test_rollouts_filter_by_kind_and_active(api, viewer, plant, rollout):
    make_rollout("Old WMS", [plant], kind="wms", active=False)
    client = api(viewer)

    assert client.get("/api/rollouts/", {"kind": "wms"}).json()["count"] == 1
    assert client.get("/api/rollouts/", {"active": "true"}).json()["count"] == 1
    assert client.get("/api/rollouts/", {"plant": "sz"}).json()["count"] == 2


def test_anonymous_is_unauthorised(anon, rollout):
    assert anon.get("/api/rollouts/").status_code == 401
    assert anon.get(f"/api/rollouts/{rollout.id}/").status_code == 401
