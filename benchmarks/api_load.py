"""The API benchmark's load: wrk runs against the server and the CPU time
the machine spends on them (benchmarks/bench_api.py drives these)."""

from __future__ import annotations

import re
import resource
import statistics
import subprocess
import sys
from collections.abc import Callable

from procfs import children, process_cpu_seconds

_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, headers: dict, args, duration: int | None = None) -> dict:
    duration = args.duration if duration is None else duration
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "5s",
        "--latency",
        *[item for k, v in headers.items() for item in ("-H", f"{k}: {v}")],
        url,
    ]
    out = subprocess.run(
        command, check=True, text=True, capture_output=True, timeout=duration + 30
    ).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if set(latency) != {"50", "99"}:
        # Not worth a traceback that hides the other runs: show what wrk said.
        print(f"wrk gave no latency distribution:\n{out}", file=sys.stderr)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)$", out, re.M)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(latency["50"]) if "50" in latency else float("nan"),
        "p99": _ms(latency["99"]) if "99" in latency else float("nan"),
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def _database_pids(server: str, database: str) -> list[int]:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s", [database]
        ).fetchall()
    return [pid for (pid,) in rows]


class CpuMeter:
    """CPU seconds used by the server (gunicorn and its workers), the
    database backends serving it and wrk: what the machine spends per request,
    whatever else is running on it."""

    def __init__(self, server_pid: int, server: str, database: str) -> None:
        self.server_pid = server_pid
        self.server_url, self.database_name = server, database

    def _sample(self) -> dict[int, float]:
        database = _database_pids(self.server_url, self.database_name)
        pids = [self.server_pid, *children(self.server_pid), *database]
        return {pid: process_cpu_seconds(pid) or 0.0 for pid in pids}

    def __enter__(self):
        self.before = self._sample()
        self.wrk_before = resource.getrusage(resource.RUSAGE_CHILDREN)
        return self

    def __exit__(self, *exc) -> None:
        after = self._sample()
        wrk_after = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = {pid: after[pid] - self.before.get(pid, 0.0) for pid in after}
        workers = children(self.server_pid)
        server = {self.server_pid, *workers}
        self.server = sum(v for pid, v in used.items() if pid in server)
        self.workers = [used.get(pid, 0.0) for pid in workers]
        self.database = sum(v for pid, v in used.items() if pid not in server)
        self.server_db = self.server + self.database
        self.wrk = (wrk_after.ru_utime + wrk_after.ru_stime) - (
            self.wrk_before.ru_utime + self.wrk_before.ru_stime
        )


def measured(meter: Callable[[], CpuMeter], url: str, headers: dict, args) -> tuple:
    """One target's figures, `meter()` measuring the CPU: after --warmup
    seconds of the same load (not counted), --repeats runs of --duration
    seconds in which every gunicorn worker served, and of each figure the
    median run's. Returns (figures,
    CPU seconds per request by part, the runs' req/s as text).

    wrk opens its connections at once and keeps them; which gunicorn worker
    accepts each is chance, and now and then one worker takes all 16 (seen
    in 3 of 16 runs with `ss`, in both 200 and 304 runs). That run measures
    one process of the two, at half the throughput and a higher CPU cost per
    request (its threads queue for one interpreter). Such a run (a worker
    using under a tenth of the busiest one's CPU) is shown but not counted,
    and run again, at most --repeats more times in all.
    """
    if args.warmup:
        wrk(url, headers, args, args.warmup)
    runs, costs, shown = [], [], []
    repeats = max(args.repeats, 1)
    retries = repeats
    errors = 0  # of every run, the ones not counted too
    while len(runs) < repeats:
        with meter() as cpu:
            figures = wrk(url, headers, args)
        errors += figures["errors"]
        busiest = max(cpu.workers, default=0.0)
        if min(cpu.workers, default=0.0) < busiest / 10 and retries > 0:
            retries -= 1
            shown.append(f"({figures['rps']:.0f}: one worker served it)")
            continue
        n = max(figures["requests"], 1)
        runs.append(figures)
        costs.append(
            {
                "server": cpu.server / n,
                "database": cpu.database / n,
                "wrk": cpu.wrk / n,
                "total": (cpu.server_db + cpu.wrk) / n,
            }
        )
        shown.append(f"{figures['rps']:.0f}")
    median = {
        key: statistics.median(run[key] for run in runs)
        for key in ("rps", "p50", "p99")
    }
    figures = {
        **median,
        "requests": sum(run["requests"] for run in runs),
        "errors": errors,
        "socket_errors": " ".join(
            run["socket_errors"] for run in runs if run["socket_errors"]
        ),
    }
    cpu = {key: statistics.median(c[key] for c in costs) for key in costs[0]}
    return figures, cpu, ", ".join(shown)
