"""Server time of the busiest pages on the demo data.

Run: python benchmarks/bench_pages.py [--runs 9]

Seeds the demo company (`seed_demo`) into a temporary SQLite database, signs in
as the IT lead of every plant and times the pages through Django's test client
(the full stack: middleware, view, template; no network). Prints, per page, the
median wall time, its spread and the median CPU time of the process per request
(time.process_time, steadier than wall time on a busy machine), with the load
average. Records the worst 24-month window calendar (target <= 100 ms) and the
dashboard (target <= 50 ms) for `make bench`'s table, the other pages beside.
Exits 0 when it ran: a missed target is in the table, not the exit status.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import summary  # noqa: E402

BENCHMARK = "pages"
CALENDAR_TARGET_MS = 100.0
DASHBOARD_TARGET_MS = 50.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()

    workdir = tempfile.TemporaryDirectory(prefix="offpeak-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ.pop("REDIS_URL", None)  # rebuilds run in-process
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    print(f"demo seeded in {time.perf_counter() - started:.1f} s ({workdir.name})")

    from calendars.models import Plant
    from rollout.models import Rollout

    client = Client()
    client.force_login(get_user_model().objects.get(username="chen.it"))
    pages = []
    for plant in Plant.objects.order_by("code"):
        rollout = Rollout.objects.filter(plants=plant).order_by("name").first()
        day = (
            plant.local_today()
            .replace(day=1)
            .replace(year=plant.local_today().year + 1)
        )
        pages += [
            (f"calendar 24 months {plant.code}",
             f"/plants/{plant.code}/calendar/?rollout={rollout.id}&months=24"),
            (f"calendar 12 months {plant.code}",
             f"/plants/{plant.code}/calendar/?rollout={rollout.id}&months=12"),
            (f"day evaluation {plant.code}",
             f"/plants/{plant.code}/calendar/evaluate/?rollout={rollout.id}"
             f"&date={day.isoformat()}"),
        ]  # fmt: skip
    pages += [("dashboard", "/"), ("proposals", "/proposals/")]

    measured: dict[str, tuple[float, float]] = {}  # page: (wall, CPU) medians
    print(f"load average {_load()}")
    print(
        f"{'page':<28} {'median':>9} {'min':>9} {'max':>9} {'CPU':>9}"
        f"   (ms, {args.runs} runs)"
    )
    for name, url in pages:
        response = client.get(url)  # warm-up: imports, holiday tables, templates
        assert response.status_code == 200, (url, response.status_code)
        wall, cpu = [], []
        for _ in range(args.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            response = client.get(url)
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        median = statistics.median(wall)
        measured[name] = (median, statistics.median(cpu))
        print(
            f"{name:<28} {median:9.1f} {min(wall):9.1f} {max(wall):9.1f}"
            f" {measured[name][1]:9.1f}"
        )
    print(f"load average {_load()}")

    def worst(prefix: str) -> tuple[str, float, float]:
        name = max((n for n in measured if n.startswith(prefix)), key=measured.get)
        return (name, *measured[name])

    print()
    for label, prefix, target in (
        ("24-month window calendar", "calendar 24", CALENDAR_TARGET_MS),
        ("dashboard", "dashboard", DASHBOARD_TARGET_MS),
    ):
        name, wall, cpu = worst(prefix)
        met = wall <= target
        summary.record(
            BENCHMARK, f"{label}: median", wall, "ms", f"<= {target:.0f} ms", met
        )
        summary.record(BENCHMARK, f"{label}: CPU per request", cpu, "ms")
        print(
            f"{label}: median {wall:.1f} ms ({name}), CPU {cpu:.1f} ms "
            f"(target {target:.0f} ms) {'met' if met else 'MISSED'}"
        )
    for label, prefix in (
        ("12-month window calendar", "calendar 12"),
        ("day evaluation", "day evaluation"),
        ("proposals", "proposals"),
    ):
        _name, wall, cpu = worst(prefix)
        summary.record(BENCHMARK, f"{label}: median", wall, "ms")
    workdir.cleanup()
    return 0


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
