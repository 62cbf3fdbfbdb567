"""Reads the pages need beyond rollout.selectors: the window calendar's
heatmap, the dashboard's overview and the utilisation charts."""

from rollout.web.selectors.heatmap import (
    MONTH_CHOICES,
    Heatmap,
    heatmap_build,
    reason_text,
    recommended_days,
    spec_for,
)
from rollout.web.selectors.overview import (
    Chart,
    PlantOverview,
    dashboard_overview,
    plan_preview_chart,
    utilisation_chart,
)

__all__ = [
    "MONTH_CHOICES",
    "Chart",
    "Heatmap",
    "PlantOverview",
    "dashboard_overview",
    "heatmap_build",
    "plan_preview_chart",
    "reason_text",
    "recommended_days",
    "spec_for",
    "utilisation_chart",
]
