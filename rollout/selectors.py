"""Reads of go-live planning: rollouts a user sees, stored recommendations
and their freshness stamp."""

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router
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
    windows = None
    if rec_set is not None:
        windows = rec_set.windows.all()
        if limit is not None:
            windows = windows[:limit]
    return recommendation_list_of(
        plant=plant, rollout=rollout, rec_set=rec_set, windows=windows
    )


def recommendation_list_of(
    *, plant: Plant, rollout: Rollout, rec_set: RecommendationSet | None, windows
) -> RecommendationList:
    """The RecommendationList of a stored set already read (None: nothing
    built) and its `windows` in rank order: where "up to date" is decided, for
    one pair (recommendation_list) and for many read at once (the dashboard)."""
    if rec_set is None:
        return RecommendationList(plant.calendar_revision, None, False, None, [])
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


@dataclass(frozen=True)
class RecommendationStamp:
    """What the answers about a rollout at a plant depend on, read before
    anything else is loaded: the plant (id, code, calendar_revision, its
    local today), the rollout's revision (None if the rollout does not run
    at the plant) and the stored set's set_calendar_revision,
    set_rollout_revision and set_built_at (None if nothing is built;
    set_built_at as text, in the database's own format: it is only compared,
    and the drivers' timestamp parsing cost more than the rest of the row)."""

    plant_id: int
    plant_code: str
    calendar_revision: int
    today: datetime.date
    rollout_id: int
    rollout_revision: int | None
    set_calendar_revision: int | None
    set_rollout_revision: int | None
    set_built_at: str | None


_STAMP_PLANT_FIELDS = ["id", "code", "timezone", "calendar_revision"]


def plant_recommendation_stamp(
    *, user, code: str, rollout_id: int
) -> RecommendationStamp | None:
    """The stamp of the plant with this code for the rollout if the user sees
    the plant, else None.

    One SQL statement on a plain cursor, no model loaded: it runs before every
    answer of the recommendations and window-state endpoints, 304s and cached
    answers included, where the ORM's compilation and model instantiation
    cost more than the database took to run it.
    """
    members_only = not permissions.sees_all_plants(user)
    if members_only and not user.is_authenticated:
        return None
    params: list = [rollout_id, code]
    if members_only:
        params.append(user.pk)
    db = router.db_for_read(Plant)
    row = _stamp_row(connections[db], members_only=members_only, params=params)
    if row is None:
        return None
    width = len(_STAMP_PLANT_FIELDS)
    # Only the columns read; plant-local today stays the model's rule.
    plant = Plant.from_db(db, _STAMP_PLANT_FIELDS, row[:width])
    return RecommendationStamp(
        plant_id=plant.pk,
        plant_code=plant.code,
        calendar_revision=plant.calendar_revision,
        today=plant.local_today(),
        rollout_id=rollout_id,
        rollout_revision=row[width],
        set_calendar_revision=row[width + 1],
        set_rollout_revision=row[width + 2],
        set_built_at=row[width + 3],
    )


def _stamp_row(connection, *, members_only: bool, params: list) -> tuple | None:
    """Run the stamp query. On PostgreSQL it is a prepared statement of the
    session: planning the joins cost several times what running them did."""
    sql = _stamp_sql(members_only=members_only)
    with connection.cursor() as cursor:
        if _binds_client_side(connection):
            sql = _prepared(connection, cursor, sql, len(params))
        cursor.execute(sql, params)
        return cursor.fetchone()


def _binds_client_side(connection) -> bool:
    """PostgreSQL with Django's default client-side binding, where EXECUTE
    takes its parameters as literals, and prepared statements allowed
    (settings.DB_PREPARED_STATEMENTS: not behind PgBouncer in transaction
    mode). With server-side binding it could not (psycopg prepares statements
    itself there if OPTIONS set prepare_threshold)."""
    return (
        connection.vendor == "postgresql"
        and settings.DB_PREPARED_STATEMENTS
        and not connection.settings_dict["OPTIONS"].get("server_side_binding")
    )


def _prepared(connection, cursor, sql: str, arity: int) -> str:
    """`sql` prepared once in the connection's database session (a statement
    named after its text); returns the statement that executes it."""
    name = "offpeak_" + hashlib.blake2b(sql.encode(), digest_size=8).hexdigest()
    # Kept on the driver's connection: a new session (a reconnect) has a new
    # one, without the statement.
    done = connection.connection.__dict__.setdefault("offpeak_prepared", set())
    if name not in done:
        numbered = sql.split("%s")
        text = numbered[0] + "".join(
            f"${i}{rest}" for i, rest in enumerate(numbered[1:], start=1)
        )
        cursor.execute(f"PREPARE {name} AS {text}")
        done.add(name)
    return f"EXECUTE {name}({', '.join(['%s'] * arity)})"


@functools.cache
def _stamp_sql(*, members_only: bool) -> str:
    """The stamp query; members_only adds the plant-membership condition
    (accounts.permissions.visible's rule for users who do not see every
    plant), for the user id passed last."""
    through = Rollout.plants.through._meta
    members = Plant.members.through._meta
    columns = ", ".join(
        f'p."{Plant._meta.get_field(f).column}"' for f in _STAMP_PLANT_FIELDS
    )
    sql = (
        f'SELECT {columns}, r."revision", s."calendar_revision", '
        f's."rollout_revision", CAST(s."built_at" AS text) '
        f'FROM "{Plant._meta.db_table}" p '
        f'LEFT JOIN "{through.db_table}" rp ON rp."{_column(through, "plant")}" = '
        f'p."id" AND rp."{_column(through, "rollout")}" = %s '
        f'LEFT JOIN "{Rollout._meta.db_table}" r ON r."id" = '
        f'rp."{_column(through, "rollout")}" '
        f'LEFT JOIN "{RecommendationSet._meta.db_table}" s ON '
        f's."plant_id" = p."id" AND s."rollout_id" = r."id" '
        f'WHERE p."code" = %s'
    )
    if members_only:
        sql += (
            f' AND EXISTS (SELECT 1 FROM "{members.db_table}" m WHERE '
            f'm."{_column(members, "plant")}" = p."id" AND '
            f'm."{_column(members, "user")}" = %s)'
        )
    return sql


def _column(meta, field: str) -> str:
    return meta.get_field(field).column


def recommendation_etag(*, stamp: RecommendationStamp, limit: int) -> str:
    """Changes whenever the response could: the plant's calendar revision, the
    rollout (id, revision), the stored build (built from which revisions,
    when) and the plant's date (up_to_date turns false when the horizon moves
    on), the limit and the reader's language (explanations name holidays and
    period closes in it)."""
    built = hashlib.blake2b(
        f"{stamp.set_built_at}|{stamp.today}|{limit}|{get_language()}".encode(),
        digest_size=6,
    ).hexdigest()
    return (
        f'"c{stamp.calendar_revision}-r{stamp.rollout_id}.{stamp.rollout_revision}'
        f'-b{stamp.set_calendar_revision}.{stamp.set_rollout_revision}-{built}"'
    )
