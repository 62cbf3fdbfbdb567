"""Reads the pages need beyond rollout.selectors: the window calendar's
heatmap and the dashboard's overview."""

from rollout.web.selectors.heatmap import (
    MONTH_CHOICES,
    Heatmap,
    heatmap_build,
    reason_text,
    recommended_days,
)
from rollout.web.selectors.overview import (
    PlantOverview,
    dashboard_overview,
)

__all__ = [
    "MONTH_CHOICES",
    "Heatmap",
    "PlantOverview",
    "dashboard_overview",
    "heatmap_build",
    "reason_text",
    "recommended_days",
]
