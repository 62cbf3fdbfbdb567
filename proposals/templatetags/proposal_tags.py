"""Template helpers of the proposal pages."""

from django import template

from proposals.models import Observation

register = template.Library()


@register.filter
def incidents(counts) -> str:
    """{"low": 0, "medium": 1} → "1 × medium" (severity labels translated)."""
    labels = dict(Observation.Severity.choices)
    parts = [
        f"{n} × {labels.get(severity, severity)}"
        for severity, n in (counts or {}).items()
        if n
    ]
    return ", ".join(parts) or "–"
