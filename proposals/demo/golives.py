"""The demo's go-live proposals: a submitted (MES 2.0 at Suzhou), an approved
(MES 2.0 at Stuttgart) and a closed, reviewed one (WMS wave 2 at Monterrey,
live three weeks ago), each created once."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction

from calendars.models import Plant
from proposals import services as proposals
from proposals.demo import data
from proposals.models import GoLiveProposal, ProposalTransition
from rollout.evaluation import go_live_evaluate
from rollout.models import Rollout


def _quiet_date(plant, rollout, today):
    day = rollout.earliest_go_live or today + datetime.timedelta(days=60)
    evaluation = go_live_evaluate(plant=plant, rollout=rollout, go_live=day)
    if not evaluation.feasible and evaluation.alternatives:
        day = evaluation.alternatives[0].go_live
    return day


def _propose(users, code, rollout_name, today):
    plant = Plant.objects.get(code=code)
    rollout = Rollout.objects.get(name=rollout_name)
    if GoLiveProposal.objects.filter(plant=plant, rollout=rollout).exists():
        return None
    return proposals.proposal_create(
        user=users[data.IT_LEAD],
        rollout=rollout,
        plant=plant,
        go_live=_quiet_date(plant, rollout, today),
        **data.CONTINGENCY,
    )


def _approve(users, proposal, manager):
    proposal = proposals.proposal_submit(proposal=proposal, user=users[data.IT_LEAD])
    return proposals.proposal_approve(
        proposal=proposal,
        user=users[manager],
        comment="Quiet enough; the lines are briefed.",
        override_reason="Reviewed the conflicts with the shift leads."
        if proposal.has_conflicts
        else "",
    )


def _move_back(proposal, shift: datetime.timedelta) -> GoLiveProposal:
    """The proposal's go-live, phases, history and observations `shift`
    earlier."""
    for entry in ProposalTransition.objects.filter(proposal=proposal):
        entry.at -= shift
        entry.save(update_fields=["at"])
    for observation in proposal.observations.all():
        observation.observed_at -= shift
        observation.save(update_fields=["observed_at"])
    GoLiveProposal.objects.filter(pk=proposal.pk).update(
        go_live=proposal.go_live - shift,
        phases=[
            {
                "name": p["name"],
                "start": (datetime.date.fromisoformat(p["start"]) - shift).isoformat(),
                "end": (datetime.date.fromisoformat(p["end"]) - shift).isoformat(),
            }
            for p in proposal.phases
        ],
    )
    proposal.refresh_from_db()
    return proposal


def _live_and_closed(users, proposal, today):
    """Approved, ready, live, in hypercare with an observation, dated three
    weeks back, then closed with its review."""
    lead, manager = users[data.IT_LEAD], users["jorge.ramos"]
    proposal = _approve(users, proposal, "jorge.ramos")
    for item in proposal.checklist.all():
        proposals.readiness_item_update(
            item=item,
            user=lead,
            done=True,
            trained_share=92.0,
            evidence="Signed off in the readiness meeting.",
        )
    proposal = proposals.proposal_go(
        proposal=proposal,
        user=manager,
        override_reason="Carrier and cutover weekend fixed with the "
        "3PL; readiness signed off early.",
    )
    proposal = proposals.proposal_live(proposal=proposal, user=lead)
    proposal = proposals.proposal_hypercare(proposal=proposal, user=lead)
    proposals.observation_create(
        proposal=proposal,
        user=lead,
        severity="medium",
        area="shipping",
        description="Pick lists printed late on the first night shift.",
    )
    # The demo's go-live happened three weeks ago: move its dates back.
    shift = proposal.go_live - (today - datetime.timedelta(days=21))
    proposal = _move_back(proposal, shift)
    proposals.proposal_close(
        proposal=proposal,
        user=lead,
        lessons_learned="Print pick lists before the cutover night; brief "
        "the night shift separately.",
        rating=4,
        actual_utilisation=0.71,
    )


def golives(today) -> bool:
    """The three go-lives, each once; False if the demo users are missing."""
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[data.IT_LEAD, "li.wei", "anna.keller", "jorge.ramos"]
        )
    }
    if len(users) < 4:
        return False
    lead = users[data.IT_LEAD]
    with transaction.atomic():
        proposal = _propose(users, "SZ", "MES 2.0", today)
        if proposal:
            proposals.proposal_submit(proposal=proposal, user=lead)

        proposal = _propose(users, "STG", "MES 2.0", today)
        if proposal:
            _approve(users, proposal, "anna.keller")

        proposal = _propose(users, "MTY", "WMS wave 2", today)
        if proposal:
            _live_and_closed(users, proposal, today)
    return True
