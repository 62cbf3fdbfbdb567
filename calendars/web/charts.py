"""Utilisation charts of the plan page: the plan over the horizon and a
parsed file before it is imported."""

import datetime
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from accounts.templatetags.offpeak import format_plant_date
from calendars.models import Plant
from calendars.selectors import plant_calendar


@dataclass
class Chart:
    """An SVG line chart: points in a 0..width × 0..height box."""

    width: int
    height: int
    points: str
    area: str
    ticks: list[tuple[float, str]]
    levels: list[tuple[float, str]]
    peak: float
    mean: float
    label: str


def _chart(
    dates: np.ndarray, values: np.ndarray, plant: Plant, width: int = 900, height=160
) -> Chart | None:
    if not len(values):
        return None
    top = max(1.2, float(np.nanmax(values)) * 1.05)
    n = len(values)
    xs = np.linspace(0, width, n) if n > 1 else np.array([width / 2])
    ys = height - np.clip(values, 0, top) / top * height
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    area = f"0,{height} {points} {width},{height}"
    ticks = []
    previous = None
    for i in range(n):
        day = dates[i].astype("datetime64[D]").item()
        month = (day.year, day.month)
        if month != previous and previous is not None and day.month % 3 == 1:
            ticks.append((float(xs[i]), f"{day.year}-{day.month:02d}"))
        previous = month
    levels = [
        (height - level / top * height, f"{level:.0%}")
        for level in (0.5, 1.0)
        if level <= top
    ]
    return Chart(
        width=width,
        height=height,
        points=points,
        area=area,
        ticks=ticks,
        levels=levels,
        peak=float(np.nanmax(values)),
        mean=float(np.nanmean(values)),
        label="",
    )


def utilisation_chart(*, plant: Plant, days: int | None = None):
    """Daily planned utilisation over the planning horizon (working days; a
    7-day mean so that weekends do not saw the line)."""
    start = plant.local_today()
    end = start + datetime.timedelta(days=days or settings.OFFPEAK_HORIZON_DAYS)
    frame = plant_calendar(plant=plant, start=start, end=end)
    last = len(frame)
    util = frame["utilisation"].to_numpy()[:last]
    working = frame["is_working"].to_numpy()[:last].astype(float)
    kernel = np.ones(7)
    smooth = np.convolve(util * working, kernel, "same") / np.maximum(
        np.convolve(working, kernel, "same"), 1
    )
    chart = _chart(frame.index.to_numpy()[:last], smooth, plant)
    if chart:
        chart.label = _(
            "Planned utilisation per day from %(start)s to %(end)s: average "
            "%(mean).0f%%, highest %(peak).0f%%."
        ) % {
            "start": format_plant_date(start, plant),
            "end": format_plant_date(end, plant),
            "mean": chart.mean * 100,
            "peak": chart.peak * 100,
        }
    return chart


def plan_preview_chart(*, plant: Plant, lines) -> Chart | None:
    """Utilisation per bucket of a parsed (not yet imported) plan."""
    if lines is None or not len(lines):
        return None
    grouped = lines.groupby("bucket_start")[["load", "capacity"]].sum()
    ratio = (grouped["load"] / grouped["capacity"]).to_numpy()
    chart = _chart(grouped.index.to_numpy(), ratio, plant)
    if chart:
        chart.label = _(
            "Planned utilisation per bucket in the file: average %(mean).0f%%, "
            "highest %(peak).0f%%."
        ) % {"mean": chart.mean * 100, "peak": chart.peak * 100}
    return chart
