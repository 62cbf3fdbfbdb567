"""`make bench`: run every benchmark in turn and print their figures.

Each benchmark is its own script (runnable alone); one that cannot run here
(no PostgreSQL, Redis or wrk) says so and the others still run. Exits non-zero
if any benchmark crashed.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = [
    ("scoring engine", "bench_scoring.py"),
    ("calendar selector and rebuild", "bench_calendar.py"),
    ("window calendar page", "bench_pages.py"),
    ("rebuild pipeline (PostgreSQL, Redis, Celery worker)", "bench_pipeline.py"),
    ("recommendations API under load (gunicorn, PostgreSQL)", "bench_api.py"),
]


def main() -> int:
    failed = []
    for title, script in BENCHMARKS:
        path = HERE / script
        print(f"\n=== {title} ({script}) ===", flush=True)
        if not path.exists():
            print("not present")
            continue
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path)], check=False)
        print(
            f"--- {script}: exit {result.returncode}, "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if result.returncode != 0:
            failed.append(script)
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
