"""The append-only audit trail of every read or change of a candidate's personal data.

The migration adds database triggers that refuse UPDATE and DELETE on this table, so the
trail cannot be changed even by a bug in the application.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from models.base import utcnow


class AuditEvent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_id: int | None = Field(default=None, index=True)
    username: str = Field(max_length=80)
    role: str = Field(max_length=20)
    action: str = Field(max_length=40, index=True)
    candidate_id: int | None = Field(default=None, index=True)
    object_type: str | None = Field(default=None, max_length=40)
    object_id: str | None = Field(default=None, max_length=80)
    request_id: str | None = Field(default=None, max_length=64)
    detail: str | None = Field(default=None, max_length=2000)


class AuditEventPublic(SQLModel):
    id: int
    at: datetime
    user_id: int | None
    username: str
    role: str
    action: str
    candidate_id: int | None
    object_type: str | None
    object_id: str | None
    request_id: str | None
    detail: str | None


class AuditEventsPublic(SQLModel):
    data: list[AuditEventPublic]
    count: int
