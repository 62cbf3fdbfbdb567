"""The calendar's reads compiled to SQL once (accounts.compiled) return what
the ORM returns, for every plant and range, not only the first one asked."""

import datetime
import logging

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.db.transaction import TransactionManagementError

from accounts.compiled import CompiledQuery
from calendars.kinds import ITEM_KINDS
from calendars.models import Plant
from calendars.selectors import frame, plan_lines
from tests.factories import (
    BlackoutFactory,
    CalendarExceptionFactory,
    MilestoneFactory,
    PeakSeasonFactory,
    PlanLineFactory,
    PlantFactory,
    ProductionPlanFactory,
)

D = datetime.date

pytestmark = pytest.mark.django_db


def _fields(objects) -> list:
    return [
        (type(o), [getattr(o, f.attname) for f in o._meta.concrete_fields])
        for o in objects
    ]


@pytest.fixture
def plants():
    suzhou = PlantFactory(code="SZ", country="CN")
    stuttgart = PlantFactory(code="STG", stuttgart=True)
    PeakSeasonFactory(
        plant=None, name="Company peak", start=D(2027, 3, 1), end=D(2027, 3, 31)
    )
    PeakSeasonFactory(
        plant=suzhou, name="Singles' Day", start=D(2027, 10, 20), end=D(2027, 11, 15)
    )
    PeakSeasonFactory(
        plant=stuttgart,
        name="Summer",
        start=D(2026, 7, 1),
        end=D(2026, 8, 31),
        recurring_yearly=True,
    )
    # Starts a year and a bit before the range: only its freeze buffer reaches in.
    MilestoneFactory(
        plant=suzhou,
        name="SOP",
        start=D(2026, 1, 20),
        end=D(2026, 1, 20),
        freeze_after_days=60,
    )
    MilestoneFactory(
        plant=stuttgart, name="Audit", start=D(2027, 5, 4), end=D(2027, 5, 6)
    )
    BlackoutFactory(
        plant=suzhou, name="Stock count", start=D(2027, 6, 28), end=D(2027, 6, 30)
    )
    CalendarExceptionFactory(
        plant=stuttgart, name="Shutdown", start=D(2027, 8, 2), end=D(2027, 8, 13)
    )
    for plant in (suzhou, stuttgart):
        plan = ProductionPlanFactory(plant=plant, granularity="month")
        for month in (11, 12):  # the first starts 31 days before the range
            PlanLineFactory(
                plan=plan, bucket_start=D(2026, month, 1), load=80, capacity=100
            )
    return suzhou, stuttgart


@pytest.mark.parametrize(
    "start,end",
    [(D(2027, 1, 1), D(2027, 12, 31)), (D(2026, 12, 2), D(2028, 3, 1))],
)
def test_each_kind_reads_the_rows_the_orm_reads(plants, start, end):
    for plant in plants:
        for key, kind in ITEM_KINDS.items():
            compiled = frame._items_in_range(key, plant, start, end)
            orm = kind.model.in_range(plant, start, end).select_related(None)
            assert _fields(compiled) == _fields(orm), (plant.code, key)
        orm_lines = plan_lines._plan_lines(
            plant=plant,
            bucket_start__lte=end,
            bucket_start__gte=start - datetime.timedelta(days=31),
        )
        lines = plan_lines._plan_lines_in_range(plant, start, end)
        assert lines == list(orm_lines)
        assert all(isinstance(line[2], datetime.date) for line in lines)


def test_the_milestone_a_year_back_and_the_plan_row_a_month_back_are_read(plants):
    suzhou, _ = plants
    start, end = D(2027, 1, 1), D(2027, 12, 31)
    milestones = frame._items_in_range(
        "milestone", suzhou, start - datetime.timedelta(days=365), end
    )
    assert [m.name for m in milestones] == ["SOP"]
    assert [
        m.name for m in frame._items_in_range("milestone", suzhou, D(2027, 2, 1), end)
    ] == []
    lines = plan_lines._plan_lines_in_range(suzhou, D(2026, 12, 2), end)
    assert [line[2] for line in lines] == [D(2026, 11, 1), D(2026, 12, 1)]


def test_a_shape_whose_sql_changes_with_its_values_runs_through_the_orm(caplog):
    for i in range(4):
        PlantFactory(code=f"P{i}")
    first = CompiledQuery(lambda n: Plant.objects.order_by("code")[:n], n=int)
    with caplog.at_level(logging.WARNING, logger="accounts.compiled"):
        assert [p.code for p in first.run(n=2)] == ["P0", "P1"]
        assert [p.code for p in first.run(n=3)] == ["P0", "P1", "P2"]
    assert "its SQL changes with n" in caplog.text


def test_an_argument_that_is_no_parameter_runs_through_the_orm(caplog):
    made = [PlantFactory(code=f"P{i}") for i in range(4)]
    first = CompiledQuery(
        lambda n: Plant.objects.filter(pk__in=[p.pk for p in made[:n]]), n=int
    )
    with caplog.at_level(logging.WARNING, logger="accounts.compiled"):
        assert [p.code for p in first.run(n=2)] == ["P0", "P1"]
        assert [p.code for p in first.run(n=3)] == ["P0", "P1", "P2"]
    assert "no parameter carries n" in caplog.text


def test_select_related_deferred_and_annotated_rows_come_as_the_orm_gives_them(
    plants, django_assert_num_queries
):
    suzhou, _ = plants
    seasons = CompiledQuery(
        lambda plant_id: (
            ITEM_KINDS["season"]
            .model.objects.filter(plant_id=plant_id)
            .select_related("plant")
            .defer("anchor")
            .annotate(code=F("plant__code"))
        ),
        plant_id=int,
    )
    for _ in range(2):  # the first run compiles, the second reuses the SQL
        with django_assert_num_queries(1):
            [season] = seasons.run(plant_id=suzhou.pk)
            assert (season.name, season.plant.name, season.code) == (
                "Singles' Day",
                suzhou.name,
                "SZ",
            )
        assert season.get_deferred_fields() == {"anchor"}


def test_an_argument_of_an_unsupported_type_is_refused_at_once():
    with pytest.raises(TypeError, match="unsupported argument types"):
        CompiledQuery(lambda code: Plant.objects.filter(code=code), code=str)


def _outcome(read) -> object:
    try:
        return [p.code for p in read()]
    except TransactionManagementError:
        return TransactionManagementError


@pytest.mark.django_db(transaction=True)
def test_a_locking_read_outside_a_transaction_fails_where_django_fails_it():
    """PostgreSQL refuses SELECT … FOR UPDATE outside a transaction; SQLite
    has no row locks, and Django runs it there."""
    plant = PlantFactory(code="SZ")

    def locking(plant_id):
        return Plant.objects.select_for_update().filter(pk=plant_id)

    locked = CompiledQuery(locking, plant_id=int)
    orm = _outcome(lambda: locking(plant.pk))
    assert orm == (
        TransactionManagementError
        if connection.features.has_select_for_update
        else ["SZ"]
    )
    assert _outcome(lambda: locked.run(plant_id=plant.pk)) == orm
    with transaction.atomic():
        assert [p.code for p in locked.run(plant_id=plant.pk)] == ["SZ"]
