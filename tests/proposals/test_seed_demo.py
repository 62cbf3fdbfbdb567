"""seed_demo adds a submitted, an approved and a closed, reviewed go-live, and
a second run adds nothing."""

import pytest
from django.core.management import call_command

from proposals.models import GoLiveProposal, ProposalReview

pytestmark = pytest.mark.django_db
Status = GoLiveProposal.Status


def test_the_demo_has_proposals_in_several_statuses_once(capsys):
    call_command("seed_demo")
    statuses = sorted(GoLiveProposal.objects.values_list("status", flat=True))
    assert statuses == [Status.APPROVED, Status.CLOSED, Status.SUBMITTED]
    review = ProposalReview.objects.get()
    assert review.actual_go_live < review.closed_on
    assert review.lessons_learned

    call_command("seed_demo")
    assert GoLiveProposal.objects.count() == 3
    assert ProposalReview.objects.count() == 1
