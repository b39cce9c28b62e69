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

from api.deps import (
    ContractorUser,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    SettingsDep,
)
from api.errors import (
    AUTHED,
    R404,
    R409,
    R413,
    R422,
    responses,
)
from api.routers import (
    FILE_RESPONSES,
    ExportFormat,
    Limit,
    Offset,
    read_upload,
    run_export,
    run_import,
)
from api.services import contracts, disclosure, durability, vacancies
from api.services import referrals as referral_service
from api.services.importer import ImportReport
from models.api_schemas import (
    ContractorPlacementPublic,
    ContractorReferralPublic,
    ContractorReferralsPublic,
    HireCreate,
)
from models.contracts import Contract, ContractPublic, ContractsPublic
from models.placements import DurabilityCheckCreate, Placement
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


# --- contracts -------------------------------------------------------------------------


@router.get("/contracts", response_model=ContractsPublic, responses=responses(AUTHED, R422))
def list_contracts(
    session: SessionDep, user: ContractorUser, limit: Limit = 20, offset: Offset = 0
) -> ContractsPublic:
    """The contractor's own contracts."""
    return contracts.list_contracts(session=session, actor=user, limit=limit, offset=offset)


@router.get(
    "/contracts/{contract_id}", response_model=ContractPublic, responses=responses(AUTHED, R404)
)
def read_contract(contract_id: int, session: SessionDep, user: ContractorUser) -> Contract:
    """One of the contractor's contracts."""
    return contracts.read_contract(session=session, actor=user, contract_id=contract_id)


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
    return disclosure.list_contractor_referrals(
        session=session,
        actor=user,
        request_id=request_id,
        limit=limit,
        offset=offset,
        vacancy_id=vacancy_id,
        status=status,
    )


@router.get(
    "/referrals/{referral_id}",
    response_model=ContractorReferralPublic,
    responses=responses(AUTHED, R404),
)
def read_referral(
    referral_id: int, session: SessionDep, user: ContractorUser, request_id: RequestId
) -> ContractorReferralPublic:
    """One referral to the contractor's vacancies, anonymised until a consented introduction."""
    return disclosure.read_contractor_referral(
        session=session, actor=user, referral_id=referral_id, request_id=request_id
    )


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
    matching: OptionalMatchingDep,
) -> Placement:
    """Confirm that the person behind a referral was hired; creates the SR placement."""
    return referral_service.confirm_hire(
        session=session,
        actor=user,
        referral_id=referral_id,
        hire=body,
        request_id=request_id,
        matching=matching,
    )


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
    return durability.contractor_due_checks(
        session=session,
        actor=user,
        request_id=request_id,
        limit=limit,
        offset=offset,
        today=today,
    )


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
    check, created = durability.record_check(
        session=session, actor=user, placement_id=placement_id, body=body, request_id=request_id
    )
    if not created:
        response.status_code = http.HTTP_200_OK
    return check


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
