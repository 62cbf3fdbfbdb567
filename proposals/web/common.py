"""What the proposal pages share: the visible proposal or 404, the role check
and how a form's or a service's refusal is shown."""

from django.contrib import messages
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    PermissionDenied,
    ValidationError,
)
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import capfirst

from calendars.web.access import require
from proposals import selectors, services, workflow
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ReadinessItem,
)


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


def field_label(name: str, labels: dict | None = None) -> str | None:
    """How the page names a field a service refused: the form's label, else
    the workflow input's, else the model field's verbose name."""
    if name == NON_FIELD_ERRORS:
        return None
    if labels and labels.get(name):
        return str(labels[name])
    if name in workflow.INPUTS:
        return str(workflow.INPUTS[name].label)
    for model in (GoLiveProposal, ProposalReview, ReadinessItem, Observation):
        try:
            return capfirst(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            continue
    return name


def labelled_errors(exc: ValidationError, labels: dict | None = None) -> list[str]:
    """A ValidationError's messages, each led by the label of its field."""
    if not hasattr(exc, "error_dict"):
        return list(exc.messages)
    lines = []
    for name, errors in exc.message_dict.items():
        label = field_label(name, labels)
        lines += [f"{label}: {error}" if label else error for error in errors]
    return lines


def service_error(request, exc, labels: dict | None = None) -> None:
    """Show a service's refusal as messages above the page, each naming its
    field (`labels`: field name → the label the form showed)."""
    if isinstance(exc, ValidationError):
        for line in labelled_errors(exc, labels):
            messages.error(request, line)
    else:
        messages.error(request, str(exc))


def form_labels(form) -> dict:
    return {name: field.label for name, field in form.fields.items()}


def form_errors(request, form) -> None:
    """Show a form's errors above the page, each with its field's label."""
    for name, errors in form.errors.items():
        label = field_label(name, form_labels(form))
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def service_call(request, service, *, form=None, **kwargs) -> bool:
    """Call a service as the request's user; False (with the refusal shown,
    named by the labels of `form`'s fields) if it refused."""
    try:
        service(user=request.user, **kwargs)
    except services.NotAllowed:
        raise PermissionDenied from None
    except (services.ProposalError, ValidationError) as exc:
        service_error(request, exc, form_labels(form) if form else None)
        return False
    return True
