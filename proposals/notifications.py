"""E-mails of the proposal workflow, each rendered in its recipient's language.

Templates live in templates/emails/<event>_subject.txt and <event>.txt. Callers
queue `proposal_notify` with transaction.on_commit, so nothing is sent for a
change that was rolled back.
"""

import datetime
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from accounts import permissions
from calendars.kinds import kind_labels
from calendars.names import localised_causes
from rollout.models import PHASE_LABELS

logger = logging.getLogger(__name__)

# event → who hears of it
PROPOSER, MANAGERS = "proposer", "managers"
RECIPIENTS = {
    "submitted": (MANAGERS,),
    "revised": (MANAGERS,),
    "approved": (PROPOSER,),
    "rejected": (PROPOSER,),
    "go": (PROPOSER, MANAGERS),
    "paused": (PROPOSER, MANAGERS),
    "rolled_back": (PROPOSER, MANAGERS),
    "conflict": (PROPOSER, MANAGERS),
}


def user_language(user) -> str:
    """The user's chosen interface language, else the site's default."""
    try:
        language = user.preference.language
    except (ObjectDoesNotExist, AttributeError):
        language = None
    codes = {code for code, _name in settings.LANGUAGES}
    return language if language in codes else settings.LANGUAGE_CODE


def plant_managers(*, plant):
    """Active plant managers who are members of the plant."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=permissions.PLANT_MANAGER, plants=plant
        )
        .distinct()
        .order_by("pk")
    )


def recipients(*, proposal, event: str) -> list:
    people: dict[int, object] = {}
    for who in RECIPIENTS[event]:
        if who == PROPOSER and proposal.proposer and proposal.proposer.is_active:
            people[proposal.proposer.pk] = proposal.proposer
        elif who == MANAGERS:
            for manager in plant_managers(plant=proposal.plant):
                people.setdefault(manager.pk, manager)
    return [user for user in people.values() if user.email]


def email_render(
    *, event: str, proposal, recipient, transition=None, conflicts=None
) -> EmailMessage:
    """One e-mail for one recipient, in the recipient's language."""
    actor = transition.actor if transition else None
    language = user_language(recipient)
    context = {
        "proposal": proposal,
        "transition": transition,
        "conflicts": [
            _conflict_row(c)
            for c in localised_causes(
                plant=proposal.plant,
                entries=proposal.conflicts if conflicts is None else conflicts,
                language=language,
            )
        ],
        "recipient_name": display_name(recipient),
        "actor_name": display_name(actor),
        "proposer_name": display_name(proposal.proposer),
        "changes": revision_changes(transition.data)
        if transition and transition.action == "revise"
        else [],
    }
    with translation.override(language):
        subject = render_to_string(f"emails/proposal_{event}_subject.txt", context)
        body = render_to_string(f"emails/proposal_{event}.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )


def revision_changes(data: dict) -> list[dict]:
    """What a revision changed, as the timeline and the e-mail show it: the
    field's label (lazy: rendered in the reader's language), old and new."""
    from proposals.models import GoLiveProposal

    rows = []
    for name, change in (data.get("changes") or {}).items():
        try:
            label = GoLiveProposal._meta.get_field(name).verbose_name
        except FieldDoesNotExist:
            label = name
        rows.append(
            {
                "name": name,
                "label": label,
                "from": _change_text(change.get("from")),
                "to": _change_text(change.get("to")),
            }
        )
    return rows


def _change_text(value) -> str:
    if value in (None, ""):
        return "–"
    text = " ".join(str(value).split())
    return text if len(text) <= 120 else text[:119] + "…"


def display_name(user) -> str:
    if user is None:
        return "Offpeak"
    return user.get_full_name() or user.get_username()


def _conflict_row(conflict: dict) -> dict:
    """A conflict of Evaluation.as_dict() with dates and translatable labels."""
    return {
        **conflict,
        "start": datetime.date.fromisoformat(conflict["start"]),
        "end": datetime.date.fromisoformat(conflict["end"]),
        "kind_label": kind_labels().get(conflict.get("kind"), conflict.get("kind")),
        "phase_label": PHASE_LABELS.get(conflict.get("phase"), conflict.get("phase")),
    }


def proposal_notify(
    *,
    proposal_id: int,
    event: str,
    transition_id: int | None = None,
    conflicts: list[dict] | None = None,
) -> int:
    """Send the event's e-mail to everyone concerned; returns how many were sent.
    Takes ids: it runs after commit and reads what was committed."""
    from proposals.models import GoLiveProposal, ProposalTransition

    proposal = (
        GoLiveProposal.objects.select_related("plant", "rollout", "proposer")
        .filter(pk=proposal_id)
        .first()
    )
    if proposal is None:
        return 0
    transition = (
        ProposalTransition.objects.select_related("actor")
        .filter(pk=transition_id)
        .first()
        if transition_id
        else None
    )
    messages = [
        email_render(
            event=event,
            proposal=proposal,
            recipient=user,
            transition=transition,
            conflicts=conflicts,
        )
        for user in recipients(proposal=proposal, event=event)
    ]
    if not messages:
        return 0
    sent = get_connection().send_messages(messages) or 0
    logger.info("proposal %s: %s mailed to %d", proposal_id, event, sent)
    return sent
