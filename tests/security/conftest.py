"""A small world for the write-permission table: plant A and plant B, a
rollout at A to propose go-lives for, and the IT lead of A who proposes them
when the acting user is not the proposer.

Only what every row needs is built here; each attempt builds the object it
acts on itself (tests/security/test_write_permissions.py), and the acting
user is made per test with the role the row names.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache

from accounts.permissions import IT_LEAD, PLANT_MANAGER, VIEWER
from calendars.models import Plant
from rollout.models import Rollout
from rollout.services import scoring_profile_default
from tests.factories import PlantFactory, UserFactory

# The apps whose models the admin offers: staff users get every model
# permission of these, so that only the permission layer can refuse them.
ADMIN_APPS = ("calendars", "rollout", "proposals")


@dataclass(frozen=True)
class Role:
    """Who acts: roles (Django groups) at plants ("A", "B"); `proposer`: the
    acting user is the proposer of the proposal acted on."""

    key: str
    label: str
    groups: tuple[str, ...]
    plants: tuple[str, ...]
    proposer: bool = False


ROLES = {
    r.key: r
    for r in (
        Role("viewer_a", "viewer of A", (VIEWER,), ("A",)),
        Role("it_a", "IT lead of A", (IT_LEAD,), ("A",)),
        Role("pm_a", "plant manager of A", (PLANT_MANAGER,), ("A",)),
        Role("pm_b", "plant manager of B", (PLANT_MANAGER,), ("B",)),
        Role("it_b", "IT lead of B", (IT_LEAD,), ("B",)),
        Role("it_ab", "IT lead of A and of B", (IT_LEAD,), ("A", "B")),
        Role(
            "proposer",
            "IT lead of A who is the proposer",
            (IT_LEAD,),
            ("A",),
            proposer=True,
        ),
        Role(
            "proposer_pm",
            "IT lead and plant manager of A who is the proposer",
            (IT_LEAD, PLANT_MANAGER),
            ("A",),
            proposer=True,
        ),
    )
}


@dataclass
class World:
    a: Plant
    b: Plant
    rollout: Rollout  # runs at A only
    author: object  # IT lead of A: the proposer when the actor is not
    go_live: datetime.date

    def plant(self, key: str) -> Plant:
        return {"A": self.a, "B": self.b}[key]


@pytest.fixture(autouse=True)
def _quick_settings(settings):
    """A fast password hash, a short horizon, no throttling."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OFFPEAK_HORIZON_DAYS = 240
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {
            "anon": "1000000/minute",
            "user": "1000000/minute",
            "auth": "1000000/minute",
        },
    }


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Forget request counts. Only the throttles' keys under Redis (flushing
    it would empty Celery's broker too); the local cache otherwise."""
    backend = getattr(cache, "_cache", None)
    client = getattr(backend, "get_client", None)
    if client is not None:
        redis = client(write=True)
        for key in redis.scan_iter(match="*throttle_*"):
            redis.delete(key)
    else:
        cache.clear()


def _group(name: str) -> Group:
    return Group.objects.get_or_create(name=name)[0]


def user_with(role: Role, world: World, *, staff: bool = False):
    """A user holding `role`; with `staff`, also staff with every model
    permission of the admin's apps (the admin's own gate)."""
    user = UserFactory(is_staff=staff)
    user.groups.add(*(_group(g) for g in role.groups))
    for key in role.plants:
        world.plant(key).members.add(user)
    if staff:
        user.user_permissions.add(
            *Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
        )
    return user


@pytest.fixture
def world(db) -> World:
    a = PlantFactory(code="plant-a", name="Plant A")
    b = PlantFactory(code="plant-b", name="Plant B")
    rollout = Rollout.objects.create(
        name="MES at A",
        kind=Rollout.Kind.MES,
        training_days=5,
        cutover_days=2,
        hypercare_days=5,
        profile=scoring_profile_default(),
    )
    rollout.plants.set([a])
    author = UserFactory(username="author")
    author.groups.add(_group(IT_LEAD))
    a.members.add(author)
    day = a.local_today() + datetime.timedelta(days=60)
    go_live = day + datetime.timedelta(days=(2 - day.weekday()) % 7)  # a Wednesday
    return World(a=a, b=b, rollout=rollout, author=author, go_live=go_live)
