"""The readiness checklist: seeded with due dates from the phases, then worked
through by the IT leads, managers and item owners."""

import datetime
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import (
    GoLiveProposal,
    ReadinessItem,
)
from proposals.workflow import (
    CHECKLIST_EDITABLE,
    IT,
    PM,
    IllegalTransition,
    NotAllowed,
    has_role,
)

logger = logging.getLogger(__name__)
Status = GoLiveProposal.Status


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


def readiness_owner_candidates(*, plant):
    """Who may own a checklist item: the active members of the proposal's
    plant, whatever their role there."""
    return plant.members.filter(is_active=True).order_by("username")


def _owner_refused(plant) -> ValidationError:
    # The same words whether the id is unknown, inactive or another plant's
    # user: an error must not tell who exists.
    return ValidationError(
        {
            "owner": _(
                "Choose the owner among the members of plant %(plant)s; this "
                "is not one of them."
            )
            % {"plant": plant.code}
        }
    )


def readiness_owner_get(*, proposal: GoLiveProposal, owner_id: int | None):
    """The member of the proposal's plant with this id (None for None);
    ValidationError on `owner` for any other id."""
    if owner_id is None:
        return None
    owner = readiness_owner_candidates(plant=proposal.plant).filter(pk=owner_id).first()
    if owner is None:
        raise _owner_refused(proposal.plant)
    return owner


def _owner_check(*, proposal: GoLiveProposal, owner) -> None:
    if owner is not None and not (
        readiness_owner_candidates(plant=proposal.plant).filter(pk=owner.pk).exists()
    ):
        raise _owner_refused(proposal.plant)


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
    _owner_check(proposal=proposal, owner=owner)
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
    if "owner" in fields:
        _owner_check(proposal=item.proposal, owner=fields["owner"])
    done = fields.pop("done", None)
    for name, value in fields.items():
        setattr(item, name, value)
    if (
        done is True
        and item.kind == ReadinessItem.Kind.CONTINGENCY_REVIEWED
        and not (item.proposal.contingency_fallback or "").strip()
    ):
        raise ValidationError(
            {
                "done": _(
                    "The contingency plan has no fallback yet: write it before "
                    "ticking it as reviewed."
                )
            }
        )
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
