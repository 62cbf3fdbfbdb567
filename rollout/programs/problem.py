"""The inputs of program planning, and each plant's candidate days.

Days are integer indices relative to one `Program.start` date (day 0); every
day span in here is inclusive at both ends. `day_index`, `day_date` and
`day_indices` convert between dates and indices.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np

#: Costs are scaled by this and rounded to integers for CP-SAT.
COST_SCALE = 1000

BusyFrom = Literal["training", "cutover"]
Status = Literal["optimal", "feasible", "infeasible", "unknown"]


def day_index(*, start: datetime.date, day: datetime.date) -> int:
    """The index of `day` counted from `start` (day 0)."""
    return (day - start).days


def day_date(*, start: datetime.date, index: int) -> datetime.date:
    """The date of day `index` counted from `start` (day 0)."""
    return start + datetime.timedelta(days=int(index))


def day_indices(*, start: datetime.date, days: Iterable[datetime.date]) -> np.ndarray:
    """The indices of `days` counted from `start`, as an int64 array."""
    return np.array([(day - start).days for day in days], dtype=np.int64)


def _frozen_array(values: Any, dtype: Any) -> np.ndarray:
    # A private read-only copy: the dataclass is frozen, its arrays should be too.
    array = np.array(values, dtype=dtype, copy=True).reshape(-1)
    array.setflags(write=False)
    return array


@dataclasses.dataclass(frozen=True)
class Pin:
    """An approved go-live day: given, not chosen.

    The window fields default to the plant's arrays at `go_live`; they must be
    given when that day is not among the plant's days. `cost` defaults to the
    arrays' cost of that day when finite, else 0.0: a pinned plant's cost is a
    constant, reported but not optimised.
    """

    go_live: int
    window_start: int | None = None
    window_end: int | None = None
    cutover_start: int | None = None
    cost: float | None = None


@dataclasses.dataclass(frozen=True, eq=False)
class PlantOption:
    """One plant's scored candidate go-live days, as the scoring engine gives them.

    All arrays have one entry per day in `days` (distinct day indices). A day
    is a candidate when it is `feasible` with a finite `cost` and lies within
    [`earliest`, `latest`] (each optional, inclusive). `pinned` fixes the
    go-live day, even to a day that is not a candidate; the limits still apply
    to it, so a pin outside them is reported as a conflict.
    """

    plant: str
    days: np.ndarray
    cost: np.ndarray
    feasible: np.ndarray
    window_start: np.ndarray
    window_end: np.ndarray
    cutover_start: np.ndarray
    earliest: int | None = None
    latest: int | None = None
    pinned: Pin | None = None

    def __post_init__(self) -> None:
        arrays = {
            "days": np.int64,
            "cost": np.float64,
            "feasible": np.bool_,
            "window_start": np.int64,
            "window_end": np.int64,
            "cutover_start": np.int64,
        }
        for name, dtype in arrays.items():
            object.__setattr__(self, name, _frozen_array(getattr(self, name), dtype))
        size = self.days.size
        for name in arrays:
            if getattr(self, name).size != size:
                raise ValueError(f"{self.plant}: {name} has not {size} entries")
        if np.unique(self.days).size != size:
            raise ValueError(f"{self.plant}: days are not distinct")
        if np.any(self.window_start > self.window_end) or np.any(
            (self.cutover_start < self.window_start)
            | (self.cutover_start > self.window_end)
        ):
            raise ValueError(
                f"{self.plant}: windows need window_start <= cutover_start "
                "<= window_end"
            )
        if (
            self.earliest is not None
            and self.latest is not None
            and self.earliest > self.latest
        ):
            raise ValueError(f"{self.plant}: earliest is after latest")
        if self.pinned is not None:
            self.pinned_candidate()  # raises when the pin's window is unknown

    def within_limits(self, days: np.ndarray) -> np.ndarray:
        """Which of `days` lie within this plant's earliest/latest limits."""
        inside = np.ones(np.shape(days), dtype=bool)
        if self.earliest is not None:
            inside &= days >= self.earliest
        if self.latest is not None:
            inside &= days <= self.latest
        return inside

    def feasible_mask(self) -> np.ndarray:
        """Feasible days with a finite cost, ignoring the limits."""
        return self.feasible & np.isfinite(self.cost)

    def best_cost(self) -> float | None:
        """The cheapest candidate cost within the limits; None when there is none."""
        mask = self.feasible_mask() & self.within_limits(self.days)
        return float(self.cost[mask].min()) if mask.any() else None

    def pinned_candidate(self) -> tuple[int, int, int, int, float]:
        """(go_live, window_start, window_end, cutover_start, cost) of the pin."""
        pin = self.pinned
        if pin is None:
            raise ValueError(f"{self.plant} is not pinned")
        where = np.flatnonzero(self.days == pin.go_live)
        found = int(where[0]) if where.size else None

        def field(value: int | None, array: np.ndarray, name: str) -> int:
            if value is not None:
                return int(value)
            if found is None:
                raise ValueError(
                    f"{self.plant}: pinned day {pin.go_live} is not among its "
                    f"days, so the pin needs its {name}"
                )
            return int(array[found])

        start = field(pin.window_start, self.window_start, "window_start")
        end = field(pin.window_end, self.window_end, "window_end")
        cutover = field(pin.cutover_start, self.cutover_start, "cutover_start")
        if not start <= cutover <= end:
            raise ValueError(
                f"{self.plant}: the pin needs window_start <= cutover_start "
                "<= window_end"
            )
        if pin.cost is not None:
            cost = float(pin.cost)
        elif found is not None and math.isfinite(self.cost[found]):
            cost = float(self.cost[found])
        else:
            cost = 0.0
        return int(pin.go_live), start, end, cutover, cost


@dataclasses.dataclass(frozen=True)
class Team:
    """An implementation team.

    `capacity` is how many plants it can carry at once (>= 1). It may serve
    the plants in `plants`, or every plant when `plants` is None or empty.
    During each `unavailable` span (start_day, end_day), inclusive, it carries
    nothing: no busy day of a plant it serves may fall in one.
    """

    name: str
    capacity: int = 1
    plants: frozenset[str] | None = None
    unavailable: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise ValueError(f"team {self.name}: capacity must be >= 1")
        plants = frozenset(self.plants) if self.plants else None
        object.__setattr__(self, "plants", plants)
        spans = tuple((int(a), int(b)) for a, b in self.unavailable)
        if any(a > b for a, b in spans):
            raise ValueError(f"team {self.name}: an unavailable span ends early")
        object.__setattr__(self, "unavailable", spans)

    def serves(self, plant: str) -> bool:
        """Whether this team may serve `plant`."""
        return self.plants is None or plant in self.plants


@dataclasses.dataclass(frozen=True)
class Precedence:
    """`after` goes live at least `min_gap_days` after `before`.

    The rule is go_live(after) >= go_live(before) + min_gap_days, so with a
    gap of 0 both may go live on the same day but `after` never earlier.
    """

    before: str
    after: str
    min_gap_days: int = 0

    def __post_init__(self) -> None:
        if self.min_gap_days < 0:
            raise ValueError("min_gap_days must be >= 0")
        if self.before == self.after:
            raise ValueError(f"{self.before} cannot precede itself")


@dataclasses.dataclass(frozen=True, eq=False)
class Program:
    """A rollout program: the plants, teams and rules to plan together.

    Every plant goes live exactly once and is carried by exactly one team that
    may serve it. A team is busy with a plant from the window start
    (`busy_from="training"`) or the cutover start (`"cutover"`) to the window
    end, inclusive, and carries at most `capacity` plants on any day.
    `team_min_gap_days` > 0 keeps two go-lives carried by the same team at
    least that many days apart (|g1 - g2| >= gap, so never on one day).
    """

    start: datetime.date
    plants: tuple[PlantOption, ...]
    teams: tuple[Team, ...]
    precedences: tuple[Precedence, ...] = ()
    busy_from: BusyFrom = "training"
    team_min_gap_days: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "plants", tuple(self.plants))
        object.__setattr__(self, "teams", tuple(self.teams))
        object.__setattr__(self, "precedences", tuple(self.precedences))
        codes = [option.plant for option in self.plants]
        if len(set(codes)) != len(codes):
            raise ValueError("plant codes are not distinct")
        if len({team.name for team in self.teams}) != len(self.teams):
            raise ValueError("team names are not distinct")
        known = set(codes)
        for team in self.teams:
            unknown = (team.plants or frozenset()) - known
            if unknown:
                raise ValueError(f"team {team.name} names unknown {sorted(unknown)}")
        for rule in self.precedences:
            if rule.before not in known or rule.after not in known:
                raise ValueError(f"precedence {rule} names an unknown plant")
        if self.busy_from not in ("training", "cutover"):
            raise ValueError("busy_from is 'training' or 'cutover'")
        if self.team_min_gap_days < 0:
            raise ValueError("team_min_gap_days must be >= 0")

    def teams_for(self, plant: str) -> list[Team]:
        """The teams that may serve `plant`, in program order."""
        return [team for team in self.teams if team.serves(plant)]

    def date(self, index: int) -> datetime.date:
        """The date of day `index`."""
        return day_date(start=self.start, index=index)


@dataclasses.dataclass(frozen=True, eq=False)
class Candidates:
    """One plant's candidate go-lives as parallel arrays (internal to planning).

    `busy_end` is inclusive. `pin` marks the pinned day's entry, when present.
    """

    days: np.ndarray
    cost: np.ndarray
    window_start: np.ndarray
    window_end: np.ndarray
    cutover_start: np.ndarray
    busy_start: np.ndarray
    busy_end: np.ndarray
    pin: np.ndarray

    @property
    def size(self) -> int:
        return int(self.days.size)

    def scaled_prices(self, scale: int) -> np.ndarray:
        """(cost - cheapest cost) * scale, rounded: the solver's integer prices."""
        return np.rint((self.cost - self.cost.min()) * scale).astype(np.int64)

    def cheaper_than(self, max_price: int, scale: int) -> Candidates:
        """The candidates whose scaled price is at most `max_price`."""
        keep = self.scaled_prices(scale) <= max_price
        return dataclasses.replace(
            self,
            **{
                field.name: getattr(self, field.name)[keep]
                for field in dataclasses.fields(self)
            },
        )


def candidates(
    option: PlantOption, *, busy_from: BusyFrom, for_explaining: bool = False
) -> Candidates:
    """The days a plant may go live on.

    For planning: the pinned day alone when pinned (empty when outside the
    limits), else the feasible finite-cost days within the limits. For
    explaining, limits and pins become constraints that may be relaxed, so
    every feasible finite-cost day is kept and the pinned day is appended.
    """
    if option.pinned is not None and not for_explaining:
        day, start, end, cutover, cost = option.pinned_candidate()
        keep = bool(option.within_limits(np.array([day]))[0])
        rows = [(day, cost, start, end, cutover, True)] if keep else []
        return _from_rows(rows, busy_from)
    mask = option.feasible_mask()
    if not for_explaining:
        mask &= option.within_limits(option.days)
    order = np.flatnonzero(mask)
    order = order[np.argsort(option.days[order], kind="stable")]
    columns = (
        option.days[order],
        option.cost[order],
        option.window_start[order],
        option.window_end[order],
        option.cutover_start[order],
        np.zeros(order.size, dtype=bool),
    )
    if option.pinned is not None:
        day, start, end, cutover, cost = option.pinned_candidate()
        extra = (day, cost, start, end, cutover, True)
        columns = tuple(
            np.append(column, value)
            for column, value in zip(columns, extra, strict=True)
        )
    return _from_columns(columns, busy_from)


def _from_rows(rows: Sequence[tuple[Any, ...]], busy_from: BusyFrom) -> Candidates:
    columns = tuple(np.array(column) for column in zip(*rows, strict=True))
    if not rows:
        columns = tuple(np.zeros(0) for _ in range(6))
    return _from_columns(columns, busy_from)


def _from_columns(columns: tuple[Any, ...], busy_from: BusyFrom) -> Candidates:
    days, cost, start, end, cutover, pin = columns
    start = np.asarray(start, dtype=np.int64)
    cutover = np.asarray(cutover, dtype=np.int64)
    return Candidates(
        days=np.asarray(days, dtype=np.int64),
        cost=np.asarray(cost, dtype=np.float64),
        window_start=start,
        window_end=np.asarray(end, dtype=np.int64),
        cutover_start=cutover,
        busy_start=start if busy_from == "training" else cutover,
        busy_end=np.asarray(end, dtype=np.int64),
        pin=np.asarray(pin, dtype=bool),
    )
