"""Closing writes the review: planned vs actual dates, output vs the
production plan during hypercare, incidents by severity, whether it was paused
or rolled back, lessons and a rating; reviews are listed per plant."""

import datetime

import pytest
from django.utils import timezone

from calendars.models import ProductionPlan
from proposals import selectors, services
from proposals.models import GoLiveProposal
from tests.factories import PlanLineFactory, ProductionPlanFactory
from tests.proposals.conftest import api

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


@pytest.fixture
def daily_plan(north):
    """60 % planned on every day of the last five weeks and the next one."""
    today = north.local_today()
    plan = ProductionPlanFactory(
        plant=north,
        granularity=ProductionPlan.Granularity.DAY,
        period_start=today - datetime.timedelta(days=35),
        period_end=today + datetime.timedelta(days=7),
    )
    for offset in range(-35, 8):
        PlanLineFactory(
            plan=plan,
            bucket_start=today + datetime.timedelta(days=offset),
            load=60.0,
            capacity=100.0,
        )
    return plan


def _started_days_ago(proposal, action, days):
    proposal.transitions.filter(action=action).update(
        at=timezone.now() - datetime.timedelta(days=days)
    )


def test_closing_writes_the_review(make_proposal, it_lead, manager, north, daily_plan):
    proposal = make_proposal(Status.HYPERCARE)
    for severity, affected in [("low", False), ("high", True), ("high", False)]:
        services.observation_create(
            proposal=proposal,
            user=it_lead,
            severity=severity,
            area="production",
            description="seen",
            production_affected=affected,
        )
    proposal = services.proposal_pause(
        proposal=proposal, user=manager, reason="Line 2", impact="2 h"
    )
    proposal = services.proposal_resume(proposal=proposal, user=manager)
    _started_days_ago(proposal, "live", 15)
    _started_days_ago(proposal, "hypercare", 14)

    response = api(it_lead).post(
        f"/api/proposals/{proposal.pk}/close/",
        {
            "lessons_learned": "Brief the night shift.",
            "rating": 4,
            "actual_utilisation": 0.54,
        },
    )

    assert response.status_code == 200, response.data
    review = response.data["review"]
    today = north.local_today()
    assert review["planned_go_live"] == proposal.go_live.isoformat()
    assert review["actual_go_live"] == (today - datetime.timedelta(15)).isoformat()
    assert (
        review["actual_hypercare_start"] == (today - datetime.timedelta(14)).isoformat()
    )
    assert review["planned_hypercare_end"] == proposal.phase("hypercare")["end"]
    assert review["closed_on"] == today.isoformat()
    assert review["planned_utilisation"] == pytest.approx(0.6)
    assert review["output_vs_plan"] == pytest.approx(90.0)
    assert review["incidents"] == {"low": 1, "medium": 0, "high": 2, "critical": 0}
    assert review["paused"] is True and review["rolled_back"] is False
    assert review["lessons_learned"] == "Brief the night shift."
    assert review["reviewed_by"]["username"] == it_lead.username


def test_a_rolled_back_go_live_is_closed_with_its_review(make_proposal, it_lead):
    proposal = make_proposal(Status.ROLLED_BACK)
    proposal = services.proposal_close(
        proposal=proposal, user=it_lead, lessons_learned="Rehearse twice.", rating=2
    )
    assert proposal.status == Status.CLOSED
    assert proposal.review.rolled_back is True
    assert proposal.review.actual_go_live is None


def test_closing_needs_lessons_and_a_rating(make_proposal, it_lead):
    proposal = make_proposal(Status.HYPERCARE)
    url = f"/api/proposals/{proposal.pk}/close/"
    response = api(it_lead).post(url, {"rating": 9})
    assert response.status_code == 400
    assert set(response.data) == {"lessons_learned", "rating"}
    proposal.refresh_from_db()
    assert proposal.status == Status.HYPERCARE
    assert (
        not GoLiveProposal.objects.get(pk=proposal.pk)
        .transitions.filter(action="close")
        .exists()
    )


def test_the_review_can_be_amended(make_proposal, manager, viewer):
    proposal = make_proposal(Status.CLOSED)
    url = f"/api/proposals/{proposal.pk}/review/"
    assert api(viewer).patch(url, {"rating": 5}).status_code == 403
    amended = api(manager).patch(url, {"rating": 5, "lessons_learned": "More UAT"})
    assert amended.status_code == 200, amended.data
    assert amended.data["rating"] == 5
    assert amended.data["lessons_learned"] == "More UAT"


def test_there_is_no_review_before_closing(make_proposal, it_lead):
    proposal = make_proposal(Status.HYPERCARE)
    assert api(it_lead).get(f"/api/proposals/{proposal.pk}/review/").status_code == 404


def test_reviews_are_listed_per_plant_newest_first(
    make_proposal, viewer, it_lead, manager, north, south, go_live
):
    south.members.add(it_lead, manager)
    first = make_proposal(Status.CLOSED)
    second = make_proposal(Status.CLOSED, day=go_live + datetime.timedelta(days=21))
    second.review.closed_on += datetime.timedelta(days=1)
    second.review.save()
    elsewhere = make_proposal(Status.CLOSED, plant=south)

    assert [r.proposal for r in selectors.review_list(user=viewer)] == [
        second,
        first,
    ]
    assert list(selectors.review_list(user=viewer, plant=south)) == []
    assert [r.proposal for r in selectors.review_list(user=it_lead, plant=south)] == [
        elsewhere
    ]
