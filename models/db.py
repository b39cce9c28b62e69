"""Engines, schema checks and migrations.

SQLite (the default) gets WAL, foreign keys and a busy timeout on every connection, so several
server processes and the CLI can share one file. PostgreSQL needs nothing special.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import json
import math
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import orjson
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import JSON, Engine, Null, Table, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
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


def json_text(value: Any) -> str:
    """The JSON text of a JSON column's value, as every engine here writes it: orjson, about
    five times faster than ``json.dumps`` (a 1,000,000-row import writes three JSON values per
    row, and one per audit event); ``json.dumps`` for a value orjson does not take.

    Examples
    --------
    >>> json_text([{"id": "heftruck", "confidence": 0.9, "implied": False}])
    '[{"id":"heftruck","confidence":0.9,"implied":false}]'
    >>> json_text({1: "één"})
    '{"1":"één"}'
    """
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(value)


def create_db_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite files get their folder created and sane pragmas."""
    kwargs.setdefault("json_serializer", json_text)
    url = normalise_url(url)
    parsed = make_url(url)
    # SQL parameters are candidates' data: keep them out of exception texts and logs
    kwargs.setdefault("hide_parameters", True)
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


def lock_for_update(session: Session, obj: Any) -> None:
    """Re-read ``obj``'s row and lock it until the transaction ends (``SELECT ... FOR UPDATE``
    on PostgreSQL; SQLite's IMMEDIATE transaction already holds the database's write lock).

    Call it before reading what a write derives from, so the derived fields (a candidate's
    ``skills_norm`` from its occupations, a referral's next status from its current one) are
    computed from the stored row, not from a version another request has replaced meanwhile.
    """
    session.refresh(obj, with_for_update=True)


#: the constraint kinds an IntegrityError reports, by PostgreSQL SQLSTATE
_SQLSTATE_KIND = {
    "23505": "unique",
    "23503": "foreign key",
    "23502": "not null",
    "23514": "check",
}


def describe_conflict(exc: IntegrityError | StaleDataError) -> str:
    """One line saying which stored rule a concurrent write broke, and what to do about it.

    Used for the 409 answer when two requests race for the same row or the same unique key
    (two proposals of one pair, two imports of one reference, two edits of one version).
    """
    if isinstance(exc, StaleDataError):
        return (
            "someone else changed this record at the same time; nothing was saved: "
            "read it again and repeat your change"
        )
    orig = exc.orig
    diag = getattr(orig, "diag", None)
    if diag is not None:  # psycopg: constraint and table by name, the clashing key in detail
        kind = _SQLSTATE_KIND.get(getattr(orig, "sqlstate", "") or "", "integrity")
        where = diag.constraint_name or diag.table_name or "a table"
        detail = (diag.message_detail or "").strip()
        what = f"{kind} constraint {where}" + (f" ({detail[:200]})" if detail else "")
    else:  # sqlite3: "UNIQUE constraint failed: referral.candidate_id, referral.vacancy_id"
        what = str(orig).strip()[:200]
    return (
        f"clashes with data written at the same time: {what}; nothing was saved: "
        "read the current state and try again"
    )


def database_writable(engine: Engine) -> str | None:
    """None when the database accepts a write, else why not (a read-only file or server).

    The probe updates the migration-version row to itself in a transaction that is rolled
    back, so it writes nothing; on SQLite it begins IMMEDIATE and so waits its turn behind
    the writers like any request.
    """
    try:
        with engine.connect() as conn, conn.begin() as tx:
            conn.execute(text("UPDATE alembic_version SET version_num = version_num"))
            tx.rollback()
    except Exception as exc:  # any refusal means: requests that write will fail
        return f"database not writable: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
    return None


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


T = TypeVar("T")
#: ids per ``IN (...)`` list: far below SQLite's variable limit, keeps statements small
IN_LIMIT = 900


def in_chunks(items: Sequence[T], n: int = IN_LIMIT) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``n`` (one ``IN (...)`` list or one multi-row write each).

    >>> [list(c) for c in in_chunks([1, 2, 3], 2)]
    [[1, 2], [3]]
    """
    for i in range(0, len(items), n):
        yield items[i : i + n]


def insert_many(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert many rows in the session's transaction: one COPY on PostgreSQL (several times
    faster than an INSERT per row for a large file; the row triggers still fire), multi-row
    INSERTs of 500 elsewhere."""
    if not rows:
        return
    if session.connection().dialect.name == "postgresql":
        _copy_insert(session, table, rows)
        return
    for chunk in in_chunks(rows, 500):
        session.execute(table.insert(), list(chunk))


def next_ids(session: Session, table: Table, n: int) -> list[int] | None:
    """``n`` new values of ``table``'s ``id`` from its PostgreSQL sequence, in one statement,
    for rows written with their ids (a COPY returns none); None on SQLite, where the database
    assigns them as the rows go in."""
    if n <= 0 or session.connection().dialect.name != "postgresql":
        return None
    stmt = text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)")
    return [int(i) for i in session.execute(stmt, {"table": table.name, "n": n}).scalars()]


def _copy_insert(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` with one PostgreSQL COPY instead of an INSERT per row: several times
    faster for a large file, in the same transaction (the session's connection), and the
    database's row triggers still fire. Each value passes its column type's bind processor, as
    an INSERT would (a JSON column's value written by :func:`json_text`, Python's None as JSON
    null unless the type says ``none_as_null``); an absent column takes its Python-side default
    as in a Core insert, else the server's. The rows are written as COPY text by
    :func:`copy_text`, a few thousand at a time (a call into the driver per row cost a
    1,000,000-row import 40 s)."""
    import psycopg  # only PostgreSQL comes here

    conn = session.connection()
    dialect = conn.dialect
    names = list(dict.fromkeys(itertools.chain.from_iterable(rows)))
    defaults: dict[str, Any] = {}
    for c in table.columns:
        default = c.default
        if c.name in names or default is None:
            continue
        if getattr(default, "is_scalar", False) or getattr(default, "is_callable", False):
            names.append(c.name)
            defaults[c.name] = default
    pairs = [(n, _copy_formatter(table.c[n].type, dialect)) for n in names]

    quote = dialect.identifier_preparer.quote
    sql = (
        f"COPY {dialect.identifier_preparer.format_table(table)} "
        f"({', '.join(quote(n) for n in names)}) FROM STDIN"
    )
    raw = conn.connection.driver_connection
    assert isinstance(raw, psycopg.Connection)
    try:
        with raw.cursor() as cur, cur.copy(sql) as copy:
            for chunk in in_chunks(rows, 2_000):
                if defaults:
                    chunk = [{**{n: _default_of(d) for n, d in defaults.items()}, **row}
                             for row in chunk]  # fmt: skip
                # column by column: a value that is the very object of the row before (the same
                # clock, user or file detail on every audit event) is formatted once
                cells = [_column_text(f, [row.get(n) for row in chunk]) for n, f in pairs]
                lines = zip(*cells, strict=True)
                copy.write("".join(["\t".join(line) + "\n" for line in lines]))
    except psycopg.Error as exc:  # as SQLAlchemy wraps it for an INSERT (IntegrityError, ...)
        raise DBAPIError.instance(sql, None, exc, psycopg.Error, hide_parameters=True) from exc


def _column_text(text: Callable[[Any], str], values: list[Any]) -> list[str]:
    """COPY text of one column's values; a run of the same object is formatted once (every row
    exists before the COPY starts, so the same object is the same value)."""
    out: list[str] = []
    last: Any = out  # no value is this list
    cell = ""
    for value in values:
        if value is not last:
            last, cell = value, text(value)
        out.append(cell)
    return out


#: COPY text format: a backslash, newline, carriage return or tab in a value is escaped
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"})
_FLOAT_WORDS = {math.inf: "Infinity", -math.inf: "-Infinity"}


def _escaped(text: str) -> str:
    if "\\" in text or "\n" in text or "\r" in text or "\t" in text:
        return text.translate(_COPY_ESCAPES)
    return text


def _float_text(value: float) -> str:
    if math.isfinite(value):
        return repr(value)
    return "NaN" if math.isnan(value) else _FLOAT_WORDS[value]


_COPY_TEXT: dict[type, Callable[[Any], str]] = {
    type(None): lambda v: "\\N",
    str: _escaped,
    bool: lambda v: "t" if v else "f",
    int: int.__repr__,
    float: _float_text,
    datetime.datetime: datetime.datetime.isoformat,
    datetime.date: datetime.date.isoformat,
    datetime.time: datetime.time.isoformat,
    decimal.Decimal: str,
    uuid.UUID: str,
}


def copy_text(value: Any) -> str:
    r"""One value in PostgreSQL's COPY text format.

    Examples
    --------
    >>> [copy_text(v) for v in (None, True, 3, 0.5, float("nan"), "a\tb\\c")]
    ['\\N', 't', '3', '0.5', 'NaN', 'a\\tb\\\\c']
    >>> copy_text(datetime.date(2026, 12, 6))
    '2026-12-06'
    """
    text = _COPY_TEXT.get(type(value))
    if text is not None:
        return text(value)
    if isinstance(value, bool | int):  # an IntEnum: its number
        return int.__repr__(int(value))
    if isinstance(value, str):  # a str enum: its value, as the driver would write it
        return _escaped(str.__str__(value))
    for kind, text in _COPY_TEXT.items():  # subclasses of the others
        if isinstance(value, kind):
            return text(value)
    raise TypeError(f"no COPY text for a value of type {type(value).__name__}: {value!r}")


def _copy_formatter(sqltype: Any, dialect: Any) -> Callable[[Any], str]:
    """The COPY text of a column's value, after what its type's bind processor does."""
    if isinstance(sqltype, JSON):
        none_as_null = bool(sqltype.none_as_null)

        def json_value(value: Any) -> str:
            if isinstance(value, Null) or (value is None and none_as_null):
                return "\\N"
            return _escaped(json_text(None if value is JSON.NULL else value))

        return json_value
    process = sqltype.dialect_impl(dialect).bind_processor(dialect)
    if process is None:
        return copy_text
    return lambda value: copy_text(process(value))


def _default_of(default: Any) -> Any:
    """A Python-side column default's value for one row (a callable is called per row)."""
    return default.arg(None) if default.is_callable else default.arg
