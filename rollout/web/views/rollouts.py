"""Rollouts: IT leads define the system going live, its phases and profile."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts import permissions
from calendars.models import Plant
from calendars.selectors import plants_visible_to
from calendars.web.access import plants_where, require
from rollout.models import Rollout, ScoringProfile
from rollout.selectors import rollouts_visible_to
from rollout.services import rollout_save, scoring_profile_save
from rollout.web.forms import RolloutForm, ScoringProfileForm


def _visible_rollouts(user):
    return (
        rollouts_visible_to(user).select_related("profile").prefetch_related("plants")
    )


@login_required
def rollout_list(request):
    planning = plants_where(request.user, permissions.can_plan_rollouts)
    visible = set(plants_visible_to(request.user))
    rows = [
        {
            "rollout": r,
            "plants": [p for p in r.plants.all() if p in visible],
            "can_edit": permissions.can_change_rollout(request.user, r),
        }
        for r in _visible_rollouts(request.user)
    ]
    return render(
        request,
        "web/rollout_list.html",
        {
            "rows": rows,
            "can_create": bool(planning),
            "profiles": [
                p
                for p in ScoringProfile.objects.all()
                if permissions.can_change_profile(request.user, p)
            ]
            if planning
            else [],
        },
    )


@login_required
def rollout_edit(request, pk=None):
    planning = plants_where(request.user, permissions.can_plan_rollouts)
    if pk is None:
        require(bool(planning))
        rollout = Rollout(created_by=request.user)
    else:
        rollout = get_object_or_404(_visible_rollouts(request.user), pk=pk)
        require(permissions.can_change_rollout(request.user, rollout))
    allowed = Plant.objects.filter(pk__in=[p.pk for p in planning])
    form = RolloutForm(request.POST or None, instance=rollout, plants=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            saved = rollout_save(
                rollout=form.save(commit=False),
                plants=form.cleaned_data["plants"],
                user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Saved %(rollout)s. Its recommendations are being recalculated.")
                % {"rollout": saved.name},
            )
            return redirect("web:rollouts")
    return render(request, "web/rollout_form.html", {"form": form, "rollout": rollout})


@login_required
def profile_edit(request, pk):
    profile = get_object_or_404(ScoringProfile, pk=pk)
    require(permissions.can_change_profile(request.user, profile))
    form = ScoringProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        scoring_profile_save(profile=form.save(commit=False), user=request.user)
        messages.success(
            request,
            _(
                "Saved the weights of %(profile)s. Every rollout using it is being "
                "recalculated."
            )
            % {"profile": profile.name},
        )
        return redirect("web:rollouts")
    return render(
        request,
        "web/profile_form.html",
        {
            "form": form,
            "profile": profile,
            # Only the rollouts the user sees: the others' names stay unknown.
            "used_by": rollouts_visible_to(request.user).filter(profile=profile),
        },
    )
