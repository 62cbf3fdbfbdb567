"""Moving models between apps keeps their tables and rows.

ApiToken and UserPreference left rollout for accounts, the proposal models left
it for proposals, by state-only migrations that keep the tables (db_table) and
rename the content types. This migrates a PostgreSQL database back to the head
before that move, fills it with the demo company as it was then (plus an API
token, a language preference, a user permission and an admin history entry on
moved models), migrates it forward as `manage.py migrate` would, and checks
that no row and no table was lost and that the site still serves the data.
"""

import importlib
import io
import os

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from accounts.models import ApiToken, UserPreference
from accounts.tokens import api_token_create
from config.celery import app as celery_app
from proposals.management.commands.seed_demo import DEMO_PASSWORD
from proposals.models import (
    GoLiveProposal,
    Observation,
    ProposalReview,
    ProposalTransition,
    ReadinessItem,
)

# The head before the move (commit 8e8c4a3): accounts and proposals had no
# migrations; every other app was where it is now.
OLD_HEAD = [
    ("calendars", "0002_plant_weekend_blank_longer_subdivision"),
    ("rollout", "0004_proposals"),
    ("accounts", None),
    ("proposals", None),
]
MOVED = {
    "accounts": [ApiToken, UserPreference],
    "proposals": [
        GoLiveProposal,
        ProposalTransition,
        ReadinessItem,
        Observation,
        ProposalReview,
    ],
}
MOVED_MODELS = [model for models in MOVED.values() for model in models]
DEMO_PLANTS = {"SZ": "Suzhou Assembly", "STG": "Stuttgart Powertrain"}

Status = GoLiveProposal.Status


@pytest.fixture
def postgresql():
    """Skip (locally) or fail (REQUIRE_SERVICES=1) unless the database is
    PostgreSQL: the point is PostgreSQL's tables, as production has them."""
    if connection.vendor != "postgresql":
        message = (
            f"needs real PostgreSQL: DATABASE_URL points at {connection.vendor}"
            " (set DATABASE_URL=postgres://…; the move is checked on PostgreSQL)"
        )
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def in_process_tasks():
    """Rebuild recommendations in-process, as the demo does without Redis, so
    that no task is left queued on a real broker."""
    conf = celery_app.conf
    saved = {"task_always_eager": conf.task_always_eager}
    conf.update(task_always_eager=True)
    yield
    conf.update(saved)


def _migrate(targets):
    """What `manage.py migrate` does: the migrations, then post_migrate (which
    creates missing content types and permissions) with the migrated state."""
    executor = MigrationExecutor(connection)
    state = executor.migrate(targets)
    executor.loader.build_graph()
    emit_post_migrate_signal(0, False, connection.alias, apps=state.apps, plan=[])
    ContentType.objects.clear_cache()
    return state.apps


def _row_counts() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def _table_oids() -> dict[str, int]:
    """A table dropped and created again, even with its rows copied, gets a new
    oid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, oid FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
        )
        return dict(cursor.fetchall())


def _fill_the_old_database(old_apps) -> dict:
    """The demo company and the rows the move must carry, at the old head."""
    # A flush by an earlier transactional test removes what data migrations
    # created; an old database has the roles and the default profile.
    roles = importlib.import_module("rollout.migrations.0002_roles_and_default_profile")
    roles.create(old_apps, None)

    call_command("seed_demo", stdout=io.StringIO())

    User = get_user_model()
    admin, li_wei, mes = (
        User.objects.get(username=name) for name in ("admin", "li.wei", "mes.client")
    )
    _row, token = api_token_create(user=mes, name="MES pull", scope="read_only")
    UserPreference.objects.create(user=li_wei, language="zh-hans")

    # Permissions and admin history on moved models point at rollout's
    # content types in the old database.
    old_types = {
        model: ContentType.objects.get(
            app_label="rollout", model=model._meta.model_name
        )
        for model in MOVED_MODELS
    }
    change_proposal = Permission.objects.get(
        content_type=old_types[GoLiveProposal], codename="change_goliveproposal"
    )
    mes.user_permissions.add(change_proposal)
    assert User.objects.get(pk=mes.pk).has_perm("rollout.change_goliveproposal")
    closed = GoLiveProposal.objects.get(status=Status.CLOSED)
    entry = LogEntry.objects.create(
        user=admin,
        content_type=old_types[GoLiveProposal],
        object_id=str(closed.pk),
        object_repr=str(closed)[:200],
        action_flag=CHANGE,
        change_message="Corrected the rollback decider.",
    )
    return {
        "token": token,
        "type_ids": {model: ct.pk for model, ct in old_types.items()},
        "permission": change_proposal.pk,
        "entry": entry.pk,
        "closed": closed.pk,
    }


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("postgresql", "in_process_tasks")
def test_moving_models_between_apps_keeps_every_row_and_the_app_serves_them():
    head = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old_apps = _migrate(OLD_HEAD)
        tables = connection.introspection.table_names()
        assert {model._meta.db_table for model in MOVED_MODELS} <= set(tables)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*) FROM django_migrations"
                " WHERE app IN ('accounts', 'proposals')"
            )
            assert cursor.fetchone()[0] == 0, "not back at the old head"

        made = _fill_the_old_database(old_apps)
        before, oids_before = _row_counts(), _table_oids()
        for model in MOVED_MODELS:
            assert before[model._meta.db_table] > 0, model.__name__

        _migrate(head)
        after, oids_after = _row_counts(), _table_oids()
    finally:
        # Whatever failed, leave the database at the head for the next tests.
        MigrationExecutor(connection).migrate(head)
        ContentType.objects.clear_cache()

    # Every table is still there with every row; new tables may appear.
    assert set(before) <= set(after), set(before) - set(after)
    changed = {
        table: (before[table], after[table])
        for table in before
        if table != "django_migrations" and after[table] != before[table]
    }
    assert changed == {}, "row counts changed (before, after)"
    # ... and none was dropped and created again.
    assert {table: oids_after[table] for table in oids_before} == oids_before

    # The models in their new apps describe the tables as they are.
    with connection.cursor() as cursor:
        for model in MOVED_MODELS:
            table = model._meta.db_table
            columns = connection.introspection.get_table_description(cursor, table)
            assert {column.name for column in columns} == {
                field.column for field in model._meta.local_concrete_fields
            }, model
            constraints = connection.introspection.get_constraints(cursor, table)
            assert {index.name for index in model._meta.indexes} <= set(constraints)

    # The rows are read through the models in their new apps.
    for model in MOVED_MODELS:
        assert model.objects.count() == before[model._meta.db_table], model
    assert set(GoLiveProposal.objects.values_list("status", flat=True)) == {
        Status.SUBMITTED,
        Status.APPROVED,
        Status.CLOSED,
    }
    closed = GoLiveProposal.objects.get(pk=made["closed"])
    assert closed.review.rating == 4
    assert closed.observations.get().area == "shipping"
    assert closed.checklist.exists() and closed.transitions.exists()
    assert UserPreference.objects.get(user__username="li.wei").language == "zh-hans"
    assert ApiToken.objects.get(name="MES pull").user.username == "mes.client"

    # The content types moved with their models (same rows, new app label), so
    # permissions and admin history granted on them still apply.
    for app_label, models in MOVED.items():
        for model in models:
            content_type = ContentType.objects.get_for_model(model)
            assert content_type.app_label == app_label
            assert content_type.pk == made["type_ids"][model], model
    assert not ContentType.objects.filter(
        app_label="rollout",
        model__in=[model._meta.model_name for model in MOVED_MODELS],
    ).exists()
    mes = get_user_model().objects.get(username="mes.client")
    assert mes.has_perm("proposals.change_goliveproposal")
    assert not mes.has_perm("rollout.change_goliveproposal")
    permission = Permission.objects.get(pk=made["permission"])
    assert permission.content_type.model_class() is GoLiveProposal
    entry = LogEntry.objects.get(pk=made["entry"])
    assert entry.get_edited_object() == closed
    assert (
        entry.get_admin_url() == f"/admin/proposals/goliveproposal/{closed.pk}/change/"
    )

    # The site serves the data: pages for a demo plant manager (in the
    # language of the preference row) ...
    li_wei = Client()
    assert li_wei.login(username="li.wei", password=DEMO_PASSWORD)
    submitted = GoLiveProposal.objects.get(plant__code="SZ", status=Status.SUBMITTED)
    for url, names in [
        ("/", [DEMO_PLANTS["SZ"], "MES 2.0"]),
        ("/plants/SZ/calendar/", [DEMO_PLANTS["SZ"]]),
        ("/proposals/", [DEMO_PLANTS["SZ"], "MES 2.0"]),
        (f"/proposals/{submitted.pk}/", [DEMO_PLANTS["SZ"], "MES 2.0"]),
    ]:
        response = li_wei.get(url)
        assert response.status_code == 200, url
        page = response.content.decode()
        assert 'lang="zh-Hans"' in page, url
        for name in names:
            assert name in page, (url, name)

    # ... the admin's history of a moved model ...
    admin = Client()
    admin.force_login(get_user_model().objects.get(username="admin"))
    response = admin.get(entry.get_admin_url())
    assert response.status_code == 200
    assert str(closed) in response.content.decode()
    response = admin.get(f"/admin/proposals/goliveproposal/{closed.pk}/history/")
    assert response.status_code == 200
    assert "Corrected the rollback decider." in response.content.decode()

    # ... and the API, with the token created before the move.
    api = Client(HTTP_AUTHORIZATION=f"Token {made['token']}")
    response = api.get("/api/plants/")
    assert response.status_code == 200, response.content[:500]
    rows = response.json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    assert {row["code"] for row in rows} == {"SZ", "STG", "MTY"}
    assert {row["name"] for row in rows} >= set(DEMO_PLANTS.values())
