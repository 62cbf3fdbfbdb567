"""The pages' one door into the proposal workflow (proposals): what
the dashboard and the window calendar need from it, labelled for the page."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.templatetags.offpeak import format_plant_date
from calendars.models import Plant
from calendars.names import localised_causes
from proposals import selectors
from proposals.models import GoLiveProposal

Status = GoLiveProposal.Status
# Go-lives that are decided and not abandoned: marked on the window calendar.
SCHEDULED = (Status.APPROVED, Status.GO, Status.LIVE, Status.HYPERCARE, Status.PAUSED)


def needs_action(*, user) -> list[dict]:
    """One row per thing waiting for the user, most urgent kinds first."""
    waiting = selectors.proposal_needs_action(user=user)
    rows = []

    def add(kind, label, proposal, detail):
        rows.append(
            {
                "kind": kind,
                "kind_label": label,
                "url": reverse("web:proposal", args=[proposal.pk]),
                "title": _("%(rollout)s at %(plant)s on %(day)s")
                % {
                    "rollout": proposal.rollout.name,
                    "plant": proposal.plant.code,
                    "day": format_plant_date(proposal.go_live, proposal.plant, True),
                },
                "detail": detail,
            }
        )

    for p in waiting.pause_suggested:
        add(
            "conflict",
            _("Consider pausing"),
            p,
            _("An observation says production suffers."),
        )
    for p in waiting.conflicts:
        add(
            "conflict",
            _("New conflict"),
            p,
            _("A calendar change put this go-live into conflict: %(names)s.")
            % {
                "names": ", ".join(
                    c.get("name", "")
                    for c in localised_causes(
                        plant=p.plant, entries=p.revalidation_conflicts[:3]
                    )
                )
            },
        )
    for p in waiting.to_decide:
        add(
            "decide",
            _("To decide"),
            p,
            _("Submitted by %(who)s.")
            % {"who": p.proposer.get_full_name() or p.proposer.username}
            if p.proposer
            else "",
        )
    for p in waiting.ready_for_go:
        add(
            "decide",
            _("Ready for go"),
            p,
            _("The readiness checklist is complete: give the go or not."),
        )
    for item in waiting.overdue_items:
        add(
            "overdue",
            _("Checklist overdue"),
            item.proposal,
            _("%(item)s was due on %(due)s.")
            % {
                "item": item.title,
                "due": format_plant_date(item.due, item.proposal.plant),
            },
        )
    return rows


def approved_go_lives(
    *, user, plant: Plant, start: datetime.date, end: datetime.date
) -> dict[datetime.date, str]:
    proposals = selectors.proposal_list(
        user=user, plant=plant, status=SCHEDULED, go_live_from=start, go_live_to=end
    )
    marks: dict[datetime.date, str] = {}
    for p in proposals:
        label = f"{p.rollout.name} ({p.get_status_display()})"
        marks[p.go_live] = (
            f"{marks[p.go_live]}; {label}" if p.go_live in marks else label
        )
    return marks


def scheduled_by_plant(*, user, plants) -> dict[int, list]:
    """Decided go-lives from today on, per plant id, soonest first."""
    out: dict[int, list] = {p.id: [] for p in plants}
    proposals = selectors.proposal_list(user=user, status=SCHEDULED).filter(
        plant__in=plants
    )
    for p in proposals.order_by("go_live"):
        if p.go_live >= p.plant.local_today():
            out.setdefault(p.plant_id, []).append(p)
    return out
