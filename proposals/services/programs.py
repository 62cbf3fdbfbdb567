"""Proposals and rollout programs: decided go-lives pin a program's plan, and
"propose all" turns a plan into draft proposals."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts import permissions
from proposals.models import GoLiveProposal
from proposals.services.drafts import proposal_create
from proposals.workflow import NotAllowed

Status = GoLiveProposal.Status
# Approved and later, not abandoned: their dates are given, not chosen.
PINNING = (
    Status.APPROVED,
    Status.GO,
    Status.LIVE,
    Status.HYPERCARE,
    Status.PAUSED,
    Status.CLOSED,
)
# A plant with one of these for the rollout is not proposed again.
OPEN = (Status.DRAFT, Status.SUBMITTED, *PINNING)


def program_pins(*, rollout, plants) -> dict[int, dict]:
    """{plant id: {"go_live", "phases", "proposal"}}: each plant's latest
    approved-or-later go-live of the rollout (rollout.hooks.program_pins)."""
    found: dict[int, dict] = {}
    proposals = GoLiveProposal.objects.filter(
        rollout=rollout, plant__in=list(plants), status__in=PINNING
    ).order_by("go_live", "pk")
    for proposal in proposals:
        found[proposal.plant_id] = {
            "go_live": proposal.go_live,
            "phases": proposal.phases or [],
            "proposal": proposal.pk,
        }
    return found


@transaction.atomic
def program_propose_all(*, program, user) -> list[GoLiveProposal]:
    """A draft proposal for every unpinned assignment of the program's plan,
    at its planned go-live, unless the plant already has an open proposal of
    the rollout. All or nothing: an IT lead of every plant of the program."""
    if not permissions.can_change_program(user, program):
        raise NotAllowed(
            _("Only an IT lead of every plant of a program may propose its go-lives.")
        )
    assignments = (program.plan or {}).get("assignments") or []
    if not assignments:
        raise ValidationError(_("The program has no plan to propose yet."))
    plants = {p.code: p for p in program.plants.all()}
    taken = set(
        GoLiveProposal.objects.filter(
            rollout=program.rollout, plant__in=plants.values(), status__in=OPEN
        ).values_list("plant__code", flat=True)
    )
    created = []
    for row in assignments:
        code = row["plant"]
        if row.get("pinned") or code in taken or code not in plants:
            continue
        created.append(
            proposal_create(
                user=user,
                rollout=program.rollout,
                plant=plants[code],
                go_live=datetime.date.fromisoformat(row["go_live"]),
            )
        )
    return created
