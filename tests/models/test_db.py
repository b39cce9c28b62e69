"""The schema: migrations build it on both backends, agree with the models, guard the audit."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel

import models  # noqa: F401
from models.db import SchemaOutdatedError, check_schema, create_db_engine, head_revision, upgrade
from tests.conftest import PG_URL, require_pg


def test_migrations_and_models_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, SQLModel.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_schema_is_current(engine: Engine) -> None:
    check_schema(engine)


def test_postgres_run_really_talks_to_postgres(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            version = conn.execute(text("select version()")).scalar_one()
            assert version.startswith("PostgreSQL")
            # a PostgreSQL-only construct: SQLite cannot parse this
            assert conn.execute(text("select 'a'::text || 'b'")).scalar_one() == "ab"
        else:
            assert conn.execute(text("select sqlite_version()")).scalar_one()


def test_audit_trail_is_append_only(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO auditevent (at, username, role, action) "
                "VALUES (CURRENT_TIMESTAMP, 'c1', 'coach', 'candidate.read')"
            )
        )
    for stmt in ("UPDATE auditevent SET username = 'x'", "DELETE FROM auditevent"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as conn:
            conn.execute(text(stmt))
    with engine.connect() as conn:
        assert conn.execute(text("select username from auditevent")).scalar_one() == "c1"


def test_outdated_schema_is_refused_with_the_fix(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = create_db_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(SchemaOutdatedError, match="srmatch db upgrade"):
        check_schema(eng)
    upgrade(eng)
    check_schema(eng)


def test_upgrade_builds_an_empty_postgres_database() -> None:
    require_pg()
    import uuid

    schema = f"up_{uuid.uuid4().hex[:10]}"
    admin = create_db_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        eng = create_db_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
        with pytest.raises(SchemaOutdatedError):
            check_schema(eng)
        upgrade(eng)
        check_schema(eng)
        with eng.connect() as conn:
            tables = conn.execute(
                text("select count(*) from information_schema.tables where table_schema = :s"),
                {"s": schema},
            ).scalar_one()
        assert tables == len(SQLModel.metadata.tables) + 1  # + alembic_version
        assert head_revision()
        eng.dispose()
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
