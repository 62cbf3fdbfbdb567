"""The two-command setup: `make run` serves the demo on a fresh SQLite file,
and docker-compose describes the services a production install needs."""

import contextlib
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status
    except OSError:
        return None


@contextlib.contextmanager
def _serving(command: list[str], *, env: dict, log: Path, port: int, seconds: int):
    """Start `command` (a server on `port`, output to `log`) and wait up to
    `seconds` for its /healthz; yields (that status, the log so far) and stops
    the server's whole process group afterwards."""
    with log.open("w") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + seconds
        status = None
        while time.monotonic() < deadline and process.poll() is None:
            status = _get(f"http://127.0.0.1:{port}/healthz")
            if status == 200:
                break
            time.sleep(0.5)
        yield status, log.read_text()
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def test_make_run_serves_the_demo_on_a_fresh_sqlite_file(tmp_path):
    database = tmp_path / "demo.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        "DEMO_DATABASE_URL": f"sqlite:///{database}",
        "PORT": str(port),
        "REDIS_URL": "redis://127.0.0.1:1/0",  # make run must ignore it
    }
    run = ["make", "run", f"PORT={port}"]
    log = tmp_path / "make-run.log"
    with _serving(run, env=env, log=log, port=port, seconds=240) as (status, output):
        assert status == 200, f"make run did not serve /healthz:\n{output[-3000:]}"
        assert f"http://127.0.0.1:{port}/" in output
        assert "li.wei" in output and "offpeak-demo" in output  # demo logins
        login = _get(f"http://127.0.0.1:{port}/login/")
        assert login == 200

    with sqlite3.connect(database) as db:
        plants = db.execute("SELECT code FROM calendars_plant ORDER BY code").fetchall()
        windows = db.execute("SELECT COUNT(*) FROM rollout_recommendation").fetchone()
    assert [code for (code,) in plants] == ["MTY", "STG", "SZ"]
    # Tasks ran in-process, so the recommendations are already built.
    assert windows[0] > 0


def test_seed_demo_twice_does_not_duplicate_anything(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "REDIS_URL": "",
    }
    python = str(ROOT / ".venv" / "bin" / "python")
    manage = [python, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, timeout=300)
    counts = []
    for _ in range(2):
        subprocess.run(
            [*manage, "seed_demo"],
            env=env,
            check=True,
            timeout=300,
            capture_output=True,
        )
        with sqlite3.connect(tmp_path / "demo.sqlite3") as db:
            counts.append(
                tuple(
                    db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                    for table in (
                        "calendars_plant",
                        "calendars_peakseason",
                        "calendars_milestone",
                        "calendars_blackout",
                        "calendars_productionplan",
                        "calendars_planline",
                        "auth_user",
                        "rollout_rollout",
                    )
                )
            )
    assert counts[0] == counts[1]
    assert counts[0][0] == 3


def test_compose_defines_web_worker_beat_postgres_and_redis():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]

    assert set(services) >= {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    # worker and beat reuse the web definition: same image build, same settings.
    for name in ("worker", "beat"):
        assert services[name]["build"] == services["web"]["build"]
        assert services[name]["environment"] == services["web"]["environment"]
    assert (
        "gunicorn --config config/gunicorn.py config.wsgi:application"
        in services["web"]["command"]
    )
    assert services["worker"]["command"].startswith("celery -A config worker")
    assert services["beat"]["command"].startswith("celery -A config beat")
    assert (ROOT / "Dockerfile").exists()
    env = services["web"]["environment"]
    assert env["DATABASE_URL"].startswith("postgres://")
    assert env["REDIS_URL"].startswith("redis://")


def test_the_modules_compose_starts_exist():
    from config.celery import app
    from config.wsgi import application

    assert application is not None
    assert app.main == "offpeak"


def test_gunicorn_starts_as_compose_starts_it_and_freezes_its_start_up_objects(
    tmp_path,
):
    """The web service's own gunicorn command (one worker, a local port): it
    serves, and each worker reports the objects it froze out of garbage
    collection (config/gunicorn.py), which keeps full collections from
    stalling its requests."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    command = compose["services"]["web"]["command"]
    gunicorn = command[command.index("gunicorn ") :].rstrip('"').split()
    port = _free_port()
    gunicorn[gunicorn.index("0.0.0.0:8000")] = f"127.0.0.1:{port}"
    gunicorn[gunicorn.index("--workers") + 1] = "1"
    gunicorn[0] = str(ROOT / ".venv" / "bin" / "gunicorn")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
        "REDIS_URL": "",
        "DEBUG": "false",
        "SECRET_KEY": "test-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
    }
    log = tmp_path / "gunicorn.log"
    command = [*gunicorn, "--log-level", "info"]
    with _serving(command, env=env, log=log, port=port, seconds=60) as (
        status,
        output,
    ):
        assert status == 200, f"gunicorn did not serve /healthz:\n{output[-3000:]}"
        frozen = re.search(r"(\d+) start-up objects frozen out of garbage", output)
        assert frozen, f"no worker froze its start-up objects:\n{output[-3000:]}"
        assert int(frozen.group(1)) > 10_000  # Django, DRF and the apps
        assert "thresholds (10000, 10, 10)" in output
