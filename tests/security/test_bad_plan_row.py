"""Finding 1 (second half): one bad stored plan row never fails a plant.

Every entry point refuses a load or capacity that is not finite or out of
range, but a row can still reach the database past them (a script, a manual
UPDATE, a restore from an older version). The calendar then leaves that row
out, logs it with its plant, plan, row and date, and says so: the calendar
API counts it on each day it covers, the plan page lists it. Every reader of
the calendar answers 200 meanwhile, and the rebuild still builds.
"""

import datetime
import logging

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.permissions import PLANT_MANAGER
from calendars.models import PlanLine
from rollout.models import RecommendationSet
from rollout.services import plant_recommendations_rebuild
from tests.factories import ProductionPlanFactory
from tests.security.conftest import Role, user_with

pytestmark = pytest.mark.django_db

BAD_ROWS = [
    pytest.param(1e308, 1e-308, id="huge-load-tiny-capacity"),
    pytest.param(float("inf"), 100.0, id="infinite-load"),
    pytest.param(-5.0, 100.0, id="negative-load"),
    pytest.param(50.0, 0.0, id="zero-capacity"),
    pytest.param(5000.0, 100.0, id="utilisation-50"),
]


def _monday(plant, weeks: int) -> datetime.date:
    day = plant.local_today() + datetime.timedelta(weeks=weeks)
    return day - datetime.timedelta(days=day.weekday())


def _poison(plant, load: float, capacity: float) -> tuple[PlanLine, PlanLine]:
    """A weekly plan with a good row and a bad one, the bad one written past
    validation with a queryset UPDATE."""
    plan = ProductionPlanFactory(
        plant=plant,
        version=1,
        period_start=_monday(plant, 2),
        period_end=_monday(plant, 4) - datetime.timedelta(days=1),
    )
    good = PlanLine.objects.create(
        plan=plan, bucket_start=_monday(plant, 2), load=80, capacity=100
    )
    bad = PlanLine.objects.create(
        plan=plan, bucket_start=_monday(plant, 3), load=1, capacity=1
    )
    PlanLine.objects.filter(pk=bad.pk).update(load=load, capacity=capacity)
    return good, bad


@pytest.fixture
def manager(world):
    return user_with(Role("pm", "plant manager of A", (PLANT_MANAGER,), ("A",)), world)


@pytest.mark.parametrize(("load", "capacity"), BAD_ROWS)
def test_a_bad_stored_plan_row_is_skipped_everywhere_and_said(
    world, manager, caplog, load, capacity
):
    plant, rollout = world.a, world.rollout
    good, bad = _poison(plant, load, capacity)
    api = APIClient()
    api.force_authenticate(manager)
    page = Client()
    page.force_login(manager)
    start = _monday(plant, 2)

    with caplog.at_level(logging.WARNING, logger="calendars.selectors.plan_lines"):
        outcome = plant_recommendations_rebuild(plant_id=plant.pk, force=True)
        calendar = api.get(
            f"/api/plants/{plant.code}/calendar/",
            {
                "start": start.isoformat(),
                "end": (start + datetime.timedelta(13)).isoformat(),
            },
        )
        state = api.get(
            f"/api/plants/{plant.code}/window-state/", {"rollout": rollout.pk}
        )
        evaluation = api.post(
            "/api/evaluations/",
            {
                "plant": plant.code,
                "rollout": rollout.pk,
                "go_live": world.go_live.isoformat(),
            },
            format="json",
        )
        window_page = page.get(f"/plants/{plant.code}/calendar/?rollout={rollout.pk}")
        plan_page = page.get(f"/plants/{plant.code}/plan/")

    # The rebuild built the plant's recommendations in spite of the row.
    assert outcome.rebuilt
    built = RecommendationSet.objects.get(plant=plant, rollout=rollout)
    assert built.calendar_revision == plant.calendar_revision
    assert calendar.status_code == 200, calendar.content[:300]
    assert state.status_code == 200, state.content[:300]
    assert evaluation.status_code == 200, evaluation.content[:300]
    assert window_page.status_code == 200
    assert plan_page.status_code == 200

    days = calendar.json()
    first_week, second_week = days[:7], days[7:]
    # The good row still counts; the bad week is left out and says so.
    assert [d["plan_rows_skipped"] for d in first_week] == [0] * 7
    assert first_week[0]["utilisation"] == pytest.approx(0.8)
    assert [d["plan_rows_skipped"] for d in second_week] == [1] * 7
    assert all(0 <= d["utilisation"] <= 10 for d in second_week)

    # The log names the plant, the plan, the row and its date.
    warnings = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert warnings
    assert plant.code in warnings[0]
    assert "v1" in warnings[0]
    assert f"row {bad.pk}" in warnings[0]
    assert bad.bucket_start.isoformat() in warnings[0]

    # The plan page tells the planner.
    text = plan_page.content.decode()
    assert "1 stored plan row is not a usable number" in text


def test_the_plan_page_says_nothing_when_every_row_is_good(world, manager):
    plant = world.a
    plan = ProductionPlanFactory(
        plant=plant,
        version=1,
        period_start=_monday(plant, 2),
        period_end=_monday(plant, 4) - datetime.timedelta(days=1),
    )
    PlanLine.objects.create(
        plan=plan, bucket_start=_monday(plant, 2), load=80, capacity=100
    )
    page = Client()
    page.force_login(manager)

    text = page.get(f"/plants/{plant.code}/plan/").content.decode()

    assert "stored plan row" not in text
