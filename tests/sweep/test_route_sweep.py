"""A sweep of every route of the site, for every role, method and body.

The routes come from Django's URL resolver, includes and DRF routers followed,
so a page or endpoint added later joins the sweep without an edit here. Their
path parameters are filled from two seeded plants, SZ and STG, whose every
name carries its plant's mark ("SZ-only …", "STG-only …"). A route whose
parameters cannot be filled must be listed in UNFILLABLE with the reason.

Each route is requested by each role (anonymous; SZ's viewer, IT lead and
plant manager; STG's plant manager and IT lead; a superuser) with each of
seven methods (405 is an answer too), with an empty body and with a valid one
where its shape is known (a valid query for GET), and for STG's people also
with that input turned to their own plant but SZ's other ids. It asserts:
- never a server error (5xx);
- never a plant's data for someone who does not see the plant: SZ's people
  never meet "STG-only", STG's never "SZ-only", anonymous users neither;
- access: anonymous users are sent to sign in (pages, admin) or refused (API);
  STG's people get 404 for SZ's objects, or the very answer a missing object
  gets, never a success; SZ's people never get 404 for them; the pages a role
  works with answer it 200; the superuser reaches every route.

Every request runs in a savepoint that is rolled back, so no request sees
another's writes and the order of roles and methods does not matter.
"""

import datetime
import itertools
import json
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode, urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.forms.models import model_to_dict
from django.shortcuts import resolve_url
from django.test import Client, override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone

from accounts.permissions import IT_LEAD, PLANT_MANAGER, VIEWER
from accounts.tokens import api_token_create
from proposals import services as proposal_services
from proposals import workflow
from rollout.services import recommendation_set_rebuild
from tests.factories import (
    PASSWORD,
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlanLineFactory,
    PlantFactory,
    ProductionPlanFactory,
    UserFactory,
)
from tests.sweep.conftest import seed_programs

# --- roles and marks --------------------------------------------------------------

ANONYMOUS = "anonymous"
VIEWER_SZ = "viewer"
IT_LEAD_SZ = "it_lead"
MANAGER_SZ = "manager"
MANAGER_STG = "other_manager"
IT_LEAD_STG = "other_it_lead"
SUPERUSER = "superuser"
ROLES = (
    ANONYMOUS,
    VIEWER_SZ,
    IT_LEAD_SZ,
    MANAGER_SZ,
    MANAGER_STG,
    IT_LEAD_STG,
    SUPERUSER,
)
MEMBERS = (VIEWER_SZ, IT_LEAD_SZ, MANAGER_SZ)  # of SZ only
OUTSIDERS = (MANAGER_STG, IT_LEAD_STG)  # of STG only
GROUPS = {
    VIEWER_SZ: VIEWER,
    IT_LEAD_SZ: IT_LEAD,
    MANAGER_SZ: PLANT_MANAGER,
    MANAGER_STG: PLANT_MANAGER,
    IT_LEAD_STG: IT_LEAD,
}

SZ_MARK, STG_MARK = "SZ-only", "STG-only"
UNSEEN = {  # marks a role must never meet in a response
    ANONYMOUS: (SZ_MARK, STG_MARK),
    **dict.fromkeys(MEMBERS, (STG_MARK,)),
    **dict.fromkeys(OUTSIDERS, (SZ_MARK,)),
    SUPERUSER: (),
}

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
BODY_METHODS = ("POST", "PUT", "PATCH")

# --- what the sweep is told -------------------------------------------------------

# Routes whose path parameters the sweep cannot fill: route → why. Keep it
# short; test_every_route_is_filled_or_listed_as_unfillable keeps it honest.
UNFILLABLE: dict[str, str] = {}

# Routes open to anonymous users (no sign-in redirect, no 401/403): route → why.
PUBLIC = {
    "web:login": "the sign-in page",
    "web:logout": "signing out needs no session",
    "web:language": "the sign-in page switches the language too",
    "set_language": "Django's language switch",
    "healthz": "load balancers probe it",
    "api-token-obtain": "trades a username and password for a token",
    "api-schema": "the OpenAPI schema is public",
    "api-docs": "Swagger UI is public",
    "api/": "the API's JSON 404 for any other /api/ URL",
    "admin:login": "the admin's sign-in page",
    "admin:logout": "the admin's sign-out",
    "admin/(?P<url>.*)$": "the admin's catch-all 404",
}

# Routes whose filled URL is not found, even for the superuser: route → why.
NOT_FOUND_BY_DESIGN = {
    "api/": "any other /api/ URL is the API's JSON 404",
    "admin/(?P<url>.*)$": "the admin's catch-all: an unknown admin URL is 404",
    "admin:view_on_site": "no model has get_absolute_url: 'view on site' has "
    "nowhere to go",
}

# Pages and endpoints each role works with: route → roles that GET it (with
# the route's valid query) and must get 200. The superuser reaches everything
# (see judge), so it is not repeated here.
SIGNED_IN = (*MEMBERS, *OUTSIDERS)
MUST_SEE = {
    "web:dashboard": SIGNED_IN,
    "web:plants": SIGNED_IN,
    "web:calendar": MEMBERS,
    "web:evaluate": MEMBERS,
    "web:calendar_data": MEMBERS,
    "web:plans": MEMBERS,
    "web:rollouts": SIGNED_IN,
    "web:proposals": SIGNED_IN,
    "web:proposal": MEMBERS,
    "web:reviews": MEMBERS,
    "web:proposal_evaluate": MEMBERS,
    "web:item_create": (MANAGER_SZ,),
    "web:item_edit": (MANAGER_SZ,),
    "web:item_delete": (MANAGER_SZ,),
    "web:rollout_create": (IT_LEAD_SZ, IT_LEAD_STG),
    "web:rollout_edit": (IT_LEAD_SZ,),
    "web:profile_edit": (IT_LEAD_SZ,),
    "web:proposal_create": (IT_LEAD_SZ,),
    "web:proposal_edit": (IT_LEAD_SZ,),
    "plant-feed": MEMBERS,
    "plant-list": SIGNED_IN,
    "plant-detail": MEMBERS,
    "plant-calendar": MEMBERS,
    "plant-production-plans": MEMBERS,
    "plant-recommendations": MEMBERS,
    "plant-window-state": MEMBERS,
    "peak-season-list": SIGNED_IN,
    "peak-season-detail": MEMBERS,
    "milestone-list": SIGNED_IN,
    "milestone-detail": MEMBERS,
    "blackout-list": SIGNED_IN,
    "blackout-detail": MEMBERS,
    "calendar-exception-list": SIGNED_IN,
    "calendar-exception-detail": MEMBERS,
    "rollout-list": SIGNED_IN,
    "rollout-detail": MEMBERS,
    "api-token-list": SIGNED_IN,
    "proposals:list": SIGNED_IN,
    "proposals:needs-action": SIGNED_IN,
    "proposals:reviews": SIGNED_IN,
    "proposals:detail": MEMBERS,
    "proposals:checklist": MEMBERS,
    "proposals:checklist-item": MEMBERS,
    "proposals:observations": MEMBERS,
    "proposals:review": MEMBERS,
    "web:programs": SIGNED_IN,
    "web:program": MEMBERS,
    "program-list": SIGNED_IN,
    "program-detail": MEMBERS,
    "program-plan": MEMBERS,
    "plant-scores": MEMBERS,
}

# The model a `pk` stands for, by the path segment before it (DRF viewsets,
# the admin and calendar kinds are read from the routes themselves).
PK_MODELS = {
    "proposals": ("proposals", "GoLiveProposal"),
    "rollouts": ("rollout", "Rollout"),
    "profiles": ("rollout", "ScoringProfile"),
    "plan": ("calendars", "ProductionPlan"),
    "programs": ("rollout", "Program"),
}
PLANT_PARAMS = ("code", "plant_code")
OBJECT_PARAMS = ("pk", "id", "object_id")
SCOPED_PARAMS = (*PLANT_PARAMS, *OBJECT_PARAMS, "item_pk")
CATCH_ALL_PATH = "sweep-no-such-page/"
# What stands for a missing object when the sweep asks whether an answer to
# someone of another plant tells SZ's object from one that does not exist.
MISSING = {"code": "nowhere", "plant_code": "nowhere"}
MISSING_PK = 987654321
FORM_CONTENT = "application/x-www-form-urlencoded"

Status = workflow.Status
# The proposal a route works on, by a word of its path (first match wins).
PROPOSAL_BY_PATH = (
    ("review", Status.CLOSED),
    ("observation", Status.LIVE),
    ("checklist", Status.SUBMITTED),
    ("edit", Status.DRAFT),
)
PROPOSALS_BY_DEFAULT = (Status.CLOSED, Status.DRAFT)


def status_paths() -> dict[str, tuple[str, ...]]:
    """The shortest walk through the workflow's steps to every status."""
    paths = {Status.DRAFT: ()}
    frontier = [Status.DRAFT]
    while frontier:
        reached = []
        for status in frontier:
            for step in workflow.STEPS.values():
                if status in step.sources and step.target and step.target not in paths:
                    paths[step.target] = (*paths[status], step.action)
                    reached.append(step.target)
        frontier = reached
    return paths


# How the seed brings a proposal to each status, first the nearest.
STATUS_PATHS = status_paths()


# --- routes -----------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    id: str  # its name with namespaces, or its pattern when it has none
    name: str | None
    pattern: str  # as ResolverMatch.route spells it
    params: tuple[str, ...]
    converters: dict = field(hash=False, compare=False)
    callback: Callable = field(hash=False, compare=False)

    def __str__(self) -> str:
        return self.id

    @property
    def area(self) -> str:
        if self.pattern.startswith("api/"):
            return "api"
        if self.pattern.startswith("admin/"):
            return "admin"
        if self.pattern.endswith(".ics"):
            return "feed"
        return "page"

    @property
    def scoped(self) -> bool:
        """Whether its URL names something of a plant (SZ, once filled)."""
        return any(p in SCOPED_PARAMS for p in self.params)


def _join(route1: str, route2: str) -> str:
    # As django.urls.resolvers.URLResolver._join_route.
    return route2 if not route1 else route1 + route2.removeprefix("^")


def _walk(patterns, prefix="", params=(), converters=None, namespace=None):
    for entry in patterns:
        found = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        pattern = _join(prefix, str(entry.pattern))
        names = (*params, *entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            space = namespace
            if entry.namespace:
                space = (
                    f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                )
            yield from _walk(entry.url_patterns, pattern, names, found, space)
            continue
        name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
        yield name, pattern, names, found, entry.callback


def discover_routes() -> list[Route]:
    """Every URL pattern of the site, from the resolver."""
    found = list(_walk(get_resolver().url_patterns))
    names = [name for name, *_ in found if name]
    routes = []
    for name, pattern, params, converters, callback in found:
        ident = name or pattern
        if name and names.count(name) > 1:
            ident = f"{name} {pattern}"
        routes.append(Route(ident, name, pattern, params, converters, callback))
    return routes


ROUTES = discover_routes()


# --- the seeded world -------------------------------------------------------------


@dataclass
class World:
    sz: object
    stg: object
    today: datetime.date
    day: datetime.date  # a quiet go-live day for valid bodies
    users: dict = field(default_factory=dict)  # role → user
    sessions: dict = field(default_factory=dict)  # role → session key
    api_tokens: dict = field(default_factory=dict)  # role → token
    spare_keys: dict = field(default_factory=dict)  # role → a token_key to revoke
    feed_tokens: dict = field(default_factory=dict)  # role → feed token
    rollouts: dict = field(default_factory=dict)  # plant code → rollout
    proposals: dict = field(default_factory=dict)  # status → SZ proposal
    kinds: dict = field(default_factory=dict)  # page slug → item model


def page_kinds() -> dict[str, type]:
    """The calendar item kinds of the calendar-data pages: slug → model."""
    try:
        from calendars.kinds import ITEM_KINDS
    except ImportError:
        from calendars.web.views import KINDS

        return {slug: kind.model for slug, kind in KINDS.items()}
    return {kind.slug: kind.model for kind in ITEM_KINDS.values()}


def _quiet_wednesday(start: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=(2 - start.weekday()) % 7)


def _step_inputs(action: str, *, api: bool, day: datetime.date) -> dict:
    """A valid input of a workflow step, from its entry in STEPS."""
    values = {}
    for spec in workflow.STEPS[action].input_specs():
        if spec.kind == "date":
            value = day.isoformat() if api else day
        elif spec.kind == "rating":
            value = 4
        elif spec.kind == "share":
            value = 0.8 if api else 80
        else:
            value = f"Sweep {spec.name}"
        values[spec.name] = value
    return values


def _actor(action: str, people: dict):
    """The IT lead (the proposer) for IT steps, the manager for the others."""
    roles = workflow.STEPS[action].roles
    return people["it_lead"] if workflow.IT in roles else people["manager"]


def _proposal(*, plant, rollout, people, status, mark, day):
    proposal = proposal_services.proposal_create(
        user=people["it_lead"],
        rollout=rollout,
        plant=plant,
        go_live=day,
        contingency_fallback=f"{mark} fallback",
    )
    proposal_services.readiness_item_create(
        proposal=proposal, user=people["it_lead"], title=f"{mark} checklist item"
    )
    for item in proposal.checklist.all():
        proposal_services.readiness_item_update(
            item=item, user=people["it_lead"], done=True, trained_share=90.0
        )
    for action in STATUS_PATHS[status]:
        inputs = _step_inputs(action, api=False, day=day)
        if action == "close":
            inputs["lessons_learned"] = f"{mark} lessons"
            inputs["actual_utilisation"] = 0.8
        service = workflow.service(action)
        proposal = service(proposal=proposal, user=_actor(action, people), **inputs)
        if proposal.status == Status.LIVE:
            proposal_services.observation_create(
                proposal=proposal,
                user=people["it_lead"],
                severity=_choice("proposals", "Observation", "severity"),
                area=_choice("proposals", "Observation", "area"),
                description=f"{mark} observation",
            )
    assert proposal.status == status
    return proposal


def _plant(code: str, mark: str, **traits):
    plant = PlantFactory(code=code, name=f"{mark} plant", **traits)
    today = plant.local_today()
    days = datetime.timedelta
    PeakSeasonFactory(
        plant=plant,
        name=f"{mark} season",
        start=today + days(150),
        end=today + days(180),
    )
    MilestoneFactory(
        plant=plant,
        name=f"{mark} milestone",
        start=today + days(120),
        end=today + days(122),
        hard=True,
        freeze_before_days=3,
    )
    BlackoutFactory(plant=plant, name=f"{mark} blackout", start=today.replace(day=1))
    CalendarExceptionFactory(
        plant=plant,
        name=f"{mark} closure",
        start=today + days(200),
        end=today + days(205),
    )
    monday = today - days(today.weekday())
    plan = ProductionPlanFactory(
        plant=plant,
        source_name=f"{mark} plan.csv",
        period_start=monday,
        period_end=monday + days(7 * 12 - 1),
    )
    for week in range(12):
        PlanLineFactory(plan=plan, bucket_start=monday + days(7 * week), load=70.0)
    plant.refresh_from_db()
    return plant


def _user(role: str, plant, mark: str):
    user = UserFactory(username=f"sweep-{role}", first_name=f"{mark} {role}")
    user.groups.add(Group.objects.get_or_create(name=GROUPS[role])[0])
    plant.members.add(user)
    return user


def seed() -> World:
    ScoringProfile = apps.get_model("rollout", "ScoringProfile")
    Rollout = apps.get_model("rollout", "Rollout")
    sz = _plant("sz", SZ_MARK)
    stg = _plant("stg", STG_MARK, stuttgart=True)
    today = sz.local_today()
    world = World(
        sz=sz,
        stg=stg,
        today=today,
        day=_quiet_wednesday(today + datetime.timedelta(days=75)),
        kinds=page_kinds(),
    )
    marks = {sz.code: SZ_MARK, stg.code: STG_MARK}
    world.users = {
        VIEWER_SZ: _user(VIEWER_SZ, sz, SZ_MARK),
        IT_LEAD_SZ: _user(IT_LEAD_SZ, sz, SZ_MARK),
        MANAGER_SZ: _user(MANAGER_SZ, sz, SZ_MARK),
        MANAGER_STG: _user(MANAGER_STG, stg, STG_MARK),
        IT_LEAD_STG: _user(IT_LEAD_STG, stg, STG_MARK),
        SUPERUSER: UserFactory(username="sweep-root", superuser=True),
    }
    for plant in (sz, stg):
        mark = marks[plant.code]
        profile = ScoringProfile.objects.create(name=f"{plant.code.upper()} profile")
        rollout = Rollout.objects.create(
            name=f"{mark} rollout",
            kind=Rollout.Kind.MES,
            description=f"{mark} rollout description",
            training_days=5,
            cutover_days=2,
            hypercare_days=5,
            profile=profile,
        )
        rollout.plants.set([plant])
        recommendation_set_rebuild(plant=plant, rollout=rollout)
        world.rollouts[plant.code] = rollout
    sz_people = {"it_lead": world.users[IT_LEAD_SZ], "manager": world.users[MANAGER_SZ]}
    stg_people = {
        "it_lead": world.users[IT_LEAD_STG],
        "manager": world.users[MANAGER_STG],
    }
    go_live = _quiet_wednesday(today + datetime.timedelta(days=60))
    for status in STATUS_PATHS:
        world.proposals[status] = _proposal(
            plant=sz,
            rollout=world.rollouts[sz.code],
            people=sz_people,
            status=status,
            mark=SZ_MARK,
            day=go_live,
        )
    for status in (Status.SUBMITTED, Status.CLOSED):
        _proposal(
            plant=stg,
            rollout=world.rollouts[stg.code],
            people=stg_people,
            status=status,
            mark=STG_MARK,
            day=go_live,
        )
    for role, user in world.users.items():
        world.api_tokens[role] = api_token_create(
            user=user, name="sweep", scope="read_write"
        )[1]
        spare, _raw = api_token_create(user=user, name="spare", scope="read_write")
        world.spare_keys[role] = spare.token_key
        world.feed_tokens[role] = api_token_create(
            user=user, name="sweep feed", scope="feed"
        )[1]
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    # A sign-in attempt and a failure on record, for the lockout's admin pages.
    from axes.models import AccessAttempt, AccessFailureLog

    seen = {
        "user_agent": "sweep",
        "ip_address": "127.0.0.1",
        "username": "sz-viewer",
        "http_accept": "*/*",
        "path_info": "/login/",
        "attempt_time": timezone.now(),
    }
    AccessAttempt.objects.create(
        **seen, get_data="", post_data="", failures_since_start=1
    )
    AccessFailureLog.objects.create(**seen)
    seed_programs(world)
    mail.outbox.clear()
    return world


SWEEP_SETTINGS = {
    # Fast password checks (login and token bodies), no throttling, and a
    # short horizon so that every evaluation is quick.
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "OFFPEAK_HORIZON_DAYS": 240,
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Two plants and their people, seeded once for the module in a transaction
    that is rolled back at its end."""
    rates = dict.fromkeys(("anon", "user", "auth"), "1000000/minute")
    framework = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    with (
        override_settings(REST_FRAMEWORK=framework, **SWEEP_SETTINGS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield seed()
        transaction.set_rollback(True)


# --- filling a route --------------------------------------------------------------


@dataclass
class Target:
    """One URL of a route: its parameters and what they stand for."""

    kwargs: dict
    obj: object = None
    proposal: object = None
    kind: str | None = None
    action: str | None = None
    owned: bool = True  # its objects belong to SZ, not merely used by it


TOKEN_KEY = object()  # stands for the requesting role's own token key


class Unfillable(Exception):
    pass


def _literal_before(route: Route, param: str) -> str:
    head = re.split(rf"(?<!\?P)<(?:\w+:)?{param}>|\(\?P<{param}>", route.pattern)[0]
    words = [w for w in re.split(r"[/^$]", head) if w and "<" not in w]
    return words[-1] if words else ""


def _drf_view(route: Route, world: World):
    cls = getattr(route.callback, "cls", None)
    if cls is None or not hasattr(cls, "get_queryset"):
        return None
    view = cls()
    view.request = SimpleNamespace(user=world.users[SUPERUSER], query_params={})
    view.args, view.kwargs, view.format_kwarg = (), {}, None
    view.action = "retrieve"
    return view


def _drf_model(route: Route, world: World):
    view = _drf_view(route, world)
    if view is None:
        return None
    try:
        return view.get_queryset().model
    except Exception:  # a view that needs more than a user to list
        return None


def _admin_model(route: Route):
    parts = route.pattern.split("/")
    if route.area != "admin" or len(parts) < 3:
        return None
    try:
        return apps.get_model(parts[1], parts[2])
    except (LookupError, ValueError):
        return None


def _object_model(route: Route, param: str, kind: str | None, world: World):
    if kind:
        return world.kinds[kind]
    if "content_type_id" in route.params:
        return apps.get_model("calendars", "Plant")
    model = _admin_model(route) or _drf_model(route, world)
    if model is None and _literal_before(route, param) in PK_MODELS:
        model = apps.get_model(*PK_MODELS[_literal_before(route, param)])
    if model is None:
        raise Unfillable(f"cannot tell what model {param!r} stands for")
    return model


# How an object belongs to a plant; then how a company-wide one is used by it.
OWNED_BY = ("plant", "plants", "proposal__plant", "plan__plant")
USED_BY = ("rollouts__plants",)


def _of_sz(model, lookups: tuple, world: World):
    """`model`'s objects that belong to SZ by one of `lookups`."""
    if model is apps.get_model("calendars", "Plant"):
        return model._default_manager.filter(pk=world.sz.pk)
    for lookup in lookups:
        try:
            found = model._default_manager.filter(**{lookup: world.sz})
        except (FieldError, ValueError, TypeError):
            continue
        if found.exists():
            return found
    return model._default_manager.none()


def sz_object(model, world: World):
    """SZ's object of `model` (the first when there are several): one it owns,
    else one it uses, else the first there is."""
    found = _of_sz(model, OWNED_BY + USED_BY, world).order_by("pk").first()
    found = found or model._default_manager.order_by("pk").first()
    if found is None:
        raise Unfillable(f"nothing seeded of {model._meta.label}")
    return found


def owned_by_sz(obj, world: World) -> bool:
    return _of_sz(type(obj), OWNED_BY, world).filter(pk=obj.pk).exists()


def _action_of(route: Route) -> str | None:
    words = [w for w in re.split(r"[/^$]", route.pattern) if w and "<" not in w]
    steps = [w for w in words if w in workflow.STEPS]
    return steps[-1] if steps else None


def _proposals_for(route: Route, action: str | None, world: World) -> list:
    if action:
        sources = workflow.STEPS[action].sources
        seeded = [s for s in STATUS_PATHS if s in sources]
        if not seeded:
            raise Unfillable(f"no seeded proposal that may {action}")
        return [world.proposals[seeded[0]]]
    for word, status in PROPOSAL_BY_PATH:
        if word in route.pattern:
            return [world.proposals[status]]
    return [world.proposals[s] for s in PROPOSALS_BY_DEFAULT]


def _choices(route: Route, world: World) -> dict[str, list]:
    """Parameters that take every one of several values."""
    choices = {}
    if "kind" in route.params:
        choices["kind"] = list(world.kinds)
    if "action" in route.params:
        choices["action"] = list(workflow.STEPS)
    if "app_label" in route.params:
        labels = {m._meta.app_label for m in admin.site._registry}
        choices["app_label"] = sorted(labels)
    return choices


def fill(route: Route, world: World) -> list[Target]:
    """Every URL of the route the sweep requests (Unfillable if none)."""
    choices = _choices(route, world)
    targets = []
    for values in itertools.product(*choices.values()):
        chosen = dict(zip(choices, values, strict=True))
        kind, action = chosen.get("kind"), chosen.get("action")
        objects = [None]
        pk = next((p for p in OBJECT_PARAMS if p in route.params), None)
        if pk:
            model = _object_model(route, pk, kind, world)
            if model is apps.get_model("proposals", "GoLiveProposal"):
                action = action or _action_of(route)
                objects = _proposals_for(route, action, world)
            else:
                objects = [sz_object(model, world)]
        for obj in objects:
            target = Target(kwargs={}, obj=obj, kind=kind, action=action)
            if obj is not None and not any(p in route.params for p in PLANT_PARAMS):
                target.owned = owned_by_sz(obj, world)
            if obj is not None and obj._meta.model_name == "goliveproposal":
                target.proposal = obj
            for param in route.params:
                target.kwargs[param] = _value(route, param, target, chosen, world)
            targets.append(target)
    return targets


def _value(route: Route, param: str, target: Target, chosen: dict, world: World):
    if param in chosen:
        return chosen[param]
    if param in PLANT_PARAMS:
        return world.sz.code
    if param in OBJECT_PARAMS:
        return target.obj.pk
    if param == "item_pk":
        item = target.proposal and target.proposal.checklist.order_by("pk").first()
        if item is None:
            raise Unfillable("item_pk without a proposal with a checklist")
        return item.pk
    if param == "token_key":
        return TOKEN_KEY
    if param == "content_type_id":
        return ContentType.objects.get_for_model(target.obj).pk
    if param == "url":
        return CATCH_ALL_PATH
    raise Unfillable(f"no value for the parameter {param!r}")


def url_of(route: Route, target: Target, role: str, world: World) -> str:
    kwargs = {
        k: (world.spare_keys.get(role, world.spare_keys[VIEWER_SZ]))
        if v is TOKEN_KEY
        else v
        for k, v in target.kwargs.items()
    }
    if route.name:
        return reverse(route.name, kwargs=kwargs)
    path = route.pattern

    def route_param(match):
        converter = route.converters.get(match[1])
        value = kwargs[match[1]]
        return str(converter.to_url(value) if converter else value)

    path = re.sub(r"(?<!\?P)<(?:\w+:)?(\w+)>", route_param, path)
    path = re.sub(r"\(\?P<(\w+)>(?:[^()\\]|\\.)*\)", lambda m: str(kwargs[m[1]]), path)
    return "/" + path.replace("^", "").replace("$", "")


def resolves_to(url: str, route: Route) -> bool:
    try:
        return resolve(url).route == route.pattern
    except Resolver404:
        return False


# --- valid input ------------------------------------------------------------------


@dataclass
class Valid:
    query: dict = field(default_factory=dict)
    body: dict | None = None


@dataclass(frozen=True)
class CsvFile:
    name: str
    text: str

    def upload(self) -> SimpleUploadedFile:
        return SimpleUploadedFile(self.name, self.text.encode(), "text/csv")


def _plan_csv(world: World) -> CsvFile:
    monday = world.today + datetime.timedelta(days=7 - world.today.weekday())
    rows = [
        f"{(monday + datetime.timedelta(weeks=w)).isoformat()},{60 + w},100"
        for w in range(8)
    ]
    return CsvFile("sweep-plan.csv", "date,load,capacity\n" + "\n".join(rows) + "\n")


def _clean(value, key: str = ""):
    """Input free of either plant's mark, so a response that echoes it back
    is not mistaken for a leak."""
    if isinstance(value, str) and (SZ_MARK in value or STG_MARK in value):
        return f"Sweep {key or 'text'}"
    if isinstance(value, dict):
        return {k: _clean(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v, key) for v in value]
    return value


def form_body(obj) -> dict:
    """A form post that saves `obj` as it is (names changed)."""
    data = {}
    for name, value in model_to_dict(obj).items():
        model_field = obj._meta.get_field(name)
        if value is None:
            continue
        if model_field.many_to_many:
            value = [getattr(v, "pk", v) for v in value]
        elif isinstance(model_field, models.JSONField):
            value = json.dumps(value)
        elif isinstance(value, datetime.date | datetime.datetime):
            value = value.isoformat()
        data[name] = value
    return _clean(data)


def drf_body(route: Route, obj, world: World) -> dict | None:
    """The serializer's own representation of `obj`, writable fields only."""
    view = _drf_view(route, world)
    if view is None or obj is None:
        return None
    serializer_class = view.get_serializer_class()
    serializer = serializer_class(obj, context={"request": view.request})
    writable = {
        name
        for name, spec in serializer_class(
            context={"request": view.request}
        ).fields.items()
        if not spec.read_only
    }
    body = {k: v for k, v in serializer.data.items() if k in writable}
    return _clean(body) or None


def _choice(app: str, model: str, name: str) -> str:
    return apps.get_model(app, model)._meta.get_field(name).choices[0][0]


def valid_input(route: Route, target: Target, role: str, world: World) -> Valid:
    """A valid query and body of the route, where their shape is known."""
    rollout = world.rollouts[world.sz.code]
    day = world.day.isoformat()
    user = world.users.get(role, world.users[VIEWER_SZ])
    api = route.area == "api"
    observation = {
        "severity": _choice("proposals", "Observation", "severity"),
        "area": _choice("proposals", "Observation", "area"),
        "description": "Sweep observation",
    }
    review = {"lessons_learned": "Sweep", "rating": 4}
    families = {
        "web:login": lambda: Valid(
            body={"username": user.username, "password": PASSWORD}
        ),
        "admin:login": lambda: Valid(
            body={"username": user.username, "password": PASSWORD}
        ),
        "web:language": lambda: Valid(body={"language": "zh-hans", "next": "/"}),
        "set_language": lambda: Valid(body={"language": "zh-hans", "next": "/"}),
        "web:calendar": lambda: Valid(query={"rollout": rollout.pk, "day": day}),
        "web:evaluate": lambda: Valid(query={"rollout": rollout.pk, "date": day}),
        "web:plan_preview": lambda: Valid(
            body={"file": _plan_csv(world), "granularity": "week"}
        ),
        "web:rollout_create": lambda: Valid(body=form_body(rollout)),
        "web:proposals": lambda: Valid(query={"plant": world.sz.code}),
        "web:reviews": lambda: Valid(query={"plant": world.sz.code}),
        "web:proposal_create": lambda: Valid(
            query={"plant": world.sz.code, "rollout": rollout.pk, "go_live": day},
            body={
                "plant": world.sz.pk,
                "rollout": rollout.pk,
                "go_live": day,
                "contingency_fallback": "Sweep fallback",
            },
        ),
        "web:proposal_evaluate": lambda: Valid(
            query={"plant": world.sz.pk, "rollout": rollout.pk, "go_live": day}
        ),
        "web:proposal_edit": lambda: Valid(
            body={"go_live": day, "contingency_fallback": "Sweep fallback"}
        ),
        "web:checklist_add": lambda: Valid(body={"title": "Sweep item", "due": day}),
        "web:checklist_update": lambda: Valid(
            body={"done": "on", "trained_share": 90, "evidence": "Sweep"}
        ),
        "web:observation_add": lambda: Valid(body=observation),
        "web:review_edit": lambda: Valid(body={**review, "actual_utilisation": 80}),
        "web:item_create": lambda: Valid(
            body=form_body(sz_object(world.kinds[target.kind], world))
        ),
        "api-token-obtain": lambda: Valid(
            body={"username": user.username, "password": PASSWORD, "name": "sweep"}
        ),
        "api-feed-token": lambda: Valid(body={"plant": world.sz.code}),
        "plant-production-plans": lambda: Valid(
            body={"file": _plan_csv(world), "granularity": "week"}
        ),
        "plant-calendar": lambda: Valid(
            query={"start": world.today.isoformat(), "end": day}
        ),
        "plant-recommendations": lambda: Valid(query={"rollout": rollout.pk}),
        "plant-window-state": lambda: Valid(query={"rollout": rollout.pk}),
        "plant-scores": lambda: Valid(
            query={"rollout": rollout.pk, "start": world.today.isoformat(), "end": day}
        ),
        "program-what-if": lambda: Valid(body={"slip": [{"plant": "sz", "days": 7}]}),
        "web:program_what_if": lambda: Valid(body={"slip_plant": "sz", "slip_days": 7}),
        "evaluations": lambda: Valid(
            body={"plant": world.sz.code, "rollout": rollout.pk, "go_live": day}
        ),
        "proposals:list": lambda: Valid(
            query={"plant": world.sz.code},
            body={
                "plant": world.sz.code,
                "rollout": rollout.pk,
                "go_live": day,
                "contingency_fallback": "Sweep fallback",
            },
        ),
        "proposals:reviews": lambda: Valid(query={"plant": world.sz.code}),
        "proposals:detail": lambda: Valid(
            body={"go_live": day, "contingency_fallback": "Sweep fallback"}
        ),
        "proposals:checklist": lambda: Valid(body={"title": "Sweep", "due": day}),
        "proposals:checklist-item": lambda: Valid(
            body={"done": True, "trained_share": 90, "evidence": "Sweep"}
        ),
        "proposals:observations": lambda: Valid(body=observation),
        "proposals:review": lambda: Valid(body={**review, "actual_utilisation": 0.8}),
        "plant-feed": lambda: Valid(query={"token": world.feed_tokens.get(role, "")}),
    }
    if route.name in families:
        return families[route.name]()
    if target.action and route.name == "web:proposal_act":
        inputs = _step_inputs(target.action, api=False, day=world.day)
        return Valid(body={f"{target.action}-{k}": v for k, v in inputs.items()})
    if target.action and api:
        return Valid(body=_step_inputs(target.action, api=True, day=world.day))
    if api and _drf_model(route, world) is not None:
        obj = target.obj or sz_object(_drf_model(route, world), world)
        return Valid(body=drf_body(route, obj, world))
    if route.area in ("admin", "page") and target.obj is not None:
        return Valid(body=form_body(target.obj))
    if route.area == "admin" and route.pattern.endswith("/add/"):
        return Valid(body=form_body(sz_object(_admin_model(route), world)))
    return Valid()


# --- requests ----------------------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One request of the sweep."""

    route: Route
    target: Target
    role: str
    method: str
    variant: str  # "empty", "valid" or "own-plant" (see variants)
    valid: Valid

    @property
    def main_get(self) -> bool:
        """The GET (or HEAD) a browser or client makes: with the route's valid
        query when it has one."""
        return self.method in ("GET", "HEAD") and (
            self.variant == "valid"
            or (self.variant == "empty" and not self.valid.query)
        )

    def nowhere(self) -> "Ask":
        """The same request for missing objects and plants."""
        kwargs = {
            k: MISSING.get(k, MISSING_PK) if k in SCOPED_PARAMS else v
            for k, v in self.target.kwargs.items()
        }
        return replace(self, target=replace(self.target, kwargs=kwargs))


@dataclass
class Outcome:
    ask: Ask
    url: str
    status: int | None = None
    location: str = ""
    content: bytes = b""
    error: str = ""  # the traceback of an exception the view raised

    def __str__(self) -> str:
        ask = self.ask
        return (
            f"{ask.route.id} {ask.role} {ask.method} {self.url} "
            f"({ask.variant} input) → {self.status or 'exception'}"
        )


def _encode(body: dict, *, api: bool, method: str) -> tuple[bytes, str]:
    files = any(isinstance(v, CsvFile) for v in body.values())
    if api and not files:
        return json.dumps(body).encode(), "application/json"
    data = {k: v.upload() if isinstance(v, CsvFile) else v for k, v in body.items()}
    if method != "POST" and not files:
        return urlencode(data, doseq=True).encode(), FORM_CONTENT
    return encode_multipart(BOUNDARY, data), MULTIPART_CONTENT


def _forget_throttles() -> None:
    """Forget request counts and cached tokens, in a local cache only (a
    Redis cache may be Celery's broker too; its throttle rates are generous)."""
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        cache.clear()


PROJECT = Path(__file__).resolve().parents[2]


def _traceback_summary(exc: BaseException) -> str:
    """The exception, the innermost frame of the project's code and the
    innermost frames, for each exception of the chain."""
    lines = []
    while exc is not None:
        frames = traceback.extract_tb(exc.__traceback__)
        own = [
            f
            for f in frames
            if f.filename.startswith(str(PROJECT))
            and "site-packages" not in f.filename
            and "/tests/" not in f.filename
        ]
        lines.append(f"{type(exc).__name__}: {exc}")
        if own:
            lines.append(f"  project code: {own[-1].filename}:{own[-1].lineno}")
        lines += [f"  at {f.filename}:{f.lineno} in {f.name}" for f in frames[-3:]]
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        if exc is not None:
            lines.append("caused by")
    return "\n".join(lines)


def send(client: Client, world: World, ask: Ask) -> Outcome:
    """Make the request in a savepoint that is rolled back afterwards."""
    route, role, method = ask.route, ask.role, ask.method
    outcome = Outcome(ask, url_of(route, ask.target, role, world))
    api = route.area == "api"
    query = ask.valid.query if ask.variant != "empty" else {}
    path = f"{outcome.url}?{urlencode(query, doseq=True)}" if query else outcome.url
    headers = {}
    client.cookies.clear()
    if role != ANONYMOUS and api:
        headers["HTTP_AUTHORIZATION"] = f"Token {world.api_tokens[role]}"
    elif role != ANONYMOUS and route.area != "feed":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    data, content_type = b"", "application/json" if api else MULTIPART_CONTENT
    if method in BODY_METHODS:
        body = ask.valid.body if ask.variant != "empty" else {}
        data, content_type = _encode(body or {}, api=api, method=method)
        if not body and api:
            data = b""
    _forget_throttles()
    with transaction.atomic():
        try:
            response = client.generic(
                method, path, data=data, content_type=content_type, **headers
            )
        except Exception as exc:
            outcome.error = _traceback_summary(exc)
        else:
            outcome.status = response.status_code
            outcome.location = response.get("Location", "")
            outcome.content = (
                b"".join(response.streaming_content)
                if response.streaming
                else response.content
            )
        finally:
            transaction.set_rollback(True)
    return outcome


def variants(method: str, valid: Valid, own: Valid | None) -> list[tuple]:
    """(variant, input) pairs: empty, valid where the shape is known, and for
    people of STG the valid input with their own plant but SZ's other ids."""
    if method in ("GET", "HEAD"):
        found = [("valid", valid), ("own-plant", own)] if valid.query else []
    elif method in BODY_METHODS:
        found = [("valid", valid), ("own-plant", own)] if valid.body else []
    else:
        found = []
    return [("empty", valid), *((v, i) for v, i in found if i is not None)]


def own_plant(valid: Valid, world: World) -> Valid | None:
    """The input with SZ's plant swapped for STG's (None if it names none)."""

    def swap(key: str, value):
        if isinstance(value, list):
            return [swap(key, v) for v in value]
        if value == world.sz.code:
            return world.stg.code
        if key in ("plant", "plants") and value == world.sz.pk:
            return world.stg.pk
        return value

    query = {k: swap(k, v) for k, v in valid.query.items()}
    body = valid.body and {k: swap(k, v) for k, v in valid.body.items()}
    swapped = Valid(query, body)
    return None if swapped == valid else swapped


# --- judging an answer ------------------------------------------------------------


def _snippet(content: bytes, mark: str) -> str:
    at = content.find(mark.encode())
    return content[max(0, at - 60) : at + 60].decode("utf-8", "replace")


def _unfolded(content: bytes) -> bytes:
    # iCalendar folds long lines: "SZ-o\r\n nly" is still the mark.
    return content.replace(b"\r\n ", b"").replace(b"\r\n\t", b"")


def _path(location: str) -> str:
    return urlsplit(location).path


def judge(outcome: Outcome, missing: Callable[[], Outcome]) -> list[str]:
    """What is wrong with one answer. `missing`: the same request for objects
    that do not exist."""
    route, role, status = outcome.ask.route, outcome.ask.role, outcome.status
    if outcome.error:
        lines = outcome.error.splitlines()
        return [f"{outcome}: server error\n    " + "\n    ".join(lines[:20])]
    if status >= 500:
        head = outcome.content[:400].decode("utf-8", "replace")
        return [f"{outcome}: server error\n    {head}"]
    problems = []
    content = _unfolded(outcome.content)
    for mark in UNSEEN[role]:
        if mark.encode() in content:
            problems.append(
                f"{outcome}: shows {mark!r} data: …{_snippet(content, mark)}…"
            )
    public = route.id in PUBLIC
    login = resolve_url(settings.LOGIN_URL)
    admin_login = reverse("admin:login")
    if route.area == "admin" and not public and role != SUPERUSER:
        if status != 405 and not (
            status == 302 and _path(outcome.location) == admin_login
        ):
            problems.append(f"{outcome}: expected a redirect to {admin_login}")
        return problems
    if role == ANONYMOUS and not public:
        if route.area == "api" and status not in (401, 403):
            problems.append(f"{outcome}: expected 401 or 403 for anonymous users")
        elif route.area == "page" and status != 405:
            if not (status == 302 and _path(outcome.location) == login):
                problems.append(f"{outcome}: expected a redirect to {login}")
        elif route.area == "feed" and status not in (404, 405):
            problems.append(f"{outcome}: expected 404 without a feed token")
        return problems
    if role in OUTSIDERS and route.scoped and route.area != "admin":
        problems += _judge_outsider(outcome, missing)
    if not outcome.ask.main_get:
        return problems
    by_design = route.id in NOT_FOUND_BY_DESIGN
    if role == SUPERUSER:
        if by_design and status != 404:
            problems.append(
                f"{outcome}: expected 404 ({NOT_FOUND_BY_DESIGN[route.id]})"
            )
        elif not by_design and status in (400, 401, 404):
            problems.append(f"{outcome}: the superuser reaches every route")
    elif role in MEMBERS and route.scoped and status == 404 and not by_design:
        problems.append(f"{outcome}: SZ's people see SZ's objects")
    if role in MUST_SEE.get(route.name, ()) and status != 200:
        problems.append(f"{outcome}: expected 200 for the {role}")
    return problems


def _judge_outsider(outcome: Outcome, missing: Callable[[], Outcome]) -> list[str]:
    """Someone of STG asking for SZ's object: never a success; not found, or
    the very answer a missing object gets (a 403 for a role they lack
    anywhere, a 400 for input checked first), so that SZ's objects cannot be
    told apart from nothing. A company-wide object that SZ merely uses (a
    scoring profile) may be refused outright."""
    status = outcome.status
    if outcome.ask.method == "OPTIONS" and outcome.ask.route.area == "api":
        return []  # DRF describes the endpoint; it reads no object
    if status < 400:
        return [f"{outcome}: reaches another plant's object"]
    if status in (404, 405) or not outcome.ask.target.owned:
        return []
    probe = missing()
    if probe.status != status:
        return [
            f"{outcome}: but {probe.status or 'exception'} for a missing object "
            f"({probe.url}): tells another plant's object from nothing"
        ]
    return []


# --- the tests ----------------------------------------------------------------------


def _route_id(route: Route) -> str:
    return route.id


def sweep(route: Route, world: World, stats: dict) -> list[str]:
    """Every request of the route; the problems found."""
    clients = {role: Client() for role in ROLES}
    problems = []
    for target, role in itertools.product(fill(route, world), ROLES):
        valid = valid_input(route, target, role, world)
        own = own_plant(valid, world) if role in OUTSIDERS else None
        for method in METHODS:
            for variant, given in variants(method, valid, own):
                ask = Ask(route, target, role, method, variant, given)
                outcome = send(clients[role], world, ask)
                missing = partial(send, clients[role], world, ask.nowhere())
                problems += judge(outcome, missing)
                stats["requests"] += 1
                stats["statuses"][outcome.status or "exception"] += 1
                stats["triples"].add((route.id, role, method))
                if outcome.status != 405:
                    stats["answered"].add((route.id, role, method))
                if outcome.status and 200 <= outcome.status < 300:
                    stats["succeeded"].add((route.id, role, method))
                stats["urls"].add(outcome.url)
        stats["roles"].add(role)
    stats["routes"].add(route.id)
    return problems


@pytest.mark.django_db
@pytest.mark.parametrize("route", ROUTES, ids=_route_id)
def test_route_answers_every_role_and_method_without_errors_or_leaks(
    route, world, sweep_stats
):
    if route.id in UNFILLABLE:
        pytest.skip(f"UNFILLABLE: {UNFILLABLE[route.id]}")
    mail.outbox.clear()
    started = time.monotonic()
    try:
        problems = sweep(route, world, sweep_stats)
    except Unfillable as exc:
        pytest.fail(f"{route.id}: {exc}; fill it or list it in UNFILLABLE")
    finally:
        sweep_stats["seconds"] += time.monotonic() - started
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_every_route_is_filled_or_listed_as_unfillable(world):
    problems = []
    for route in ROUTES:
        if route.id in UNFILLABLE:
            continue
        try:
            targets = fill(route, world)
        except Unfillable as exc:
            problems.append(f"{route.id}: {exc}")
            continue
        for target in targets:
            url = url_of(route, target, VIEWER_SZ, world)
            if not resolves_to(url, route):
                problems.append(f"{route.id}: {url} is answered by another route")
    assert not problems, "fill these routes or list them in UNFILLABLE:\n" + (
        "\n".join(problems)
    )


def test_the_lists_name_only_routes_that_exist():
    known = {route.id for route in ROUTES}
    for listing in (UNFILLABLE, PUBLIC, NOT_FOUND_BY_DESIGN, MUST_SEE):
        assert set(listing) <= known, set(listing) - known


def test_the_sweep_reaches_pages_the_api_feeds_and_the_admin():
    areas = {route.area for route in ROUTES}
    assert areas == {"page", "api", "feed", "admin"}
    names = {route.name for route in ROUTES}
    assert {"web:calendar", "plant-feed", "rollout-detail", "proposals:submit"} <= (
        names
    )
    assert {f"proposals:{action}" for action in workflow.STEPS} <= names


@pytest.mark.django_db
def test_each_plant_shows_its_own_marked_data_to_its_people(world):
    """The leak check means something: each plant's people do meet their own
    plant's mark on its calendar-data page."""
    for role, plant, mark in (
        (VIEWER_SZ, world.sz, SZ_MARK),
        (MANAGER_STG, world.stg, STG_MARK),
    ):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        response = client.get(reverse("web:calendar_data", args=[plant.code]))
        assert response.status_code == 200
        assert f"{mark} season".encode() in response.content
