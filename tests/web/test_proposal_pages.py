"""Proposals in the pages: create with a live evaluation, the detail page with
exactly the buttons the role allows, decisions, checklist, dashboard."""

import datetime

import pytest

from proposals import services
from proposals.models import GoLiveProposal

pytestmark = pytest.mark.django_db


def feasible_day(plant, rollout):
    from rollout.models import RecommendationSet

    return (
        RecommendationSet.objects.get(plant=plant, rollout=rollout)
        .windows.first()
        .go_live
    )


@pytest.fixture
def submitted(plant, rollout, it_lead):
    """A proposal in the spring peak season: feasible, with conflicts."""
    day = plant.local_today() + datetime.timedelta(days=75)
    proposal = services.proposal_create(
        contingency_fallback="Back to the legacy system from last night's backup.",
        user=it_lead,
        rollout=rollout,
        plant=plant,
        go_live=day,
    )
    return services.proposal_submit(proposal=proposal, user=it_lead)


def test_the_form_takes_the_date_from_the_calendar(login, it_lead, rollout, plant):
    day = feasible_day(plant, rollout)
    html = (
        login(it_lead)
        .get(f"/proposals/new/?plant=sz&rollout={rollout.id}&go_live={day}")
        .content.decode()
    )
    assert f'value="{day}"' in html
    assert "Contingency plan" in html
    assert 'hx-get="/proposals/new/evaluate/"' in html


def test_the_live_evaluation_follows_the_date(login, it_lead, rollout, plant):
    day = feasible_day(plant, rollout)
    html = (
        login(it_lead)
        .get(
            f"/proposals/new/evaluate/?plant={plant.pk}&rollout={rollout.id}&go_live={day}"
        )
        .content.decode()
    )
    assert "Feasible" in html and "Conflicts" in html
    empty = login(it_lead).get("/proposals/new/evaluate/?plant=&go_live=").content
    assert "Choose the plant" in empty.decode()


def test_an_it_lead_submits_a_proposal(login, it_lead, rollout, plant):
    day = feasible_day(plant, rollout)
    response = login(it_lead).post(
        "/proposals/new/",
        {
            "plant": plant.pk,
            "rollout": rollout.pk,
            "go_live": day,
            "contingency_fallback": "Run the old MES in parallel",
            "submit": "1",
        },
    )
    proposal = GoLiveProposal.objects.get()
    assert response["Location"] == f"/proposals/{proposal.pk}/"
    assert proposal.status == GoLiveProposal.Status.SUBMITTED
    assert proposal.contingency_fallback == "Run the old MES in parallel"


def test_a_date_outside_the_horizon_is_an_error_on_the_field(
    login, it_lead, rollout, plant
):
    response = login(it_lead).post(
        "/proposals/new/",
        {"plant": plant.pk, "rollout": rollout.pk, "go_live": "2001-01-01"},
    )
    assert 'id="id_go_live_error"' in response.content.decode()
    assert not GoLiveProposal.objects.exists()


def test_the_manager_sees_it_on_the_dashboard(login, manager, submitted):
    html = login(manager).get("/").content.decode()
    assert "To decide" in html
    assert f"/proposals/{submitted.pk}/" in html


def test_the_manager_gets_exactly_the_decision_buttons(login, manager, submitted):
    html = login(manager).get(f"/proposals/{submitted.pk}/").content.decode()
    assert 'data-action="approve"' in html and 'data-action="reject"' in html
    assert 'data-action="withdraw"' not in html
    assert "Readiness checklist" in html and "Timeline" in html


def test_the_proposer_may_only_withdraw(login, it_lead, submitted):
    html = login(it_lead).get(f"/proposals/{submitted.pk}/").content.decode()
    assert 'data-action="withdraw"' in html
    assert 'data-action="approve"' not in html


def test_a_viewer_gets_no_buttons(login, viewer, submitted):
    html = login(viewer).get(f"/proposals/{submitted.pk}/").content.decode()
    assert "data-action=" not in html
    assert "Nothing for you to do" in html


def test_approving_with_conflicts_needs_an_override_reason(login, manager, submitted):
    assert submitted.has_conflicts  # the spring peak
    client = login(manager)
    response = client.post(f"/proposals/{submitted.pk}/do/approve/", follow=True)
    assert "needs an override reason" in response.content.decode()
    client.post(
        f"/proposals/{submitted.pk}/do/approve/",
        {"approve-override_reason": "Month-end is handled by finance"},
    )
    submitted.refresh_from_db()
    assert submitted.status == GoLiveProposal.Status.APPROVED
    assert submitted.override_reason == "Month-end is handled by finance"


def test_a_viewer_cannot_decide(login, viewer, submitted):
    response = login(viewer).post(f"/proposals/{submitted.pk}/do/approve/")
    assert response.status_code == 403


def test_other_plants_proposals_are_not_found(login, other_manager, submitted):
    assert login(other_manager).get(f"/proposals/{submitted.pk}/").status_code == 404


def test_ticking_the_checklist(login, it_lead, submitted):
    item = submitted.checklist.exclude(kind="key_users_trained").first()
    login(it_lead).post(
        f"/proposals/{submitted.pk}/checklist/{item.pk}/", {"done": "on"}
    )
    item.refresh_from_db()
    assert item.done


def test_the_list_filters_by_status(login, manager, submitted):
    client = login(manager)
    assert "MES 2.0" in client.get("/proposals/?status=submitted").content.decode()
    assert (
        "No proposal matches" in client.get("/proposals/?status=live").content.decode()
    )


def test_approved_go_lives_are_marked_on_the_calendar(login, manager, submitted):
    services.proposal_approve(proposal=submitted, user=manager, override_reason="ok")
    html = login(manager).get(f"/plants/sz/calendar/?rollout={submitted.rollout_id}")
    assert "approved go-live: MES 2.0" in html.content.decode()


def test_reviews_page_lists_closed_go_lives(login, manager, plant):
    html = login(manager).get("/reviews/").content.decode()
    assert "No go-live has been reviewed yet" in html
    assert login(manager).get("/reviews/?plant=nope").status_code == 404


def test_dates_are_shown_in_the_plants_format(login, manager, submitted):
    html = login(manager).get(f"/proposals/{submitted.pk}/").content.decode()
    assert submitted.go_live.strftime("%Y-%m-%d") in html
    assert isinstance(submitted.go_live, datetime.date)


def test_a_reader_gets_no_needs_your_action_box(login, viewer, manager, submitted):
    assert "Needs your action" not in login(viewer).get("/").content.decode()
    assert "Needs your action" in login(manager).get("/").content.decode()
