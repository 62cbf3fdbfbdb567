"""Server time of the busiest pages on the demo data.

Run: python benchmarks/bench_pages.py [--runs 9] [--budget-ms 300]

Seeds the demo company (`seed_demo`) into a temporary SQLite database, signs in
as the IT lead of every plant and times the pages through Django's test client
(the full stack: middleware, view, template; no network). Prints the median and
the spread per page; exits non-zero when the 24-month window calendar's median
is over the budget.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--budget-ms", type=float, default=300.0)
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

    calendar_medians = []
    print(f"{'page':<28} {'median':>9} {'min':>9} {'max':>9}   (ms, {args.runs} runs)")
    for name, url in pages:
        response = client.get(url)  # warm-up: imports, holiday tables, templates
        assert response.status_code == 200, (url, response.status_code)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200
        median = statistics.median(times)
        if name.startswith("calendar 24"):
            calendar_medians.append(median)
        print(f"{name:<28} {median:9.1f} {min(times):9.1f} {max(times):9.1f}")
    worst = max(calendar_medians)
    verdict = "OK" if worst <= args.budget_ms else "OVER BUDGET"
    print(
        f"\n24-month window calendar: worst median {worst:.1f} ms "
        f"(budget {args.budget_ms:.0f} ms) {verdict}"
    )
    workdir.cleanup()
    return 0 if worst <= args.budget_ms else 1


if __name__ == "__main__":
    sys.exit(main())
