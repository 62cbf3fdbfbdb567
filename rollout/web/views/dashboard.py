from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts import permissions
from rollout.hooks import hooks
from rollout.web.selectors import dashboard_overview


@login_required
def dashboard(request):
    overview = dashboard_overview(user=request.user)
    scheduled = hooks.scheduled(user=request.user, plants=[p.plant for p in overview])
    for plant_overview in overview:
        plant_overview.scheduled = scheduled.get(plant_overview.plant.id, [])
    return render(
        request,
        "web/dashboard.html",
        {
            "overview": overview,
            "all_up_to_date": all(p.up_to_date for p in overview),
            "actions": hooks.actions(user=request.user),
            # A reader has nothing to act on: no empty "Needs your action".
            "can_act": permissions.has_any_role(
                request.user, permissions.PLANT_MANAGER, permissions.IT_LEAD
            ),
        },
    )
