"""The pipeline benchmark's scaling run (issue 15, goals 5 and 6): many plants
made stale at once, rebuilt by a worker of 1, 2, 4… processes in turn; the SQL
statements of one rebuild; the pool processes' peak memory.
"""

from __future__ import annotations

import collections
import dataclasses
import os
import re
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from pipeline_data import (
    COMPANY_SEASON,
    current_sets,
    expected_sets,
    nothing_queued,
)
from pipeline_worker import Worker

from calendars import services as calendar_services
from calendars.models import PeakSeason, Plant
from config.celery import app
from rollout import services, tasks
from rollout.models import RecommendationSet

PROGRESS_EVERY = 10  # seconds


# --- queries per rebuild ---------------------------------------------------


@dataclasses.dataclass
class QueryCount:
    plants: int  # in the database
    rollouts: int  # of the plant rebuilt
    statements: list[str]
    seconds: float  # in SQL, as the client measured it

    @property
    def count(self) -> int:
        return len(self.statements)


def rebuild_queries(plant: Plant) -> QueryCount:
    """The SQL statements of one stale plant's rebuild, as a worker runs it
    (plant_recommendations_rebuild after a calendar change), in this process.
    The first rebuild fills per-process caches and is not counted; the time in
    SQL is the least of three."""
    runs = []
    for _ in range(4):
        with nothing_queued(), transaction.atomic():
            calendar_services.calendar_revision_bump(plant_ids=[plant.id])
        with CaptureQueriesContext(connection) as captured:
            outcome = services.plant_recommendations_rebuild(plant_id=plant.id)
        assert outcome.rebuilt, f"{plant.code} was not rebuilt"
        runs.append(captured.captured_queries)
    return QueryCount(
        plants=Plant.objects.count(),
        rollouts=plant.rollouts.filter(active=True).count(),
        statements=[q["sql"] for q in runs[-1]],
        seconds=min(sum(float(q["time"]) for q in run) for run in runs[1:]),
    )


def rebuild_cpu(plants: list[Plant]) -> float:
    """Mean CPU seconds of a stale plant's rebuild in this process, without a
    task, a broker or a new connection around it (a pass to warm up first)."""
    spent = []
    for timed in (False, True):
        for plant in plants:
            with nothing_queued(), transaction.atomic():
                calendar_services.calendar_revision_bump(plant_ids=[plant.id])
            started = time.process_time()
            services.plant_recommendations_rebuild(plant_id=plant.id)
            if timed:
                spent.append(time.process_time() - started)
    return sum(spent) / len(spent)


def _shape(statement: str) -> str:
    """A statement without its values: ids and dates differ from plant to plant."""
    statement = re.sub(r"'[^']*'", "?", statement)
    statement = re.sub(r"\b\d+(\.\d+)?\b", "?", statement)
    return re.sub(r"\(\?(, \?)*\)", "(…)", statement)


def query_difference(a: QueryCount, b: QueryCount) -> list[str]:
    """Statement shapes one rebuild runs more often than the other."""
    left = collections.Counter(_shape(s) for s in a.statements)
    right = collections.Counter(_shape(s) for s in b.statements)
    return [
        f"{right[s] - left[s]:+d} × {s[:160]}"
        for s in sorted(set(left) | set(right))
        if left[s] != right[s]
    ]


# --- the scaling run -------------------------------------------------------


@dataclasses.dataclass
class Step:
    processes: int
    plants: int
    converged: bool
    wall: float  # seconds from the commit to the last set current
    enqueue: float  # seconds the editing process took to queue the rebuilds
    edit_cpu: float  # CPU seconds of the edit, its commit and that queueing
    plants_done: float
    rebuilds: int
    deferred: int  # rebuilds put off by the coalescing interval
    worker_cpu: float | None  # seconds
    database: dict[str, float] | None  # database_counters() used by the step
    peak_rss_mb: dict[int, float]
    load: float

    @property
    def plants_per_second(self) -> float:
        return self.plants_done / self.wall if self.wall else 0.0

    def per_plant(self, amount: float | None) -> float | None:
        if amount is None or not self.rebuilds:
            return None
        return amount / self.rebuilds

    @property
    def worker_cpu_ms(self) -> float | None:
        """Worker CPU per plant rebuilt: the pool and its parent, /proc."""
        if self.worker_cpu is None:
            return None
        return self.per_plant(self.worker_cpu * 1000)

    def database_per_plant(self, counter: str) -> float | None:
        return self.per_plant(self.database[counter]) if self.database else None


DATABASE_COUNTERS = ("active_time", "sessions", "xact_commit")


def database_counters() -> dict[str, float] | None:
    """This database's cumulative statistics (PostgreSQL 14+): milliseconds
    spent running statements, sessions opened, transactions committed. Only
    the benchmark uses its databases, so a difference is its workers' doing."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(
                f"SELECT {', '.join(DATABASE_COUNTERS)} FROM pg_stat_database "
                "WHERE datname = current_database()"
            )
        except DatabaseError:
            return None
        row = cursor.fetchone()
    return dict(zip(DATABASE_COUNTERS, map(float, row), strict=True))


def _wait(worker, rebuilds: int, before: int, label: str, timeout: float,
          started: float, finished) -> bool:  # fmt: skip
    """Wait until the worker has logged `rebuilds` rebuilds after the `before`
    of its log when the change was made and `finished()` says so, printing
    progress; False on timeout. The worker's log is polled, not the database:
    a query every moment would add to what is measured."""
    shown = time.perf_counter()
    while True:
        done = worker.log().count(": rebuilt") - before
        now = time.perf_counter()
        if done >= rebuilds and finished():
            return True
        if now - started > timeout:
            print(
                f"  {label}: {done}/{rebuilds} rebuilt after {timeout:.0f} s: stopped"
            )
            return False
        if now - shown >= PROGRESS_EVERY:
            shown = now
            print(
                f"  {label}: {done}/{rebuilds} plants rebuilt after "
                f"{now - started:.0f} s (load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
        time.sleep(0.1 if done < rebuilds else 0.5)


def _unbuilt(plants) -> list[int]:
    """Plants without a set for each of their rollouts, whatever its revision."""
    present = collections.Counter(
        RecommendationSet.objects.filter(plant__in=plants).values_list(
            "plant_id", flat=True
        )
    )
    return [i for i, n in expected_sets(plants).items() if present[i] < n]


def first_build(plants, processes: int, database_url: str, timeout: float) -> None:
    """Build the recommendations of plants that have none yet (a new database),
    untimed: every timed step then updates sets, as after a calendar change.
    Sets left stale by an earlier run need nothing: each step rebuilds all."""
    unbuilt = _unbuilt(plants)
    if not unbuilt:
        return
    print(
        f"building the recommendations of {len(unbuilt)} new plants with a worker "
        f"of {processes} processes (once; kept for later runs)…",
        flush=True,
    )
    app.control.purge()
    with tempfile.TemporaryDirectory() as tmp:
        worker = Worker(processes, Path(tmp) / "worker.log", database_url)
        try:
            started = time.perf_counter()
            tasks.recommendations_enqueue(plant_ids=unbuilt)
            if not _wait(
                worker, len(unbuilt), 0, "first build", timeout, started,
                lambda: not _unbuilt(plants),
            ):  # fmt: skip
                raise SystemExit("the plants' first build did not finish")
            print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
        finally:
            worker.stop()


def scale_step(plants, processes: int, database_url: str, timeout: float) -> Step:
    """All plants stale at once (one company-wide season edit: the normal
    calendar_changed → task path), rebuilt by a worker of `processes`."""
    total = sum(expected_sets(plants).values())
    interval = settings.OFFPEAK_REBUILD_INTERVAL_MS / 1000
    app.control.purge()
    with tempfile.TemporaryDirectory() as tmp:
        worker = Worker(processes, Path(tmp) / "worker.log", database_url)
        try:
            # Warm every pool process (imports, holiday tables) on untimed
            # rebuilds, then wait out the coalescing interval of those plants.
            warm = [p.id for p in plants[: 2 * processes]]
            tasks.recommendations_enqueue(plant_ids=warm, force=True)
            deadline = time.monotonic() + 60
            warm_count = len(warm)
            while worker.log().count(": rebuilt") < warm_count:
                if time.monotonic() > deadline:
                    raise SystemExit(f"the worker did not warm up:\n{worker.log()}")
                time.sleep(0.05)
            time.sleep(interval + 0.2)

            cpu_before = worker.cpu_seconds()
            database_before = database_counters()
            log = worker.log()
            marker, before = len(log), log.count(": rebuilt")
            season = PeakSeason.objects.get(plant=None, name=COMPANY_SEASON)
            committed = []
            edit_cpu = time.process_time()
            with transaction.atomic():
                transaction.on_commit(lambda: committed.append(time.perf_counter()))
                calendar_services.calendar_item_update(
                    item=season, severity=3 if season.severity == 4 else 4
                )
            # The commit's callbacks, queueing one task a plant, ran in between.
            enqueue = time.perf_counter() - committed[0]
            edit_cpu = time.process_time() - edit_cpu
            label = f"{processes} process{'es' if processes > 1 else ''}"
            converged = _wait(
                worker, len(plants), before, label, timeout, committed[0],
                lambda: current_sets(plants) >= total,
            )  # fmt: skip
            wall = time.perf_counter() - committed[0]
            cpu_after = worker.cpu_seconds()
            log = worker.log()[marker:]
            done = current_sets(plants)
            peaks = worker.peak_rss_mb()
            time.sleep(0.5)  # the last backends' statistics reach the server
            database_after = database_counters()
        finally:
            worker.stop()
    return Step(
        processes=processes,
        plants=len(plants),
        converged=converged,
        wall=wall,
        enqueue=enqueue,
        edit_cpu=edit_cpu,
        plants_done=len(plants) * done / total,
        rebuilds=log.count(": rebuilt"),
        deferred=log.count(": deferred to"),
        worker_cpu=(
            cpu_after - cpu_before
            if cpu_before is not None and cpu_after is not None
            else None
        ),
        database=(
            {k: database_after[k] - database_before[k] for k in DATABASE_COUNTERS}
            if database_before and database_after
            else None
        ),
        peak_rss_mb=peaks,
        load=os.getloadavg()[0],
    )
