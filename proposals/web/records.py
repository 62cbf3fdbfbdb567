"""A proposal's records: its readiness checklist, observations during the
go-live, acknowledged conflicts and the closing review, and the reviews page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from calendars.selectors import plants_visible_to
from proposals import selectors, services
from proposals.web import forms as web_forms
from proposals.web.common import (
    back_to,
    form_errors,
    proposal_or_404,
    require_plant_role,
    service_call,
)


@login_required
@require_POST
def checklist_add(request, pk):
    proposal = proposal_or_404(request, pk)
    require_plant_role(request, proposal)
    form = web_forms.ReadinessItemForm(
        request.POST,
        owners=services.readiness_owner_candidates(plant=proposal.plant),
    )
    if not form.is_valid():
        form_errors(request, form)
    else:
        service_call(
            request,
            services.readiness_item_create,
            form=form,
            proposal=proposal,
            title=form.cleaned_data["title"],
            due=form.cleaned_data["due"],
            owner=form.cleaned_data["owner"],
        )
    return back_to(proposal, "checklist")


@login_required
@require_POST
def checklist_update(request, pk, item_pk):
    proposal = proposal_or_404(request, pk)
    item = get_object_or_404(proposal.checklist, pk=item_pk)
    require_plant_role(request, proposal, owner_id=item.owner_id)
    form = web_forms.ReadinessDoneForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        fields = {"done": form.cleaned_data["done"]}
        if form.cleaned_data["trained_share"] is not None:
            fields["trained_share"] = form.cleaned_data["trained_share"]
        if form.cleaned_data["evidence"]:
            fields["evidence"] = form.cleaned_data["evidence"]
        service_call(
            request, services.readiness_item_update, form=form, item=item, **fields
        )
    return back_to(proposal, "checklist")


@login_required
@require_POST
def observation_add(request, pk):
    proposal = proposal_or_404(request, pk)
    require_plant_role(request, proposal)
    form = web_forms.ObservationForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        ok = service_call(
            request,
            services.observation_create,
            form=form,
            proposal=proposal,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("Observation recorded."))
    return back_to(proposal, "observations")


@login_required
@require_POST
def review_edit(request, pk):
    proposal = proposal_or_404(request, pk)
    require_plant_role(request, proposal)
    review = selectors.review_get(proposal=proposal)
    if review is None:
        raise Http404
    form = web_forms.ReviewForm(request.POST)
    if not form.is_valid():
        form_errors(request, form)
    else:
        data = form.cleaned_data
        if service_call(
            request,
            services.review_update,
            form=form,
            review=review,
            lessons_learned=data["lessons_learned"],
            rating=data["rating"],
            actual_utilisation=data["actual_utilisation"] / 100
            if data["actual_utilisation"] is not None
            else None,
        ):
            messages.success(request, _("Review saved."))
    return back_to(proposal, "review")


@login_required
def review_list(request):
    plants = list(plants_visible_to(request.user))
    code = request.GET.get("plant")
    plant = None
    if code:
        plant = next((p for p in plants if p.code == code), None)
        if plant is None:
            raise Http404
    reviews = selectors.review_list(user=request.user, plant=plant)
    return render(
        request,
        "web/review_list.html",
        {"reviews": reviews, "plants": plants, "plant": plant},
    )
