"""From the database to the program planner's inputs, and back to dates.

Each plant's candidate go-live days come from the scoring engine exactly as
the recommendation rebuild scores them (`plant_calendar_load`, the rollout's
spec capped to the horizon, `scoring.score_horizon`); approved and later
go-lives come from the proposal workflow through `hooks.program_pins`.
Day indices count from one program start: the earliest of the plants' todays
(plants in other time zones may be a day apart).
"""

import dataclasses
import datetime

import numpy as np
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from calendars.dates import date_range_check
from calendars.models import Plant
from rollout import programs, scoring
from rollout.calendar_arrays import PlantCalendar, plant_calendar_load
from rollout.hooks import hooks
from rollout.models import Rollout
from rollout.models_programs import Program

CUTOVER = scoring.PHASES.index("cutover")
# A plant's daily scores are served for this many days at most per request.
MAX_SCORE_DAYS = 366
DEFAULT_SCORE_DAYS = 90


@dataclasses.dataclass(frozen=True)
class PlantScores:
    """One plant's whole horizon scored for one rollout."""

    plant: Plant
    calendar: PlantCalendar
    scores: scoring.Scores

    @property
    def candidates(self) -> int:
        """How many go-live days from the plant's today are candidates."""
        return self.calendar.index(self.calendar.horizon.last_candidate) + 1


def plant_scores_load(*, plant: Plant, rollout: Rollout) -> PlantScores:
    calendar = plant_calendar_load(plant=plant)
    scores = scoring.score_horizon(calendar.arrays, calendar.spec_for(rollout))
    return PlantScores(plant=plant, calendar=calendar, scores=scores)


def plant_score_rows(
    *,
    plant: Plant,
    rollout: Rollout,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict]:
    """One row per go-live day from `start` (default: the plant's today) to
    `end` (default: DEFAULT_SCORE_DAYS later, or the horizon's last day):
    date, score, cost, feasible, reasons, window_start, window_end.

    Both within the planning horizon and fewer than MAX_SCORE_DAYS apart,
    else ValidationError naming the field."""
    loaded = plant_scores_load(plant=plant, rollout=rollout)
    cal, scores = loaded.calendar, loaded.scores
    first_day, last_day = cal.horizon.start, cal.horizon.last_candidate
    start = start or first_day
    end = end or min(start + datetime.timedelta(days=DEFAULT_SCORE_DAYS), last_day)
    for name, day in (("start", start), ("end", end)):
        if not first_day <= day <= last_day:
            raise ValidationError(
                {
                    name: _(
                        "%(day)s is outside the planning horizon, %(first)s to "
                        "%(last)s."
                    )
                    % {
                        "day": day.isoformat(),
                        "first": first_day.isoformat(),
                        "last": last_day.isoformat(),
                    }
                }
            )
    date_range_check(start, end, max_days=MAX_SCORE_DAYS)
    rows = []
    first, last = cal.index(start), cal.index(end)
    for g in range(first, last + 1):
        cost = float(scores.cost[g])
        finite = np.isfinite(cost)
        window = int(scores.window_start[g]), int(scores.window_end[g])
        rows.append(
            {
                "date": cal.date(g),
                "score": round(float(scores.score[g]), 1) if finite else None,
                "cost": round(cost, 3) if finite else None,
                "feasible": bool(scores.feasible[g]),
                "reasons": scoring.reason_labels(int(scores.reasons[g])),
                "window_start": cal.date(window[0]) if window[0] >= 0 else None,
                "window_end": cal.date(window[1]) if window[1] >= 0 else None,
            }
        )
    return rows


@dataclasses.dataclass
class ProgramInputs:
    """A program as the planner takes it, with what turns its days back into
    dates, phases and scores."""

    program: Program
    problem: programs.Program
    loaded: dict[str, PlantScores]  # by plant code
    pins: dict[str, dict]  # by plant code: {"go_live", "phases", "proposal"}

    @property
    def start(self) -> datetime.date:
        return self.problem.start

    def offset(self, code: str) -> int:
        return (self.loaded[code].calendar.horizon.start - self.start).days

    def index(self, day: datetime.date) -> int:
        return (day - self.start).days

    def date(self, index: int) -> datetime.date:
        return self.start + datetime.timedelta(days=int(index))

    def basis(self) -> dict:
        return {
            "program": self.program.revision,
            "rollout": self.program.rollout.revision,
            "plants": {
                code: loaded.plant.calendar_revision
                for code, loaded in self.loaded.items()
            },
        }

    def assignment_row(self, placed: programs.Assignment) -> dict:
        """An assignment as the API serves it (dates, phases, quietness)."""
        code = placed.plant
        loaded = self.loaded[code]
        g = placed.go_live - self.offset(code)
        in_horizon = 0 <= g < len(loaded.scores)
        pin = self.pins.get(code) if placed.pinned else None
        if pin and pin.get("phases"):
            phases = pin["phases"]
        elif in_horizon:
            phases = loaded.calendar.phase_dates(loaded.scores, g)
        else:
            phases = []
        score = None
        if in_horizon and np.isfinite(loaded.scores.cost[g]):
            score = round(float(loaded.scores.score[g]), 1)
        return {
            "plant": code,
            "team": placed.team,
            "go_live": placed.go_live_date.isoformat(),
            "window_start": self.date(placed.window_start).isoformat(),
            "window_end": self.date(placed.window_end).isoformat(),
            "cutover_start": self.date(placed.cutover_start).isoformat(),
            "phases": phases,
            "score": score,
            "cost": round(placed.cost, 3),
            "best_cost": None
            if placed.best_cost is None
            else round(placed.best_cost, 3),
            "pinned": placed.pinned,
            "proposal": pin.get("proposal") if pin else None,
        }


def _day_or_none(start: datetime.date, day: datetime.date | None) -> int | None:
    return None if day is None else programs.day_index(start=start, day=day)


def _pin(start: datetime.date, found: dict, days: np.ndarray) -> programs.Pin:
    go_live = programs.day_index(start=start, day=found["go_live"])
    phases = found.get("phases") or []
    spans = [
        (
            datetime.date.fromisoformat(p["start"]),
            datetime.date.fromisoformat(p["end"]),
            p["name"],
        )
        for p in phases
    ]
    if spans:
        first = min(s for s, _, _ in spans)
        last = max(max(e for _, e, _ in spans), found["go_live"])
        first = min(first, found["go_live"])
        cutover = next((s for s, _, name in spans if name == "cutover"), None)
        cutover = cutover or found["go_live"]
        window_start = programs.day_index(start=start, day=first)
        window_end = programs.day_index(start=start, day=last)
        cutover_start = min(
            max(programs.day_index(start=start, day=cutover), window_start),
            window_end,
        )
        return programs.Pin(
            go_live=go_live,
            window_start=window_start,
            window_end=window_end,
            cutover_start=cutover_start,
        )
    if go_live in days:
        return programs.Pin(go_live=go_live)
    return programs.Pin(
        go_live=go_live, window_start=go_live, window_end=go_live, cutover_start=go_live
    )


def plant_option(
    *,
    loaded: PlantScores,
    start: datetime.date,
    rollout: Rollout,
    pin: dict | None = None,
) -> programs.PlantOption:
    """The plant's candidate days for the planner, in program days."""
    scores = loaded.scores
    n = loaded.candidates
    offset = (loaded.calendar.horizon.start - start).days
    g = np.arange(n)
    cost = np.asarray(scores.cost[:n], dtype=float)
    feasible = np.asarray(scores.feasible[:n], dtype=bool) & np.isfinite(cost)
    window_start = np.asarray(scores.window_start[:n], dtype=np.int64)
    window_end = np.asarray(scores.window_end[:n], dtype=np.int64)
    cutover = np.asarray(scores.phase_start[:n, CUTOVER], dtype=np.int64)
    unknown = (window_start < 0) | (window_end < 0)
    window_start = np.where(unknown, g, window_start)
    window_end = np.where(unknown, g, window_end)
    cutover = np.clip(np.where(cutover < 0, g, cutover), window_start, window_end)
    days = g + offset
    return programs.PlantOption(
        plant=loaded.plant.code,
        days=days,
        cost=cost,
        feasible=feasible,
        window_start=window_start + offset,
        window_end=window_end + offset,
        cutover_start=cutover + offset,
        earliest=_day_or_none(start, rollout.earliest_go_live),
        latest=_day_or_none(start, rollout.latest_go_live),
        pinned=None if pin is None else _pin(start, pin, days),
    )


@dataclasses.dataclass(frozen=True)
class Changes:
    """What a what-if changes before planning (nothing is saved)."""

    pins: dict[str, datetime.date] = dataclasses.field(default_factory=dict)
    unavailable: dict[str, list[tuple[datetime.date, datetime.date]]] = (
        dataclasses.field(default_factory=dict)
    )
    extra_plants: tuple[Plant, ...] = ()


def program_inputs(
    *, program: Program, changes: Changes | None = None
) -> ProgramInputs:
    """Everything the planner needs for `program`, with `changes` applied."""
    changes = changes or Changes()
    rollout = program.rollout
    plants = sorted(program.plants.all(), key=lambda p: p.code)
    known = {p.code for p in plants}
    plants += [p for p in changes.extra_plants if p.code not in known]
    loaded = {
        plant.code: plant_scores_load(plant=plant, rollout=rollout) for plant in plants
    }
    start = min(
        (ls.calendar.horizon.start for ls in loaded.values()),
        default=datetime.date.today(),
    )
    decided = hooks.pins(rollout=rollout, plants=plants)
    pins = {plant.code: decided[plant.pk] for plant in plants if plant.pk in decided}
    options = []
    for plant in plants:
        option = plant_option(
            loaded=loaded[plant.code],
            start=start,
            rollout=rollout,
            pin=pins.get(plant.code),
        )
        if plant.code in changes.pins:  # a what-if pin: the engine's window
            option = _with_pin(option, start, changes.pins[plant.code])
            pins[plant.code] = {"go_live": changes.pins[plant.code], "phases": []}
        options.append(option)
    teams = []
    for team in program.teams.all():
        served = frozenset(p.code for p in team.plants.all())
        spans = [*team.unavailable_spans(), *changes.unavailable.get(team.name, [])]
        teams.append(
            programs.Team(
                name=team.name,
                capacity=team.capacity,
                plants=served or None,
                unavailable=tuple(
                    (
                        programs.day_index(start=start, day=a),
                        programs.day_index(start=start, day=b),
                    )
                    for a, b in spans
                ),
            )
        )
    precedences = [
        programs.Precedence(
            before=rule.before.code,
            after=rule.after.code,
            min_gap_days=rule.min_gap_days,
        )
        for rule in program.precedences.select_related("before", "after")
    ]
    problem = programs.Program(
        start=start,
        plants=tuple(options),
        teams=tuple(teams),
        precedences=tuple(precedences),
        busy_from=program.busy_from,
        team_min_gap_days=program.min_gap_days,
    )
    return ProgramInputs(program=program, problem=problem, loaded=loaded, pins=pins)


def _with_pin(
    option: programs.PlantOption, start: datetime.date, day: datetime.date
) -> programs.PlantOption:
    fields = {f.name: getattr(option, f.name) for f in dataclasses.fields(option)}
    fields["pinned"] = _pin(start, {"go_live": day}, option.days)
    return programs.PlantOption(**fields)
