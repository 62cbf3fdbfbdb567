"""Benchmark the daily calendar selector and one plant's full rebuild.

Run: python benchmarks/bench_calendar.py

Seeds the demo company into a throw-away SQLite database (or uses DATABASE_URL
when set) and prints:
  1. the daily calendar selector for 2 years of one plant: the queries, and the
     build from the fetched rows (target: well under 50 ms);
  2. one full recommendation rebuild of one plant, database included: every
     active rollout scored, explained and stored (target: ≤ 50 ms per rollout).
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"
os.environ["REDIS_URL"] = ""
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from calendars.models import Plant  # noqa: E402
from calendars.selectors import calendar_frame_build, calendar_rows_load  # noqa: E402
from rollout.models import Rollout  # noqa: E402
from rollout.services import plant_recommendations_rebuild  # noqa: E402


def best_and_median(fn, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    plant = Plant.objects.get(code="SZ")
    start = plant.local_today()
    end = start + datetime.timedelta(days=730)

    def load():
        return calendar_rows_load(plant=plant, start=start, end=end)

    rows = load()
    calendar_frame_build(rows=rows)  # warm the holiday cache
    q_best, q_median = best_and_median(load, 20)
    b_best, b_median = best_and_median(lambda: calendar_frame_build(rows=rows), 50)
    print(
        f"calendar selector, 2 years of {plant.code}: queries {q_median:.1f} ms "
        f"(best {q_best:.1f}); build {b_median:.2f} ms (best {b_best:.2f}) "
        f"— target well under 50 ms: {'met' if b_median < 50 else 'MISSED'}"
    )

    rollouts = Rollout.objects.filter(plants=plant, active=True).count()
    r_best, r_median = best_and_median(
        lambda: plant_recommendations_rebuild(plant_id=plant.id, force=True), 10
    )
    per_rollout = r_median / max(rollouts, 1)
    print(
        f"full rebuild of {plant.code} ({rollouts} rollouts, database included): "
        f"{r_median:.1f} ms (best {r_best:.1f}), {per_rollout:.1f} ms per rollout "
        f"— target ≤ 50 ms per rollout: {'met' if per_rollout <= 50 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
