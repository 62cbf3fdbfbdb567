"""/api/plants/{code}/window-state/?rollout=: may a cutover start today?"""

import datetime

import pytest

from tests.api.conftest import make_rollout
from tests.factories import BlackoutFactory

pytestmark = pytest.mark.django_db


def url(rollout, code="sz") -> str:
    return f"/api/plants/{code}/window-state/?rollout={rollout.id}"


def in_days(plant, n: int) -> datetime.date:
    return plant.local_today() + datetime.timedelta(days=n)


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_a_quiet_calendar_allows_a_go_live_today(api, users, plant, rollout, role):
    response = api(users[role]).get(url(rollout))

    assert response.status_code == 200
    state = response.json()
    assert state["allowed_today"] is True
    assert state["today"] == plant.local_today().isoformat()
    assert state["next_open"] == state["today"]
    assert state["next_close"] is None
    assert state["reasons"] == state["blocking"] == []


def test_a_hard_blackout_closes_the_gate_and_says_why(api, viewer, plant, rollout):
    BlackoutFactory(plant=plant, name="Stock count", hard=True, rrule="",
                    start=in_days(plant, -3), end=in_days(plant, 10))  # fmt: skip

    state = api(viewer).get(url(rollout)).json()

    assert state["allowed_today"] is False
    assert "HARD_CONFLICT_CUTOVER" in state["reason_codes"]
    assert state["reasons"]
    assert {c["name"] for c in state["blocking"]} == {"Stock count"}
    # The two cutover days end on the go-live day: the first go-live whose
    # cutover clears the blackout (ends day 10) is day 12.
    assert state["next_open"] == in_days(plant, 12).isoformat()
    assert state["next_close"] is None


def test_the_earliest_go_live_opens_the_gate(api, viewer, plant):
    rollout = make_rollout("Later", [plant], earliest_go_live=in_days(plant, 30),
                           latest_go_live=in_days(plant, 40))  # fmt: skip

    state = api(viewer).get(url(rollout)).json()

    assert state["allowed_today"] is False
    assert state["reason_codes"] == ["BEFORE_EARLIEST"]
    assert state["next_open"] == in_days(plant, 30).isoformat()
    assert state["next_close"] == in_days(plant, 41).isoformat()


def test_training_before_today_counts(api, viewer, plant):
    """Today's phases reach back before today: the gate looks there too."""
    rollout = make_rollout("Long training", [plant], training_days=40)

    assert api(viewer).get(url(rollout)).json()["allowed_today"] is True


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plants_state_is_not_found(
    api, users, other_plant, other_rollout, role
):
    assert api(users[role]).get(url(other_rollout, "stg")).status_code == 404


def test_a_rollout_not_at_the_plant_is_a_400(api, viewer, plant, other_rollout):
    response = api(viewer).get(url(other_rollout))

    assert response.status_code == 400
    assert "rollout" in response.json()


def test_the_rollout_is_required(api, viewer, plant):
    response = api(viewer).get("/api/plants/sz/window-state/")

    assert response.status_code == 400
    assert "rollout" in response.json()


def test_anonymous_is_unauthorised(anon, rollout):
    assert anon.get(url(rollout)).status_code == 401
