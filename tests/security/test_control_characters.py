"""Finding 10, for every write: a NUL (or any other control character) in a
text that reaches the database is refused with an error naming the field,
never a 500 (PostgreSQL refuses NUL in text with a DataError), and nothing
is saved.

The table is the route sweep's (tests/sweep): every URL pattern of the site,
filled from its seeded world, with the valid body it knows for each write
(API, pages, admin). Each text value of each body is sent once with a NUL
and once with a BEL (U+0007) appended, by the superuser (who reaches every
route), and:
- the answer is never a server error;
- the poisoned text is not in the database afterwards (every text column of
  the project's models is searched for it);
- the API answers 400 naming the field; a page or the admin shows the
  guard's message (on the form, or after its redirect).

Run it on PostgreSQL too (DATABASE_URL=postgres://…): that is where a NUL
that slips through becomes a 500.
"""

import itertools
import re

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.db.models import Q
from django.test import Client

from accounts.validators import PROJECT_APPS
from tests.sweep.test_route_sweep import (
    ROUTES,
    SUPERUSER,
    UNFILLABLE,
    CsvFile,
    Route,
    _encode,
    _forget_throttles,
    fill,
    url_of,
    valid_input,
    world,  # noqa: F401  (the sweep's seeded world, a module fixture)
)

CHARACTERS = {"NUL": "\x00", "BEL": "\x07"}
# Sign-in forms answer every wrong input with one message by design (they do
# not say which field was wrong); they store nothing and must not fail.
SIGN_IN = {"web:login", "admin:login", "api-token-obtain"}
_counter = itertools.count(1)
# Values that are not free text: dates, numbers, ids, booleans.
_NOT_TEXT = re.compile(r"^(\d{4}-\d{2}-\d{2}.*|-?[\d.,]+|true|false|on|True|False)$")


# Text columns whose forms offer choices drawn at run time (a calendar item's
# kind, a movable holiday to anchor to) or show them read-only (a plan's file
# name in the admin): refused as "not a valid choice" or ignored, never saved
# (the first assertions still hold for them).
# Likewise choices posted to forms that create what has no object yet (an
# observation's severity and area, a rollout's go-live weekday).
NOT_FREE_TEXT = {"kind", "anchor", "source_name", "severity", "area", "go_live_on"}


def _free_text(model, key: str) -> bool:
    """Whether `key` is free text of `model` (a text field without choices),
    or not a model field at all (a step's comment, a form's own field)."""
    if key in NOT_FREE_TEXT:
        return False
    if model is None:
        return True
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return True
    return isinstance(field, (models.CharField, models.TextField)) and not (
        field.choices
    )


def _text_fields(route: Route, body: dict, seeded, model=None) -> list[str]:
    """The keys of `body` holding free text (not a date, a number, a choice,
    a plant's code or a file)."""
    return [
        key
        for key, value in body.items()
        if isinstance(value, str)
        and _free_text(model, key)
        and not _NOT_TEXT.match(value)
        and value not in (seeded.sz.code, seeded.stg.code)
        and not key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "NUM_FORMS"))
        and key not in ("csrfmiddlewaretoken", "granularity")
    ]


def _stored(token: str) -> list[str]:
    """Where a text containing `token` is stored: model.field of every hit."""
    hits = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
        ]
        if not fields:
            continue
        query = Q()
        for name in fields:
            query |= Q(**{f"{name}__contains": token})
        if model._default_manager.filter(query).exists():
            hits.append(model._meta.label)
    return hits


# Routes that take a body but are no write of its text: deleting, an
# object's history, switching a plan on or off.
NOT_TEXT_WRITES = re.compile(r"(_delete|_history|delete/|history/|toggle)")


# The pages whose POST is a form that saves text (the others only read, or
# take ids and choices).
FORM_PAGES = {
    "web:item_create",
    "web:item_edit",
    "web:proposal_create",
    "web:proposal_edit",
    "web:proposal_act",
    "web:checklist_add",
    "web:checklist_update",
    "web:observation_add",
    "web:review_edit",
    "web:rollout_create",
    "web:rollout_edit",
    "web:profile_edit",
    "web:login",
}
_ADMIN_FORM = re.compile(r"^admin:(\w+?)_\w+_(add|change)$")


def _add_model(route: Route):
    found = _ADMIN_FORM.match(route.id)
    if not found or found[2] != "add":
        return None
    app_label, model_name = route.id[len("admin:") :].rsplit("_", 1)[0].split("_", 1)
    try:
        return apps.get_model(app_label, model_name)
    except LookupError:
        return None


def _routes(areas: tuple[str, ...]) -> list[Route]:
    """The API's routes; the form pages; the admin's add and change forms of
    the project's models."""
    chosen = []
    for route in ROUTES:
        if route.area not in areas or route.id in UNFILLABLE:
            continue
        if route.area == "page" and route.id not in FORM_PAGES:
            continue
        if route.area == "admin":
            found = _ADMIN_FORM.match(route.id)
            if not found or found[1] not in PROJECT_APPS:
                continue
        if NOT_TEXT_WRITES.search(route.id):
            continue
        chosen.append(route)
    return chosen


def _shown(route: Route) -> bool:
    """Whether the answer must show the guard's message: a form of the page
    or the admin that saves the field (sign-in forms answer every wrong input
    alike by design)."""
    return route.id not in SIGN_IN


def _send(client: Client, seeded, route, target, method, body) -> tuple:
    """(status, content, content after following a page's redirect)."""
    url = url_of(route, target, SUPERUSER, seeded)
    api = route.area == "api"
    headers = {}
    client.cookies.clear()
    if api:
        headers["HTTP_AUTHORIZATION"] = f"Token {seeded.api_tokens[SUPERUSER]}"
    else:
        client.cookies[settings.SESSION_COOKIE_NAME] = seeded.sessions[SUPERUSER]
    data, content_type = _encode(body, api=api, method=method)
    _forget_throttles()
    response = client.generic(
        method, url, data=data, content_type=content_type, **headers
    )
    content = response.content.decode(errors="replace")
    after = ""
    location = response.get("Location", "")
    if not api and response.status_code in (301, 302, 303) and location:
        after = client.get(location).content.decode(errors="replace")
    return response.status_code, content, after


def _probe(client, seeded, route, method) -> tuple[int, list[str]]:
    """Each text value of the route's known bodies with a NUL and with a BEL:
    (requests made, problems found)."""
    world = seeded  # noqa: F811
    problems, tried = [], 0
    for target in fill(route, world):
        valid = valid_input(route, target, SUPERUSER, world)
        body = valid.body or {}
        if any(isinstance(v, CsvFile) for v in body.values()):
            continue  # plan files name row and column: tests/calendars
        model = type(target.obj) if target.obj is not None else _add_model(route)
        for key, (label, char) in itertools.product(
            _text_fields(route, body, world, model), CHARACTERS.items()
        ):
            token = f"ctl{next(_counter)}x"
            poisoned = {**body, key: f"{body[key]}{char}{token}"}
            with transaction.atomic():
                try:
                    status, content, after = _send(
                        client, world, route, target, method, poisoned
                    )
                    stored = _stored(token)
                finally:
                    transaction.set_rollback(True)
            tried += 1
            where = f"{method} {route.id} {key} with {label}"
            code_point = f"U+{ord(char):04X}"
            if status >= 500:
                problems.append(f"{where}: {status}")
                continue
            if stored:
                problems.append(f"{where}: saved in {', '.join(stored)}")
            if status in (404, 405) or not _shown(route):
                continue
            if route.area == "api":
                if status != 400 or key not in content or code_point not in content:
                    problems.append(f"{where}: {status} {content[:200]}")
            elif status < 400 and code_point not in content + after:
                problems.append(f"{where}: {status}, the guard's message not shown")
    return tried, problems


@pytest.mark.django_db
def test_every_api_write_refuses_control_characters_naming_the_field(
    world,  # noqa: F811
):
    client, tried, problems, reached = Client(), 0, [], set()
    for route in _routes(("api",)):
        for method in ("POST", "PATCH"):
            n, found = _probe(client, world, route, method)
            tried += n
            problems += found
            if n:
                reached.add(route.id)
    assert {"proposals:list", "proposals:checklist", "api-feed-token"} & reached
    assert len(reached) >= 10, sorted(reached)
    assert not problems, f"{len(problems)} of {tried}:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_every_page_and_admin_form_refuses_control_characters(
    world,  # noqa: F811
):
    client, tried, problems, reached = Client(), 0, [], set()
    for route in _routes(("page", "admin")):
        n, found = _probe(client, world, route, "POST")
        tried += n
        problems += found
        if n:
            reached.add(route.id)
    assert FORM_PAGES - {"web:login"} - reached == set(), sorted(reached)
    assert any(r.startswith("admin:calendars_") for r in reached), sorted(reached)
    assert not problems, f"{len(problems)} of {tried}:\n" + "\n".join(problems)


def test_the_guard_keeps_tabs_and_line_breaks():
    from accounts.validators import control_character

    assert control_character("Line one\r\nline two\twith a tab") is None
    assert control_character("nul\x00") == "U+0000"
    assert control_character("bell\x07") == "U+0007"
    assert control_character("del\x7f") == "U+007F"


def test_a_nul_in_the_path_or_the_query_is_a_400_naming_it(client, db):
    api_query = client.get("/api/proposals/", {"plant": "sz\x00"})
    api_path = client.get("/api/plants/sz%00/calendar/")
    page_query = client.get("/proposals/", {"plant": "sz\x00"})

    assert api_query.status_code == api_path.status_code == 400
    assert "plant" in api_query.json()
    assert "path" in api_path.json()
    assert page_query.status_code == 400
    assert b"plant:" in page_query.content
