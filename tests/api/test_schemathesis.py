"""Property-based contract test: Schemathesis generates requests from
/api/schema/ and checks the responses (no 5xx, status codes, content types
and bodies as documented, authentication not ignored).

Two parts:
- every operation on its own, MAX_EXAMPLES examples each (positive and
  negative data). Path and id parameters are pinned to a mix of the seeded
  objects of the fuzzer's plant, another plant's objects and unknown ids, so
  the fuzzer reaches real objects (proposals in several statuses, their
  checklist items, calendar items, rollouts) and the IDOR answers (404) alike;
- stateful runs: OpenAPI links are added to the schema wherever an operation
  creates something with an id (a POST answering 201 with `id`) and other
  operations take that id in their path, so a run creates a proposal or a
  calendar item and goes on to read, change, move and delete that very one.

Excluded, and why: DELETE /api/auth/tokens/{token_key}/ (token revocation).
Revoking is the one operation whose success takes away the caller's own
credentials: the fuzzer would revoke the token the rest of the run signs in
with (and with it every other token it was given), after which every
operation answers 401 and tests nothing. Revocation has its own tests
(tests/api/test_auth_tokens.py, tests/security/test_token_revocation.py).

MAX_EXAMPLES and STATEFUL_EXAMPLES can be raised with the environment
(SCHEMATHESIS_MAX_EXAMPLES, SCHEMATHESIS_STATEFUL_EXAMPLES). With 15 and 40
the file took 11 minutes on two cores shared with five other test runs; the
defaults (12 and 30) are meant to fit about three minutes on two free cores.
"""

import copy
import datetime
import os
import re

import hypothesis
import hypothesis.strategies as st
import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    positive_data_acceptance,
)

from accounts.permissions import IT_LEAD, PLANT_MANAGER
from config.wsgi import application
from proposals import services as proposal_services
from proposals.models import GoLiveProposal
from tests.api.conftest import token_for
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    ProductionPlanFactory,
    UserFactory,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "12"))
STATEFUL_EXAMPLES = int(os.environ.get("SCHEMATHESIS_STATEFUL_EXAMPLES", "30"))
UNKNOWN_ID = 987654
REVOKE = ("DELETE", "/api/auth/tokens/{token_key}/")
Status = GoLiveProposal.Status

# Health checks: only `too_slow` is suppressed. Each example is a whole
# request through Django and the database (an evaluation scores a horizon),
# so generating and running a batch takes longer than Hypothesis' budget for
# pure functions; that is the test's nature, not a generator that struggles.
# The other checks (filtering too much, large base examples, data too large,
# nested given) stay on: they would point at a schema the generator cannot
# satisfy, which is worth a failure.
SUPPRESSED = [hypothesis.HealthCheck.too_slow]


@pytest.fixture
def fuzzer(plant):
    """A plant manager and IT lead of `plant` (not of `other_plant`)."""
    user = UserFactory(username="fuzzer")
    user.groups.add(*Group.objects.filter(name__in=[PLANT_MANAGER, IT_LEAD]))
    plant.members.add(user)
    return user


@pytest.fixture
def fuzz_token(fuzzer):
    return token_for(fuzzer)


def _proposals(plant, rollout, proposer, day) -> list[GoLiveProposal]:
    """Proposals of `plant` in the statuses the workflow moves from."""
    made = []
    for status in (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.GO):
        proposal = proposal_services.proposal_create(
            user=proposer,
            rollout=rollout,
            plant=plant,
            go_live=day,
            contingency_fallback="Back to the old system.",
        )
        GoLiveProposal.objects.filter(pk=proposal.pk).update(status=status)
        made.append(proposal)
    return made


@pytest.fixture
def seeded(fuzzer, plant, other_plant, rollout, other_rollout, built, other_it_lead):
    """Ids of the objects the fuzzer is pointed at, by path parameter kind."""
    ids = {}
    for name, factory in {
        "peak-seasons": PeakSeasonFactory,
        "milestones": MilestoneFactory,
        "blackouts": BlackoutFactory,
        "calendar-exceptions": CalendarExceptionFactory,
    }.items():
        ids[name] = [factory(plant=plant).id, factory(plant=other_plant).id]
    ProductionPlanFactory(plant=plant)
    ids["rollouts"] = [rollout.id, other_rollout.id]
    day = plant.local_today() + datetime.timedelta(days=60)
    own = _proposals(plant, rollout, fuzzer, day)
    other = _proposals(other_plant, other_rollout, other_it_lead, day)[:1]
    ids["proposals"] = [p.id for p in own] + [other[0].id]
    ids["items"] = [
        own[0].checklist.first().id,
        own[1].checklist.first().id,
        other[0].checklist.first().id,
    ]
    return ids


def _pin(raw: dict, ids: dict, plant, other_plant, token_key: str) -> dict:
    """Path parameters pinned to seeded, foreign and unknown objects."""
    for path, operations in raw["paths"].items():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if parameter.get("in") != "path" and name != "rollout":
                    continue
                if name == "code":
                    values = [plant.code, other_plant.code, "nope"]
                elif name == "token_key":
                    values = [token_key, "0" * 15]
                elif name == "item_pk":
                    values = [*ids["items"], UNKNOWN_ID]
                elif name in ("id", "pk") and path.startswith("/api/proposals/"):
                    values = [*ids["proposals"], UNKNOWN_ID]
                elif name == "rollout" and path.startswith("/api/proposals/"):
                    # A filter: an unknown rollout is an empty list, not an
                    # error, so it must stay a free integer.
                    continue
                elif name in ("id", "rollout"):
                    resource = path.split("/")[2]
                    values = [*ids.get(resource, ids["rollouts"]), UNKNOWN_ID]
                else:
                    continue
                parameter["schema"] = {**parameter["schema"], "enum": values}
    return raw


def _links(raw: dict) -> int:
    """OpenAPI links from each POST that creates an object with an id to every
    operation on that object's own path (`/x/` → `/x/{id}/…`). Returns how
    many were added."""
    added = 0
    paths = raw["paths"]
    for collection, operations in paths.items():
        create = operations.get("post")
        if not create:
            continue
        created = create.get("responses", {}).get("201")
        if not created:
            continue
        for path, targets in paths.items():
            found = re.fullmatch(re.escape(collection) + r"\{(\w+)\}/(.*)", path)
            if not found:
                continue
            parameter = found[1]
            for method, target in targets.items():
                if method not in ("get", "put", "patch", "post", "delete"):
                    continue
                if (method.upper(), path) == REVOKE or not target.get("operationId"):
                    continue
                links = created.setdefault("links", {})
                links[f"{method}_{target['operationId']}"] = {
                    "operationId": target["operationId"],
                    "parameters": {parameter: "$response.body#/id"},
                }
                added += 1
    return added


@pytest.fixture
def raw_schema(fuzzer, seeded, plant, other_plant):
    token_key = token_for(fuzzer, "read_only")[:15]
    raw = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    raw = _pin(copy.deepcopy(raw), seeded, plant, other_plant, token_key)
    del raw["paths"][REVOKE[1]][REVOKE[0].lower()]
    return raw


@pytest.fixture
def wsgi_calls():
    # Requests go through the WSGI handler, whose end-of-request signal would
    # close the test's database connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _loaded(raw: dict):
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application
    schema.location = "/api/schema/"
    return schema


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation but token revocation: the schema
    needs no database."""
    with GENERATOR_STATS.silence():  # test_schema.py reports the warnings
        document = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
        and (method.upper(), path) != REVOKE
    ]


OPERATIONS = _operations()
# A schema cannot say which plant codes you see, which dates come in order or
# what a plan file holds: 400s for such schema-valid input are the API
# working. Everything else is checked.
EXCLUDED_CHECKS = [positive_data_acceptance]
# In the stateful runs the state machine also generates credentials from the
# schema's security schemes, while every call is made with the fuzzer's
# token: the "ignored authentication" check would blame the API for the token
# it was given. Authentication is checked operation by operation above.
STATEFUL_EXCLUDED_CHECKS = [positive_data_acceptance, ignored_auth]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS]
)
def test_the_api_keeps_its_schema(raw_schema, wsgi_calls, fuzz_token, method, path):
    operation = _loaded(raw_schema)[path][method]
    cases = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @hypothesis.given(case=cases)
    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=SUPPRESSED,
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case):
        case.call_and_validate(
            headers={"Authorization": f"Token {fuzz_token}"},
            excluded_checks=EXCLUDED_CHECKS,
        )

    run()


def test_the_links_chain_creation_to_the_created_object():
    """The schema gives the state machine somewhere to go: every collection
    that creates objects links to its object's operations."""
    with GENERATOR_STATS.silence():
        document = SchemaGenerator().get_schema(request=None, public=True)
    raw = copy.deepcopy(document)
    assert _links(raw) >= 10
    created = raw["paths"]["/api/proposals/"]["post"]["responses"]["201"]["links"]
    targets = {link["operationId"] for link in created.values()}
    assert {"proposals_approve", "proposals_checklist_create"} <= targets
    assert all(link["parameters"] for link in created.values()), (
        "every link passes the new id"
    )


@pytest.mark.django_db
def test_stateful_runs_keep_the_schema(raw_schema, wsgi_calls, fuzz_token):
    raw = copy.deepcopy(raw_schema)
    # Links pass ids the fuzzer made: path parameters are left free (a pinned
    # list next to linked ids makes Hypothesis' generation inconsistent).
    for operations in raw["paths"].values():
        for operation in operations.values():
            for parameter in (
                operation.get("parameters", []) if isinstance(operation, dict) else []
            ):
                if parameter.get("in") == "path":
                    parameter["schema"] = {
                        k: v for k, v in parameter["schema"].items() if k != "enum"
                    }
    assert _links(raw)
    machine = _loaded(raw).as_state_machine()

    class Fuzzer(machine):
        # Each scenario starts from the same data: what an earlier scenario
        # created would change the answers, and with them what Hypothesis
        # draws after a prefix of choices it has seen (it reports that as a
        # flaky strategy, whichever code change shifted its path there).
        def __init__(self):
            super().__init__()
            self._start = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self._start)
            super().teardown()

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Token {fuzz_token}"}}

        def validate_response(self, response, case, additional_checks=None, **kw):
            case.validate_response(
                response,
                additional_checks=additional_checks,
                excluded_checks=STATEFUL_EXCLUDED_CHECKS,
                transport_kwargs=kw,
            )

    Fuzzer.run(
        settings=hypothesis.settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=SUPPRESSED,
            # No shrinking: a scenario's later steps draw from what earlier
            # responses returned (ids, links), which a replay cannot repeat
            # (Hypothesis reports that as a flaky strategy). A failure is
            # reported as found, with its curl command.
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
    )
