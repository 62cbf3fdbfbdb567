"""Two plants, a rollout at both, a user per role and helpers that walk a
proposal through the workflow with the real services."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import UserPreference
from accounts.permissions import IT_LEAD, PLANT_MANAGER, VIEWER
from calendars.services import plant_create
from proposals import services
from proposals.models import GoLiveProposal
from rollout.models import Rollout
from rollout.services import rollout_save
from tests.factories import UserFactory

Status = GoLiveProposal.Status


@pytest.fixture(autouse=True)
def short_horizon(settings):
    # Scoring 240 days instead of 730 keeps each evaluation fast.
    settings.OFFPEAK_HORIZON_DAYS = 240


@pytest.fixture(autouse=True)
def no_rebuild_queue(monkeypatch):
    """Plant and rollout writes queue a rebuild after commit; these tests run
    the rebuild themselves when they need one."""
    monkeypatch.setattr("rollout.tasks.recommendations_enqueue", lambda **kw: None)


@pytest.fixture
def north(db):
    return plant_create(
        code="north", name="North Assembly", timezone="Asia/Shanghai", country="CN"
    )


@pytest.fixture
def south(db):
    return plant_create(
        code="south", name="South Machining", timezone="Asia/Shanghai", country="CN"
    )


def _user(username, role, *plants, language=None, **extra):
    user = UserFactory(username=username, first_name=username.title(), **extra)
    if role:
        # get_or_create: a transactional test's flush empties the groups that
        # the migration created.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    for plant in plants:
        plant.members.add(user)
    if language:
        UserPreference.objects.create(user=user, language=language)
    return user


@pytest.fixture
def it_lead(north):
    return _user("ivy", IT_LEAD, north)


@pytest.fixture
def other_it_lead(north):
    return _user("ian", IT_LEAD, north)


@pytest.fixture
def manager(north):
    return _user("mei", PLANT_MANAGER, north, language="zh-hans")


@pytest.fixture
def viewer(north):
    return _user("vic", VIEWER, north)


@pytest.fixture
def south_manager(south):
    return _user("sam", PLANT_MANAGER, south)


@pytest.fixture
def users(it_lead, other_it_lead, manager, viewer, south_manager):
    return {
        "it_lead": it_lead,
        "other_it_lead": other_it_lead,
        "manager": manager,
        "viewer": viewer,
        "south_manager": south_manager,
    }


@pytest.fixture
def rollout(north, south):
    return rollout_save(
        rollout=Rollout(
            name="MES 2.0",
            kind=Rollout.Kind.MES,
            training_days=5,
            cutover_days=2,
            hypercare_days=5,
        ),
        plants=[north, south],
    )


@pytest.fixture
def go_live(north):
    """A quiet Wednesday about two months ahead (the test plants have no
    seasons, milestones or blackouts)."""
    day = north.local_today() + datetime.timedelta(days=60)
    return day + datetime.timedelta(days=(2 - day.weekday()) % 7)


def api(user) -> APIClient:
    client = APIClient()
    client.default_format = "json"
    client.force_authenticate(user)
    return client


def rows(response) -> list:
    """The results of a list response, paginated or not."""
    data = response.data
    return data["results"] if isinstance(data, dict) else data


def complete_checklist(proposal, user) -> None:
    for item in proposal.checklist.all():
        services.readiness_item_update(
            item=item, user=user, done=True, trained_share=90.0, evidence="done"
        )


# How to reach each status from draft: (service, actor fixture, input).
PATH = {
    Status.SUBMITTED: [("proposal_submit", "it_lead", {})],
    Status.APPROVED: [("proposal_approve", "manager", {})],
    Status.GO: [
        ("complete", "it_lead", {}),
        # Two months ahead: before the go's window, so with a reason.
        ("proposal_go", "manager", {"override_reason": "Cutover slot fixed early"}),
    ],
    Status.LIVE: [("proposal_live", "it_lead", {})],
    Status.HYPERCARE: [("proposal_hypercare", "it_lead", {})],
    Status.CLOSED: [
        ("proposal_close", "it_lead", {"lessons_learned": "Fine.", "rating": 4})
    ],
}
ROUTES = {
    Status.DRAFT: [],
    Status.SUBMITTED: [Status.SUBMITTED],
    Status.WITHDRAWN: [],  # special-cased
    Status.REJECTED: [Status.SUBMITTED],
    Status.APPROVED: [Status.SUBMITTED, Status.APPROVED],
    Status.GO: [Status.SUBMITTED, Status.APPROVED, Status.GO],
    Status.LIVE: [Status.SUBMITTED, Status.APPROVED, Status.GO, Status.LIVE],
    Status.HYPERCARE: [
        Status.SUBMITTED,
        Status.APPROVED,
        Status.GO,
        Status.LIVE,
        Status.HYPERCARE,
    ],
    Status.PAUSED: [Status.SUBMITTED, Status.APPROVED, Status.GO],
    Status.ROLLED_BACK: [Status.SUBMITTED, Status.APPROVED, Status.GO],
    Status.CLOSED: [
        Status.SUBMITTED,
        Status.APPROVED,
        Status.GO,
        Status.LIVE,
        Status.HYPERCARE,
        Status.CLOSED,
    ],
}


# Submitting and approving need a contingency plan's fallback.
CONTINGENCY = "Switch back to the legacy MES and restore last night's backup."


@pytest.fixture
def make_proposal(users, rollout, north, go_live):
    """make_proposal(status) → a proposal of the IT lead at north, brought to
    `status` through the services."""

    def make(status=Status.DRAFT, plant=None, day=None, **fields):
        fields.setdefault("contingency_fallback", CONTINGENCY)
        proposal = services.proposal_create(
            user=users["it_lead"],
            rollout=rollout,
            plant=plant or north,
            go_live=day or go_live,
            **fields,
        )
        for step in ROUTES[status]:
            for name, actor, kwargs in PATH[step]:
                if name == "complete":
                    complete_checklist(proposal, users[actor])
                    continue
                proposal = getattr(services, name)(
                    proposal=proposal, user=users[actor], **kwargs
                )
        if status == Status.WITHDRAWN:
            proposal = services.proposal_withdraw(
                proposal=proposal, user=users["it_lead"]
            )
        elif status == Status.REJECTED:
            proposal = services.proposal_reject(
                proposal=proposal, user=users["manager"], comment="Not now."
            )
        elif status == Status.PAUSED:
            proposal = services.proposal_pause(
                proposal=proposal,
                user=users["manager"],
                reason="Line 3 stopped",
                impact="200 units lost",
            )
        elif status == Status.ROLLED_BACK:
            proposal = services.proposal_rollback(
                proposal=proposal, user=users["manager"], reason="Data loss"
            )
        assert proposal.status == status
        mail.outbox.clear()
        return proposal

    return make
