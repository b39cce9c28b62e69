"""The audit trail: one append-only event per read, change or export of a candidate's data.

Lists write one event per candidate returned (not one event with a list of ids), so the trail
answers "who saw candidate X" with a plain indexed query on ``candidate_id``. Events are added
to the caller's session; the route commits them together with its own work (reads commit too).
The table refuses UPDATE and DELETE in the database itself (triggers in the migration).
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable

from sqlalchemy import insert
from sqlmodel import Session, col, select

from models.audit import AuditEvent
from models.base import utcnow
from models.candidates import Candidate
from models.organisations import User

#: the role recorded for the command line, run by an operator on the server
OPERATOR_ROLE = "operator"


def _operator_name() -> str:
    try:
        return f"cli:{getpass.getuser()}"[:80]
    except Exception:  # no user name in this environment (e.g. a container without passwd)
        return "cli:unknown"


def record(
    session: Session,
    *,
    user: User | None,
    action: str,
    candidate_id: int | None,
    request_id: str | None,
    object_type: str | None = None,
    object_id: object | None = None,
    detail: str | None = None,
) -> AuditEvent:
    """Add one audit event (who, role, which candidate, what, when, request id) to ``session``.

    ``user`` None is the command line: the event names the operating-system user.
    """
    event = AuditEvent(
        user_id=user.id if user is not None else None,
        username=user.username if user is not None else _operator_name(),
        role=str(user.role) if user is not None else OPERATOR_ROLE,
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
    user: User | None,
    action: str,
    candidate_ids: Iterable[int | None],
    request_id: str | None,
    object_type: str | None = None,
    object_id: object | None = None,
    detail: str | None = None,
) -> int:
    """One event per distinct candidate id (a list or shortlist read); returns how many.

    The events go in as one multi-row INSERT on the session's connection, in its transaction
    (committed or rolled back with the caller's work), not as ORM objects: a shortlist shows
    up to 100 candidates on every request. Nothing is flushed first, and an audit row refers
    to no other row, so it needs nothing of the caller's pending work."""
    ids = list(dict.fromkeys(cid for cid in candidate_ids if cid is not None))
    if not ids:
        return 0
    base = {
        "at": utcnow(),
        "user_id": user.id if user is not None else None,
        "username": user.username if user is not None else _operator_name(),
        "role": str(user.role) if user is not None else OPERATOR_ROLE,
        "action": action,
        "object_type": object_type,
        "object_id": None if object_id is None else str(object_id)[:80],
        "request_id": request_id,
        "detail": None if detail is None else detail[:2000],
    }
    session.connection().execute(insert(AuditEvent), [{**base, "candidate_id": cid} for cid in ids])
    return len(ids)


def record_refs(
    session: Session,
    *,
    user: User | None,
    action: str,
    candidate_refs: Iterable[str],
    request_id: str | None,
    object_type: str | None = None,
    object_id: object | None = None,
) -> int:
    """One event per candidate named by reference (exports and reports carry refs, not ids)."""
    refs = sorted({r for r in candidate_refs if r})
    ids: list[int | None] = []
    for i in range(0, len(refs), 500):
        chunk = refs[i : i + 500]
        ids += list(session.exec(select(Candidate.id).where(col(Candidate.ref).in_(chunk))).all())
    return record_many(
        session,
        user=user,
        action=action,
        candidate_ids=ids,
        request_id=request_id,
        object_type=object_type,
        object_id=object_id,
    )


#: data-contract kinds whose rows are a candidate's personal data
PERSONAL_KINDS = frozenset({"candidates", "outcomes", "placements"})


def record_import(
    session: Session,
    *,
    user: User | None,
    kind: str,
    filename: str,
    counts: str,
    request_id: str | None,
) -> bool:
    """One event for a committed import of personal data (the file, not each row)."""
    if kind not in PERSONAL_KINDS:
        return False
    record(
        session,
        user=user,
        action=f"import.{kind}",
        candidate_id=None,
        request_id=request_id,
        object_type="file",
        object_id=filename,
        detail=counts,
    )
    return True
