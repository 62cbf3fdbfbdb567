"""Celery tasks: thin wrappers that take ids and call services."""

import datetime
import logging
from zoneinfo import ZoneInfo

from celery import shared_task
from django.db.models import Exists, OuterRef

from calendars.models import Plant
from rollout import services
from rollout.models import RecommendationSet, Rollout

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def rebuild_recommendations(plant_id: int, force: bool = False) -> bool:
    """Idempotent: does nothing when the stored recommendations are current."""
    rebuilt = services.plant_recommendations_rebuild(plant_id=plant_id, force=force)
    logger.info("plant %s: %s", plant_id, "rebuilt" if rebuilt else "already current")
    return rebuilt


def recommendations_enqueue(*, plant_ids, force: bool = False) -> None:
    """Queue a rebuild per plant. Never raises: when the broker is unreachable
    the change stays saved and the sweep recovers the rebuild later."""
    for plant_id in plant_ids:
        try:
            rebuild_recommendations.delay(plant_id, force)
        except Exception:
            logger.exception(
                "could not queue the rebuild of plant %s; the sweep will retry",
                plant_id,
            )


@shared_task(ignore_result=True)
def sweep_stale_recommendations() -> list[int]:
    """The outbox: queue a rebuild for every plant whose recommendations are
    missing or older than its calendar, its rollouts or today's horizon."""
    stale_ids = stale_plant_ids()
    recommendations_enqueue(plant_ids=stale_ids)
    return stale_ids


@shared_task(ignore_result=True)
def rebuild_all_plants() -> int:
    """Nightly: the horizon moves with the date."""
    ids = list(Plant.objects.values_list("id", flat=True))
    recommendations_enqueue(plant_ids=ids, force=True)
    return len(ids)


def stale_plant_ids() -> list[int]:
    current_set = RecommendationSet.objects.filter(
        plant=OuterRef("plants"),
        rollout=OuterRef("pk"),
        calendar_revision=OuterRef("plants__calendar_revision"),
        rollout_revision=OuterRef("revision"),
    )
    ids = set(
        Rollout.objects.filter(active=True)
        .annotate(current=Exists(current_set))
        .filter(current=False)
        .values_list("plants", flat=True)
    )
    # A set whose horizon began before the plant's today is stale too.
    today_by_zone: dict[str, datetime.date] = {}
    for plant_id, zone, horizon_start in RecommendationSet.objects.values_list(
        "plant_id", "plant__timezone", "horizon_start"
    ):
        if zone not in today_by_zone:
            today_by_zone[zone] = datetime.datetime.now(ZoneInfo(zone)).date()
        if horizon_start < today_by_zone[zone]:
            ids.add(plant_id)
    ids.discard(None)
    return sorted(ids)
