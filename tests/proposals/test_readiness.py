"""The readiness checklist: seeded from the rollout's phases, editable, due
dates follow the go-live, overdue items show, and go needs all of it done."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from proposals import selectors, services
from proposals.models import GoLiveProposal, ReadinessItem
from tests.proposals.conftest import api, complete_checklist

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status
Kind = ReadinessItem.Kind


def test_it_seeds_six_items_due_by_the_phase_boundaries(make_proposal, it_lead):
    proposal = make_proposal(Status.DRAFT)
    items = {i.kind: i for i in proposal.checklist.all()}
    assert set(items) == {
        Kind.KEY_USERS_TRAINED,
        Kind.UAT_PASSED,
        Kind.BACKUP_VERIFIED,
        Kind.MIGRATION_REHEARSED,
        Kind.CONTINGENCY_REVIEWED,
        Kind.CUTOVER_COMMUNICATED,
    }
    phases = {p["name"]: p for p in proposal.phases}
    day = datetime.date.fromisoformat
    assert items[Kind.UAT_PASSED].due == day(phases["training"]["start"])
    assert items[Kind.KEY_USERS_TRAINED].due == day(phases["training"]["end"])
    assert items[Kind.BACKUP_VERIFIED].due == day(phases["cutover"]["start"])
    assert all(i.owner == it_lead for i in items.values())


def test_due_dates_move_with_the_go_live_date(make_proposal, it_lead, go_live):
    proposal = make_proposal(Status.DRAFT)
    backup = proposal.checklist.get(kind=Kind.BACKUP_VERIFIED)
    services.proposal_update(
        proposal=proposal, user=it_lead, go_live=go_live + datetime.timedelta(7)
    )
    backup.refresh_from_db()
    assert backup.due == datetime.date.fromisoformat(proposal.phase("cutover")["start"])
    assert backup.due > go_live


def test_go_is_refused_while_an_item_is_open(make_proposal, it_lead, manager):
    proposal = make_proposal(Status.APPROVED)
    complete_checklist(proposal, it_lead)
    backup = proposal.checklist.get(kind=Kind.BACKUP_VERIFIED)
    services.readiness_item_update(item=backup, user=it_lead, done=False)

    early = {"override_reason": "Slot fixed"}
    response = api(manager).post(f"/api/proposals/{proposal.pk}/go/", early)

    assert response.status_code == 409
    assert "Data backup taken and restore verified" in response.data["detail"]
    proposal.refresh_from_db()
    assert proposal.status == Status.APPROVED
    assert not proposal.transitions.filter(action="go").exists()

    services.readiness_item_update(item=backup, user=it_lead, done=True)
    went = api(manager).post(f"/api/proposals/{proposal.pk}/go/", early)
    assert went.status_code == 200


def test_training_is_done_only_with_the_share_of_trained_staff(make_proposal, it_lead):
    proposal = make_proposal(Status.DRAFT)
    training = proposal.checklist.get(kind=Kind.KEY_USERS_TRAINED)
    with pytest.raises(ValidationError) as error:
        services.readiness_item_update(item=training, user=it_lead, done=True)
    assert "trained_share" in error.value.message_dict
    item = services.readiness_item_update(
        item=training, user=it_lead, done=True, trained_share=87.5
    )
    assert item.done and item.done_by == it_lead and item.trained_share == 87.5


def test_items_can_be_added_edited_and_removed(make_proposal, it_lead, manager):
    proposal = make_proposal(Status.SUBMITTED)
    client = api(manager)
    added = client.post(
        f"/api/proposals/{proposal.pk}/checklist/",
        {"title": "Label printers tested", "owner": it_lead.pk, "due": "2030-01-01"},
        format="json",
    )
    assert added.status_code == 201, added.data
    assert added.data["position"] == 7
    url = f"/api/proposals/{proposal.pk}/checklist/{added.data['id']}/"
    edited = client.patch(url, {"evidence": "Test log 42"}, format="json")
    assert edited.data["evidence"] == "Test log 42"
    assert client.delete(url).status_code == 204
    assert proposal.checklist.count() == 6


def test_an_items_owner_may_tick_it_off_without_a_role(make_proposal, viewer):
    proposal = make_proposal(Status.APPROVED)
    item = proposal.checklist.get(kind=Kind.UAT_PASSED)
    url = f"/api/proposals/{proposal.pk}/checklist/{item.pk}/"
    assert api(viewer).patch(url, {"done": True}).status_code == 403
    item.owner = viewer
    item.save()
    done = api(viewer).patch(url, {"done": True, "evidence": "UAT report"})
    assert done.status_code == 200 and done.data["done"] is True


def test_the_checklist_is_frozen_after_go(make_proposal, it_lead):
    proposal = make_proposal(Status.GO)
    item = proposal.checklist.first()
    response = api(it_lead).patch(
        f"/api/proposals/{proposal.pk}/checklist/{item.pk}/", {"done": False}
    )
    assert response.status_code == 409


def test_overdue_items_are_visible(make_proposal, it_lead, manager, north):
    proposal = make_proposal(Status.APPROVED)
    uat = proposal.checklist.get(kind=Kind.UAT_PASSED)
    uat.due = north.local_today() - datetime.timedelta(days=2)
    uat.save()

    assert selectors.readiness_overdue_list(user=manager) == [uat]
    assert selectors.proposal_needs_action(user=it_lead).overdue_items == [uat]
    items = api(it_lead).get(f"/api/proposals/{proposal.pk}/checklist/").data
    assert [i["id"] for i in items if i["overdue"]] == [uat.pk]

    services.readiness_item_update(item=uat, user=it_lead, done=True)
    assert selectors.readiness_overdue_list(user=manager) == []
