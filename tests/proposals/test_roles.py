"""Each role on each action: the right role at the plant may, a role that
sees the plant but may not gets 403, a user of another plant gets 404."""

import datetime

import pytest

from proposals import workflow
from proposals.models import GoLiveProposal
from tests.proposals.conftest import api, complete_checklist

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status

# action → (status it starts from, input, who may)
CASES = {
    "submit": (Status.DRAFT, {}, {"it_lead", "other_it_lead"}),
    "withdraw": (Status.SUBMITTED, {}, {"it_lead"}),  # the proposer only
    "approve": (Status.SUBMITTED, {}, {"manager"}),
    "reject": (Status.SUBMITTED, {"comment": "Peak ahead"}, {"manager"}),
    "go": (Status.APPROVED, {"override_reason": "Slot fixed"}, {"manager"}),
    "live": (Status.GO, {}, {"it_lead", "other_it_lead"}),
    "hypercare": (Status.LIVE, {}, {"it_lead", "other_it_lead"}),
    "pause": (
        Status.GO,
        {"reason": "Line 2 down", "impact": "4 h lost"},
        {"manager", "it_lead", "other_it_lead"},
    ),
    "resume": (Status.PAUSED, {}, {"manager"}),
    "reschedule": (Status.PAUSED, {"go_live": "+14"}, {"it_lead", "other_it_lead"}),
    "rollback": (Status.GO, {"reason": "Orders lost"}, {"manager"}),
    "close": (
        Status.HYPERCARE,
        {"lessons_learned": "More key users", "rating": 3},
        {"it_lead", "other_it_lead"},
    ),
}
ROLES = ["it_lead", "other_it_lead", "manager", "viewer", "south_manager"]


def test_every_action_has_a_case():
    assert set(CASES) == set(workflow.STEPS) - {"acknowledge"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(CASES))
def test_each_role_on_each_action(make_proposal, users, go_live, action, role):
    status, data, allowed = CASES[action]
    proposal = make_proposal(status)
    if action == "go":
        complete_checklist(proposal, users["it_lead"])
    if data.get("go_live") == "+14":
        data = {**data, "go_live": (go_live + datetime.timedelta(14)).isoformat()}

    response = api(users[role]).post(
        f"/api/proposals/{proposal.pk}/{action}/", data, format="json"
    )

    if role in allowed:
        assert response.status_code == 200, response.data
        assert response.data["status"] != status
    elif role == "south_manager":
        assert response.status_code == 404
    else:
        assert response.status_code == 403, response.data
        assert " may " in response.data["detail"]
    proposal.refresh_from_db()
    assert (proposal.status == status) is (role not in allowed)


def test_a_superuser_may_make_any_move(make_proposal, db):
    from tests.factories import UserFactory

    root = UserFactory(superuser=True)
    proposal = make_proposal(Status.SUBMITTED)
    response = api(root).post(f"/api/proposals/{proposal.pk}/approve/")
    assert response.status_code == 200
