"""The scoring engine's inputs: a plant's calendar, a rollout, its weights, and
the reasons a go-live day can be infeasible. The rules are in the package
docstring (rollout/scoring/__init__.py)."""

from __future__ import annotations

import datetime
import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

FACTORS = ("load", "peak", "milestone", "blackout", "absence")
PHASES = ("training", "cutover", "hypercare")
# Which days a rollout may go live on (RolloutSpec.go_live_on). The last three
# read CalendarArrays.alignments: the first working day of each fiscal
# period, quarter or year.
ALIGNMENTS = ("any_day", "working_day", "period_start", "quarter_start", "year_start")
CALENDAR_ALIGNMENTS = ALIGNMENTS[2:]
WEEKDAYS = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
_ABSENCE = FACTORS.index("absence")
_TRAINING, _CUTOVER, _HYPERCARE = range(3)


@dataclass(frozen=True)
class Cause:
    """A named interval [start, end] (day indices, inclusive) that adds `value`
    per day to one factor; `hard` forbids cutover and hypercare on its days.
    Indices outside the horizon are clipped when scoring."""

    kind: str
    name: str
    factor: str
    start: int
    end: int
    value: float
    hard: bool = False

    def __post_init__(self) -> None:
        if self.factor not in FACTORS[1:]:
            raise ValueError(
                f"Cause {self.name!r}: factor must be one of {FACTORS[1:]}, "
                f"not {self.factor!r}"
            )
        if self.end < self.start:
            raise ValueError(
                f"Cause {self.name!r}: end ({self.end}) is before start ({self.start})"
            )
        if not (math.isfinite(self.value) and self.value >= 0):
            raise ValueError(
                f"Cause {self.name!r}: value must be a finite number >= 0, "
                f"not {self.value!r}"
            )


@dataclass(frozen=True, eq=False)
class CalendarArrays:
    """One plant's horizon as day-indexed arrays; index 0 is `start`.

    The arrays are coerced to bool/float64 and must not be mutated afterwards
    (the engine keeps sums derived from them). Equality is identity.
    """

    start: datetime.date
    is_working: np.ndarray
    load: np.ndarray
    absence: np.ndarray
    causes: tuple[Cause, ...]
    load_name: str = "production load"
    # Go-live alignments (CALENDAR_ALIGNMENTS): name -> bool (n,), True on the
    # days a rollout with that `go_live_on` may go live.
    alignments: Mapping[str, np.ndarray] = field(default_factory=dict)
    # Columns: factor index, start, end + 1, value, hard. Converted once here
    # so that batch scoring never walks Cause objects.
    _cause_table: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        arrays = {
            "is_working": np.asarray(self.is_working, dtype=bool),
            "load": np.asarray(self.load, dtype=np.float64),
            "absence": np.asarray(self.absence, dtype=np.float64),
        }
        n = len(arrays["is_working"])
        for name, array in arrays.items():
            if array.shape != (n,):
                raise ValueError(f"{name}: expected shape ({n},), got {array.shape}")
            if name != "is_working" and not (np.isfinite(array) & (array >= 0)).all():
                raise ValueError(f"{name}: values must be finite and >= 0")
            object.__setattr__(self, name, array)
        object.__setattr__(self, "causes", tuple(self.causes))
        alignments = {}
        for name, mask in self.alignments.items():
            if name not in CALENDAR_ALIGNMENTS:
                raise ValueError(
                    f"alignments: unknown alignment {name!r}, not one of "
                    f"{CALENDAR_ALIGNMENTS}"
                )
            mask = np.asarray(mask, dtype=bool)
            if mask.shape != (n,):
                raise ValueError(
                    f"alignments[{name!r}]: expected shape ({n},), got {mask.shape}"
                )
            alignments[name] = mask
        object.__setattr__(self, "alignments", alignments)
        table = np.array(
            [
                (FACTORS.index(c.factor), c.start, c.end + 1, c.value, c.hard)
                for c in self.causes
            ],
            dtype=np.float64,
        ).reshape(-1, 5)
        object.__setattr__(self, "_cause_table", table)

    @property
    def n(self) -> int:
        return len(self.is_working)

    def date(self, i: int) -> datetime.date:
        return self.start + datetime.timedelta(days=int(i))


@dataclass(frozen=True, eq=False)
class Profile:
    """How much each phase minds each factor: weights[phase][factor] >= 0.

    Missing phases or factors weigh 0; unknown names raise ValueError. `weights`
    is stored as a full copy (plain dicts, JSON-friendly); `matrix` is the same
    as a read-only (3, 5) array in PHASES x FACTORS order, the one scoring uses.
    """

    weights: Mapping[str, Mapping[str, float]]
    matrix: np.ndarray = field(init=False, repr=False)

    def __post_init__(self) -> None:
        matrix = np.zeros((len(PHASES), len(FACTORS)))
        for phase, row in self.weights.items():
            if phase not in PHASES:
                raise ValueError(f"weights: unknown phase {phase!r}")
            for factor, weight in row.items():
                if factor not in FACTORS:
                    raise ValueError(f"weights[{phase!r}]: unknown factor {factor!r}")
                value = float(weight)
                if not (math.isfinite(value) and value >= 0):
                    raise ValueError(
                        f"weights[{phase!r}][{factor!r}] must be a finite "
                        f"number >= 0, not {weight!r}"
                    )
                matrix[PHASES.index(phase), FACTORS.index(factor)] = value
        matrix.flags.writeable = False
        weights = {
            p: dict(zip(FACTORS, map(float, row), strict=True))
            for p, row in zip(PHASES, matrix, strict=True)
        }
        object.__setattr__(self, "weights", weights)
        object.__setattr__(self, "matrix", matrix)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return bool((self.matrix == other.matrix).all())

    def __hash__(self) -> int:
        return hash(self.matrix.tobytes())


# Cutover minds load most (it competes with production for people and systems);
# hypercare minds peaks and milestones (a fragile new system meets the busiest
# days); training needs staff present. Absence is free at cutover (nobody works).
DEFAULT_PROFILE = Profile(
    {
        "training": {
            "load": 0.5, "peak": 2, "milestone": 1, "blackout": 0.5, "absence": 1,
        },
        "cutover": {"load": 3, "peak": 1, "milestone": 2, "blackout": 2, "absence": 0},
        "hypercare": {
            "load": 1, "peak": 3, "milestone": 3, "blackout": 1.5, "absence": 2,
        },
    }
)  # fmt: skip


@dataclass(frozen=True)
class RolloutSpec:
    """Phase lengths (see the module docstring) and the allowed go-live dates
    (inclusive bounds on G itself; None = unbounded)."""

    training_days: int
    cutover_days: int
    hypercare_days: int
    earliest: datetime.date | None = None
    latest: datetime.date | None = None
    profile: Profile = DEFAULT_PROFILE
    # G must be such a day (ALIGNMENTS) and, when set, this weekday (Monday 0).
    go_live_on: str = "any_day"
    go_live_weekday: int | None = None

    def __post_init__(self) -> None:
        for name in ("training_days", "cutover_days", "hypercare_days"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | np.integer):
                raise ValueError(f"{name} must be an integer, not {value!r}")
            if value < 0:
                raise ValueError(f"{name} must be >= 0, not {value}")
        for name in ("earliest", "latest"):
            value = getattr(self, name)
            # A datetime is a date too, but comparing it with dates fails later.
            if value is not None and type(value) is not datetime.date:
                raise ValueError(f"{name} must be a datetime.date, not {value!r}")
        if self.go_live_on not in ALIGNMENTS:
            raise ValueError(
                f"go_live_on must be one of {ALIGNMENTS}, not {self.go_live_on!r}"
            )
        day = self.go_live_weekday
        if day is not None and (
            isinstance(day, bool)
            or not isinstance(day, int | np.integer)
            or not 0 <= day <= 6
        ):
            raise ValueError(f"go_live_weekday must be 0-6 or None, not {day!r}")

    @property
    def aligned(self) -> bool:
        """Whether the rollout restricts its go-live days at all."""
        return self.go_live_on != "any_day" or self.go_live_weekday is not None

    @property
    def phase_lengths(self) -> tuple[int, int, int]:
        """(training_days, cutover_days, hypercare_days), in PHASES order."""
        return (self.training_days, self.cutover_days, self.hypercare_days)

    @property
    def ceiling(self) -> float:
        """Cost if every factor were 1.0 on every counted day, each phase spanning
        exactly its length: the quietness scale, one number per rollout."""
        return float(np.dot(self.phase_lengths, self.profile.matrix.sum(axis=1)))


class Reason(enum.IntFlag):
    """Why a go-live day is infeasible; 0 means feasible."""

    BEFORE_EARLIEST = 1
    AFTER_LATEST = 2
    PHASE_OUTSIDE_HORIZON = 4  # not enough working days before/after in horizon
    HARD_CONFLICT_CUTOVER = 8
    HARD_CONFLICT_HYPERCARE = 16  # hypercare's calendar span touches a hard day
    MISALIGNED = 32  # not a day of the rollout's go_live_on
    WRONG_WEEKDAY = 64  # not the rollout's go_live_weekday


_REASON_TEXT = {
    Reason.BEFORE_EARLIEST: "go-live is before the earliest allowed date",
    Reason.AFTER_LATEST: "go-live is after the latest allowed date",
    Reason.PHASE_OUTSIDE_HORIZON: "the phases do not fit in the planning horizon",
    Reason.HARD_CONFLICT_CUTOVER: "cutover falls on a day a hard milestone or "
    "blackout forbids",
    Reason.HARD_CONFLICT_HYPERCARE: "hypercare falls on a day a hard milestone or "
    "blackout forbids",
    Reason.MISALIGNED: "not a day the rollout may go live on",
    Reason.WRONG_WEEKDAY: "not the weekday the rollout goes live on",
}
ALIGNMENT_TEXT = {
    "working_day": "not a working day",
    "period_start": "not the first working day of a fiscal period",
    "quarter_start": "not the first working day of a fiscal quarter",
    "year_start": "not the first working day of a fiscal year",
}


def reason_labels(flags: int, spec: RolloutSpec | None = None) -> list[str]:
    """Readable English sentences for a candidate's reason flags ([] = feasible).
    With the rollout's spec, a misaligned day says which alignment it misses
    ("not the first working day of a fiscal period", "not a Monday")."""
    labels = []
    for reason, text in _REASON_TEXT.items():
        if not int(flags) & reason:
            continue
        if spec is not None and reason == Reason.MISALIGNED:
            text = ALIGNMENT_TEXT.get(spec.go_live_on, text)
        if (
            spec is not None
            and reason == Reason.WRONG_WEEKDAY
            and spec.go_live_weekday is not None
        ):
            text = f"not a {WEEKDAYS[spec.go_live_weekday]}"
        labels.append(text)
    return labels


def reason_codes(flags: int) -> list[str]:
    """Machine-readable names of the flags, e.g. ["HARD_CONFLICT_CUTOVER"]."""
    return [str(reason.name) for reason in Reason if int(flags) & reason]
