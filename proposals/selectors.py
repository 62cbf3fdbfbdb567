"""Reads of go-live proposals, always through what the user may see.

Proposals of plants the user cannot see are simply not there (the views answer
404); `proposal_actions` says which moves the user may make now.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from calendars.models import Plant
from calendars.selectors import plants_visible_to
from proposals import workflow
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ProposalTransition,
    ReadinessItem,
)

Status = GoLiveProposal.Status
PRE_GO = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PAUSED)


def proposal_list(
    *,
    user,
    plant: Plant | None = None,
    status: str | Iterable[str] | None = None,
    rollout_id: int | None = None,
    go_live_from: datetime.date | None = None,
    go_live_to: datetime.date | None = None,
    flagged: bool | None = None,
) -> QuerySet[GoLiveProposal]:
    """Proposals at the plants the user sees, ordered by go-live date, with
    checklist counts annotated (checklist_total, checklist_done)."""
    proposals = GoLiveProposal.objects.filter(plant__in=plants_visible_to(user))
    if plant is not None:
        proposals = proposals.filter(plant=plant)
    if status:
        statuses = [status] if isinstance(status, str) else list(status)
        proposals = proposals.filter(status__in=statuses)
    if rollout_id is not None:
        proposals = proposals.filter(rollout_id=rollout_id)
    if go_live_from is not None:
        proposals = proposals.filter(go_live__gte=go_live_from)
    if go_live_to is not None:
        proposals = proposals.filter(go_live__lte=go_live_to)
    if flagged is not None:
        proposals = (
            proposals.exclude(revalidation_conflicts=[])
            if flagged
            else proposals.filter(revalidation_conflicts=[])
        )
    return (
        proposals.select_related("plant", "rollout", "proposer")
        .annotate(
            checklist_total=Count("checklist", distinct=True),
            checklist_done=Count(
                "checklist", filter=Q(checklist__done_at__isnull=False), distinct=True
            ),
        )
        .order_by("go_live", "id")
    )


def proposal_get(*, user, pk: int) -> GoLiveProposal:
    """One visible proposal; GoLiveProposal.DoesNotExist otherwise (→ 404)."""
    return proposal_list(user=user).get(pk=pk)


def proposal_actions(*, proposal: GoLiveProposal, user) -> list[str]:
    """The transitions `user` may make now (role, plant and status; the
    checklist and input are checked when the move is made)."""
    return [step.action for step in workflow.available(proposal=proposal, user=user)]


def proposal_history(*, proposal: GoLiveProposal) -> QuerySet[ProposalTransition]:
    return proposal.transitions.select_related("actor")


def readiness_item_list(*, proposal: GoLiveProposal) -> QuerySet[ReadinessItem]:
    return proposal.checklist.select_related("owner", "done_by", "proposal__plant")


def readiness_overdue_list(
    *, user, plant: Plant | None = None, today: datetime.date | None = None
) -> list[ReadinessItem]:
    """Open checklist items past their due date (in the plant's today) on
    proposals not yet gone live, at the plants the user sees."""
    proposals = GoLiveProposal.objects.filter(
        plant__in=plants_visible_to(user), status__in=PRE_GO
    )
    if plant is not None:
        proposals = proposals.filter(plant=plant)
    items = ReadinessItem.objects.filter(
        proposal__in=proposals.values("pk"),
        done_at__isnull=True,
        due__isnull=False,
        # Every plant-local today is within a day of UTC's.
        due__lt=(today or datetime.date.today()) + datetime.timedelta(days=1),
    ).select_related("proposal__plant", "proposal__rollout", "owner")
    return [
        item
        for item in items.order_by("due", "proposal_id", "position")
        if item.is_overdue(today)
    ]


def observation_list(*, proposal: GoLiveProposal) -> QuerySet[Observation]:
    return proposal.observations.select_related("recorded_by")


def proposal_pause_suggested(*, proposal: GoLiveProposal) -> bool:
    """A running go-live with a production-affecting observation at or above
    the pause threshold since it last changed status."""
    if proposal.status not in workflow.RUNNING:
        return False
    since = (
        proposal.transitions.exclude(from_status=proposal.status)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    observations = proposal.observations.filter(production_affected=True)
    if since is not None:
        observations = observations.filter(observed_at__gte=since)
    return any(o.suggests_pause for o in observations)


def review_list(*, user, plant: Plant | None = None) -> QuerySet[ProposalReview]:
    """Closing reviews at the plants the user sees, newest first: what the
    last rollouts learned."""
    reviews = ProposalReview.objects.filter(proposal__plant__in=plants_visible_to(user))
    if plant is not None:
        reviews = reviews.filter(proposal__plant=plant)
    return reviews.select_related(
        "proposal__plant", "proposal__rollout", "reviewed_by"
    ).prefetch_related("proposal__transitions")  # the pauses each review lists


def review_get(*, proposal: GoLiveProposal) -> ProposalReview | None:
    return ProposalReview.objects.filter(proposal=proposal).first()


def _status_since() -> Subquery:
    """When a proposal entered its current status (proposal_pause_suggested's
    `since`), as a subquery of the proposal."""
    return Subquery(
        ProposalTransition.objects.filter(proposal=OuterRef("pk"))
        .exclude(from_status=OuterRef("status"))
        .order_by("-at")
        .values("at")[:1]
    )


def _pause_suggested(running: list[GoLiveProposal]) -> set[int]:
    """The proposals (annotated with status_since) among `running` for which
    proposal_pause_suggested holds, in one query for all of them."""
    since = {p.pk: p.status_since for p in running}
    observations = Observation.objects.filter(
        proposal__in=since, production_affected=True
    )
    return {
        o.proposal_id
        for o in observations
        if (since[o.proposal_id] is None or o.observed_at >= since[o.proposal_id])
        and o.suggests_pause
    }


# Re-validation conflicts are reported until the go.
CONFLICT_STATUSES = (Status.SUBMITTED, Status.APPROVED, Status.GO)


@dataclass
class NeedsAction:
    """What waits for a user, for the dashboard."""

    to_decide: list[GoLiveProposal] = field(default_factory=list)
    ready_for_go: list[GoLiveProposal] = field(default_factory=list)
    overdue_items: list[ReadinessItem] = field(default_factory=list)
    conflicts: list[GoLiveProposal] = field(default_factory=list)
    pause_suggested: list[GoLiveProposal] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(
            (
                self.to_decide,
                self.ready_for_go,
                self.overdue_items,
                self.conflicts,
                self.pause_suggested,
            )
        )


def proposal_needs_action(*, user) -> NeedsAction:
    """Proposals to decide and approved ones ready for the go decision (plant
    managers), overdue checklist items (their owners, IT leads and managers of
    the plant), re-validation conflicts (managers and the proposer), running
    go-lives whose observations suggest pausing (managers and IT leads)."""
    open_items = ReadinessItem.objects.filter(
        proposal=OuterRef("pk"), done_at__isnull=True
    )
    # One query for every proposal any of the lists below may take.
    pending = list(
        proposal_list(
            user=user, status=(*CONFLICT_STATUSES, *workflow.RUNNING)
        ).annotate(has_open_items=Exists(open_items), status_since=_status_since())
    )
    deciding = [
        p
        for p in pending
        if p.status in (Status.SUBMITTED, Status.APPROVED)
        and workflow.has_role(user=user, plant=p.plant, roles=[workflow.PM])
    ]
    ready = {
        p.pk for p in pending if p.status == Status.APPROVED and not p.has_open_items
    }
    overdue = [
        item
        for item in readiness_overdue_list(user=user)
        if item.owner_id == user.pk
        or workflow.has_role(
            user=user, plant=item.proposal.plant, roles=[workflow.PM, workflow.IT]
        )
    ]
    conflicts = [
        p
        for p in pending
        if p.status in CONFLICT_STATUSES
        and p.revalidation_conflicts != []
        and (
            p.proposer_id == user.pk
            or workflow.has_role(user=user, plant=p.plant, roles=[workflow.PM])
        )
    ]
    running = [
        p
        for p in pending
        if p.status in workflow.RUNNING
        and workflow.has_role(
            user=user, plant=p.plant, roles=[workflow.PM, workflow.IT]
        )
    ]
    pausing = _pause_suggested(running)
    pause = [p for p in running if p.pk in pausing]
    return NeedsAction(
        to_decide=[p for p in deciding if p.status == Status.SUBMITTED],
        ready_for_go=[p for p in deciding if p.pk in ready],
        overdue_items=overdue,
        conflicts=conflicts,
        pause_suggested=pause,
    )


FEED_STATUSES = (Status.APPROVED, Status.GO, Status.LIVE, Status.HYPERCARE)


def feed_go_lives(plant: Plant) -> list[dict]:
    """Go-lives decided for the plant (approved, at go, live or in hypercare)
    for its iCalendar feed: {"id", "rollout", "go_live", "status", "phases",
    "version"}."""
    return [
        {
            "id": p.id,
            "rollout": p.rollout.name,
            "go_live": p.go_live,
            "status": p.get_status_display(),
            "phases": p.phases or [],
            "version": p.version,
        }
        for p in GoLiveProposal.objects.filter(
            plant=plant, status__in=FEED_STATUSES
        ).select_related("rollout")
    ]
