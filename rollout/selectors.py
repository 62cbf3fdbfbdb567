"""Reads of go-live planning: rollouts a user sees, stored recommendations
and their freshness stamp."""

import datetime
import hashlib
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import get_language

from accounts import permissions
from calendars.models import Plant
from rollout.models import Recommendation, RecommendationSet, Rollout


def rollouts_visible_to(user) -> QuerySet[Rollout]:
    """Rollouts running at one plant the user sees at least (all for staff)."""
    return permissions.visible(user, Rollout.objects.all(), via="plants")


@dataclass(frozen=True)
class RecommendationList:
    """The stored windows and whether they reflect the current calendar.

    up_to_date is False while a rebuild is pending ("being recalculated"):
    the calendar or rollout changed since the build, the horizon moved on, or
    nothing was built yet (built_from_revision None).
    """

    calendar_revision: int
    built_from_revision: int | None
    up_to_date: bool
    built_at: datetime.datetime | None
    results: list[Recommendation]


def recommendation_list(
    *, plant: Plant, rollout: Rollout, limit: int | None = None
) -> RecommendationList:
    rec_set = RecommendationSet.objects.filter(plant=plant, rollout=rollout).first()
    if rec_set is None:
        return RecommendationList(plant.calendar_revision, None, False, None, [])
    windows = rec_set.windows.all()
    if limit is not None:
        windows = windows[:limit]
    return RecommendationList(
        calendar_revision=plant.calendar_revision,
        built_from_revision=rec_set.calendar_revision,
        up_to_date=(
            rec_set.calendar_revision == plant.calendar_revision
            and rec_set.rollout_revision == rollout.revision
            and rec_set.horizon_start >= plant.local_today()
        ),
        built_at=rec_set.built_at,
        results=list(windows),
    )


def rollout_list_for_plant(*, plant: Plant, active_only: bool = True):
    rollouts = Rollout.objects.filter(plants=plant)
    return rollouts.filter(active=True) if active_only else rollouts


def plant_rollout(*, plant: Plant, rollout_id: int) -> Rollout | None:
    """The rollout if it runs at the plant, else None."""
    return (
        Rollout.objects.filter(pk=rollout_id, plants=plant)
        .select_related("profile")
        .first()
    )


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
    if not permissions.sees_all_plants(user):
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
    on), the limit and the reader's language (explanations name holidays and
    period closes in it)."""
    built = hashlib.blake2b(
        f"{plant.set_built_at}|{plant.local_today()}|{limit}|{get_language()}".encode(),
        digest_size=6,
    ).hexdigest()
    return (
        f'"c{plant.calendar_revision}-r{rollout_id}.{plant.rollout_revision}'
        f'-b{plant.set_calendar_revision}.{plant.set_rollout_revision}-{built}"'
    )
