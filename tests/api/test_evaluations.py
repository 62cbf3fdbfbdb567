"""POST /api/evaluations/: score one go-live date; read-only semantics."""

import datetime

import pytest

from rollout.models import RecommendationSet
from tests.factories import MilestoneFactory

pytestmark = pytest.mark.django_db

URL = "/api/evaluations/"


def body(plant, rollout, days_ahead=60, **extra) -> dict:
    go_live = plant.local_today() + datetime.timedelta(days=days_ahead)
    return {"plant": plant.code, "rollout": rollout.id,
            "go_live": go_live.isoformat(), **extra}  # fmt: skip


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer", "staff"])
def test_every_role_evaluates_a_date(api, users, plant, rollout, role):
    response = api(users[role]).post(URL, body(plant, rollout))

    assert response.status_code == 200, response.json()
    result = response.json()
    assert set(result) >= {
        *("go_live", "feasible", "score", "cost", "percentile"),
        *("phases", "conflicts", "alternatives", "fallback"),
    }
    assert result["feasible"] is True
    assert 0 <= result["score"] <= 100
    assert [p["name"] for p in result["phases"]] == ["training", "cutover", "hypercare"]
    assert len(result["alternatives"]) == 3
    assert all(set(a) >= {"go_live", "score", "feasible", "phases"}
               for a in result["alternatives"])  # fmt: skip


def test_conflicts_name_what_the_date_collides_with(api, viewer, plant, rollout):
    go_live = plant.local_today() + datetime.timedelta(days=60)
    MilestoneFactory(plant=plant, name="SOP", hard=True, start=go_live, end=go_live)

    result = api(viewer).post(URL, body(plant, rollout)).json()

    assert result["feasible"] is False
    assert result["percentile"] is None
    conflict = next(c for c in result["conflicts"] if c["name"] == "SOP")
    assert {"kind", "name", "phase", "start", "end", "hard"} <= set(conflict)
    assert conflict["kind"] == "milestone"
    assert conflict["hard"] is True
    assert result["reasons"]


def test_a_read_only_token_may_evaluate(api, viewer, manager, plant, rollout):
    assert api(viewer, "read_only").post(URL, body(plant, rollout)).status_code == 200
    assert api(manager, "read_only").post(URL, body(plant, rollout)).status_code == 200


def test_a_feed_token_may_not(api, viewer, plant, rollout):
    assert api(viewer, "feed").post(URL, body(plant, rollout)).status_code == 403


def test_anonymous_is_unauthorised(anon, plant, rollout):
    assert anon.post(URL, body(plant, rollout)).status_code == 401


@pytest.mark.parametrize("role", ["manager", "it_lead", "viewer"])
def test_another_plant_is_reported_like_an_unknown_one(
    api, users, other_plant, other_rollout, role
):
    client = api(users[role])

    hidden = client.post(URL, body(other_plant, other_rollout))
    unknown = client.post(URL, body(other_plant, other_rollout) | {"plant": "nope"})

    assert hidden.status_code == unknown.status_code == 400
    assert set(hidden.json()) == set(unknown.json()) == {"plant"}


def test_a_rollout_of_another_plant_is_a_400(api, viewer, plant, other_rollout):
    response = api(viewer).post(URL, body(plant, other_rollout))

    assert response.status_code == 400
    assert "rollout" in response.json()


def test_a_date_outside_the_horizon_is_a_400_on_go_live(api, viewer, plant, rollout):
    response = api(viewer).post(URL, body(plant, rollout, days_ahead=-1))

    assert response.status_code == 400
    assert "horizon" in response.json()["go_live"][0]


def test_missing_fields_are_named(api, viewer, plant):
    response = api(viewer).post(URL, {})

    assert response.status_code == 400
    assert set(response.json()) == {"plant", "rollout", "go_live"}


def test_evaluating_stores_nothing(api, viewer, plant, rollout):
    revision = plant.calendar_revision

    api(viewer).post(URL, body(plant, rollout))

    assert not RecommendationSet.objects.exists()
    plant.refresh_from_db()
    assert plant.calendar_revision == revision
