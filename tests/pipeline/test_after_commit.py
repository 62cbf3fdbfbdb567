"""A change queues its plant's rebuild once, after commit, and never fails on
the broker's account. No worker needed: runs on SQLite too."""

import datetime
import logging
from unittest import mock

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from calendars import services as calendar_services
from calendars.models import Milestone, PeakSeason, Plant
from rollout import services
from rollout.models import Rollout
from rollout.selectors import recommendation_list
from rollout.tasks import rebuild_plant_chunk, rebuild_plants, stale_plant_ids
from tests.pipeline.conftest import (
    committed_db,
    company_wide_season,
    nothing_queued,
    plant_with_rollouts,
)

pytestmark = committed_db


class Boom(Exception):
    pass


@pytest.fixture
def delay():
    with mock.patch("rollout.tasks.rebuild_recommendations.delay") as delay:
        yield delay


@pytest.fixture
def plant():
    plant, _ = plant_with_rollouts(code="wire")
    return plant


def _milestone(plant: Plant) -> Milestone:
    return Milestone.objects.get(plant=plant)


def _shift(milestone: Milestone, days: int) -> Milestone:
    shift = datetime.timedelta(days=days)
    return calendar_services.calendar_item_update(
        item=milestone, start=milestone.start + shift, end=milestone.end + shift
    )


def test_a_rolled_back_change_queues_nothing(plant, delay):
    with pytest.raises(Boom), transaction.atomic():
        _shift(_milestone(plant), 7)
        raise Boom

    delay.assert_not_called()
    assert Plant.objects.get(pk=plant.pk).calendar_revision == plant.calendar_revision


def test_a_committed_change_queues_one_rebuild_after_commit(plant, delay):
    with transaction.atomic():
        _shift(_milestone(plant), 7)
        delay.assert_not_called()  # not while the transaction is open

    delay.assert_called_once_with(plant.id, False)


def test_a_company_wide_season_queues_each_plant_once(plant, delay):
    other, _ = plant_with_rollouts(code="wire2")

    company_wide_season()

    assert sorted(c.args for c in delay.call_args_list) == [
        (plant.id, False),
        (other.id, False),
    ]


def test_a_change_to_many_plants_queues_one_fan_out_that_queues_chunks_of_plants(
    plant, delay, monkeypatch
):
    """Past FAN_OUT_PLANTS plants the editing request publishes one message;
    a worker then queues the plants' rebuilds FAN_OUT_CHUNK to a task, each
    plant once."""
    monkeypatch.setattr("rollout.tasks.FAN_OUT_PLANTS", 1)
    monkeypatch.setattr("rollout.tasks.FAN_OUT_CHUNK", 2)
    others = [plant_with_rollouts(code=f"wire{n}")[0] for n in range(2)]

    with mock.patch("rollout.tasks.rebuild_plants.delay") as fan_out:
        company_wide_season()
    delay.assert_not_called()
    [call] = fan_out.call_args_list
    ids = sorted(p.id for p in [plant, *others])
    assert sorted(call.args[0]) == ids

    with mock.patch("rollout.tasks.rebuild_plant_chunk.delay") as chunk:
        assert rebuild_plants(*call.args) == 3
    delay.assert_not_called()
    chunks = [c.args[0] for c in chunk.call_args_list]
    assert [len(c) for c in chunks] == [2, 1]
    assert sorted(i for c in chunks for i in c) == ids

    for c in chunk.call_args_list:
        rebuild_plant_chunk.apply(c.args)
    assert stale_plant_ids() == []


def test_a_chunk_rebuilds_its_other_plants_when_one_fails(plant, caplog):
    other, _ = plant_with_rollouts(code="wire2")
    company_wide_season()  # in-process: rebuilt at once
    with nothing_queued():
        company_wide_season()
    assert sorted(stale_plant_ids()) == sorted([plant.id, other.id])
    rebuild = services.plant_recommendations_rebuild

    def failing(*, plant_id, **kw):
        if plant_id == plant.id:
            raise RuntimeError("boom")
        return rebuild(plant_id=plant_id, **kw)

    with (
        mock.patch("rollout.services.plant_recommendations_rebuild", failing),
        caplog.at_level(logging.ERROR, logger="rollout.tasks"),
    ):
        results = rebuild_plant_chunk.apply(([plant.id, other.id],)).get()

    assert results == {plant.id: "failed", other.id: "rebuilt"}
    assert stale_plant_ids() == [plant.id]  # left to the sweep
    [record] = [r for r in caplog.records if r.name == "rollout.tasks"]
    assert f"the rebuild of plant {plant.id} failed" in record.getMessage()


def test_a_fan_out_the_broker_refuses_is_logged_and_left_to_the_sweep(
    plant, monkeypatch, caplog
):
    monkeypatch.setattr("rollout.tasks.FAN_OUT_PLANTS", 1)
    other, _ = plant_with_rollouts(code="wire2")
    refused = OperationalError("Error 111 connecting. Connection refused.")

    with (
        mock.patch("rollout.tasks.rebuild_plants.delay", side_effect=refused),
        caplog.at_level(logging.ERROR, logger="rollout.tasks"),
    ):
        services.scoring_profile_save(
            profile=Rollout.objects.filter(plants=plant).first().profile
        )

    [record] = caplog.records
    assert "the sweep will retry" in record.getMessage()
    assert sorted(stale_plant_ids()) == sorted([plant.id, other.id])


def test_changing_a_rollouts_phases_queues_its_plants_and_makes_them_stale(
    plant, delay
):
    rollout = Rollout.objects.filter(plants=plant).first()
    rollout.cutover_days += 2

    services.rollout_save(rollout=rollout)

    delay.assert_called_once_with(plant.id, False)
    assert not recommendation_list(plant=plant, rollout=rollout).up_to_date
    assert stale_plant_ids() == [plant.id]


def test_changing_a_scoring_profile_queues_the_plants_of_its_rollouts(plant, delay):
    profile = Rollout.objects.filter(plants=plant).first().profile
    profile.cutover_load = profile.cutover_load + 1

    services.scoring_profile_save(profile=profile)

    delay.assert_called_once_with(plant.id, False)
    assert stale_plant_ids() == [plant.id]


def test_a_broker_failure_keeps_the_change_and_is_logged_once(plant, delay, caplog):
    other, _ = plant_with_rollouts(code="wire2")
    delay.side_effect = OperationalError("Error 111 connecting. Connection refused.")

    with caplog.at_level(logging.ERROR, logger="rollout.tasks"):
        company_wide_season()

    assert PeakSeason.objects.filter(name="Q4").exists()
    assert (
        Plant.objects.get(pk=plant.pk).calendar_revision == plant.calendar_revision + 1
    )
    # The broker is down: one attempt, not one timeout per plant.
    assert delay.call_count == 1
    [record] = caplog.records
    assert "the sweep will retry" in record.getMessage()
    assert sorted(stale_plant_ids()) == sorted([plant.id, other.id])


def test_the_selector_and_the_sweep_see_exactly_the_stale_plants(plant):
    current, _ = plant_with_rollouts(code="current")
    rollout = Rollout.objects.filter(plants=plant).first()
    assert recommendation_list(plant=plant, rollout=rollout).up_to_date
    assert stale_plant_ids() == []

    with nothing_queued():
        _shift(_milestone(plant), 3)

    listed = recommendation_list(plant=Plant.objects.get(pk=plant.pk), rollout=rollout)
    assert not listed.up_to_date
    assert listed.built_from_revision == plant.calendar_revision
    assert listed.calendar_revision == plant.calendar_revision + 1
    assert stale_plant_ids() == [plant.id]

    services.plant_recommendations_rebuild(plant_id=plant.id)
    assert stale_plant_ids() == []
    assert current.id not in stale_plant_ids()
