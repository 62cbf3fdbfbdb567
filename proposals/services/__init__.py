"""Writes of the go-live proposal workflow.

  drafts        creating and editing a proposal before it is decided
  revisions     changing a submitted or rejected proposal (its proposer)
  transitions   the moves, one per step of proposals.workflow.STEPS
  readiness     the readiness checklist
  observations  what was seen during cutover and hypercare
  review        the closing review; acknowledging new conflicts

Errors (from proposals.workflow): NotAllowed (the user lacks the role at the
plant, or the proposer rules forbid it), IllegalTransition (not from the
current status, or the checklist is not complete), StaleProposal (a concurrent
move won; a kind of IllegalTransition) and Django's ValidationError (bad
input, by field).
"""

from proposals.services.drafts import proposal_create
from proposals.services.observations import observation_create
from proposals.services.readiness import (
    readiness_checklist_seed,
    readiness_due_dates,
    readiness_due_dates_refresh,
    readiness_item_create,
    readiness_item_delete,
    readiness_item_update,
    readiness_owner_candidates,
    readiness_owner_get,
)
from proposals.services.review import (
    conflict_key,
    proposal_conflicts_acknowledge,
    review_update,
)
from proposals.services.revisions import proposal_revise, proposal_update
from proposals.services.transitions import (
    proposal_approve,
    proposal_close,
    proposal_go,
    proposal_hypercare,
    proposal_live,
    proposal_pause,
    proposal_reject,
    proposal_reschedule,
    proposal_resume,
    proposal_rollback,
    proposal_submit,
    proposal_withdraw,
)
from proposals.workflow import (
    IllegalTransition,
    NotAllowed,
    ProposalError,
    StaleProposal,
)

__all__ = [
    "IllegalTransition",
    "NotAllowed",
    "ProposalError",
    "StaleProposal",
    "conflict_key",
    "observation_create",
    "proposal_approve",
    "proposal_close",
    "proposal_conflicts_acknowledge",
    "proposal_create",
    "proposal_go",
    "proposal_hypercare",
    "proposal_live",
    "proposal_pause",
    "proposal_reject",
    "proposal_reschedule",
    "proposal_resume",
    "proposal_revise",
    "proposal_rollback",
    "proposal_submit",
    "proposal_update",
    "proposal_withdraw",
    "readiness_checklist_seed",
    "readiness_due_dates",
    "readiness_due_dates_refresh",
    "readiness_item_create",
    "readiness_item_delete",
    "readiness_item_update",
    "readiness_owner_candidates",
    "readiness_owner_get",
    "review_update",
]
