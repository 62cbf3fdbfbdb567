"""Benchmark the recommendation pipeline end to end: edit → Celery → rebuild.

Run: python benchmarks/bench_pipeline.py [--plants 100] [--edits 50]
         [--concurrency 2] [--scale-plants 1000] [--scale-workers 1,2,4]
         [--scale-rollouts 1] [--scale-timeout 150]

Uses DATABASE_URL and REDIS_URL from the environment, by default the local
PostgreSQL database `offpeak_bench` (created and migrated if missing) and Redis
db 6. Builds `--plants` plants there once (kept for later runs): holidays,
company and plant peak seasons, milestones, month-end and year-end blackouts,
two years of weekly production plans, and three rollouts (on every plant,
every second plant and every third); see pipeline_data.py. The scaling run
uses a second database beside it, `<name>_<scale plants>` (offpeak_bench_1000),
with `--scale-plants` such plants in the first `--scale-rollouts` rollouts,
also made once and kept. Starts its own `celery -A config worker` (prefork,
as `make worker` does) for each part and stops it at the end.

Measures (issue 15)
  1. edit → visible: from the commit of one milestone edit until every
     recommendation set of that plant is stamped with the new revision, each
     edit on a plant not rebuilt within OFFPEAK_REBUILD_INTERVAL_MS (target:
     p95 ≤ 100 ms); and, for contrast, edits of a plant rebuilt a moment ago,
     which wait for the end of that interval by design;
  2. all `--plants` plants change at once (one company-wide peak season edit)
     → every plant rebuilt by a worker of `--concurrency` processes (target:
     ≤ 1.5 s for 100 plants with 2), and the worker's CPU time per plant
     (/proc; target ≤ 15 ms);
  3. SQL statements of one plant's rebuild with `--plants` and with
     `--scale-plants` plants in the database (target: equal: no query grows
     with the number of plants);
  4. scaling: all `--scale-plants` plants stale at once, rebuilt by a worker
     of each of `--scale-workers` processes in turn: wall time to converge,
     plants per second and its ratio to 1 process (target ≥ 0.8 × the
     processes the machine's cores can run at once: 1.6× for 2 processes; on 2
     cores 4 processes cannot beat 2); per plant: worker CPU (/proc) beside
     the CPU of a rebuild run in this process without a task around it, and
     PostgreSQL's time running statements, connections and transactions
     (pg_stat_database of that database); how long the edit's commit takes to
     queue one task a plant, and that edit's CPU in the editing process;
  5. peak RSS (VmHWM) of each pool process after each scaling step (target
     < 300 MB).
Exits 0 when it ran (missed targets are in `make bench`'s table), 2 when
PostgreSQL or Redis is not reachable.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault(
    "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/offpeak_bench"
)
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/6")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from pipeline_db import (  # noqa: E402
    Unreachable,
    database_ensure,
    database_name,
    database_url_with_name,
    database_use,
    redis_check,
)

NOT_RUN = 2
try:
    redis_check(os.environ["REDIS_URL"])
    database_ensure(os.environ["DATABASE_URL"])
except Unreachable as exc:
    print(f"not run: {exc}")
    sys.exit(NOT_RUN)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import summary  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from pipeline_data import (  # noqa: E402
    COMPANY_SEASON,
    built_from,
    current_sets,
    expected_sets,
    plant_code,
    plants_ensure,
)
from pipeline_report import BENCHMARK, scale_report, step_line, step_record  # noqa: E402
from pipeline_scale import (  # noqa: E402
    first_build,
    query_difference,
    rebuild_cpu,
    rebuild_queries,
    scale_step,
)
from pipeline_worker import Worker  # noqa: E402

from calendars import services as calendar_services  # noqa: E402
from calendars.models import Milestone, PeakSeason, Plant  # noqa: E402
from config.celery import app  # noqa: E402
from rollout import services  # noqa: E402

# The plant whose rebuild's statements are counted: ERP only in every database.
COUNTED_PLANT = 1
# Plants rebuilt in this process for the CPU of a rebuild without a task.
REBUILT_ALONE = 8


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


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plants", type=int, default=100)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument(
        "--scale-plants",
        type=int,
        default=1000,
        help="plants of the scaling run (its own database); 0: no scaling run",
    )
    parser.add_argument(
        "--scale-workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2, 4],
        help="worker processes of each scaling step, e.g. 1,2,4,8",
    )
    parser.add_argument(
        "--scale-rollouts",
        type=int,
        default=1,
        choices=[1, 2, 3],
        help="rollouts of the scaling plants (1: ERP on every plant)",
    )
    parser.add_argument(
        "--scale-timeout",
        type=float,
        default=150,
        help="seconds a scaling step may take; then its partial rate is shown",
    )
    args = parser.parse_args()
    # bench001's rebuild is the one whose statements are counted.
    if args.plants <= COUNTED_PLANT or 0 < args.scale_plants <= COUNTED_PLANT:
        parser.error(f"--plants and --scale-plants need {COUNTED_PLANT + 1} at least")
    if args.scale_plants and 1 not in args.scale_workers:
        parser.error("--scale-workers needs 1: the other steps are compared to it")
    return args


def main() -> None:
    args = arguments()
    url = os.environ["DATABASE_URL"]
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
        f"rebuild interval {settings.OFFPEAK_REBUILD_INTERVAL_MS} ms; {load()}",
        flush=True,
    )

    app.control.purge()
    with tempfile.TemporaryDirectory() as tmp:
        worker = Worker(args.concurrency, Path(tmp) / "worker.log", url)
        try:
            pipeline(args, plants, milestones, sets, interval, worker)
        finally:
            worker.stop()

    counted = Plant.objects.get(code=plant_code(COUNTED_PLANT))
    small = rebuild_queries(counted)
    if args.scale_plants:
        scale(args, url, small)
    else:
        print(
            f"SQL statements of one plant's rebuild ({counted.code}, "
            f"{small.rollouts} rollouts, {small.plants:,} plants in the database): "
            f"{small.count}"
        )


def pipeline(args, plants, milestones, sets, interval, worker) -> None:
    # Warm both pool processes (imports, holiday tables) on plants not timed.
    edit_latencies(plants[-4:], milestones, sets, 4)
    time.sleep(interval)

    isolated = edit_latencies(plants[: args.edits], milestones, sets, args.edits)
    p95 = percentile(isolated, 95)
    print(
        f"edit → visible, {len(isolated)} edits of plants not rebuilt within the "
        f"interval: p50 {percentile(isolated, 50):.0f} ms, "
        f"p95 {p95:.0f} ms, max {max(isolated):.0f} ms "
        f"(target p95 ≤ 100 ms); {load()}",
        flush=True,
    )
    summary.record(BENCHMARK, "edit → visible, p95", p95, "ms", "<= 100 ms", p95 <= 100)
    again = edit_latencies(plants[:1], milestones, sets, 5, sign=-1)
    print(
        f"edit → visible, 5 edits of a plant rebuilt a moment ago: "
        f"p50 {statistics.median(again):.0f} ms (waits for the interval by design)",
        flush=True,
    )

    passes = [
        company_wide_change(plants, sets, interval, worker)
        for _ in range(COMPANY_WIDE_PASSES)
    ]
    for n, (elapsed, rebuilt, task_times, cpu) in enumerate(passes, start=1):
        print(
            f"{len(plants)} plants changed at once, pass {n} of {len(passes)} → "
            f"all rebuilt in {elapsed:.2f} s; {rebuilt} rebuilds in "
            f"{len(task_times)} tasks, task time mean "
            f"{statistics.mean(task_times) * 1000:.0f} ms, "
            f"p95 {percentile(task_times, 95) * 1000:.0f} ms; worker CPU "
            + (f"{cpu:.2f} s ({cpu / rebuilt * 1000:.1f} ms a plant)" if cpu else "-")
            + f"; {load()}",
            flush=True,
        )
    elapsed = statistics.median(p[0] for p in passes)
    print(
        f"{len(plants)} plants changed at once → all rebuilt in {elapsed:.2f} s, "
        f"the median of {len(passes)} passes (target ≤ 1.5 s for 100 plants)",
        flush=True,
    )
    summary.record(
        BENCHMARK,
        f"{len(plants)} plants at once → rebuilt, worker × {args.concurrency}",
        elapsed,
        "s",
        "<= 1.5 s",
        elapsed <= 1.5,
    )
    if all(p[3] is not None for p in passes):
        per_plant = statistics.median(p[3] / p[1] * 1000 for p in passes)
        print(
            f"worker CPU for those rebuilds: {per_plant:.1f} ms per plant, the "
            f"median of {len(passes)} passes (target ≤ 15 ms); the first pass "
            f"includes the pool processes' first rebuild of half the plants",
            flush=True,
        )
        summary.record(
            BENCHMARK, "worker CPU per plant", per_plant, "ms", "<= 15 ms",
            per_plant <= 15,
        )  # fmt: skip


# The company-wide change is made this many times; the median pass counts.
COMPANY_WIDE_PASSES = 3


def company_wide_change(plants, sets, interval, worker):
    """Change the company-wide season (all plants stale at once) and wait until
    every plant is rebuilt: (seconds from commit, rebuilds, task times, worker
    CPU seconds or None)."""
    time.sleep(interval + 0.2)
    marker = len(worker.log())
    cpu_before = worker.cpu_seconds()
    season = PeakSeason.objects.get(plant=None, name=COMPANY_SEASON)
    committed = []
    with transaction.atomic():
        transaction.on_commit(lambda: committed.append(time.perf_counter()))
        calendar_services.calendar_item_update(
            item=season, severity=3 if season.severity == 4 else 4
        )
    total = sum(sets.values())
    deadline = time.perf_counter() + 120
    while current_sets(plants) < total:
        if time.perf_counter() > deadline:
            sys.exit("the plants were not rebuilt within 120 s")
        time.sleep(0.01)
    elapsed = time.perf_counter() - committed[0]
    cpu_after = worker.cpu_seconds()
    log = worker.log()[marker:]
    # A task rebuilds one plant ('rebuilt') or a chunk of the fan-out
    # ({plant id: 'rebuilt', ...}).
    task_times = [
        float(t)
        for t in re.findall(r"succeeded in ([0-9.]+)s: [{'][^\n]*'rebuilt'", log)
    ]
    cpu = None
    if cpu_before is not None and cpu_after is not None:
        cpu = cpu_after - cpu_before
    return elapsed, log.count(": rebuilt"), task_times, cpu


def scale(args, url: str, small) -> None:
    """Goals 5 and 6: queries per rebuild at two sizes; throughput by workers."""
    scale_url = database_url_with_name(url, f"{database_name(url)}_{args.scale_plants}")
    database_ensure(scale_url)
    database_use(scale_url)
    call_command("migrate", verbosity=0, interactive=False)
    plants = plants_ensure(args.scale_plants, rollouts=args.scale_rollouts)
    sets = expected_sets(plants)
    total = sum(sets.values())
    cores = os.cpu_count() or 1
    print(
        f"\nscaling: {len(plants)} plants in {database_name(scale_url)}, {total} "
        f"recommendation sets ({total / len(plants):.2f} a plant); workers of "
        f"{', '.join(map(str, args.scale_workers))} processes on {cores} cores",
        flush=True,
    )
    first_build(plants, max(args.scale_workers), scale_url, timeout=1800)

    large = rebuild_queries(Plant.objects.get(code=plant_code(COUNTED_PLANT)))
    print(
        f"SQL statements of one plant's rebuild ({plant_code(COUNTED_PLANT)}, "
        f"{small.rollouts} | {large.rollouts} rollouts): "
        f"{small.plants:,} plants in the database: {small.count} "
        f"({small.seconds * 1000:.1f} ms in SQL) | "
        f"{large.plants:,} plants: {large.count} "
        f"({large.seconds * 1000:.1f} ms in SQL) (target: equal)",
        flush=True,
    )
    alone = rebuild_cpu(plants[:REBUILT_ALONE])
    print(
        f"a rebuild without a task around it (this process, {REBUILT_ALONE} "
        f"plants): {alone * 1000:.0f} ms CPU a plant",
        flush=True,
    )
    summary.record(
        BENCHMARK, f"{len(plants):,} plants: a rebuild's CPU without a task",
        alone * 1000, "ms",
    )  # fmt: skip
    for line in query_difference(small, large):
        print(f"  {line}")
    summary.record(
        BENCHMARK, f"SQL statements per rebuild, {small.plants:,} plants",
        small.count, "",
    )  # fmt: skip
    summary.record(
        BENCHMARK,
        f"SQL statements per rebuild, {large.plants:,} plants",
        large.count,
        "",
        f"= {small.count} (at {small.plants:,} plants)",
        large.count == small.count,
    )

    steps = []
    for processes in args.scale_workers:
        step = scale_step(plants, processes, scale_url, args.scale_timeout)
        steps.append(step)
        print(step_line(step, steps[0], alone), flush=True)
        step_record(step, steps[0], cores)
    scale_report(steps, cores)


if __name__ == "__main__":
    main()
