"""The pipeline benchmark's Celery worker."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

from procfs import children, group_cpu_seconds, status_kb

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
