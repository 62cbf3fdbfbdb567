"""Audit rows for changes that are not moves."""

from proposals.models import ProposalTransition


def audit_record(
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
