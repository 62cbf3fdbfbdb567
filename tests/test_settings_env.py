"""Settings come from the environment and a bad value stops the process with a
message naming the variable."""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_timezone, env_url

ROOT = Path(__file__).resolve().parent.parent
# Everything settings.py reads that would change what these tests check.
SETTINGS_VARIABLES = [
    "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "TIME_ZONE",
    "DJANGO_SETTINGS_MODULE",
]  # fmt: skip


@pytest.mark.parametrize("raw", ["yes", "no", "enabled", "2"])
def test_env_bool_rejects_words_it_does_not_know(monkeypatch, raw):
    monkeypatch.setenv("X", raw)

    with pytest.raises(ImproperlyConfigured, match=r"^X=.* is not a boolean"):
        env_bool("X")


@pytest.mark.parametrize(
    "raw, value",
    [("true", True), (" ON ", True), ("1", True), ("false", False), ("0", False),
     ("Off", False), ("", False)],
)  # fmt: skip
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, value):
    monkeypatch.setenv("X", raw)

    assert env_bool("X") is value


def test_env_bool_falls_back_to_its_default(monkeypatch):
    monkeypatch.delenv("X", raising=False)

    assert env_bool("X", "true") is True


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "ten")

    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT='ten'"):
        env_int("EMAIL_PORT", "587")


def test_env_int_reads_a_number(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", " 2525 ")

    assert env_int("EMAIL_PORT", "587") == 2525


def test_env_timezone_rejects_an_unknown_zone(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Mars/Base")

    with pytest.raises(ImproperlyConfigured, match="TIME_ZONE='Mars/Base'"):
        env_timezone("TIME_ZONE", "UTC")


def test_env_timezone_reads_a_zone(monkeypatch):
    monkeypatch.setenv("TIME_ZONE", "Asia/Shanghai")

    assert env_timezone("TIME_ZONE", "UTC") == "Asia/Shanghai"


def test_env_url_rejects_a_database_it_does_not_support(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://offpeak@db/offpeak")

    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL=.*postgres://"):
        env_url("DATABASE_URL", "", ("sqlite", "postgres", "postgresql"))


def test_env_url_accepts_postgres(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://offpeak@db/offpeak")

    assert env_url("DATABASE_URL", "", ("postgres",)).startswith("postgres://")


def test_env_list_splits_and_trims(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example.com, ,b.example.com ")

    assert env_list("ALLOWED_HOSTS") == ["a.example.com", "b.example.com"]


def _run(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def test_production_settings_refuse_to_start_without_a_secret_key():
    result = _run(
        "-c", "import django, config.settings", DEBUG="false",
        ALLOWED_HOSTS="offpeak.example.com",
    )  # fmt: skip

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = _run(
        "-c", "import django, config.settings", DEBUG="false",
        SECRET_KEY=_secret_key(),
    )  # fmt: skip

    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_a_bad_debug_value_stops_the_settings_naming_debug():
    result = _run("-c", "import django, config.settings", DEBUG="yes")

    assert result.returncode != 0
    assert "DEBUG='yes' is not a boolean" in result.stderr


def test_production_settings_pass_the_deployment_checks():
    result = _run(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false", SECRET_KEY=_secret_key(),
        ALLOWED_HOSTS="offpeak.example.com",
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
