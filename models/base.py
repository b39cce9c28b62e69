"""Shared column helpers for the SQLModel tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import BigInteger
from sqlmodel import Field


def utcnow() -> datetime:
    """Now, timezone-aware in UTC (SQLModel stores aware datetimes and returns them in UTC)."""
    return datetime.now(UTC)


#: the name of the optimistic-lock column of the versioned tables (candidates, vacancies,
#: contracts, referrals)
VERSION_COLUMN = "version"


def version_field() -> Any:
    """The ``version`` column: 1 when inserted (also by a plain SQL insert), bumped by every ORM
    update, which only succeeds while the row still has the version it was read with (see
    :func:`versioned`). Single-object reads send it as their ETag."""
    return Field(
        default=1,
        ge=1,
        sa_column_kwargs={"server_default": "1"},
        description="optimistic-lock version: send it back in If-Match (or a form's version)",
    )


def versioned(cls: Any) -> dict[str, Any]:
    """``__mapper_args__`` making ``version`` SQLAlchemy's version counter: an UPDATE carries
    ``WHERE version = <read version>`` and fails with StaleDataError (HTTP 409) when another
    transaction changed the row in between."""
    return {"version_id_col": cls.__table__.c[VERSION_COLUMN]}


#: the name of the change-sequence column of the tables the matching index follows
CHANGE_SEQ_COLUMN = "change_seq"


def change_seq_field() -> Any:
    """The ``change_seq`` column of candidates and vacancies: a number from one increasing
    sequence, set by a database trigger on every insert and update (migration 0011), whatever
    wrote the row (the ORM, a bulk import, plain SQL). The matching index asks for the rows
    whose number is above the last one it saw (``api.services.changes``): an idle server reads
    nothing, a change costs work for that change alone. Never set by the application."""
    return Field(default=None, sa_type=BigInteger, index=True)
