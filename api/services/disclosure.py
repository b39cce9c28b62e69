"""Disclosure: what a contractor may see of a candidate.

A contractor sees nothing at all of a candidate who does not share data (``consent_share``
false): no referral, no anonymous profile, no id (``contractor_referral_scope``). Of the others
it sees the people proposed for its vacancies anonymised (``CandidateAnonymous``: what the job
needs, as taxonomy labels, a distance in whole kilometres, whether the person counts for SR under
the contract, fixed when proposed, without the benefit behind it) until a coach introduced them
with a consent recorded for that referral (``ReferralConsent``, ``may_identify``); then the
municipality's reference and whom to contact are added (``CandidateIntroduced``). Never a BSN, a
name, an address or the coach's free text. Every list and read is audited per candidate.
Withdrawing consent (``withdraw_consents``) hides the candidate again at once. Nothing here
commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_
from sqlmodel import Session, col, select

from api.audit import record, record_many
from api.services.access import get_in_scope, referral_scope
from api.services.errors import NotFoundError
from api.services.paging import paged
from matcher.eligibility import SrPair, counts_for_sr_pairs
from matcher.eligibility import counts_for_sr as sr_rule
from matcher.geo import haversine_km
from matcher.taxonomy import load_taxonomy
from matcher.vocab import DUTCH_LEVEL_NAMES
from models.base import utcnow
from models.candidates import Candidate, CandidateAnonymous
from models.disclosure import (
    CandidateIntroduced,
    ContractorReferralPublic,
    ContractorReferralsPublic,
)
from models.organisations import Municipality, Role, User
from models.referrals import Referral, ReferralConsent, ReferralEvent
from models.vacancies import Vacancy


def may_identify(*, referral: Referral, candidate: Candidate) -> bool:
    """Whether the contractor may know who the person is: a coach introduced them with a
    consent recorded for this referral (the referral service sets ``introduced_with_consent``
    only then and clears it when the consent is withdrawn) and the candidate shares data."""
    return bool(referral.introduced_with_consent and candidate.consent_share)


def contractor_referral_scope(actor: User) -> Any:
    """The WHERE clause of the referrals a contractor user may see at all: to its vacancies,
    of candidates who share data (``consent_share``); a non-sharing candidate is invisible."""
    return (
        col(Referral.id).is_(None)
        if actor.role != Role.contractor
        else and_(
            referral_scope(actor),
            col(Referral.candidate_id).in_(
                select(Candidate.id).where(col(Candidate.consent_share).is_(True))
            ),
        )
    )


def sharing_candidate_ids(*, session: Session, candidate_ids: Iterable[int]) -> set[int]:
    """Those of ``candidate_ids`` who share data with contractors (``consent_share``)."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return set()
    rows = session.exec(
        select(Candidate.id).where(
            col(Candidate.id).in_(ids), col(Candidate.consent_share).is_(True)
        )
    ).all()
    return {int(i) for i in rows if i is not None}


def active_consent(*, session: Session, referral_id: int) -> ReferralConsent | None:
    """The consent in force for a referral (recorded and not withdrawn), if any."""
    return session.exec(
        select(ReferralConsent).where(
            ReferralConsent.referral_id == referral_id,
            col(ReferralConsent.withdrawn_at).is_(None),
        )
    ).first()


def withdraw_consents(
    *,
    session: Session,
    actor: User | None,
    referrals: Sequence[Referral],
    reason: str | None,
    request_id: str | None,
    on: dt.date | None = None,
) -> int:
    """Withdraw the consent in force of each referral: the contractor no longer sees who the
    person is, at once (``introduced_with_consent`` cleared); an event on each referral and an
    audit event per candidate. Returns how many consents were withdrawn."""
    on = on or dt.date.today()
    now = utcnow()
    n = 0
    for ref in referrals:
        assert ref.id is not None
        consents = session.exec(
            select(ReferralConsent).where(
                ReferralConsent.referral_id == ref.id,
                col(ReferralConsent.withdrawn_at).is_(None),
            )
        ).all()
        if not consents and not ref.introduced_with_consent:
            continue
        for consent in consents:
            consent.withdrawn_at = now
            consent.withdrawn_by_id = actor.id if actor else None
            consent.withdrawn_reason = reason
            session.add(consent)
        ref.introduced_with_consent = False
        ref.updated_at = now
        session.add(ref)
        _add_event_once(
            session,
            ReferralEvent(
                referral_id=ref.id,
                status=ref.status,
                date=max(on, ref.status_date),
                action="consent_withdrawn",
                reason=reason,
                created_by_id=actor.id if actor else None,
            ),
        )
        record(
            session,
            user=actor,
            action="referral.consent_withdrawn",
            candidate_id=ref.candidate_id,
            request_id=request_id,
            object_type="referral",
            object_id=ref.id,
            detail=reason,
        )
        n += 1
    session.flush()
    return n


def withdraw_candidate_consent(
    *, session: Session, actor: User | None, candidate: Candidate, request_id: str | None
) -> None:
    """The candidate stopped sharing data (``consent_share`` set to false): audited, and every
    consent recorded for their referrals is withdrawn, so no contractor sees them any more."""
    assert candidate.id is not None
    record(
        session,
        user=actor,
        action="candidate.consent_withdrawn",
        candidate_id=candidate.id,
        request_id=request_id,
        object_type="candidate",
        object_id=candidate.id,
    )
    refs = session.exec(select(Referral).where(Referral.candidate_id == candidate.id)).all()
    withdraw_consents(
        session=session,
        actor=actor,
        referrals=refs,
        reason="the candidate no longer shares data (consent_share false)",
        request_id=request_id,
    )


def _add_event_once(session: Session, event: ReferralEvent) -> None:
    """Add ``event`` unless the same (referral, status, date, action) is already recorded."""
    exists = session.exec(
        select(ReferralEvent.id).where(
            ReferralEvent.referral_id == event.referral_id,
            ReferralEvent.status == event.status,
            ReferralEvent.date == event.date,
            ReferralEvent.action == event.action,
        )
    ).first()
    if exists is None:
        session.add(event)


def identifiable_pairs(
    *, session: Session, pairs: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    """Those (candidate id, vacancy id) pairs whose referral lets the contractor of the vacancy
    know who the person is (``may_identify``): e.g. to show the reference on a due check."""
    wanted = set(pairs)
    if not wanted:
        return set()
    cand_ids = sorted({c for c, _ in wanted})
    candidates = {
        c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(cand_ids)))
    }
    referrals = session.exec(select(Referral).where(col(Referral.candidate_id).in_(cand_ids)))
    return {
        (r.candidate_id, r.vacancy_id)
        for r in referrals
        if (r.candidate_id, r.vacancy_id) in wanted
        and may_identify(referral=r, candidate=candidates[r.candidate_id])
    }


def sr_pair(candidate: Candidate, vacancy: Vacancy) -> SrPair:
    """The candidate's benefit and target groups beside the vacancy's SR eligibility."""
    return SrPair(
        candidate.benefit,
        tuple(candidate.target_groups or ()),
        tuple(vacancy.eligible_benefits or ()),
        tuple(vacancy.eligible_target_groups or ()),
    )


def counts_for_sr(candidate: Candidate, vacancy: Vacancy) -> bool:
    """Whether the person counts for SR under this vacancy's eligibility (the matcher's rules)."""
    return bool(counts_for_sr_pairs([sr_pair(candidate, vacancy)])[0])


def counts_for_contract(candidate: Candidate, vacancy: Vacancy) -> bool:
    """Whether the person counts for SR under the vacancy's *contract* (the answer a contractor
    may see, fixed on the referral when proposed): the contract's SR rule, every SR benefit and
    no target-group restriction, never the vacancy's own eligibility fields, which the
    contractor may edit (issue 13: editing them must not reveal benefit or target groups). A
    vacancy without a contract counts for no SR obligation."""
    return vacancy.contract_id is not None and sr_rule(candidate.benefit)


def contractor_referrals(
    *, session: Session, referrals: Sequence[Referral]
) -> list[ContractorReferralPublic]:
    """The contractor's view of each referral: anonymous unless ``may_identify``.

    ``counts_for_sr`` is the answer fixed when the proposal was made; referrals from before it
    was stored answer under the contract's rule (``counts_for_contract``)."""
    out: list[ContractorReferralPublic] = []
    requested = _introduction_requested(session, [r.id for r in referrals if r.id is not None])
    for referral in referrals:
        cand = session.get(Candidate, referral.candidate_id)
        vac = session.get(Vacancy, referral.vacancy_id)
        assert cand is not None and vac is not None
        if not cand.consent_share:  # never reached through contractor_referral_scope
            raise NotFoundError("referral", referral.id)
        sr = referral.counts_for_sr
        if sr is None:
            sr = counts_for_contract(cand, vac)
        view = _contractor_view(session, referral, cand, vac, counts_for_sr=bool(sr))
        view.introduction_requested = referral.id in requested
        out.append(view)
    return out


def _introduction_requested(session: Session, referral_ids: list[int]) -> set[int]:
    """Those referrals whose contractor asked for an introduction while still ``proposed``."""
    if not referral_ids:
        return set()
    return set(
        session.exec(
            select(ReferralEvent.referral_id)
            .join(Referral, col(Referral.id) == col(ReferralEvent.referral_id))
            .where(
                col(ReferralEvent.referral_id).in_(referral_ids),
                col(ReferralEvent.action) == "introduction_requested",
                col(Referral.status) == "proposed",
            )
        ).all()
    )


def contractor_referral(*, session: Session, referral: Referral) -> ContractorReferralPublic:
    """The contractor's view of one referral: anonymous unless ``may_identify``."""
    return contractor_referrals(session=session, referrals=[referral])[0]


def list_contractor_referrals(
    *,
    session: Session,
    actor: User,
    request_id: str | None,
    limit: int = 20,
    offset: int = 0,
    vacancy_id: int | None = None,
    status: str | None = None,
) -> ContractorReferralsPublic:
    """One page (oldest first) of the referrals to the actor's contractor's vacancies, in the
    contractor's view; one audit event per candidate on the page. Other roles see none here."""
    if actor.role != Role.contractor:
        return ContractorReferralsPublic(data=[], count=0)
    where: list[Any] = [contractor_referral_scope(actor)]
    if vacancy_id is not None:
        where.append(col(Referral.vacancy_id) == vacancy_id)
    if status:
        where.append(col(Referral.status) == status)
    rows, count = paged(session, Referral, where, limit=limit, offset=offset)
    data = contractor_referrals(session=session, referrals=rows)
    record_many(
        session,
        user=actor,
        action="referral.contractor_list",
        candidate_ids=[r.candidate_id for r in rows],
        request_id=request_id,
    )
    return ContractorReferralsPublic(data=data, count=int(count))


def read_contractor_referral(
    *, session: Session, actor: User, referral_id: int, request_id: str | None
) -> ContractorReferralPublic:
    """One referral to the actor's contractor's vacancies, in the contractor's view; audited."""
    ref = contractor_referral_for(session=session, actor=actor, referral_id=referral_id)
    out = contractor_referral(session=session, referral=ref)
    record(
        session,
        user=actor,
        action="referral.contractor_read",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    return out


def contractor_referral_for(*, session: Session, actor: User, referral_id: int) -> Referral:
    """A referral to the actor's contractor's vacancies of a candidate who shares data, else
    NotFoundError (also for a user who is not a contractor's): a non-sharing candidate's
    referral answers exactly like a missing one."""
    return get_in_scope(
        session, Referral, referral_id, contractor_referral_scope(actor), "referral"
    )


def _labels(concepts: list[dict[str, Any]]) -> list[str]:
    """Taxonomy labels of what the candidate stated (not the implied skills).

    Contractors see the normalised concepts, never the coach's free text, which may hold
    anything (a name, a health remark, a typo that gives someone away).
    """
    taxonomy = load_taxonomy()
    return [taxonomy.label(c["id"]) for c in concepts if not c.get("implied")]


def proposal_distance_km(candidate: Candidate, vacancy: Vacancy) -> float:
    """The distance a contractor is shown, fixed on the referral when proposed."""
    return _distance_km(candidate, vacancy)


def _distance_km(candidate: Candidate, vacancy: Vacancy) -> float:
    # whole kilometres: precise enough for travel, too coarse to triangulate an address
    return float(round(float(haversine_km(candidate.lat, candidate.lon, vacancy.lat, vacancy.lon))))


def _contractor_view(
    session: Session,
    referral: Referral,
    cand: Candidate,
    vac: Vacancy,
    *,
    counts_for_sr: bool,
) -> ContractorReferralPublic:
    assert referral.id is not None
    common: dict[str, Any] = {
        "referral_id": referral.id,
        "skills": _labels(cand.skills_norm),
        "occupations": _labels(cand.occupations_norm),
        "education_level": cand.education_level,
        "dutch_level": (
            DUTCH_LEVEL_NAMES.get(cand.dutch_level_ord)
            if cand.dutch_level_ord is not None
            else None
        ),
        "hours_per_week": cand.hours_per_week,
        # fixed when proposed: moving the vacancy must not locate the candidate
        "distance_km": (
            referral.distance_km if referral.distance_km is not None else _distance_km(cand, vac)
        ),
        "driving_licences": list(cand.driving_licences),
        "counts_for_sr": counts_for_sr,
    }
    out = ContractorReferralPublic(
        id=referral.id,
        vacancy_id=referral.vacancy_id,
        status=referral.status,
        status_date=referral.status_date,
        introduced_with_consent=may_identify(referral=referral, candidate=cand),
    )
    if may_identify(referral=referral, candidate=cand):
        coach = session.get(User, cand.coach_id) if cand.coach_id else None
        muni = session.get(Municipality, cand.municipality_id)
        out.introduced = CandidateIntroduced(
            **common,
            candidate_ref=cand.ref,
            contact_coach=coach.full_name or coach.username if coach else None,
            contact_municipality=muni.name if muni else None,
        )
    else:
        out.anonymous = CandidateAnonymous(**common)
    return out
