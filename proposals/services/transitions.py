"""The moves of the workflow (one per step of proposals.workflow.STEPS).

Every move goes through `_transition()`: the step's role, proposer and status
rules (workflow.authorize), then one conditional UPDATE … WHERE status = <read>
AND version = <read> (only the first of two concurrent moves changes a row;
the other gets StaleProposal), the audit row and, after commit, the e-mails —
all in one transaction.
"""

import datetime
import logging
from collections.abc import Callable
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from proposals import notifications
from proposals.models import (
    GoLiveProposal,
    ProposalReview,
    ProposalTransition,
)
from proposals.services.drafts import evaluation_snapshot, snapshot_fields
from proposals.services.readiness import readiness_due_dates_refresh
from proposals.services.review import review_facts
from proposals.workflow import (
    IllegalTransition,
    NotAllowed,
    StaleProposal,
    authorize,
    implements,
    overrides_four_eyes,
)

logger = logging.getLogger(__name__)
Status = GoLiveProposal.Status


def _transition(
    *,
    proposal: GoLiveProposal,
    user,
    action: str,
    comment: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    inside: Callable[[GoLiveProposal], None] | None = None,
    four_eyes_reason: str = "",
) -> GoLiveProposal:
    """Move `proposal` by `action` if it is still as it was read.

    `changes` are written with the status; `inside` runs in the transaction
    after the move (a check that raises undoes it); `data` goes to the audit,
    with the reason of a staff member deciding their own proposal.
    """
    spec = authorize(proposal=proposal, user=user, action=action)
    data = {
        **(data or {}),
        **four_eyes_record(
            proposal=proposal, user=user, action=action, reason=four_eyes_reason
        ),
    }
    source = proposal.status
    target = spec.target or proposal.paused_from
    now = timezone.now()
    with transaction.atomic():
        moved = GoLiveProposal.objects.filter(
            pk=proposal.pk, status=source, version=proposal.version
        ).update(
            status=target,
            version=F("version") + 1,
            updated_at=now,
            **(changes or {}),
        )
        if not moved:
            current = (
                GoLiveProposal.objects.filter(pk=proposal.pk)
                .values_list("status", flat=True)
                .first()
            )
            raise StaleProposal(
                _(
                    "The proposal was changed by someone else meanwhile (it is "
                    "now %(status)s); reload it and try again."
                )
                % {"status": Status(current).label if current else _("deleted")}
            )
        proposal.refresh_from_db()
        entry = ProposalTransition.objects.create(
            proposal=proposal,
            action=action,
            from_status=source,
            to_status=target,
            actor=user,
            at=now,
            comment=comment,
            data=data or {},
        )
        if inside is not None:
            inside(proposal)
        if spec.notify:
            transaction.on_commit(
                partial(
                    notifications.proposal_notify,
                    proposal_id=proposal.pk,
                    event=spec.notify,
                    transition_id=entry.pk,
                ),
                robust=True,
            )
    return proposal


def four_eyes_record(*, proposal: GoLiveProposal, user, action: str, reason: str):
    """The audit entry of a four-eyes override: the reason, required, when
    staff decide their own proposal (workflow.authorize refuses everyone else
    that); {} when the user is not the proposer, who overrides nothing."""
    reason = (reason or "").strip()
    if not overrides_four_eyes(proposal=proposal, user=user, action=action):
        return {}
    if not permissions.can_override_four_eyes(user):  # authorize said so first
        raise NotAllowed(_("Only staff may override four eyes."))
    if not reason:
        raise ValidationError(
            {
                "four_eyes_reason": _(
                    "You proposed this yourself: four eyes are needed. As staff "
                    "you may override them, giving the reason (kept in the audit "
                    "trail)."
                )
            }
        )
    return {"four_eyes_reason": reason}


@implements("submit")
def proposal_submit(*, proposal: GoLiveProposal, user, comment: str = ""):
    """Draft → submitted: evaluate the date now and keep the evaluation. The
    contingency plan's fallback must be written first (the plan is what a
    manager approves alongside the date)."""
    authorize(proposal=proposal, user=user, action="submit")
    require_contingency(proposal)
    snapshot = evaluation_snapshot(proposal=proposal, go_live=proposal.go_live)
    return _transition(
        proposal=proposal,
        user=user,
        action="submit",
        comment=comment,
        changes=snapshot_fields(snapshot),
        inside=lambda p: readiness_due_dates_refresh(proposal=p),
    )


def require_contingency(proposal: GoLiveProposal) -> None:
    """A go-live without a way back to the old system is not a plan."""
    if not (proposal.contingency_fallback or "").strip():
        raise ValidationError(
            {
                "contingency_fallback": _(
                    "Describe the fallback to the old system (the contingency "
                    "plan) before this proposal can be submitted or approved."
                )
            }
        )


@implements("withdraw")
def proposal_withdraw(*, proposal: GoLiveProposal, user, comment: str = ""):
    return _transition(proposal=proposal, user=user, action="withdraw", comment=comment)


@implements("approve")
def proposal_approve(
    *,
    proposal: GoLiveProposal,
    user,
    comment: str = "",
    override_reason: str = "",
    four_eyes_reason: str = "",
):
    """Submitted → approved. A proposal with conflicts (at submission or flagged
    by re-validation since) needs an explicit override reason, stored."""
    authorize(proposal=proposal, user=user, action="approve")
    require_contingency(proposal)
    override_reason = (override_reason or "").strip()
    if (proposal.has_conflicts or proposal.flagged) and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "This proposal has %(count)d conflict(s) with the plant's "
                    "calendar: approving it needs an override reason."
                )
                % {
                    "count": len(proposal.conflicts)
                    + len(proposal.revalidation_conflicts)
                }
            }
        )
    return _transition(
        proposal=proposal,
        user=user,
        action="approve",
        comment=comment,
        changes={
            "decided_by": user,
            "decided_at": timezone.now(),
            "decision_comment": comment,
            "override_reason": override_reason,
        },
        data={"override_reason": override_reason} if override_reason else None,
        four_eyes_reason=four_eyes_reason,
    )


@implements("reject")
def proposal_reject(*, proposal: GoLiveProposal, user, comment: str):
    authorize(proposal=proposal, user=user, action="reject")
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why the proposal is rejected.")})
    return _transition(
        proposal=proposal,
        user=user,
        action="reject",
        comment=comment,
        changes={
            "decided_by": user,
            "decided_at": timezone.now(),
            "decision_comment": comment,
        },
    )


def _require_ready(proposal: GoLiveProposal) -> None:
    # Checklist edits lock the proposal row, which this move's UPDATE holds.
    open_items = list(
        proposal.checklist.filter(done_at__isnull=True).values_list("title", flat=True)
    )
    if open_items:
        raise IllegalTransition(
            _("Go needs a complete readiness checklist; still open: %(items)s.")
            % {"items": "; ".join(open_items)}
        )


def go_window_opens(proposal: GoLiveProposal) -> datetime.date:
    """The first day the go may be given without an override: the cutover's
    start minus settings.OFFPEAK_GO_WINDOW_DAYS."""
    cutover = proposal.phase("cutover")
    start = datetime.date.fromisoformat(cutover["start"]) if cutover else None
    start = start or proposal.go_live
    return start - datetime.timedelta(days=settings.OFFPEAK_GO_WINDOW_DAYS)


@implements("go")
def proposal_go(
    *,
    proposal: GoLiveProposal,
    user,
    comment: str = "",
    override_reason: str = "",
    four_eyes_reason: str = "",
):
    """The go/no-go decision, in the days just before the cutover and only with
    every checklist item done. Earlier needs an override reason, kept in the
    audit trail."""
    authorize(proposal=proposal, user=user, action="go")
    override_reason = (override_reason or "").strip()
    opens = go_window_opens(proposal)
    if proposal.plant.local_today() < opens and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "The go is given in the %(days)d days before the cutover, from "
                    "%(opens)s; giving it earlier needs an override reason."
                )
                % {"days": settings.OFFPEAK_GO_WINDOW_DAYS, "opens": opens.isoformat()}
            }
        )
    return _transition(
        proposal=proposal,
        user=user,
        action="go",
        comment=comment,
        data={"override_reason": override_reason} if override_reason else None,
        inside=_require_ready,
        four_eyes_reason=four_eyes_reason,
    )


@implements("live")
def proposal_live(*, proposal: GoLiveProposal, user, comment: str = ""):
    """Cutover finished: the new system is live."""
    return _transition(proposal=proposal, user=user, action="live", comment=comment)


@implements("hypercare")
def proposal_hypercare(*, proposal: GoLiveProposal, user, comment: str = ""):
    return _transition(
        proposal=proposal, user=user, action="hypercare", comment=comment
    )


@implements("pause")
def proposal_pause(
    *, proposal: GoLiveProposal, user, reason: str, impact: str, comment: str = ""
):
    """Production suffers: stop where it is, remembering where to resume."""
    authorize(proposal=proposal, user=user, action="pause")
    reason, impact = (reason or "").strip(), (impact or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the go-live is paused.")
    if not impact:
        errors["impact"] = _("Describe the impact observed on production.")
    if errors:
        raise ValidationError(errors)
    return _transition(
        proposal=proposal,
        user=user,
        action="pause",
        comment=comment,
        changes={
            "paused_from": proposal.status,
            "pause_reason": reason,
            "pause_impact": impact,
        },
        data={"reason": reason, "impact": impact},
    )


@implements("resume")
def proposal_resume(*, proposal: GoLiveProposal, user, comment: str = ""):
    """Back to the status it was paused from."""
    return _transition(
        proposal=proposal,
        user=user,
        action="resume",
        comment=comment,
        changes={"paused_from": ""},
    )


@implements("reschedule")
def proposal_reschedule(
    *, proposal: GoLiveProposal, user, go_live: datetime.date, comment: str = ""
):
    """Paused → submitted on a new date, evaluated again; needs a new approval."""
    authorize(proposal=proposal, user=user, action="reschedule")
    if go_live is None:
        raise ValidationError({"go_live": _("Give the new go-live date.")})
    snapshot = evaluation_snapshot(proposal=proposal, go_live=go_live)
    changes = {
        **snapshot_fields(snapshot),
        "go_live": go_live,
        "paused_from": "",
        "decided_by": None,
        "decided_at": None,
        "decision_comment": "",
        "override_reason": "",
    }
    return _transition(
        proposal=proposal,
        user=user,
        action="reschedule",
        comment=comment,
        changes=changes,
        data={
            "from_date": proposal.go_live.isoformat(),
            "to_date": go_live.isoformat(),
        },
        inside=lambda p: readiness_due_dates_refresh(proposal=p),
    )


@implements("rollback")
def proposal_rollback(
    *, proposal: GoLiveProposal, user, reason: str, comment: str = ""
):
    """Fall back to the old system (the contingency plan)."""
    authorize(proposal=proposal, user=user, action="rollback")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the go-live is rolled back.")})
    return _transition(
        proposal=proposal,
        user=user,
        action="rollback",
        comment=comment,
        changes={"rollback_reason": reason},
        data={"reason": reason},
    )


@implements("close")
def proposal_close(
    *,
    proposal: GoLiveProposal,
    user,
    lessons_learned: str,
    rating: int,
    actual_utilisation: float | None = None,
    comment: str = "",
) -> GoLiveProposal:
    """Close with its review: planned vs actual, incidents, output vs plan."""
    authorize(proposal=proposal, user=user, action="close")
    review = ProposalReview(
        proposal=proposal,
        lessons_learned=(lessons_learned or "").strip(),
        rating=rating,
        actual_utilisation=actual_utilisation,
        reviewed_by=user,
        planned_go_live=proposal.go_live,
        closed_on=proposal.plant.local_today(),
    )
    review.full_clean(exclude=["proposal", "closed_on", "planned_go_live"])

    def write_review(closed: GoLiveProposal) -> None:
        review_facts(review=review, proposal=closed)
        review.save()

    return _transition(
        proposal=proposal,
        user=user,
        action="close",
        comment=comment,
        inside=write_review,
    )
