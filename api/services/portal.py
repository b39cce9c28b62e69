"""The contractor portal: own contract reports, anonymous candidate search, proposal requests.

Contract reports
    ``contractor_report`` projects the SR officer's contract report
    (``reports.build_contract_report``: one computation, one path) onto
    :class:`ContractorContractReportPublic`, which has no field for a candidate, a block, a
    bonus or a yearly rate: block and bonus lines of one placement period become one line, a
    "not credited" reason that names a benefit is replaced by a neutral one.
Anonymous search (as UWV's Kandidatenverkenner lets employers browse)
    Candidates who share their data (``consent_share``), are active, have a coach and belong to
    a municipality that can see the vacancy; narrowed by the filters
    (:mod:`matcher.explore`, array masks over the shortlist index) and ranked by the very
    shortlist code, rules and scorer coaches use (:func:`matcher.shortlist.shortlist_many`).
    Each result gets a random handle valid for that search only; the token and the handle map
    are kept server side (``CandidateSearch``). Every profile shown is audited per candidate.
Proposal requests
    "Ask the coach to propose": a request the candidate's (holding) coach sees and accepts,
    which proposes through ``referrals.propose_referral``, or declines with a reason.

Nothing here commits: the caller's unit of work does.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
from sqlmodel import Session, col, func, select

from api.audit import record, record_many
from api.services.access import get_contract_for, get_in_scope, get_vacancy_for
from api.services.errors import ConflictError, FieldError, ForbiddenError, NotFoundError
from api.services.matching import MatchingService, excluded_for_vacancies
from api.services.paging import paged
from api.services.profiles import vacancy_profile
from api.services.reports import build_contract_report
from matcher.explore import ExploreFilters, filter_rows
from matcher.features import LICENCE_BIT, haversine_km
from matcher.normalize import get_normalizer
from matcher.shortlist import shortlist_many
from matcher.sr import ContractReport, report_summary_row
from matcher.vocab import DRIVING_LICENCES, DUTCH_LEVEL_NAMES, EDUCATION_LEVELS
from models.base import utcnow
from models.candidates import Candidate
from models.contracts import Contract
from models.organisations import Contractor, Role, User
from models.portal import (
    PROPOSAL_REQUEST_STATUSES,
    AnonymousProfilePublic,
    CandidateSearch,
    CandidateSearchCreate,
    CandidateSearchPublic,
    CoachProposalRequestPublic,
    CoachProposalRequestsPublic,
    ContractorContractReportPublic,
    ContractorContractReportsPublic,
    ContractorProposalRequestPublic,
    ContractorProposalRequestsPublic,
    ContractorTraceLinePublic,
    ProposalRequest,
    ProposalRequestCreate,
)
from models.referrals import Referral, ReferralCreate
from models.vacancies import Vacancy, VacancyStatus

#: how long a search's handles can be used to ask for a proposal
SEARCH_TTL = timedelta(hours=24)
_NEUTRAL_SKIP = (
    "no building block of the contract's table applies to this person, or its counting cap "
    "has ended"
)
#: beginnings of "not credited" reasons that say nothing about the person (matcher.sr.valuation)
_PLAIN_SKIPS = ("kind ", "no day between", "starts after", "every day of it is already")


# --- contract reports -------------------------------------------------------------------------


def _contractor(actor: User) -> int:
    if actor.role != Role.contractor or actor.contractor_id is None:
        raise ForbiddenError("the contractor portal is for contractor users")
    return actor.contractor_id


def _fmt(d: Decimal) -> str:
    return f"{d:,.2f}"


def contractor_report(
    report: ContractReport, *, contract: Contract
) -> ContractorContractReportPublic:
    """The SR officer's report of one contract as its contractor may see it (see module doc).

    Placement lines of one period (block plus bonuses: same placement, days and realised flag)
    are summed into one line whose explanation names hours and days, not the block or rate.
    """
    assert contract.id is not None
    trace: list[ContractorTraceLinePublic] = []
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    order: list[tuple[Any, ...]] = []
    for ln in report.lines:
        if ln.source != "placement":
            trace_line = ContractorTraceLinePublic(
                source=ln.source,
                effort_id=ln.effort_id if isinstance(ln.effort_id, int) else None,
                day_from=ln.day_from,
                day_to=ln.day_to,
                realised=ln.realised,
                amount_eur=float(ln.amount_eur),
                explanation=ln.explanation,
            )
            key: tuple[Any, ...] = ("other", len(order))
            merged[key] = {"line": trace_line}
            order.append(key)
            continue
        key = ("placement", ln.placement_id, ln.day_from, ln.day_to, ln.realised)
        if key not in merged:
            merged[key] = {"ln": ln, "amount": Decimal(0)}
            order.append(key)
        if ln.bonus is None:  # the block line carries the hours
            merged[key]["ln"] = ln
        merged[key]["amount"] += ln.amount_eur
    for key in order:
        item = merged[key]
        if "line" in item:
            trace.append(item["line"])
            continue
        ln, amount = item["ln"], item["amount"]
        frac = ln.hours_fraction
        hours = ln.hours_per_week
        trace.append(
            ContractorTraceLinePublic(
                source="placement",
                placement_id=ln.placement_id if isinstance(ln.placement_id, int) else None,
                hours_per_week=None if hours is None else float(hours),
                fulltime_hours=None if ln.fulltime_hours is None else float(ln.fulltime_hours),
                hours_fraction=None if frac is None else round(float(frac), 6),
                days=ln.days,
                day_from=ln.day_from,
                day_to=ln.day_to,
                realised=ln.realised,
                amount_eur=float(amount),
                explanation=(
                    f"placement {ln.placement_id}: "
                    f"{format((hours or Decimal(0)).normalize(), 'f')}/"
                    f"{format((ln.fulltime_hours or Decimal(0)).normalize(), 'f')} h x "
                    f"{ln.days}/365 d = {_fmt(amount)}" + ("" if ln.realised else " (forecast)")
                ),
            )
        )
    for sk in report.skipped:
        # only reasons about the placement itself pass; the others name a block, a benefit or
        # a target group (who the person is), so they become one neutral sentence
        reason = sk.reason if sk.reason.startswith(_PLAIN_SKIPS) else _NEUTRAL_SKIP
        trace.append(
            ContractorTraceLinePublic(
                source="placement",
                placement_id=sk.placement_id if isinstance(sk.placement_id, int) else None,
                realised=True,
                amount_eur=0.0,
                explanation=f"placement {sk.placement_id}: not credited: {reason}",
            )
        )
    summary = report_summary_row(report)
    keep = set(ContractorContractReportPublic.model_fields) - {"trace", "contract_id", "title"}
    return ContractorContractReportPublic.model_validate(
        {k: v for k, v in summary.items() if k in keep}
        | {"contract_id": contract.id, "title": contract.title, "trace": trace}
    )


def read_contractor_report(
    *, session: Session, actor: User, contract_id: int, as_of: date | None = None
) -> ContractorContractReportPublic:
    """Obligation, realised to date, forecast, status and the anonymised trace of one of the
    contractor's own contracts; NotFoundError for any other contract."""
    _contractor(actor)
    contract = get_contract_for(session=session, user=actor, contract_id=contract_id)
    return contractor_report(
        build_contract_report(session, contract=contract, as_of=as_of), contract=contract
    )


def list_contractor_reports(
    *, session: Session, actor: User, as_of: date | None = None
) -> ContractorContractReportsPublic:
    """The reports of all the contractor's own contracts (oldest contract first)."""
    contractor_id = _contractor(actor)
    contracts = session.exec(
        select(Contract).where(Contract.contractor_id == contractor_id).order_by(col(Contract.id))
    ).all()
    data = [
        contractor_report(build_contract_report(session, contract=c, as_of=as_of), contract=c)
        for c in contracts
    ]
    return ContractorContractReportsPublic(data=data, count=len(data))


# --- anonymous candidate search ---------------------------------------------------------------


def _concept_cols(
    texts: Iterable[str], *, fld: str, occupations: bool, matching: MatchingService
) -> tuple[int, ...]:
    """Index columns of the concepts the texts name; FieldError naming an unknown text."""
    wanted = [t.strip() for t in texts if t and t.strip()]
    if not wanted:
        return ()
    norm = get_normalizer()
    matches = norm.titles(wanted) if occupations else norm.skills(wanted)
    vocab = matching.candidates.occupations if occupations else matching.candidates.skills
    cols = []
    for m in matches:
        if m.concept_id is None:
            hint = ", ".join(label for _, label, _ in m.suggestions[:3])
            what = "occupation" if occupations else "skill"
            raise FieldError(
                fld,
                m.text,
                f"not a known {what}" + (f"; did you mean: {hint}" if hint else ""),
            )
        cols.append(vocab.index.get(m.concept_id, -1))
    return tuple(cols)


def _filters(
    body: CandidateSearchCreate, vacancy: Vacancy, matching: MatchingService
) -> ExploreFilters:
    edu = None
    if body.education_min:
        code = body.education_min.strip().lower()
        if code not in EDUCATION_LEVELS:
            raise FieldError(
                "education_min", body.education_min, f"allowed: {', '.join(EDUCATION_LEVELS)}"
            )
        edu = EDUCATION_LEVELS[code]
    bits = []
    for i, lic in enumerate(body.driving_licences):
        key = lic.strip().upper()
        if key not in LICENCE_BIT:
            raise FieldError(
                f"driving_licences[{i}]", lic, f"allowed: {', '.join(DRIVING_LICENCES)}"
            )
        bits.append(LICENCE_BIT[key])
    return ExploreFilters(
        skill_cols=_concept_cols(body.skills, fld="skills", occupations=False, matching=matching),
        occupation_cols=_concept_cols(
            body.occupations, fld="occupations", occupations=True, matching=matching
        ),
        hours_min=body.hours_min,
        education_min=edu,
        licence_bits=tuple(bits),
        max_km=body.max_km,
        lat=vacancy.lat,
        lon=vacancy.lon,
    )


def searchable_candidate_ids(session: Session, *, vacancy: Vacancy) -> list[int]:
    """Who an employer may find for this vacancy: active candidates who share their data
    (``consent_share``), have a coach to ask, and belong to a municipality that sees the
    vacancy (its own, or its contract's)."""
    munis = {vacancy.municipality_id}
    if vacancy.contract_id is not None:
        contract = session.get(Contract, vacancy.contract_id)
        if contract is not None:
            munis.add(contract.municipality_id)
    munis.discard(None)
    if not munis:
        return []
    found = session.exec(
        select(Candidate.id).where(
            Candidate.consent_share == True,  # noqa: E712
            Candidate.active == True,  # noqa: E712
            col(Candidate.coach_id).is_not(None),
            col(Candidate.municipality_id).in_(sorted(m for m in munis if m is not None)),
        )
    ).all()
    return [int(i) for i in found if i is not None]


def _label(matching: MatchingService, concept_id: str, lang: str) -> str:
    try:
        return str(matching.taxonomy.label(concept_id, lang=lang))
    except (KeyError, ValueError):
        return concept_id


def _profile(
    cand: Candidate,
    *,
    handle: str,
    entry: Any,
    vacancy: Vacancy,
    matching: MatchingService,
    lang: str,
) -> AnonymousProfilePublic:
    km = None
    if None not in (cand.lat, cand.lon, vacancy.lat, vacancy.lon):
        d = haversine_km(
            np.array([cand.lat]),
            np.array([cand.lon]),
            np.array([vacancy.lat]),
            np.array([vacancy.lon]),
        )[0]
        km = int(round(float(d)))
    return AnonymousProfilePublic(
        handle=handle,
        rank=entry.rank,
        score=round(entry.score, 4),
        occupations=[_label(matching, o["id"], lang) for o in cand.occupations_norm or []],
        skills=[
            _label(matching, s["id"], lang) for s in cand.skills_norm or [] if not s.get("implied")
        ],
        education_level=cand.education_level,
        dutch_level=(
            None if cand.dutch_level_ord is None else DUTCH_LEVEL_NAMES.get(cand.dutch_level_ord)
        ),
        hours_per_week=cand.hours_per_week,
        distance_km=km,
        driving_licences=list(cand.driving_licences or []),
        available_from=cand.available_from,
        reasons=list(entry.reasons),
        missing_skills=list(entry.missing_skills),
    )


def search_candidates(
    *,
    session: Session,
    actor: User,
    body: CandidateSearchCreate,
    matching: MatchingService,
    lang: str = "nl",
    request_id: str | None = None,
) -> CandidateSearchPublic:
    """Anonymous profiles of consenting candidates in reach of one of the contractor's open
    vacancies, best first, with the shortlist's reasons; a fresh token and fresh handles.

    NotFoundError for a vacancy that is not the contractor's, FieldError for a closed vacancy
    or a filter value that is not understood (naming it and what is allowed).
    """
    contractor_id = _contractor(actor)
    vacancy = get_vacancy_for(session=session, user=actor, vacancy_id=body.vacancy_id)
    if vacancy.status != VacancyStatus.open:
        raise FieldError(
            "vacancy_id", body.vacancy_id, "the vacancy is closed; search for an open vacancy"
        )
    filters = _filters(body, vacancy, matching)
    pool = searchable_candidate_ids(session, vacancy=vacancy)
    cands, alive = matching.candidates.arrays()
    rows = np.flatnonzero(alive & np.isin(cands.ids, np.asarray(pool, dtype=np.int64)))
    rows = filter_rows(cands, rows, filters)
    ids = [int(i) for i in cands.ids[rows]]
    assert vacancy.id is not None
    # the shortlist's exclusions, plus anyone ever referred to this vacancy or already asked
    # about for it: a pair is proposed at most once, so such a profile could not be asked for
    excluded = excluded_for_vacancies(session, [vacancy.id])[vacancy.id]
    excluded |= set(
        session.exec(select(Referral.candidate_id).where(Referral.vacancy_id == vacancy.id)).all()
    )
    excluded |= set(
        session.exec(
            select(ProposalRequest.candidate_id).where(
                ProposalRequest.vacancy_id == vacancy.id, ProposalRequest.status == "pending"
            )
        ).all()
    )
    profile = vacancy_profile(vacancy, excluded_candidate_ids=frozenset(excluded))
    result = shortlist_many(
        matching.candidates,
        [profile],
        scorer=matching.scorer,
        top=body.top,
        taxonomy=matching.taxonomy,
        lang=lang,
        candidate_ids=ids,
    )[0]
    by_id = {
        c.id: c
        for c in session.exec(
            select(Candidate).where(col(Candidate.id).in_([e.candidate_id for e in result.entries]))
        ).all()
    }
    handles: dict[str, int] = {}
    shown: list[AnonymousProfilePublic] = []
    for entry in result.entries:
        cand = by_id.get(entry.candidate_id)
        if cand is None:  # gone since the index last saw it
            continue
        handle = secrets.token_urlsafe(6)
        while handle in handles:
            handle = secrets.token_urlsafe(6)
        handles[handle] = entry.candidate_id
        shown.append(
            _profile(
                cand, handle=handle, entry=entry, vacancy=vacancy, matching=matching, lang=lang
            )
        )
    now = utcnow()
    search = CandidateSearch(
        token=secrets.token_urlsafe(24),
        contractor_id=contractor_id,
        vacancy_id=vacancy.id,
        user_id=actor.id,
        handles=handles,
        filters=body.model_dump(mode="json"),
        created_at=now,
        expires_at=now + SEARCH_TTL,
    )
    session.add(search)
    session.flush()
    record_many(
        session,
        user=actor,
        action="candidate.explore",
        candidate_ids=handles.values(),
        request_id=request_id,
        object_type="search",
        object_id=search.id,
    )
    return CandidateSearchPublic(
        token=search.token,
        vacancy_id=vacancy.id,
        vacancy_ref=vacancy.ref,
        model_version=matching.version_label,
        expires_at=search.expires_at,
        considered=len(ids),
        eligible=result.n_eligible,
        data=shown,
        count=len(shown),
    )


# --- proposal requests ------------------------------------------------------------------------


def _contractor_request_public(
    session: Session, r: ProposalRequest
) -> ContractorProposalRequestPublic:
    assert r.id is not None
    vac = session.get(Vacancy, r.vacancy_id)
    return ContractorProposalRequestPublic(
        id=r.id,
        vacancy_id=r.vacancy_id,
        vacancy_ref=vac.ref if vac else "",
        handle=r.handle,
        message=r.message,
        status=r.status,
        referral_id=r.referral_id,
        created_at=r.created_at,
        decided_at=r.decided_at,
    )


def request_proposal(
    *, session: Session, actor: User, body: ProposalRequestCreate, request_id: str | None = None
) -> ContractorProposalRequestPublic:
    """Ask the coach of a profile found in one of the contractor's searches to propose them.

    NotFoundError for a token or handle that is not the contractor's; FieldError when the
    search expired or the profile is no longer available (consent withdrawn, inactive: the
    contractor is not told which); ConflictError when a request is pending or the person was
    already proposed for the vacancy. Audited for the candidate.
    """
    contractor_id = _contractor(actor)
    search = session.exec(
        select(CandidateSearch).where(
            CandidateSearch.token == body.search_token,
            CandidateSearch.contractor_id == contractor_id,
        )
    ).first()
    if search is None:
        raise NotFoundError("search", "token")
    expires = search.expires_at
    if expires.tzinfo is None:
        expires = expires.replace(tzinfo=utcnow().tzinfo)
    if expires < utcnow():
        raise FieldError("search_token", None, "the search has expired; search again")
    cid = (search.handles or {}).get(body.handle)
    if cid is None:
        raise NotFoundError("profile", body.handle)
    cand = session.get(Candidate, int(cid))
    vacancy = session.get(Vacancy, search.vacancy_id)
    if cand is None or not cand.active or not cand.consent_share or cand.coach_id is None:
        raise FieldError("handle", body.handle, "this profile is no longer available")
    if vacancy is None or vacancy.status != VacancyStatus.open:
        raise FieldError("handle", body.handle, "the vacancy is closed")
    pending = session.exec(
        select(ProposalRequest.id).where(
            ProposalRequest.vacancy_id == vacancy.id,
            ProposalRequest.candidate_id == cand.id,
            ProposalRequest.status == "pending",
        )
    ).first()
    if pending is not None:
        raise ConflictError(
            f"a request for this profile and vacancy is already pending ({pending})"
        )
    if (
        session.exec(
            select(Referral.id).where(
                Referral.vacancy_id == vacancy.id, Referral.candidate_id == cand.id
            )
        ).first()
        is not None
    ):
        raise ConflictError("this person was already proposed for this vacancy once")
    assert vacancy.id is not None and cand.id is not None
    req = ProposalRequest(
        contractor_id=contractor_id,
        vacancy_id=vacancy.id,
        candidate_id=cand.id,
        handle=body.handle,
        message=(body.message or "").strip() or None,
        requested_by_id=actor.id,
    )
    session.add(req)
    session.flush()
    record(
        session,
        user=actor,
        action="proposal_request.create",
        candidate_id=cand.id,
        request_id=request_id,
        object_type="proposal_request",
        object_id=req.id,
    )
    return _contractor_request_public(session, req)


def _check_status(status: str | None) -> None:
    if status is not None and status not in PROPOSAL_REQUEST_STATUSES:
        raise FieldError(
            "status", status, f"allowed: {', '.join(PROPOSAL_REQUEST_STATUSES)}", location="query"
        )


def list_contractor_requests(
    *, session: Session, actor: User, status: str | None = None, limit: int = 20, offset: int = 0
) -> ContractorProposalRequestsPublic:
    """The contractor's own requests, newest first (handles, never people)."""
    contractor_id = _contractor(actor)
    _check_status(status)
    where: list[Any] = [col(ProposalRequest.contractor_id) == contractor_id]
    if status is not None:
        where.append(col(ProposalRequest.status) == status)
    rows, count = paged(
        session, ProposalRequest, where, limit=limit, offset=offset, newest_first=True
    )
    return ContractorProposalRequestsPublic(
        data=[_contractor_request_public(session, r) for r in rows], count=int(count)
    )


def _coach_scope(actor: User) -> Any:
    if actor.role != Role.coach or actor.municipality_id is None:
        raise ForbiddenError("proposal requests are decided by the candidate's coach")
    return col(ProposalRequest.candidate_id).in_(
        select(Candidate.id).where(
            Candidate.coach_id == actor.id, Candidate.municipality_id == actor.municipality_id
        )
    )


def _coach_request_public(session: Session, r: ProposalRequest) -> CoachProposalRequestPublic:
    assert r.id is not None
    cand = session.get(Candidate, r.candidate_id)
    vac = session.get(Vacancy, r.vacancy_id)
    firm = session.get(Contractor, r.contractor_id)
    return CoachProposalRequestPublic(
        id=r.id,
        candidate_id=r.candidate_id,
        candidate_ref=cand.ref if cand else "",
        vacancy_id=r.vacancy_id,
        vacancy_ref=vac.ref if vac else "",
        vacancy_title=vac.title if vac else "",
        contractor=firm.name if firm else "",
        message=r.message,
        status=r.status,
        decline_reason=r.decline_reason,
        referral_id=r.referral_id,
        created_at=r.created_at,
        decided_at=r.decided_at,
    )


def list_coach_requests(
    *,
    session: Session,
    actor: User,
    status: str | None = None,
    limit: int = 20,
    offset: int = 0,
    request_id: str | None = None,
) -> CoachProposalRequestsPublic:
    """Requests for the candidates the coach holds, newest first; audited per candidate."""
    where: list[Any] = [_coach_scope(actor)]
    _check_status(status)
    if status is not None:
        where.append(col(ProposalRequest.status) == status)
    rows, count = paged(
        session, ProposalRequest, where, limit=limit, offset=offset, newest_first=True
    )
    record_many(
        session,
        user=actor,
        action="proposal_request.list",
        candidate_ids=[r.candidate_id for r in rows],
        request_id=request_id,
    )
    return CoachProposalRequestsPublic(
        data=[_coach_request_public(session, r) for r in rows], count=int(count)
    )


def _pending_for_coach(session: Session, actor: User, request_id: int) -> ProposalRequest:
    req = get_in_scope(
        session, ProposalRequest, request_id, _coach_scope(actor), "proposal request"
    )
    if req.status != "pending":
        raise ConflictError(
            f"proposal request {request_id} was already decided (status {req.status})"
        )
    return req


def accept_request(
    *,
    session: Session,
    actor: User,
    proposal_request_id: int,
    matching: MatchingService | None = None,
    request_id: str | None = None,
) -> CoachProposalRequestPublic:
    """The coach accepts: the candidate is proposed through the normal referral service (its
    checks apply: consent, an open vacancy, no earlier referral), and the request records the
    referral. Audited."""
    from api.services import referrals  # the referral workflow imports much: load it late

    req = _pending_for_coach(session, actor, proposal_request_id)
    referral = referrals.propose_referral(
        session=session,
        actor=actor,
        body=ReferralCreate(candidate_id=req.candidate_id, vacancy_id=req.vacancy_id),
        request_id=request_id,
        matching=matching,
    )
    req.status = "accepted"
    req.referral_id = referral.id
    req.decided_by_id = actor.id
    req.decided_at = req.updated_at = utcnow()
    session.add(req)
    session.flush()
    record(
        session,
        user=actor,
        action="proposal_request.accept",
        candidate_id=req.candidate_id,
        request_id=request_id,
        object_type="proposal_request",
        object_id=req.id,
    )
    return _coach_request_public(session, req)


def decline_request(
    *,
    session: Session,
    actor: User,
    proposal_request_id: int,
    reason: str,
    request_id: str | None = None,
) -> CoachProposalRequestPublic:
    """The coach declines with a reason (kept with the coach, not shown to the contractor)."""
    req = _pending_for_coach(session, actor, proposal_request_id)
    text = reason.strip()
    if not text:
        raise FieldError("reason", reason, "say why, for the record")
    req.status = "declined"
    req.decline_reason = text
    req.decided_by_id = actor.id
    req.decided_at = req.updated_at = utcnow()
    session.add(req)
    session.flush()
    record(
        session,
        user=actor,
        action="proposal_request.decline",
        candidate_id=req.candidate_id,
        request_id=request_id,
        object_type="proposal_request",
        object_id=req.id,
        detail=text,
    )
    return _coach_request_public(session, req)


def pending_counts_by_coach(session: Session, *, coach_ids: Iterable[int]) -> dict[int, int]:
    """Pending requests per coach (for a badge on the coach's pages)."""
    out: dict[int, int] = defaultdict(int)
    ids = list(coach_ids)
    if not ids:
        return out
    for coach_id, n in session.exec(
        select(Candidate.coach_id, func.count())
        .join(ProposalRequest, ProposalRequest.candidate_id == Candidate.id)  # type: ignore[arg-type]
        .where(col(Candidate.coach_id).in_(ids), ProposalRequest.status == "pending")
        .group_by(col(Candidate.coach_id))
    ).all():
        if coach_id is not None:
            out[int(coach_id)] = int(n)
    return out


__all__ = [
    "SEARCH_TTL",
    "accept_request",
    "contractor_report",
    "decline_request",
    "list_coach_requests",
    "list_contractor_reports",
    "list_contractor_requests",
    "pending_counts_by_coach",
    "read_contractor_report",
    "request_proposal",
    "search_candidates",
    "searchable_candidate_ids",
]
