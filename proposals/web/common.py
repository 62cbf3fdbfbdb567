"""What the proposal pages share: the visible proposal or 404, the role check
and how a form's or a service's refusal is shown."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse

from calendars.web.access import require
from proposals import selectors, services, workflow
from proposals.models import GoLiveProposal


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
        workflow.has_role(
            user=request.user, plant=proposal.plant, roles=[workflow.IT, workflow.PM]
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


def form_errors(request, form) -> None:
    """Show a form's errors above the page, each with its field's label."""
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def service_call(request, service, **kwargs) -> bool:
    """Call a service as the request's user; False (with the refusal shown)
    if it refused."""
    try:
        service(user=request.user, **kwargs)
    except services.NotAllowed:
        raise PermissionDenied from None
    except (services.ProposalError, ValidationError) as exc:
        service_error(request, exc)
        return False
    return True
