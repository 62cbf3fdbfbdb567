"""Re-validation of a plant's pending go-lives after its calendar changed.

`plant_proposals_revalidate` is a rebuild hook (rollout.hooks, registered by
proposals/extensions.py): it runs inside the rebuild's transaction, with the
plant row locked and the calendar already loaded. Each submitted, approved or
go proposal is evaluated again; conflicts that its submitted evaluation did not
have (a new milestone on its hypercare, a new peak) flag it, its status stays,
and its proposer and the plant's managers hear of each new conflict once — a
later rebuild that finds the same conflict sends nothing.
"""

import logging
from functools import partial

from django.db import transaction
from django.db.models import F
from django.db.models.fields.json import KeyTransform
from django.utils import timezone

from accounts.compiled import CompiledQuery
from calendars.models import Plant
from proposals import notifications
from proposals.models import GoLiveProposal, ProposalTransition
from proposals.services import conflict_key
from rollout.calendar_arrays import PlantCalendar
from rollout.evaluation import go_live_conflicts

logger = logging.getLogger(__name__)

Status = GoLiveProposal.Status
REVALIDATED = (Status.SUBMITTED, Status.APPROVED, Status.GO)
# Run after every rebuild (most plants have none pending): compiled to SQL
# once. Of the evaluation taken at submission (the engine's whole answer,
# large) only its conflicts are compared: the rest stays in the database.
_PENDING = CompiledQuery(
    lambda plant_id: (
        GoLiveProposal.objects.filter(plant_id=plant_id, status__in=REVALIDATED)
        .select_related("rollout__profile")
        .defer("evaluation")
        .annotate(submitted_conflicts=KeyTransform("conflicts", "evaluation"))
    ),
    plant_id=int,
)


def plant_proposals_revalidate(*, plant: Plant, calendar: PlantCalendar) -> list[int]:
    """Re-check the plant's pending proposals; returns the ids newly notified.
    A failure on one proposal is logged and never fails the rebuild."""
    notified = []
    proposals = _PENDING.run(plant_id=plant.pk)
    for proposal in proposals:
        proposal.plant = plant
        try:
            with transaction.atomic():
                if proposal_revalidate(proposal=proposal, calendar=calendar):
                    notified.append(proposal.pk)
        except Exception:
            logger.exception("re-validation of proposal %s failed", proposal.pk)
    return notified


def proposal_revalidate(*, proposal: GoLiveProposal, calendar: PlantCalendar) -> bool:
    """Flag the conflicts the proposal did not have when it was submitted (nor
    acknowledged since); mail the ones not mailed before. Returns whether a mail
    was queued."""
    horizon = calendar.horizon
    if not horizon.start <= proposal.go_live <= horizon.last_candidate:
        # Under way or beyond the horizon: the engine cannot score it.
        return False
    conflicts = go_live_conflicts(
        calendar=calendar, rollout=proposal.rollout, go_live=proposal.go_live
    )
    if hasattr(proposal, "submitted_conflicts"):  # plant_proposals_revalidate's
        submitted = proposal.submitted_conflicts or []
    else:
        submitted = proposal.conflicts
    known = {conflict_key(c) for c in submitted}
    known |= set(proposal.acknowledged_conflict_keys)
    new = [c for c in conflicts if conflict_key(c) not in known]
    notified = set(proposal.notified_conflict_keys)
    to_notify = [c for c in new if conflict_key(c) not in notified]
    changes = {"revalidated_at": timezone.now()}
    flag_changed = [conflict_key(c) for c in new] != [
        conflict_key(c) for c in proposal.revalidation_conflicts
    ]
    if flag_changed:
        changes["revalidation_conflicts"] = new
        # A decision taken on the unflagged version must not go through.
        changes["version"] = F("version") + 1
        changes["updated_at"] = timezone.now()
    if to_notify:
        changes["notified_conflict_keys"] = sorted(
            notified | {conflict_key(c) for c in to_notify}
        )
    GoLiveProposal.objects.filter(pk=proposal.pk).update(**changes)
    if flag_changed:
        ProposalTransition.objects.create(
            proposal=proposal,
            action="revalidate",
            from_status=proposal.status,
            to_status=proposal.status,
            data={
                "calendar_revision": proposal.plant.calendar_revision,
                "conflicts": new,
            },
        )
    if to_notify:
        transaction.on_commit(
            partial(
                notifications.proposal_notify,
                proposal_id=proposal.pk,
                event="conflict",
                conflicts=to_notify,
            ),
            robust=True,
        )
    return bool(to_notify)
