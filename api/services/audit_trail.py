"""Reading the audit trail: an SR officer sees the events about their municipality's candidates
and users. Read only: there is no use case that changes the trail (``api.audit`` writes it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, col, func, or_, select

from api.services.errors import ForbiddenError
from models.audit import AuditEvent, AuditEventPublic, AuditEventsPublic
from models.candidates import Candidate
from models.organisations import Role, User


def list_audit_events(
    *,
    session: Session,
    actor: User,
    limit: int = 20,
    offset: int = 0,
    candidate_id: int | None = None,
    user_id: int | None = None,
    action: str | None = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> AuditEventsPublic:
    """One page (newest first) of the events about the officer's municipality's candidates, and
    of its users' events that name no candidate, optionally filtered."""
    if actor.role != Role.sr_officer or actor.municipality_id is None:
        raise ForbiddenError("the audit trail is for SR officers of a municipality")
    muni_candidates = select(Candidate.id).where(Candidate.municipality_id == actor.municipality_id)
    muni_users = select(User.id).where(User.municipality_id == actor.municipality_id)
    where: list[Any] = [
        or_(
            col(AuditEvent.candidate_id).in_(muni_candidates),
            (col(AuditEvent.candidate_id).is_(None)) & col(AuditEvent.user_id).in_(muni_users),
        )
    ]
    if candidate_id is not None:
        where.append(col(AuditEvent.candidate_id) == candidate_id)
    if user_id is not None:
        where.append(col(AuditEvent.user_id) == user_id)
    if action:
        where.append(col(AuditEvent.action) == action)
    if since is not None:
        where.append(col(AuditEvent.at) >= since)
    if until is not None:
        where.append(col(AuditEvent.at) < until)
    count = session.exec(select(func.count()).select_from(AuditEvent).where(*where)).one()
    rows = session.exec(
        select(AuditEvent)
        .where(*where)
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return AuditEventsPublic(
        data=[AuditEventPublic.model_validate(e) for e in rows], count=int(count)
    )
