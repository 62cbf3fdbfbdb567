"""Every move that the transition table does not allow from a status is
refused with IllegalTransition (409 over the API) and changes nothing."""

import pytest

from proposals import services, workflow
from proposals.models import GoLiveProposal
from tests.proposals.conftest import api

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status

# Who would be allowed to make each move, with valid input.
ACTOR = {
    "submit": ("it_lead", {}),
    "withdraw": ("it_lead", {}),
    "approve": ("manager", {"override_reason": "ok"}),
    "reject": ("manager", {"comment": "no"}),
    "go": ("manager", {"override_reason": "early"}),
    "live": ("it_lead", {}),
    "hypercare": ("it_lead", {}),
    "pause": ("it_lead", {"reason": "r", "impact": "i"}),
    "resume": ("manager", {}),
    "reschedule": ("it_lead", {"go_live": None}),
    "rollback": ("manager", {"reason": "r"}),
    "close": ("it_lead", {"lessons_learned": "l", "rating": 3}),
}
ILLEGAL = [
    (status, action)
    for status in Status
    for action, spec in workflow.STEPS.items()
    if spec.moves and status not in spec.sources
]


def test_the_table_covers_every_action_with_an_actor():
    assert set(ACTOR) == {a for a, s in workflow.STEPS.items() if s.moves}


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_it_refuses_an_illegal_move(make_proposal, users, go_live, status, action):
    proposal = make_proposal(status)
    actor, kwargs = ACTOR[action]
    if "go_live" in kwargs:
        kwargs = {**kwargs, "go_live": go_live}
    before = proposal.transitions.count()
    with pytest.raises(services.IllegalTransition, match=f"Cannot {action}"):
        getattr(services, f"proposal_{action}")(
            proposal=proposal, user=users[actor], **kwargs
        )
    proposal.refresh_from_db()
    assert proposal.status == status
    assert proposal.transitions.count() == before


def test_the_api_answers_409_with_the_current_status(make_proposal, manager):
    proposal = make_proposal(Status.DRAFT)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/approve/")
    assert response.status_code == 409
    assert response.data["detail"] == (
        "Cannot approve a proposal that is draft (only from: submitted)."
    )


def test_an_unknown_action_is_not_found(make_proposal, manager):
    proposal = make_proposal(Status.SUBMITTED)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/teleport/")
    assert response.status_code == 404
