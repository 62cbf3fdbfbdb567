"""Fixtures for the Celery pipeline: real worker, beat and Redis processes.

Every process here is started by the fixture that owns it, in its own session
(so a prefork worker's children go with it), and is stopped by pid in the
fixture's finalizer, failed test or not. Their logs go to files under the
test's tmp_path and are printed at teardown (pytest shows them when the test
fails).

The workers run `celery -A config worker` with the environment pointed at the
test database (pytest-django's test_<name>), so tests that use them are marked
`committed_db` (transaction=True): rows must be committed for another process
to see them.
"""

import contextlib
import datetime
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import pytest
import redis
from django.conf import settings

from calendars import services as calendar_services
from calendars.models import Milestone, PeakSeason, Plant
from rollout import services
from rollout.models import Rollout

BASE_DIR = Path(settings.BASE_DIR)

# Committed rows, so that worker processes see them. Naming every app lets the
# flush after each test TRUNCATE ... CASCADE: knox's migrations create
# knox_authtoken (a foreign key to auth_user) although KNOX_TOKEN_MODEL swaps
# the model out, and a plain TRUNCATE of auth_user fails on PostgreSQL.
committed_db = pytest.mark.django_db(
    transaction=True, available_apps=list(settings.INSTALLED_APPS)
)
WEB_SIDE = Path(__file__).with_name("web_side.py")
REBUILD_INTERVAL_MS = 1000


def wait_until(predicate, *, timeout: float, interval: float = 0.05, what: str):
    """Poll `predicate` until it returns something truthy; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def child_database_url() -> str:
    """DATABASE_URL of the database this test runs against (test_<name>)."""
    db = settings.DATABASES["default"]
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{db['NAME']}"


def child_env(*, redis_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(BASE_DIR),
        PYTHONUNBUFFERED="1",
        DATABASE_URL=child_database_url(),
        REDIS_URL=redis_url,
        OFFPEAK_REBUILD_INTERVAL_MS=str(REBUILD_INTERVAL_MS),
    )
    env.update(extra)
    return env


class Child:
    """A process we started, its log file, and how to stop it by pid."""

    def __init__(self, name: str, args: list[str], env: dict, log: Path, **kw):
        self.name = name
        self.log_path = log
        self._log = open(log, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            args,
            cwd=BASE_DIR,
            env=env,
            stdout=kw.pop("stdout", self._log),
            stderr=self._log,
            start_new_session=True,
            **kw,
        )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def wait_for_log(self, pattern: str, timeout: float) -> None:
        def seen():
            if self.proc.poll() is not None:
                pytest.fail(
                    f"{self.name} exited ({self.proc.returncode}):\n{self.log()}"
                )
            return re.search(pattern, self.log())

        wait_until(seen, timeout=timeout, what=f"{self.name}: /{pattern}/")

    def kill(self) -> None:
        """SIGKILL, like the OOM killer: no shutdown, no acknowledgements."""
        self._signal_group(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (warm shutdown), SIGKILL if it has not exited in time."""
        if self.proc.poll() is None:
            self._signal_group(signal.SIGCONT)
            self._signal_group(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.proc.wait(timeout=10)
        # A prefork child orphaned by a SIGKILLed parent is still in the group.
        for pid in group_members(self.proc.pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self._log.close()

    def _signal_group(self, sig: int) -> None:
        # Our child leads its own session: its pid is the group's id, and the
        # group holds only it and the processes it forked.
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, sig)


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (Linux /proc)."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # state, ppid, pgrp, …
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


class Processes:
    """Starts workers and beats for one test; stops them all at teardown."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.children: list[Child] = []

    def worker(self, *, redis_url: str, pool: str = "solo", **env) -> Child:
        name = f"worker{len(self.children)}"
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={pool}",
            "--concurrency=2",
            "--loglevel=INFO",
            "--without-mingle",
            "--without-gossip",
            "--without-heartbeat",
            f"--hostname=pipeline-{uuid.uuid4().hex[:8]}@%h",
        ]
        child = self._start(name, args, child_env(redis_url=redis_url, **env))
        child.wait_for_log(r"ready\.", timeout=30)
        return child

    def beat(self, *, redis_url: str, sweep_seconds: int = 1) -> Child:
        name = f"beat{len(self.children)}"
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "--loglevel=INFO",
            f"--schedule={self.tmp_path / 'celerybeat-schedule'}",
            "--max-interval=1",
        ]
        env = child_env(redis_url=redis_url, OFFPEAK_SWEEP_SECONDS=str(sweep_seconds))
        child = self._start(name, args, env)
        child.wait_for_log(r"beat: Starting", timeout=30)
        return child

    def web_side(self, *, redis_url: str) -> "WebSide":
        child = WebSide(
            "web-side",
            [sys.executable, str(WEB_SIDE)],
            child_env(redis_url=redis_url, LOG_LEVEL="INFO"),
            self.tmp_path / "web-side.log",
        )
        self.children.append(child)
        return child

    def _start(self, name: str, args: list[str], env: dict) -> Child:
        child = Child(name, args, env, self.tmp_path / f"{name}.log")
        self.children.append(child)
        return child

    def stop_all(self) -> None:
        for child in reversed(self.children):
            child.stop()

    def print_logs(self) -> None:
        for child in self.children:
            print(f"===== {child.name} (pid {child.pid}) log =====")
            print(child.log()[-20_000:])


class WebSide(Child):
    """tests/pipeline/web_side.py: a Django process that saves calendar edits
    and publishes to the broker its REDIS_URL names, answering one JSON line
    per command."""

    def __init__(self, name, args, env, log):
        super().__init__(
            name, args, env, log, stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def call(self, timeout: float = 30, **command) -> dict:
        self.proc.stdin.write((json.dumps(command) + "\n").encode())
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            pytest.fail(f"web side gave no answer to {command} in {timeout} s")
        line = self.proc.stdout.readline()
        if not line:
            pytest.fail(f"web side exited ({self.proc.poll()}):\n{self.log()}")
        return json.loads(line)

    def stop(self, timeout: float = 10) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        super().stop(timeout)


@pytest.fixture
def processes(tmp_path) -> Iterator[Processes]:
    procs = Processes(tmp_path)
    try:
        yield procs
    finally:
        procs.stop_all()
        procs.print_logs()


# --- Redis ------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own on a free loopback port: the fault tests stop,
    pause and restart it by its pid, never the shared server."""

    def __init__(self, tmp_path: Path):
        self.tmp_path = tmp_path
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        for _ in range(5):
            self.port = self.port or _free_port()
            if self._launch():
                return
            if self.proc and self.proc.poll() is None:
                self.stop()
            self.port = 0  # taken meanwhile: try another
        pytest.fail("could not start a private redis-server")

    def restart(self) -> None:
        """Start again on the same port (clients reconnect to the same URL)."""
        assert self.proc is None or self.proc.poll() is not None
        if not self._launch():
            pytest.fail(f"could not restart redis-server on port {self.port}")

    def _launch(self) -> bool:
        log = open(self.tmp_path / f"redis-{self.port}.log", "ab")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", str(self.tmp_path),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False  # e.g. the port is in use
            try:
                info = self.client().info("server")
            except redis.RedisError:
                time.sleep(0.05)
                continue
            # Make sure we talk to our server, not one that had the port.
            return info["process_id"] == self.proc.pid
        return False

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def queue_length(self, queue: str = "celery") -> int:
        return self.client().llen(queue)

    def stop(self) -> None:
        """Stop it: clients now get `connection refused`."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.kill()
            self.proc.wait(timeout=10)

    def pause(self) -> None:
        """SIGSTOP: connections open and accepted, but nothing answers."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


@pytest.fixture
def private_redis(tmp_path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        message = "redis-server is not installed"
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    server = PrivateRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def shared_broker(real_services) -> str:
    """REDIS_URL, emptied of messages earlier tests left in the queue."""
    from config.celery import app

    app.control.purge()
    return settings.REDIS_URL


# --- data -------------------------------------------------------------------


@contextlib.contextmanager
def nothing_queued():
    """Setting up data must not queue rebuilds on whatever broker is about."""
    with mock.patch("rollout.tasks.recommendations_enqueue"):
        yield


def manager_token(plant: Plant) -> str:
    """A read-write API token of a plant manager of `plant`."""
    from django.contrib.auth.models import Group

    from accounts.permissions import PLANT_MANAGER
    from accounts.tokens import api_token_create
    from tests.factories import UserFactory

    user = UserFactory(username=f"{plant.code}-manager")
    user.groups.add(Group.objects.get_or_create(name=PLANT_MANAGER)[0])
    plant.members.add(user)
    return api_token_create(user=user, name="pipeline", scope="read_write")[1]


def company_wide_season() -> PeakSeason:
    """A peak season of every plant, 60-90 days ahead: each one's calendar
    changes."""
    today = datetime.date.today()
    return calendar_services.calendar_item_create(
        model=PeakSeason,
        plant=None,
        name="Q4",
        start=today + datetime.timedelta(days=60),
        end=today + datetime.timedelta(days=90),
        severity=4,
    )


def plant_with_rollouts(*, code: str, rollouts: int = 2) -> tuple[Plant, Milestone]:
    """A plant with a hard milestone and `rollouts` rollouts, recommendations
    built in-process from its current calendar."""
    today = datetime.date.today()
    with nothing_queued():
        plant = calendar_services.plant_create(
            code=code,
            name=f"Plant {code}",
            timezone="Europe/Berlin",
            country="DE",
            subdivision="BW",
        )
        milestone = calendar_services.calendar_item_create(
            model=Milestone,
            plant=plant,
            name="SOP",
            kind="sop",
            start=today + datetime.timedelta(days=200),
            end=today + datetime.timedelta(days=202),
            criticality=5,
            freeze_before_days=10,
            freeze_after_days=10,
            hard=True,
        )
        for n in range(rollouts):
            services.rollout_save(
                rollout=Rollout(
                    name=f"{code} system {n}",
                    kind=Rollout.Kind.MES,
                    training_days=5 + n % 7,
                    cutover_days=2 + n % 3,
                    hypercare_days=10 + n % 5,
                ),
                plants=[plant],
            )
    services.plant_recommendations_rebuild(plant_id=plant.id)
    plant.refresh_from_db()
    return plant, milestone
