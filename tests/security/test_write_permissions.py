"""Every write is refused to the same users by every interface that offers it.

One table: each row names a write (an operation), the interfaces that offer
it (the REST API, the web page's form, the Django admin, the service a caller
in Python uses), the roles tried and the roles that are allowed, written out
here rather than asked of accounts.permissions, so that a wrong rule in the
one permission layer fails too. Calendar kinds (calendars.kinds.ITEM_KINDS)
and workflow steps (proposals.workflow.STEPS) each get their rows from the
registries, so a new kind or step is covered as soon as it is registered (a
step also needs its line in STEP_RULES: test_every_workflow_step_has_a_rule).

For every (row, role) the test makes a user with that role and tries the
write through each interface, every attempt on an object of its own, then
checks:
- allowed: the interface answers 2xx or a redirect, and the change is saved;
- refused: nothing is saved and the answer is 403, or 404 where the object
  belongs to a plant the user does not see (their existence must not leak).
  A create naming a plant the user does not see may also be answered as
  input naming an unknown plant (API 400 / the form's error on that field);
  a service refuses with NotAllowed or PermissionDenied.

The admin turns away users who are not staff (to its login), so each role is
tried twice: as a plain user (API, page, service) and as a staff user with
every model permission of the admin (API, page, service and admin). Staff see
every plant, so a staff user's role counts at every plant: the table states
a second set of allowed roles for staff.
"""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace as Target
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from calendars.kinds import ITEM_KINDS, ItemKind
from calendars.models import CalendarException, PeakSeason, Plant, ProductionPlan
from calendars.services import plant_create
from proposals import services as proposal_services
from proposals import workflow
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ProposalTransition,
    ReadinessItem,
)
from proposals.services.programs import program_propose_all
from rollout.models import Program, Rollout, ScoringProfile
from rollout.program_services import (
    TeamInput,
    program_delete,
    program_plan_request,
    program_save,
)
from rollout.services import rollout_save, scoring_profile_save
from rollout.web.forms import ScoringProfileForm
from tests.factories import ProductionPlanFactory, UserFactory
from tests.security.conftest import ROLES, Role, World, user_with

Status = GoLiveProposal.Status

# --- who: the rules, written out ------------------------------------------------
# A role counts at the plants the user is a member of; for staff it counts at
# every plant. The keys are those of conftest.ROLES.

PM_OF_A = frozenset({"pm_a", "proposer_pm"})
IT_OF_A = frozenset({"it_a", "it_ab", "proposer", "proposer_pm"})
IT_OF_A_AND_B = frozenset({"it_ab"})
PM_ANYWHERE = PM_OF_A | {"pm_b"}
IT_ANYWHERE = IT_OF_A | {"it_b"}
IT_OR_PM_OF_A = IT_OF_A | PM_OF_A
IT_OR_PM_ANYWHERE = IT_ANYWHERE | PM_ANYWHERE
PROPOSERS = frozenset({"proposer", "proposer_pm"})
EVERYONE = frozenset(ROLES)
NOBODY: frozenset[str] = frozenset()

CALENDAR_ROLES = ("viewer_a", "it_a", "pm_a", "pm_b", "it_b")
PLANNING_ROLES = ("viewer_a", "it_a", "pm_a", "pm_b", "it_b", "it_ab")
PROPOSAL_ROLES = ("viewer_a", "it_a", "pm_a", "pm_b", "it_b", "proposer", "proposer_pm")

# Who may take each workflow step on a proposal at plant A: (plain users,
# staff users). Four eyes: the proposer never approves nor gives the go, even
# as a plant manager; staff may override it with a reason (every attempt here
# gives one; tests/security/test_four_eyes.py checks it is required and kept).
STEP_RULES = {
    "submit": (IT_OF_A, IT_ANYWHERE),
    "withdraw": (PROPOSERS, PROPOSERS),
    "approve": (PM_OF_A - PROPOSERS, PM_ANYWHERE),
    "reject": (PM_OF_A, PM_ANYWHERE),
    "go": (PM_OF_A - PROPOSERS, PM_ANYWHERE),
    "live": (IT_OF_A, IT_ANYWHERE),
    "hypercare": (IT_OF_A, IT_ANYWHERE),
    "pause": (IT_OR_PM_OF_A, IT_OR_PM_ANYWHERE),
    "resume": (PM_OF_A, PM_ANYWHERE),
    "reschedule": (IT_OF_A, IT_ANYWHERE),
    "rollback": (PM_OF_A, PM_ANYWHERE),
    "close": (IT_OF_A, IT_ANYWHERE),
    "acknowledge": (IT_OR_PM_OF_A, IT_OR_PM_ANYWHERE),
}

# --- answers ----------------------------------------------------------------------

ALLOWED = "allowed"
FORBIDDEN = "forbidden (403)"
NOT_FOUND = "not found (404)"
UNKNOWN_CHOICE = "unknown plant or rollout (400 / form error on that field)"
SERVICE_REFUSED = "refused (NotAllowed / PermissionDenied)"
CHOICE_FIELDS = {"plant", "plants", "rollout"}

API, PAGE, ADMIN, SERVICE = "API", "page", "admin", "service"


@dataclass
class Ctx:
    """One attempt's actor and clients."""

    world: World
    role: Role
    staff: bool
    user: Any
    web: Client
    api: APIClient

    @property
    def a(self):
        return self.world.a

    def own_plant(self):
        """A plant whose pages the user sees (company-wide items are listed
        on every plant's pages)."""
        return self.world.plant(self.role.plants[0])


@dataclass(frozen=True)
class Operation:
    """A write: what it acts on (`prepare`, called once per attempt), whether
    an attempt's change was saved, and how each interface attempts it."""

    name: str
    plants: tuple[str, ...]  # where the object acted on lives
    creates: bool
    prepare: Callable[[Ctx], Target]
    saved: Callable[[Target], bool]
    via: dict[str, Callable[[Ctx, Target], Any]]


@dataclass(frozen=True)
class Row:
    operation: Operation
    roles: tuple[str, ...]
    allowed: frozenset[str]
    staff_allowed: frozenset[str]


_numbers = itertools.count(1)


def label(prefix: str) -> str:
    return f"{prefix} {next(_numbers)}"


# --- encoding -----------------------------------------------------------------------


def form_data(values: dict) -> dict:
    """Values as a browser posts them: unchecked boxes left out."""
    data = {}
    for name, value in values.items():
        if value is False:
            continue
        if value is True:
            data[name] = "on"
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple | set | frozenset):
            data[name] = [str(getattr(v, "pk", v)) for v in value]
        elif isinstance(value, models.Model):
            data[name] = str(value.pk)
        elif isinstance(value, datetime.date):
            data[name] = value.isoformat()
        else:
            data[name] = str(value)
    return data


def json_data(values: dict) -> dict:
    return {
        k: v.isoformat() if isinstance(v, datetime.date) else v
        for k, v in values.items()
    }


def admin_url(model, view: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def admin_page_values(client: Client, url: str) -> dict:
    """The values the admin page's form (and its inlines) would post as they
    stand; nothing when the page is not shown."""
    page = client.get(url)
    if page.status_code != 200 or page.context is None:
        return {}
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets") or []:
        forms += [inline.formset.management_form, *inline.formset.forms]
    return {f.html_name: f.value() for form in forms for f in form}


def admin_add(ctx: Ctx, model, values: dict):
    url = admin_url(model, "add")
    data = {**admin_page_values(ctx.web, url), **values, "_save": "Save"}
    return ctx.web.post(url, form_data(data))


def admin_change(ctx: Ctx, obj, values: dict):
    url = admin_url(type(obj), "change", obj.pk)
    data = {**admin_page_values(ctx.web, url), **values, "_save": "Save"}
    return ctx.web.post(url, form_data(data))


def admin_delete(ctx: Ctx, obj):
    return ctx.web.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})


# --- calendar items -----------------------------------------------------------------

ITEM_START = datetime.date(2027, 3, 1)


def item_values(kind: ItemKind, name: str) -> dict:
    """Valid values of the fields people edit, from the kind's entry (a new
    kind gets them too): the first choice, a short date range, defaults."""
    assert "name" in kind.fields, f"{kind.key}: no name field to recognise it by"
    values: dict[str, Any] = {}
    for field_name in kind.fields:
        f = kind.model._meta.get_field(field_name)
        if field_name == "name":
            values[field_name] = name
        elif f.choices:
            values[field_name] = f.choices[0][0]
        elif isinstance(f, models.DateField):
            values[field_name] = ITEM_START + datetime.timedelta(
                days=3 if field_name == "end" else 0
            )
        elif f.has_default():
            values[field_name] = f.get_default()
        elif isinstance(f, models.BooleanField):
            values[field_name] = False
        elif isinstance(f, models.IntegerField | models.FloatField):
            values[field_name] = 1
        else:
            values[field_name] = ""
    return values


def _item_plant(ctx: Ctx, company_wide: bool):
    return None if company_wide else ctx.a


def _item_page(ctx: Ctx, kind: ItemKind, company_wide: bool) -> str:
    code = ctx.own_plant().code if company_wide else ctx.a.code
    return f"/plants/{code}/data/{kind.slug}/"


def _where(company_wide: bool) -> str:
    return "a company-wide" if company_wide else "at A a"


def item_create(kind: ItemKind, company_wide: bool = False) -> Operation:
    def api(ctx, t):
        plant = None if company_wide else ctx.a.code
        body = {"plant": plant, **json_data(item_values(kind, t.name))}
        return ctx.api.post(f"/api/{kind.api_prefix}/", body, format="json")

    def page(ctx, t):
        url = _item_page(ctx, kind, company_wide) + "new/"
        return ctx.web.post(url, form_data(item_values(kind, t.name)))

    def admin(ctx, t):
        plant = _item_plant(ctx, company_wide)
        return admin_add(ctx, kind.model, {"plant": plant, **item_values(kind, t.name)})

    via = {API: api, ADMIN: admin}
    if not company_wide:  # the pages create items at the plant whose page it is
        via[PAGE] = page
    return Operation(
        name=f"create {_where(company_wide)} {kind.key}",
        plants=() if company_wide else ("A",),
        creates=True,
        prepare=lambda ctx: Target(name=label(f"new {kind.key}")),
        saved=lambda t: kind.model.objects.filter(name=t.name).exists(),
        via=via,
    )


def _existing_item(kind: ItemKind, company_wide: bool):
    def prepare(ctx):
        obj = kind.model.objects.create(
            plant=_item_plant(ctx, company_wide),
            **item_values(kind, label(f"old {kind.key}")),
        )
        return Target(obj=obj, name=label(f"renamed {kind.key}"))

    return prepare


def item_update(kind: ItemKind, company_wide: bool = False) -> Operation:
    def api(ctx, t):
        url = f"/api/{kind.api_prefix}/{t.obj.pk}/"
        return ctx.api.patch(url, {"name": t.name}, format="json")

    def page(ctx, t):
        values = {f: getattr(t.obj, f) for f in kind.fields} | {"name": t.name}
        url = f"{_item_page(ctx, kind, company_wide)}{t.obj.pk}/"
        return ctx.web.post(url, form_data(values))

    return Operation(
        name=f"change {_where(company_wide)} {kind.key}",
        plants=() if company_wide else ("A",),
        creates=False,
        prepare=_existing_item(kind, company_wide),
        saved=lambda t: kind.model.objects.filter(pk=t.obj.pk, name=t.name).exists(),
        via={
            API: api,
            PAGE: page,
            ADMIN: lambda ctx, t: admin_change(ctx, t.obj, {"name": t.name}),
        },
    )


def item_delete(kind: ItemKind, company_wide: bool = False) -> Operation:
    def page(ctx, t):
        url = f"{_item_page(ctx, kind, company_wide)}{t.obj.pk}/delete/"
        return ctx.web.post(url)

    return Operation(
        name=f"delete {_where(company_wide)} {kind.key}",
        plants=() if company_wide else ("A",),
        creates=False,
        prepare=_existing_item(kind, company_wide),
        saved=lambda t: not kind.model.objects.filter(pk=t.obj.pk).exists(),
        via={
            API: lambda ctx, t: ctx.api.delete(f"/api/{kind.api_prefix}/{t.obj.pk}/"),
            PAGE: page,
            ADMIN: lambda ctx, t: admin_delete(ctx, t.obj),
        },
    )


# --- production plans ---------------------------------------------------------------


def plan_file(ctx: Ctx, name: str) -> SimpleUploadedFile:
    today = ctx.a.local_today()
    monday = today - datetime.timedelta(days=today.weekday())
    lines = ["date,work_centre,load,capacity"] + [
        f"{monday + datetime.timedelta(weeks=w)},Assembly,800,1000" for w in range(4)
    ]
    return SimpleUploadedFile(name, "\n".join(lines).encode(), "text/csv")


def _plan_upload_page(ctx: Ctx, t: Target):
    """Preview, then import the previewed file."""
    base = f"/plants/{ctx.a.code}/plan/"
    preview = ctx.web.post(
        base + "preview/", {"file": plan_file(ctx, t.name), "granularity": "week"}
    )
    token = preview.context.get("token") if preview.context else None
    if preview.status_code != 200 or not token:
        return preview
    return ctx.web.post(base + "import/", {"token": token})


PLAN_UPLOAD = Operation(
    name="upload a production plan at A",
    plants=("A",),
    creates=True,
    prepare=lambda ctx: Target(name=label("plan").replace(" ", "-") + ".csv"),
    saved=lambda t: ProductionPlan.objects.filter(source_name=t.name).exists(),
    via={
        API: lambda ctx, t: ctx.api.post(
            f"/api/plants/{ctx.a.code}/production-plans/",
            {"file": plan_file(ctx, t.name), "granularity": "week"},
            format="multipart",
        ),
        PAGE: _plan_upload_page,
        ADMIN: lambda ctx, t: ctx.web.post(
            admin_url(ProductionPlan, "import"),
            {
                "plant": ctx.a.pk,
                "granularity": "week",
                "file": plan_file(ctx, t.name),
            },
        ),
    },
)

PLAN_TOGGLE = Operation(
    name="switch off a production plan at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(obj=ProductionPlanFactory(plant=ctx.a, active=True)),
    saved=lambda t: not ProductionPlan.objects.get(pk=t.obj.pk).active,
    via={
        PAGE: lambda ctx, t: ctx.web.post(
            f"/plants/{ctx.a.code}/plan/{t.obj.pk}/toggle/"
        ),
        ADMIN: lambda ctx, t: admin_change(ctx, t.obj, {"active": False}),
    },
)

# --- calendar files (.ics) ------------------------------------------------------


def ics_file(ctx: Ctx, name: str) -> SimpleUploadedFile:
    day = ctx.a.local_today() + datetime.timedelta(days=30)
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//tests//EN\r\n"
        f"BEGIN:VEVENT\r\nUID:{name.replace(' ', '-')}\r\nSUMMARY:{name}\r\n"
        f"DTSTART;VALUE=DATE:{day:%Y%m%d}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    return SimpleUploadedFile("shutdowns.ics", text.encode(), "text/calendar")


def _calendar_import_page(ctx: Ctx, t: Target):
    """Preview, then import the previewed file."""
    base = f"/plants/{ctx.a.code}/data/import/"
    preview = ctx.web.post(base, {"file": ics_file(ctx, t.name), "kind": "closure"})
    token = preview.context.get("token") if preview.context else None
    if preview.status_code != 200 or not token:
        return preview
    return ctx.web.post(base + "confirm/", {"token": token})


CALENDAR_IMPORT = Operation(
    name="import closures from an .ics file at A",
    plants=("A",),
    creates=True,
    prepare=lambda ctx: Target(name=label("shutdown")),
    saved=lambda t: CalendarException.objects.filter(name=t.name).exists(),
    via={
        API: lambda ctx, t: ctx.api.post(
            f"/api/plants/{ctx.a.code}/calendar-import/",
            {"file": ics_file(ctx, t.name), "as": "closure", "confirm": "true"},
            format="multipart",
        ),
        PAGE: _calendar_import_page,
    },
)

# --- suggested seasons -------------------------------------------------------------


def _suggestion_fresh(ctx: Ctx) -> Target:
    """A's suggested Golden Week, not yet accepted (every attempt accepts it
    anew)."""
    PeakSeason.objects.filter(plant=ctx.a, anchor="national-day").delete()
    return Target(key="golden-week")


SUGGESTION_ACCEPT = Operation(
    name="accept a suggested season at A",
    plants=("A",),
    creates=True,
    prepare=_suggestion_fresh,
    saved=lambda t: PeakSeason.objects.filter(anchor="national-day").exists(),
    via={
        API: lambda ctx, t: ctx.api.post(
            f"/api/plants/{ctx.a.code}/suggested-seasons/",
            {"suggestions": [t.key]},
            format="json",
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/plants/{ctx.a.code}/data/suggested-seasons/", {"suggestion": t.key}
        ),
    },
)

# --- plants -----------------------------------------------------------------------


def _plant_like_a(ctx: Ctx) -> Target:
    """A plant of its own that the actor belongs to wherever they belong to A
    (so it answers like A: seen by A's members, hidden from B's)."""
    number = next(_numbers)
    plant = plant_create(
        code=f"p{number}", name=f"Plant {number}", timezone="UTC", country="CN"
    )
    if "A" in ctx.role.plants:
        plant.members.add(ctx.user)
    return Target(obj=plant, name=label("renamed plant"))


def _new_plant(t: Target) -> dict:
    return {"code": t.code, "name": t.code, "timezone": "UTC", "country": "CN"}


PLANT_CREATE = Operation(
    name="create a plant",
    plants=(),
    creates=True,
    prepare=lambda ctx: Target(code=f"new{next(_numbers)}"),
    saved=lambda t: Plant.objects.filter(code=t.code).exists(),
    via={
        API: lambda ctx, t: ctx.api.post("/api/plants/", _new_plant(t), format="json"),
        ADMIN: lambda ctx, t: admin_add(ctx, Plant, {**_new_plant(t), "members": []}),
    },
)

PLANT_CHANGE = Operation(
    name="change the settings of a plant like A",
    plants=("A",),
    creates=False,
    prepare=_plant_like_a,
    saved=lambda t: Plant.objects.filter(pk=t.obj.pk, name=t.name).exists(),
    via={
        API: lambda ctx, t: ctx.api.patch(
            f"/api/plants/{t.obj.code}/", {"name": t.name}, format="json"
        ),
        ADMIN: lambda ctx, t: admin_change(
            ctx, t.obj, {"name": t.name, "members": list(t.obj.members.all())}
        ),
    },
)

PLANT_DELETE = Operation(
    name="delete a plant like A",
    plants=("A",),
    creates=False,
    prepare=_plant_like_a,
    saved=lambda t: not Plant.objects.filter(pk=t.obj.pk).exists(),
    via={
        API: lambda ctx, t: ctx.api.delete(f"/api/plants/{t.obj.code}/"),
        ADMIN: lambda ctx, t: admin_delete(ctx, t.obj),
    },
)

# --- rollouts and scoring profiles ------------------------------------------------

PHASES = {"training_days": 5, "cutover_days": 2, "hypercare_days": 5}


def _plants(ctx: Ctx, keys: tuple[str, ...]) -> list:
    return [ctx.world.plant(k) for k in keys]


def _rollout(ctx: Ctx, keys: tuple[str, ...], profile=None) -> Rollout:
    rollout = Rollout.objects.create(
        name=label("rollout"),
        kind=Rollout.Kind.WMS,
        profile=profile or ctx.world.rollout.profile,
        **PHASES,
    )
    rollout.plants.set(_plants(ctx, keys))
    return rollout


def _rollout_form(ctx: Ctx, t: Target, keys: tuple[str, ...]) -> dict:
    return {
        "name": t.name,
        "kind": Rollout.Kind.WMS,
        "description": "",
        "plants": _plants(ctx, keys),
        **PHASES,
        "earliest_go_live": None,
        "latest_go_live": None,
        "profile": ctx.world.rollout.profile,
        "active": True,
    }


def _where_plants(keys: tuple[str, ...]) -> str:
    return " and ".join(keys)


def rollout_create(keys: tuple[str, ...]) -> Operation:
    def service(ctx, t):
        return rollout_save(
            rollout=Rollout(
                name=t.name,
                kind=Rollout.Kind.WMS,
                created_by=ctx.user,
                **PHASES,
            ),
            plants=_plants(ctx, keys),
            user=ctx.user,
        )

    return Operation(
        name=f"create a rollout at {_where_plants(keys)}",
        plants=keys,
        creates=True,
        prepare=lambda ctx: Target(name=label("new rollout")),
        saved=lambda t: Rollout.objects.filter(name=t.name).exists(),
        via={
            API: lambda ctx, t: ctx.api.post(
                "/api/rollouts/",
                {
                    "name": t.name,
                    "kind": Rollout.Kind.WMS,
                    "plants": [p.code for p in _plants(ctx, keys)],
                    **PHASES,
                },
                format="json",
            ),
            PAGE: lambda ctx, t: ctx.web.post(
                "/rollouts/new/", form_data(_rollout_form(ctx, t, keys))
            ),
            ADMIN: lambda ctx, t: admin_add(ctx, Rollout, _rollout_form(ctx, t, keys)),
            SERVICE: service,
        },
    )


def rollout_update(keys: tuple[str, ...]) -> Operation:
    def service(ctx, t):
        t.obj.name = t.name
        return rollout_save(rollout=t.obj, user=ctx.user)

    return Operation(
        name=f"rename a rollout at {_where_plants(keys)}",
        plants=keys,
        creates=False,
        prepare=lambda ctx: Target(obj=_rollout(ctx, keys), name=label("renamed")),
        saved=lambda t: Rollout.objects.filter(pk=t.obj.pk, name=t.name).exists(),
        via={
            API: lambda ctx, t: ctx.api.patch(
                f"/api/rollouts/{t.obj.pk}/", {"name": t.name}, format="json"
            ),
            PAGE: lambda ctx, t: ctx.web.post(
                f"/rollouts/{t.obj.pk}/",
                form_data(_rollout_form(ctx, t, keys)),
            ),
            ADMIN: lambda ctx, t: admin_change(ctx, t.obj, {"name": t.name}),
            SERVICE: service,
        },
    )


def profile_edit(keys: tuple[str, ...] | None) -> Operation:
    """Change the weights' description of a profile used by a rollout at
    `keys` (None: used by no rollout)."""

    def prepare(ctx):
        profile = ScoringProfile.objects.create(name=label("profile"))
        if keys is not None:
            _rollout(ctx, keys, profile=profile)
        return Target(obj=profile, text=label("weights explained"))

    def page(ctx, t):
        values = model_to_dict(t.obj, fields=ScoringProfileForm._meta.fields)
        values["description"] = t.text
        return ctx.web.post(f"/profiles/{t.obj.pk}/", form_data(values))

    def service(ctx, t):
        t.obj.description = t.text
        return scoring_profile_save(profile=t.obj, user=ctx.user)

    used = f"used by a rollout at {_where_plants(keys)}" if keys else "no rollout uses"
    return Operation(
        name=f"edit a scoring profile {used}",
        plants=(),
        creates=False,
        prepare=prepare,
        saved=lambda t: ScoringProfile.objects.filter(
            pk=t.obj.pk, description=t.text
        ).exists(),
        via={
            PAGE: page,
            ADMIN: lambda ctx, t: admin_change(ctx, t.obj, {"description": t.text}),
            SERVICE: service,
        },
    )


# --- programs -------------------------------------------------------------------------


def _program(ctx: Ctx, keys: tuple[str, ...], **fields) -> Program:
    return program_save(
        program=Program(name=label("program"), rollout=_rollout(ctx, keys), **fields),
        plants=_plants(ctx, keys),
        teams=[TeamInput(name="Core")],
    )


def program_create(keys: tuple[str, ...]) -> Operation:
    def prepare(ctx):
        return Target(name=label("new program"), rollout=_rollout(ctx, keys))

    return Operation(
        name=f"create a program at {_where_plants(keys)}",
        plants=keys,
        creates=True,
        prepare=prepare,
        saved=lambda t: Program.objects.filter(name=t.name).exists(),
        via={
            API: lambda ctx, t: ctx.api.post(
                "/api/programs/",
                {
                    "name": t.name,
                    "rollout": t.rollout.pk,
                    "plants": [p.code for p in _plants(ctx, keys)],
                    "teams": [{"name": "Core", "capacity": 1}],
                },
                format="json",
            ),
            SERVICE: lambda ctx, t: program_save(
                program=Program(name=t.name, rollout=t.rollout, owner=ctx.user),
                plants=_plants(ctx, keys),
                teams=[TeamInput(name="Core")],
                user=ctx.user,
            ),
        },
    )


def _renamed_program(ctx: Ctx, t: Target):
    t.obj.name = t.name
    return program_save(program=t.obj, user=ctx.user)


PROGRAM_UPDATE = Operation(
    name="rename a program at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(obj=_program(ctx, ("A",)), name=label("renamed")),
    saved=lambda t: Program.objects.filter(pk=t.obj.pk, name=t.name).exists(),
    via={
        API: lambda ctx, t: ctx.api.patch(
            f"/api/programs/{t.obj.pk}/", {"name": t.name}, format="json"
        ),
        SERVICE: _renamed_program,
    },
)

PROGRAM_DELETE = Operation(
    name="delete a program at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(obj=_program(ctx, ("A",))),
    saved=lambda t: not Program.objects.filter(pk=t.obj.pk).exists(),
    via={
        API: lambda ctx, t: ctx.api.delete(f"/api/programs/{t.obj.pk}/"),
        SERVICE: lambda ctx, t: program_delete(program=t.obj, user=ctx.user),
    },
)

PROGRAM_PLAN = Operation(
    name="plan a program at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(obj=_program(ctx, ("A",))),
    saved=lambda t: Program.objects.get(pk=t.obj.pk).plan_requested_at is not None,
    via={
        API: lambda ctx, t: ctx.api.post(f"/api/programs/{t.obj.pk}/plan/"),
        PAGE: lambda ctx, t: ctx.web.post(f"/programs/{t.obj.pk}/plan/"),
        SERVICE: lambda ctx, t: program_plan_request(program=t.obj, user=ctx.user),
    },
)


def _planned_program(ctx: Ctx) -> Target:
    """A program at A whose plan puts A's go-live on the world's quiet day."""
    program = _program(ctx, ("A",))
    program.plan = {
        "assignments": [
            {
                "plant": ctx.a.code,
                "team": "Core",
                "go_live": ctx.world.go_live.isoformat(),
                "pinned": False,
            }
        ],
        "conflicts": [],
    }
    program.save(update_fields=["plan"])
    return Target(obj=program)


PROGRAM_PROPOSE_ALL = Operation(
    name="propose every go-live of a program at A",
    plants=("A",),
    creates=False,
    prepare=_planned_program,
    saved=lambda t: GoLiveProposal.objects.filter(
        rollout=t.obj.rollout, status=Status.DRAFT
    ).exists(),
    via={
        PAGE: lambda ctx, t: ctx.web.post(f"/programs/{t.obj.pk}/propose-all/"),
        SERVICE: lambda ctx, t: program_propose_all(program=t.obj, user=ctx.user),
    },
)

# --- proposals ------------------------------------------------------------------------

CONFLICT = {
    "kind": "season",
    "name": "Autumn peak",
    "phase": "cutover",
    "start": "2027-09-01",
    "end": "2027-09-30",
}


def proposal_at_a(ctx: Ctx, status: str = Status.DRAFT, **fields) -> GoLiveProposal:
    """A proposal at A in `status`, made directly: who may move it does not
    depend on how it got there. Its proposer is the actor where the role says
    so, else another IT lead of A."""
    return GoLiveProposal.objects.create(
        rollout=ctx.world.rollout,
        plant=ctx.a,
        go_live=ctx.world.go_live,
        proposer=ctx.user if ctx.role.proposer else ctx.world.author,
        status=status,
        **{"contingency_fallback": "Back to the legacy system.", **fields},
    )


def _refetch(proposal: GoLiveProposal) -> GoLiveProposal:
    return GoLiveProposal.objects.get(pk=proposal.pk)


PROPOSAL_CREATE = Operation(
    name="propose a go-live at A",
    plants=("A",),
    creates=True,
    prepare=lambda ctx: Target(decider=label("decider")),
    saved=lambda t: GoLiveProposal.objects.filter(
        contingency_decider=t.decider
    ).exists(),
    via={
        API: lambda ctx, t: ctx.api.post(
            "/api/proposals/",
            {
                "plant": ctx.a.code,
                "rollout": ctx.world.rollout.pk,
                "go_live": ctx.world.go_live.isoformat(),
                "contingency_decider": t.decider,
            },
            format="json",
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            "/proposals/new/",
            form_data(
                {
                    "plant": ctx.a,
                    "rollout": ctx.world.rollout,
                    "go_live": ctx.world.go_live,
                    "contingency_decider": t.decider,
                }
            ),
        ),
        SERVICE: lambda ctx, t: proposal_services.proposal_create(
            user=ctx.user,
            rollout=ctx.world.rollout,
            plant=ctx.a,
            go_live=ctx.world.go_live,
            contingency_decider=t.decider,
        ),
    },
)

PROPOSAL_EDIT = Operation(
    name="edit a draft proposal at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(obj=proposal_at_a(ctx), decider=label("decider")),
    saved=lambda t: _refetch(t.obj).contingency_decider == t.decider,
    via={
        API: lambda ctx, t: ctx.api.patch(
            f"/api/proposals/{t.obj.pk}/",
            {"contingency_decider": t.decider},
            format="json",
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/proposals/{t.obj.pk}/edit/",
            form_data({"go_live": t.obj.go_live, "contingency_decider": t.decider}),
        ),
        SERVICE: lambda ctx, t: proposal_services.proposal_update(
            proposal=t.obj, user=ctx.user, contingency_decider=t.decider
        ),
    },
)

PROPOSAL_REVISE = Operation(
    name="revise a submitted proposal at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(
        obj=proposal_at_a(ctx, Status.SUBMITTED), decider=label("decider")
    ),
    saved=lambda t: _refetch(t.obj).contingency_decider == t.decider,
    via={
        API: lambda ctx, t: ctx.api.patch(
            f"/api/proposals/{t.obj.pk}/",
            {"contingency_decider": t.decider},
            format="json",
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/proposals/{t.obj.pk}/edit/",
            form_data(
                {
                    "go_live": t.obj.go_live,
                    "contingency_fallback": t.obj.contingency_fallback,
                    "contingency_decider": t.decider,
                }
            ),
        ),
        SERVICE: lambda ctx, t: proposal_services.proposal_update(
            proposal=t.obj, user=ctx.user, contingency_decider=t.decider
        ),
    },
)


def step_inputs(ctx: Ctx, step: workflow.Step, where: str) -> dict:
    """A value for every input of the step, as `where` takes it: the API
    (JSON), the page (form, shares in %) or the service (Python)."""
    values: dict[str, Any] = {}
    for spec in step.input_specs():
        if spec.kind == "date":
            value: Any = ctx.world.go_live + datetime.timedelta(days=14)
        elif spec.kind == "rating":
            value = 4
        elif spec.kind == "share":
            value = 80 if where == PAGE else 0.8
        else:
            value = f"{spec.name} given"
        values[spec.name] = value
    if where == API:
        return json_data(values)
    if where == PAGE:
        return {f"{step.action}-{k}": v for k, v in form_data(values).items()}
    return values


def step_operation(step: workflow.Step) -> Operation:
    """The step from its first source status (paused from go; with new
    conflicts where the step does not move the proposal)."""

    def prepare(ctx):
        fields: dict[str, Any] = {}
        if step.sources[0] == Status.PAUSED:
            fields["paused_from"] = Status.GO
        if not step.moves:
            fields["revalidation_conflicts"] = [CONFLICT]
        return Target(obj=proposal_at_a(ctx, step.sources[0], **fields))

    def saved(t):
        return ProposalTransition.objects.filter(
            proposal=t.obj, action=step.action
        ).exists()

    return Operation(
        name=f"take the {step.action} step on a proposal at A that is "
        f"{Status(step.sources[0]).label}",
        plants=("A",),
        creates=False,
        prepare=prepare,
        saved=saved,
        via={
            API: lambda ctx, t: ctx.api.post(
                f"/api/proposals/{t.obj.pk}/{step.action}/",
                step_inputs(ctx, step, API),
                format="json",
            ),
            PAGE: lambda ctx, t: ctx.web.post(
                f"/proposals/{t.obj.pk}/do/{step.action}/",
                step_inputs(ctx, step, PAGE),
            ),
            SERVICE: lambda ctx, t: workflow.service(step.action)(
                proposal=t.obj, user=ctx.user, **step_inputs(ctx, step, SERVICE)
            ),
        },
    )


CHECKLIST_ADD = Operation(
    name="add a checklist item to a proposal at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(obj=proposal_at_a(ctx), title=label("item")),
    saved=lambda t: ReadinessItem.objects.filter(title=t.title).exists(),
    via={
        API: lambda ctx, t: ctx.api.post(
            f"/api/proposals/{t.obj.pk}/checklist/", {"title": t.title}, format="json"
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/proposals/{t.obj.pk}/checklist/", {"title": t.title}
        ),
        SERVICE: lambda ctx, t: proposal_services.readiness_item_create(
            proposal=t.obj, user=ctx.user, title=t.title
        ),
    },
)


def _open_item(ctx: Ctx) -> Target:
    """An item nobody owns (its owner may tick it whatever their role)."""
    item = ReadinessItem.objects.create(
        proposal=proposal_at_a(ctx), title=label("item"), owner=None
    )
    return Target(obj=item.proposal, item=item)


CHECKLIST_TICK = Operation(
    name="tick a checklist item of a proposal at A",
    plants=("A",),
    creates=False,
    prepare=_open_item,
    saved=lambda t: ReadinessItem.objects.get(pk=t.item.pk).done_at is not None,
    via={
        API: lambda ctx, t: ctx.api.patch(
            f"/api/proposals/{t.obj.pk}/checklist/{t.item.pk}/",
            {"done": True},
            format="json",
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/proposals/{t.obj.pk}/checklist/{t.item.pk}/", {"done": "on"}
        ),
        SERVICE: lambda ctx, t: proposal_services.readiness_item_update(
            item=t.item, user=ctx.user, done=True
        ),
    },
)


def _observation(t: Target) -> dict:
    return {
        "severity": Observation.Severity.values[0],
        "area": Observation.Area.values[0],
        "description": t.text,
    }


OBSERVATION = Operation(
    name="record an observation on a going-live proposal at A",
    plants=("A",),
    creates=False,
    prepare=lambda ctx: Target(
        obj=proposal_at_a(ctx, Status.GO), text=label("line 3 slower")
    ),
    saved=lambda t: Observation.objects.filter(description=t.text).exists(),
    via={
        API: lambda ctx, t: ctx.api.post(
            f"/api/proposals/{t.obj.pk}/observations/", _observation(t), format="json"
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/proposals/{t.obj.pk}/observations/", _observation(t)
        ),
        SERVICE: lambda ctx, t: proposal_services.observation_create(
            proposal=t.obj, user=ctx.user, **_observation(t)
        ),
    },
)


def _closed_with_review(ctx: Ctx) -> Target:
    proposal = proposal_at_a(ctx, Status.CLOSED)
    review = ProposalReview.objects.create(
        proposal=proposal,
        planned_go_live=proposal.go_live,
        closed_on=ctx.a.local_today(),
        lessons_learned="First thoughts.",
        rating=3,
        reviewed_by=ctx.world.author,
    )
    return Target(obj=proposal, review=review, text=label("lessons"))


REVIEW_EDIT = Operation(
    name="edit the review of a closed proposal at A",
    plants=("A",),
    creates=False,
    prepare=_closed_with_review,
    saved=lambda t: (
        ProposalReview.objects.get(pk=t.review.pk).lessons_learned == t.text
    ),
    via={
        API: lambda ctx, t: ctx.api.patch(
            f"/api/proposals/{t.obj.pk}/review/",
            {"lessons_learned": t.text},
            format="json",
        ),
        PAGE: lambda ctx, t: ctx.web.post(
            f"/proposals/{t.obj.pk}/review/",
            {"lessons_learned": t.text, "rating": "4"},
        ),
        SERVICE: lambda ctx, t: proposal_services.review_update(
            review=t.review, user=ctx.user, lessons_learned=t.text
        ),
    },
)

# --- the table ---------------------------------------------------------------------


def _company_wide_kinds() -> list[ItemKind]:
    return [k for k in ITEM_KINDS.values() if k.company_wide]


TABLE: list[Row] = [
    # Calendar items at plant A: its plant managers.
    *(
        Row(how(kind), CALENDAR_ROLES, PM_OF_A, PM_ANYWHERE)
        for kind in ITEM_KINDS.values()
        for how in (item_create, item_update, item_delete)
    ),
    # Company-wide items: staff only.
    *(
        Row(how(kind, company_wide=True), CALENDAR_ROLES, NOBODY, EVERYONE)
        for kind in _company_wide_kinds()
        for how in (item_create, item_update, item_delete)
    ),
    # The production plan of A: its plant managers.
    Row(PLAN_UPLOAD, CALENDAR_ROLES, PM_OF_A, PM_ANYWHERE),
    Row(PLAN_TOGGLE, CALENDAR_ROLES, PM_OF_A, PM_ANYWHERE),
    Row(CALENDAR_IMPORT, CALENDAR_ROLES, PM_OF_A, PM_ANYWHERE),
    Row(SUGGESTION_ACCEPT, CALENDAR_ROLES, PM_OF_A, PM_ANYWHERE),
    # Plants: staff create and delete them; a plant's managers (and staff)
    # change its settings.
    Row(PLANT_CREATE, CALENDAR_ROLES, NOBODY, EVERYONE),
    Row(PLANT_CHANGE, CALENDAR_ROLES, PM_OF_A, EVERYONE),
    Row(PLANT_DELETE, CALENDAR_ROLES, NOBODY, EVERYONE),
    # Rollouts: IT leads of every plant the rollout runs at.
    Row(rollout_create(("A",)), PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(rollout_create(("A", "B")), PLANNING_ROLES, IT_OF_A_AND_B, IT_ANYWHERE),
    Row(rollout_update(("A",)), PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(rollout_update(("A", "B")), PLANNING_ROLES, IT_OF_A_AND_B, IT_ANYWHERE),
    # Scoring profiles: staff, or an IT lead who may change every rollout
    # using it (any IT lead while no rollout does).
    Row(profile_edit(("A",)), PLANNING_ROLES, IT_OF_A, EVERYONE),
    Row(profile_edit(("A", "B")), PLANNING_ROLES, IT_OF_A_AND_B, EVERYONE),
    Row(profile_edit(None), PLANNING_ROLES, IT_ANYWHERE, EVERYONE),
    # Programs: IT leads of every plant of the program. One at A and B is not
    # seen by who sees only one of them (404), so its changes are tried at A.
    Row(program_create(("A",)), PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(program_create(("A", "B")), PLANNING_ROLES, IT_OF_A_AND_B, IT_ANYWHERE),
    Row(PROGRAM_UPDATE, PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(PROGRAM_DELETE, PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(PROGRAM_PLAN, PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(PROGRAM_PROPOSE_ALL, PLANNING_ROLES, IT_OF_A, IT_ANYWHERE),
    # Proposals at A: IT leads propose and edit drafts; each step as
    # STEP_RULES says; IT leads and plant managers keep the records.
    Row(PROPOSAL_CREATE, PROPOSAL_ROLES, IT_OF_A, IT_ANYWHERE),
    Row(PROPOSAL_EDIT, PROPOSAL_ROLES, IT_OF_A, IT_ANYWHERE),
    # Once submitted, only its proposer revises it (and staff are no exception).
    Row(PROPOSAL_REVISE, PROPOSAL_ROLES, PROPOSERS, PROPOSERS),
    *(
        Row(step_operation(step), PROPOSAL_ROLES, *STEP_RULES[action])
        for action, step in workflow.STEPS.items()
        if action in STEP_RULES
    ),
    Row(CHECKLIST_ADD, PROPOSAL_ROLES, IT_OR_PM_OF_A, IT_OR_PM_ANYWHERE),
    Row(CHECKLIST_TICK, PROPOSAL_ROLES, IT_OR_PM_OF_A, IT_OR_PM_ANYWHERE),
    Row(OBSERVATION, PROPOSAL_ROLES, IT_OR_PM_OF_A, IT_OR_PM_ANYWHERE),
    Row(REVIEW_EDIT, PROPOSAL_ROLES, IT_OR_PM_OF_A, IT_OR_PM_ANYWHERE),
]


@dataclass(frozen=True)
class Case:
    row: Row
    role: Role
    staff: bool

    @property
    def interfaces(self) -> list[str]:
        """The admin only for staff: it sends everyone else to its login."""
        return [i for i in self.row.operation.via if self.staff or i != ADMIN]

    @property
    def allowed(self) -> bool:
        rule = self.row.staff_allowed if self.staff else self.row.allowed
        return self.role.key in rule

    def __str__(self) -> str:
        who = f"staff {self.role.label}" if self.staff else self.role.label
        may = "may" if self.allowed else "may not"
        return f"{who} {may} {self.row.operation.name}"


CASES = [
    Case(row, ROLES[key], staff)
    for row in TABLE
    for staff in (False, True)
    for key in row.roles
]


# --- judging an answer --------------------------------------------------------------


def _error_fields(response) -> set[str]:
    data = getattr(response, "data", None)
    if response.status_code == 400 and isinstance(data, dict):
        return set(data)
    for name in ("form", "adminform"):
        form = response.context.get(name) if response.context else None
        form = getattr(form, "form", form)
        if form is not None and getattr(form, "errors", None):
            return set(form.errors)
    return set()


def _detail(response) -> str:
    if response.status_code >= 500 and getattr(response, "exc_info", None):
        exc = response.exc_info[1]
        return f": {type(exc).__name__}: {exc}"
    data = getattr(response, "data", None)
    if data is not None:
        return f": {data}"
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    if texts:
        return f": {'; '.join(texts)}"
    fields = _error_fields(response)
    return f": errors on {sorted(fields)}" if fields else ""


def http_answer(response, saved: bool) -> str:
    code = response.status_code
    if saved:
        return (
            # 202: accepted, the work queued (a program's plan).
            ALLOWED
            if code in (200, 201, 202, 204, 302)
            else f"saved, yet answered {code}"
        )
    if code == 403:
        return FORBIDDEN
    if code == 404:
        return NOT_FOUND
    fields = _error_fields(response)
    if fields and fields <= CHOICE_FIELDS:
        return UNKNOWN_CHOICE
    if code == 302 and "/admin/login/" in response.url:
        return "sent to the admin login"
    return f"not saved, answered {code}{_detail(response)}"


def service_answer(operation: Operation, ctx: Ctx, target: Target) -> str:
    try:
        operation.via[SERVICE](ctx, target)
    except (workflow.NotAllowed, PermissionDenied):
        refused = not operation.saved(target)
        return SERVICE_REFUSED if refused else "saved, yet refused"
    except Exception as exc:  # noqa: BLE001  (any other answer is reported)
        return f"not saved: {type(exc).__name__}: {exc}"
    return ALLOWED if operation.saved(target) else "returned, yet not saved"


def attempt(operation: Operation, interface: str, ctx: Ctx) -> str:
    """Try the write once through `interface`, on an object of its own."""
    target = operation.prepare(ctx)
    if interface == SERVICE:
        return service_answer(operation, ctx, target)
    response = operation.via[interface](ctx, target)
    return http_answer(response, operation.saved(target))


def expected(case: Case, interface: str) -> set[str]:
    """The answers that agree with the table for this interface."""
    if case.allowed:
        return {ALLOWED}
    if interface == SERVICE:
        return {SERVICE_REFUSED}
    operation = case.row.operation
    plants = set(operation.plants)
    seen = plants if case.staff else plants & set(case.role.plants)
    if operation.creates:
        if seen == plants:
            return {FORBIDDEN}
        # Naming a plant the user does not see: as if it did not exist (not
        # found, or not among the choices); or forbidden for lack of the role.
        return {FORBIDDEN, NOT_FOUND, UNKNOWN_CHOICE}
    if plants and not seen:
        return {NOT_FOUND}  # another plant's object: its existence stays hidden
    return {FORBIDDEN}  # seen (through one of its plants, or by everyone)


def _clients(user) -> tuple[Client, APIClient]:
    web = Client(raise_request_exception=False)
    web.force_login(user)
    api = APIClient()
    api.raise_request_exception = False
    api.force_authenticate(user)
    return web, api


@pytest.mark.parametrize("case", CASES, ids=str)
def test_every_interface_lets_in_exactly_the_users_the_table_allows(case, world):
    user = user_with(case.role, world, staff=case.staff)
    web, api = _clients(user)
    ctx = Ctx(
        world=world, role=case.role, staff=case.staff, user=user, web=web, api=api
    )
    answers = {i: attempt(case.row.operation, i, ctx) for i in case.interfaces}
    wrong = {i for i, a in answers.items() if a not in expected(case, i)}
    report = "\n".join(
        f"  {i}: {a}"
        + (
            f"  <-- expected {' or '.join(sorted(expected(case, i)))}"
            if i in wrong
            else ""
        )
        for i, a in answers.items()
    )
    assert not wrong, f"{case}:\n{report}"


# --- what the table itself relies on -----------------------------------------------


def test_every_workflow_step_has_a_rule():
    assert set(STEP_RULES) == set(workflow.STEPS)


def test_every_calendar_kind_is_created_changed_and_deleted_through_three_interfaces():
    rows = {row.operation.name: row for row in TABLE}
    for kind in ITEM_KINDS.values():
        for verb in ("create", "change", "delete"):
            row = rows[f"{verb} at A a {kind.key}"]
            assert set(row.operation.via) == {API, PAGE, ADMIN}


def test_the_admin_sends_users_who_are_not_staff_to_its_login(world):
    """Why the admin is tried with staff users only."""
    user = user_with(ROLES["pm_a"], world)
    web, _api = _clients(user)
    kind = next(iter(ITEM_KINDS.values()))
    response = web.post(admin_url(kind.model, "add"), {})
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "model", [GoLiveProposal, ProposalReview], ids=lambda m: m.__name__
)
def test_the_admin_offers_no_proposal_write_even_to_a_superuser(model, world):
    """Proposals move only through their services: the admin offers none of
    their writes, so it is not a column of the table for them."""
    web = Client()
    web.force_login(UserFactory(superuser=True))
    proposal = GoLiveProposal.objects.create(
        rollout=world.rollout,
        plant=world.a,
        go_live=world.go_live,
        proposer=world.author,
        status=Status.CLOSED,
    )
    obj = proposal
    if model is ProposalReview:
        obj = ProposalReview.objects.create(
            proposal=proposal,
            planned_go_live=proposal.go_live,
            closed_on=world.a.local_today(),
            lessons_learned="Fine.",
            rating=4,
        )
    assert web.post(admin_url(model, "add"), {}).status_code == 403
    assert web.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert (
        web.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    )


def test_the_table_tries_every_write_through_more_than_one_interface():
    assert all(len(row.operation.via) >= 2 for row in TABLE)
