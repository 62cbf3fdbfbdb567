"""A submitted (or rejected) proposal is corrected by its proposer, on its
page or through the API: it is evaluated again against the plant's calendar,
goes (back) to `submitted`, the change is in its history with old and new
values, and the plant managers read what changed. Nobody else may, and an
approved proposal cannot be revised."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from calendars import services as calendar_services
from calendars.models import Milestone
from proposals import services
from proposals.models import GoLiveProposal
from tests.proposals.conftest import CONTINGENCY, api

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


def signed_in(user, language="en") -> Client:
    client = Client()
    client.force_login(user)
    client.post("/language/", {"language": language, "next": "/"})
    return client


def form(proposal, **fields) -> dict:
    return {
        "go_live": proposal.go_live.isoformat(),
        "contingency_fallback": proposal.contingency_fallback,
        "contingency_triggers": proposal.contingency_triggers,
        "contingency_decider": proposal.contingency_decider,
        "contingency_rollback_hours": "",
        **fields,
    }


def test_the_proposer_revises_a_submitted_proposal_on_its_page(
    make_proposal, users, django_capture_on_commit_callbacks
):
    proposal = make_proposal(Status.SUBMITTED)
    old = proposal.go_live
    new = old + datetime.timedelta(days=7)
    client = signed_in(users["it_lead"])

    page = client.get(f"/proposals/{proposal.pk}/").content.decode()
    assert f'href="/proposals/{proposal.pk}/edit/"' in page
    edit = client.get(f"/proposals/{proposal.pk}/edit/")
    assert edit.status_code == 200
    assert "Revise the proposal" in edit.content.decode()
    assert f'value="{old.isoformat()}"' in edit.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/proposals/{proposal.pk}/edit/",
            form(
                proposal,
                go_live=new.isoformat(),
                contingency_triggers="Line stop over 1 h",
                comment="The customer audit moved to the old week.",
            ),
        )
    assert response.status_code == 302
    assert response["Location"] == f"/proposals/{proposal.pk}/"

    proposal.refresh_from_db()
    assert proposal.status == Status.SUBMITTED
    assert proposal.go_live == new
    # Evaluated again at the new date, as at submission.
    assert proposal.evaluation["go_live"] == new.isoformat()
    assert proposal.phase("cutover")["end"] == new.isoformat()
    entry = proposal.transitions.last()
    assert (entry.action, entry.from_status, entry.to_status) == (
        "revise",
        Status.SUBMITTED,
        Status.SUBMITTED,
    )
    assert entry.data["changes"] == {
        "go_live": {"from": old.isoformat(), "to": new.isoformat()},
        "contingency_triggers": {"from": "", "to": "Line stop over 1 h"},
    }
    assert entry.comment == "The customer audit moved to the old week."

    # The plant manager (who reads Chinese) is told what changed.
    [email] = [m for m in mail.outbox if m.to == [users["manager"].email]]
    assert f"{old.isoformat()} → {new.isoformat()}" in email.body
    assert "Line stop over 1 h" in email.body
    assert "The customer audit moved to the old week." in email.body

    # …and sees it on the proposal page, above the rest.
    html = signed_in(users["manager"]).get(f"/proposals/{proposal.pk}/")
    html = html.content.decode()
    card = html[html.index('id="revision"') : html.index('id="plan-h"')]
    assert "Revised since it was first submitted" in card
    assert f"{old.isoformat()} → {new.isoformat()}" in card
    assert "The customer audit moved to the old week." in card


def test_a_revision_is_evaluated_against_the_calendar_again(
    make_proposal, users, north
):
    proposal = make_proposal(Status.SUBMITTED)
    new = proposal.go_live + datetime.timedelta(days=14)
    calendar_services.calendar_item_create(
        model=Milestone,
        plant=north,
        name="Key customer audit",
        kind=Milestone.Kind.AUDIT,
        start=new,
        end=new,
        criticality=5,
    )
    response = api(users["it_lead"]).patch(
        f"/api/proposals/{proposal.pk}/", {"go_live": new.isoformat()}
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "submitted"
    names = [c["name"] for c in response.data["evaluation"]["conflicts"]]
    assert "Key customer audit" in names
    revise = response.data["history"][-1]
    assert revise["action"] == "revise"
    assert revise["data"]["conflicts"]["to"] == len(names)
    # The new conflict counts like one found at submission: approving needs a reason.
    approve = api(users["manager"]).post(f"/api/proposals/{proposal.pk}/approve/")
    assert approve.status_code == 400
    assert "override_reason" in approve.data


def test_revising_a_rejected_proposal_submits_it_again(make_proposal, users):
    proposal = make_proposal(Status.REJECTED)
    url = f"/api/proposals/{proposal.pk}/"
    unchanged = api(users["it_lead"]).patch(url, {})
    assert unchanged.status_code == 400
    assert "Nothing changed" in str(unchanged.data)

    response = api(users["it_lead"]).patch(
        url, {"contingency_decider": "Li Wei, plant manager", "comment": "Who decides"}
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "submitted"
    # The rejection no longer stands; the history keeps it.
    assert response.data["decision"]["by"] is None
    assert response.data["decision"]["comment"] == ""
    actions = [h["action"] for h in response.data["history"]]
    assert actions[-2:] == ["reject", "revise"]
    assert response.data["history"][-1]["from_status"] == "rejected"
    assert "revise" not in response.data["actions"]  # not a step: PATCH is the door
    assert "approve" in api(users["manager"]).get(url).data["actions"]


def test_a_revision_that_changes_nothing_leaves_no_trace(make_proposal, users):
    proposal = make_proposal(Status.SUBMITTED)
    url = f"/api/proposals/{proposal.pk}/"
    response = api(users["it_lead"]).patch(url, {"contingency_fallback": CONTINGENCY})
    assert response.status_code == 200
    assert [h["action"] for h in response.data["history"]] == ["create", "submit"]
    assert mail.outbox == []


def test_only_the_proposer_may_revise(make_proposal, users):
    proposal = make_proposal(Status.SUBMITTED)
    url = f"/api/proposals/{proposal.pk}/"
    body = {"contingency_decider": "Someone else"}
    refused = api(users["other_it_lead"]).patch(url, body)
    assert refused.status_code == 403
    assert "Only its proposer (Ivy) may revise" in refused.data["detail"]
    assert api(users["manager"]).patch(url, body).status_code == 403
    assert api(users["viewer"]).patch(url, body).status_code == 403
    assert api(users["south_manager"]).patch(url, body).status_code == 404

    page = signed_in(users["other_it_lead"]).get(f"/proposals/{proposal.pk}/edit/")
    assert page.status_code == 403
    assert "Only its proposer (Ivy) may revise" in page.content.decode()
    detail = signed_in(users["other_it_lead"]).get(f"/proposals/{proposal.pk}/")
    assert f"/proposals/{proposal.pk}/edit/" not in detail.content.decode()

    proposal.refresh_from_db()
    assert proposal.contingency_decider == ""
    assert proposal.transitions.filter(action="revise").count() == 0


def test_an_approved_proposal_cannot_be_revised(make_proposal, users):
    proposal = make_proposal(Status.APPROVED)
    url = f"/api/proposals/{proposal.pk}/"
    refused = api(users["it_lead"]).patch(url, {"contingency_decider": "Me"})
    assert refused.status_code == 409
    assert "approved can no longer be revised" in refused.data["detail"]

    client = signed_in(users["it_lead"])
    response = client.get(f"/proposals/{proposal.pk}/edit/", follow=True)
    assert response.redirect_chain[-1][0] == f"/proposals/{proposal.pk}/"
    assert "approved can no longer be revised" in response.content.decode()
    posted = client.post(
        f"/proposals/{proposal.pk}/edit/", form(proposal, contingency_decider="Me")
    )
    assert posted.status_code == 302
    proposal.refresh_from_db()
    assert proposal.contingency_decider == ""
    assert proposal.status == Status.APPROVED


def test_a_revision_needs_the_contingency_fallback(make_proposal, users):
    proposal = make_proposal(Status.SUBMITTED)
    client = signed_in(users["it_lead"])
    response = client.post(
        f"/proposals/{proposal.pk}/edit/", form(proposal, contingency_fallback="")
    )
    assert response.status_code == 200
    assert "Describe the fallback to the old system" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.contingency_fallback == CONTINGENCY


def test_the_service_is_the_same_door_for_drafts(make_proposal, users):
    draft = make_proposal(Status.DRAFT)
    # Any IT lead of the plant edits a draft; it stays a draft.
    edited = services.proposal_update(
        proposal=draft, user=users["other_it_lead"], contingency_decider="Ian"
    )
    assert edited.status == Status.DRAFT
    assert edited.transitions.last().action == "edit"
