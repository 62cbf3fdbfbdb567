"""The pipeline benchmark's plants, made once per database and kept.

Each plant has a plant peak season, three milestones, month-end and year-end
blackouts and two years of a weekly production plan (two work centres), all
drawn from a generator seeded with the plant's number, so plant `bench042` is
the same plant in every database. The company has one yearly peak season
("Bench Q4"). Rollouts: ERP on every plant, MES on every second, WMS on every
third (a database may take only the first of them).

Made with bulk_create (a few seconds for 1,000 plants): every row is
validated by its model's full_clean first, as the services do; the services
themselves, one plant and one plan import at a time, take ~0.1 s a plant.
The plan lines, 208 a plant, are COPYed.
"""

from __future__ import annotations

import contextlib
import datetime
import time
from unittest import mock

import numpy as np
from django.db import connection, transaction
from django.db.models import Count, F, Q

from calendars import services as calendar_services
from calendars.imports.cells import bucket_end
from calendars.models import (
    Blackout,
    Milestone,
    PeakSeason,
    PlanLine,
    Plant,
    ProductionPlan,
)
from rollout import services
from rollout.models import RecommendationSet, Rollout

PREFIX = "bench"
COMPANY_SEASON = "Bench Q4"
LOCATIONS = [
    ("Asia/Shanghai", "CN", ""),
    ("Europe/Berlin", "DE", "BW"),
    ("America/Monterrey", "MX", ""),
    ("America/Chicago", "US", "TX"),
]
ROLLOUTS = [
    # name, every n-th plant, training, cutover, hypercare
    ("Bench ERP", 1, 15, 4, 20),
    ("Bench MES", 2, 10, 3, 15),
    ("Bench WMS", 3, 5, 2, 10),
]
PLAN_WEEKS = 104
PLAN_LINE_FIELDS = ("plan", "bucket_start", "work_centre", "load", "capacity")
WORK_CENTRES = (("Assembly", 1000.0), ("Machining", 600.0))
# Rows per bulk INSERT; plants per transaction while creating.
BATCH = 2000
PLANTS_PER_TRANSACTION = 250
# Only these fields are skipped by full_clean: checking a plant foreign key or
# a unique code costs a query per row, and the rows are ours.
_NOT_CHECKED = ["plant", "plan", "code"]


@contextlib.contextmanager
def nothing_queued():
    """Writes whose rebuilds the benchmark queues (or makes) itself."""
    with mock.patch("rollout.tasks.recommendations_enqueue"):
        yield


def plant_code(n: int) -> str:
    return f"{PREFIX}{n:03d}"


def plants_ensure(count: int, *, rollouts: int = len(ROLLOUTS)) -> list[Plant]:
    """The first `count` bench plants, in the first `rollouts` rollouts."""
    today = datetime.date.today()
    codes = [plant_code(n) for n in range(count)]
    existing = set(Plant.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [c for c in codes if c not in existing]
    with nothing_queued():
        if not PeakSeason.objects.filter(plant=None, name=COMPANY_SEASON).exists():
            calendar_services.calendar_item_create(
                model=PeakSeason,
                plant=None,
                name=COMPANY_SEASON,
                start=datetime.date(2024, 10, 1),
                end=datetime.date(2024, 12, 20),
                recurring_yearly=True,
                severity=4,
            )
        if missing:
            started = time.perf_counter()
            print(f"creating {len(missing)} plants (kept for later runs)…", flush=True)
            for first in range(0, len(missing), PLANTS_PER_TRANSACTION):
                _plants_create(missing[first : first + PLANTS_PER_TRANSACTION], today)
            print(f"  created in {time.perf_counter() - started:.1f} s", flush=True)
        plants = list(Plant.objects.filter(code__in=codes).order_by("code"))
        for name, every, training, cutover, hypercare in ROLLOUTS[:rollouts]:
            rollout = Rollout.objects.filter(name=name).first() or Rollout(
                name=name,
                kind=Rollout.Kind.ERP,
                training_days=training,
                cutover_days=cutover,
                hypercare_days=hypercare,
                earliest_go_live=today + datetime.timedelta(days=30),
            )
            wanted = set(plants[::every])
            if rollout.pk:
                present = set(rollout.plants.all())
                if wanted <= present:
                    continue
                wanted |= present
            services.rollout_save(rollout=rollout, plants=wanted)
    return plants


_zones_checked: set[str] = set()


def _checked(row, also=()):
    row.full_clean(exclude=[*_NOT_CHECKED, *also], validate_unique=False)
    return row


@transaction.atomic
def _plants_create(codes: list[str], today: datetime.date) -> None:
    numbers = [int(code[len(PREFIX) :]) for code in codes]
    plants = []
    for code, n in zip(codes, numbers, strict=True):
        zone, country, subdivision = LOCATIONS[n % len(LOCATIONS)]
        plant = Plant(
            code=code,
            name=f"Bench plant {n}",
            timezone=zone,
            country=country,
            subdivision=subdivision,
        )
        # The time zone check lists the zone files (~40 ms): once a zone.
        if zone not in _zones_checked:
            _checked(plant)
            _zones_checked.add(zone)
        plants.append(_checked(plant, also=["timezone"]))
    plants = Plant.objects.bulk_create(plants)
    seasons, milestones, blackouts, plans, lines = [], [], [], [], []
    monday = today - datetime.timedelta(days=today.weekday())
    weeks = [monday + datetime.timedelta(weeks=w) for w in range(PLAN_WEEKS)]
    for plant, n in zip(plants, numbers, strict=True):
        rng = np.random.default_rng(n)
        seasons.append(
            PeakSeason(
                plant=plant,
                name="Summer build-up",
                start=datetime.date(2024, 5, 1 + n % 20),
                end=datetime.date(2024, 6, 15 + n % 10),
                recurring_yearly=True,
                severity=int(rng.integers(2, 5)),
            )
        )
        for m in range(3):
            start = today + datetime.timedelta(days=int(rng.integers(30, 700)))
            milestones.append(
                Milestone(
                    plant=plant,
                    name=f"Milestone {m}",
                    kind=Milestone.Kind.KEY_ORDER,
                    start=start,
                    end=start + datetime.timedelta(days=int(rng.integers(1, 10))),
                    criticality=int(rng.integers(2, 6)),
                    freeze_before_days=7,
                    freeze_after_days=7,
                    hard=m == 0,
                )
            )
        blackouts += [
            Blackout(
                plant=plant,
                name="Month-end close",
                kind=Blackout.Kind.MONTH_END,
                start=datetime.date(today.year, 1, 1),
                rrule="FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1",
                duration_days=1,
            ),
            Blackout(
                plant=plant,
                name="Stock count",
                kind=Blackout.Kind.STOCK_COUNT,
                start=datetime.date(today.year, 12, 27),
                rrule="FREQ=YEARLY",
                duration_days=8,
                hard=True,
            ),
        ]
        plan = ProductionPlan(
            plant=plant,
            version=1,
            granularity=ProductionPlan.Granularity.WEEK,
            source_name=f"{plant.code}.csv",
            period_start=weeks[0],
            period_end=bucket_end(weeks[-1], ProductionPlan.Granularity.WEEK),
            row_count=len(weeks) * len(WORK_CENTRES),
            active=True,
        )
        plans.append(plan)
        for week in weeks:
            for centre, capacity in WORK_CENTRES:
                load = min(1.05, max(0.3, 0.7 + rng.normal(0, 0.08))) * capacity
                # As the plan file the service path imported: whole units.
                lines.append((plan, week, centre, float(f"{load:.0f}"), capacity))
    for model, rows in (
        (PeakSeason, seasons),
        (Milestone, milestones),
        (Blackout, blackouts),
        (ProductionPlan, plans),
    ):
        model.objects.bulk_create([_checked(row) for row in rows], batch_size=BATCH)
    _plan_lines_copy(lines)


def _plan_lines_copy(lines) -> None:
    """COPY the plan lines: 208 a plant, the bulk of the rows (bulk_create
    builds a model instance for each, ~3 times as long)."""
    meta = PlanLine._meta
    columns = [meta.get_field(name).column for name in PLAN_LINE_FIELDS]
    statement = f"COPY {meta.db_table} ({', '.join(columns)}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for plan, week, centre, load, capacity in lines:
            copy.write_row((plan.pk, week, centre, load, capacity))


def expected_sets(plants: list[Plant]) -> dict[int, int]:
    """Recommendation sets each plant has when current: one per active rollout."""
    return dict(
        Plant.objects.filter(id__in=[p.id for p in plants])
        .annotate(n=Count("rollouts", filter=Q(rollouts__active=True)))
        .values_list("id", "n")
    )


def current_sets(plants: list[Plant]) -> int:
    """Sets built from their plant's current calendar revision."""
    return RecommendationSet.objects.filter(
        plant__in=plants, calendar_revision=F("plant__calendar_revision")
    ).count()


def built_from(plant_id: int, revision: int) -> int:
    return RecommendationSet.objects.filter(
        plant_id=plant_id, calendar_revision=revision
    ).count()
