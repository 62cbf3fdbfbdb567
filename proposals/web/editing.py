"""Writing a go-live proposal: the new-proposal form with its live
evaluation, a draft's edit and the revision of a submitted or rejected
proposal. Every write is one call into proposals.services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts import permissions
from calendars.models import Plant
from calendars.selectors import plants_visible_to
from calendars.web.access import plants_where, require
from proposals import services
from proposals.models import GoLiveProposal
from proposals.services import revisions
from proposals.services.drafts import CONTINGENCY_FIELDS
from proposals.web import forms as web_forms
from proposals.web.common import labelled_errors, proposal_or_404
from rollout.models import Rollout
from rollout.web.views.calendar import evaluation_context

Status = GoLiveProposal.Status


def _create_choices(user):
    plants = Plant.objects.filter(
        pk__in=[p.pk for p in plants_where(user, permissions.can_plan_rollouts)]
    )
    rollouts = Rollout.objects.filter(plants__in=plants, active=True).distinct()
    return plants, rollouts


def _add_service_errors(form, exc: ValidationError) -> None:
    """A service's refusal on the form: under the field it names, or above the
    form led by the field's label."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errors in exc.message_dict.items():
        if field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(
                None, labelled_errors(ValidationError({field: errors}), None)
            )


def _form_write(form, write, *, forbidden_is_403: bool = False):
    """What `write()` returns, or None with the service's refusal shown on the
    form. NotAllowed becomes a 403 if `forbidden_is_403`, else a form error."""
    try:
        return write()
    except ValidationError as exc:
        _add_service_errors(form, exc)
    except services.NotAllowed as exc:
        if forbidden_is_403:
            raise PermissionDenied(str(exc)) from None
        form.add_error(None, str(exc))
    except services.ProposalError as exc:
        form.add_error(None, str(exc))
    return None


@login_required
def proposal_create(request):
    plants, rollouts = _create_choices(request.user)
    require(plants.exists())
    initial = {}
    if request.method == "GET":
        code = request.GET.get("plant")
        if code:
            plant = get_object_or_404(plants_visible_to(request.user), code=code)
            require(permissions.can_plan_rollouts(request.user, plant))
            initial["plant"] = plant
        elif plants.count() == 1:
            initial["plant"] = plants.first()
        if request.GET.get("rollout", "").isdigit():
            initial["rollout"] = rollouts.filter(pk=request.GET["rollout"]).first()
        if request.GET.get("go_live"):
            initial["go_live"] = request.GET["go_live"]
    form = web_forms.ProposalForm(
        request.POST or None, initial=initial, plants=plants, rollouts=rollouts
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        submit = "submit" in request.POST

        def write():
            # "Save and submit" is one change: a refused submission leaves no
            # draft behind (the form keeps what was typed).
            with transaction.atomic():
                proposal = services.proposal_create(
                    user=request.user,
                    rollout=data["rollout"],
                    plant=data["plant"],
                    go_live=data["go_live"],
                    **{name: data[name] for name in CONTINGENCY_FIELDS},
                )
                if submit:
                    services.proposal_submit(proposal=proposal, user=request.user)
            return proposal

        proposal = _form_write(form, write)
        if proposal is not None:
            if submit:
                messages.success(
                    request,
                    _("Proposal submitted; the plant managers have been notified."),
                )
            else:
                messages.success(request, _("Draft saved."))
            return redirect("web:proposal", pk=proposal.pk)
    return render(
        request,
        "web/proposal_form.html",
        {"form": form, "evaluation_html": _form_evaluation(request, form)},
    )


def _day(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _evaluation(request, plant, rollout, day) -> dict:
    """The window calendar's evaluation of the day, without its propose link
    (the form it is shown on is the proposal)."""
    context = evaluation_context(request=request, plant=plant, rollout=rollout, day=day)
    context["propose_url"] = None
    return context


def _form_evaluation(request, form) -> str:
    """The evaluation of the date the form opens with (htmx refreshes it)."""
    if form.is_bound:
        data = form.cleaned_data if form.is_valid() else {}
    else:
        data = form.initial
    plant, rollout, day = data.get("plant"), data.get("rollout"), data.get("go_live")
    if isinstance(day, str):
        day = _day(day)
    if not (plant and rollout and day) or not rollout.plants.filter(pk=plant.pk):
        return ""
    return render_to_string(
        "web/_evaluation.html",
        _evaluation(request, plant, rollout, day),
        request=request,
    )


@login_required
def proposal_evaluate(request):
    """The live evaluation on the new-proposal form (a page fragment)."""
    plant_id, rollout_id = request.GET.get("plant"), request.GET.get("rollout")
    plant = (
        plants_visible_to(request.user).filter(pk=plant_id).first()
        if plant_id and plant_id.isdigit()
        else None
    )
    rollout = (
        Rollout.objects.filter(pk=rollout_id, plants=plant).first()
        if plant and rollout_id and rollout_id.isdigit()
        else None
    )
    day = _day(request.GET.get("go_live", ""))
    if plant is None or rollout is None or day is None:
        return render(request, "web/_evaluation_empty.html")
    return render(
        request, "web/_evaluation.html", _evaluation(request, plant, rollout, day)
    )


@login_required
def proposal_edit(request, pk):
    """A draft's edit, or the revision of a submitted or rejected proposal by
    its proposer (evaluated again and sent back to the plant managers)."""
    proposal = proposal_or_404(request, pk)
    try:
        revisions.update_authorize(proposal=proposal, user=request.user)
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except services.IllegalTransition as exc:
        messages.error(request, str(exc))
        return redirect("web:proposal", pk=proposal.pk)
    draft = proposal.status == Status.DRAFT
    form = web_forms.ContingencyForm(
        request.POST or None,
        initial={name: getattr(proposal, name) for name in revisions.REVISED_FIELDS},
    )
    if draft:
        del form.fields["comment"]
    if request.method == "POST" and form.is_valid():
        saved = _form_write(
            form,
            lambda: services.proposal_update(
                proposal=proposal, user=request.user, **form.cleaned_data
            ),
            forbidden_is_403=True,
        )
        if saved is not None:
            if draft:
                messages.success(request, _("Draft saved."))
            else:
                messages.success(
                    request,
                    _(
                        "Proposal revised and evaluated again; the plant managers "
                        "have been told what changed."
                    ),
                )
            return redirect("web:proposal", pk=proposal.pk)
    return render(
        request,
        "web/proposal_edit.html",
        {"form": form, "proposal": proposal, "draft": draft},
    )
