"""Disclosure: what a contractor may see of a candidate.

A contractor sees the people proposed for its vacancies anonymised (``CandidateAnonymous``: what
the job needs, as taxonomy labels, a distance in whole kilometres, whether the person counts for
SR without the benefit behind it) until a coach introduced them with the candidate's consent
and the candidate shares data (``may_identify``); then the municipality's reference and whom to
contact are added (``CandidateIntroduced``). Never a BSN, a name, an address or the coach's free
text. Every list and read is audited per candidate. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlmodel import Session, col, select

from api.audit import record, record_many
from api.deps import get_referral_for, referral_scope
from api.services.errors import NotFoundError
from api.services.paging import paged
from matcher.eligibility import SrPair, counts_for_sr_pairs
from matcher.geo import haversine_km
from matcher.taxonomy import load_taxonomy
from matcher.vocab import DUTCH_LEVEL_NAMES
from models.candidates import Candidate, CandidateAnonymous
from models.disclosure import (
    CandidateIntroduced,
    ContractorReferralPublic,
    ContractorReferralsPublic,
)
from models.organisations import Municipality, Role, User
from models.referrals import Referral
from models.vacancies import Vacancy


def may_identify(*, referral: Referral, candidate: Candidate) -> bool:
    """Whether the contractor may know who the person is: a coach introduced them with
    consent and the candidate shares data."""
    return bool(referral.introduced_with_consent and candidate.consent_share)


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
    """Whether the person counts for SR under this vacancy (the matcher's eligibility rules),
    an answer a contractor may see without learning the benefit."""
    return bool(counts_for_sr_pairs([sr_pair(candidate, vacancy)])[0])


def contractor_referrals(
    *, session: Session, referrals: Sequence[Referral]
) -> list[ContractorReferralPublic]:
    """The contractor's view of each referral: anonymous unless ``may_identify``."""
    pairs: list[tuple[Referral, Candidate, Vacancy]] = []
    for referral in referrals:
        cand = session.get(Candidate, referral.candidate_id)
        vac = session.get(Vacancy, referral.vacancy_id)
        assert cand is not None and vac is not None
        pairs.append((referral, cand, vac))
    counts = counts_for_sr_pairs([sr_pair(c, v) for _, c, v in pairs])
    return [
        _contractor_view(session, r, c, v, counts_for_sr=bool(sr))
        for (r, c, v), sr in zip(pairs, counts, strict=True)
    ]


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
    where: list[Any] = [referral_scope(actor)]
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
    """A referral to the actor's contractor's vacancies, else NotFoundError (also for a user
    who is not a contractor's)."""
    if actor.role != Role.contractor:
        raise NotFoundError("referral", referral_id)
    return get_referral_for(session=session, user=actor, referral_id=referral_id)


def _labels(concepts: list[dict[str, Any]]) -> list[str]:
    """Taxonomy labels of what the candidate stated (not the implied skills).

    Contractors see the normalised concepts, never the coach's free text, which may hold
    anything (a name, a health remark, a typo that gives someone away).
    """
    taxonomy = load_taxonomy()
    return [taxonomy.label(c["id"]) for c in concepts if not c.get("implied")]


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
        "distance_km": _distance_km(cand, vac),
        "driving_licences": list(cand.driving_licences),
        "counts_for_sr": counts_for_sr,
    }
    out = ContractorReferralPublic(
        id=referral.id,
        vacancy_id=referral.vacancy_id,
        status=referral.status,
        status_date=referral.status_date,
        introduced_with_consent=referral.introduced_with_consent,
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
