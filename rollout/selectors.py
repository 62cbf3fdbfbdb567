"""Reads of go-live planning."""

import datetime
from dataclasses import dataclass

from calendars.models import Plant
from rollout.models import Recommendation, RecommendationSet, Rollout


@dataclass(frozen=True)
class RecommendationList:
    """The stored windows and whether they reflect the current calendar.

    up_to_date is False while a rebuild is pending ("being recalculated"):
    the calendar or rollout changed since the build, the horizon moved on, or
    nothing was built yet (built_from_revision None).
    """

    calendar_revision: int
    built_from_revision: int | None
    up_to_date: bool
    built_at: datetime.datetime | None
    results: list[Recommendation]


def recommendation_list(
    *, plant: Plant, rollout: Rollout, limit: int | None = None
) -> RecommendationList:
    rec_set = RecommendationSet.objects.filter(plant=plant, rollout=rollout).first()
    if rec_set is None:
        return RecommendationList(plant.calendar_revision, None, False, None, [])
    windows = rec_set.windows.all()
    if limit is not None:
        windows = windows[:limit]
    return RecommendationList(
        calendar_revision=plant.calendar_revision,
        built_from_revision=rec_set.calendar_revision,
        up_to_date=(
            rec_set.calendar_revision == plant.calendar_revision
            and rec_set.rollout_revision == rollout.revision
            and rec_set.horizon_start >= plant.local_today()
        ),
        built_at=rec_set.built_at,
        results=list(windows),
    )


def rollout_list_for_plant(*, plant: Plant, active_only: bool = True):
    rollouts = Rollout.objects.filter(plants=plant)
    return rollouts.filter(active=True) if active_only else rollouts
