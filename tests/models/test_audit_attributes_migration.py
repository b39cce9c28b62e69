"""Migration 0010: birth year and gender move from ``candidate`` to ``auditattributes`` (issue 14).

A database at 0009 with candidates that have a birth year, a gender, both or neither is upgraded:
exactly the candidates with either get one row holding their values, and the candidate table
loses both columns. The downgrade puts every value back. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine, text

from models.db import alembic_config, create_db_engine, upgrade
from tests.conftest import PG_URL, require_pg

#: candidate ref -> (birth_year, gender) before the migration
PEOPLE: dict[str, tuple[int | None, str | None]] = {
    "M-both": (1964, "v"),
    "M-year": (1999, None),
    "M-gender": (None, "x"),
    "M-none": (None, None),
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        eng = create_db_engine(f"sqlite:///{tmp_path / 'm.db'}")
        yield eng
        eng.dispose()
        return
    require_pg()
    schema = f"m_{uuid.uuid4().hex[:10]}"
    admin = create_db_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    eng = create_db_engine(PG_URL, connect_args={"options": f"-csearch_path={schema}"})
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _dummy(column: sa.Column[Any]) -> Any:
    """A value for a required column the test does not care about."""
    t = column.type
    if isinstance(t, sa.Boolean):
        return False
    if isinstance(t, sa.Integer | sa.BigInteger):
        return 1
    if isinstance(t, sa.Float | sa.Numeric):
        return 1.0
    if isinstance(t, sa.DateTime):
        return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    if isinstance(t, sa.Date):
        return dt.date(2026, 1, 1)
    if isinstance(t, sa.JSON):
        return []
    return "x"


def _insert(conn: sa.Connection, table_name: str, values: dict[str, Any]) -> int:
    table = sa.Table(table_name, sa.MetaData(), autoload_with=conn)
    row = dict(values)
    for c in table.columns:
        if c.name in row or c.nullable or c.primary_key or c.server_default is not None:
            continue
        row[c.name] = _dummy(c)
    return int(conn.execute(table.insert().values(**row)).inserted_primary_key[0])


def test_0010_moves_birth_year_and_gender_apart_and_back(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0009")
    ids: dict[str, int] = {}
    with empty_engine.begin() as conn:
        muni = _insert(conn, "municipality", {"name": "Gemeente M"})
        for ref, (birth_year, gender) in PEOPLE.items():
            ids[ref] = _insert(
                conn,
                "candidate",
                {
                    "ref": ref,
                    "municipality_id": muni,
                    "target_groups": [],
                    "skills": [],
                    "occupations": [],
                    "driving_licences": [],
                    "skills_norm": [],
                    "occupations_norm": [],
                    "unknown_terms": [],
                    "birth_year": birth_year,
                    "gender": gender,
                },
            )

    upgrade(empty_engine, "0010")
    with empty_engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("candidate")}
        assert columns.isdisjoint({"birth_year", "gender"})
        rows = conn.execute(
            text("SELECT candidate_id, birth_year, gender FROM auditattributes")
        ).all()
    moved = {cid: (b, g) for cid, b, g in rows}
    assert moved == {ids[ref]: v for ref, v in PEOPLE.items() if v != (None, None)}

    command.downgrade(alembic_config(empty_engine), "0009")
    with empty_engine.connect() as conn:
        assert "auditattributes" not in sa.inspect(conn).get_table_names()
        back = conn.execute(text("SELECT ref, birth_year, gender FROM candidate")).all()
    assert {ref: (b, g) for ref, b, g in back} == PEOPLE
