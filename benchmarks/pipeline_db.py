"""The pipeline benchmark's servers: is PostgreSQL and Redis there, which
database, and switching this process between two databases.

No Django model is imported here: bench_pipeline.py uses it before
django.setup().
"""

from __future__ import annotations

import dj_database_url
import psycopg
from psycopg import sql


class Unreachable(Exception):
    """A server the benchmark needs is not there: nothing can be measured."""


def database_name(url: str) -> str:
    return dj_database_url.parse(url)["NAME"]


def database_url_with_name(url: str, name: str) -> str:
    """`url` naming another database on the same server."""
    head, _, tail = url.partition("?")
    base = head.rsplit("/", 1)[0]
    return f"{base}/{name}" + (f"?{tail}" if tail else "")


def database_ensure(url: str) -> None:
    """CREATE DATABASE if it is missing; Unreachable when the server is not
    there (or the URL is not PostgreSQL: the benchmark needs its locking)."""
    config = dj_database_url.parse(url)
    if not config["ENGINE"].endswith("postgresql"):
        raise Unreachable(f"DATABASE_URL is not PostgreSQL: {url}")
    params = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"] or None,
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
        "connect_timeout": 5,
    }
    try:
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as c:
            found = c.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
            ).fetchone()
            if not found:
                c.execute(
                    sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"]))
                )
                print(f"created database {config['NAME']}", flush=True)
    except psycopg.OperationalError as exc:
        where = f"{params['host']}:{params['port']}"
        raise Unreachable(f"PostgreSQL at {where}: {exc}") from None


def redis_check(url: str) -> None:
    if not url:
        raise Unreachable(
            "REDIS_URL names no Redis server: the benchmark runs a worker"
        )
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as exc:
        raise Unreachable(f"Redis at {url}: {exc}") from None


def database_use(url: str) -> None:
    """Point this process's default connection at the database of `url` (the
    next query connects anew); the benchmark's workers get `url` themselves."""
    from django.db import connections

    connection = connections["default"]
    connection.close()
    connection.settings_dict["NAME"] = database_name(url)
