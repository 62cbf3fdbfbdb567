"""The whole go-live, through the API, as an IT lead and a plant manager."""

import pytest
from django.core import mail

from tests.proposals.conftest import api

pytestmark = pytest.mark.django_db


def test_an_it_lead_and_a_manager_take_a_system_live_and_review_it(
    it_lead, manager, rollout, go_live, django_capture_on_commit_callbacks
):
    lead, boss = api(it_lead), api(manager)

    created = lead.post(
        "/api/proposals/",
        {
            "rollout": rollout.pk,
            "plant": "north",
            "go_live": go_live.isoformat(),
            "contingency_fallback": "Paper travellers and the old MES in read-only",
            "contingency_triggers": "Line stop over 2 h",
            "contingency_decider": "Plant manager",
            "contingency_rollback_hours": 6,
        },
        format="json",
    )
    assert created.status_code == 201, created.data
    pk = created.data["id"]
    assert created.data["status"] == "draft"
    assert [p["name"] for p in created.data["phases"]] == [
        "training",
        "cutover",
        "hypercare",
    ]
    assert len(created.data["checklist_items"]) == 6
    assert "submit" in created.data["actions"]

    with django_capture_on_commit_callbacks(execute=True):
        submitted = lead.post(f"/api/proposals/{pk}/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.data
    assert submitted.data["status"] == "submitted"
    assert submitted.data["evaluation"]["feasible"] is True
    assert submitted.data["score"] is not None
    assert [m.to for m in mail.outbox] == [[manager.email]]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approved = boss.post(
            f"/api/proposals/{pk}/approve/", {"comment": "Good window"}, format="json"
        )
    assert approved.status_code == 200, approved.data
    assert approved.data["status"] == "approved"
    assert approved.data["decision"]["comment"] == "Good window"
    assert [m.to for m in mail.outbox] == [[it_lead.email]]

    for item in approved.data["checklist_items"]:
        done = lead.patch(
            f"/api/proposals/{pk}/checklist/{item['id']}/",
            {"done": True, "evidence": "see wiki", "trained_share": 95},
            format="json",
        )
        assert done.status_code == 200, done.data
        assert done.data["done_by"]["username"] == it_lead.username

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        went = boss.post(
            f"/api/proposals/{pk}/go/",
            {"override_reason": "Cutover weekend fixed with the carrier"},
            format="json",
        )
    assert went.status_code == 200, went.data
    assert went.data["status"] == "go"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [it_lead.email, manager.email]
    )

    assert lead.post(f"/api/proposals/{pk}/live/").data["status"] == "live"
    observed = lead.post(
        f"/api/proposals/{pk}/observations/",
        {
            "severity": "low",
            "area": "shipping",
            "description": "Labels printed slowly",
            "production_affected": False,
        },
        format="json",
    )
    assert observed.status_code == 201, observed.data
    assert observed.data["suggests_pause"] is False
    assert lead.post(f"/api/proposals/{pk}/hypercare/").data["status"] == "hypercare"

    closed = lead.post(
        f"/api/proposals/{pk}/close/",
        {"lessons_learned": "Train the night shift too.", "rating": 4},
        format="json",
    )
    assert closed.status_code == 200, closed.data
    assert closed.data["status"] == "closed"
    review = lead.get(f"/api/proposals/{pk}/review/").data
    assert review["rating"] == 4
    assert review["incidents"] == {"low": 1, "medium": 0, "high": 0, "critical": 0}
    assert review["paused"] is False and review["rolled_back"] is False
    assert review["planned_go_live"] == go_live.isoformat()

    history = [
        (h["action"], h["from_status"], h["to_status"], h["actor"]["username"])
        for h in closed.data["history"]
    ]
    assert history == [
        ("create", "", "draft", it_lead.username),
        ("submit", "draft", "submitted", it_lead.username),
        ("approve", "submitted", "approved", manager.username),
        ("go", "approved", "go", manager.username),
        ("live", "go", "live", it_lead.username),
        ("hypercare", "live", "hypercare", it_lead.username),
        ("close", "hypercare", "closed", it_lead.username),
    ]
    assert closed.data["actions"] == []
