"""Approving a proposal that conflicts with the plant's calendar needs an
explicit override reason, which is stored and audited."""

import datetime

import pytest

from calendars.models import Milestone
from calendars.services import calendar_item_create
from proposals.models import GoLiveProposal
from tests.proposals.conftest import api

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


@pytest.fixture
def conflicting(make_proposal, north, go_live):
    calendar_item_create(
        model=Milestone,
        plant=north,
        name="Customer audit",
        kind=Milestone.Kind.AUDIT,
        start=go_live + datetime.timedelta(days=2),
        end=go_live + datetime.timedelta(days=3),
    )
    return make_proposal(Status.SUBMITTED)


def test_the_submitted_evaluation_keeps_the_conflict(conflicting):
    names = {(c["name"], c["phase"]) for c in conflicting.evaluation["conflicts"]}
    assert ("Customer audit", "hypercare") in names


def test_approval_without_an_override_reason_is_refused(conflicting, manager):
    response = api(manager).post(
        f"/api/proposals/{conflicting.pk}/approve/", {"comment": "ok"}, format="json"
    )
    assert response.status_code == 400
    assert "override reason" in response.data["override_reason"][0]
    conflicting.refresh_from_db()
    assert conflicting.status == Status.SUBMITTED


def test_approval_with_an_override_reason_is_stored(conflicting, manager):
    response = api(manager).post(
        f"/api/proposals/{conflicting.pk}/approve/",
        {"override_reason": "The audit covers another line"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["decision"]["override_reason"] == (
        "The audit covers another line"
    )
    entry = conflicting.transitions.get(action="approve")
    assert entry.data == {"override_reason": "The audit covers another line"}


def test_a_blank_override_reason_does_not_count(conflicting, manager):
    response = api(manager).post(
        f"/api/proposals/{conflicting.pk}/approve/",
        {"override_reason": "   "},
        format="json",
    )
    assert response.status_code == 400


def test_a_proposal_without_conflicts_needs_no_reason(make_proposal, manager):
    proposal = make_proposal(Status.SUBMITTED)
    assert proposal.evaluation["conflicts"] == []
    response = api(manager).post(f"/api/proposals/{proposal.pk}/approve/")
    assert response.status_code == 200
    assert response.data["decision"]["override_reason"] == ""


def test_rejection_needs_a_comment(make_proposal, manager):
    proposal = make_proposal(Status.SUBMITTED)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/reject/")
    assert response.status_code == 400
    assert "comment" in response.data
