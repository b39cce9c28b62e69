"""The audit trail: one append-only event per read, change or export of a candidate's data.

Lists write one event per candidate returned (not one event with a list of ids), so the trail
answers "who saw candidate X" with a plain indexed query on ``candidate_id``. Events are added
to the caller's session; the route commits them together with its own work (reads commit too).
The table refuses UPDATE and DELETE in the database itself (triggers in the migration).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from models.audit import AuditEvent
from models.organisations import User


def record(
    session: Session,
    *,
    user: User,
    action: str,
    candidate_id: int | None,
    request_id: str | None,
    object_type: str | None = None,
    object_id: object | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Add one audit event (who, role, which candidate, what, when, request id) to ``session``."""
    event = AuditEvent(
        user_id=user.id,
        username=user.username,
        role=str(user.role),
        action=action,
        candidate_id=candidate_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id)[:80],
        request_id=request_id,
        detail=None if detail is None else detail[:2000],
    )
    session.add(event)
    return event


def record_many(
    session: Session,
    *,
    user: User,
    action: str,
    candidate_ids: Iterable[int | None],
    request_id: str | None,
    object_type: str | None = None,
    object_id: object | None = None,
    detail: str | None = None,
) -> int:
    """One event per distinct candidate id (a list or shortlist read); returns how many."""
    seen: set[int] = set()
    for cid in candidate_ids:
        if cid is None or cid in seen:
            continue
        seen.add(cid)
        record(
            session,
            user=user,
            action=action,
            candidate_id=cid,
            request_id=request_id,
            object_type=object_type,
            object_id=object_id,
            detail=detail,
        )
    return len(seen)
