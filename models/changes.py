"""The database's own name: one random token per database, for the persisted matching index.

A snapshot of the candidate index (``api.services.matching``) records the token of the database
it was read from and the change number it reflects (``models.base.change_seq_field``). At start
a server uses a snapshot only for the database that wrote it, so a snapshot is never applied
to a recreated database, a test copy or another installation sharing the directory.
"""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class DatabaseInstance(SQLModel, table=True):
    """One row, written by migration 0011."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=32)
