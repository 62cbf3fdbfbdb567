"""When production suffers: pause (reason, impact), then resume where it
stopped, reschedule to a new date (evaluated again, approved again) or roll
back. Observations that hurt production suggest pausing."""

import datetime

import pytest
from django.core import mail
from django.utils import translation

from proposals import selectors, services
from proposals.models import GoLiveProposal
from tests.proposals.conftest import api

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


@pytest.mark.parametrize("running", [Status.GO, Status.LIVE, Status.HYPERCARE])
def test_a_pause_resumes_where_it_stopped(make_proposal, manager, it_lead, running):
    proposal = make_proposal(running)
    paused = api(it_lead).post(
        f"/api/proposals/{proposal.pk}/pause/",
        {"reason": "Scanner outage", "impact": "Line 2 stood 3 h"},
    )
    assert paused.status_code == 200, paused.data
    assert paused.data["status"] == "paused"
    assert paused.data["pause"] == {
        "paused_from": running,
        "reason": "Scanner outage",
        "impact": "Line 2 stood 3 h",
    }
    resumed = api(manager).post(f"/api/proposals/{proposal.pk}/resume/")
    assert resumed.status_code == 200, resumed.data
    assert resumed.data["status"] == running
    assert resumed.data["history"][-1]["from_status"] == "paused"
    assert resumed.data["history"][-1]["to_status"] == running


def test_a_pause_needs_a_reason_and_the_impact(make_proposal, manager):
    proposal = make_proposal(Status.LIVE)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/pause/", {})
    assert response.status_code == 400
    assert set(response.data) == {"reason", "impact"}


def test_a_reschedule_is_evaluated_again_and_needs_a_new_approval(
    make_proposal, it_lead, manager, go_live, django_capture_on_commit_callbacks
):
    proposal = make_proposal(Status.PAUSED)
    new_date = go_live + datetime.timedelta(days=28)
    with django_capture_on_commit_callbacks(execute=True):
        response = api(it_lead).post(
            f"/api/proposals/{proposal.pk}/reschedule/",
            {"go_live": new_date.isoformat(), "comment": "After the audit"},
        )
    assert response.status_code == 200, response.data
    data = response.data
    assert data["status"] == "submitted"
    assert data["go_live"] == new_date.isoformat()
    assert data["evaluation"]["go_live"] == new_date.isoformat()
    assert data["phases"][-1]["start"] >= new_date.isoformat()
    assert data["decision"]["by"] is None
    assert data["history"][-1]["data"] == {
        "from_date": go_live.isoformat(),
        "to_date": new_date.isoformat(),
    }
    [email] = mail.outbox
    assert email.to == [manager.email]
    with translation.override("zh-hans"):  # the manager's language
        rescheduled = translation.gettext(
            "This go-live was paused and rescheduled to a new date: it needs your "
            "approval again."
        )
    assert rescheduled in email.body

    backup = GoLiveProposal.objects.get(pk=proposal.pk).checklist.get(
        kind="backup_verified"
    )
    assert backup.due == datetime.date.fromisoformat(data["phases"][1]["start"])
    assert api(manager).post(f"/api/proposals/{proposal.pk}/go/").status_code == 409
    assert (
        api(manager).post(f"/api/proposals/{proposal.pk}/approve/").status_code == 200
    )


def test_a_reschedule_outside_the_horizon_is_refused(make_proposal, it_lead, north):
    proposal = make_proposal(Status.PAUSED)
    response = api(it_lead).post(
        f"/api/proposals/{proposal.pk}/reschedule/",
        {"go_live": (north.local_today() - datetime.timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 400
    assert "horizon" in response.data["go_live"][0]
    proposal.refresh_from_db()
    assert proposal.status == Status.PAUSED


@pytest.mark.parametrize("source", [Status.LIVE, Status.PAUSED])
def test_a_rollback_records_its_reason(make_proposal, manager, source):
    proposal = make_proposal(source)
    response = api(manager).post(
        f"/api/proposals/{proposal.pk}/rollback/", {"reason": "Orders lost"}
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "rolled_back"
    assert response.data["rollback_reason"] == "Orders lost"
    assert response.data["actions"] == []  # closing is the IT lead's


def test_a_rollback_needs_a_reason(make_proposal, manager):
    proposal = make_proposal(Status.GO)
    response = api(manager).post(f"/api/proposals/{proposal.pk}/rollback/")
    assert response.status_code == 400
    assert "reason" in response.data


def test_a_serious_production_observation_suggests_pausing(
    make_proposal, it_lead, manager
):
    proposal = make_proposal(Status.LIVE)
    url = f"/api/proposals/{proposal.pk}/observations/"
    minor = api(it_lead).post(
        url,
        {
            "severity": "critical",
            "area": "finance",
            "description": "Invoices late",
            "production_affected": False,
        },
    )
    assert minor.data["suggests_pause"] is False
    assert selectors.proposal_needs_action(user=manager).pause_suggested == []

    serious = api(it_lead).post(
        url,
        {
            "severity": "high",
            "area": "production",
            "description": "Line 1 cannot book output",
            "production_affected": True,
        },
    )
    assert serious.status_code == 201
    assert serious.data["suggests_pause"] is True
    assert api(manager).get(f"/api/proposals/{proposal.pk}/").data["pause_suggested"]
    assert selectors.proposal_needs_action(user=manager).pause_suggested == [proposal]

    services.proposal_pause(proposal=proposal, user=manager, reason="r", impact="i")
    assert selectors.proposal_needs_action(user=manager).pause_suggested == []
    listed = api(it_lead).get(url).data
    assert [o["severity"] for o in listed] == ["high", "critical"]


def test_observations_are_recorded_only_from_go_on(make_proposal, it_lead, viewer):
    proposal = make_proposal(Status.APPROVED)
    body = {"severity": "low", "area": "it", "description": "x"}
    url = f"/api/proposals/{proposal.pk}/observations/"
    assert api(it_lead).post(url, body).status_code == 409
    live = make_proposal(Status.LIVE, day=proposal.go_live + datetime.timedelta(7))
    assert (
        api(viewer).post(f"/api/proposals/{live.pk}/observations/", body).status_code
        == 403
    )
    bad = api(it_lead).post(
        f"/api/proposals/{live.pk}/observations/", {**body, "area": "canteen"}
    )
    assert bad.status_code == 400 and "area" in bad.data
