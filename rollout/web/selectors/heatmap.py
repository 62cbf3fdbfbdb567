"""The window calendar's heatmap: one cell per day coloured by the quietness
of a go-live on it, with bands for seasons, milestones, blackouts and closures.

Every day of the horizon is scored in one vectorised call
(rollout.scoring.score_horizon); the loop below only formats the few hundred
cells that are shown.
"""

import datetime
from dataclasses import dataclass, field

import numpy as np
from django.utils.translation import gettext as _

from accounts.templatetags.offpeak import SCALE, weekday_date_formatter
from calendars.kinds import BAND_KINDS
from calendars.models import Plant
from rollout import scoring
from rollout.calendar_arrays import PlantCalendar, plant_calendar_load
from rollout.models import Rollout
from rollout.selectors import RecommendationList

MONTH_CHOICES = (12, 24)


@dataclass
class Band:
    lane: str  # season, milestone, blackout
    css: str  # season, season hard, buffer, milestone, blackout, closure...
    first: int  # day of month, 1-based
    last: int
    label: str


@dataclass
class MonthRow:
    first: datetime.date
    label: str
    cells: list[dict]
    bands: list[Band] = field(default_factory=list)


@dataclass
class Heatmap:
    plant: Plant
    rollout: Rollout
    months: list[MonthRow]
    today: datetime.date
    first_candidate: datetime.date
    last_candidate: datetime.date
    focus: datetime.date | None
    feasible_days: int
    candidate_days: int


def _add_months(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


def _month_label(first: datetime.date) -> str:
    return _("%(year)s-%(month)02d") % {"year": first.year, "month": first.month}


def reason_text() -> dict[str, str]:
    """Translated sentences for the engine's English infeasibility reasons."""
    return {
        scoring.reason_labels(scoring.Reason.BEFORE_EARLIEST)[0]: _(
            "go-live is before the earliest allowed date"
        ),
        scoring.reason_labels(scoring.Reason.AFTER_LATEST)[0]: _(
            "go-live is after the latest allowed date"
        ),
        scoring.reason_labels(scoring.Reason.PHASE_OUTSIDE_HORIZON)[0]: _(
            "the phases do not fit in the planning horizon"
        ),
        scoring.reason_labels(scoring.Reason.HARD_CONFLICT_CUTOVER)[0]: _(
            "cutover falls on a day a hard milestone or blackout forbids"
        ),
        scoring.reason_labels(scoring.Reason.HARD_CONFLICT_HYPERCARE)[0]: _(
            "hypercare falls on a day a hard milestone or blackout forbids"
        ),
        scoring.reason_labels(scoring.Reason.MISALIGNED)[0]: _(
            "not a day the rollout may go live on"
        ),
        scoring.reason_labels(scoring.Reason.WRONG_WEEKDAY)[0]: _(
            "not the weekday the rollout goes live on"
        ),
        "not a working day": _("not a working day"),
        "not the first working day of a fiscal period": _(
            "not the first working day of a fiscal period"
        ),
        "not the first working day of a fiscal quarter": _(
            "not the first working day of a fiscal quarter"
        ),
        "not the first working day of a fiscal year": _(
            "not the first working day of a fiscal year"
        ),
        "not a Monday": _("not a Monday"),
        "not a Tuesday": _("not a Tuesday"),
        "not a Wednesday": _("not a Wednesday"),
        "not a Thursday": _("not a Thursday"),
        "not a Friday": _("not a Friday"),
        "not a Saturday": _("not a Saturday"),
        "not a Sunday": _("not a Sunday"),
    }


def _short_reasons(flags: int) -> str:
    parts = []
    if flags & (scoring.Reason.HARD_CONFLICT_CUTOVER):
        parts.append(_("hard conflict in cutover"))
    if flags & (scoring.Reason.HARD_CONFLICT_HYPERCARE):
        parts.append(_("hard conflict in hypercare"))
    if flags & scoring.Reason.BEFORE_EARLIEST:
        parts.append(_("before the earliest go-live"))
    if flags & scoring.Reason.AFTER_LATEST:
        parts.append(_("after the latest go-live"))
    if flags & scoring.Reason.PHASE_OUTSIDE_HORIZON:
        parts.append(_("phases outside the horizon"))
    if flags & (scoring.Reason.MISALIGNED | scoring.Reason.WRONG_WEEKDAY):
        parts.append(_("not an allowed go-live day"))
    return "; ".join(parts)


_MISALIGNED = int(scoring.Reason.MISALIGNED | scoring.Reason.WRONG_WEEKDAY)


def heatmap_build(
    *,
    plant: Plant,
    rollout: Rollout,
    months: int = 12,
    focus: datetime.date | None = None,
    approved: dict[datetime.date, str] | None = None,
    recommended: dict[datetime.date, int] | None = None,
    calendar: PlantCalendar | None = None,
) -> Heatmap:
    """One cell per day for `months` months, coloured by the quietness of a
    go-live on that day: from the first of the plant's current month, or from
    the month before `focus` when `focus` would fall beyond those months (a
    recommendation 14 months out opens the 12-month grid on it)."""
    calendar = calendar or plant_calendar_load(plant=plant)
    horizon = calendar.horizon
    scores = scoring.score_horizon(calendar.arrays, calendar.spec_for(rollout))
    frame = calendar.data.frame
    approved = approved or {}
    recommended = recommended or {}

    first = horizon.start.replace(day=1)
    end = _add_months(first, months) - datetime.timedelta(days=1)
    if focus is not None and focus > end:
        first = max(first, _add_months(focus.replace(day=1), -1))
        end = _add_months(first, months) - datetime.timedelta(days=1)
    last_candidate = horizon.last_candidate
    n_shown = (end - horizon.start).days + 1
    # Per-day values of the shown days as plain Python lists: one conversion
    # instead of a numpy scalar per cell and field.
    shown = slice(0, min(n_shown, len(frame)))
    score = np.round(scores.score[shown]).astype(float)
    buckets = np.searchsorted(np.array(SCALE[1:]), score, side="right").tolist()
    score = score.tolist()
    n_scored = len(score)
    feasible = scores.feasible[shown].tolist()
    reasons = scores.reasons[shown].astype(int).tolist()
    is_working = frame["is_working"].to_numpy()[shown].tolist()
    day_reason = frame["reason"].to_numpy()[shown].tolist()
    absence = frame["absence"].to_numpy()[shown].tolist()
    seasons = frame["seasons"].to_numpy()[shown].tolist()
    milestones = frame["milestones"].to_numpy()[shown].tolist()
    blackouts = frame["blackouts"].to_numpy()[shown].tolist()

    day_text = weekday_date_formatter()
    t_quiet = _("quietness %(score)s of 100")
    t_feasible = _("feasible")
    t_infeasible = _("not feasible: %(reason)s")
    t_past = _("in the past")
    t_beyond = _("beyond the planning horizon")
    t_nonworking = _("non-working day")
    t_holiday = _("holiday: %(name)s")
    t_peak = _("peak season: %(name)s")
    t_milestone = _("milestone or freeze buffer: %(name)s")
    t_blackout = _("blackout: %(name)s")
    t_approved = _("approved go-live: %(name)s")
    t_recommended = _("recommended window #%(rank)s")
    t_today = _("today")
    # A few distinct reason combinations cover every infeasible day.
    infeasible_text: dict[int, str] = {}

    today = horizon.start
    rows: list[MonthRow] = []
    month_first = first
    while month_first <= end:
        month_end = _add_months(month_first, 1) - datetime.timedelta(days=1)
        cells = []
        offset = (month_first - today).days - 1
        for dom in range(1, month_end.day + 1):
            day = month_first.replace(day=dom)
            i = offset + dom
            css = []
            parts = [day_text(day)]
            marks = ""
            if i < 0:
                css.append("past")
                parts.append(t_past)
                state = "past"
            elif day > last_candidate or i >= n_scored:
                css.append("beyond")
                parts.append(t_beyond)
                state = "beyond"
            else:
                state = "day"
                value = score[i]
                if feasible[i]:
                    css.append(f"q{buckets[i]}")
                    parts.append(t_quiet % {"score": f"{value:.0f}"})
                    parts.append(t_feasible)
                else:
                    css.append("nf")
                    flags = reasons[i]
                    if flags & _MISALIGNED:
                        css.append("misaligned")  # hatched the other way
                    if value == value:
                        parts.append(t_quiet % {"score": f"{value:.0f}"})
                    why = infeasible_text.get(flags)
                    if why is None:
                        why = infeasible_text[flags] = t_infeasible % {
                            "reason": _short_reasons(flags)
                        }
                    parts.append(why)
                if not is_working[i]:
                    css.append("off")
                    if absence[i]:
                        css.append("hol")
                        parts.append(t_holiday % {"name": day_reason[i]})
                    else:
                        parts.append(t_nonworking)
                if seasons[i]:
                    parts.append(t_peak % {"name": seasons[i]})
                if milestones[i]:
                    parts.append(t_milestone % {"name": milestones[i]})
                if blackouts[i]:
                    parts.append(t_blackout % {"name": blackouts[i]})
            if day in approved:
                css.append("golive")
                marks = "★"
                parts.append(t_approved % {"name": approved[day]})
            if day in recommended:
                css.append("rec")
                parts.append(t_recommended % {"rank": recommended[day]})
            if day == today:
                css.append("today")
                parts.append(t_today)
            if day == focus:
                css.append("focus")
            cells.append(
                {
                    "iso": day.isoformat(),
                    "dom": dom,
                    "css": " ".join(css),
                    "label": " — ".join(parts),
                    "state": state,
                    "marks": marks,
                    "weekday": day.weekday(),
                }
            )
        rows.append(
            MonthRow(first=month_first, label=_month_label(month_first), cells=cells)
        )
        month_first = _add_months(month_first, 1)

    _bands(rows, calendar, plant, first, end)
    candidates = min(n_shown, (last_candidate - horizon.start).days + 1)
    return Heatmap(
        plant=plant,
        rollout=rollout,
        months=rows,
        today=horizon.start,
        first_candidate=horizon.start,
        last_candidate=last_candidate,
        focus=focus,
        feasible_days=int(scores.feasible[:candidates].sum()),
        candidate_days=candidates,
    )


def _bands(rows, calendar, plant, first, end) -> None:
    """Every calendar kind's spans (calendars.kinds: lane, style, label) as
    bands clipped to each month row; a milestone's freeze buffers apart from
    the milestone itself."""
    spans: list[tuple[str, str, datetime.date, datetime.date, str]] = []
    for interval in calendar.data.intervals:
        kind = BAND_KINDS.get(interval.kind)
        if kind is None or not kind.band_css:
            continue
        if interval.end < first or interval.start > end:
            continue
        hard = " hard" if interval.hard else ""
        css = kind.band_css + (f" s{int(interval.value)}" if kind.band_levels else "")
        label = kind.band_label % {"name": interval.name}
        if interval.core is None:
            spans.append(
                (kind.band_lane, css + hard, interval.start, interval.end, label)
            )
            continue
        core_start, core_end = interval.core
        buffer = _("Freeze buffer of %(name)s") % {"name": interval.name}
        day = datetime.timedelta(days=1)
        if interval.start < core_start:
            spans.append(
                (
                    kind.band_lane,
                    "buffer" + hard,
                    interval.start,
                    core_start - day,
                    buffer,
                )
            )
        spans.append((kind.band_lane, css + hard, core_start, core_end, label))
        if interval.end > core_end:
            spans.append(
                (kind.band_lane, "buffer" + hard, core_end + day, interval.end, buffer)
            )
    for row in rows:
        month_end = _add_months(row.first, 1) - datetime.timedelta(days=1)
        for lane, css, start, stop, label in spans:
            if stop < row.first or start > month_end:
                continue
            lo, hi = max(start, row.first), min(stop, month_end)
            row.bands.append(Band(lane, css, lo.day, hi.day, label))


def recommended_days(recs: RecommendationList) -> dict[datetime.date, int]:
    return {r.go_live: r.rank for r in recs.results}
