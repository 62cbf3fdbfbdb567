"""What was seen during cutover and hypercare."""

import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from proposals.models import (
    GoLiveProposal,
    Observation,
)
from proposals.workflow import (
    IT,
    OBSERVABLE,
    PM,
    IllegalTransition,
    NotAllowed,
    has_role,
)

logger = logging.getLogger(__name__)
Status = GoLiveProposal.Status


def observation_create(
    *,
    proposal: GoLiveProposal,
    user,
    severity: str,
    area: str,
    description: str,
    production_affected: bool = False,
    observed_at: datetime.datetime | None = None,
) -> Observation:
    """Record what was seen during cutover or hypercare. `suggests_pause` on
    the result tells whether it calls for pausing the go-live."""
    if not has_role(user=user, plant=proposal.plant, roles=[IT, PM]):
        raise NotAllowed(
            _("Only an IT lead or plant manager of the plant may record observations.")
        )
    if proposal.status not in OBSERVABLE:
        raise IllegalTransition(
            _("Observations are recorded from go to hypercare; this proposal is %(s)s.")
            % {"s": proposal.get_status_display()}
        )
    observation = Observation(
        proposal=proposal,
        severity=severity,
        area=area,
        description=(description or "").strip(),
        production_affected=production_affected,
        observed_at=observed_at or timezone.now(),
        recorded_by=user,
    )
    observation.full_clean()
    observation.save()
    return observation
