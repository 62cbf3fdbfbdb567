"""Benchmark the recommendation pipeline end to end: edit → Celery → rebuild.

Run: python benchmarks/bench_pipeline.py [--plants 100] [--edits 50] [--concurrency 2]

Uses DATABASE_URL and REDIS_URL from the environment, by default the local
PostgreSQL database `offpeak_bench` (created and migrated if missing) and Redis
db 6. Builds `--plants` plants once (kept for later runs): holidays, company
and plant peak seasons, milestones, month-end and year-end blackouts, two
years of weekly production plans, and three rollouts (on every plant, every
second plant and every third). Starts its own `celery -A config worker`
(prefork, as `make worker` does) and stops it at the end.

Measures
  1. edit → visible: from the commit of one milestone edit until every
     recommendation set of that plant is stamped with the new revision, each
     edit on a plant not rebuilt within OFFPEAK_REBUILD_INTERVAL_MS (target:
     p95 ≤ 100 ms); and, for contrast, edits of a plant rebuilt a moment ago,
     which wait for the end of that interval by design;
  2. all plants change at once (one company-wide peak season edit) → every
     plant rebuilt (target: ≤ 3 s for 100 plants).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/offpeak_bench"
)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import dj_database_url  # noqa: E402
import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402


def database_ensure(url: str) -> None:
    """CREATE DATABASE if it is missing (PostgreSQL only)."""
    config = dj_database_url.parse(url)
    if not config["ENGINE"].endswith("postgresql"):
        return
    params = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as c:
        found = c.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            c.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
            )
            print(f"created database {config['NAME']}")


database_ensure(os.environ["DATABASE_URL"])

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count, F, Q  # noqa: E402

from calendars import services as calendar_services  # noqa: E402
from calendars.imports import plan_import  # noqa: E402
from calendars.models import Blackout, Milestone, PeakSeason, Plant  # noqa: E402
from config.celery import app  # noqa: E402
from rollout import services  # noqa: E402
from rollout.models import RecommendationSet, Rollout  # noqa: E402

PREFIX = "bench"
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


@contextlib.contextmanager
def nothing_queued():
    with mock.patch("rollout.tasks.recommendations_enqueue"):
        yield


def plants_ensure(count: int) -> list[Plant]:
    """The bench plants, created once (a few seconds each the first time)."""
    today = datetime.date.today()
    codes = [f"{PREFIX}{n:03d}" for n in range(count)]
    existing = set(Plant.objects.filter(code__in=codes).values_list("code", flat=True))
    missing = [c for c in codes if c not in existing]
    if missing:
        print(f"creating {len(missing)} plants (kept for later runs)…", flush=True)
    with nothing_queued():
        if not PeakSeason.objects.filter(plant=None, name="Bench Q4").exists():
            calendar_services.calendar_item_create(
                model=PeakSeason,
                plant=None,
                name="Bench Q4",
                start=datetime.date(2024, 10, 1),
                end=datetime.date(2024, 12, 20),
                recurring_yearly=True,
                severity=4,
            )
        for code in missing:
            _plant_create(code, int(code[len(PREFIX) :]), today)
        plants = list(Plant.objects.filter(code__in=codes).order_by("code"))
        for name, every, training, cutover, hypercare in ROLLOUTS:
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
                if wanted <= set(rollout.plants.all()):
                    continue
                wanted |= set(rollout.plants.all())
            services.rollout_save(rollout=rollout, plants=wanted)
    return plants


def _plant_create(code: str, n: int, today: datetime.date) -> None:
    zone, country, subdivision = LOCATIONS[n % len(LOCATIONS)]
    rng = np.random.default_rng(n)
    with transaction.atomic():
        plant = calendar_services.plant_create(
            code=code,
            name=f"Bench plant {n}",
            timezone=zone,
            country=country,
            subdivision=subdivision,
        )
        create = calendar_services.calendar_item_create
        create(
            model=PeakSeason,
            plant=plant,
            name="Summer build-up",
            start=datetime.date(2024, 5, 1 + n % 20),
            end=datetime.date(2024, 6, 15 + n % 10),
            recurring_yearly=True,
            severity=int(rng.integers(2, 5)),
        )
        for m in range(3):
            start = today + datetime.timedelta(days=int(rng.integers(30, 700)))
            create(
                model=Milestone,
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
        create(
            model=Blackout,
            plant=plant,
            name="Month-end close",
            kind=Blackout.Kind.MONTH_END,
            start=datetime.date(today.year, 1, 1),
            rrule="FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2,-1",
            duration_days=1,
        )
        create(
            model=Blackout,
            plant=plant,
            name="Stock count",
            kind=Blackout.Kind.STOCK_COUNT,
            start=datetime.date(today.year, 12, 27),
            rrule="FREQ=YEARLY",
            duration_days=8,
            hard=True,
        )
        monday = today - datetime.timedelta(days=today.weekday())
        lines = ["date,work_centre,load,capacity"]
        for w in range(104):
            week = monday + datetime.timedelta(weeks=w)
            for centre, capacity in (("Assembly", 1000.0), ("Machining", 600.0)):
                load = min(1.05, max(0.3, 0.7 + rng.normal(0, 0.08))) * capacity
                lines.append(f"{week},{centre},{load:.0f},{capacity:.0f}")
        data = io.BytesIO("\n".join(lines).encode())
        data.name = f"{code}.csv"
        plan_import(plant=plant, file=data, granularity="week")


def expected_sets(plants: list[Plant]) -> dict[int, int]:
    return dict(
        Plant.objects.filter(id__in=[p.id for p in plants])
        .annotate(n=Count("rollouts", filter=Q(rollouts__active=True)))
        .values_list("id", "n")
    )


def built_from(plant_id: int, revision: int) -> int:
    return RecommendationSet.objects.filter(
        plant_id=plant_id, calendar_revision=revision
    ).count()


class Worker:
    def __init__(self, concurrency: int, log: Path):
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        env = dict(os.environ, PYTHONPATH=str(ROOT), LOG_LEVEL="INFO")
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "--pool=prefork", f"--concurrency={concurrency}",
                "--loglevel=INFO", "--without-mingle", "--without-gossip",
                "--without-heartbeat", f"--hostname=bench-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=env,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while "ready." not in self.log():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                sys.exit(f"the worker did not start:\n{self.log()}")
            time.sleep(0.1)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        # Our child leads its own session: the group is it and its pool.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)
        self._log.close()


def group_cpu_seconds(pgid: int) -> float | None:
    """CPU time (user + system) used so far by a process group (Linux /proc)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    try:
        entries = [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return None
    for entry in entries:
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[2]) == pgid:  # pgrp; utime and stime follow at 11, 12
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def milestone_shift(milestone: Milestone, days: int) -> tuple[float, int]:
    """Move the milestone; returns (commit time, the plant's new revision)."""
    committed = []
    shift = datetime.timedelta(days=days)
    with transaction.atomic():
        # Registered first, so it runs at commit before the enqueue does.
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        calendar_services.calendar_item_update(
            item=milestone, start=milestone.start + shift, end=milestone.end + shift
        )
    revision = Plant.objects.values_list("calendar_revision", flat=True).get(
        pk=milestone.plant_id
    )
    return committed[0], revision


def wait_visible(plant_id: int, revision: int, sets: int, timeout: float = 30) -> float:
    deadline = time.perf_counter() + timeout
    while built_from(plant_id, revision) < sets:
        if time.perf_counter() > deadline:
            sys.exit(f"plant {plant_id} not rebuilt in {timeout} s")
        time.sleep(0.005)  # a tighter loop steals CPU from the worker
    return time.perf_counter()


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def edit_latencies(plants, milestones, sets, count, sign=1) -> list[float]:
    latencies = []
    for n in range(count):
        plant = plants[n % len(plants)]
        milestone = milestones[plant.id]
        committed, revision = milestone_shift(milestone, sign * (1 + n % 3))
        visible = wait_visible(plant.id, revision, sets[plant.id])
        latencies.append((visible - committed) * 1000)
    return latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plants", type=int, default=100)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    if not settings.REDIS_URL:
        sys.exit("REDIS_URL must name a Redis server: the benchmark runs a worker")

    call_command("migrate", verbosity=0, interactive=False)
    plants = plants_ensure(args.plants)
    sets = expected_sets(plants)
    for plant in plants:  # whatever a previous run left half-done
        services.plant_recommendations_rebuild(plant_id=plant.id)
    milestones = {
        m.plant_id: m
        for m in Milestone.objects.filter(plant__in=plants, name="Milestone 1")
    }
    interval = settings.OFFPEAK_REBUILD_INTERVAL_MS / 1000
    print(
        f"{len(plants)} plants, {sum(sets.values())} recommendation sets "
        f"(rollout × plant), horizon {settings.OFFPEAK_HORIZON_DAYS} days; "
        f"worker: prefork × {args.concurrency}; "
        f"rebuild interval {settings.OFFPEAK_REBUILD_INTERVAL_MS} ms"
    )

    app.control.purge()
    with tempfile.TemporaryDirectory() as tmp:
        worker = Worker(args.concurrency, Path(tmp) / "worker.log")
        try:
            run(args, plants, milestones, sets, interval, worker)
        finally:
            worker.stop()


def run(args, plants, milestones, sets, interval, worker) -> None:
    # Warm both pool processes (imports, holiday tables) on plants not timed.
    edit_latencies(plants[-4:], milestones, sets, 4)
    time.sleep(interval)

    isolated = edit_latencies(plants[: args.edits], milestones, sets, args.edits)
    print(
        f"edit → visible, {len(isolated)} edits of plants not rebuilt within the "
        f"interval: p50 {percentile(isolated, 50):.0f} ms, "
        f"p95 {percentile(isolated, 95):.0f} ms, max {max(isolated):.0f} ms "
        f"(target p95 ≤ 100 ms)"
    )
    again = edit_latencies(plants[:1], milestones, sets, 5, sign=-1)
    print(
        f"edit → visible, 5 edits of a plant rebuilt a moment ago: "
        f"p50 {statistics.median(again):.0f} ms (waits for the interval by design)"
    )

    time.sleep(interval + 0.2)
    marker = len(worker.log())
    cpu_before = group_cpu_seconds(worker.proc.pid)
    season = PeakSeason.objects.get(plant=None, name="Bench Q4")
    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        calendar_services.calendar_item_update(
            item=season, severity=3 if season.severity == 4 else 4
        )
    total = sum(sets.values())
    deadline = time.perf_counter() + 120
    current = RecommendationSet.objects.filter(
        plant__in=plants, calendar_revision=F("plant__calendar_revision")
    )
    while current.count() < total:
        if time.perf_counter() > deadline:
            sys.exit("the plants were not rebuilt within 120 s")
        time.sleep(0.01)
    elapsed = time.perf_counter() - committed[0]
    cpu_after = group_cpu_seconds(worker.proc.pid)
    log = worker.log()[marker:]
    rebuilt = len(re.findall(r": rebuilt", log))
    task_times = [
        float(t) for t in re.findall(r"succeeded in ([0-9.]+)s: 'rebuilt'", log)
    ]
    print(
        f"{len(plants)} plants changed at once → all rebuilt in {elapsed:.2f} s "
        f"(target ≤ 3 s); {rebuilt} rebuilds, task time mean "
        f"{statistics.mean(task_times) * 1000:.0f} ms, "
        f"p95 {percentile(task_times, 95) * 1000:.0f} ms"
    )
    if cpu_before is not None and cpu_after is not None and rebuilt:
        cpu = cpu_after - cpu_before
        print(
            f"worker CPU for those rebuilds: {cpu:.2f} s "
            f"({cpu / rebuilt * 1000:.0f} ms per plant): "
            f"{cpu / args.concurrency:.2f} s of wall time on {args.concurrency} "
            f"idle cores; load average during the run "
            f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )


if __name__ == "__main__":
    main()
