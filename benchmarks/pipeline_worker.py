"""The pipeline benchmark's Celery worker and what /proc says about it."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Worker:
    """`celery -A config worker` (prefork, as `make worker` runs it) on the
    database of `database_url`, logging to `log`; stop() ends it and its pool."""

    def __init__(self, concurrency: int, log: Path, database_url: str):
        self.concurrency = concurrency
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        env = dict(
            os.environ,
            PYTHONPATH=str(ROOT),
            LOG_LEVEL="INFO",
            DATABASE_URL=database_url,
        )
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

    def cpu_seconds(self) -> float | None:
        """CPU time of the worker and its pool so far."""
        return group_cpu_seconds(self.proc.pid)

    def peak_rss_mb(self) -> dict[int, float]:
        """VmHWM (peak resident set) of each pool process, in MB."""
        peaks = {}
        for pid in children(self.proc.pid):
            peak = status_kb(pid, "VmHWM")
            if peak is not None:
                peaks[pid] = peak / 1024
        return peaks

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


def _stat_fields(pid: int | str) -> list[str] | None:
    """/proc/<pid>/stat after the command name: state is [0], ppid [1], pgrp
    [2], utime and stime [11] and [12]."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2 :].split()


def _pids() -> list[str]:
    try:
        return [e for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []


def process_cpu_seconds(pid: int) -> float | None:
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def group_cpu_seconds(pgid: int) -> float | None:
    """CPU time (user + system) used so far by a process group (Linux /proc)."""
    if not Path("/proc/self/stat").exists():
        return None
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in _pids():
        fields = _stat_fields(pid)
        if fields is not None and int(fields[2]) == pgid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def children(pid: int) -> list[int]:
    found = []
    for entry in _pids():
        fields = _stat_fields(entry)
        if fields is not None and int(fields[1]) == pid:
            found.append(int(entry))
    return sorted(found)


def status_kb(pid: int, key: str) -> int | None:
    """A `kB` line of /proc/<pid>/status (VmHWM, VmRSS)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    return None
