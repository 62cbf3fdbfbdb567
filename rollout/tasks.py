"""Celery tasks: thin wrappers that take ids and call services.

A committed change to a plant's calendar or to a rollout queues
`rebuild_recommendations(plant_id)` (see `recommendations_enqueue`). Queueing
never fails the change: when the broker is unreachable the beat sweep finds
the plant stale and queues it again.
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from celery import shared_task
from django.conf import settings
from django.db import close_old_connections
from django.db.models import Exists, OuterRef
from kombu.exceptions import OperationalError

from calendars.holiday_releases import holidays_release_apply
from calendars.models import Plant
from rollout import program_services, services
from rollout.models import RecommendationSet, Rollout

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def rebuild_recommendations(self, plant_id: int, force: bool = False) -> str:
    """Rebuild one plant's recommendations unless they are current.

    Idempotent, so a redelivered or duplicate message costs a lookup. A plant
    rebuilt less than OFFPEAK_REBUILD_INTERVAL_MS ago is not rebuilt at once:
    the task queues itself for the end of that interval, so a burst of edits
    costs one rebuild when it starts and one after it, and the last edit wins.
    """
    return _plant_rebuild(plant_id, force=force, eager=self.request.is_eager)


def _plant_rebuild(plant_id: int, *, force: bool, eager: bool) -> str:
    """One plant's rebuild as a task runs it (rebuild_recommendations, and each
    plant of rebuild_plant_chunk): coalesced, deferred to its own task."""
    # In-process (eager) there is no later: rebuild now.
    interval = 0 if eager else settings.OFFPEAK_REBUILD_INTERVAL_MS
    spacing = datetime.timedelta(milliseconds=interval)
    outcome = services.plant_recommendations_rebuild(
        plant_id=plant_id, force=force, spacing=spacing
    )
    if outcome.retry_at is not None:
        return _rebuild_defer(plant_id, outcome.retry_at)
    result = "rebuilt" if outcome.rebuilt else "already current"
    logger.info("plant %s: %s", plant_id, result)
    return result


def _rebuild_defer(plant_id: int, retry_at: datetime.datetime) -> str:
    try:
        rebuild_recommendations.apply_async((plant_id,), eta=retry_at)
    except Exception:
        logger.exception(
            "could not queue the deferred rebuild of plant %s; the sweep will retry",
            plant_id,
        )
        return "lost"
    logger.info("plant %s: deferred to %s", plant_id, retry_at.isoformat())
    return "deferred"


# A change touching more plants than this (a company-wide season, a profile)
# queues one task that queues the plants' rebuilds from a worker: publishing
# costs ~2 ms of CPU a message, which the user's request would otherwise wait
# for (~2 s for 1,000 plants).
FAN_OUT_PLANTS = 20
# The fan-out queues the plants' rebuilds this many to a task: a task costs a
# worker ~5 ms of CPU (fetch, hand to a pool process, ack) besides the rebuild.
FAN_OUT_CHUNK = 10


def recommendations_enqueue(*, plant_ids, force: bool = False) -> int:
    """Queue a rebuild per plant (through one fan-out task when there are more
    than FAN_OUT_PLANTS) and return how many were queued.

    Never raises: when the broker is unreachable the change stays saved and the
    sweep recovers the rebuild later. The first failure ends the loop, since
    each further attempt would add its timeout to the user's request.
    """
    plant_ids = list(plant_ids)
    if len(plant_ids) > FAN_OUT_PLANTS:
        try:
            rebuild_plants.delay(plant_ids, force)
        except OperationalError:  # kombu's: the broker is unreachable
            logger.exception(
                "could not queue the rebuild of %d plants; the sweep will retry",
                len(plant_ids),
            )
            return 0
        return len(plant_ids)
    return _rebuilds_queue(plant_ids, force)


@shared_task(ignore_result=True)
def rebuild_plants(plant_ids: list[int], force: bool = False) -> int:
    """Queue the plants' rebuilds, FAN_OUT_CHUNK plants to a task
    (recommendations_enqueue's fan-out); returns how many were queued."""
    plant_ids = list(plant_ids)
    chunks = [
        plant_ids[at : at + FAN_OUT_CHUNK]
        for at in range(0, len(plant_ids), FAN_OUT_CHUNK)
    ]
    return _queue_groups(chunks, lambda chunk: rebuild_plant_chunk.delay(chunk, force))


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def rebuild_plant_chunk(self, plant_ids: list[int], force: bool = False) -> dict:
    """Rebuild each plant as rebuild_recommendations does, one after the other,
    each in its own transaction. A plant that fails is logged and left to the
    sweep (its recommendations stay stale); the others go on. Redelivered
    after a lost worker, the plants already rebuilt cost a lookup each."""
    results: dict[int, str] = {}
    for plant_id in plant_ids:
        try:
            results[plant_id] = _plant_rebuild(
                plant_id, force=force, eager=self.request.is_eager
            )
        except Exception:
            logger.exception(
                "the rebuild of plant %s failed; the sweep will retry", plant_id
            )
            results[plant_id] = "failed"
            if not self.request.is_eager:
                # As between two tasks: a connection the failure broke is not
                # handed to the next plant.
                close_old_connections()
    return results


def _rebuilds_queue(plant_ids: list[int], force: bool) -> int:
    return _queue_groups(
        [[plant_id] for plant_id in plant_ids],
        lambda group: rebuild_recommendations.delay(group[0], force),
    )


def _queue_groups(groups: list[list[int]], send) -> int:
    """`send(group)` for each group of plant ids (one task each); returns how
    many plants were queued. The broker failing ends the loop (the sweep
    recovers the rest); an in-process (eager) task failing does not."""
    queued = 0
    for done, group in enumerate(groups):
        try:
            send(group)
        except OperationalError:  # kombu's: the broker is unreachable
            logger.exception(
                "could not queue the rebuild of plants %s; the sweep will retry",
                [plant_id for rest in groups[done:] for plant_id in rest],
            )
            break
        except Exception:  # an in-process (eager) rebuild failed
            logger.exception(
                "the rebuild of plants %s failed; the sweep will retry", group
            )
        else:
            queued += len(group)
    return queued


@shared_task(ignore_result=True)
def sweep_stale_recommendations() -> list[int]:
    """The outbox: queue a rebuild for every plant whose recommendations are
    missing or older than its calendar, its rollouts or today's horizon."""
    stale_ids = stale_plant_ids()
    if stale_ids:
        logger.info("sweep: %d stale plants %s", len(stale_ids), stale_ids[:20])
        recommendations_enqueue(plant_ids=stale_ids)
    programs_enqueue(program_ids=program_services.stale_program_ids())
    return stale_ids


@shared_task(ignore_result=True)
def rebuild_all_plants() -> int:
    """Nightly: the horizon moves with the date, and a new holidays release
    (a year's official arrangement published since) bumps every plant's
    calendar revision, which queues their rebuilds itself."""
    bumped = set(holidays_release_apply())
    ids = list(Plant.objects.values_list("id", flat=True))
    recommendations_enqueue(plant_ids=[i for i in ids if i not in bumped], force=True)
    return len(ids)


def stale_plant_ids() -> list[int]:
    """Plants with an active rollout whose stored set is missing, built from an
    older calendar or rollout revision, or from a horizon that began before the
    plant's today."""
    link = Rollout.plants.through
    current_set = RecommendationSet.objects.filter(
        plant=OuterRef("plant_id"),
        rollout=OuterRef("rollout_id"),
        calendar_revision=OuterRef("plant__calendar_revision"),
        rollout_revision=OuterRef("rollout__revision"),
    )
    ids = set(
        link.objects.filter(rollout__active=True)
        .filter(~Exists(current_set))
        .values_list("plant_id", flat=True)
    )
    today_by_zone: dict[str, datetime.date] = {}
    for plant_id, zone, horizon_start in RecommendationSet.objects.values_list(
        "plant_id", "plant__timezone", "horizon_start"
    ):
        if zone not in today_by_zone:
            today_by_zone[zone] = datetime.datetime.now(ZoneInfo(zone)).date()
        if horizon_start < today_by_zone[zone]:
            ids.add(plant_id)
    return sorted(ids)


# --- programs -------------------------------------------------------------


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def plan_program(self, program_id: int, force: bool = False) -> str:
    """Plan one program unless its plan is current (`force`: plan anyway).

    Coalesced like rebuilds: a stale program planned less than
    OFFPEAK_REBUILD_INTERVAL_MS ago is planned again at the end of that
    interval, so the rebuilds of many of its plants in a burst cost one plan
    at once and one after.
    """
    interval = 0 if self.request.is_eager else settings.OFFPEAK_REBUILD_INTERVAL_MS
    outcome = program_services.program_plan_run(
        program_id=program_id,
        force=force,
        spacing=datetime.timedelta(milliseconds=interval),
    )
    if outcome.retry_at is not None:
        try:
            plan_program.apply_async((program_id,), eta=outcome.retry_at)
        except Exception:
            logger.exception("could not queue the deferred plan of %s", program_id)
            return "lost"
        return "deferred"
    return "planned" if outcome.planned else "already current"


def programs_enqueue(*, program_ids, force: bool = False) -> int:
    """Queue a plan per program; never raises (the sweep retries stale ones)."""
    queued = 0
    for program_id in list(program_ids):
        try:
            plan_program.delay(program_id, force)
        except OperationalError:
            logger.exception("could not queue the plan of program %s", program_id)
            break
        except Exception:  # an in-process (eager) plan failed
            logger.exception("the plan of program %s failed", program_id)
        else:
            queued += 1
    return queued
