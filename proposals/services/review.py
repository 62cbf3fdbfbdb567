"""The closing review's facts, its edits, and acknowledging new conflicts."""

import datetime
import logging
from collections import Counter

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from calendars.models import Plant
from calendars.selectors import plant_calendar
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
)
from proposals.services.audit import audit_record
from proposals.workflow import (
    IT,
    PM,
    IllegalTransition,
    NotAllowed,
    has_role,
    implements,
)

logger = logging.getLogger(__name__)
Status = GoLiveProposal.Status


def _local_date(moment: datetime.datetime, plant: Plant) -> datetime.date:
    return moment.astimezone(plant.zone).date()


def review_facts(*, review: ProposalReview, proposal: GoLiveProposal) -> None:
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


@implements("acknowledge")
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
    audit_record(
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
