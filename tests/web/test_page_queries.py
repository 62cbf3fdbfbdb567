"""The dashboard and the window calendar ask the database a fixed number of
questions: a manager of ten plants waits no longer for them than a manager
of one because of extra round trips, whatever the plants' rollouts and
proposals."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import permissions
from calendars.models import Plant
from proposals.models import GoLiveProposal, Observation, ReadinessItem
from rollout.services import recommendation_set_rebuild
from tests.factories import PlantFactory, make_rollout

from .conftest import plant_member

pytestmark = pytest.mark.django_db

Status = GoLiveProposal.Status


def plants_add(manager, count: int) -> None:
    """`count` more plants of the manager, each with two rollouts, their
    windows, and a proposal in each state the dashboard reports on: to decide,
    approved and flagged by a calendar change, running with an observation
    that suggests pausing, with an overdue checklist item."""
    for _ in range(count):
        plant = PlantFactory()
        plant.members.add(manager)
        today = plant.local_today()
        for name in ("MES", "ERP"):
            rollout = make_rollout(f"{name} {plant.code}", [plant])
            recommendation_set_rebuild(plant=plant, rollout=rollout)
        for offset, status in enumerate(
            (Status.SUBMITTED, Status.APPROVED, Status.GO, Status.HYPERCARE)
        ):
            proposal = GoLiveProposal.objects.create(
                rollout=rollout,
                plant=plant,
                go_live=today + datetime.timedelta(days=30 + 7 * offset),
                status=status,
                proposer=manager,
                revalidation_conflicts=[{"kind": "blackout", "name": "Stocktake"}],
            )
            ReadinessItem.objects.create(
                proposal=proposal,
                title="Train the night shift",
                position=1,
                owner=manager,
                due=today - datetime.timedelta(days=2),
            )
            Observation.objects.create(
                proposal=proposal,
                severity=Observation.Severity.HIGH,
                area=Observation.Area.PRODUCTION,
                description="Line 3 stopped for an hour",
                production_affected=True,
            )


def queries(client, url: str) -> int:
    client.get(url)  # the session and the user's roles, read once per login
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_dashboard_asks_as_much_for_many_plants_as_for_one(login):
    manager = plant_member(None, permissions.PLANT_MANAGER)
    plants_add(manager, 1)
    client = login(manager)
    one = queries(client, "/")
    plants_add(manager, 2)
    page = client.get("/").content.decode()
    assert page.count('class="card plant-card"') == 3
    assert page.count("Consider pausing") == 3 * 2  # the running go-lives
    assert queries(client, "/") == one


def test_the_window_calendar_asks_as_much_for_many_plants_as_for_one(login):
    manager = plant_member(None, permissions.PLANT_MANAGER)
    plants_add(manager, 1)
    plant = Plant.objects.get()
    rollout = plant.rollouts.order_by("name").first()
    url = f"/plants/{plant.code}/calendar/?rollout={rollout.id}&months=24"
    client = login(manager)
    one = queries(client, url)
    plants_add(manager, 2)
    assert queries(client, url) == one
    # More rollouts and go-lives at the plant itself.
    for name in ("WMS", "QMS"):
        other = make_rollout(f"{name} {plant.code}", [plant])
        recommendation_set_rebuild(plant=plant, rollout=other)
    GoLiveProposal.objects.filter(plant=plant).update(status=Status.APPROVED)
    page = client.get(url).content.decode()
    assert page.count("approved go-live:") == 4
    assert queries(client, url) == one
