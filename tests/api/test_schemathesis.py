"""Property-based contract test: Schemathesis generates requests from
/api/schema/ for every operation and checks the responses (no 5xx, status
codes, content types and bodies as documented, authentication not ignored).

Each operation gets a handful of examples (MAX_EXAMPLES) so the whole run
stays well under two minutes. Path and id parameters are pinned to a mix of
the fixtures' own objects, another plant's objects and unknown ids, so the
fuzzer reaches real objects and the IDOR answers (404) alike.
"""

import hypothesis
import hypothesis.strategies as st
import pytest
import schemathesis
from django.contrib.auth.models import Group
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from accounts.permissions import IT_LEAD, PLANT_MANAGER
from config.wsgi import application
from tests.api.conftest import token_for
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    ProductionPlanFactory,
    UserFactory,
)

MAX_EXAMPLES = 8
UNKNOWN_ID = 987654


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


@pytest.fixture
def api_schema(fuzz_token, fuzzer, plant, other_plant, rollout, other_rollout, built):
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
    token_key = token_for(fuzzer, "read_only")[:15]

    raw = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path, operations in raw["paths"].items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                name = parameter["name"]
                if name == "code":
                    values = [plant.code, other_plant.code, "nope"]
                elif name == "token_key":
                    values = [token_key, "0" * 15]
                elif name in ("id", "rollout") and "proposals" not in path:
                    resource = path.split("/")[2]
                    values = [*ids.get(resource, ids["rollouts"]), UNKNOWN_ID]
                else:
                    continue
                parameter["schema"] = {**parameter["schema"], "enum": values}
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = application
    schema.location = "/api/schema/"

    # Requests go through the WSGI handler, whose end-of-request signal would
    # close the test's database connection (and its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation: the schema needs no database."""
    with GENERATOR_STATS.silence():  # test_schema.py reports the warnings
        document = SchemaGenerator().get_schema(request=None, public=True)
    return [
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


OPERATIONS = _operations()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS]
)
def test_the_api_keeps_its_schema(api_schema, fuzz_token, method, path):
    operation = api_schema[path][method]
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
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case):
        case.call_and_validate(
            headers={"Authorization": f"Token {fuzz_token}"},
            # A schema cannot say which plant codes you see, which dates come
            # in order or what a plan file holds: 400s for such schema-valid
            # input are the API working. Everything else is checked.
            excluded_checks=[positive_data_acceptance],
        )

    run()
