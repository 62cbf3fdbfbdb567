"""What the proposal pages tell a manager after the fact: a pause's reason and
impact on the timeline and in the review, times with their zone, and the
review's output figure explained."""

import pytest
from django.test import Client

from proposals import services
from proposals.models import GoLiveProposal

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


def page(user, url: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_pause_shows_its_reason_and_impact_on_the_timeline(make_proposal, users):
    proposal = make_proposal(Status.GO)
    services.proposal_pause(
        proposal=proposal,
        user=users["manager"],
        reason="Line 3 label printer down",
        impact="Two hours of output lost",
    )
    html = page(users["viewer"], f"/proposals/{proposal.pk}/")
    timeline = html[html.index('id="tl-h"') :]
    assert "Line 3 label printer down" in timeline
    assert "Two hours of output lost" in timeline
    # Plant-local times carry their zone (the test plant is in Shanghai: CST).
    assert proposal.plant.zone.key == "Asia/Shanghai"
    assert " CST" in timeline


def test_the_review_lists_the_pauses_and_explains_output_vs_plan(make_proposal, users):
    proposal = make_proposal(Status.GO)
    proposal = services.proposal_pause(
        proposal=proposal,
        user=users["manager"],
        reason="Scanner firmware mismatch",
        impact="Receiving stopped for 40 minutes",
    )
    proposal = services.proposal_resume(proposal=proposal, user=users["manager"])
    proposal = services.proposal_live(proposal=proposal, user=users["it_lead"])
    proposal = services.proposal_hypercare(proposal=proposal, user=users["it_lead"])
    services.proposal_close(
        proposal=proposal,
        user=users["it_lead"],
        lessons_learned="Freeze firmware before cutover",
        rating=3,
        actual_utilisation=0.72,
    )
    review = proposal.review
    # The reviews page shows the same facts; read it in English.
    users["manager"].preference.language = "en"
    users["manager"].preference.save()
    html = page(users["manager"], "/reviews/")
    assert "Scanner firmware mismatch" in html
    assert "Receiving stopped for 40 minutes" in html
    assert review.planned_utilisation
    planned = f"{review.planned_utilisation * 100:.0f}%"
    assert f"actual utilisation 72% against {planned} planned" in html
