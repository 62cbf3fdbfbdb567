"""Go-live proposals: the list, and the detail page with its workflow
buttons, checklist, observations and review; every workflow step posts to
proposal_act. Creating and editing a proposal: proposals.web.editing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import permissions
from accounts.templatetags.offpeak import format_plant_date, roundscore
from calendars.names import localised_causes
from calendars.selectors import plants_visible_to
from calendars.web.access import plants_where
from proposals import notifications, selectors, services, workflow
from proposals.models import GoLiveProposal, ReadinessItem
from proposals.services import revisions
from proposals.services.transitions import go_window_opens
from proposals.web import forms as web_forms
from proposals.web.common import (
    form_errors,
    form_labels,
    proposal_or_404,
    service_error,
)
from rollout.models import PHASE_LABELS
from rollout.selectors import rollouts_visible_to
from rollout.web.views.calendar import kind_labels

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
