"""Two moves of the same proposal at the same time cannot both win: the move
is a conditional UPDATE … WHERE status = <read> AND version = <read>."""

import threading

import pytest
from django.conf import settings
from django.db import connection

from proposals import services
from proposals.models import GoLiveProposal
from tests.proposals.conftest import api

Status = GoLiveProposal.Status


@pytest.mark.django_db
def test_a_decision_taken_on_a_stale_read_loses(make_proposal, manager):
    proposal = make_proposal(Status.SUBMITTED)
    first = GoLiveProposal.objects.get(pk=proposal.pk)
    second = GoLiveProposal.objects.get(pk=proposal.pk)  # read before the approval

    services.proposal_approve(proposal=first, user=manager)
    with pytest.raises(services.StaleProposal, match="changed by someone else"):
        services.proposal_reject(proposal=second, user=manager, comment="No")

    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert proposal.decision_comment == ""
    assert list(proposal.transitions.values_list("action", flat=True)) == [
        "create",
        "submit",
        "approve",
    ]


@pytest.mark.django_db
def test_the_api_answers_409_to_the_request_that_lost(
    make_proposal, manager, monkeypatch
):
    proposal = make_proposal(Status.SUBMITTED)
    stale = GoLiveProposal.objects.get(pk=proposal.pk)
    assert (
        api(manager).post(f"/api/proposals/{proposal.pk}/approve/").status_code == 200
    )

    # The second request read the proposal before the first one's update.
    monkeypatch.setattr("proposals.selectors.proposal_get", lambda *, user, pk: stale)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/approve/")

    assert response.status_code == 409
    assert "changed by someone else" in response.data["detail"]
    assert proposal.transitions.filter(action="approve").count() == 1


@pytest.mark.django_db
def test_a_move_on_a_stale_read_of_the_same_status_loses_too(make_proposal, users):
    """Paused → resumed → paused again: the status matches, the version not."""
    proposal = make_proposal(Status.PAUSED)
    stale = GoLiveProposal.objects.get(pk=proposal.pk)
    proposal = services.proposal_resume(proposal=proposal, user=users["manager"])
    services.proposal_pause(
        proposal=proposal, user=users["manager"], reason="Again", impact="Line 1"
    )
    with pytest.raises(services.StaleProposal):
        services.proposal_rollback(proposal=stale, user=users["manager"], reason="x")


@pytest.mark.services
@pytest.mark.usefixtures("real_services")
# Committed rows, so both threads' connections see them. Naming every app makes
# the flush afterwards TRUNCATE … CASCADE (knox's table points at auth_user).
@pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS))
def test_two_concurrent_approvals_on_postgresql_one_wins(make_proposal, manager):
    proposal = make_proposal(Status.SUBMITTED)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def decide(action: str, **kwargs) -> None:
        try:
            mine = GoLiveProposal.objects.select_related("plant").get(pk=proposal.pk)
            barrier.wait()  # both have read "submitted" before either moves
            getattr(services, f"proposal_{action}")(
                proposal=mine, user=manager, **kwargs
            )
            outcomes.append("won")
        except services.StaleProposal:
            outcomes.append("409")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=("approve",)),
        threading.Thread(target=decide, args=("approve",), kwargs={"comment": "b"}),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["409", "won"]
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert proposal.version == 2  # submitted once, approved once
    assert proposal.transitions.filter(action="approve").count() == 1
