"""Referrals: proposing a candidate for a vacancy and moving the referral through its statuses.

Every change writes a ``ReferralEvent`` (the outcomes event log of the data contract) and sets
``status``/``status_date`` on the referral; a hire creates the ``Placement`` (with the contract
from the vacancy) that SR measurement counts. Callers commit.

The consent workflow: only a candidate who shares data (``consent_share``) may be proposed to a
contractor's vacancy; an introduction (the contractor learns who the person is) needs the
candidate's consent recorded for that referral (``ReferralConsent``: who, when, how); an
interview and a hire need a consented introduction still in force. Contractors act on a proposal
(ask for an introduction, invite to an interview, reject with a reason from
``REJECTION_REASONS``); each is a referral event the coach sees and the ranker learns from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from api.audit import record, record_many
from api.services import lifecycle
from api.services.access import get_referral_for, get_vacancy_for, referral_scope
from api.services.candidates import get_held_candidate, notify_changed
from api.services.disclosure import (
    _add_event_once,
    active_consent,
    contractor_referral,
    contractor_referral_for,
    counts_for_contract,
    proposal_distance_km,
    withdraw_consents,
)
from api.services.errors import ConflictError, FieldError, NotFoundError, check_version
from api.services.matching import MatchingService
from matcher.vocab import (
    CONSENT_METHODS,
    FINAL_STATUSES,
    OUTCOME_STATUSES,
    PLACEMENT_KINDS,
    REJECTION_REASONS,
)
from models.base import utcnow
from models.candidates import Candidate
from models.db import lock_for_update
from models.disclosure import ContractorReferralPublic
from models.matching import ShortlistPublic, VacancyMatchesPublic
from models.organisations import Role, User
from models.placements import HireCreate, Placement
from models.referrals import (
    ConsentCreate,
    ConsentWithdrawal,
    ContractorRejection,
    InterviewInvitation,
    IntroductionRequest,
    Referral,
    ReferralConsent,
    ReferralConsentPublic,
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
    """Put ``candidate`` forward for ``vacancy`` (status ``proposed``); ``counts_for_sr`` is
    fixed now, under the vacancy's contract. A candidate who does not share data is refused:
    every vacancy belongs to a contractor, who may not see them, not even anonymously."""
    if not candidate.active:
        raise FieldError("candidate_id", candidate.id, "the candidate is not active")
    if not candidate.consent_share:
        raise FieldError(
            "candidate_id",
            candidate.id,
            "the candidate has not consented to share data with contractors (consent_share "
            "is false), so no contractor may see them, not even anonymously; record their "
            "consent on the candidate first",
        )
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
        counts_for_sr=counts_for_contract(candidate, vacancy),
        distance_km=proposal_distance_km(candidate, vacancy),
    )
    session.add(referral)
    pair = f"candidate {candidate.id} was proposed for vacancy {vacancy.id}"  # read before: a
    try:  # failed flush expires the objects, and the session may not load them again
        session.flush()
    except IntegrityError as exc:  # the same pair proposed by another request at this moment
        raise ConflictError(
            f"{pair} by another request at the same moment; nothing was saved: read the "
            "candidate's referrals, theirs counts"
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
    consent_method: str | None = None,
    reason_code: str | None = None,
    hire: HireCreate | None = None,
) -> Referral:
    """Move ``referral`` to ``to_status`` on ``on`` (today by default), checking the transition.

    ``introduced`` needs the candidate's consent for this referral: recorded before
    (``record_consent``) or now (``consent_method``); ``consent_confirmed`` alone only
    confirms one already recorded. ``interviewed`` and ``hired`` need that consented
    introduction still in force. ``hired`` creates a placement (``hire`` gives its terms; else
    the vacancy's hours from ``on``). ``reason_code`` (rejections) is one of
    ``REJECTION_REASONS``.
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
    if reason_code is not None and reason_code not in REJECTION_REASONS:
        raise FieldError("reason_code", reason_code, f"allowed: {', '.join(REJECTION_REASONS)}")
    assert referral.id is not None
    if to_status == "introduced":
        if consent_method is not None:
            _new_consent(
                session=session, referral=referral, method=consent_method, on=on, actor=actor
            )
        elif active_consent(session=session, referral_id=referral.id) is None:
            raise FieldError(
                "consent_method",
                None,
                "an introduction shows the contractor who the person is and needs the "
                "candidate's consent recorded for this referral: say how it was given "
                f"({', '.join(CONSENT_METHODS)})"
                + (" — consent_confirmed alone is not a record" if consent_confirmed else ""),
            )
        referral.introduced_with_consent = True
    elif to_status in ("interviewed", "hired"):
        _require_consented_introduction(session=session, referral=referral, to_status=to_status)
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
            reason_code=reason_code,
            created_by_id=actor.id,
        )
    )
    session.flush()
    return referral


def _require_consented_introduction(
    *, session: Session, referral: Referral, to_status: str
) -> None:
    """FieldError unless the referral was introduced with a consent still in force and the
    candidate still shares data."""
    assert referral.id is not None
    cand = session.get(Candidate, referral.candidate_id)
    consent = active_consent(session=session, referral_id=referral.id)
    if (
        not referral.introduced_with_consent
        or consent is None
        or cand is None
        or not cand.consent_share
    ):
        raise FieldError(
            "status",
            to_status,
            f"{'a hire' if to_status == 'hired' else 'an interview'} needs a consented "
            "introduction first: the coach records the candidate's consent for this referral "
            "and introduces them",
        )


def _new_consent(
    *, session: Session, referral: Referral, method: str, on: dt.date, actor: User
) -> ReferralConsent:
    """Record the candidate's consent for ``referral`` (``method`` from CONSENT_METHODS)."""
    if method not in CONSENT_METHODS:
        raise FieldError("consent_method", method, f"allowed: {', '.join(CONSENT_METHODS)}")
    cand = session.get(Candidate, referral.candidate_id)
    if cand is None or not cand.consent_share:
        raise FieldError(
            "consent_method",
            method,
            "the candidate does not share data with contractors (consent_share is false): "
            "set it on the candidate first",
        )
    if referral.status in FINAL_STATUSES:
        raise FieldError(
            "referral_id", referral.id, f"the referral is already {referral.status}, which is final"
        )
    assert referral.id is not None
    if active_consent(session=session, referral_id=referral.id) is not None:
        raise ConflictError(
            f"a consent is already recorded for referral {referral.id}; withdraw it first "
            "to record another"
        )
    if on > dt.date.today():
        raise FieldError("given_on", on.isoformat(), "consent cannot be given in the future")
    consent = ReferralConsent(
        referral_id=referral.id, method=method, given_on=on, recorded_by_id=actor.id
    )
    session.add(consent)
    _add_event_once(
        session,
        ReferralEvent(
            referral_id=referral.id,
            status=referral.status,
            date=max(on, referral.status_date),
            action="consent_recorded",
            reason=method,
            created_by_id=actor.id,
        ),
    )
    session.flush()
    return consent


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
    """The referral's events (status changes and actions), oldest first."""
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
    """A referral with its history (who did what: the contractor's actions too) and the
    consent in force, as coaches and SR officers see it."""
    assert referral.id is not None
    events = history(session=session, referral_id=referral.id)
    consent = active_consent(session=session, referral_id=referral.id)
    user_ids = {e.created_by_id for e in events} | {consent.recorded_by_id if consent else None}
    users = {
        u.id: u
        for u in session.exec(select(User).where(col(User.id).in_(sorted(user_ids - {None}))))
    }
    consent_public = None
    if consent is not None:
        who = users.get(consent.recorded_by_id)
        consent_public = ReferralConsentPublic.model_validate(
            consent, update={"recorded_by": (who.full_name or who.username) if who else None}
        )
    asked = referral.status == "proposed" and any(
        e.action == "introduction_requested" for e in events
    )
    return ReferralPublic.model_validate(
        referral,
        update={
            "history": [
                ReferralEventPublic.model_validate(
                    e,
                    update={
                        "by_role": (
                            str(users[e.created_by_id].role.value)
                            if e.created_by_id in users
                            else None
                        )
                    },
                )
                for e in events
            ],
            "consent": consent_public,
            "introduction_requested": asked,
        },
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
        consent_method=body.consent_method,
        reason_code=body.reason_code,
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


# --- coaches: the candidate's consent for one referral ---------------------------------------


def record_consent(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    body: ConsentCreate,
    request_id: str | None,
) -> ReferralPublic:
    """A coach records how the candidate consented to be introduced for this referral (who:
    the coach, when: ``given_on``, how: ``method``); audited. An introduction made before
    without a record shows the contractor who the person is from now on."""
    ref = _full_view_referral(session=session, actor=actor, referral_id=referral_id)
    get_held_candidate(session=session, user=actor, candidate_id=ref.candidate_id)
    _new_consent(
        session=session,
        referral=ref,
        method=body.method,
        on=body.given_on or dt.date.today(),
        actor=actor,
    )
    if ref.status in ("introduced", "interviewed"):
        ref.introduced_with_consent = True
        ref.updated_at = utcnow()
        session.add(ref)
    record(
        session,
        user=actor,
        action="referral.consent_recorded",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
        detail=body.method,
    )
    session.flush()
    return referral_public(session=session, referral=ref)


def withdraw_consent(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    body: ConsentWithdrawal,
    request_id: str | None,
) -> ReferralPublic:
    """The candidate withdrew the consent for this referral: the contractor no longer sees who
    the person is, at once; audited. NotFoundError when no consent is in force."""
    ref = _full_view_referral(session=session, actor=actor, referral_id=referral_id)
    get_held_candidate(session=session, user=actor, candidate_id=ref.candidate_id)
    assert ref.id is not None
    if active_consent(session=session, referral_id=ref.id) is None:
        raise NotFoundError("consent of referral", ref.id)
    withdraw_consents(
        session=session,
        actor=actor,
        referrals=[ref],
        reason=(body.reason or "").strip() or None,
        request_id=request_id,
    )
    return referral_public(session=session, referral=ref)


# --- contractors: acting on a proposal ---------------------------------------------------------


def request_introduction(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    body: IntroductionRequest,
    request_id: str | None,
) -> ContractorReferralPublic:
    """A contractor asks the coach to introduce the person behind an anonymous proposal: an
    event the coach sees on the referral (the coach decides, with the candidate's consent), and
    a sign of interest the ranker learns from; audited."""
    ref = contractor_referral_for(session=session, actor=actor, referral_id=referral_id)
    if ref.status != "proposed":
        raise FieldError(
            "status",
            ref.status,
            f"an introduction can be asked for a proposal only (the referral is {ref.status})",
        )
    assert ref.id is not None
    today = max(dt.date.today(), ref.status_date)
    asked = session.exec(
        select(ReferralEvent.id).where(
            ReferralEvent.referral_id == ref.id,
            ReferralEvent.action == "introduction_requested",
        )
    ).first()
    if asked is not None:
        raise ConflictError(
            f"an introduction was already asked for referral {ref.id}; the coach decides"
        )
    session.add(
        ReferralEvent(
            referral_id=ref.id,
            status=ref.status,
            date=today,
            action="introduction_requested",
            reason=(body.note or "").strip() or None,
            created_by_id=actor.id,
        )
    )
    ref.updated_at = utcnow()
    session.add(ref)
    _contractor_audit(session, actor, ref, "referral.introduction_requested", request_id)
    session.flush()
    return contractor_referral(session=session, referral=ref)


def invite_to_interview(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    body: InterviewInvitation,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> ContractorReferralPublic:
    """A contractor invites a person introduced with consent to an interview: the referral
    becomes ``interviewed`` (a positive outcome for the ranker); audited. A proposal not yet
    introduced is refused: ask for an introduction first."""
    ref = contractor_referral_for(session=session, actor=actor, referral_id=referral_id)
    if ref.status == "proposed":
        raise FieldError(
            "status",
            "interviewed",
            "the person has not been introduced yet: ask the coach for an introduction "
            "first (request-introduction)",
        )
    transition(
        session=session,
        referral=ref,
        to_status="interviewed",
        on=body.date or max(dt.date.today(), ref.status_date),
        reason=body.note,
        actor=actor,
    )
    _contractor_audit(session, actor, ref, "referral.interviewed", request_id)
    notify_changed(session, matching, ref.candidate_id)
    return contractor_referral(session=session, referral=ref)


def reject_proposal(
    *,
    session: Session,
    actor: User,
    referral_id: int,
    body: ContractorRejection,
    request_id: str | None,
    matching: MatchingService | None = None,
) -> ContractorReferralPublic:
    """A contractor turns a referral down with a reason from ``REJECTION_REASONS`` plus free
    text: the referral becomes ``rejected`` (a negative outcome for the ranker); audited."""
    ref = contractor_referral_for(session=session, actor=actor, referral_id=referral_id)
    if body.reason_code not in REJECTION_REASONS:
        raise FieldError(
            "reason_code", body.reason_code, f"allowed: {', '.join(REJECTION_REASONS)}"
        )
    text = (body.reason or "").strip()
    transition(
        session=session,
        referral=ref,
        to_status="rejected",
        on=body.date or max(dt.date.today(), ref.status_date),
        reason=text or body.reason_code,
        reason_code=body.reason_code,
        actor=actor,
    )
    _contractor_audit(session, actor, ref, "referral.rejected", request_id, body.reason_code)
    notify_changed(session, matching, ref.candidate_id)
    return contractor_referral(session=session, referral=ref)


def _contractor_audit(
    session: Session,
    actor: User,
    ref: Referral,
    action: str,
    request_id: str | None,
    detail: str | None = None,
) -> None:
    record(
        session,
        user=actor,
        action=action,
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
        detail=detail,
    )


# --- coaches: who can propose whom, before trying ------------------------------------------


def with_proposal_state(
    *, session: Session, actor: User, shortlist: ShortlistPublic
) -> ShortlistPublic:
    """The shortlist with, per entry, who holds the candidate (``coach_id``, ``coach_name``,
    ``held_by_me``), whether they share data (``consent_share``) and whether the actor can
    propose them now (``can_propose``, else ``cannot_propose_reason``): the rules of
    ``propose_referral``, answered before the coach tries. One query for the whole list: the
    candidates' columns with their coach's name joined in."""
    ids = [e.candidate_id for e in shortlist.entries]
    if not ids:
        return shortlist
    rows: dict[int | None, tuple[int | None, bool, bool]] = {}
    names: dict[int | None, str] = {}
    # ``full_name or username``, NULL when no user row holds the id (username is never null)
    name = func.coalesce(func.nullif(col(User.full_name), ""), col(User.username))
    # (five columns: more than sqlmodel's typed ``exec`` overloads take, hence ``execute``)
    for cid, coach_id, share, active, holder in session.execute(
        select(Candidate.id, Candidate.coach_id, Candidate.consent_share, Candidate.active)
        .add_columns(name)
        .outerjoin(User, col(User.id) == col(Candidate.coach_id))
        .where(col(Candidate.id).in_(ids))
    ).all():
        rows[cid] = (coach_id, share, active)
        if holder is not None:
            names[coach_id] = holder
    entries = []
    for e in shortlist.entries:
        coach_id, share, active = rows.get(e.candidate_id, (None, False, False))
        mine = actor.role == Role.coach and coach_id == actor.id
        reason = _cannot_propose(mine, coach_id, names, share, active)
        entries.append(
            e.model_copy(
                update={
                    "coach_id": coach_id,
                    "coach_name": names.get(coach_id) if coach_id is not None else None,
                    "held_by_me": mine,
                    "consent_share": bool(share),
                    "can_propose": reason is None,
                    "cannot_propose_reason": reason,
                }
            )
        )
    return shortlist.model_copy(update={"entries": entries})


def _cannot_propose(
    mine: bool, coach_id: int | None, names: dict[int | None, str], share: bool, active: bool
) -> str | None:
    """Why the actor cannot propose the candidate (None: they can), as ``propose_referral``
    would refuse: another coach holds them, they do not share data, they are not active."""
    if not mine:
        if coach_id is None:
            return "no coach holds this candidate"
        return f"held by {names.get(coach_id, 'another coach')}: only they can propose"
    if not share:
        return "the candidate has not consented to share data with contractors"
    if not active:
        return "the candidate is not active"
    return None


def with_candidate_proposal_state(
    *, session: Session, actor: User, matches: VacancyMatchesPublic
) -> VacancyMatchesPublic:
    """The vacancies for one candidate with whether the actor can propose that candidate at
    all (``can_propose``, else ``cannot_propose_reason``), as on a shortlist entry."""
    cand = session.get(Candidate, matches.candidate_id)
    if cand is None:
        return matches
    holder = session.get(User, cand.coach_id) if cand.coach_id is not None else None
    names = {holder.id: holder.full_name or holder.username} if holder else {}
    mine = actor.role == Role.coach and cand.coach_id == actor.id
    reason = _cannot_propose(mine, cand.coach_id, names, cand.consent_share, cand.active)
    return matches.model_copy(
        update={
            "can_propose": reason is None,
            "cannot_propose_reason": reason,
            "consent_share": cand.consent_share,
            "held_by_me": mine,
        }
    )
