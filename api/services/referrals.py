"""Referrals: proposing a candidate for a vacancy and moving the referral through its statuses.

Every change writes a ``ReferralEvent`` (the outcomes event log of the data contract) and sets
``status``/``status_date`` on the referral; a hire creates the ``Placement`` (with the contract
from the vacancy) that SR measurement counts. Callers commit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from api.audit import record, record_many
from api.deps import get_referral_for, get_vacancy_for, referral_scope
from api.services import lifecycle
from api.services.candidates import get_held_candidate, notify_changed
from api.services.disclosure import contractor_referral_for
from api.services.errors import ConflictError, FieldError, NotFoundError, check_version
from api.services.matching import MatchingService
from matcher.vocab import FINAL_STATUSES, OUTCOME_STATUSES, PLACEMENT_KINDS
from models.base import utcnow
from models.candidates import Candidate
from models.db import lock_for_update
from models.organisations import Role, User
from models.placements import HireCreate, Placement
from models.referrals import (
    Referral,
    ReferralCreate,
    ReferralEvent,
    ReferralEventPublic,
    ReferralPublic,
    ReferralsPublic,
    ReferralTransition,
)
from models.vacancies import Vacancy

#: which status may follow which; final statuses have no successors
TRANSITIONS: dict[str, frozenset[str]] = {
    "proposed": frozenset({"introduced", "rejected", "withdrawn"}),
    "introduced": frozenset({"interviewed", "hired", "rejected", "withdrawn"}),
    "interviewed": frozenset({"hired", "rejected", "withdrawn"}),
    "hired": frozenset(),
    "rejected": frozenset(),
    "withdrawn": frozenset(),
}
#: statuses that end a referral without a hire need a reason
NEEDS_REASON: frozenset[str] = frozenset({"rejected", "withdrawn"})


def propose(
    *,
    session: Session,
    candidate: Candidate,
    vacancy: Vacancy,
    actor: User,
    on: dt.date | None = None,
    shortlist_rank: int | None = None,
    shortlist_score: float | None = None,
    model_version: str | None = None,
) -> Referral:
    """Put ``candidate`` forward for ``vacancy`` (status ``proposed``)."""
    if not candidate.active:
        raise FieldError("candidate_id", candidate.id, "the candidate is not active")
    lifecycle.require_open(session, vacancy, doing="proposals")
    existing = session.exec(
        select(Referral).where(
            Referral.candidate_id == candidate.id, Referral.vacancy_id == vacancy.id
        )
    ).first()
    if existing is not None:
        raise ConflictError(
            f"candidate {candidate.id} is already referred to vacancy {vacancy.id} "
            f"(referral {existing.id}, status {existing.status})"
        )
    on = on or dt.date.today()
    assert candidate.id is not None and vacancy.id is not None
    referral = Referral(
        candidate_id=candidate.id,
        vacancy_id=vacancy.id,
        status="proposed",
        status_date=on,
        proposed_by_id=actor.id,
        shortlist_rank=shortlist_rank,
        shortlist_score=shortlist_score,
        model_version=model_version,
    )
    session.add(referral)
    try:
        session.flush()
    except IntegrityError as exc:  # the same pair proposed by another request at this moment
        raise ConflictError(
            f"candidate {candidate.id} was proposed for vacancy {vacancy.id} by another request "
            "at the same moment; nothing was saved: read the candidate's referrals, theirs counts"
        ) from exc
    assert referral.id is not None
    session.add(
        ReferralEvent(referral_id=referral.id, status="proposed", date=on, created_by_id=actor.id)
    )
    return referral


def transition(
    *,
    session: Session,
    referral: Referral,
    to_status: str,
    on: dt.date | None,
    reason: str | None,
    actor: User,
    consent_confirmed: bool = False,
    hire: HireCreate | None = None,
) -> Referral:
    """Move ``referral`` to ``to_status`` on ``on`` (today by default), checking the transition.

    ``introduced`` records whether the coach confirmed the candidate's consent; ``hired``
    creates a placement (``hire`` gives its terms; else the vacancy's hours from ``on``).
    """
    if to_status not in OUTCOME_STATUSES:
        raise FieldError(
            "status", to_status, f"unknown status; allowed: {', '.join(OUTCOME_STATUSES)}"
        )
    allowed = TRANSITIONS.get(referral.status, frozenset())
    if to_status not in allowed:
        if referral.status in FINAL_STATUSES:
            msg = f"the referral is already {referral.status}, which is final"
        else:
            msg = (
                f"cannot go from {referral.status} to {to_status}; "
                f"allowed: {', '.join(sorted(allowed))}"
            )
        raise FieldError("status", to_status, msg)
    reason = (reason or "").strip() or None
    if to_status in NEEDS_REASON and reason is None:
        raise FieldError("reason", reason, f"a reason is required when a referral is {to_status}")
    on = on or dt.date.today()
    if on < referral.status_date:
        raise FieldError(
            "date", on.isoformat(), f"must not be before the last change ({referral.status_date})"
        )
    if to_status == "introduced":
        referral.introduced_with_consent = bool(consent_confirmed)
    assert referral.id is not None
    if to_status == "hired":
        _place(session=session, referral=referral, on=on, hire=hire)
    referral.status = to_status
    referral.status_date = on
    referral.updated_at = utcnow()
    session.add(referral)
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            status=to_status,
            date=on,
            reason=reason,
            created_by_id=actor.id,
        )
    )
    session.flush()
    return referral


def _place(*, session: Session, referral: Referral, on: dt.date, hire: HireCreate | None) -> None:
    vacancy = session.get(Vacancy, referral.vacancy_id)
    assert vacancy is not None
    kind = hire.kind if hire is not None else "arbeidsovereenkomst"
    if kind not in PLACEMENT_KINDS:
        raise FieldError("kind", kind, f"allowed: {', '.join(PLACEMENT_KINDS)}")
    start = hire.start_date if hire is not None else on
    # positions are enforced here, the one path of every hire (contractor's and coach's)
    lifecycle.take_position(session, vacancy=vacancy, candidate_id=referral.candidate_id, on=start)
    hours = hire.hours_per_week if hire and hire.hours_per_week else vacancy.hours_per_week
    placement = Placement(
        candidate_id=referral.candidate_id,
        vacancy_id=referral.vacancy_id,
        contract_id=vacancy.contract_id,
        referral_id=referral.id,
        start_date=start,
        hours_per_week=hours,
        kind=kind,
        permanent=hire.permanent if hire is not None else False,
    )
    session.add(placement)


def history(*, session: Session, referral_id: int) -> list[ReferralEvent]:
    """The referral's events, oldest first."""
    return list(
        session.exec(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(ReferralEvent.date, ReferralEvent.id)  # type: ignore[arg-type]
        )
    )


# --- coaches and SR officers: the full view of a referral ----------------------------------

#: the roles that see referrals in full (candidate id, history); contractors see them anonymised
FULL_VIEW_ROLES: frozenset[Role] = frozenset({Role.coach, Role.sr_officer})


def referral_public(*, session: Session, referral: Referral) -> ReferralPublic:
    """A referral with its status history, as coaches and SR officers see it."""
    assert referral.id is not None
    events = history(session=session, referral_id=referral.id)
    return ReferralPublic.model_validate(
        referral,
        update={"history": [ReferralEventPublic.model_validate(e) for e in events]},
    )


def _full_view_referral(*, session: Session, actor: User, referral_id: int) -> Referral:
    """A referral of the actor's municipality's candidates (coach or SR officer), else
    NotFoundError (a foreign or missing one, or an actor without the full view)."""
    if actor.role not in FULL_VIEW_ROLES:
        raise NotFoundError("referral", referral_id)
    return get_referral_for(session=session, user=actor, referral_id=referral_id)


def read_referral(
    *, session: Session, actor: User, referral_id: int, request_id: str | None
) -> ReferralPublic:
    """One referral of the actor's municipality's candidates with its history; audited."""
    ref = _full_view_referral(session=session, actor=actor, referral_id=referral_id)
    record(
        session,
        user=actor,
        action="referral.read",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    return referral_public(session=session, referral=ref)


def list_referrals(
    *,
    session: Session,
    actor: User,
    request_id: str | None,
    limit: int = 20,
    offset: int = 0,
    status: str | None = None,
    vacancy_id: int | None = None,
    candidate_id: int | None = None,
) -> ReferralsPublic:
    """One page (oldest first) of the referrals of the actor's municipality's candidates
    (coach or SR officer), optionally filtered; one audit event per candidate on the page."""
    if actor.role not in FULL_VIEW_ROLES:
        return ReferralsPublic(data=[], count=0)
    where: list[Any] = [referral_scope(actor)]
    if status:
        where.append(col(Referral.status) == status)
    if vacancy_id is not None:
        where.append(col(Referral.vacancy_id) == vacancy_id)
    if candidate_id is not None:
        where.append(col(Referral.candidate_id) == candidate_id)
    count = session.exec(select(func.count()).select_from(Referral).where(*where)).one()
    rows = session.exec(
        select(Referral).where(*where).order_by(col(Referral.id)).offset(offset).limit(limit)
    ).all()
    data = [referral_public(session=session, referral=r) for r in rows]
    record_many(
        session,
        user=actor,
        action="referral.list",
        candidate_ids=[r.candidate_id for r in rows],
        request_id=request_id,
    )
    return ReferralsPublic(data=data, count=int(count))


def propose_referral(
    *,
    session: Session,
    actor: User,
    body: ReferralCreate,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> ReferralPublic:
    """A coach puts a candidate they hold forward for a vacancy they may see; audited.

    NotFoundError for a candidate or vacancy out of reach, ForbiddenError for a candidate
    another coach holds, FieldError for an inactive candidate or a closed vacancy,
    ConflictError when the pair is already referred. A proposal from a shortlist (a rank is
    given) records the model version serving it. The candidate is re-indexed after the commit.
    """
    cand = get_held_candidate(session=session, user=actor, candidate_id=body.candidate_id)
    vac = get_vacancy_for(session=session, user=actor, vacancy_id=body.vacancy_id)
    model_version = matching.model_version if matching and body.shortlist_rank else None
    ref = propose(
        session=session,
        candidate=cand,
        vacancy=vac,
        actor=actor,
        shortlist_rank=body.shortlist_rank,
        shortlist_score=body.shortlist_score,
        model_version=model_version,
    )
    assert cand.id is not None
    record(
        session,
        user=actor,
        action="referral.propose",
        candidate_id=cand.id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    notify_changed(session, matching, cand.id)
    return referral_public(session=session, referral=ref)


def move_referral(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    body: ReferralTransition,
    request_id: str | None,
    matching: MatchingService | None = None,
    expected_version: int | None = None,
) -> ReferralPublic:
    """A coach moves a referral of a candidate they hold to its next status (a reason when it
    ends without a hire); audited. FieldError for a transition the table does not allow: the
    caller's unit of work then rolls back whatever the attempt touched. The referral is locked
    and re-read first, so two parallel moves check the table one after the other;
    ``expected_version`` (If-Match) refuses the move unless the referral is still at it."""
    ref = _full_view_referral(session=session, actor=actor, referral_id=referral_id)
    get_held_candidate(session=session, user=actor, candidate_id=ref.candidate_id)
    lock_for_update(session, ref)
    check_version("referral", ref, expected_version)
    transition(
        session=session,
        referral=ref,
        to_status=body.status,
        on=body.date or dt.date.today(),
        reason=body.reason,
        actor=actor,
        consent_confirmed=body.consent_confirmed,
    )
    record(
        session,
        user=actor,
        action=f"referral.{body.status}",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
        detail=body.reason,
    )
    notify_changed(session, matching, ref.candidate_id)
    return referral_public(session=session, referral=ref)


# --- contractors: confirming a hire -------------------------------------------------------------


def confirm_hire(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    hire: HireCreate,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> Placement:
    """A contractor user confirms that the person behind a referral to its vacancies was hired.

    The referral becomes ``hired`` today (or on its last change, if that is later) and the SR
    placement is created on ``hire``'s terms; audited; the candidate is re-indexed once the
    caller's unit of work has committed (a hired person leaves the shortlists).
    """
    ref = contractor_referral_for(session=session, actor=actor, referral_id=referral_id)
    lock_for_update(session, ref)  # a parallel move or hire waits, then sees this one
    transition(
        session=session,
        referral=ref,
        to_status="hired",
        on=max(dt.date.today(), ref.status_date),
        reason=None,
        actor=actor,
        hire=hire,
    )
    placement = session.exec(select(Placement).where(Placement.referral_id == ref.id)).one()
    record(
        session,
        user=actor,
        action="referral.hired",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="placement",
        object_id=placement.id,
    )
    notify_changed(session, matching, ref.candidate_id)
    return placement
