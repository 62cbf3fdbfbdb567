""" "Propose all": a draft proposal for every unpinned go-live of a program's
plan, from the program's page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import permissions
from calendars.web.access import require
from proposals.services.programs import program_propose_all
from rollout.program_selectors import programs_visible_to


@login_required
@require_POST
def program_propose_all_view(request, pk):
    program = get_object_or_404(programs_visible_to(request.user), pk=pk)
    require(permissions.can_change_program(request.user, program))
    try:
        created = program_propose_all(program=program, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("web:program", pk=program.pk)
    if not created:
        messages.info(request, _("Every plant of the program already has a proposal."))
        return redirect("web:program", pk=program.pk)
    messages.success(
        request,
        ngettext(
            "Created %(n)s draft proposal: %(plants)s.",
            "Created %(n)s draft proposals: %(plants)s.",
            len(created),
        )
        % {
            "n": len(created),
            "plants": ", ".join(p.plant.code.upper() for p in created),
        },
    )
    return redirect(f"{reverse('web:proposals')}?status=draft")
