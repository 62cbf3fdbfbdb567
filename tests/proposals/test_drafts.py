"""An IT lead proposes a go-live: the engine lays out the phases, only a draft
can be edited, the proposer may withdraw it before approval, and the list
filters by plant, status and date."""

import datetime

import pytest

from proposals.models import GoLiveProposal
from rollout.models import Rollout
from rollout.services import rollout_save
from tests.proposals.conftest import api, rows

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


def _body(rollout, go_live, plant="north", **extra):
    return {"rollout": rollout.pk, "plant": plant, "go_live": go_live.isoformat()}


@pytest.mark.parametrize("role", ["manager", "viewer"])
def test_only_an_it_lead_may_propose(users, rollout, go_live, role):
    response = api(users[role]).post("/api/proposals/", _body(rollout, go_live))
    assert response.status_code == 403


def test_a_plant_the_user_cannot_see_is_unknown(it_lead, rollout, go_live):
    response = api(it_lead).post(
        "/api/proposals/", _body(rollout, go_live, plant="south")
    )
    assert response.status_code == 400
    assert "plant" in response.data


def test_a_rollout_of_a_plant_the_user_cannot_see_is_unknown_and_unnamed(
    it_lead, south, go_live
):
    elsewhere = rollout_save(
        rollout=Rollout(name="WMS south", kind=Rollout.Kind.WMS), plants=[south]
    )
    response = api(it_lead).post("/api/proposals/", _body(elsewhere, go_live))
    assert response.status_code == 400
    assert "rollout" in response.data
    assert "WMS south" not in str(response.data)


def test_a_date_outside_the_horizon_is_refused(it_lead, rollout, north):
    past = north.local_today() - datetime.timedelta(days=1)
    response = api(it_lead).post("/api/proposals/", _body(rollout, past))
    assert response.status_code == 400
    assert "horizon" in response.data["go_live"][0]
    assert not GoLiveProposal.objects.exists()


def test_a_draft_can_be_edited_and_an_approved_one_cannot(
    make_proposal, it_lead, manager
):
    proposal = make_proposal(Status.DRAFT)
    new_day = proposal.go_live + datetime.timedelta(days=7)
    url = f"/api/proposals/{proposal.pk}/"
    edited = api(it_lead).patch(
        url,
        {"go_live": new_day.isoformat(), "contingency_triggers": "Line stop > 1 h"},
    )
    assert edited.status_code == 200, edited.data
    assert edited.data["go_live"] == new_day.isoformat()
    assert edited.data["phases"][1]["end"] == new_day.isoformat()
    assert edited.data["contingency"]["triggers"] == "Line stop > 1 h"
    assert edited.data["history"][-1]["action"] == "edit"

    api(it_lead).post(f"{url}submit/")
    # A submitted one is revised by its proposer (test_revising_a_submitted_proposal).
    api(manager).post(f"{url}approve/", {"override_reason": "Agreed with finance"})
    refused = api(it_lead).patch(url, {"contingency_decider": "Me"})
    assert refused.status_code == 409


def test_only_the_proposer_may_withdraw(make_proposal, other_it_lead, it_lead):
    proposal = make_proposal(Status.SUBMITTED)
    url = f"/api/proposals/{proposal.pk}/withdraw/"
    assert api(other_it_lead).post(url).status_code == 403
    withdrawn = api(it_lead).post(url, {"comment": "Budget moved"})
    assert withdrawn.status_code == 200
    assert withdrawn.data["status"] == "withdrawn"
    assert withdrawn.data["history"][-1]["comment"] == "Budget moved"


def test_the_list_filters_by_plant_status_and_date(make_proposal, manager, go_live):
    draft = make_proposal(Status.DRAFT)
    later = make_proposal(Status.SUBMITTED, day=go_live + datetime.timedelta(days=30))
    client = api(manager)

    def ids(query):
        response = client.get(f"/api/proposals/?{query}")
        assert response.status_code == 200, response.data
        return [p["id"] for p in rows(response)]

    assert ids("") == [draft.pk, later.pk]
    assert ids("status=submitted") == [later.pk]
    assert ids("status=draft,submitted&plant=north") == [draft.pk, later.pk]
    assert ids(f"date={go_live.isoformat()}") == [draft.pk]
    after = (go_live + datetime.timedelta(days=1)).isoformat()
    assert ids(f"go_live_from={after}") == [later.pk]
    assert ids(f"go_live_to={after}") == [draft.pk]
    assert ids("plant=nowhere") == []
    assert client.get("/api/proposals/?status=dreaming").status_code == 400
    assert client.get("/api/proposals/?date=tomorrow").status_code == 400


def test_an_empty_list_filter_is_refused_naming_it(make_proposal, manager):
    """`?status=&date=` is a client's mistake (a form field left blank), not
    "every proposal": the answer names each empty parameter."""
    make_proposal(Status.DRAFT)
    response = api(manager).get("/api/proposals/?status=&date=&plant=north")
    assert response.status_code == 400
    assert set(response.data) == {"status", "date"}
    assert "leave date out" in str(response.data["date"][0])


def test_the_detail_lists_what_the_user_may_do(make_proposal, users):
    proposal = make_proposal(Status.SUBMITTED)
    url = f"/api/proposals/{proposal.pk}/"
    assert api(users["manager"]).get(url).data["actions"] == ["approve", "reject"]
    assert api(users["it_lead"]).get(url).data["actions"] == ["withdraw"]
    assert api(users["viewer"]).get(url).data["actions"] == []
