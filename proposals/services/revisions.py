"""Changing a proposal's date or contingency plan: a draft is simply edited; a
submitted or rejected one is revised by its proposer and goes (back) to the
plant managers.

`proposal_update` is the one door the REST API (PATCH /api/proposals/{id}/)
and the edit page call; it picks the draft edit or the revision by status.
"""

import datetime
from functools import partial

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals import notifications
from proposals.models import GoLiveProposal, ProposalTransition
from proposals.services.drafts import (
    CONTINGENCY_FIELDS,
    REVISABLE,
    draft_update,
    evaluation_snapshot,
    snapshot_fields,
    update_authorize,
)
from proposals.services.readiness import readiness_due_dates_refresh
from proposals.services.transitions import require_contingency
from proposals.workflow import (
    IllegalTransition,
    NotAllowed,
    StaleProposal,
)

Status = GoLiveProposal.Status
REVISED_FIELDS = ("go_live", *CONTINGENCY_FIELDS)


def proposal_update(
    *, proposal: GoLiveProposal, user, comment: str = "", **fields
) -> GoLiveProposal:
    """Change the go-live date or the contingency plan: a draft's (any IT lead
    of the plant), or a submitted or rejected proposal's (its proposer; see
    proposal_revise). Anything later is refused with the reason."""
    if proposal.status in REVISABLE:
        return proposal_revise(proposal=proposal, user=user, comment=comment, **fields)
    return draft_update(proposal=proposal, user=user, comment=comment, **fields)


def may_update(*, proposal: GoLiveProposal, user) -> bool:
    try:
        update_authorize(proposal=proposal, user=user)
    except (NotAllowed, IllegalTransition):
        return False
    return True


def _shown(value):
    """A value as the audit trail keeps it (JSON): dates in ISO."""
    return value.isoformat() if isinstance(value, datetime.date) else value


def proposal_revise(
    *, proposal: GoLiveProposal, user, comment: str = "", **fields
) -> GoLiveProposal:
    """The proposer corrects a submitted (or rejected) proposal.

    It is evaluated again against the plant's calendar as at submission (phases,
    score, conflicts; earlier re-validation flags no longer apply) and is
    submitted again: an earlier decision (a rejection) and its override reason
    are cleared. The audit trail keeps each changed field's old and new value
    and the score and conflicts before and after; the plant managers are
    e-mailed what changed.
    """
    unknown = set(fields) - set(REVISED_FIELDS)
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    update_authorize(proposal=proposal, user=user)
    if proposal.status == Status.DRAFT:
        raise IllegalTransition(_("A draft is edited, not revised."))
    changed = {
        name: value
        for name, value in fields.items()
        if value != getattr(proposal, name)
    }
    source = proposal.status
    if not changed and source == Status.REJECTED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: _(
                    "Nothing changed: change the date or the contingency plan to "
                    "submit the rejected proposal again."
                )
            }
        )
    if not changed:
        return proposal
    before = {name: getattr(proposal, name) for name in changed}
    for name, value in changed.items():
        setattr(proposal, name, value)
    try:
        proposal.full_clean()
        require_contingency(proposal)
        snapshot = evaluation_snapshot(proposal=proposal, go_live=proposal.go_live)
    finally:
        for name, value in before.items():
            setattr(proposal, name, value)
    update = {
        **changed,
        **snapshot_fields(snapshot),
        "status": Status.SUBMITTED,
        "decided_by": None,
        "decided_at": None,
        "decision_comment": "",
        "override_reason": "",
    }
    data = {
        "changes": {
            name: {"from": _shown(before[name]), "to": _shown(value)}
            for name, value in changed.items()
        },
        "score": {"from": proposal.score, "to": snapshot["score"]},
        "conflicts": {
            "from": len(proposal.conflicts),
            "to": len(snapshot.get("conflicts") or []),
        },
    }
    now = timezone.now()
    with transaction.atomic():
        moved = GoLiveProposal.objects.filter(
            pk=proposal.pk, status=source, version=proposal.version
        ).update(version=F("version") + 1, updated_at=now, **update)
        if not moved:
            raise StaleProposal(
                _("The proposal was changed by someone else meanwhile; reload it.")
            )
        proposal.refresh_from_db()
        entry = ProposalTransition.objects.create(
            proposal=proposal,
            action="revise",
            from_status=source,
            to_status=proposal.status,
            actor=user,
            at=now,
            comment=(comment or "").strip(),
            data=data,
        )
        readiness_due_dates_refresh(proposal=proposal)
        transaction.on_commit(
            partial(
                notifications.proposal_notify,
                proposal_id=proposal.pk,
                event="revised",
                transition_id=entry.pk,
            ),
            robust=True,
        )
    return proposal
