"""`make bench`: run every benchmark in turn and print their figures.

Each benchmark is its own script (runnable alone). `make bench` installs the
tools first (wrk); a benchmark whose tool or server is still missing here (no
wrk, no PostgreSQL or Redis listening) is skipped with the reason and the others
still run. Every benchmark records its figures (benchmarks/summary.py); one
table at the end lists each figure with its target, met or missed, and the load
average when it was measured. Exits 0 when every benchmark ran (missed targets
are in the table), non-zero if one crashed.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import summary  # noqa: E402

POSTGRES = ("PostgreSQL", "DATABASE_URL", "postgres://127.0.0.1:5432")
REDIS = ("Redis", "REDIS_URL", "redis://127.0.0.1:6379")
BENCHMARKS = [
    ("scoring engine", "bench_scoring.py", (), ()),
    ("calendar selector and rebuild", "bench_calendar.py", (), ()),
    ("window calendar page", "bench_pages.py", (), ()),
    ("rollout program planner (CP-SAT, greedy baseline)", "bench_programs.py", (), ()),
    (
        "rebuild pipeline (PostgreSQL, Redis, Celery worker)",
        "bench_pipeline.py",
        (),
        (POSTGRES, REDIS),
    ),
    (
        "recommendations API under load (gunicorn, PostgreSQL)",
        "bench_api.py",
        ("wrk",),
        # bench_api.py always uses the local PostgreSQL, whatever DATABASE_URL says.
        (("PostgreSQL", "", POSTGRES[2]),),
    ),
]
# A benchmark script's exit status for "cannot run here, nothing measured".
NOT_RUN = 2


def _listening(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return False
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port), timeout=2
        ):
            return True
    except OSError:
        return False


def missing(tools, servers) -> list[str]:
    """What a benchmark needs that this machine lacks."""
    absent = [f"{tool} is not installed" for tool in tools if not shutil.which(tool)]
    for name, variable, default in servers:
        url = (os.environ.get(variable) if variable else None) or default
        if not _listening(url):
            absent.append(f"no {name} listening at {urlsplit(url).netloc}")
    return absent


def main() -> int:
    failed, skipped = [], []
    figures = Path(tempfile.mkdtemp(prefix="offpeak-bench-")) / "summary.jsonl"
    env = {**os.environ, summary.VARIABLE: str(figures)}
    for title, script, tools, servers in BENCHMARKS:
        path = HERE / script
        print(f"\n=== {title} ({script}) ===", flush=True)
        if not path.exists():
            print("not present")
            continue
        absent = missing(tools, servers)
        if absent:
            print(f"skipped: {'; '.join(absent)}", flush=True)
            skipped.append(script)
            continue
        started = time.perf_counter()
        result = subprocess.run([sys.executable, str(path)], check=False, env=env)
        print(
            f"--- {script}: exit {result.returncode}, "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        if result.returncode == NOT_RUN:
            skipped.append(script)
        elif result.returncode != 0:
            failed.append(script)
    print("\n=== summary ===")
    print(summary.table(summary.read(str(figures))))
    print(f"CPUs: {os.cpu_count()}; load average now {os.getloadavg()[0]:.2f}")
    if skipped:
        print(f"\nbenchmarks not run here: {', '.join(skipped)}")
    if failed:
        print(f"\nbenchmarks that failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
