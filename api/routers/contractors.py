"""Contractors: their contracts and vacancies, anonymised referrals, confirming hires, and the
durability follow-ups of placements on their vacancies."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Response as HttpResponse
from fastapi import status as http
from fastapi.responses import Response
from sqlmodel import Session, col, func, select

from api.audit import record, record_many
from api.deps import (
    ContractorUser,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    SettingsDep,
    contract_scope,
    get_contract_for,
    get_referral_for,
    referral_scope,
)
from api.errors import (
    AUTHED,
    R404,
    R409,
    R413,
    R422,
    from_field_error,
    not_found,
    responses,
)
from api.routers import (
    FILE_RESPONSES,
    ExportFormat,
    Limit,
    Offset,
    paged,
    read_upload,
    run_export,
    run_import,
    store_check,
)
from api.services import referrals as referral_service
from api.services import reports, vacancies
from api.services.errors import FieldError, NotFoundError
from api.services.importer import ImportReport
from matcher.geo import haversine_km
from matcher.taxonomy import load_taxonomy
from matcher.vocab import DUTCH_LEVEL_NAMES, SR_BENEFITS
from models.api_schemas import (
    CandidateIntroduced,
    ContractorPlacementPublic,
    ContractorReferralPublic,
    ContractorReferralsPublic,
    HireCreate,
)
from models.candidates import Candidate, CandidateAnonymous
from models.contracts import Contract, ContractPublic, ContractsPublic
from models.organisations import Municipality, User
from models.placements import DurabilityCheckCreate, Placement
from models.referrals import Referral
from models.sr_reports import ContractorDueChecksPublic, DurabilityCheckPublic
from models.vacancies import (
    VacanciesPublic,
    Vacancy,
    VacancyCreate,
    VacancyPublic,
    VacancyStatus,
    VacancyUpdate,
)

router = APIRouter(prefix="/contractor", tags=["contractors"])


class ContractorFileKind(StrEnum):
    vacancies = "vacancies"


# --- what a contractor may see of a candidate ------------------------------------------


def counts_for_sr(candidate: Candidate, vacancy: Vacancy) -> bool:
    """Whether the person counts for SR under this vacancy, without revealing the benefit."""
    benefits = vacancy.eligible_benefits or list(SR_BENEFITS)
    if candidate.benefit not in benefits:
        return False
    if vacancy.eligible_target_groups:
        return bool(set(vacancy.eligible_target_groups) & set(candidate.target_groups))
    return True


def _distance_km(candidate: Candidate, vacancy: Vacancy) -> float:
    # whole kilometres: precise enough for travel, too coarse to triangulate an address
    return float(round(float(haversine_km(candidate.lat, candidate.lon, vacancy.lat, vacancy.lon))))


def _labels(concepts: list[dict[str, Any]]) -> list[str]:
    """Taxonomy labels of what the candidate stated (not the implied skills).

    Contractors see the normalised concepts, never the coach's free text, which may hold
    anything (a name, a health remark, a typo that gives someone away).
    """
    taxonomy = load_taxonomy()
    return [taxonomy.label(c["id"]) for c in concepts if not c.get("implied")]


def contractor_referral(session: Session, referral: Referral) -> ContractorReferralPublic:
    """The contractor's view of a referral: anonymous unless introduced with consent."""
    cand = session.get(Candidate, referral.candidate_id)
    vac = session.get(Vacancy, referral.vacancy_id)
    assert cand is not None and vac is not None and referral.id is not None
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
        "counts_for_sr": counts_for_sr(cand, vac),
    }
    out = ContractorReferralPublic(
        id=referral.id,
        vacancy_id=referral.vacancy_id,
        status=referral.status,
        status_date=referral.status_date,
        introduced_with_consent=referral.introduced_with_consent,
    )
    if referral.introduced_with_consent and cand.consent_share:
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


def _vacancy_changed(request: Request, vacancy: Vacancy) -> None:
    matching = getattr(request.app.state, "matching", None)
    if matching is not None and vacancy.id is not None:
        matching.notify_vacancy_changed(vacancy.id)


# --- contracts -------------------------------------------------------------------------


@router.get("/contracts", response_model=ContractsPublic, responses=responses(AUTHED, R422))
def list_contracts(
    session: SessionDep, user: ContractorUser, limit: Limit = 20, offset: Offset = 0
) -> ContractsPublic:
    """The contractor's own contracts."""
    where = contract_scope(user)
    count = session.exec(select(func.count()).select_from(Contract).where(where)).one()
    rows = session.exec(
        select(Contract).where(where).order_by(col(Contract.id)).offset(offset).limit(limit)
    ).all()
    return ContractsPublic(data=[ContractPublic.model_validate(c) for c in rows], count=int(count))


@router.get(
    "/contracts/{contract_id}", response_model=ContractPublic, responses=responses(AUTHED, R404)
)
def read_contract(contract_id: int, session: SessionDep, user: ContractorUser) -> Contract:
    """One of the contractor's contracts."""
    try:
        return get_contract_for(session=session, user=user, contract_id=contract_id)
    except NotFoundError as exc:
        raise not_found("contract") from exc


# --- vacancies -------------------------------------------------------------------------


@router.get("/vacancies", response_model=VacanciesPublic, responses=responses(AUTHED, R422))
def list_vacancies(
    session: SessionDep,
    user: ContractorUser,
    limit: Limit = 20,
    offset: Offset = 0,
    status: VacancyStatus | None = None,
    contract_id: int | None = None,
) -> VacanciesPublic:
    """The contractor's own vacancies."""
    return vacancies.list_vacancies(
        session=session,
        actor=user,
        status=status,
        contract_id=contract_id,
        limit=limit,
        offset=offset,
    )


@router.post(
    "/vacancies",
    response_model=VacancyPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R409, R422),
)
def create_vacancy(
    body: VacancyCreate, session: SessionDep, user: ContractorUser, matching: OptionalMatchingDep
) -> Vacancy:
    """Post a vacancy, optionally against one of the contractor's contracts."""
    return vacancies.create_vacancy(session=session, actor=user, body=body, matching=matching)


@router.get(
    "/vacancies/{vacancy_id}", response_model=VacancyPublic, responses=responses(AUTHED, R404)
)
def read_vacancy(vacancy_id: int, session: SessionDep, user: ContractorUser) -> Vacancy:
    """One of the contractor's vacancies."""
    return vacancies.read_vacancy(session=session, actor=user, vacancy_id=vacancy_id)


@router.patch(
    "/vacancies/{vacancy_id}",
    response_model=VacancyPublic,
    responses=responses(AUTHED, R404, R422),
)
def update_vacancy(
    vacancy_id: int,
    body: VacancyUpdate,
    session: SessionDep,
    user: ContractorUser,
    matching: OptionalMatchingDep,
) -> Vacancy:
    """Change one of the contractor's vacancies; normalised fields are recomputed."""
    return vacancies.update_vacancy(
        session=session, actor=user, vacancy_id=vacancy_id, changes=body, matching=matching
    )


@router.post(
    "/vacancies/{vacancy_id}/close",
    response_model=VacancyPublic,
    responses=responses(AUTHED, R404),
)
def close_vacancy(
    vacancy_id: int, session: SessionDep, user: ContractorUser, matching: OptionalMatchingDep
) -> Vacancy:
    """Close one of the contractor's vacancies (no new proposals)."""
    return vacancies.close_vacancy(
        session=session, actor=user, vacancy_id=vacancy_id, matching=matching
    )


# --- referrals -------------------------------------------------------------------------


@router.get(
    "/referrals", response_model=ContractorReferralsPublic, responses=responses(AUTHED, R422)
)
def list_referrals(
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    vacancy_id: int | None = None,
    status: str | None = None,
) -> ContractorReferralsPublic:
    """Referrals to the contractor's vacancies, anonymised until a consented introduction."""
    where: list[Any] = [referral_scope(user)]
    if vacancy_id is not None:
        where.append(Referral.vacancy_id == vacancy_id)
    if status:
        where.append(Referral.status == status)
    rows, count = paged(session, Referral, where, limit=limit, offset=offset)
    data = [contractor_referral(session, r) for r in rows]
    record_many(
        session,
        user=user,
        action="referral.contractor_list",
        candidate_ids=[r.candidate_id for r in rows],
        request_id=request_id,
    )
    session.commit()
    return ContractorReferralsPublic(data=data, count=int(count))


@router.get(
    "/referrals/{referral_id}",
    response_model=ContractorReferralPublic,
    responses=responses(AUTHED, R404),
)
def read_referral(
    referral_id: int, session: SessionDep, user: ContractorUser, request_id: RequestId
) -> ContractorReferralPublic:
    """One referral to the contractor's vacancies, anonymised until a consented introduction."""
    try:
        ref = get_referral_for(session=session, user=user, referral_id=referral_id)
    except NotFoundError as exc:
        raise not_found("referral") from exc
    out = contractor_referral(session, ref)
    record(
        session,
        user=user,
        action="referral.contractor_read",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    session.commit()
    return out


@router.post(
    "/referrals/{referral_id}/hire",
    response_model=ContractorPlacementPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R404, R422),
)
def confirm_hire(
    referral_id: int,
    body: HireCreate,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    request: Request,
) -> Placement:
    """Confirm that the person behind a referral was hired; creates the SR placement."""
    try:
        ref = get_referral_for(session=session, user=user, referral_id=referral_id)
    except NotFoundError as exc:
        raise not_found("referral") from exc
    try:
        referral_service.transition(
            session=session,
            referral=ref,
            to_status="hired",
            on=max(dt.date.today(), ref.status_date),
            reason=None,
            actor=user,
            hire=body,
        )
    except FieldError as exc:
        session.rollback()
        raise from_field_error(exc) from exc
    placement = session.exec(select(Placement).where(Placement.referral_id == ref.id)).one()
    record(
        session,
        user=user,
        action="referral.hired",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="placement",
        object_id=placement.id,
    )
    session.commit()
    matching = getattr(request.app.state, "matching", None)
    if matching is not None:
        matching.notify_candidate_changed(ref.candidate_id)
    return placement


# --- durability follow-ups --------------------------------------------------------------

#: the answer when a second record for a milestone replaced the first
R200_UPDATED: dict[int | str, dict[str, Any]] = {
    200: {"model": DurabilityCheckPublic, "description": "The milestone's check was updated"}
}


@router.get(
    "/placements/checks-due",
    response_model=ContractorDueChecksPublic,
    responses=responses(AUTHED, R422),
)
def checks_due(
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    today: Annotated[
        dt.date | None, Query(description="the day to list for (default today)")
    ] = None,
) -> ContractorDueChecksPublic:
    """Follow-ups due for placements on the contractor's vacancies, anonymised as referrals are."""
    assert user.contractor_id is not None
    due = reports.due_checks_for_contractor(
        session, contractor_id=user.contractor_id, today=today or dt.date.today()
    )
    page = due[offset : offset + limit]
    pids = sorted({d.placement_id for d in page})
    if pids:  # about people, even when anonymised: audited as the referral lists are
        cand_ids = session.exec(
            select(Placement.candidate_id).where(col(Placement.id).in_(pids))
        ).all()
        record_many(
            session,
            user=user,
            action="placement.contractor_checks_due",
            candidate_ids=cand_ids,
            request_id=request_id,
        )
        session.commit()
    return ContractorDueChecksPublic(data=page, count=len(due))


@router.post(
    "/placements/{placement_id}/checks",
    response_model=DurabilityCheckPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(R200_UPDATED, AUTHED, R404, R422),
)
def record_check(
    placement_id: int,
    body: DurabilityCheckCreate,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    response: HttpResponse,
) -> DurabilityCheckPublic:
    """Record the 3/6/12-month follow-up of a placement on one of the contractor's vacancies."""
    try:
        placement = reports.placement_for(
            session, placement_id=placement_id, contractor_id=user.contractor_id
        )
    except NotFoundError as exc:
        raise not_found("placement") from exc
    return store_check(
        session, placement=placement, body=body, user=user, request_id=request_id, response=response
    )


# --- files -----------------------------------------------------------------------------


@router.post(
    "/imports/{kind}", response_model=ImportReport, responses=responses(AUTHED, R413, R422)
)
def import_upload(
    kind: ContractorFileKind,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ContractorUser,
    request_id: RequestId,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the data-contract format")],
    partial: Annotated[bool, Form()] = False,
) -> ImportReport:
    """Import the contractor's own vacancies (row-level report)."""
    data = read_upload(request, file, settings)
    return run_import(
        session,
        kind=kind.value,
        data=data,
        filename=file.filename or "upload",
        actor=user,
        partial=partial,
        request_id=request_id,
    )


@router.get(
    "/exports/{kind}", response_class=Response, responses=responses(FILE_RESPONSES, AUTHED, R422)
)
def export_download(
    kind: ContractorFileKind,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    format: ExportFormat = ExportFormat.csv,
) -> Response:
    """Download the contractor's own vacancies as CSV or XLSX."""
    return run_export(session, kind=kind.value, fmt=format, actor=user, request_id=request_id)
