"""Candidates: a job coach lists, reads, adds, edits and deactivates the job seekers of their
municipality.

Every read of a candidate is audited (a list writes one event per candidate returned). Writes
normalise through ``api.services.profiles.apply_candidate_input`` and re-index the candidate in
the matching runtime once the caller's unit of work has committed. Only the coach who holds a
candidate may change it. Nothing here commits: the caller (route, page, CLI command) does.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, func, select

from api.audit import record, record_many
from api.services import audit_attributes
from api.services.access import get_candidate_for, held_by
from api.services.audit_attributes import AUDIT_ONLY_FIELDS
from api.services.disclosure import withdraw_candidate_consent
from api.services.errors import ConflictError, FieldError, ForbiddenError, check_version
from api.services.matching import MatchingService
from api.services.profiles import apply_candidate_input
from models.base import utcnow
from models.candidates import (
    Candidate,
    CandidateCreate,
    CandidatePublic,
    CandidatesPublic,
    CandidateUpdate,
)
from models.db import after_commit, lock_for_update
from models.organisations import Role, User


def notify_changed(session: Session, matching: MatchingService | None, candidate_id: int) -> None:
    """Re-index ``candidate_id`` in ``matching`` once the session's unit of work commits."""
    if matching is not None:
        after_commit(session, lambda: matching.notify_candidate_changed(candidate_id))


def list_candidates(
    *,
    session: Session,
    actor: User,
    request_id: str | None,
    limit: int = 20,
    offset: int = 0,
    active: bool | None = True,
    mine: bool = False,
    benefit: str | None = None,
    ref: str | None = None,
    consent: bool | None = None,
) -> CandidatesPublic:
    """One page (oldest first) of the candidates of the actor's municipality, optionally only
    active ones, the actor's own, one benefit, consent given or not, or references starting with
    ``ref``; one audit event per candidate returned."""
    if actor.role not in (Role.coach, Role.sr_officer) or actor.municipality_id is None:
        return CandidatesPublic(data=[], count=0)
    where: list[Any] = [col(Candidate.municipality_id) == actor.municipality_id]
    if active is not None:
        where.append(col(Candidate.active) == active)
    if mine:
        where.append(col(Candidate.coach_id) == actor.id)
    if benefit:
        where.append(col(Candidate.benefit) == benefit)
    if ref:
        where.append(col(Candidate.ref).startswith(ref, autoescape=True))
    if consent is not None:
        where.append(col(Candidate.consent_share) == consent)
    count = session.exec(select(func.count()).select_from(Candidate).where(*where)).one()
    rows = session.exec(
        select(Candidate).where(*where).order_by(col(Candidate.id)).offset(offset).limit(limit)
    ).all()
    record_many(
        session,
        user=actor,
        action="candidate.list",
        candidate_ids=[c.id for c in rows],
        request_id=request_id,
    )
    return CandidatesPublic(
        data=[CandidatePublic.model_validate(c) for c in rows], count=int(count)
    )


def read_candidate(
    *, session: Session, actor: User, candidate_id: int, request_id: str | None
) -> Candidate:
    """One candidate of the actor's municipality (NotFoundError otherwise); audited."""
    cand = get_candidate_for(session=session, user=actor, candidate_id=candidate_id)
    record(
        session, user=actor, action="candidate.read", candidate_id=cand.id, request_id=request_id
    )
    return cand


def get_held_candidate(*, session: Session, user: User, candidate_id: int) -> Candidate:
    """A candidate of the user's municipality that the user holds as their coach.

    NotFoundError when the user may not see it, ForbiddenError when another coach holds it.
    """
    cand = get_candidate_for(session=session, user=user, candidate_id=candidate_id)
    if not held_by(user, cand):
        raise ForbiddenError("only the coach who holds this candidate may change it")
    return cand


def _check_coach_id(session: Session, actor: User, coach_id: int) -> None:
    other = session.get(User, coach_id)
    if (
        other is None
        or other.role != Role.coach
        or other.municipality_id != actor.municipality_id
        or not other.active
    ):
        raise FieldError("coach_id", coach_id, "must be an active coach of your municipality")


def create_candidate(
    *,
    session: Session,
    actor: User,
    body: CandidateCreate,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> Candidate:
    """Add a candidate to the actor's municipality, held by the actor unless ``coach_id`` names
    another active coach of it; ConflictError when the reference is taken."""
    if session.exec(select(Candidate.id).where(Candidate.ref == body.ref)).first() is not None:
        raise ConflictError(f"candidate_ref {body.ref!r} already exists")
    if body.coach_id is not None:
        _check_coach_id(session, actor, body.coach_id)
    if actor.municipality_id is None:
        raise ForbiddenError("user has no municipality")
    fields: dict[str, Any] = {
        **body.model_dump(exclude=set(AUDIT_ONLY_FIELDS)),
        "municipality_id": actor.municipality_id,
        "coach_id": body.coach_id or actor.id,
        "pc4": "",
        "lat": 0.0,
        "lon": 0.0,
    }
    cand = Candidate(**fields)
    apply_candidate_input(cand, body.model_dump())
    session.add(cand)
    session.flush()
    assert cand.id is not None
    # fairness audit only: kept apart from the profile, never read back by a coach
    audit_attributes.store(session, cand.id, body.birth_year, body.gender)
    record(
        session, user=actor, action="candidate.create", candidate_id=cand.id, request_id=request_id
    )
    notify_changed(session, matching, cand.id)
    return cand


def update_candidate(
    *,
    session: Session,
    actor: User,
    candidate_id: int,
    changes: CandidateUpdate,
    request_id: str | None,
    matching: MatchingService | None = None,
    expected_version: int | None = None,
) -> Candidate:
    """Change the fields set in ``changes`` of a candidate the actor holds; the normalised
    fields are recomputed. Handing the candidate to another coach goes through ``coach_id``.

    The row is locked and re-read first, so the normalised fields derive from the stored
    row and this transaction's changes only (never from a version a parallel request has
    replaced). ``expected_version`` (If-Match, a form's version) refuses the change with
    StaleVersionError unless the candidate is still at that version; without it the last
    writer wins."""
    cand = get_held_candidate(session=session, user=actor, candidate_id=candidate_id)
    lock_for_update(session, cand)
    check_version("candidate", cand, expected_version)
    data = changes.model_dump(exclude_unset=True)
    if "coach_id" in data:
        if data["coach_id"] is None:
            raise FieldError("coach_id", None, "a candidate needs a coach")
        _check_coach_id(session, actor, data["coach_id"])
    was_sharing = bool(cand.consent_share)
    if any(k in data for k in AUDIT_ONLY_FIELDS):
        # fairness audit only: kept apart from the profile; a field left out stays as it is
        assert cand.id is not None
        held = audit_attributes.read(session, cand.id)
        audit_attributes.store(
            session,
            cand.id,
            data.get("birth_year", held[0]),
            data.get("gender", held[1]),
        )
    apply_candidate_input(cand, data)
    if "coach_id" in data:
        cand.coach_id = data["coach_id"]
    if was_sharing and not cand.consent_share:
        # withdrawn consent hides the candidate from every contractor at once; audited
        withdraw_candidate_consent(
            session=session, actor=actor, candidate=cand, request_id=request_id
        )
    cand.updated_at = utcnow()
    session.add(cand)
    record(
        session,
        user=actor,
        action="candidate.update",
        candidate_id=cand.id,
        request_id=request_id,
        detail="fields: " + ", ".join(sorted(data)),
    )
    session.flush()  # bumps the version now: a lost race is a 409 here, the ETag is new
    notify_changed(session, matching, candidate_id)
    return cand


def deactivate_candidate(
    *,
    session: Session,
    actor: User,
    candidate_id: int,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> Candidate:
    """Take a candidate the actor holds off every shortlist (the record stays for SR figures)."""
    cand = get_held_candidate(session=session, user=actor, candidate_id=candidate_id)
    cand.active = False
    cand.updated_at = utcnow()
    session.add(cand)
    record(
        session,
        user=actor,
        action="candidate.deactivate",
        candidate_id=cand.id,
        request_id=request_id,
    )
    notify_changed(session, matching, candidate_id)
    return cand
