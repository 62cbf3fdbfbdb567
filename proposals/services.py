"""Writes of the go-live proposal workflow.

Every status change is one entry of TRANSITIONS and goes through
`_transition()`: role and plant check, legal source status, input check, then
one conditional UPDATE … WHERE status = <read> AND version = <read> (only the
first of two concurrent moves changes a row; the other gets StaleProposal), the
audit row and, after commit, the e-mails — all in one transaction.

Errors: NotAllowed (the user lacks the role at the plant or is not the
proposer), IllegalTransition (not from the current status, or the checklist is
not complete), StaleProposal (a concurrent move won; a kind of
IllegalTransition) and Django's ValidationError (bad input, by field).
"""

import datetime
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import permissions
from calendars.models import Plant
from calendars.selectors import plant_calendar
from proposals import notifications
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ProposalTransition,
    ReadinessItem,
)
from rollout.evaluation import DateOutsideHorizon, go_live_evaluate
from rollout.models import Rollout

logger = logging.getLogger(__name__)

Status = GoLiveProposal.Status
PM, IT = permissions.PLANT_MANAGER, permissions.IT_LEAD


# --- errors -----------------------------------------------------------------


class ProposalError(Exception):
    """Base of the workflow's errors; str() is a message fit for the user."""


class NotAllowed(ProposalError):
    """The user may see the proposal but lacks the role (or is not its proposer)."""


class IllegalTransition(ProposalError):
    """The move is not possible from the proposal's current state."""


class StaleProposal(IllegalTransition):
    """Another move changed the proposal after it was read: reload and retry."""


# --- the transition table -----------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: back to the status it was paused from
    roles: frozenset[str]
    proposer_only: bool = False
    notify: str | None = None  # notifications event


def _t(action, sources, target, roles, **kw) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles), **kw)


RUNNING = (Status.GO, Status.LIVE, Status.HYPERCARE)
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("submit", [Status.DRAFT], Status.SUBMITTED, [IT], notify="submitted"),
        _t(
            "withdraw",
            [Status.DRAFT, Status.SUBMITTED],
            Status.WITHDRAWN,
            [IT],
            proposer_only=True,
        ),
        _t("approve", [Status.SUBMITTED], Status.APPROVED, [PM], notify="approved"),
        _t("reject", [Status.SUBMITTED], Status.REJECTED, [PM], notify="rejected"),
        _t("go", [Status.APPROVED], Status.GO, [PM], notify="go"),
        _t("live", [Status.GO], Status.LIVE, [IT]),
        _t("hypercare", [Status.LIVE], Status.HYPERCARE, [IT]),
        _t("pause", RUNNING, Status.PAUSED, [PM, IT], notify="paused"),
        _t("resume", [Status.PAUSED], None, [PM]),
        _t("reschedule", [Status.PAUSED], Status.SUBMITTED, [IT], notify="submitted"),
        _t(
            "rollback",
            [*RUNNING, Status.PAUSED],
            Status.ROLLED_BACK,
            [PM],
            notify="rolled_back",
        ),
        _t("close", [Status.HYPERCARE, Status.ROLLED_BACK], Status.CLOSED, [IT]),
    )
}
# Statuses in which the checklist and the observations can still change.
CHECKLIST_EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PAUSED)
OBSERVABLE = (*RUNNING, Status.PAUSED)

_ROLE_CHECKS: dict[str, Callable] = {
    PM: permissions.can_decide_proposals,
    IT: permissions.can_plan_rollouts,
}
_ROLE_NAMES = {PM: gettext_lazy("plant manager"), IT: gettext_lazy("IT lead")}


def has_role(*, user, plant: Plant, roles) -> bool:
    return any(_ROLE_CHECKS[role](user, plant) for role in roles)


def transition_allowed(*, proposal: GoLiveProposal, user, action: str) -> bool:
    """Whether `user` may do `action` now (role and status; input aside)."""
    try:
        _authorize(proposal=proposal, user=user, action=action)
    except ProposalError:
        return False
    return True


def _authorize(*, proposal: GoLiveProposal, user, action: str) -> Transition:
    spec = TRANSITIONS[action]
    if not has_role(user=user, plant=proposal.plant, roles=spec.roles):
        raise NotAllowed(
            _("Only a %(roles)s of plant %(plant)s may %(action)s a proposal.")
            % {
                "roles": _(" or ").join(
                    str(_ROLE_NAMES[r]) for r in sorted(spec.roles)
                ),
                "plant": proposal.plant.code,
                "action": action,
            }
        )
    if spec.proposer_only and proposal.proposer_id != user.pk:
        raise NotAllowed(_("Only the proposer may %(action)s it.") % {"action": action})
    if proposal.status not in spec.sources:
        raise IllegalTransition(
            _("Cannot %(action)s a proposal that is %(status)s (only from: %(from)s).")
            % {
                "action": action,
                "status": proposal.get_status_display(),
                "from": ", ".join(str(Status(s).label) for s in sorted(spec.sources)),
            }
        )
    return spec


def _transition(
    *,
    proposal: GoLiveProposal,
    user,
    action: str,
    comment: str = "",
    changes: dict | None = None,
    data: dict | None = None,
    inside: Callable[[GoLiveProposal], None] | None = None,
) -> GoLiveProposal:
    """Move `proposal` by `action` if it is still as it was read.

    `changes` are written with the status; `inside` runs in the transaction
    after the move (a check that raises undoes it); `data` goes to the audit.
    """
    spec = _authorize(proposal=proposal, user=user, action=action)
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


# --- creating and editing a draft ----------------------------------------------


def _evaluate(*, proposal: GoLiveProposal, go_live: datetime.date) -> dict:
    try:
        evaluation = go_live_evaluate(
            plant=proposal.plant, rollout=proposal.rollout, go_live=go_live
        )
    except DateOutsideHorizon as exc:
        raise ValidationError({"go_live": str(exc)}) from None
    snapshot = evaluation.as_dict()
    snapshot["calendar_revision"] = proposal.plant.calendar_revision
    snapshot["evaluated_at"] = timezone.now().isoformat()
    return snapshot


def _snapshot_fields(snapshot: dict) -> dict:
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


_CONTINGENCY_FIELDS = (
    "contingency_fallback",
    "contingency_triggers",
    "contingency_decider",
    "contingency_rollback_hours",
)


def _audit(
    *, proposal, user, action: str, comment: str = "", data=None, from_status=None
) -> None:
    """An audit row for a change that is not a move (from = to)."""
    ProposalTransition.objects.create(
        proposal=proposal,
        action=action,
        from_status=proposal.status if from_status is None else from_status,
        to_status=proposal.status,
        actor=user,
        comment=comment,
        data=data or {},
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
                "rollout": _("Rollout %(rollout)s does not include plant %(plant)s.")
                % {"rollout": rollout.name, "plant": plant.code}
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
    proposal.phases = _evaluate(proposal=proposal, go_live=go_live)["phases"]
    proposal.full_clean()
    proposal.save()
    readiness_checklist_seed(proposal=proposal)
    _audit(proposal=proposal, user=user, action="create", from_status="")
    return proposal


def proposal_update(*, proposal: GoLiveProposal, user, **fields) -> GoLiveProposal:
    """Change a draft's go-live date or contingency plan (proposer or IT lead)."""
    allowed = {"go_live", *_CONTINGENCY_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    if not has_role(user=user, plant=proposal.plant, roles=[IT]):
        raise NotAllowed(_("Only an IT lead of the plant may edit a proposal."))
    if proposal.status != Status.DRAFT:
        raise IllegalTransition(
            _("Only a draft can be edited; this proposal is %(status)s.")
            % {"status": proposal.get_status_display()}
        )
    changes = {k: v for k, v in fields.items() if k in _CONTINGENCY_FIELDS}
    if "go_live" in fields and fields["go_live"] != proposal.go_live:
        changes["go_live"] = fields["go_live"]
        changes["phases"] = _evaluate(proposal=proposal, go_live=fields["go_live"])[
            "phases"
        ]
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
        _audit(
            proposal=proposal,
            user=user,
            action="edit",
            data={"fields": sorted(changes)},
        )
    return proposal


# --- the transitions -------------------------------------------------------------


def proposal_submit(*, proposal: GoLiveProposal, user, comment: str = ""):
    """Draft → submitted: evaluate the date now and keep the evaluation."""
    _authorize(proposal=proposal, user=user, action="submit")
    snapshot = _evaluate(proposal=proposal, go_live=proposal.go_live)
    return _transition(
        proposal=proposal,
        user=user,
        action="submit",
        comment=comment,
        changes=_snapshot_fields(snapshot),
        inside=lambda p: readiness_due_dates_refresh(proposal=p),
    )


def proposal_withdraw(*, proposal: GoLiveProposal, user, comment: str = ""):
    return _transition(proposal=proposal, user=user, action="withdraw", comment=comment)


def proposal_approve(
    *, proposal: GoLiveProposal, user, comment: str = "", override_reason: str = ""
):
    """Submitted → approved. A proposal with conflicts (at submission or flagged
    by re-validation since) needs an explicit override reason, stored."""
    _authorize(proposal=proposal, user=user, action="approve")
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
    )


def proposal_reject(*, proposal: GoLiveProposal, user, comment: str):
    _authorize(proposal=proposal, user=user, action="reject")
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


def proposal_go(*, proposal: GoLiveProposal, user, comment: str = ""):
    """The go/no-go decision: only with every checklist item done."""
    return _transition(
        proposal=proposal,
        user=user,
        action="go",
        comment=comment,
        inside=_require_ready,
    )


def proposal_live(*, proposal: GoLiveProposal, user, comment: str = ""):
    """Cutover finished: the new system is live."""
    return _transition(proposal=proposal, user=user, action="live", comment=comment)


def proposal_hypercare(*, proposal: GoLiveProposal, user, comment: str = ""):
    return _transition(
        proposal=proposal, user=user, action="hypercare", comment=comment
    )


def proposal_pause(
    *, proposal: GoLiveProposal, user, reason: str, impact: str, comment: str = ""
):
    """Production suffers: stop where it is, remembering where to resume."""
    _authorize(proposal=proposal, user=user, action="pause")
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


def proposal_resume(*, proposal: GoLiveProposal, user, comment: str = ""):
    """Back to the status it was paused from."""
    return _transition(
        proposal=proposal,
        user=user,
        action="resume",
        comment=comment,
        changes={"paused_from": ""},
    )


def proposal_reschedule(
    *, proposal: GoLiveProposal, user, go_live: datetime.date, comment: str = ""
):
    """Paused → submitted on a new date, evaluated again; needs a new approval."""
    _authorize(proposal=proposal, user=user, action="reschedule")
    if go_live is None:
        raise ValidationError({"go_live": _("Give the new go-live date.")})
    snapshot = _evaluate(proposal=proposal, go_live=go_live)
    changes = {
        **_snapshot_fields(snapshot),
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


def proposal_rollback(
    *, proposal: GoLiveProposal, user, reason: str, comment: str = ""
):
    """Fall back to the old system (the contingency plan)."""
    _authorize(proposal=proposal, user=user, action="rollback")
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
    _authorize(proposal=proposal, user=user, action="close")
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
        _review_facts(review=review, proposal=closed)
        review.save()

    return _transition(
        proposal=proposal,
        user=user,
        action="close",
        comment=comment,
        inside=write_review,
    )


def _local_date(moment: datetime.datetime, plant: Plant) -> datetime.date:
    return moment.astimezone(plant.zone).date()


def _review_facts(*, review: ProposalReview, proposal: GoLiveProposal) -> None:
    plant = proposal.plant
    history = list(proposal.transitions.all())
    last = {t.action: t for t in history}
    review.actual_go_live = (
        _local_date(last["live"].at, plant) if "live" in last else None
    )
    review.actual_hypercare_start = (
        _local_date(last["hypercare"].at, plant) if "hypercare" in last else None
    )
    hypercare = proposal.phase("hypercare") or {}
    if hypercare:
        review.planned_hypercare_start = datetime.date.fromisoformat(hypercare["start"])
        review.planned_hypercare_end = datetime.date.fromisoformat(hypercare["end"])
    review.paused = any(t.action == "pause" for t in history)
    review.rolled_back = any(t.action == "rollback" for t in history)
    counts = Counter(proposal.observations.values_list("severity", flat=True))
    review.incidents = {s: counts.get(s, 0) for s in Observation.Severity.values}
    # Output vs plan over the hypercare the plant lived through, else the plan's.
    if review.actual_hypercare_start:
        span = (review.actual_hypercare_start, review.closed_on)
    elif review.planned_hypercare_start:
        span = (review.planned_hypercare_start, review.planned_hypercare_end)
    else:
        span = None
    review.planned_utilisation = None
    if span and span[0] <= span[1]:
        days = plant_calendar(plant=plant, start=span[0], end=span[1])
        working = days[days["is_working"]]
        if len(working):
            review.planned_utilisation = round(float(working["utilisation"].mean()), 4)


def review_update(
    *,
    review: ProposalReview,
    user,
    lessons_learned: str | None = None,
    rating: int | None = None,
    actual_utilisation: float | None = None,
) -> ProposalReview:
    """Amend the written part of a review (IT lead or plant manager)."""
    if not has_role(user=user, plant=review.proposal.plant, roles=[IT, PM]):
        raise NotAllowed(_("Only an IT lead or plant manager may edit the review."))
    if lessons_learned is not None:
        review.lessons_learned = lessons_learned.strip()
    if rating is not None:
        review.rating = rating
    if actual_utilisation is not None:
        review.actual_utilisation = actual_utilisation
    review.updated_at = timezone.now()
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def proposal_conflicts_acknowledge(
    *, proposal: GoLiveProposal, user, comment: str = ""
) -> GoLiveProposal:
    """Clear the re-validation flag: the plant manager or IT lead has seen the
    new conflicts. They are not flagged again; new ones will be."""
    if not has_role(user=user, plant=proposal.plant, roles=[PM, IT]):
        raise NotAllowed(
            _("Only a plant manager or IT lead may acknowledge conflicts.")
        )
    locked = GoLiveProposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.revalidation_conflicts:
        raise IllegalTransition(_("There are no new conflicts to acknowledge."))
    keys = [conflict_key(c) for c in locked.revalidation_conflicts]
    GoLiveProposal.objects.filter(pk=locked.pk).update(
        revalidation_conflicts=[],
        acknowledged_conflict_keys=sorted(
            set(locked.acknowledged_conflict_keys) | set(keys)
        ),
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    proposal.refresh_from_db()
    _audit(
        proposal=proposal,
        user=user,
        action="acknowledge",
        comment=comment,
        data={"conflicts": keys},
    )
    return proposal


def conflict_key(conflict: dict) -> str:
    """Identity of a conflict across evaluations: kind, name, phase and span."""
    return "|".join(
        str(conflict.get(k, "")) for k in ("kind", "name", "phase", "start", "end")
    )


# --- readiness checklist ------------------------------------------------------------

_SEED = (
    # kind, due: a phase boundary ("training_start", "training_end",
    # "cutover_start")
    (ReadinessItem.Kind.UAT_PASSED, "training_start"),
    (ReadinessItem.Kind.CONTINGENCY_REVIEWED, "training_start"),
    (ReadinessItem.Kind.KEY_USERS_TRAINED, "training_end"),
    (ReadinessItem.Kind.MIGRATION_REHEARSED, "training_end"),
    (ReadinessItem.Kind.CUTOVER_COMMUNICATED, "training_end"),
    (ReadinessItem.Kind.BACKUP_VERIFIED, "cutover_start"),
)


def readiness_due_dates(*, proposal: GoLiveProposal) -> dict[str, datetime.date]:
    """Due date per seeded kind, from the proposal's phases: acceptance tests and
    the contingency review before training starts; training, the migration
    rehearsal and the communication by its end; the verified backup when the
    cutover starts (the go decision)."""
    go_live = proposal.go_live
    cutover = proposal.phase("cutover")
    training = proposal.phase("training")
    cutover_start = (
        datetime.date.fromisoformat(cutover["start"]) if cutover else go_live
    )
    if training:
        training_start = datetime.date.fromisoformat(training["start"])
        training_end = datetime.date.fromisoformat(training["end"])
    else:
        training_start = training_end = cutover_start - datetime.timedelta(days=1)
    bounds = {
        "training_start": training_start,
        "training_end": training_end,
        "cutover_start": cutover_start,
    }
    return {kind: bounds[bound] for kind, bound in _SEED}


def readiness_checklist_seed(*, proposal: GoLiveProposal) -> list[ReadinessItem]:
    due = readiness_due_dates(proposal=proposal)
    return ReadinessItem.objects.bulk_create(
        ReadinessItem(
            proposal=proposal,
            kind=kind,
            title=str(ReadinessItem.Kind(kind).label),
            position=position,
            owner=proposal.proposer,
            due=due[kind],
        )
        for position, (kind, _bound) in enumerate(_SEED, start=1)
    )


def readiness_due_dates_refresh(*, proposal: GoLiveProposal) -> None:
    """Seeded items follow the phases; items added by hand keep their dates."""
    for kind, due in readiness_due_dates(proposal=proposal).items():
        proposal.checklist.filter(kind=kind).update(due=due)


def _lock_for_checklist(*, proposal: GoLiveProposal, user, owner_ok=False):
    locked = GoLiveProposal.objects.select_for_update().get(pk=proposal.pk)
    if not (owner_ok or has_role(user=user, plant=locked.plant, roles=[IT, PM])):
        raise NotAllowed(
            _("Only an IT lead or plant manager of the plant may edit the checklist.")
        )
    if locked.status not in CHECKLIST_EDITABLE:
        raise IllegalTransition(
            _("The checklist of a proposal that is %(status)s cannot change.")
            % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def readiness_item_create(
    *,
    proposal: GoLiveProposal,
    user,
    title: str,
    kind: str = ReadinessItem.Kind.OTHER,
    owner: AbstractBaseUser | None = None,
    due: datetime.date | None = None,
    evidence: str = "",
) -> ReadinessItem:
    _lock_for_checklist(proposal=proposal, user=user)
    last = proposal.checklist.order_by("-position").values_list("position", flat=True)
    item = ReadinessItem(
        proposal=proposal,
        kind=kind,
        title=title,
        owner=owner,
        due=due,
        evidence=evidence,
        position=(last.first() or 0) + 1,
    )
    item.full_clean()
    item.save()
    return item


_ITEM_FIELDS = {"title", "owner", "due", "evidence", "trained_share", "done"}


@transaction.atomic
def readiness_item_update(*, item: ReadinessItem, user, **fields) -> ReadinessItem:
    """Edit an item; done=True/False records or clears who did it and when.
    The item's owner may update it too. Training needs the trained share."""
    unknown = set(fields) - _ITEM_FIELDS
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    is_owner = item.owner_id is not None and item.owner_id == user.pk
    _lock_for_checklist(proposal=item.proposal, user=user, owner_ok=is_owner)
    done = fields.pop("done", None)
    for name, value in fields.items():
        setattr(item, name, value)
    if done is True and not item.done:
        if (
            item.kind == ReadinessItem.Kind.KEY_USERS_TRAINED
            and item.trained_share is None
        ):
            raise ValidationError(
                {"trained_share": _("Give the share of key users trained (%).")}
            )
        item.done_at, item.done_by = timezone.now(), user
    elif done is False:
        item.done_at, item.done_by = None, None
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def readiness_item_delete(*, item: ReadinessItem, user) -> None:
    _lock_for_checklist(proposal=item.proposal, user=user)
    item.delete()


# --- observations --------------------------------------------------------------------


def observation_create(
    *,
    proposal: GoLiveProposal,
    user,
    severity: str,
    area: str,
    description: str,
    production_affected: bool = False,
    observed_at: datetime.datetime | None = None,
) -> Observation:
    """Record what was seen during cutover or hypercare. `suggests_pause` on
    the result tells whether it calls for pausing the go-live."""
    if not has_role(user=user, plant=proposal.plant, roles=[IT, PM]):
        raise NotAllowed(
            _("Only an IT lead or plant manager of the plant may record observations.")
        )
    if proposal.status not in OBSERVABLE:
        raise IllegalTransition(
            _("Observations are recorded from go to hypercare; this proposal is %(s)s.")
            % {"s": proposal.get_status_display()}
        )
    observation = Observation(
        proposal=proposal,
        severity=severity,
        area=area,
        description=(description or "").strip(),
        production_affected=production_affected,
        observed_at=observed_at or timezone.now(),
        recorded_by=user,
    )
    observation.full_clean()
    observation.save()
    return observation
