"""The program page's pictures: a Gantt chart (a row per plant, grouped in
team lanes, training/cutover/hypercare bars, the plant's peak seasons and
hard freezes shaded behind) and each team's load week by week, as SVG
geometry the template draws; and a plan's conflicts in the reader's language.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from calendars.kinds import FACTORS_BY_KIND
from calendars.selectors import plant_calendar_data
from rollout.models import PHASE_LABELS

LABEL_WIDTH = 150  # px left of the chart for the row labels
ROW_HEIGHT = 26
LANE_HEIGHT = 22
AXIS_HEIGHT = 22
MARGIN_DAYS = 14
CHART_WIDTH = 900  # px of the time axis
LOAD_HEIGHT = 48


def _iso(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


@dataclass
class Rect:
    x: float
    width: float
    css: str
    title: str


@dataclass
class GanttRow:
    y: float
    label: str
    sublabel: str
    bars: list[Rect] = field(default_factory=list)
    shades: list[Rect] = field(default_factory=list)
    marker: float | None = None  # x of the go-live day
    pinned: bool = False


@dataclass
class Lane:
    y: float
    label: str


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Gantt:
    width: float
    height: float
    label_width: float
    rows: list[GanttRow]
    lanes: list[Lane]
    ticks: list[Tick]
    start: datetime.date
    end: datetime.date


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    title: str


@dataclass
class LoadChart:
    team: str
    capacity: int
    width: float
    height: float
    label_width: float
    bars: list[Bar]
    capacity_y: float
    peak: int


class Scale:
    def __init__(self, start: datetime.date, end: datetime.date):
        self.start, self.end = start, end
        self.days = (end - start).days + 1
        self.per_day = CHART_WIDTH / self.days

    def x(self, day: datetime.date) -> float:
        return round(LABEL_WIDTH + (day - self.start).days * self.per_day, 2)

    def span(self, first: datetime.date, last: datetime.date) -> tuple[float, float]:
        first, last = max(first, self.start), min(last, self.end)
        if last < first:
            return 0.0, 0.0
        return self.x(first), round(((last - first).days + 1) * self.per_day, 2)


def _scale(assignments: list[dict]) -> Scale | None:
    starts = [_iso(a["window_start"]) for a in assignments]
    ends = [_iso(a["window_end"]) for a in assignments]
    if not starts:
        return None
    margin = datetime.timedelta(days=MARGIN_DAYS)
    return Scale(min(starts) - margin, max(ends) + margin)


def _ticks(scale: Scale) -> list[Tick]:
    ticks = []
    day = scale.start.replace(day=1)
    step = 1 if scale.days <= 400 else 3
    while day <= scale.end:
        if day >= scale.start:
            ticks.append(Tick(x=scale.x(day), label=day.strftime("%Y-%m")))
        month = day.month - 1 + step
        day = datetime.date(day.year + month // 12, month % 12 + 1, 1)
    return ticks


def _shades(plant, scale: Scale) -> list[Rect]:
    data = plant_calendar_data(plant=plant, start=scale.start, end=scale.end)
    shades = []
    for interval in data.intervals:
        peak = FACTORS_BY_KIND.get(interval.kind) == "peak"
        if not (peak or interval.hard):
            continue
        x, width = scale.span(interval.start, interval.end)
        if width <= 0:
            continue
        what = _("hard freeze") if interval.hard else _("peak season")
        shades.append(
            Rect(
                x=x,
                width=width,
                css="shade-hard" if interval.hard else "shade-peak",
                title=f"{what}: {interval.cause_name} "
                f"({interval.start.isoformat()} – {interval.end.isoformat()})",
            )
        )
    return shades


def gantt(*, assignments: list[dict], plants: dict) -> Gantt | None:
    """The chart of `assignments` (as the plan stores them); `plants` by code."""
    scale = _scale(assignments)
    if scale is None:
        return None
    rows: list[GanttRow] = []
    lanes: list[Lane] = []
    y = AXIS_HEIGHT
    ordered = sorted(assignments, key=lambda a: (a["team"], a["go_live"]))
    team = None
    for a in ordered:
        if a["team"] != team:
            team = a["team"]
            lanes.append(Lane(y=y, label=_("Team %(team)s") % {"team": team}))
            y += LANE_HEIGHT
        plant = plants.get(a["plant"])
        row = GanttRow(
            y=y,
            label=a["plant"].upper(),
            sublabel=plant.name if plant else "",
            pinned=a["pinned"],
            marker=scale.x(_iso(a["go_live"])),
        )
        if plant is not None:
            row.shades = _shades(plant, scale)
        for phase in a["phases"]:
            x, width = scale.span(_iso(phase["start"]), _iso(phase["end"]))
            label = PHASE_LABELS.get(phase["name"], phase["name"])
            row.bars.append(
                Rect(
                    x=x,
                    width=max(width, 1.5),
                    css=f"bar-{phase['name']}",
                    title=f"{a['plant'].upper()} {label}: {phase['start']} – "
                    f"{phase['end']}",
                )
            )
        rows.append(row)
        y += ROW_HEIGHT
    return Gantt(
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=y + 4,
        label_width=LABEL_WIDTH,
        rows=rows,
        lanes=lanes,
        ticks=_ticks(scale),
        start=scale.start,
        end=scale.end,
    )


def team_loads(*, assignments: list[dict], teams, busy_from: str) -> list[LoadChart]:
    """Per team, how many plants it carries, the most on any day of each week
    (busy from training or cutover start to the end of hypercare)."""
    scale = _scale(assignments)
    if scale is None:
        return []
    charts = []
    for team in teams:
        spans = []
        for a in assignments:
            if a["team"] != team.name:
                continue
            start = _iso(a["window_start"])
            if busy_from == "cutover":
                start = _iso(a.get("cutover_start")) or start
            spans.append((start, _iso(a["window_end"])))
        bars = []
        peak = 0
        week = scale.start
        unit = LOAD_HEIGHT / max(team.capacity + 1, 2)
        while week <= scale.end:
            last = min(week + datetime.timedelta(days=6), scale.end)
            most = 0
            day = week
            while day <= last:  # a few hundred days at most
                most = max(most, sum(1 for s, e in spans if s <= day <= e))
                day += datetime.timedelta(days=1)
            peak = max(peak, most)
            if most:
                x, width = scale.span(week, last)
                height = min(most, team.capacity + 1) * unit
                bars.append(
                    Bar(
                        x=x,
                        y=round(LOAD_HEIGHT - height, 2),
                        width=max(width - 1, 1),
                        height=round(height, 2),
                        css="load-over" if most > team.capacity else "load",
                        title=ngettext(
                            "week of %(day)s: %(n)s plant",
                            "week of %(day)s: %(n)s plants",
                            most,
                        )
                        % {"day": week.isoformat(), "n": most},
                    )
                )
            week = last + datetime.timedelta(days=1)
        charts.append(
            LoadChart(
                team=team.name,
                capacity=team.capacity,
                width=LABEL_WIDTH + CHART_WIDTH + 10,
                height=LOAD_HEIGHT,
                label_width=LABEL_WIDTH,
                bars=bars,
                capacity_y=round(LOAD_HEIGHT - team.capacity * unit, 2),
                peak=peak,
            )
        )
    return charts


def _names(codes) -> str:
    return ", ".join(str(c).upper() for c in codes)


def conflict_text(conflict: dict) -> str:
    """A conflict in the reader's language (the API keeps the English)."""
    kind = conflict.get("kind")
    get = conflict.get
    if kind == "capacity":
        return ngettext(
            "Team %(team)s cannot carry %(plants)s between %(start)s and %(end)s: "
            "it carries at most %(capacity)s plant at once.",
            "Team %(team)s cannot carry %(plants)s between %(start)s and %(end)s: "
            "it carries at most %(capacity)s plants at once.",
            get("capacity") or 1,
        ) % {
            "team": get("team"),
            "plants": _names(get("plants", [])),
            "start": get("start"),
            "end": get("end"),
            "capacity": get("capacity"),
        }
    if kind == "unavailable":
        return _(
            "Team %(team)s is unavailable from %(start)s to %(end)s, when "
            "%(plants)s would need it."
        ) % {
            "team": get("team"),
            "start": get("start"),
            "end": get("end"),
            "plants": _names(get("plants", [])),
        }
    if kind == "team_gap":
        return _(
            "Team %(team)s needs at least %(days)s days between its go-lives of "
            "%(plants)s."
        ) % {
            "team": get("team"),
            "days": get("min_gap_days"),
            "plants": _names(get("plants", [])),
        }
    if kind == "precedence":
        values = {
            "before": str(get("before")).upper(),
            "after": str(get("after")).upper(),
            "days": get("min_gap_days"),
        }
        if get("min_gap_days"):
            return (
                _("%(after)s must go live at least %(days)s days after %(before)s.")
                % values
            )
        return _("%(after)s must not go live before %(before)s.") % values
    plant = str(get("plant", "")).upper()
    if kind == "pin":
        return _("%(plant)s is pinned to %(date)s.") % {
            "plant": plant,
            "date": get("date"),
        }
    if kind in ("limits", "no_candidate_within_limits", "pin_outside_limits"):
        limits = _("between %(first)s and %(last)s") % {
            "first": get("earliest") or "…",
            "last": get("latest") or "…",
        }
        if kind == "limits":
            return _("%(plant)s must go live %(limits)s.") % {
                "plant": plant,
                "limits": limits,
            }
        if kind == "pin_outside_limits":
            return _("%(plant)s is pinned to %(date)s but must go live %(limits)s.") % {
                "plant": plant,
                "date": get("date"),
                "limits": limits,
            }
        return _("%(plant)s has no feasible go-live day %(limits)s.") % {
            "plant": plant,
            "limits": limits,
        }
    if kind == "no_candidate":
        return _("%(plant)s has no feasible go-live day in the planning horizon.") % {
            "plant": plant
        }
    if kind == "no_team":
        return _("No team may serve %(plant)s.") % {"plant": plant}
    return conflict.get("message", "")
