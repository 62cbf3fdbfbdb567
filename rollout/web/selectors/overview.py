"""The dashboard's overview and the utilisation charts."""

from dataclasses import dataclass, field

from accounts import permissions
from calendars.models import Plant
from calendars.selectors import plants_visible_to
from rollout.models import Rollout
from rollout.selectors import RecommendationList, recommendation_list


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
    """Per visible plant, the best next windows of each active rollout."""
    plants = list(plants_visible_to(user))
    rollouts = Rollout.objects.filter(plants__in=plants, active=True).distinct()
    by_plant: dict[int, list[Rollout]] = {p.id: [] for p in plants}
    for rollout in rollouts.prefetch_related("plants"):
        for plant in rollout.plants.all():
            if plant.id in by_plant:
                by_plant[plant.id].append(rollout)
    return [
        PlantOverview(
            plant=plant,
            rollouts=[
                RolloutWindows(
                    rollout=r,
                    recommendations=recommendation_list(
                        plant=plant, rollout=r, limit=windows
                    ),
                )
                for r in by_plant[plant.id]
            ],
            can_edit=permissions.can_edit_calendar(user, plant),
            can_plan=permissions.can_plan_rollouts(user, plant),
        )
        for plant in plants
    ]
