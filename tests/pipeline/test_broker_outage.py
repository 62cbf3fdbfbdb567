"""With Redis stopped or stalled, saving a change still returns within seconds
and is kept; once Redis is back, the beat sweep brings the plant up to date.

These tests run their own redis-server (conftest.PrivateRedis) and stop or
pause only that process. The edits are saved by tests/pipeline/web_side.py, a
Django process whose REDIS_URL names the private server (its broker and its
cache, as in production), exactly as a web request would save them; the same
process answers REST API requests meanwhile, through the whole stack
(throttles and token cache included): reads and writes answer without a
server error, the write is kept, and the sweep catches it up afterwards.
"""

import pytest

from calendars.models import Milestone, Plant
from rollout.models import Rollout
from rollout.selectors import recommendation_list
from tests.pipeline.conftest import (
    committed_db,
    manager_token,
    plant_with_rollouts,
    wait_until,
)

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


def _api_while_broker_is_down(web, plant, milestone, token: str) -> int:
    """The API with the broker (and the cache) gone: reads answer, a write
    answers and is kept, its enqueue failure is logged, nothing is 5xx."""
    rollout = Rollout.objects.filter(plants=plant).first()

    def api(method, path, body=None):
        answer = web.call(method=method, path=path, token=token, body=body, op="api")
        print(f"{method} {path} with the broker down: {answer['status']} "
              f"in {answer['seconds']:.2f} s")  # fmt: skip
        assert answer["status"] < 500, answer
        assert answer["seconds"] < SAVE_BUDGET_SECONDS, answer
        return answer

    calendar = api("GET", f"/api/plants/{plant.code}/calendar/")
    assert calendar["status"] == 200 and len(calendar["json"]) == 90
    listed = api(
        "GET", f"/api/plants/{plant.code}/recommendations/?rollout={rollout.pk}"
    )
    assert listed["status"] == 200
    state = api("GET", f"/api/plants/{plant.code}/window-state/?rollout={rollout.pk}")
    assert state["status"] == 200

    before = _current(plant).calendar_revision
    milestone = Milestone.objects.get(pk=milestone.pk)  # as the edits left it
    moved = milestone.end + (milestone.end - milestone.start)
    write = api(
        "PATCH",
        f"/api/milestones/{milestone.pk}/",
        {"name": "SOP (moved)", "end": moved.isoformat()},
    )
    assert write["status"] == 200, write
    assert any("the sweep will retry" in e for e in write["queue_errors"]), write
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.name, saved.end) == ("SOP (moved)", moved)
    assert _current(plant).calendar_revision == before + 1
    listed = api(
        "GET", f"/api/plants/{plant.code}/recommendations/?rollout={rollout.pk}"
    )
    assert listed["status"] == 200
    return before + 1


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

    token = manager_token(plant)

    private_redis.stop()  # connection refused
    _save_while_broker_is_down(web, plant, milestone)
    revision = _api_while_broker_is_down(web, plant, milestone, token)

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

    token = manager_token(plant)

    private_redis.pause()  # SIGSTOP: connects, then silence
    try:
        _save_while_broker_is_down(web, plant, milestone)
        revision = _api_while_broker_is_down(web, plant, milestone, token)
    finally:
        private_redis.resume()

    processes.worker(redis_url=private_redis.url)
    processes.beat(redis_url=private_redis.url, sweep_seconds=1)
    wait_until(lambda: _up_to_date(plant, revision), timeout=60, what="the sweep")
