"""SR teams: contracts, every vacancy and referral in the municipality, placements, the audit."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import status as http
from fastapi.responses import Response
from sqlmodel import col, func, or_, select

from api.audit import record, record_many
from api.deps import (
    RequestId,
    SessionDep,
    SettingsDep,
    SrOfficerUser,
    contract_scope,
    get_contract_for,
    get_referral_for,
    get_vacancy_for,
    referral_scope,
    vacancy_scope,
)
from api.errors import AUTHED, R404, R409, R413, R422, conflict, not_found, responses
from api.routers import (
    FILE_RESPONSES,
    ExportFormat,
    Limit,
    Offset,
    read_upload,
    referral_public,
    run_export,
    run_import,
)
from api.services import reports
from api.services.errors import NotFoundError
from api.services.importer import ImportReport
from models.api_schemas import ContractCreate
from models.audit import AuditEvent, AuditEventPublic, AuditEventsPublic
from models.candidates import Candidate
from models.contracts import Contract, ContractPublic, ContractsPublic
from models.organisations import Contractor, User
from models.placements import Placement, PlacementPublic, PlacementsPublic
from models.referrals import Referral, ReferralPublic, ReferralsPublic
from models.vacancies import VacanciesPublic, Vacancy, VacancyPublic, VacancyStatus

router = APIRouter(prefix="/sr", tags=["sr-team"])


class SrFileKind(StrEnum):
    candidates = "candidates"
    contracts = "contracts"
    vacancies = "vacancies"
    outcomes = "outcomes"
    placements = "placements"


# --- contracts -------------------------------------------------------------------------


@router.get("/contracts", response_model=ContractsPublic, responses=responses(AUTHED, R422))
def list_contracts(
    session: SessionDep,
    user: SrOfficerUser,
    limit: Limit = 20,
    offset: Offset = 0,
    contractor_id: int | None = None,
) -> ContractsPublic:
    """Contracts of the officer's municipality."""
    where: list[Any] = [contract_scope(user)]
    if contractor_id is not None:
        where.append(Contract.contractor_id == contractor_id)
    count = session.exec(select(func.count()).select_from(Contract).where(*where)).one()
    rows = session.exec(
        select(Contract).where(*where).order_by(col(Contract.id)).offset(offset).limit(limit)
    ).all()
    return ContractsPublic(data=[ContractPublic.model_validate(c) for c in rows], count=int(count))


@router.post(
    "/contracts",
    response_model=ContractPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R409, R422),
)
def create_contract(body: ContractCreate, session: SessionDep, user: SrOfficerUser) -> Contract:
    """Enter an awarded contract with its SR obligation for the officer's municipality."""
    if session.exec(select(Contract.id).where(Contract.ref == body.ref)).first() is not None:
        raise conflict(f"contract_ref {body.ref!r} already exists")
    contractor = session.exec(
        select(Contractor).where(
            or_(col(Contractor.name) == body.contractor, col(Contractor.kvk) == body.contractor)
        )
    ).first()
    if contractor is None:
        kvk = body.contractor if body.contractor.isdigit() and len(body.contractor) == 8 else None
        contractor = Contractor(name=body.contractor, kvk=kvk)
        session.add(contractor)
        session.flush()
    assert contractor.id is not None
    contract = Contract.model_validate(
        body.model_dump(exclude={"contractor"}),
        update={"contractor_id": contractor.id, "municipality_id": user.municipality_id},
    )
    session.add(contract)
    session.commit()
    return contract


@router.get(
    "/contracts/{contract_id}", response_model=ContractPublic, responses=responses(AUTHED, R404)
)
def read_contract(contract_id: int, session: SessionDep, user: SrOfficerUser) -> Contract:
    """One contract of the officer's municipality."""
    try:
        return get_contract_for(session=session, user=user, contract_id=contract_id)
    except NotFoundError as exc:
        raise not_found("contract") from exc


@router.get(
    "/contracts/{contract_id}/report",
    response_model=dict[str, Any],
    responses=responses(AUTHED, R404, R422),
)
def contract_report(
    contract_id: int, session: SessionDep, user: SrOfficerUser, as_of: dt.date | None = None
) -> dict[str, Any]:
    """SR realised against the contract's obligation on ``as_of``, with every traced euro."""
    try:
        contract = get_contract_for(session=session, user=user, contract_id=contract_id)
    except NotFoundError as exc:
        raise not_found("contract") from exc
    return reports.report_json(
        reports.build_contract_report(session, contract=contract, as_of=as_of)
    )


@router.get("/durability", response_model=dict[str, Any], responses=responses(AUTHED, R422))
def durability(
    session: SessionDep, user: SrOfficerUser, request_id: RequestId, today: dt.date | None = None
) -> dict[str, Any]:
    """Placements that last: due checks, shares still employed and off benefits, carousel."""
    out = reports.durability_overview(session, municipality_id=user.municipality_id, today=today)
    refs = {
        str(item["candidate_ref"])
        for value in out.values()
        if isinstance(value, list)
        for item in value
        if isinstance(item, dict) and item.get("candidate_ref")
    }
    if refs:  # the overview names candidates: a personal-data read
        ids = session.exec(select(Candidate.id).where(col(Candidate.ref).in_(refs))).all()
        record_many(
            session,
            user=user,
            action="placement.durability",
            candidate_ids=ids,
            request_id=request_id,
        )
        session.commit()
    return out


@router.get("/reach", response_model=list[dict[str, Any]], responses=responses(AUTHED))
def reach(session: SessionDep, user: SrOfficerUser) -> list[dict[str, Any]]:
    """Who is reached: referrals and placements by benefit, target group and ladder step."""
    return reports.reach_overview(session, municipality_id=user.municipality_id)


# --- vacancies and referrals -----------------------------------------------------------


@router.get("/vacancies", response_model=VacanciesPublic, responses=responses(AUTHED, R422))
def list_vacancies(
    session: SessionDep,
    user: SrOfficerUser,
    limit: Limit = 20,
    offset: Offset = 0,
    status: VacancyStatus | None = None,
    contract_id: int | None = None,
    contractor_id: int | None = None,
) -> VacanciesPublic:
    """Every vacancy in the officer's municipality."""
    where: list[Any] = [vacancy_scope(user)]
    if status is not None:
        where.append(Vacancy.status == status)
    if contract_id is not None:
        where.append(Vacancy.contract_id == contract_id)
    if contractor_id is not None:
        where.append(Vacancy.contractor_id == contractor_id)
    count = session.exec(select(func.count()).select_from(Vacancy).where(*where)).one()
    rows = session.exec(
        select(Vacancy).where(*where).order_by(col(Vacancy.id)).offset(offset).limit(limit)
    ).all()
    return VacanciesPublic(data=[VacancyPublic.model_validate(v) for v in rows], count=int(count))


@router.get(
    "/vacancies/{vacancy_id}", response_model=VacancyPublic, responses=responses(AUTHED, R404)
)
def read_vacancy(vacancy_id: int, session: SessionDep, user: SrOfficerUser) -> Vacancy:
    """One vacancy in the officer's municipality."""
    try:
        return get_vacancy_for(session=session, user=user, vacancy_id=vacancy_id)
    except NotFoundError as exc:
        raise not_found("vacancy") from exc


@router.get("/referrals", response_model=ReferralsPublic, responses=responses(AUTHED, R422))
def list_referrals(
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    status: str | None = None,
    vacancy_id: int | None = None,
) -> ReferralsPublic:
    """Every referral of the municipality's candidates (one audit event per candidate)."""
    where: list[Any] = [referral_scope(user)]
    if status:
        where.append(Referral.status == status)
    if vacancy_id is not None:
        where.append(Referral.vacancy_id == vacancy_id)
    count = session.exec(select(func.count()).select_from(Referral).where(*where)).one()
    rows = session.exec(
        select(Referral).where(*where).order_by(col(Referral.id)).offset(offset).limit(limit)
    ).all()
    data = [referral_public(session, r) for r in rows]
    record_many(
        session,
        user=user,
        action="referral.list",
        candidate_ids=[r.candidate_id for r in rows],
        request_id=request_id,
    )
    session.commit()
    return ReferralsPublic(data=data, count=int(count))


@router.get(
    "/referrals/{referral_id}", response_model=ReferralPublic, responses=responses(AUTHED, R404)
)
def read_referral(
    referral_id: int, session: SessionDep, user: SrOfficerUser, request_id: RequestId
) -> ReferralPublic:
    """One referral of the municipality's candidates, with its history."""
    try:
        ref = get_referral_for(session=session, user=user, referral_id=referral_id)
    except NotFoundError as exc:
        raise not_found("referral") from exc
    record(
        session,
        user=user,
        action="referral.read",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    session.commit()
    return referral_public(session, ref)


@router.get("/placements", response_model=PlacementsPublic, responses=responses(AUTHED, R422))
def list_placements(
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    contract_id: int | None = None,
    since: dt.date | None = Query(default=None, description="placements created on/after"),
) -> PlacementsPublic:
    """Placements of the municipality's candidates as they land (newest first)."""
    where: list[Any] = [
        col(Placement.candidate_id).in_(
            select(Candidate.id).where(Candidate.municipality_id == user.municipality_id)
        )
    ]
    if contract_id is not None:
        where.append(Placement.contract_id == contract_id)
    if since is not None:
        where.append(col(Placement.start_date) >= since)
    count = session.exec(select(func.count()).select_from(Placement).where(*where)).one()
    rows = session.exec(
        select(Placement)
        .where(*where)
        .order_by(col(Placement.created_at).desc(), col(Placement.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    record_many(
        session,
        user=user,
        action="placement.list",
        candidate_ids=[p.candidate_id for p in rows],
        request_id=request_id,
    )
    session.commit()
    return PlacementsPublic(
        data=[PlacementPublic.model_validate(p) for p in rows], count=int(count)
    )


# --- audit trail (read only: there is no route that changes it) -------------------------


@router.get("/audit", response_model=AuditEventsPublic, responses=responses(AUTHED, R422))
def audit_trail(
    session: SessionDep,
    user: SrOfficerUser,
    limit: Limit = 20,
    offset: Offset = 0,
    candidate_id: int | None = None,
    user_id: int | None = None,
    action: str | None = Query(default=None, max_length=40),
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> AuditEventsPublic:
    """Audit events about the municipality's candidates and users, newest first."""
    muni_candidates = select(Candidate.id).where(Candidate.municipality_id == user.municipality_id)
    muni_users = select(User.id).where(User.municipality_id == user.municipality_id)
    where: list[Any] = [
        or_(
            col(AuditEvent.candidate_id).in_(muni_candidates),
            (col(AuditEvent.candidate_id).is_(None)) & col(AuditEvent.user_id).in_(muni_users),
        )
    ]
    if candidate_id is not None:
        where.append(AuditEvent.candidate_id == candidate_id)
    if user_id is not None:
        where.append(AuditEvent.user_id == user_id)
    if action:
        where.append(AuditEvent.action == action)
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


# --- files -----------------------------------------------------------------------------


@router.post(
    "/imports/{kind}", response_model=ImportReport, responses=responses(AUTHED, R413, R422)
)
def import_upload(
    kind: SrFileKind,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: SrOfficerUser,
    request_id: RequestId,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the data-contract format")],
    partial: Annotated[bool, Form()] = False,
) -> ImportReport:
    """Import any data-contract kind into the officer's municipality (row-level report)."""
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
    kind: SrFileKind,
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    format: ExportFormat = ExportFormat.csv,
) -> Response:
    """Download the municipality's data of one kind as CSV or XLSX."""
    return run_export(session, kind=kind.value, fmt=format, actor=user, request_id=request_id)
