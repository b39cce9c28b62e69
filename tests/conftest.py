"""Shared fixtures: an isolated, migrated database per test, on SQLite and on PostgreSQL.

- SQLite: the migrations run once into a template file; each test gets a private in-memory
  copy of it (sqlite3 backup API) behind a ``StaticPool``.
- PostgreSQL (127.0.0.1:5432, database ``test``, or ``SRMATCH_TEST_PG_URL``): the migrations
  run once into a schema private to this test process; after each test every table is
  truncated. The code under test uses a real engine and really commits.

Tests that take ``engine`` or ``session`` run on both backends. Outside CI the PostgreSQL
variant skips with a one-line reason when no server answers; with CI=true it fails instead.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text
from sqlalchemy.pool import StaticPool
from sqlmodel import Session, SQLModel, create_engine

from models.db import create_db_engine, json_text, upgrade, use_sqlite_savepoints

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# CI runs the property tests with fixed examples (a red build is reproducible); developers get
# fresh examples every run. No timing deadlines: a loaded 2-core machine is not a failure.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile("ci" if IN_CI else "dev")
# no index snapshots unless a test asks for one: every SQLite test database is a copy of one
# template, so they would all carry the same database token (api.services.matching)
os.environ["SRMATCH_INDEX_DIR"] = ""
PG_URL = os.environ.get("SRMATCH_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def pg_unavailable_reason() -> str | None:
    """None when the PostgreSQL test server answers, else a one-line reason."""
    try:
        eng = create_db_engine(PG_URL, pool_pre_ping=False, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as exc:  # any failure to connect means: no usable server here
        return f"PostgreSQL not reachable at {PG_URL} ({type(exc).__name__})"


def require_pg() -> None:
    """Skip (or, in CI, fail) the calling test when PostgreSQL is not reachable."""
    reason = pg_unavailable_reason()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true, so PostgreSQL tests may not skip: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file migrated to head once per test run."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    eng = create_db_engine(f"sqlite:///{path}")
    upgrade(eng)
    eng.dispose()
    return path


@pytest.fixture(scope="session")
def pg_schema_engine() -> Iterator[Engine]:
    """An engine whose search_path is a private schema of the test database, migrated once."""
    require_pg()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = create_db_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    upgrade(eng)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def sqlite_memory_copy(template: Path) -> Engine:
    """A private in-memory copy of the migrated template, with foreign keys on."""
    mem = sqlite3.connect(":memory:", check_same_thread=False)
    src = sqlite3.connect(template)
    src.backup(mem)
    src.close()
    mem.execute("PRAGMA foreign_keys=ON")
    mem.isolation_level = None
    eng = create_engine(
        "sqlite://", creator=lambda: mem, poolclass=StaticPool, json_serializer=json_text
    )
    use_sqlite_savepoints(eng)
    return eng


def stop_server(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """Stop a server process a test started: SIGTERM, then SIGKILL after ``timeout`` s."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()


def stop_leftover_refreshers() -> int:
    """Stop the index refresh threads (``srmatch-index``) an earlier app of this process left
    running (a lifespan's stop waits 5 s for a refresh in progress, then gives up): one that
    polls while the next test truncates deadlocks with it, or reads a closed database."""
    stopped = 0
    for thread in threading.enumerate():
        target = getattr(thread, "_target", None)  # the service's bound ``_run``
        service = getattr(target, "__self__", None)
        if thread.name == "srmatch-index" and service is not None:
            service.stop()
            thread.join(timeout=30)
            stopped += 1
    return stopped


def _truncate_all(eng: Engine) -> None:
    # the database's identity (its one-row token, migration 0011) stays, as alembic's version
    # does: it names the database, not data a test wrote
    tables = ", ".join(
        f'"{t.name}"' for t in SQLModel.metadata.sorted_tables if t.name != "databaseinstance"
    )
    with eng.begin() as conn:
        # the audit trail refuses TRUNCATE (migration 0003); a test database's superuser skips
        # that trigger for this one transaction, as a replication apply would
        conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, sqlite_template: Path) -> Iterator[Engine]:
    """A migrated database private to this test (see the module docstring)."""
    if request.param == "sqlite":
        eng = sqlite_memory_copy(sqlite_template)
        yield eng
        stop_leftover_refreshers()
        eng.dispose()
        return
    pg: Engine = request.getfixturevalue("pg_schema_engine")
    try:
        yield pg
    finally:
        stop_leftover_refreshers()
        _truncate_all(pg)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A Session on this test's database."""
    with Session(engine, expire_on_commit=False) as s:
        yield s
