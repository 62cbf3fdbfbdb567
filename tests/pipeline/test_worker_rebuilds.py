"""A real worker rebuilds a plant's recommendations after each committed
change, and coalesces a burst of changes into very few rebuilds."""

import datetime
import math
import re
import time

import pytest

from calendars import services as calendar_services
from calendars.models import Milestone, Plant
from rollout import services, tasks
from rollout.models import RecommendationSet, Rollout
from rollout.selectors import recommendation_list
from tests.pipeline.conftest import (
    REBUILD_INTERVAL_MS,
    committed_db,
    company_wide_season,
    plant_with_rollouts,
    wait_until,
)

pytestmark = [
    pytest.mark.services,
    committed_db,
]


def _windows(plant: Plant) -> dict[int, list[tuple[datetime.date, float]]]:
    """Per rollout: the stored (go-live, cost) of each window, by rank."""
    return {
        rec_set.rollout_id: [(w.go_live, w.cost) for w in rec_set.windows.all()]
        for rec_set in RecommendationSet.objects.filter(plant=plant).prefetch_related(
            "windows"
        )
    }


def _all_built_from(plant: Plant, revision: int) -> bool:
    plant = Plant.objects.get(pk=plant.pk)
    return all(
        (listed := recommendation_list(plant=plant, rollout=rollout)).up_to_date
        and listed.built_from_revision == revision
        for rollout in Rollout.objects.filter(plants=plant, active=True)
    )


def _move(milestone: Milestone, start: datetime.date) -> None:
    calendar_services.calendar_item_update(
        item=milestone,
        start=start,
        end=start + (milestone.end - milestone.start),
    )


def test_an_edit_is_rebuilt_by_the_worker_and_stamped_with_its_revision(
    shared_broker, processes
):
    plant, milestone = plant_with_rollouts(code="edit")
    processes.worker(redis_url=shared_broker)
    rollout = Rollout.objects.filter(plants=plant).first()
    best = recommendation_list(plant=plant, rollout=rollout).results[0].go_live

    # A hard milestone, with its freeze buffer, right on the best go-live.
    _move(milestone, best - datetime.timedelta(days=1))
    revision = Plant.objects.get(pk=plant.pk).calendar_revision
    assert revision == plant.calendar_revision + 1
    stale = recommendation_list(plant=Plant.objects.get(pk=plant.pk), rollout=rollout)
    assert not stale.up_to_date

    wait_until(lambda: _all_built_from(plant, revision), timeout=30, what="rebuild")
    listed = recommendation_list(plant=Plant.objects.get(pk=plant.pk), rollout=rollout)
    assert best not in [w.go_live for w in listed.results]

    # A rollout's phases shape its windows too.
    rollout.hypercare_days += 10
    services.rollout_save(rollout=rollout)
    wait_until(
        lambda: RecommendationSet.objects.filter(
            plant=plant, rollout=rollout, rollout_revision=rollout.revision
        ).exists(),
        timeout=30,
        what="rebuild after the rollout changed",
    )
    assert _all_built_from(plant, revision)


def test_a_burst_of_edits_costs_few_rebuilds_and_the_last_edit_wins(
    shared_broker, processes
):
    plant, milestone = plant_with_rollouts(code="burst")
    worker = processes.worker(redis_url=shared_broker)
    first = milestone.start

    started = time.monotonic()
    for n in range(50):
        # The hard milestone walks across the horizon: every state differs.
        _move(milestone, first + datetime.timedelta(days=7 * n))
    burst = time.monotonic() - started
    revision = Plant.objects.get(pk=plant.pk).calendar_revision
    assert revision == plant.calendar_revision + 50

    wait_until(lambda: _all_built_from(plant, revision), timeout=30, what="rebuild")
    stored = _windows(plant)
    time.sleep(REBUILD_INTERVAL_MS / 1000 + 0.5)  # any message left: no change
    assert _windows(plant) == stored

    assert services.plant_recommendations_rebuild(plant_id=plant.id, force=True).rebuilt
    fresh = _windows(plant)
    assert stored.keys() == fresh.keys()
    for rollout_id, windows in stored.items():
        assert [d for d, _ in windows] == [d for d, _ in fresh[rollout_id]]
        assert [c for _, c in windows] == pytest.approx(
            [c for _, c in fresh[rollout_id]], rel=1e-9
        )

    log = worker.log()
    rebuilds = len(re.findall(rf"plant {plant.id}: rebuilt", log))
    current = len(re.findall(rf"plant {plant.id}: already current", log))
    deferred = len(re.findall(rf"plant {plant.id}: deferred", log))
    # Rebuilds of one plant start at least 0.95 x the interval apart, and each
    # needs an edit after the previous one: a burst shorter than the interval
    # costs at most two (one at its start, one after it).
    interval = 0.95 * REBUILD_INTERVAL_MS / 1000
    bound = 2 + math.floor(burst / interval)
    print(
        f"50 edits in {burst:.2f} s: {rebuilds} full rebuilds, {deferred} deferred,"
        f" {current} already current (bound {bound})"
    )
    assert 1 <= rebuilds <= bound


def test_a_change_to_many_plants_is_rebuilt_in_chunks_and_one_failure_stops_none(
    shared_broker, processes
):
    """A company-wide season over more than FAN_OUT_PLANTS plants: the worker
    rebuilds them FAN_OUT_CHUNK to a task; a plant whose rebuild fails (its
    time zone unreadable) is left stale for the sweep, the others are all
    rebuilt from their new revision."""
    count = tasks.FAN_OUT_PLANTS + 5
    plants = [plant_with_rollouts(code=f"many{n}", rollouts=1)[0] for n in range(count)]
    broken = plants[3]  # in the first chunk, before others of it
    Plant.objects.filter(pk=broken.pk).update(timezone="Nowhere/Bogus")
    worker = processes.worker(redis_url=shared_broker, pool="prefork")

    company_wide_season()
    healthy = [p for p in plants if p.pk != broken.pk]
    for plant in healthy:
        assert Plant.objects.get(pk=plant.pk).calendar_revision == (
            plant.calendar_revision + 1
        )

    wait_until(
        lambda: all(_all_built_from(p, p.calendar_revision + 1) for p in healthy),
        timeout=60,
        what="the rebuild of every plant",
    )
    log = worker.log()
    chunks = math.ceil(count / tasks.FAN_OUT_CHUNK)
    assert (
        len(re.findall(r"rollout\.tasks\.rebuild_plant_chunk\[.*\] received", log))
        == chunks
    )
    assert "rollout.tasks.rebuild_recommendations[" not in log
    assert f"the rebuild of plant {broken.pk} failed" in log
    assert not RecommendationSet.objects.filter(
        plant=broken, calendar_revision=broken.calendar_revision + 1
    ).exists()
