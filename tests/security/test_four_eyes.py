"""Finding 7: four eyes. A user who is both IT lead and plant manager of a
plant approved their own proposal. Now the approver, and whoever gives the
go, is never the proposer; staff may override that, only with a reason,
which the audit trail keeps and the timeline shows. The API and the page
both take the reason as an input of the step (proposals.workflow)."""

import datetime

import pytest
from django.test import Client
from rest_framework.test import APIClient

from accounts.permissions import IT_LEAD, PLANT_MANAGER
from proposals import services
from proposals.models import GoLiveProposal, ProposalTransition
from tests.security.conftest import Role, user_with

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status

BOTH_ROLES = Role(
    "both", "IT lead and plant manager of A", (IT_LEAD, PLANT_MANAGER), ("A",)
)
REASON = "Plant manager on leave; CIO signed off by e-mail on 3 March"


def _proposal(world, proposer, status=Status.SUBMITTED) -> GoLiveProposal:
    proposal = services.proposal_create(
        user=proposer,
        rollout=world.rollout,
        plant=world.a,
        go_live=world.go_live,
        contingency_fallback="Back to the legacy MES.",
    )
    # The checklist is done: the go waits only for the decision.
    proposal.checklist.update(done_at=datetime.datetime.now(datetime.UTC))
    GoLiveProposal.objects.filter(pk=proposal.pk).update(status=status)
    proposal.refresh_from_db()
    return proposal


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Each step, with the input it needs anyway (conflicts, the go window).
STEPS = [
    pytest.param("approve", Status.SUBMITTED, Status.APPROVED, id="approve"),
    pytest.param("go", Status.APPROVED, Status.GO, id="go"),
]


@pytest.mark.parametrize(("action", "source", "target"), STEPS)
def test_the_proposer_may_not_decide_their_own_proposal(world, action, source, target):
    proposer = user_with(BOTH_ROLES, world)
    proposal = _proposal(world, proposer, source)

    response = _api(proposer).post(
        f"/api/proposals/{proposal.pk}/{action}/",
        {"override_reason": "calendar checked", "four_eyes_reason": REASON},
        format="json",
    )

    assert response.status_code == 403
    assert "four eyes" in response.json()["detail"]
    assert "Only staff may override" in response.json()["detail"]
    proposal.refresh_from_db()
    assert proposal.status == source
    assert not ProposalTransition.objects.filter(proposal=proposal, action=action)


@pytest.mark.parametrize(("action", "source", "target"), STEPS)
def test_staff_override_needs_a_reason_naming_the_field(world, action, source, target):
    proposer = user_with(BOTH_ROLES, world, staff=True)
    proposal = _proposal(world, proposer, source)

    response = _api(proposer).post(
        f"/api/proposals/{proposal.pk}/{action}/",
        {"override_reason": "calendar checked", "four_eyes_reason": "  "},
        format="json",
    )

    assert response.status_code == 400
    assert "four eyes" in response.json()["four_eyes_reason"][0]
    proposal.refresh_from_db()
    assert proposal.status == source


@pytest.mark.parametrize(("action", "source", "target"), STEPS)
def test_staff_override_is_kept_in_the_audit_trail(world, action, source, target):
    proposer = user_with(BOTH_ROLES, world, staff=True)
    proposal = _proposal(world, proposer, source)
    api = _api(proposer)

    response = api.post(
        f"/api/proposals/{proposal.pk}/{action}/",
        {"override_reason": "calendar checked", "four_eyes_reason": REASON},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == target
    entry = response.json()["history"][-1]
    assert entry["action"] == action
    assert entry["actor"]["id"] == proposer.pk
    assert entry["data"]["four_eyes_reason"] == REASON


def test_a_second_pair_of_eyes_needs_no_override_and_records_none(world):
    proposal = _proposal(world, world.author)
    manager = user_with(
        Role("pm", "plant manager of A", (PLANT_MANAGER,), ("A",)), world
    )

    response = _api(manager).post(
        f"/api/proposals/{proposal.pk}/approve/",
        # A reason from someone who is not the proposer overrides nothing.
        {"override_reason": "calendar checked", "four_eyes_reason": "not needed"},
        format="json",
    )

    assert response.status_code == 200, response.content
    assert "four_eyes_reason" not in response.json()["history"][-1]["data"]


def test_the_page_asks_staff_for_the_reason_and_shows_it_on_the_timeline(world):
    proposer = user_with(BOTH_ROLES, world, staff=True)
    proposal = _proposal(world, proposer)
    page = _page(proposer)
    url = f"/proposals/{proposal.pk}/"

    form = page.get(url).content.decode()
    assert f'action="/proposals/{proposal.pk}/do/approve/"' in form
    assert "Why you decide your own proposal (staff override)" in form

    refused = page.post(
        f"{url}do/approve/",
        {"approve-override_reason": "calendar checked", "approve-four_eyes_reason": ""},
        follow=True,
    )
    text = refused.content.decode()
    assert "You proposed this yourself: four eyes are needed." in text
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED

    page.post(
        f"{url}do/approve/",
        {
            "approve-override_reason": "calendar checked",
            "approve-four_eyes_reason": REASON,
        },
    )
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    timeline = page.get(url).content.decode()
    assert REASON in timeline


def test_the_page_refuses_a_plain_proposer_and_says_why(world):
    proposer = user_with(BOTH_ROLES, world)
    proposal = _proposal(world, proposer)
    page = _page(proposer)

    detail = page.get(f"/proposals/{proposal.pk}/").content.decode()
    assert "Why you decide your own proposal" not in detail
    assert f'action="/proposals/{proposal.pk}/do/approve/"' not in detail

    response = page.post(
        f"/proposals/{proposal.pk}/do/approve/",
        {
            "approve-override_reason": "calendar checked",
            "approve-four_eyes_reason": REASON,
        },
    )

    assert response.status_code == 403
    assert "four eyes" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
