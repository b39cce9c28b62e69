"""models.db.insert_many writes what a Core INSERT writes, value for value, on both backends.

On PostgreSQL it writes COPY text itself (models.db.copy_text), so the values that text
escapes or spells differently are here: tabs, newlines, backslashes, the two characters \\N,
empty text, non-finite floats, aware datetimes, JSON with quotes and backslashes, Python None
in a JSON column (JSON null, or SQL NULL when the type says so), enums and the columns'
Python-side defaults.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Engine,
    Enum,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    select,
)
from sqlmodel import Session

from models.db import copy_text, insert_many


class Colour(enum.Enum):
    red = "rood"
    blue = "blauw"


class Level(str, enum.Enum):  # noqa: UP042 - str() of this form is "Level.low", not its value
    low = "laag"


def _table(name: str, metadata: MetaData) -> Table:
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("name", String(200)),
        Column("note", Text),
        Column("flag", Boolean),
        Column("n", Integer),
        Column("big", BigInteger),
        Column("x", Float),
        Column("amount", Numeric(12, 2)),
        Column("day", Date),
        Column("at", DateTime(timezone=True)),
        Column("doc", JSON),
        Column("doc_or_null", JSON(none_as_null=True)),
        Column("colour", Enum(Colour)),
        Column("level", String(20)),
        Column("fixed", String(20), default="standaard"),
        Column("counted", Integer, default=lambda: 7),
    )


CET = dt.timezone(dt.timedelta(hours=1))
ROWS: list[dict[str, Any]] = [
    {
        "id": 1,
        "name": "tab\there",
        "note": "line one\nline two\r\nback\\slash \\N end",
        "flag": True,
        "n": -2_147_483_648,
        "big": 9_007_199_254_740_993,
        "x": 0.1 + 0.2,
        "amount": Decimal("1234567.89"),
        "day": dt.date(2026, 12, 6),
        "at": dt.datetime(2026, 12, 6, 13, 45, 1, 123456, tzinfo=CET),
        "doc": [{"id": "sk_heftruck", "text": 'zegt "ja"\\nee\n', "w": 0.5}],
        "doc_or_null": {"één": ["☃", None, True]},
        "colour": Colour.blue,
        "level": Level.low,
    },
    {
        "id": 2,
        "name": "",
        "note": "\\N",
        "flag": False,
        "n": 0,
        "big": None,
        "x": float("nan"),
        "amount": None,
        "day": None,
        "at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
        "doc": None,  # JSON null
        "doc_or_null": None,  # SQL NULL
        "colour": None,
        "level": None,
    },
    {"id": 3, "x": float("inf"), "doc": [], "doc_or_null": {}},
    {"id": 4, "x": float("-inf"), "note": "tab\tand\\ttext", "doc": "a string"},
]
# the very same objects in runs of rows (as the audit events of an import share their clock and
# detail), interrupted once: a value formatted once per run must still be each row's own
SHARED_DOC, OTHER_DOC = {"rows": 3, "file": "a.csv"}, {"rows": 4}
SHARED_AT = dt.datetime(2026, 12, 6, 16, 5, tzinfo=dt.UTC)
ROWS += [
    {"id": 5 + i, "name": "zelfde", "at": SHARED_AT, "doc": doc, "doc_or_null": doc}
    for i, doc in enumerate((SHARED_DOC, SHARED_DOC, OTHER_DOC, SHARED_DOC, None, None))
]
# the same keys in every row, as executemany wants; "fixed" and "counted" take their defaults
ROWS = [{k: row.get(k) for k in ROWS[0]} for row in ROWS]


def _comparable(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def _read(engine: Engine, table: Table) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        rows = conn.execute(select(table).order_by(table.c.id)).all()
    return [tuple(_comparable(v) for v in row) for row in rows]


def test_insert_many_writes_what_a_core_insert_writes(engine: Engine) -> None:
    metadata = MetaData()
    bulk, core = _table("bulk_probe", metadata), _table("core_probe", metadata)
    metadata.create_all(engine)
    try:
        with Session(engine) as session:
            insert_many(session, bulk, ROWS)
            session.execute(core.insert(), ROWS)
            session.commit()
        written, expected = _read(engine, bulk), _read(engine, core)
        assert written == expected
        by_id = {row[0]: row for row in written}
        assert by_id[2][1:3] == ("", "\\N")  # empty text is not NULL; \N is text
        assert by_id[3][10] == [] and by_id[2][10] is None and by_id[2][11] is None
        assert {row[-2:] for row in written} == {("standaard", 7)}
        assert [by_id[i][10] for i in range(5, 11)] == [SHARED_DOC] * 2 + [OTHER_DOC] + [
            SHARED_DOC,
            None,
            None,
        ]
        assert by_id[9][11] is None and by_id[10][11] is None  # SQL NULL, not JSON null
    finally:
        metadata.drop_all(engine)


def test_copy_text_refuses_a_value_it_cannot_spell() -> None:
    assert copy_text(Level.low) == "laag"
    with pytest.raises(TypeError, match="no COPY text for a value of type bytes"):
        copy_text(b"\x00")
