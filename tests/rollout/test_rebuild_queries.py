"""A rebuild's database work does not grow with the company: the same number
of queries for a plant with one rollout and one item of each kind as for a
plant with several rollouts, many items and a production plan, among many
plants. (A worker rebuilding 100 plants at once depends on it.)"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from calendars.models import PlanLine, ProductionPlan
from rollout.models import Recommendation, RecommendationSet
from rollout.services import plant_recommendations_rebuild
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlantFactory,
    make_rollout,
)

pytestmark = pytest.mark.django_db


def _plant_with(*, items: int, rollouts: int, plan_weeks: int = 0):
    plant = PlantFactory(country="DE", subdivision="", weekend_days=[5, 6])
    today = plant.local_today()
    for n in range(items):
        first = today + datetime.timedelta(days=20 + 30 * n)
        last = first + datetime.timedelta(days=3)
        CalendarExceptionFactory(plant=plant, start=first, end=last)
        PeakSeasonFactory(plant=plant, start=first, end=last)
        MilestoneFactory(plant=plant, start=first, end=last)
        BlackoutFactory(plant=plant, start=first, end=last)
    if plan_weeks:
        monday = today - datetime.timedelta(days=today.weekday())
        plan = ProductionPlan.objects.create(
            plant=plant,
            version=1,
            granularity=ProductionPlan.Granularity.WEEK,
            source_name="plan.csv",
            period_start=monday,
            period_end=monday + datetime.timedelta(weeks=plan_weeks, days=-1),
            row_count=2 * plan_weeks,
            active=True,
        )
        PlanLine.objects.bulk_create(
            PlanLine(
                plan=plan,
                work_centre=centre,
                bucket_start=monday + datetime.timedelta(weeks=w),
                load=50.0 + w,
                capacity=100.0,
            )
            for w in range(plan_weeks)
            for centre in ("press", "paint")
        )
    for n in range(rollouts):
        make_rollout(f"{plant.code} system {n}", [plant])
    return plant


def _queries(plant) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert plant_recommendations_rebuild(plant_id=plant.pk, force=True).rebuilt
    return len(captured)


def test_a_rebuild_runs_as_many_queries_for_a_big_plant_as_for_a_small_one():
    small = _plant_with(items=1, rollouts=1)
    plant_recommendations_rebuild(plant_id=small.pk, force=True)  # sets stored
    few = _queries(small)

    others = [_plant_with(items=2, rollouts=1) for _ in range(5)]
    big = _plant_with(items=12, rollouts=4, plan_weeks=60)
    plant_recommendations_rebuild(plant_id=big.pk, force=True)
    many = _queries(big)

    assert many == few
    # And the rebuild did its work: every rollout of the big plant has windows.
    sets = RecommendationSet.objects.filter(plant=big)
    assert sets.count() == 4
    assert Recommendation.objects.filter(recommendation_set__in=sets).count() > 4
    assert not RecommendationSet.objects.filter(plant__in=others)
