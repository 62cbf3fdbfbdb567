"""A worker killed (SIGKILL) in the middle of a rebuild leaves the previous
recommendations in place, and the plant converges once a worker runs again.

A whole worker killed leaves the rebuild's message unacknowledged in Redis
until the visibility timeout (an hour), so there it is the beat sweep that
brings the plant up to date; a killed pool process is noticed by its parent,
which requeues the message (reject_on_worker_lost). The tests run their own
redis-server so that an orphaned message does not outlive them.
"""

import os
import signal

import pytest
from django.db import OperationalError, connection, transaction

from calendars.models import Milestone, Plant
from rollout.models import RecommendationSet
from tests.pipeline.conftest import (
    committed_db,
    group_members,
    manager_token,
    plant_with_rollouts,
    wait_until,
)

pytestmark = [pytest.mark.services, committed_db]

# Enough rollouts for a rebuild to hold the plant for a few hundred ms.
ROLLOUTS = 30


def _rebuild_holds_the_plant(plant_id: int) -> bool:
    """True while another transaction holds the plant row (a rebuild)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT id FROM calendars_plant WHERE id = %s FOR UPDATE NOWAIT",
                [plant_id],
            )
        return False
    except OperationalError:  # lock not available
        return True


def _revisions(plant: Plant) -> set[int]:
    return set(
        RecommendationSet.objects.filter(plant=plant).values_list(
            "calendar_revision", flat=True
        )
    )


def test_a_worker_killed_mid_rebuild_is_recovered_by_the_next_one(
    real_services, private_redis, processes
):
    plant, milestone = plant_with_rollouts(code="killed", rollouts=ROLLOUTS)
    built_from = plant.calendar_revision
    web = processes.web_side(redis_url=private_redis.url)
    doomed = processes.worker(redis_url=private_redis.url)

    revision = web.call(op="edit", milestone=milestone.pk, shift_days=7)["revision"]
    wait_until(
        lambda: _rebuild_holds_the_plant(plant.id),
        timeout=20,
        interval=0.005,
        what="the rebuild to start",
    )
    doomed.kill()

    # PostgreSQL rolls the killed transaction back: nothing half-written.
    wait_until(
        lambda: not _rebuild_holds_the_plant(plant.id),
        timeout=20,
        what="the killed transaction to end",
    )
    assert _revisions(plant) == {built_from}
    assert RecommendationSet.objects.filter(plant=plant).count() == ROLLOUTS
    assert private_redis.queue_length() == 0  # nothing left to redeliver now

    # With no worker at all, the API still reads and writes: the stored
    # recommendations say they are stale, the write is kept and queued.
    token = manager_token(plant)
    rollout = plant.rollouts.first()
    listed = web.call(
        op="api",
        method="GET",
        path=f"/api/plants/{plant.code}/recommendations/?rollout={rollout.pk}",
        token=token,
    )
    assert listed["status"] == 200, listed
    assert listed["json"]["up_to_date"] is False
    write = web.call(
        op="api",
        method="PATCH",
        path=f"/api/milestones/{milestone.pk}/",
        token=token,
        body={"name": "SOP (after the kill)"},
    )
    assert write["status"] == 200, write
    assert Milestone.objects.get(pk=milestone.pk).name == "SOP (after the kill)"
    revision = Plant.objects.get(pk=plant.pk).calendar_revision
    assert revision > built_from

    processes.worker(redis_url=private_redis.url)
    processes.beat(redis_url=private_redis.url, sweep_seconds=1)
    wait_until(lambda: _revisions(plant) == {revision}, timeout=60, what="convergence")
    assert Plant.objects.get(pk=plant.pk).calendar_revision == revision


def test_a_pool_process_killed_mid_rebuild_is_redelivered_at_once(
    real_services, private_redis, processes
):
    plant, milestone = plant_with_rollouts(code="pool", rollouts=ROLLOUTS)
    built_from = plant.calendar_revision
    web = processes.web_side(redis_url=private_redis.url)
    worker = processes.worker(redis_url=private_redis.url, pool="prefork")

    revision = web.call(op="edit", milestone=milestone.pk, shift_days=7)["revision"]
    wait_until(
        lambda: _rebuild_holds_the_plant(plant.id),
        timeout=20,
        interval=0.005,
        what="the rebuild to start",
    )
    pool = [pid for pid in group_members(worker.pid) if pid != worker.pid]
    assert pool, worker.log()
    for pid in pool:  # both: whichever runs the rebuild
        os.kill(pid, signal.SIGKILL)

    assert _revisions(plant) == {built_from}
    # No beat here: the parent requeues the message and a new pool process
    # runs it again.
    wait_until(lambda: _revisions(plant) == {revision}, timeout=30, what="redelivery")
    assert "WorkerLostError" in worker.log()
