"""What the proposal pages share: labels of the workflow moves, the visible
proposal or 404, the role check and how a service's refusal is shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy

from calendars.web.access import require
from proposals import selectors, services
from proposals.models import GoLiveProposal

ACTION_LABELS = {
    "submit": gettext_lazy("Submit for approval"),
    "withdraw": gettext_lazy("Withdraw"),
    "approve": gettext_lazy("Approve"),
    "reject": gettext_lazy("Reject"),
    "go": gettext_lazy("Give the go"),
    "live": gettext_lazy("Mark as live"),
    "hypercare": gettext_lazy("Start hypercare"),
    "pause": gettext_lazy("Pause"),
    "resume": gettext_lazy("Resume"),
    "reschedule": gettext_lazy("Reschedule"),
    "rollback": gettext_lazy("Roll back"),
    "close": gettext_lazy("Close with review"),
}
HISTORY_LABELS = {
    **ACTION_LABELS,
    "submit": gettext_lazy("Submitted"),
    "withdraw": gettext_lazy("Withdrawn"),
    "approve": gettext_lazy("Approved"),
    "reject": gettext_lazy("Rejected"),
    "go": gettext_lazy("Go given"),
    "live": gettext_lazy("Live"),
    "hypercare": gettext_lazy("Hypercare started"),
    "pause": gettext_lazy("Paused"),
    "resume": gettext_lazy("Resumed"),
    "reschedule": gettext_lazy("Rescheduled"),
    "rollback": gettext_lazy("Rolled back"),
    "close": gettext_lazy("Closed"),
    "create": gettext_lazy("Created as a draft"),
    "edit": gettext_lazy("Draft edited"),
    "acknowledge": gettext_lazy("New conflicts acknowledged"),
    "revalidate": gettext_lazy("Re-validation found new conflicts"),
}
PRIMARY = {"submit", "approve", "go", "live", "hypercare", "resume", "close"}
DANGER = {"reject", "rollback", "pause", "withdraw"}


def proposal_or_404(request, pk) -> GoLiveProposal:
    try:
        return selectors.proposal_get(user=request.user, pk=pk)
    except GoLiveProposal.DoesNotExist:
        raise Http404 from None


def require_plant_role(request, proposal, *, owner_id=None) -> None:
    """IT leads and plant managers of the plant (or the item's owner) only."""
    if owner_id is not None and owner_id == request.user.pk:
        return
    require(
        services.has_role(
            user=request.user,
            plant=proposal.plant,
            roles=[services.IT, services.PM],
        )
    )


def back_to(proposal, anchor: str):
    return redirect(f"{reverse('web:proposal', args=[proposal.pk])}#{anchor}")


def service_error(request, exc) -> None:
    """Show a service's refusal as messages above the page."""
    if isinstance(exc, ValidationError):
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.error(request, str(exc))


def service_call(request, proposal, service, **kwargs):
    try:
        service(user=request.user, **kwargs)
    except services.NotAllowed:
        raise PermissionDenied from None
    except (services.ProposalError, ValidationError) as exc:
        service_error(request, exc)
        return False
    return True
