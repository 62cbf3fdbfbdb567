"""When a plant's calendar changes, the rebuild re-checks its submitted,
approved and go proposals: new conflicts flag them (status kept) and are
mailed to the proposer and the plant's managers once, not on every rebuild."""

import datetime

import pytest
from django.core import mail

from calendars.models import Milestone, PeakSeason
from calendars.services import calendar_item_create
from proposals import selectors, services
from proposals.models import GoLiveProposal
from proposals.revalidation import plant_proposals_revalidate
from rollout import services as rollout_services
from tests.proposals.conftest import api

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status
day = datetime.date.fromisoformat


def _milestone_on_hypercare(proposal, name="SOP model Y"):
    start = day(proposal.phase("hypercare")["start"]) + datetime.timedelta(days=1)
    return calendar_item_create(
        model=Milestone,
        plant=proposal.plant,
        name=name,
        kind=Milestone.Kind.START_OF_PRODUCTION,
        start=start,
        end=start,
    )


@pytest.fixture
def rebuild(django_capture_on_commit_callbacks):
    """Run the plant's rebuild as the task would, sending its e-mails."""

    def run(plant, force=False):
        with django_capture_on_commit_callbacks(execute=True):
            return rollout_services.plant_recommendations_rebuild(
                plant_id=plant.pk, force=force
            ).rebuilt

    return run


def test_the_hook_is_registered():
    from rollout.hooks import hooks

    assert plant_proposals_revalidate in hooks.after_rebuild


def test_a_new_milestone_flags_the_proposal_and_notifies_once(
    make_proposal, rebuild, it_lead, manager
):
    proposal = make_proposal(Status.APPROVED)
    _milestone_on_hypercare(proposal)

    assert rebuild(proposal.plant)

    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert [(c["name"], c["phase"]) for c in proposal.revalidation_conflicts] == [
        ("SOP model Y", "hypercare")
    ]
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [it_lead.email, manager.email]
    )
    english = next(m for m in mail.outbox if m.to == [it_lead.email])
    assert "New calendar conflict: MES 2.0 at north" in english.subject
    assert "SOP model Y" in english.body
    assert proposal.transitions.filter(action="revalidate").count() == 1

    mail.outbox.clear()
    assert rebuild(proposal.plant, force=True)
    assert mail.outbox == []
    proposal.refresh_from_db()
    assert len(proposal.revalidation_conflicts) == 1
    assert proposal.transitions.filter(action="revalidate").count() == 1


def test_a_second_new_conflict_is_mailed_alone(make_proposal, rebuild, north):
    proposal = make_proposal(Status.SUBMITTED)
    _milestone_on_hypercare(proposal)
    rebuild(north)
    mail.outbox.clear()

    calendar_item_create(
        model=PeakSeason,
        plant=north,
        name="Chinese New Year rush",
        start=day(proposal.phase("hypercare")["end"]),
        end=day(proposal.phase("hypercare")["end"]) + datetime.timedelta(days=10),
    )
    rebuild(north)

    proposal.refresh_from_db()
    assert {c["name"] for c in proposal.revalidation_conflicts} == {
        "SOP model Y",
        "Chinese New Year rush",
    }
    assert mail.outbox and all(
        "Chinese New Year rush" in m.body and "SOP model Y" not in m.body
        for m in mail.outbox
    )


def test_conflicts_known_at_submission_are_not_flagged(
    make_proposal, rebuild, north, go_live
):
    draft = make_proposal(Status.DRAFT)
    _milestone_on_hypercare(draft, name="Known audit")
    proposal = services.proposal_submit(proposal=draft, user=draft.proposer)
    assert proposal.has_conflicts
    mail.outbox.clear()

    rebuild(north)

    proposal.refresh_from_db()
    assert proposal.revalidation_conflicts == []
    assert mail.outbox == []


@pytest.mark.parametrize(
    "status", [Status.DRAFT, Status.REJECTED, Status.WITHDRAWN, Status.CLOSED]
)
def test_proposals_that_are_not_pending_are_left_alone(
    make_proposal, rebuild, north, status
):
    proposal = make_proposal(status)
    _milestone_on_hypercare(proposal)
    rebuild(north)
    proposal.refresh_from_db()
    assert proposal.revalidation_conflicts == []
    assert mail.outbox == []


def test_other_plants_proposals_are_not_touched(make_proposal, rebuild, south):
    proposal = make_proposal(Status.APPROVED)
    _milestone_on_hypercare(proposal)
    rebuild(south)
    proposal.refresh_from_db()
    assert not proposal.flagged


def test_a_flagged_proposal_needs_an_override_to_be_approved(
    make_proposal, rebuild, manager, north
):
    proposal = make_proposal(Status.SUBMITTED)
    _milestone_on_hypercare(proposal)
    rebuild(north)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/approve/")
    assert response.status_code == 400
    assert "override_reason" in response.data


def test_an_approval_read_before_the_flag_loses(make_proposal, rebuild, manager, north):
    proposal = make_proposal(Status.SUBMITTED)
    _milestone_on_hypercare(proposal)
    rebuild(north)
    with pytest.raises(services.StaleProposal):
        services.proposal_approve(proposal=proposal, user=manager)  # stale copy


def test_acknowledging_clears_the_flag_for_good(make_proposal, rebuild, manager, north):
    proposal = make_proposal(Status.APPROVED)
    _milestone_on_hypercare(proposal)
    rebuild(north)
    assert selectors.proposal_needs_action(user=manager).conflicts == [proposal]

    response = api(manager).post(
        f"/api/proposals/{proposal.pk}/acknowledge/", {"comment": "Lines 1-2 only"}
    )
    assert response.status_code == 200, response.data
    assert response.data["revalidation"]["flagged"] is False

    mail.outbox.clear()
    rebuild(north, force=True)
    proposal.refresh_from_db()
    assert not proposal.flagged
    assert mail.outbox == []
    assert selectors.proposal_needs_action(user=manager).conflicts == []


def test_a_failing_revalidation_does_not_fail_the_rebuild(
    make_proposal, rebuild, north, monkeypatch
):
    proposal = make_proposal(Status.APPROVED)
    _milestone_on_hypercare(proposal)

    def broken(**kwargs):
        raise RuntimeError("engine down")

    monkeypatch.setattr("proposals.revalidation.go_live_conflicts", broken)
    assert rebuild(north)
    proposal.refresh_from_db()
    assert not proposal.flagged
