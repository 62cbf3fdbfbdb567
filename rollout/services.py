"""Writes and computations of go-live planning: rollouts, recommendation
rebuilds and the evaluation of one proposed date."""

import dataclasses
import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import permissions
from accounts.compiled import CompiledQuery
from calendars.models import Plant
from calendars.names import stored_names
from rollout import scoring
from rollout.calendar_arrays import PlantCalendar, plant_calendar_load
from rollout.hooks import hooks
from rollout.models import Recommendation, RecommendationSet, Rollout, ScoringProfile
from rollout.signals import rollouts_changed

logger = logging.getLogger(__name__)

DEFAULT_RECOMMENDATIONS = 10
_SCORED_FIELDS = (
    "training_days",
    "cutover_days",
    "hypercare_days",
    "earliest_go_live",
    "latest_go_live",
    "go_live_on",
    "go_live_weekday",
    "profile_id",
    "active",
)


# --- rollouts -------------------------------------------------------------


def _rebuild_after_commit(plant_ids: Iterable[int]) -> None:
    ids = tuple(sorted(set(plant_ids)))
    if ids:
        transaction.on_commit(
            lambda: rollouts_changed.send(sender=Rollout, plant_ids=ids), robust=True
        )


@transaction.atomic
def rollout_save(
    *, rollout: Rollout, plants: Iterable[Plant] | None = None, user=None
) -> Rollout:
    """Create or update a rollout. A change to anything that shapes its scores
    (phases, dates, profile, plants) moves its revision and rebuilds its plants'
    recommendations after commit.

    `user`: who asks (None: the system, e.g. the demo); they must be an IT lead
    at every plant the rollout runs at and is to run at
    (accounts.permissions.can_change_rollout), else PermissionDenied."""
    if plants is not None:
        plants = list(plants)
        if not plants:
            raise ValidationError(
                {"plants": _("A rollout runs at one plant at least.")}
            )
    if user is not None and not permissions.can_change_rollout(user, rollout, plants):
        raise PermissionDenied(
            _("Only an IT lead of every plant of a rollout may change it.")
        )
    if rollout.profile_id is None:
        rollout.profile = scoring_profile_default()
    rollout.full_clean()
    affected: set[int] = set()
    if rollout.pk:
        previous = Rollout.objects.select_for_update().get(pk=rollout.pk)
        affected |= set(previous.plants.values_list("id", flat=True))
        if any(getattr(previous, f) != getattr(rollout, f) for f in _SCORED_FIELDS):
            rollout.revision = previous.revision + 1
        else:
            rollout.revision = previous.revision
    rollout.save()
    if plants is not None:
        rollout.plants.set(plants)
    affected |= set(rollout.plants.values_list("id", flat=True))
    _rebuild_after_commit(affected)
    return rollout


def scoring_profile_default() -> ScoringProfile:
    profile, _ = ScoringProfile.objects.get_or_create(
        name="Default",
        defaults={"description": "Offpeak's default weights."},
    )
    return profile


@transaction.atomic
def scoring_profile_save(*, profile: ScoringProfile, user=None) -> ScoringProfile:
    """Save weights; every rollout using the profile becomes stale and rebuilds.
    `user` (None: the system) must be allowed to change every rollout using it
    (accounts.permissions.can_change_profile), else PermissionDenied."""
    if user is not None and not permissions.can_change_profile(user, profile):
        raise PermissionDenied(
            _(
                "Only an IT lead of every plant the profile's rollouts run at may "
                "change its weights."
            )
        )
    profile.full_clean()
    profile.save()
    rollouts = Rollout.objects.filter(profile=profile)
    rollouts.update(revision=F("revision") + 1)
    _rebuild_after_commit(
        Plant.objects.filter(rollouts__in=rollouts).values_list("id", flat=True)
    )
    return profile


# --- recommendations ------------------------------------------------------


@dataclass
class _Build:
    """One rollout's freshly scored windows, not yet stored."""

    rollout: Rollout
    # Each window's fields (_WINDOW_FIELDS but its set): plain values, not
    # model instances, which would cost more to make than to store.
    windows: list[dict]
    fields: dict


def _builds(
    *, plant: Plant, rollouts: list[Rollout], calendar: PlantCalendar, limit: int
) -> list[_Build]:
    """Score every rollout and pick its best windows, then explain the picked
    windows of all of them in one pass over the plant's causes."""
    scored = []
    for rollout in rollouts:
        spec = calendar.spec_for(rollout)
        scores = scoring.score_horizon(calendar.arrays, spec)
        scored.append((rollout, spec, scores, scoring.best_windows(scores, limit)))
    explained = scoring.explain_rollouts(
        calendar.arrays, [(spec, best) for _, spec, _, best in scored]
    )
    candidates = calendar.index(calendar.horizon.last_candidate) + 1
    builds = []
    for (rollout, _spec, scores, best), explanations in zip(
        scored, explained, strict=True
    ):
        windows = [
            {
                "rank": rank,
                "go_live": calendar.date(g),
                "phases": calendar.phase_dates(scores, g),
                "cost": float(scores.cost[g]),
                "score": float(scores.score[g]),
                "explanation": _explanation(contributions),
            }
            for rank, (g, contributions) in enumerate(
                zip(best, explanations, strict=True), start=1
            )
        ]
        builds.append(
            _Build(
                rollout=rollout,
                windows=windows,
                fields={
                    "calendar_revision": plant.calendar_revision,
                    "rollout_revision": rollout.revision,
                    "horizon_start": calendar.horizon.start,
                    "horizon_end": calendar.horizon.last_candidate,
                    "candidates": candidates,
                    "feasible_candidates": int(scores.feasible[:candidates].sum()),
                },
            )
        )
    return builds


def _explanation(contributions: list) -> list[dict]:
    """What Contribution.as_dict gives, without dataclasses.asdict's deep copy
    of every plain value (a sixth of a rebuild's CPU)."""
    if not contributions:
        return []
    names = [f.name for f in dataclasses.fields(contributions[0])]
    return [{name: getattr(c, name) for name in names} for c in contributions]


_SET_FIELDS = [
    "calendar_revision",
    "rollout_revision",
    "built_at",
    "horizon_start",
    "horizon_end",
    "candidates",
    "feasible_candidates",
]


@transaction.atomic(savepoint=False)  # no extra round trips inside a rebuild
def _builds_store(
    *, plant: Plant, builds: list[_Build], stored: dict[int, RecommendationSet]
) -> list[RecommendationSet]:
    """Replace the sets and windows of `builds` in a handful of statements,
    whatever the number of rollouts and windows: one update of the sets, one
    delete and one insert of the windows (plain SQL: the ORM's bulk_update
    and bulk_create cost more CPU to compile and bind than a whole score)."""
    built_at = timezone.now()
    sets, changed, new = [], [], []
    for build in builds:
        rec_set = stored.get(build.rollout.id)
        if rec_set is None:
            rec_set = RecommendationSet(plant=plant, rollout=build.rollout)
            new.append(rec_set)
        else:
            changed.append(rec_set)
        for name, value in build.fields.items():
            setattr(rec_set, name, value)
        rec_set.built_at = built_at
        sets.append(rec_set)
    if changed:
        _rows_update(RecommendationSet, _SET_FIELDS, changed)
        _windows_delete([s.pk for s in changed])
    if new:
        RecommendationSet.objects.bulk_create(new)
    windows = []
    for rec_set, build in zip(sets, builds, strict=True):
        for window in build.windows:
            window["recommendation_set"] = rec_set.pk
        windows.extend(build.windows)
    _rows_insert(Recommendation, _WINDOW_FIELDS, windows)
    return sets


_WINDOW_FIELDS = [
    "recommendation_set",
    "rank",
    "go_live",
    "phases",
    "cost",
    "score",
    "explanation",
]


def _db_values(fields: list, values: list, connection) -> list:
    """`values` of `fields` as the database takes them."""
    return [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values, strict=True)
    ]


def _rows_update(model, names: list[str], objs: list) -> None:
    """UPDATE each of `objs` (by pk) setting the fields `names`: one statement
    sent once with every row's values."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(n) for n in names]
    columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {quote(meta.db_table)} SET {columns} "
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    rows = [
        (
            *_db_values(fields, [getattr(obj, f.attname) for f in fields], connection),
            obj.pk,
        )
        for obj in objs
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _windows_delete(set_ids: list[int]) -> None:
    # Nothing refers to a window, so no cascade to collect: one DELETE.
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    meta = Recommendation._meta
    column = meta.get_field("recommendation_set").column
    marks = ", ".join(["%s"] * len(set_ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(meta.db_table)} WHERE {quote(column)} IN ({marks})",
            set_ids,
        )


def _rows_insert(model, names: list[str], rows: list[dict]) -> None:
    """INSERT `rows` (each the fields `names`, a relation by its id; new rows,
    their pks left unread): one single-row statement sent once with every
    row's values (a statement of many rows would be parsed anew by the
    driver each time: too many parameters for its cache)."""
    if not rows:
        return
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    meta = model._meta
    fields = [meta.get_field(n) for n in names]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})",
            [
                _db_values(fields, [row[f.name] for f in fields], connection)
                for row in rows
            ],
        )


def recommendation_set_rebuild(
    *,
    plant: Plant,
    rollout: Rollout,
    calendar: PlantCalendar | None = None,
    limit: int = DEFAULT_RECOMMENDATIONS,
) -> RecommendationSet:
    """Score the horizon and store the best `limit` non-overlapping feasible
    windows, replacing the previous set atomically, stamped with the calendar
    revision they were built from (the one on `plant` as passed in)."""
    if calendar is None:
        with stored_names():
            calendar = plant_calendar_load(plant=plant)
    [build] = _builds(plant=plant, rollouts=[rollout], calendar=calendar, limit=limit)
    with transaction.atomic():
        stored = {
            s.rollout_id: s
            for s in RecommendationSet.objects.select_for_update().filter(
                plant=plant, rollout=rollout
            )
        }
        [rec_set] = _builds_store(plant=plant, builds=[build], stored=stored)
    return rec_set


@dataclass(frozen=True)
class RebuildOutcome:
    rebuilt: bool = False
    # Stale, but rebuilt a moment ago: when to try again.
    retry_at: datetime.datetime | None = None


# Every rebuild reads these: compiled to SQL once.
_LOCKED_PLANT = CompiledQuery(
    lambda plant_id: Plant.objects.select_for_update().filter(pk=plant_id).order_by(),
    plant_id=int,
)
_ACTIVE_ROLLOUTS_OF_PLANT = CompiledQuery(
    lambda plant_id: Rollout.objects.filter(
        plants=plant_id, active=True
    ).select_related("profile"),
    plant_id=int,
)
_SETS_OF_PLANT = CompiledQuery(
    lambda plant_id: RecommendationSet.objects.filter(plant_id=plant_id),
    plant_id=int,
)


def plant_recommendations_rebuild(
    *,
    plant_id: int,
    force: bool = False,
    spacing: datetime.timedelta = datetime.timedelta(0),
) -> RebuildOutcome:
    """Rebuild every active rollout's recommendations for one plant, unless all
    are already built from the plant's current calendar revision, the rollouts'
    current revisions and today's horizon.

    The plant row stays locked while it works: calendar edits bump the revision
    on that row, so they wait and the build reads one consistent state; a second
    worker on the same plant waits too and then finds nothing to do.

    With `spacing`, a stale plant whose last rebuild is more recent than that
    is left alone and the outcome says when to try again: the first change
    after a quiet spell rebuilds at once, the rest of a burst once more after.
    `force` rebuilds even current recommendations, at once.
    """
    with transaction.atomic():
        locked = _LOCKED_PLANT.run(plant_id=plant_id)
        if not locked:
            return RebuildOutcome()
        [plant] = locked
        rollouts = _ACTIVE_ROLLOUTS_OF_PLANT.run(plant_id=plant.pk)
        stored = {s.rollout_id: s for s in _SETS_OF_PLANT.run(plant_id=plant.pk)}
        if not force:
            if not _stale(plant, rollouts, stored):
                return RebuildOutcome()
            retry_at = _retry_at(stored, spacing)
            if retry_at is not None:
                return RebuildOutcome(retry_at=retry_at)
        with stored_names():
            calendar = plant_calendar_load(plant=plant)
        builds = _builds(
            plant=plant,
            rollouts=rollouts,
            calendar=calendar,
            limit=DEFAULT_RECOMMENDATIONS,
        )
        _builds_store(plant=plant, builds=builds, stored=stored)
        active = {rollout.id for rollout in rollouts}
        gone = [s.pk for rollout_id, s in stored.items() if rollout_id not in active]
        if gone:
            RecommendationSet.objects.filter(pk__in=gone).delete()
        hooks.rebuild_done(plant=plant, calendar=calendar)
    return RebuildOutcome(rebuilt=True)


def _retry_at(
    stored: dict[int, RecommendationSet], spacing: datetime.timedelta
) -> datetime.datetime | None:
    if spacing <= datetime.timedelta(0) or not stored:
        return None
    last = max(s.built_at for s in stored.values())
    now = timezone.now()
    # Timers fire a little early: a retry due now must not be put off again.
    if now + spacing / 20 >= last + spacing:
        return None
    # Bounded by `now` in case another host's clock wrote `last`.
    return min(last + spacing, now + spacing)


def _stale(
    plant: Plant, rollouts: list[Rollout], stored: dict[int, RecommendationSet]
) -> list[Rollout]:
    today = plant.local_today()
    return [
        r
        for r in rollouts
        if (s := stored.get(r.id)) is None
        or s.calendar_revision != plant.calendar_revision
        or s.rollout_revision != r.revision
        or s.horizon_start != today
    ]
