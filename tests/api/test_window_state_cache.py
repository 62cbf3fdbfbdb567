"""/api/plants/{code}/window-state/: deployment tools poll it, so the answer
is scored once per calendar revision, rollout revision, plant-local day and
language and then served from the shared cache. What a client notices: the
same answer as scoring now gives, a changed one as soon as the calendar or the
rollout changes, nothing of a plant it does not see, an answer with the
cache down."""

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from rest_framework.renderers import JSONRenderer

from accounts.cache import cache_health
from calendars.models import Blackout, Plant
from calendars.services import calendar_item_create
from rollout.api.serializers import WindowStateSerializer
from rollout.evaluation import window_state
from rollout.models import Rollout
from rollout.services import rollout_save
from tests.api.test_recommendations_stored_body import cache_down  # noqa: F401

pytestmark = pytest.mark.django_db


def url(rollout, code="sz") -> str:
    return f"/api/plants/{code}/window-state/?rollout={rollout.id}"


def scored(plant, rollout, language: str = "en") -> dict:
    """What window_state and its serializer give now."""
    plant = Plant.objects.get(pk=plant.pk)
    rollout = Rollout.objects.get(pk=rollout.pk)
    with translation.override(language):
        data = WindowStateSerializer(window_state(plant=plant, rollout=rollout)).data
        return json.loads(JSONRenderer().render(data))


def in_days(plant, n: int) -> datetime.date:
    return plant.local_today() + datetime.timedelta(days=n)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_poll_answers_what_scoring_gives_now(api, viewer, plant, rollout, language):
    client = api(viewer)

    first = client.get(url(rollout), HTTP_ACCEPT_LANGUAGE=language)
    again = client.get(url(rollout), HTTP_ACCEPT_LANGUAGE=language)

    assert first.status_code == again.status_code == 200
    assert first["Content-Type"] == again["Content-Type"] == "application/json"
    assert first.json() == again.json() == scored(plant, rollout, language)


def test_a_repeated_poll_reads_no_calendar(api, viewer, plant, rollout):
    client = api(viewer)
    client.get(url(rollout))  # scores it; also puts the token in the cache

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(rollout))

    assert again.status_code == 200
    # The one stamp query: no calendar item is read, nothing is scored.
    assert len(queries) == 1
    assert "blackout" not in queries[0]["sql"].lower()


def test_a_hard_blackout_added_through_the_calendar_closes_the_gate_at_once(
    api, viewer, plant, rollout
):
    client = api(viewer)
    assert client.get(url(rollout)).json()["allowed_today"] is True

    calendar_item_create(
        model=Blackout, plant=plant, name="Stock count", kind="stock_count",
        hard=True, start=in_days(plant, -3), end=in_days(plant, 10),
    )  # fmt: skip
    state = client.get(url(rollout)).json()

    assert state["allowed_today"] is False
    assert {c["name"] for c in state["blocking"]} == {"Stock count"}
    assert state == scored(plant, rollout)


def test_a_rollout_change_moves_the_gate_at_once(api, viewer, plant, rollout):
    client = api(viewer)
    assert client.get(url(rollout)).json()["allowed_today"] is True

    rollout.earliest_go_live = in_days(plant, 30)
    rollout_save(rollout=rollout)
    state = client.get(url(rollout)).json()

    assert state["allowed_today"] is False
    assert state["reason_codes"] == ["BEFORE_EARLIEST"]
    assert state["next_open"] == in_days(plant, 30).isoformat()


def test_a_user_of_another_plant_gets_404_once_the_answer_is_cached(
    api, viewer, other_manager, rollout
):
    api(viewer).get(url(rollout))

    response = api(other_manager).get(url(rollout))

    assert response.status_code == 404
    assert "allowed_today" not in response.json()


def test_a_rollout_taken_off_the_plant_is_refused_once_the_answer_is_cached(
    api, viewer, plant, other_plant, rollout
):
    client = api(viewer)
    client.get(url(rollout))

    rollout.plants.set([other_plant])
    response = client.get(url(rollout))

    assert response.status_code == 400
    assert "rollout" in response.json()


@pytest.mark.usefixtures("cache_down")
def test_with_the_cache_down_the_gate_still_answers(api, viewer, plant, rollout):
    client = api(viewer)

    response = client.get(url(rollout))

    assert response.status_code == 200
    assert response.json() == scored(plant, rollout)
    assert cache_health.stats()["cache_errors"] >= 1
