"""The go belongs to the days just before the cutover: earlier needs a reason,
kept in the audit trail."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from proposals import services
from proposals.models import GoLiveProposal
from proposals.services.transitions import go_window_opens
from tests.proposals.conftest import api, complete_checklist

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


@pytest.fixture
def approved(make_proposal, users):
    proposal = make_proposal(Status.APPROVED)
    complete_checklist(proposal, users["it_lead"])
    return proposal


def test_a_go_weeks_before_the_cutover_needs_a_reason(approved, users):
    assert approved.plant.local_today() < go_window_opens(approved)
    with pytest.raises(ValidationError) as refused:
        services.proposal_go(proposal=approved, user=users["manager"])
    assert "override_reason" in refused.value.message_dict
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_the_api_names_the_field_and_the_day_the_window_opens(approved, users):
    response = api(users["manager"]).post(f"/api/proposals/{approved.pk}/go/")
    assert response.status_code == 400
    assert go_window_opens(approved).isoformat() in response.data["override_reason"][0]


def test_an_early_go_with_a_reason_is_audited(approved, users):
    proposal = services.proposal_go(
        proposal=approved, user=users["manager"], override_reason="Carrier slot fixed"
    )
    assert proposal.status == Status.GO
    entry = proposal.transitions.get(action="go")
    assert entry.data == {"override_reason": "Carrier slot fixed"}


def test_inside_the_window_no_reason_is_needed(approved, users, settings):
    cutover = datetime.date.fromisoformat(approved.phase("cutover")["start"])
    settings.OFFPEAK_GO_WINDOW_DAYS = (cutover - approved.plant.local_today()).days
    proposal = services.proposal_go(proposal=approved, user=users["manager"])
    assert proposal.status == Status.GO
