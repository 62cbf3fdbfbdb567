"""A small world for the page tests: two plants, a user per role, a rollout.

Plant A (`sz`) has a manager, an IT lead and a viewer; plant B (`stg`) has its
own manager. Pages of B are not found for A's people.
"""

import datetime

import pytest
from django.contrib.auth.models import Group

from accounts import permissions
from calendars import services as calendar_services
from calendars.models import Blackout, Milestone, PeakSeason
from rollout.models import Rollout
from rollout.services import recommendation_set_rebuild, scoring_profile_default
from tests.factories import PASSWORD, PlantFactory, UserFactory


def _member(plant, role, **extra):
    user = UserFactory(**extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if plant is not None:
        plant.members.add(user)
    return user


@pytest.fixture
def plant(db):
    plant = PlantFactory(code="sz", name="Suzhou test plant")
    today = plant.local_today()
    calendar_services.calendar_item_create(
        model=PeakSeason,
        plant=plant,
        name="Spring peak",
        start=today + datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=90),
        severity=4,
    )
    calendar_services.calendar_item_create(
        model=Milestone,
        plant=plant,
        name="SOP gen 3",
        kind=Milestone.Kind.START_OF_PRODUCTION,
        start=today + datetime.timedelta(days=120),
        end=today + datetime.timedelta(days=122),
        criticality=5,
        freeze_before_days=7,
        freeze_after_days=7,
        hard=True,
    )
    calendar_services.calendar_item_create(
        model=Blackout,
        plant=plant,
        name="Month-end close",
        kind=Blackout.Kind.MONTH_END,
        start=today.replace(day=1),
        rrule="FREQ=MONTHLY;BYMONTHDAY=-1",
        duration_days=1,
    )
    plant.refresh_from_db()
    return plant


@pytest.fixture
def other_plant(db):
    return PlantFactory(code="stg", stuttgart=True)


@pytest.fixture
def rollout(plant):
    rollout = Rollout.objects.create(
        name="MES 2.0",
        kind=Rollout.Kind.MES,
        training_days=5,
        cutover_days=2,
        hypercare_days=10,
        profile=scoring_profile_default(),
    )
    rollout.plants.add(plant)
    recommendation_set_rebuild(plant=plant, rollout=rollout)
    return rollout


@pytest.fixture
def manager(plant):
    return _member(plant, permissions.PLANT_MANAGER, first_name="Li Wei")


@pytest.fixture
def it_lead(plant):
    return _member(plant, permissions.IT_LEAD, first_name="Chen Jing")


@pytest.fixture
def viewer(plant):
    return _member(plant, permissions.VIEWER)


@pytest.fixture
def other_manager(other_plant):
    return _member(other_plant, permissions.PLANT_MANAGER)


@pytest.fixture
def superuser(db):
    return UserFactory(superuser=True)


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


__all__ = ["PASSWORD"]
