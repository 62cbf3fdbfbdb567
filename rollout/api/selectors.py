"""Reads the API composes from calendars.selectors, rollout.selectors and the
scoring engine: the calendar as days, the recommendations' freshness stamp and
a rollout's go-live gate."""

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from calendars.models import Plant
from calendars.selectors import plant_calendar_data
from rollout import permissions as rules
from rollout import scoring
from rollout.calendar_arrays import PlantCalendar, calendar_arrays, plant_horizon
from rollout.models import RecommendationSet, Rollout

_NAMED_KINDS = {"season": "seasons", "milestone": "milestones", "blackout": "blackouts"}


def plant_rollout(*, plant: Plant, rollout_id: int) -> Rollout | None:
    """The rollout if it runs at the plant, else None."""
    return (
        Rollout.objects.filter(pk=rollout_id, plants=plant)
        .select_related("profile")
        .first()
    )


def calendar_days(
    *, plant: Plant, start: datetime.date, end: datetime.date
) -> list[dict]:
    """One dict per plant-local day in [start, end]: the columns of
    calendars.selectors.plant_calendar, with seasons, milestones and blackouts
    as lists of names (from the calendar's intervals, so a name containing a
    comma stays whole)."""
    data = plant_calendar_data(plant=plant, start=start, end=end)
    frame = data.frame
    n = len(frame)
    names: dict[str, list[list[str]]] = {
        column: [[] for _ in range(n)] for column in _NAMED_KINDS.values()
    }
    for interval in data.intervals:
        column = _NAMED_KINDS.get(interval.kind)
        if column is None:
            continue
        lo = max((interval.start - start).days, 0)
        hi = min((interval.end - start).days, n - 1)
        for day_names in names[column][lo : hi + 1]:
            if interval.name not in day_names:
                day_names.append(interval.name)
    dates = frame.index.date
    columns = {
        name: frame[name].tolist()
        for name in (
            "is_working",
            "reason",
            "provisional",
            "absence",
            "utilisation",
            "peak_severity",
            "milestone_pressure",
            "forbidden",
            "forbidden_reason",
        )
    }
    return [
        {
            "date": dates[i],
            **{name: values[i] for name, values in columns.items()},
            **{column: lists[i] for column, lists in names.items()},
        }
        for i in range(n)
    ]


# --- recommendations ------------------------------------------------------


def plant_with_recommendation_stamp(
    *, user, code: str, rollout_id: int
) -> Plant | None:
    """The plant with this code if the user sees it, annotated with what its
    stored recommendations for the rollout depend on: rollout_revision (None
    if the rollout does not run there) and the stored set's
    set_calendar_revision, set_rollout_revision and set_built_at (None if
    nothing is built).

    One SQL statement: it runs before every answer of the recommendations
    endpoint, 304s included, so it is written out rather than composed by the
    ORM (whose compilation of the equivalent subqueries cost more than the
    database took to run them).
    """
    plant_table = Plant._meta.db_table
    through = Rollout.plants.through._meta
    members = Plant.members.through._meta
    sql = (
        f'SELECT p.*, r."revision" AS rollout_revision, '
        f's."calendar_revision" AS set_calendar_revision, '
        f's."rollout_revision" AS set_rollout_revision, '
        f's."built_at" AS set_built_at '
        f'FROM "{plant_table}" p '
        f'LEFT JOIN "{through.db_table}" rp ON rp."{_column(through, "plant")}" = '
        f'p."id" AND rp."{_column(through, "rollout")}" = %s '
        f'LEFT JOIN "{Rollout._meta.db_table}" r ON r."id" = '
        f'rp."{_column(through, "rollout")}" '
        f'LEFT JOIN "{RecommendationSet._meta.db_table}" s ON '
        f's."plant_id" = p."id" AND s."rollout_id" = r."id" '
        f'WHERE p."code" = %s'
    )
    params: list = [rollout_id, code]
    if not rules.sees_all_plants(user):
        if not user.is_authenticated:
            return None
        sql += (
            f' AND EXISTS (SELECT 1 FROM "{members.db_table}" m WHERE '
            f'm."{_column(members, "plant")}" = p."id" AND '
            f'm."{_column(members, "user")}" = %s)'
        )
        params.append(user.pk)
    return next(iter(Plant.objects.raw(sql, params)), None)


def _column(meta, field: str) -> str:
    return meta.get_field(field).column


def recommendation_etag(*, plant: Plant, rollout_id: int, limit: int) -> str:
    """Changes whenever the response could: the plant's calendar revision, the
    rollout (id, revision), the stored build (built from which revisions,
    when) and the plant's date (up_to_date turns false when the horizon moves
    on), and the limit."""
    built = hashlib.blake2b(
        f"{plant.set_built_at}|{plant.local_today()}|{limit}".encode(), digest_size=6
    ).hexdigest()
    return (
        f'"c{plant.calendar_revision}-r{rollout_id}.{plant.rollout_revision}'
        f'-b{plant.set_calendar_revision}.{plant.set_rollout_revision}-{built}"'
    )


# --- the go-live gate -----------------------------------------------------


@dataclass(frozen=True)
class WindowState:
    plant: str
    rollout: int
    today: datetime.date
    allowed_today: bool
    reasons: list[str]
    reason_codes: list[str]
    blocking: list[dict]
    next_open: datetime.date | None
    next_close: datetime.date | None
    horizon_end: datetime.date
    calendar_revision: int


def _lookback_days(rollout: Rollout) -> int:
    # Training counts working days before the cutover: two calendar days per
    # working day cover weekends, and 60 more cover holidays and closures.
    return rollout.cutover_days + 2 * rollout.training_days + 60


def window_state(
    *, plant: Plant, rollout: Rollout, today: datetime.date | None = None
) -> WindowState:
    """Whether the rollout may go live at the plant today, and when that changes.

    Rule: a go-live is allowed on day D when D, as go-live day, is feasible for
    the rollout in the scoring engine: D within the rollout's earliest/latest
    go-live, all phases fit, and no hard season, milestone or blackout touches
    the cutover or hypercare. The calendar is scored from far enough before
    today that today's training phase fits. next_open is the first allowed day
    from today (today itself when allowed), next_close the first day after it
    that is not, both within the planning horizon.
    """
    today = today or plant.local_today()
    lookback = _lookback_days(rollout)
    horizon = plant_horizon(
        plant=plant,
        today=today - datetime.timedelta(days=lookback),
        days=lookback + settings.OFFPEAK_HORIZON_DAYS,
    )
    data = plant_calendar_data(plant=plant, start=horizon.start, end=horizon.end)
    calendar = PlantCalendar(
        plant=plant,
        horizon=horizon,
        data=data,
        arrays=calendar_arrays(data=data, start=horizon.start),
    )
    spec = rollout.spec()
    if spec.latest is None or spec.latest > horizon.last_candidate:
        spec = dataclasses.replace(spec, latest=horizon.last_candidate)
    scores = scoring.score_horizon(calendar.arrays, spec)
    t = calendar.index(today)
    last = calendar.index(horizon.last_candidate)
    ahead = np.asarray(scores.feasible[t : last + 1], dtype=bool)
    allowed = bool(ahead[0])
    next_open = next_close = None
    if ahead.any():
        first_open = int(np.argmax(ahead))
        next_open = calendar.date(t + first_open)
        closed_after = ~ahead[first_open:]
        if closed_after.any():
            next_close = calendar.date(t + first_open + int(np.argmax(closed_after)))
    flags = int(scores.reasons[t])
    return WindowState(
        plant=plant.code,
        rollout=rollout.id,
        today=today,
        allowed_today=allowed,
        reasons=scoring.reason_labels(flags),
        reason_codes=scoring.reason_codes(flags),
        blocking=[
            c.as_dict()
            for c in scoring.conflicts(calendar.arrays, spec, t)
            if c.blocking
        ],
        next_open=next_open,
        next_close=next_close,
        horizon_end=horizon.last_candidate,
        calendar_revision=plant.calendar_revision,
    )
