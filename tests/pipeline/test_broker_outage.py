"""With Redis stopped or stalled, saving a change still returns within seconds
and is kept; once Redis is back, the beat sweep brings the plant up to date.

These tests run their own redis-server (conftest.PrivateRedis) and stop or
pause only that process. The edits are saved by tests/pipeline/web_side.py, a
Django process whose REDIS_URL names the private server, exactly as a web
request would save them.
"""

import pytest

from calendars.models import Plant
from rollout.models import Rollout
from rollout.selectors import recommendation_list
from tests.pipeline.conftest import committed_db, plant_with_rollouts, wait_until

pytestmark = [pytest.mark.services, committed_db]

SAVE_BUDGET_SECONDS = 5


def _current(plant: Plant) -> Plant:
    return Plant.objects.get(pk=plant.pk)


def _up_to_date(plant: Plant, revision: int) -> bool:
    plant = _current(plant)
    return all(
        (listed := recommendation_list(plant=plant, rollout=rollout)).up_to_date
        and listed.built_from_revision == revision
        for rollout in Rollout.objects.filter(plants=plant, active=True)
    )


def _save_while_broker_is_down(web, plant, milestone) -> int:
    """One edit through the web side: quick, kept, its enqueue failure logged."""
    before = _current(plant).calendar_revision

    answer = web.call(op="edit", milestone=milestone.pk, shift_days=7)

    print(f"save with the broker down took {answer['seconds']:.2f} s")
    assert answer["seconds"] < SAVE_BUDGET_SECONDS, answer
    assert answer["revision"] == before + 1
    assert _current(plant).calendar_revision == before + 1  # committed
    assert any("the sweep will retry" in e for e in answer["queue_errors"]), answer
    rollout = Rollout.objects.filter(plants=plant).first()
    assert not recommendation_list(plant=_current(plant), rollout=rollout).up_to_date
    return answer["revision"]


@pytest.fixture
def plant(real_services):
    return plant_with_rollouts(code="outage")


def test_a_save_while_redis_is_stopped_is_kept_and_swept_later(
    plant, private_redis, processes
):
    plant, milestone = plant
    web = processes.web_side(redis_url=private_redis.url)
    assert web.call(op="warm") == {"ok": True}

    private_redis.stop()  # connection refused
    revision = _save_while_broker_is_down(web, plant, milestone)

    private_redis.restart()
    assert private_redis.queue_length() == 0  # the message is lost, not late
    processes.worker(redis_url=private_redis.url)
    processes.beat(redis_url=private_redis.url, sweep_seconds=1)
    wait_until(lambda: _up_to_date(plant, revision), timeout=60, what="the sweep")

    # The web side's pooled connection recovers by itself.
    answer = web.call(op="edit", milestone=milestone.pk, shift_days=7)
    assert answer["queue_errors"] == []
    wait_until(lambda: _up_to_date(plant, revision + 1), timeout=30, what="rebuild")


def test_a_save_while_redis_is_stalled_returns_in_time_and_is_swept_later(
    plant, private_redis, processes
):
    plant, milestone = plant
    web = processes.web_side(redis_url=private_redis.url)
    assert web.call(op="warm") == {"ok": True}

    private_redis.pause()  # SIGSTOP: connects, then silence
    try:
        revision = _save_while_broker_is_down(web, plant, milestone)
    finally:
        private_redis.resume()

    processes.worker(redis_url=private_redis.url)
    processes.beat(redis_url=private_redis.url, sweep_seconds=1)
    wait_until(lambda: _up_to_date(plant, revision), timeout=60, what="the sweep")
