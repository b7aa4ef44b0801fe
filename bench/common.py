"""What every benchmark needs: a scratch database, timing, percentiles and the closing JSON line.

`scratch_database()` never touches the developer's database. With a PostgreSQL `DATABASE_URL`
it creates a fresh database on the same server (`ekabinet_bench_<pid>`, through the `postgres`
maintenance database) and drops it afterwards, also on an error or SIGTERM; without one (or with
a SQLite URL) it uses a SQLite file in a temporary directory that it deletes. It points
`DATABASE_URL` at the scratch database *before* `django.setup()`, so Django never opens the
original one, and runs `migrate`.

With `REDIS_URL` set, the cache and channel-layer prefixes are made unique to the run and the
run's keys are deleted at the end (only those: never a FLUSHDB).

Typical use::

    from bench.common import bench_parser, emit, measure, percentile, scratch_database

    args = bench_parser(__doc__).parse_args()
    with scratch_database() as db:
        ...  # import Django models here, after setup
        timings = measure(lambda: client.get("/"), runs=50, warmup=3)
        emit({"bench": "name", "p50_ms": percentile(timings, 50), ...})
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import signal
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

SETTINGS_MODULE = "ekabinet.settings.base"
POSTGRES_SCHEMES = ("postgres", "postgresql")
MAINTENANCE_DB = "postgres"


@dataclass(frozen=True)
class ScratchDatabase:
    """The database a benchmark runs on: `vendor` is "postgresql" or "sqlite"."""

    vendor: str
    name: str
    url: str
    cache: str  # "redis" or "locmem"
    conn_max_age: int

    def describe(self) -> str:
        where = self.name if self.vendor == "sqlite" else f"database {self.name}"
        return f"{self.vendor} ({where}), cache {self.cache}, CONN_MAX_AGE {self.conn_max_age}"


def _with_dbname(url: str, name: str) -> str:
    """`url` with its database (the path) replaced by `name`; user, host, port and options kept."""
    return urlunsplit(urlsplit(url)._replace(path="/" + name))


def _admin_connection(url: str):
    import psycopg

    return psycopg.connect(_with_dbname(url, MAINTENANCE_DB), autocommit=True, connect_timeout=10)


def _create_postgres(url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_postgres(url: str, name: str) -> None:
    from psycopg import sql

    with _admin_connection(url) as conn:
        # FORCE (PostgreSQL 13+) ends any connection a failed run may have left open.
        force = sql.SQL(" WITH (FORCE)") if conn.info.server_version >= 130000 else sql.SQL("")
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}{}").format(sql.Identifier(name), force))


def _delete_redis_keys(redis_url: str, prefix: str) -> int:
    """Delete this run's keys (`<prefix>:*`) only; returns how many there were."""
    import redis

    client = redis.Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=5)
    try:
        keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return len(keys)
    finally:
        client.close()


def _raise_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


@contextmanager
def _environ(**values: str) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@contextmanager
def scratch_database(
    prefix: str = "ekabinet_bench", settings_module: str = SETTINGS_MODULE, log_level: str = "WARNING"
) -> Iterator[ScratchDatabase]:
    """Set Django up on a fresh, migrated database; drop it (and the run's Redis keys) afterwards.

    Also sets `DJANGO_SETTINGS_MODULE`, `DJANGO_DEBUG=0` (figures as in production: no query
    log) and `LOG_LEVEL` (quiet, so that the JSON line stays the last line of output).
    """
    from django.conf import settings as django_settings

    if django_settings.configured:
        raise RuntimeError("Django is already set up: scratch_database() must come before django.setup().")

    name = f"{prefix}_{os.getpid()}"
    original_url = os.environ.get("DATABASE_URL", "").strip()
    redis_url = os.environ.get("REDIS_URL", "").strip()
    is_postgres = original_url.split("://", 1)[0] in POSTGRES_SCHEMES
    tmpdir = None
    created = False
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_on_sigterm)
    try:
        if is_postgres:
            url = _with_dbname(original_url, name)
            _create_postgres(original_url, name)
            created = True
            location = name
        else:
            tmpdir = tempfile.mkdtemp(prefix=f"{name}_")
            location = os.path.join(tmpdir, "bench.sqlite3")
            url = f"sqlite:///{location}"
        env = {
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_DEBUG": "0",
            "LOG_LEVEL": log_level,
        }
        if redis_url:
            env["EKABINET_CACHE_PREFIX"] = name
            env["EKABINET_CHANNELS_PREFIX"] = f"{name}:"
        # WhiteNoise warns that STATIC_ROOT is missing until collectstatic runs: irrelevant here.
        warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
        with _environ(**env):
            import django
            from django.core.management import call_command
            from django.db import connection, connections

            try:
                django.setup()
                # Belt and braces: the scratch database, never the developer's.
                actual = str(connection.settings_dict["NAME"])
                if actual != location:
                    raise RuntimeError(f"Django points at {actual!r}, not the scratch database {location!r}")
                call_command("migrate", interactive=False, verbosity=0)
                yield ScratchDatabase(
                    vendor=connection.vendor,
                    name=location,
                    url=url,
                    cache="redis" if redis_url else "locmem",
                    conn_max_age=int(connection.settings_dict.get("CONN_MAX_AGE") or 0),
                )
            finally:
                connections.close_all()
                if redis_url:
                    _delete_redis_keys(redis_url, name)
    finally:
        try:
            if created:
                _drop_postgres(original_url, name)
            if tmpdir:
                shutil.rmtree(tmpdir, ignore_errors=True)
        finally:
            signal.signal(signal.SIGTERM, previous_sigterm)


def measure(fn: Callable[[], object], runs: int, warmup: int = 0) -> list[float]:
    """Call `fn` `warmup` times untimed, then `runs` times; the wall times in milliseconds."""
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def percentile(values: list[float], p: float) -> float:
    """The `p`-th percentile (0-100), interpolating linearly between the closest ranks."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summary_ms(timings: list[float]) -> dict[str, float]:
    """p50 and p95 of timings in milliseconds, rounded for the report."""
    return {"p50_ms": round(percentile(timings, 50), 2), "p95_ms": round(percentile(timings, 95), 2)}


def bench_parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser with the `--quick` every benchmark has; add your own options to it."""
    parser = argparse.ArgumentParser(
        description=(doc or "").strip().splitlines()[0] if doc else None,
        epilog="The last line of output is one JSON object with the figures.",
    )
    parser.add_argument("--quick", action="store_true", help="a small size that runs in seconds")
    return parser


def say(line: str = "") -> None:
    """A human-readable line, flushed so that it comes before the JSON line."""
    print(line, flush=True)


def emit(result: dict) -> None:
    """Print the figures as the last line of output: one JSON object."""
    sys.stderr.flush()
    print(json.dumps(result, ensure_ascii=False), flush=True)


def query_samples(request, samples: int = 3) -> tuple[int, list[int]]:
    """SQL queries of `request()` (a callable making one request): the largest of a few samples,
    and all the samples (a first request may warm a cache)."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(samples):
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as captured:
            request()
        counts.append(len(captured))
    return max(counts), counts
