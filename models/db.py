"""Engines, schema checks and migrations.

SQLite (the default) gets WAL, foreign keys and a busy timeout on every connection, so several
server processes and the CLI can share one file. PostgreSQL needs nothing special.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session, create_engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class SchemaOutdatedError(RuntimeError):
    """The database schema is not at the newest migration."""


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` and ``postgres://`` and use the psycopg 3 driver for them."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and sane pragmas."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        connect_args = kwargs.pop("connect_args", {})
        connect_args.setdefault("check_same_thread", False)
        connect_args.setdefault("timeout", 30)
        if database and database != ":memory:":
            # a connection per server thread (anyio runs sync routes on up to 40): requests
            # queue on SQLite's write lock, holding a pooled connection while they wait
            kwargs.setdefault("pool_size", 40)
            kwargs.setdefault("max_overflow", 10)
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # see use_sqlite_savepoints
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            if database and database != ":memory:":
                cursor.execute("PRAGMA journal_mode=WAL")
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        use_sqlite_savepoints(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # as many connections as the server has threads for sync routes (anyio's 40), so a burst of
    # requests queues in the database, not in a pool timeout; 40 x 2 workers < max_connections
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 30)
    return create_engine(url, **kwargs)


#: execution option naming how an SQLite transaction begins (``IMMEDIATE`` unless set)
SQLITE_BEGIN = "sqlite_begin"


def read_only(engine: Engine) -> Engine:
    """The same engine for work that only reads: on SQLite its transactions begin DEFERRED, so
    they never wait for, nor hold up, a writer (WAL readers see the last commit)."""
    return engine.execution_options(**{SQLITE_BEGIN: "DEFERRED"})


def use_sqlite_savepoints(engine: Engine) -> None:
    """Let SQLAlchemy, not pysqlite, begin transactions, so SAVEPOINTs nest as they should, and
    begin them IMMEDIATE, so writers queue instead of failing.

    pysqlite's own transaction handling lets the release of an outer savepoint commit, which
    would break per-row savepoints inside an all-or-nothing import. The connection runs with
    ``isolation_level = None`` and the transaction starts with an explicit BEGIN (the recipe in
    SQLAlchemy's SQLite dialect documentation).

    IMMEDIATE takes the write lock up front. A request reads before it writes (the user, then
    an audit event or a shortlist-log row); with a deferred BEGIN the upgrade from reader to
    writer fails at once with "database is locked" whenever another writer got there first,
    and the busy timeout never applies. Taking the lock at BEGIN makes the busy timeout queue
    concurrent writers instead. Read-only work opts out with :func:`read_only`.
    """

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(f"BEGIN {conn.get_execution_options().get(SQLITE_BEGIN, 'IMMEDIATE')}")


def alembic_config(engine_or_url: Engine | str) -> Config:
    """An Alembic config pointing at our migrations; the URL or engine goes in attributes."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if isinstance(engine_or_url, str):
        cfg.set_main_option("sqlalchemy.url", normalise_url(engine_or_url).replace("%", "%%"))
    else:
        cfg.attributes["engine"] = engine_or_url
    return cfg


def head_revision() -> str:
    """The newest migration id in the repository."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration id the database is at (None for an empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision``."""
    command.upgrade(alembic_config(engine), revision)


def check_schema(engine: Engine) -> None:
    """Raise SchemaOutdatedError naming the fix unless the schema is at the newest migration."""
    current, head = current_revision(engine), head_revision()
    if current != head:
        raise SchemaOutdatedError(
            f"database schema is at {current or 'nothing (empty database)'}, "
            f"the code needs {head}: run 'srmatch db upgrade'"
        )


_AFTER_COMMIT = "srmatch_after_commit"


def after_commit(session: Session, hook: Callable[[], None]) -> None:
    """Run ``hook`` once the session's current transaction has committed (never on rollback).

    Services use it for work that must see committed data, such as re-indexing a candidate in
    the matching runtime, while the caller (route, page, CLI command) decides when to commit.
    """
    session.info.setdefault(_AFTER_COMMIT, []).append(hook)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    hooks = session.info.pop(_AFTER_COMMIT, [])
    for hook in hooks:
        hook()


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_AFTER_COMMIT, None)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
