"""SR teams: contracts and their SR reports, durability, reach, matching success, every vacancy
and referral in the municipality, placements, the audit."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import status as http
from fastapi.responses import Response
from sqlmodel import col, func, or_, select

from api.audit import record_many
from api.deps import (
    RequestId,
    SessionDep,
    SettingsDep,
    SrOfficerUser,
    contract_scope,
    get_contract_for,
    get_vacancy_for,
    referral_scope,
    vacancy_scope,
)
from api.errors import (
    AUTHED,
    R404,
    R409,
    R413,
    R422,
    conflict,
    not_found,
    responses,
    unprocessable,
)
from api.routers import (
    FILE_RESPONSES,
    ExportFormat,
    Limit,
    Offset,
    paged,
    read_referral_audited,
    read_upload,
    referral_public,
    run_export,
    run_import,
)
from api.services import exporter, reports
from api.services.errors import NotFoundError
from api.services.importer import ImportReport
from matcher.sr import ContractReport
from models.api_schemas import ContractCreate
from models.audit import AuditEvent, AuditEventPublic, AuditEventsPublic
from models.candidates import Candidate
from models.contracts import Contract, ContractPublic, ContractsPublic
from models.organisations import Contractor, Municipality, User
from models.placements import Placement, PlacementPublic, PlacementsPublic
from models.referrals import Referral, ReferralPublic, ReferralsPublic
from models.sr_reports import (
    ContractReportPublic,
    ContractReportsPublic,
    DurabilityOverviewPublic,
    MatchingSuccessPublic,
    ReachPublic,
)
from models.vacancies import VacanciesPublic, Vacancy, VacancyPublic, VacancyStatus

#: the URL prefix under /api/v1. api.main mounts the router there and, as a deprecated alias
#: left out of the schema, under the old prefix /sr; so the prefix is not on the router itself.
PREFIX = "/sr-officer"
router = APIRouter(tags=["sr-officers"])


class ReportScope(StrEnum):
    contract = "contract"
    contractor = "contractor"
    region = "region"


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
    rows, count = paged(session, Contract, where, limit=limit, offset=offset)
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
    response_model=ContractReportPublic,
    responses=responses(AUTHED, R404, R422),
)
def contract_report(
    contract_id: int,
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    as_of: dt.date | None = None,
) -> ContractReportPublic:
    """SR realised against the contract's obligation on ``as_of``, with every traced euro."""
    try:
        contract = get_contract_for(session=session, user=user, contract_id=contract_id)
    except NotFoundError as exc:
        raise not_found("contract") from exc
    assert contract.id is not None
    report = reports.build_contract_report(session, contract=contract, as_of=as_of)
    _audit_reports(
        session, user, request_id, [report], "contract.report", f"contract:{contract.id}"
    )
    return reports.contract_report_public(report, contract_id=contract.id)


AsOf = Annotated[dt.date | None, Query(description="report date YYYY-MM-DD (default today)")]
ScopeName = Annotated[
    str | None,
    Query(
        max_length=200,
        description="contract ref, contractor name or KvK, or municipality/region name; "
        "optional for scope=region (default: the officer's municipality)",
    ),
]


def _reports_in_scope(
    session: SessionDep,
    user: User,
    scope: ReportScope,
    name: str | None,
    as_of: dt.date | None,
) -> list[tuple[Contract, ContractReport]]:
    """The reports of the officer's municipality's contracts in scope; 404 outside it."""
    if not name:
        if scope != ReportScope.region:
            raise unprocessable("name", name, f"required for scope={scope.value}", where="query")
        muni = session.get(Municipality, user.municipality_id)
        assert muni is not None
        name = muni.name
    try:
        contracts = reports.contracts_in_scope(
            session, scope=scope.value, name=name, municipality_id=user.municipality_id
        )
    except NotFoundError as exc:
        raise not_found(exc.kind) from exc
    return [(c, reports.build_contract_report(session, contract=c, as_of=as_of)) for c in contracts]


def _audit_reports(
    session: SessionDep,
    user: User,
    request_id: str,
    found: list[ContractReport],
    action: str,
    object_id: str,
) -> None:
    """A report's trace names the candidates placed: one audit event per candidate."""
    ids = reports.report_candidate_ids(session, found)
    if ids:
        record_many(
            session,
            user=user,
            action=action,
            candidate_ids=ids,
            request_id=request_id,
            object_type="report",
            object_id=object_id,
        )
        session.commit()


@router.get(
    "/reports", response_model=ContractReportsPublic, responses=responses(AUTHED, R404, R422)
)
def list_reports(
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    scope: ReportScope = ReportScope.region,
    name: ScopeName = None,
    as_of: AsOf = None,
) -> ContractReportsPublic:
    """SR reports with traces for one contract, a contractor's or the municipality's contracts."""
    found = _reports_in_scope(session, user, scope, name, as_of)
    _audit_reports(
        session, user, request_id, [r for _, r in found], "report.read", f"{scope}:{name}"
    )
    data = [
        reports.contract_report_public(r, contract_id=c.id) for c, r in found if c.id is not None
    ]
    return ContractReportsPublic(data=data, count=len(data))


_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.get(
    "/reports/download",
    response_class=Response,
    responses=responses(
        {
            200: {
                "description": "CSV: one row per trace line with the contract's summary; "
                "XLSX: a 'contracts' summary sheet and one trace sheet per contract",
                "content": {exporter.MEDIA_TYPES["csv"]: {}, exporter.MEDIA_TYPES["xlsx"]: {}},
            }
        },
        AUTHED,
        R404,
        R422,
    ),
)
def download_reports(
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    scope: ReportScope = ReportScope.region,
    name: ScopeName = None,
    as_of: AsOf = None,
    format: ExportFormat = ExportFormat.xlsx,
) -> Response:
    """The SR reports in scope as a CSV or XLSX file, every credited euro traced."""
    found = _reports_in_scope(session, user, scope, name, as_of)
    report_list = [r for _, r in found]
    _audit_reports(session, user, request_id, report_list, "report.download", f"{scope}:{name}")
    body, _ = reports.render(report_list, format.value)
    day = (as_of or dt.date.today()).isoformat()
    label = _UNSAFE_FILENAME.sub("_", name or "municipality").strip("_")[:60] or "report"
    filename = f"sr-report-{scope.value}-{label}-{day}.{format.value}"
    return Response(
        content=body,
        media_type=exporter.MEDIA_TYPES[format.value],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get(
    "/durability", response_model=DurabilityOverviewPublic, responses=responses(AUTHED, R422)
)
def durability(
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    today: Annotated[
        dt.date | None, Query(description="the day to measure on (default today)")
    ] = None,
) -> DurabilityOverviewPublic:
    """Placements that last: due checks, shares still employed and off benefits, carousel."""
    out = reports.durability_overview(session, municipality_id=user.municipality_id, today=today)
    refs = {d.candidate_ref for d in out.due} | {f.candidate_ref for f in out.carousel}
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


@router.get("/reach", response_model=ReachPublic, responses=responses(AUTHED, R422))
def reach(session: SessionDep, user: SrOfficerUser, as_of: AsOf = None) -> ReachPublic:
    """Who is reached: placements by ladder step, benefit and target group against the pool."""
    day = as_of or dt.date.today()
    rows = reports.reach_overview(session, municipality_id=user.municipality_id, as_of=day)
    return ReachPublic(as_of=day, data=rows, count=len(rows))


@router.get("/matching-success", response_model=MatchingSuccessPublic, responses=responses(AUTHED))
def matching_success(session: SessionDep, user: SrOfficerUser) -> MatchingSuccessPublic:
    """Per model version, of the municipality's shortlisted candidates: proposed ... hired."""
    assert user.municipality_id is not None
    rows = reports.matching_success(session, municipality_id=user.municipality_id)
    return MatchingSuccessPublic(data=rows, count=len(rows))


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
    rows, count = paged(session, Vacancy, where, limit=limit, offset=offset)
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
    rows, count = paged(session, Referral, where, limit=limit, offset=offset)
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
    return read_referral_audited(session, user=user, referral_id=referral_id, request_id=request_id)


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
