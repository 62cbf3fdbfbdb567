"""Creating and editing a proposal before it is decided."""

import datetime
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.models import Plant
from calendars.names import stored_names
from proposals.models import (
    GoLiveProposal,
)
from proposals.services.audit import audit_record
from proposals.services.readiness import (
    readiness_checklist_seed,
    readiness_due_dates_refresh,
)
from proposals.workflow import (
    IT,
    IllegalTransition,
    NotAllowed,
    StaleProposal,
    has_role,
)
from rollout.evaluation import DateOutsideHorizon, go_live_evaluate
from rollout.models import Rollout

logger = logging.getLogger(__name__)
Status = GoLiveProposal.Status


def evaluation_snapshot(*, proposal: GoLiveProposal, go_live: datetime.date) -> dict:
    try:
        # Stored: causes named in English whoever submits (calendars.names
        # shows them in the reader's language; revalidation compares them).
        with stored_names():
            evaluation = go_live_evaluate(
                plant=proposal.plant, rollout=proposal.rollout, go_live=go_live
            )
    except DateOutsideHorizon as exc:
        raise ValidationError({"go_live": str(exc)}) from None
    snapshot = evaluation.as_dict()
    snapshot["calendar_revision"] = proposal.plant.calendar_revision
    snapshot["evaluated_at"] = timezone.now().isoformat()
    return snapshot


def snapshot_fields(snapshot: dict) -> dict:
    return {
        "evaluation": snapshot,
        "phases": snapshot["phases"],
        "score": snapshot["score"],
        "percentile": snapshot["percentile"],
        "evaluated_at": timezone.now(),
        # A new basis: earlier re-validation flags no longer apply.
        "revalidation_conflicts": [],
        "notified_conflict_keys": [],
        "acknowledged_conflict_keys": [],
    }


CONTINGENCY_FIELDS = (
    "contingency_fallback",
    "contingency_triggers",
    "contingency_decider",
    "contingency_rollback_hours",
)


@transaction.atomic
def proposal_create(
    *,
    user,
    rollout: Rollout,
    plant: Plant,
    go_live: datetime.date,
    contingency_fallback: str = "",
    contingency_triggers: str = "",
    contingency_decider: str = "",
    contingency_rollback_hours: int | None = None,
) -> GoLiveProposal:
    """A draft proposal with the engine's phase dates and a seeded checklist."""
    if not has_role(user=user, plant=plant, roles=[IT]):
        raise NotAllowed(
            _("Only an IT lead of plant %(plant)s may propose a go-live there.")
            % {"plant": plant.code}
        )
    if not rollout.plants.filter(pk=plant.pk).exists():
        raise ValidationError(
            {
                # Not its name: the rollout may run only at plants the user
                # does not see.
                "rollout": _("This rollout does not run at plant %(plant)s.")
                % {"plant": plant.code}
            }
        )
    proposal = GoLiveProposal(
        rollout=rollout,
        plant=plant,
        go_live=go_live,
        proposer=user,
        contingency_fallback=contingency_fallback,
        contingency_triggers=contingency_triggers,
        contingency_decider=contingency_decider,
        contingency_rollback_hours=contingency_rollback_hours,
    )
    proposal.phases = evaluation_snapshot(proposal=proposal, go_live=go_live)["phases"]
    proposal.full_clean()
    proposal.save()
    readiness_checklist_seed(proposal=proposal)
    audit_record(proposal=proposal, user=user, action="create", from_status="")
    return proposal


# A revision sends these back to the plant managers; later statuses are decided.
REVISABLE = (Status.SUBMITTED, Status.REJECTED)


def update_authorize(*, proposal: GoLiveProposal, user) -> None:
    """Whether `user` may change the proposal now: NotAllowed (not an IT lead
    of the plant; not the proposer of a submitted or rejected proposal) or
    IllegalTransition (decided or over) with the reason, else nothing."""
    if not has_role(user=user, plant=proposal.plant, roles=[IT]):
        raise NotAllowed(_("Only an IT lead of the plant may edit a proposal."))
    if proposal.status == Status.DRAFT:
        return
    if proposal.status not in REVISABLE:
        raise IllegalTransition(
            _(
                "A proposal that is %(status)s can no longer be revised: only a "
                "draft, a submitted or a rejected one can."
            )
            % {"status": proposal.get_status_display()}
        )
    if proposal.proposer_id != user.pk:
        proposer = proposal.proposer
        raise NotAllowed(
            _(
                "Only its proposer (%(name)s) may revise a submitted proposal; "
                "ask them, or propose another date yourself."
            )
            % {
                "name": (proposer.get_full_name() or proposer.username)
                if proposer
                else "–"
            }
        )


def draft_update(
    *, proposal: GoLiveProposal, user, comment: str = "", **fields
) -> GoLiveProposal:
    """Change a draft's go-live date or contingency plan (any IT lead of the
    plant). Called through proposals.services.revisions.proposal_update, which
    sends submitted and rejected proposals to their revision instead."""
    allowed = {"go_live", *CONTINGENCY_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    update_authorize(proposal=proposal, user=user)  # a draft, by now
    changes = {k: v for k, v in fields.items() if k in CONTINGENCY_FIELDS}
    if "go_live" in fields and fields["go_live"] != proposal.go_live:
        changes["go_live"] = fields["go_live"]
        changes["phases"] = evaluation_snapshot(
            proposal=proposal, go_live=fields["go_live"]
        )["phases"]
    if not changes:
        return proposal
    for name, value in changes.items():
        setattr(proposal, name, value)
    proposal.full_clean()
    with transaction.atomic():
        updated = GoLiveProposal.objects.filter(
            pk=proposal.pk, status=Status.DRAFT, version=proposal.version
        ).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
        if not updated:
            raise StaleProposal(
                _("The proposal was changed by someone else meanwhile; reload it.")
            )
        proposal.refresh_from_db()
        if "phases" in changes:
            readiness_due_dates_refresh(proposal=proposal)
        audit_record(
            proposal=proposal,
            user=user,
            action="edit",
            comment=(comment or "").strip(),
            data={"fields": sorted(changes)},
        )
    return proposal
