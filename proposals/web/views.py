"""Go-live proposals: the list, a new proposal with its live evaluation, the
detail page with its workflow buttons, checklist, observations and review.
Every write is one call into proposals.services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.templatetags.offpeak import format_plant_date, roundscore
from calendars.models import Plant
from calendars.names import localised_causes
from calendars.selectors import plants_visible_to
from calendars.web.access import plants_where, require
from proposals import notifications, selectors, services, workflow
from proposals.models import GoLiveProposal, ReadinessItem
from proposals.services import revisions
from proposals.services.transitions import go_window_opens
from proposals.web import forms as web_forms
from proposals.web.common import (
    form_errors,
    form_labels,
    labelled_errors,
    proposal_or_404,
    service_error,
)
from rollout.models import PHASE_LABELS, Rollout
from rollout.selectors import rollouts_visible_to
from rollout.web.views.calendar import evaluation_context, kind_labels

Status = GoLiveProposal.Status


@login_required
def proposal_list(request):
    plants = plants_visible_to(request.user)
    rollouts = rollouts_visible_to(request.user)
    form = web_forms.ProposalFilterForm(
        request.GET or None,
        plants=plants,
        rollouts=rollouts,
        statuses=Status.choices,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    proposals = selectors.proposal_list(
        user=request.user,
        plant=filters.get("plant"),
        status=filters.get("status") or None,
        rollout_id=filters["rollout"].pk if filters.get("rollout") else None,
        flagged=True if filters.get("flagged") else None,
    )
    return render(
        request,
        "web/proposal_list.html",
        {
            "form": form,
            "proposals": proposals,
            "can_propose": bool(
                plants_where(request.user, permissions.can_plan_rollouts)
            ),
        },
    )


def _create_choices(user):
    plants = Plant.objects.filter(
        pk__in=[p.pk for p in plants_where(user, permissions.can_plan_rollouts)]
    )
    rollouts = Rollout.objects.filter(plants__in=plants, active=True).distinct()
    return plants, rollouts


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
        try:
            # "Save and submit" is one change: a refused submission leaves no
            # draft behind (the form keeps what was typed).
            with transaction.atomic():
                proposal = services.proposal_create(
                    user=request.user,
                    rollout=data["rollout"],
                    plant=data["plant"],
                    go_live=data["go_live"],
                    contingency_fallback=data["contingency_fallback"],
                    contingency_triggers=data["contingency_triggers"],
                    contingency_decider=data["contingency_decider"],
                    contingency_rollback_hours=data["contingency_rollback_hours"],
                )
                if "submit" in request.POST:
                    services.proposal_submit(proposal=proposal, user=request.user)
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except services.ProposalError as exc:
            form.add_error(None, str(exc))
        else:
            if "submit" in request.POST:
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


def _form_evaluation(request, form) -> str:
    """The evaluation of the date the form opens with (htmx refreshes it)."""
    if form.is_bound:
        data = form.cleaned_data if form.is_valid() else {}
    else:
        data = form.initial
    plant, rollout, day = data.get("plant"), data.get("rollout"), data.get("go_live")
    if isinstance(day, str):
        try:
            day = datetime.date.fromisoformat(day)
        except ValueError:
            day = None
    if not (plant and rollout and day) or not rollout.plants.filter(pk=plant.pk):
        return ""
    context = evaluation_context(request=request, plant=plant, rollout=rollout, day=day)
    context["propose_url"] = None
    return render_to_string("web/_evaluation.html", context, request=request)


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
    try:
        day = datetime.date.fromisoformat(request.GET.get("go_live", ""))
    except ValueError:
        day = None
    if plant is None or rollout is None or day is None:
        return render(request, "web/_evaluation_empty.html")
    context = evaluation_context(request=request, plant=plant, rollout=rollout, day=day)
    context["propose_url"] = None
    return render(request, "web/_evaluation.html", context)


def _conflict_rows(proposal, conflicts):
    kinds = kind_labels()
    return [
        {
            **c,
            "kind_label": kinds.get(c.get("kind"), c.get("kind")),
            "phase_label": PHASE_LABELS.get(c.get("phase"), c.get("phase")),
            "start_text": format_plant_date(c.get("start"), proposal.plant),
            "end_text": format_plant_date(c.get("end"), proposal.plant),
        }
        for c in localised_causes(plant=proposal.plant, entries=conflicts)
    ]


def _override_needed(action: str, proposal) -> bool:
    """Whether the step's override reason is asked for: approving despite
    conflicts, giving the go before its window."""
    if action == "approve":
        return proposal.has_conflicts or proposal.flagged
    if action == "go":
        return proposal.plant.local_today() < go_window_opens(proposal)
    return False


def _history_details(entry, plant) -> list[tuple[str, str]]:
    """What an audit entry recorded besides its comment: a pause's reason and
    impact, a rollback's reason, an approval's override, a new date."""
    data = entry.data or {}
    details = [
        (workflow.INPUTS[name].label, data[name])
        for name in ("reason", "impact", "override_reason", "four_eyes_reason")
        if data.get(name)
    ]
    details += [
        (capfirst(change["label"]), f"{change['from']} → {change['to']}")
        for change in notifications.revision_changes(data)
    ]
    if entry.action == "revise":
        score, conflicts = data.get("score") or {}, data.get("conflicts") or {}
        details.append(
            (
                _("Quietness"),
                f"{roundscore(score.get('from'))} → {roundscore(score.get('to'))}",
            )
        )
        details.append(
            (_("Conflicts"), f"{conflicts.get('from', '–')} → {conflicts.get('to')}")
        )
    if data.get("from_date") and data.get("to_date"):
        details.append(
            (
                _("Go-live moved"),
                f"{format_plant_date(data['from_date'], plant)} → "
                f"{format_plant_date(data['to_date'], plant)}",
            )
        )
    return details


def _last_revision(proposal, history: list[dict]) -> dict | None:
    """The revision the plant managers are deciding on now, if any: what it
    changed, shown above the page."""
    if proposal.status != Status.SUBMITTED:
        return None
    for entry in reversed(history):
        if entry["t"].action == "revise":
            return entry
        if entry["t"].action in ("submit", "reschedule"):
            return None
    return None


@login_required
def proposal_detail(request, pk):
    proposal = proposal_or_404(request, pk)
    user = request.user
    plant = proposal.plant
    actions = [
        {
            "name": step.action,
            "label": step.label,
            "css": step.style,
            "fields": [
                field
                for field in web_forms.action_form(step)
                if (
                    field.name != "override_reason"
                    or _override_needed(step.action, proposal)
                )
                and (
                    field.name != "four_eyes_reason"
                    or workflow.overrides_four_eyes(
                        proposal=proposal, user=user, action=step.action
                    )
                )
            ],
        }
        for step in workflow.available(proposal=proposal, user=user)
        if step.moves
    ]
    is_it = workflow.has_role(user=user, plant=plant, roles=[workflow.IT])
    is_manager = workflow.has_role(user=user, plant=plant, roles=[workflow.PM])
    checklist = list(selectors.readiness_item_list(proposal=proposal))
    today = plant.local_today()
    can_edit_checklist = (is_it or is_manager) and (
        proposal.status in workflow.CHECKLIST_EDITABLE
    )
    history = [
        {
            "t": t,
            "label": workflow.history_label(t.action),
            # Plant-local time, with its zone: a manager in another country
            # reads when it happened at the plant.
            "at": f"{format_plant_date(t.at, plant)} "
            f"{t.at.astimezone(plant.zone).strftime('%Z')}",
            "details": _history_details(t, plant),
        }
        for t in selectors.proposal_history(proposal=proposal)
    ]
    evaluation = proposal.evaluation or {}
    review = selectors.review_get(proposal=proposal)
    context = {
        "proposal": proposal,
        "plant": plant,
        "actions": actions,
        "history": history,
        "checklist": [
            {
                "item": item,
                "overdue": item.is_overdue(today),
                "can_tick": can_edit_checklist
                or (
                    item.owner_id == user.pk
                    and proposal.status in workflow.CHECKLIST_EDITABLE
                ),
                "is_training": item.kind == ReadinessItem.Kind.KEY_USERS_TRAINED,
            }
            for item in checklist
        ],
        "checklist_done": sum(1 for i in checklist if i.done),
        "checklist_open": sum(1 for i in checklist if not i.done),
        "can_edit_checklist": can_edit_checklist,
        "item_form": web_forms.ReadinessItemForm(
            owners=services.readiness_owner_candidates(plant=plant),
            # The one who adds an item owns it unless they choose another.
            initial={"owner": user.pk},
        ),
        "phases": [
            {
                **p,
                "label": PHASE_LABELS.get(p["name"], p["name"]),
                "start_text": format_plant_date(p["start"], plant),
                "end_text": format_plant_date(p["end"], plant),
            }
            for p in proposal.phases
        ],
        "evaluation": evaluation,
        "conflicts": _conflict_rows(proposal, proposal.conflicts),
        "new_conflicts": _conflict_rows(proposal, proposal.revalidation_conflicts),
        "can_acknowledge": (is_it or is_manager) and proposal.flagged,
        "observations": list(selectors.observation_list(proposal=proposal)),
        "can_observe": (is_it or is_manager) and proposal.status in workflow.OBSERVABLE,
        "observation_form": web_forms.ObservationForm(),
        "pause_suggested": selectors.proposal_pause_suggested(proposal=proposal),
        "review": review,
        "review_form": web_forms.ReviewForm(
            initial={
                "lessons_learned": review.lessons_learned,
                "rating": review.rating,
                "actual_utilisation": review.actual_utilisation * 100
                if review.actual_utilisation is not None
                else None,
            }
        )
        if review and (is_it or is_manager)
        else None,
        "can_edit_draft": proposal.status == Status.DRAFT
        and revisions.may_update(proposal=proposal, user=user),
        "can_revise": proposal.status in revisions.REVISABLE
        and revisions.may_update(proposal=proposal, user=user),
        "last_revision": _last_revision(proposal, history),
        "calendar_query": (
            f"rollout={proposal.rollout_id}&day={proposal.go_live.isoformat()}"
        ),
    }
    return render(request, "web/proposal_detail.html", context)


@login_required
@require_POST
def proposal_act(request, pk, action):
    """One workflow step, whichever it is: its form and its service come from
    proposals.workflow."""
    proposal = proposal_or_404(request, pk)
    step = workflow.STEPS.get(action)
    if step is None:
        raise Http404
    if not workflow.has_role(user=request.user, plant=proposal.plant, roles=step.roles):
        raise PermissionDenied
    form = web_forms.action_form(step, request.POST)
    if not form.is_valid():
        form_errors(request, form)
        return redirect("web:proposal", pk=proposal.pk)
    try:
        workflow.service(action)(
            proposal=proposal,
            user=request.user,
            **web_forms.action_inputs(step, form.cleaned_data),
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(str(exc)) from None
    except (services.ProposalError, ValidationError) as exc:
        service_error(request, exc, form_labels(form))
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": step.done})
    return redirect("web:proposal", pk=proposal.pk)


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
        initial={
            "go_live": proposal.go_live,
            "contingency_fallback": proposal.contingency_fallback,
            "contingency_triggers": proposal.contingency_triggers,
            "contingency_decider": proposal.contingency_decider,
            "contingency_rollback_hours": proposal.contingency_rollback_hours,
        },
    )
    if draft:
        del form.fields["comment"]
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_update(
                proposal=proposal, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_service_errors(form, exc)
        except services.NotAllowed as exc:
            raise PermissionDenied(str(exc)) from None
        except services.ProposalError as exc:
            form.add_error(None, str(exc))
        else:
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
