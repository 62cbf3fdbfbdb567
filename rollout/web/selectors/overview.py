"""The dashboard's overview and the utilisation charts."""

from dataclasses import dataclass, field

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from accounts import permissions
from calendars.models import Plant
from calendars.selectors import plants_visible_to
from rollout.models import Recommendation, RecommendationSet, Rollout
from rollout.selectors import RecommendationList, recommendation_list_of


@dataclass
class RolloutWindows:
    rollout: Rollout
    recommendations: RecommendationList


@dataclass
class PlantOverview:
    plant: Plant
    rollouts: list[RolloutWindows]
    can_edit: bool
    can_plan: bool
    scheduled: list = field(default_factory=list)  # decided go-lives ahead

    @property
    def up_to_date(self) -> bool:
        return all(r.recommendations.up_to_date for r in self.rollouts)


def dashboard_overview(*, user, windows: int = 3) -> list[PlantOverview]:
    """Per visible plant, the best next windows of each active rollout.

    A fixed number of queries however many plants and rollouts there are:
    the plants, the active rollouts at each, every stored set and the first
    `windows` windows of each."""
    plants = list(plants_visible_to(user))
    by_plant: dict[int, list[Rollout]] = {p.id: [] for p in plants}
    runs = (
        Rollout.plants.through.objects.filter(plant__in=plants, rollout__active=True)
        .select_related("rollout")
        .order_by("rollout__name", "rollout_id")  # Rollout's ordering
    )
    for run in runs:
        by_plant[run.plant_id].append(run.rollout)
    stored = _recommendation_lists(plants=plants, by_plant=by_plant, windows=windows)
    return [
        PlantOverview(
            plant=plant,
            rollouts=[
                RolloutWindows(rollout=r, recommendations=stored[plant.id, r.id])
                for r in by_plant[plant.id]
            ],
            can_edit=permissions.can_edit_calendar(user, plant),
            can_plan=permissions.can_plan_rollouts(user, plant),
        )
        for plant in plants
    ]


def _recommendation_lists(
    *, plants: list[Plant], by_plant: dict[int, list[Rollout]], windows: int
) -> dict[tuple[int, int], RecommendationList]:
    """rollout.selectors.recommendation_list(plant=, rollout=, limit=windows)
    of every pair in two queries instead of two per pair."""
    pairs = {(p.id, r.id) for p in plants for r in by_plant[p.id]}
    sets = {
        (s.plant_id, s.rollout_id): s
        for s in RecommendationSet.objects.filter(
            plant__in=plants, rollout__in={rollout for _plant, rollout in pairs}
        )
        if (s.plant_id, s.rollout_id) in pairs
    }
    firsts: dict[int, list[Recommendation]] = {s.id: [] for s in sets.values()}
    if sets:
        ranked = (
            Recommendation.objects.filter(recommendation_set__in=firsts)
            .defer("phases", "explanation")  # the dashboard shows day and score
            .annotate(
                place=Window(
                    RowNumber(),
                    partition_by=F("recommendation_set_id"),
                    order_by=F("rank").asc(),
                )
            )
            .filter(place__lte=windows)
        )
        for window in ranked:
            firsts[window.recommendation_set_id].append(window)
    out = {}
    for plant in plants:
        for rollout in by_plant[plant.id]:
            rec_set = sets.get((plant.id, rollout.id))
            out[plant.id, rollout.id] = recommendation_list_of(
                plant=plant,
                rollout=rollout,
                rec_set=rec_set,
                windows=sorted(firsts[rec_set.id], key=lambda w: w.rank)
                if rec_set
                else None,
            )
    return out
