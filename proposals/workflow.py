"""The go-live workflow: every step, once.

A step is one entry of STEPS: its action name, the statuses it starts from,
the status it leads to, who may take it (roles at the proposal's plant, the
proposer only, never the proposer), the input it takes, its labels (button,
history) and the e-mail it sends. Its service function in proposals.services
carries `@implements("<action>")`. Everything else is derived from here: the
REST API's action endpoints and their input schemas, the buttons and forms of
the proposal page, the timeline's wording, who may act now, the e-mails.

Adding a step: one entry here, one service function (docs/recipes.md).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import permissions
from proposals.models import GoLiveProposal

Status = GoLiveProposal.Status
PM, IT = permissions.PLANT_MANAGER, permissions.IT_LEAD
ROLE_NAMES = {PM: gettext_lazy("plant manager"), IT: gettext_lazy("IT lead")}

RUNNING = (Status.GO, Status.LIVE, Status.HYPERCARE)
# Statuses in which the checklist and the observations can still change.
CHECKLIST_EDITABLE = (Status.DRAFT, Status.SUBMITTED, Status.APPROVED, Status.PAUSED)
OBSERVABLE = (*RUNNING, Status.PAUSED)
EVERY_STATUS = tuple(Status)


# --- errors -----------------------------------------------------------------


class ProposalError(Exception):
    """Base of the workflow's errors; str() is a message fit for the user."""


class NotAllowed(ProposalError):
    """The user may see the proposal but lacks the role (or is its proposer
    where four eyes are needed, or is not where only the proposer may act)."""


class IllegalTransition(ProposalError):
    """The move is not possible from the proposal's current state."""


class StaleProposal(IllegalTransition):
    """Another move changed the proposal after it was read: reload and retry."""


# --- inputs -------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """One input of a step. kind: text, date, rating (1-5) or share (a
    fraction: the API takes 0.72, the page shows and takes 72 %)."""

    name: str
    kind: str
    label: str
    required: bool = False


COMMENT = Input("comment", "text", gettext_lazy("Comment"))
INPUTS = {
    i.name: i
    for i in (
        COMMENT,
        Input("override_reason", "text", gettext_lazy("Override reason")),
        # Staff deciding their own proposal (four eyes): why; kept in the audit.
        Input(
            "four_eyes_reason",
            "text",
            gettext_lazy("Why you decide your own proposal (staff override)"),
        ),
        Input("reason", "text", gettext_lazy("Reason"), required=True),
        Input(
            "impact",
            "text",
            gettext_lazy("Impact observed on production"),
            required=True,
        ),
        Input("go_live", "date", gettext_lazy("New go-live date"), required=True),
        # Only the closing review takes these, and it cannot be written without.
        Input(
            "lessons_learned", "text", gettext_lazy("Lessons learned"), required=True
        ),
        Input(
            "rating",
            "rating",
            gettext_lazy("Rating (1 = poor, 5 = excellent)"),
            required=True,
        ),
        Input(
            "actual_utilisation",
            "share",
            gettext_lazy("Actual utilisation during hypercare (%)"),
        ),
    )
}


# --- steps --------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    action: str
    sources: tuple[str, ...]
    target: str | None  # None: back to the status it was paused from
    roles: tuple[str, ...]
    label: str  # the button
    done: str  # the timeline and messages
    inputs: tuple[str, ...] = ("comment",)
    proposer_only: bool = False
    four_eyes: bool = False  # never the proposer
    notify: str | None = None  # notifications event
    style: str = ""  # primary, danger or plain
    moves: bool = True  # False: a record on the proposal, its status stays
    input_labels: tuple[tuple[str, str], ...] = ()  # this step's wording of an input

    def input_specs(self) -> list[Input]:
        labels = dict(self.input_labels)
        return [
            replace(INPUTS[name], label=labels[name])
            if name in labels
            else INPUTS[name]
            for name in self.inputs
        ]


STEPS: dict[str, Step] = {
    s.action: s
    for s in (
        Step(
            "submit",
            (Status.DRAFT,),
            Status.SUBMITTED,
            (IT,),
            gettext_lazy("Submit for approval"),
            gettext_lazy("Submitted"),
            notify="submitted",
            style="primary",
        ),
        Step(
            "withdraw",
            (Status.DRAFT, Status.SUBMITTED),
            Status.WITHDRAWN,
            (IT,),
            gettext_lazy("Withdraw"),
            gettext_lazy("Withdrawn"),
            proposer_only=True,
            style="danger",
        ),
        Step(
            "approve",
            (Status.SUBMITTED,),
            Status.APPROVED,
            (PM,),
            gettext_lazy("Approve"),
            gettext_lazy("Approved"),
            inputs=("comment", "override_reason", "four_eyes_reason"),
            input_labels=(
                ("override_reason", gettext_lazy("Why approve despite the conflicts")),
            ),
            four_eyes=True,
            notify="approved",
            style="primary",
        ),
        Step(
            "reject",
            (Status.SUBMITTED,),
            Status.REJECTED,
            (PM,),
            gettext_lazy("Reject"),
            gettext_lazy("Rejected"),
            notify="rejected",
            style="danger",
        ),
        Step(
            "go",
            (Status.APPROVED,),
            Status.GO,
            (PM,),
            gettext_lazy("Give the go"),
            gettext_lazy("Go given"),
            inputs=("comment", "override_reason", "four_eyes_reason"),
            input_labels=(
                ("override_reason", gettext_lazy("Why give the go before its window")),
            ),
            four_eyes=True,
            notify="go",
            style="primary",
        ),
        Step(
            "live",
            (Status.GO,),
            Status.LIVE,
            (IT,),
            gettext_lazy("Mark as live"),
            gettext_lazy("Live"),
            style="primary",
        ),
        Step(
            "hypercare",
            (Status.LIVE,),
            Status.HYPERCARE,
            (IT,),
            gettext_lazy("Start hypercare"),
            gettext_lazy("Hypercare started"),
            style="primary",
        ),
        Step(
            "pause",
            RUNNING,
            Status.PAUSED,
            (PM, IT),
            gettext_lazy("Pause"),
            gettext_lazy("Paused"),
            inputs=("reason", "impact", "comment"),
            notify="paused",
            style="danger",
        ),
        Step(
            "resume",
            (Status.PAUSED,),
            None,
            (PM,),
            gettext_lazy("Resume"),
            gettext_lazy("Resumed"),
            style="primary",
        ),
        Step(
            "reschedule",
            (Status.PAUSED,),
            Status.SUBMITTED,
            (IT,),
            gettext_lazy("Reschedule"),
            gettext_lazy("Rescheduled"),
            inputs=("go_live", "comment"),
            notify="submitted",
        ),
        Step(
            "rollback",
            (*RUNNING, Status.PAUSED),
            Status.ROLLED_BACK,
            (PM,),
            gettext_lazy("Roll back"),
            gettext_lazy("Rolled back"),
            inputs=("reason", "comment"),
            notify="rolled_back",
            style="danger",
        ),
        Step(
            "close",
            (Status.HYPERCARE, Status.ROLLED_BACK),
            Status.CLOSED,
            (IT,),
            gettext_lazy("Close with review"),
            gettext_lazy("Closed"),
            inputs=("lessons_learned", "rating", "actual_utilisation", "comment"),
            style="primary",
        ),
        Step(
            "acknowledge",
            EVERY_STATUS,
            None,
            (PM, IT),
            gettext_lazy("Acknowledge the new conflicts"),
            gettext_lazy("New conflicts acknowledged"),
            moves=False,
        ),
    )
}
# Entries of the audit trail that no step writes.
RECORDS = {
    "create": gettext_lazy("Created as a draft"),
    "edit": gettext_lazy("Draft edited"),
    "revise": gettext_lazy("Revised and submitted again"),
    "revalidate": gettext_lazy("Re-validation found new conflicts"),
}


def history_label(action: str) -> str:
    """How the timeline names an audit entry."""
    if action in STEPS:
        return STEPS[action].done
    return RECORDS.get(action, action)


# --- who may take a step ----------------------------------------------------------


def has_role(*, user, plant, roles) -> bool:
    return permissions.has_role_at(user, plant, *roles)


def authorize(*, proposal: GoLiveProposal, user, action: str) -> Step:
    """The step, if `user` may take it on `proposal` now (role, proposer rules
    and status); NotAllowed or IllegalTransition otherwise."""
    step = STEPS[action]
    if not has_role(user=user, plant=proposal.plant, roles=step.roles):
        raise NotAllowed(
            _("Only a %(roles)s of plant %(plant)s may %(action)s a proposal.")
            % {
                "roles": _(" or ").join(str(ROLE_NAMES[r]) for r in sorted(step.roles)),
                "plant": proposal.plant.code,
                "action": action,
            }
        )
    if step.proposer_only and proposal.proposer_id != user.pk:
        raise NotAllowed(_("Only the proposer may %(action)s it.") % {"action": action})
    if (
        step.four_eyes
        and proposal.proposer_id == user.pk
        and not permissions.can_override_four_eyes(user)
    ):
        raise NotAllowed(
            _(
                "The proposer may not %(action)s their own proposal: four eyes. "
                "Only staff may override this, with a reason."
            )
            % {"action": action}
        )
    if proposal.status not in step.sources:
        raise IllegalTransition(
            _("Cannot %(action)s a proposal that is %(status)s (only from: %(from)s).")
            % {
                "action": action,
                "status": proposal.get_status_display(),
                "from": ", ".join(str(Status(s).label) for s in sorted(step.sources)),
            }
        )
    return step


def overrides_four_eyes(*, proposal: GoLiveProposal, user, action: str) -> bool:
    """Whether `user` taking the step would decide their own proposal (staff
    only, see authorize): the move then needs a four_eyes_reason."""
    return STEPS[action].four_eyes and proposal.proposer_id == user.pk


def allowed(*, proposal: GoLiveProposal, user, action: str) -> bool:
    """Whether `user` may take the step now (role and status; input aside)."""
    try:
        authorize(proposal=proposal, user=user, action=action)
    except ProposalError:
        return False
    return True


def available(*, proposal: GoLiveProposal, user) -> list[Step]:
    """The steps `user` may take now, in the registry's order (acknowledging
    only while there are new conflicts)."""
    return [
        step
        for step in STEPS.values()
        if (step.moves or proposal.flagged)
        and allowed(proposal=proposal, user=user, action=step.action)
    ]


# --- the service of each step ---------------------------------------------------

_SERVICES: dict[str, Callable] = {}


def implements(action: str) -> Callable[[Callable], Callable]:
    """Register the service function of a step (proposals.services)."""
    if action not in STEPS:
        raise KeyError(f"{action!r} is not a step of proposals.workflow.STEPS")

    def register(service: Callable) -> Callable:
        _SERVICES[action] = service
        return service

    return register


def service(action: str) -> Callable:
    """The service of a step: service(proposal=, user=, <its inputs>). The
    services register themselves when proposals.services is imported, which
    the app does at start-up (proposals/extensions.py)."""
    return _SERVICES[action]
