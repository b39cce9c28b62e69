"""SR officers: contracts and their SR reports, durability, reach, matching success, every
vacancy and referral in the municipality, placements, the audit.

Each route adapts one use case of ``api.services`` (contracts, reports, vacancies, referrals,
audit_trail, files); the services check, scope by the officer's municipality and audit, and the
request's unit of work commits (``api.deps.get_session``).
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi import status as http
from fastapi.responses import Response

from api.deps import IfMatch, MatchingDep, RequestId, SessionDep, SrOfficerUser, send_etag
from api.errors import AUTHED, R404, R409, R412, R422, responses
from api.routers import (
    ExportFormat,
    Limit,
    Offset,
    portal,
)
from api.routers.common import (
    add_contract_reads,
    add_file_routes,
    add_referral_reads,
    add_vacancy_reads,
)
from api.routers.responsible import add_fairness_reads
from api.services import contracts, exporter, reports
from api.services.audit_trail import list_audit_events
from api.services.opportunities import near_miss_certificates
from models.audit import AuditEventsPublic
from models.contracts import Contract, ContractCreate, ContractPublic, ContractUpdate
from models.opportunities import GapsPublic
from models.organisations import Role
from models.placements import PlacementsPublic
from models.sr_reports import (
    ContractReportPublic,
    ContractReportsPublic,
    DurabilityOverviewPublic,
    MatchingSuccessPublic,
    ReachPublic,
)

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


add_contract_reads(router, Role.sr_officer, whose="the contracts of the officer's municipality")


@router.post(
    "/contracts",
    response_model=ContractPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R409, R422),
)
def create_contract(body: ContractCreate, session: SessionDep, user: SrOfficerUser) -> Contract:
    """Enter an awarded contract with its SR obligation for the officer's municipality."""
    return contracts.create_contract(session=session, actor=user, body=body)


@router.patch(
    "/contracts/{contract_id}",
    response_model=ContractPublic,
    responses=responses(AUTHED, R404, R409, R412, R422),
)
def update_contract(
    contract_id: int,
    body: ContractUpdate,
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    response: Response,
    if_match: IfMatch,
) -> Contract:
    """Change a contract of the officer's municipality (only the fields sent): value,
    percentage, dates, SR table, social purchasing, PSO; audited with before and after. With
    If-Match only while the contract is at that version (412 otherwise)."""
    contract = contracts.update_contract(
        session=session,
        actor=user,
        contract_id=contract_id,
        changes=body,
        request_id=request_id,
        expected_version=if_match,
    )
    send_etag(response, contract)
    return contract


@router.get(
    "/contracts/{contract_id}/report",
    response_model=ContractReportPublic,
    responses=responses(AUTHED, R404, R409, R422),
)
def contract_report(
    contract_id: int,
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    as_of: dt.date | None = None,
) -> ContractReportPublic:
    """SR realised against the contract's obligation on ``as_of``, with every traced euro."""
    return reports.read_contract_report(
        session=session, actor=user, contract_id=contract_id, as_of=as_of, request_id=request_id
    )


AsOf = Annotated[dt.date | None, Query(description="report date YYYY-MM-DD (default today)")]
ScopeName = Annotated[
    str | None,
    Query(
        max_length=200,
        description="contract ref, contractor name or KvK, or municipality/region name; "
        "optional for scope=region (default: the officer's municipality)",
    ),
]


@router.get(
    "/reports",
    response_model=ContractReportsPublic,
    responses=responses(AUTHED, R404, R409, R422),
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
    return reports.list_reports(
        session=session,
        actor=user,
        scope=scope.value,
        name=name,
        as_of=as_of,
        request_id=request_id,
    )


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
        R409,
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
    file = reports.report_file(
        session=session,
        actor=user,
        scope=scope.value,
        name=name,
        fmt=format.value,
        as_of=as_of,
        request_id=request_id,
    )
    return Response(
        content=file.content,
        media_type=file.media_type,
        headers={"Content-Disposition": f'attachment; filename="{file.filename}"'},
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
    return reports.read_durability_overview(
        session=session, actor=user, today=today, request_id=request_id
    )


@router.get("/reach", response_model=ReachPublic, responses=responses(AUTHED, R422))
def reach(session: SessionDep, user: SrOfficerUser, as_of: AsOf = None) -> ReachPublic:
    """Who is reached: placements by ladder step, benefit and target group against the pool."""
    return reports.read_reach(session=session, actor=user, as_of=as_of)


@router.get("/matching-success", response_model=MatchingSuccessPublic, responses=responses(AUTHED))
def matching_success(session: SessionDep, user: SrOfficerUser) -> MatchingSuccessPublic:
    """Per model version, of the municipality's shortlisted candidates: proposed ... hired."""
    return reports.read_matching_success(session=session, actor=user)


@router.get("/near-misses", response_model=GapsPublic, responses=responses(AUTHED, R422))
def near_misses(
    session: SessionDep,
    user: SrOfficerUser,
    matching: MatchingDep,
    max_missing: Annotated[int, Query(ge=1, le=3)] = 1,
    limit: Annotated[int, Query(ge=1, le=50)] = 10,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> GapsPublic:
    """The certificates and licences most often missing among the municipality's near-miss
    candidates (eligible but for it), so the SR team can buy the right training."""
    return near_miss_certificates(
        session=session,
        actor=user,
        matching=matching,
        max_missing=max_missing,
        limit=limit,
        lang=lang,
    )


# --- vacancies and referrals -----------------------------------------------------------


add_vacancy_reads(router, Role.sr_officer, whose="the vacancies in the officer's municipality")


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
    return reports.list_placements(
        session=session,
        actor=user,
        request_id=request_id,
        limit=limit,
        offset=offset,
        contract_id=contract_id,
        since=since,
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
    return list_audit_events(
        session=session,
        actor=user,
        limit=limit,
        offset=offset,
        candidate_id=candidate_id,
        user_id=user_id,
        action=action,
        since=since,
        until=until,
    )


# --- shared with other user groups: referral reads, files --------------------------------

add_fairness_reads(router, Role.sr_officer, whose="the shortlists served in the municipality")
add_referral_reads(router, Role.sr_officer, whose="the municipality's candidates")
add_file_routes(
    router,
    Role.sr_officer,
    import_kinds=SrFileKind,
    export_kinds=SrFileKind,
    scope="the officer's municipality",
)

# --- the contractor portal (api.routers.portal): reports, SR efforts, search, requests ---

router.include_router(portal.sr_officer_routes)
