"""What waits for a user on the dashboard: proposals to decide, approved ones
ready for go, overdue checklist items, re-validation conflicts."""

import pytest

from proposals import selectors
from proposals.models import GoLiveProposal
from tests.proposals.conftest import api, complete_checklist

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


def test_a_manager_sees_what_to_decide_and_what_is_ready_for_go(
    make_proposal, manager, it_lead, go_live
):
    import datetime

    submitted = make_proposal(Status.SUBMITTED)
    ready = make_proposal(Status.APPROVED, day=go_live + datetime.timedelta(14))
    complete_checklist(ready, it_lead)
    make_proposal(Status.APPROVED, day=go_live + datetime.timedelta(28))  # not ready

    needs = selectors.proposal_needs_action(user=manager)
    assert needs.to_decide == [submitted]
    assert needs.ready_for_go == [ready]
    assert needs

    data = api(manager).get("/api/proposals/needs-action/").data
    assert [p["id"] for p in data["to_decide"]] == [submitted.pk]
    assert [p["id"] for p in data["ready_for_go"]] == [ready.pk]


def test_nothing_waits_for_a_viewer_or_another_plant(
    make_proposal, viewer, south_manager, it_lead
):
    make_proposal(Status.SUBMITTED)
    assert not selectors.proposal_needs_action(user=viewer)
    assert not selectors.proposal_needs_action(user=south_manager)
    assert selectors.proposal_needs_action(user=it_lead).to_decide == []
