"""Protected attributes kept apart from the profile: reading and writing the one table that
holds them (``models.audit_attributes.AuditAttributes``, issue 14).

Birth year and gender are recorded, where a municipality chooses to, for the fairness audit
only. Every path that stores them (a coach's create or edit, a candidates file, the demo
loader, which imports files) goes through :func:`store` or :func:`store_many`; every reader
(the fairness audit's group counts, the matching runtime's group table, the deploy gate, the
person's right-of-access export, the command line's full export) through :func:`read_many`.
No coach-facing shape, page or export file carries them, and no ranker feature reads them.
Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete
from sqlmodel import Session, col, select

from models.audit_attributes import AUDIT_ONLY_FIELDS, AuditAttributes
from models.db import in_chunks

#: a candidate's audit-only attributes: (birth year, gender), either may be None
AuditOnly = tuple[int | None, str | None]
NOT_RECORDED: AuditOnly = (None, None)

__all__ = [
    "AUDIT_ONLY_FIELDS",
    "NOT_RECORDED",
    "AuditOnly",
    "drop",
    "read",
    "read_many",
    "store",
    "store_many",
]


def read_many(session: Session, candidate_ids: Iterable[int] | None) -> dict[int, AuditOnly]:
    """Birth year and gender of these candidates (None: of every candidate); a candidate with
    nothing recorded is left out. One query per 900 ids, or one in all."""
    stmt = select(AuditAttributes.candidate_id, AuditAttributes.birth_year, AuditAttributes.gender)
    if candidate_ids is None:
        return {int(cid): (b, g) for cid, b, g in session.exec(stmt)}
    ids = sorted(set(candidate_ids))
    out: dict[int, AuditOnly] = {}
    for chunk in in_chunks(ids):
        query = stmt.where(col(AuditAttributes.candidate_id).in_(chunk))
        for cid, birth_year, gender in session.exec(query):
            out[int(cid)] = (birth_year, gender)
    return out


def read(session: Session, candidate_id: int) -> AuditOnly:
    """One candidate's birth year and gender ((None, None) when nothing is recorded)."""
    return read_many(session, [candidate_id]).get(candidate_id, NOT_RECORDED)


def store(session: Session, candidate_id: int, birth_year: int | None, gender: str | None) -> bool:
    """Record (or with both None remove) one candidate's attributes; True when that changed
    what was held."""
    return store_many(session, {candidate_id: (birth_year, gender)}) > 0


def store_many(session: Session, values: Mapping[int, AuditOnly]) -> int:
    """Record the attributes of many candidates at once, in the caller's transaction: rows whose
    values changed are replaced (deleted and inserted in batches), both None removes the row.
    Returns how many candidates' attributes changed."""
    held = read_many(session, values)
    changed = {
        cid: v for cid, v in values.items() if held.get(cid, NOT_RECORDED) != (v[0], v[1] or None)
    }
    ids = sorted(changed)
    for chunk in in_chunks(ids):
        session.execute(delete(AuditAttributes).where(col(AuditAttributes.candidate_id).in_(chunk)))
    rows = [
        {"candidate_id": cid, "birth_year": b, "gender": g or None}
        for cid, (b, g) in changed.items()
        if b is not None or g
    ]
    for i in range(0, len(rows), 500):
        session.execute(AuditAttributes.__table__.insert(), rows[i : i + 500])  # type: ignore[attr-defined]
    return len(changed)


def drop(session: Session, candidate_id: int) -> None:
    """Remove what is held for one candidate (erasure: the attributes go with the person)."""
    session.execute(
        delete(AuditAttributes).where(col(AuditAttributes.candidate_id) == candidate_id)
    )
