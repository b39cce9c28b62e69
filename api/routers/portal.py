"""The contractor portal's routes, included into the group routers (one line each there).

- ``contractor_routes`` (under ``/contractor``): own contract reports (anonymised), reported SR
  efforts, the anonymous candidate search and requests to a coach to propose someone.
- ``sr_officer_routes`` (under ``/sr-officer``): the SR efforts on the municipality's contracts,
  approve or reject.
- ``coach_routes`` (under ``/coach``): proposal requests for the candidates the coach holds,
  accept (a normal proposal) or decline.

Each route adapts one use case of ``api.services.portal`` / ``api.services.efforts``.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi import status as http
from fastapi.responses import Response

from api.deps import (
    CoachUser,
    ContractorUser,
    MatchingDep,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    SettingsDep,
    SrOfficerUser,
)
from api.errors import AUTHED, R404, R409, R413, R422, R503, responses
from api.routers import Limit, Offset, read_upload
from api.services import efforts, portal
from models.efforts import (
    SrEffortCreate,
    SrEffortDecision,
    SrEffortEvidence,
    SrEffortPublic,
    SrEffortsPublic,
)
from models.portal import (
    CandidateSearchCreate,
    CandidateSearchPublic,
    CoachProposalRequestPublic,
    CoachProposalRequestsPublic,
    ContractorContractReportPublic,
    ContractorContractReportsPublic,
    ContractorProposalRequestPublic,
    ContractorProposalRequestsPublic,
    ProposalRequestCreate,
    ProposalRequestDecline,
)

AsOf = Annotated[dt.date | None, Query(description="report date YYYY-MM-DD (default today)")]
EffortStatus = Annotated[
    str | None, Query(max_length=20, description="pending, approved or rejected")
]
RequestStatus = Annotated[
    str | None, Query(max_length=20, description="pending, accepted or declined")
]

contractor_routes = APIRouter()
sr_officer_routes = APIRouter()
coach_routes = APIRouter()


# --- contractor: own contracts ------------------------------------------------------------


@contractor_routes.get(
    "/reports", response_model=ContractorContractReportsPublic, responses=responses(AUTHED, R422)
)
def contractor_reports(
    session: SessionDep, user: ContractorUser, as_of: AsOf = None
) -> ContractorContractReportsPublic:
    """Every own contract: obligation, realised, forecast, status and the anonymised trace."""
    return portal.list_contractor_reports(session=session, actor=user, as_of=as_of)


@contractor_routes.get(
    "/contracts/{contract_id}/report",
    response_model=ContractorContractReportPublic,
    responses=responses(AUTHED, R404, R422),
)
def contractor_report(
    contract_id: int, session: SessionDep, user: ContractorUser, as_of: AsOf = None
) -> ContractorContractReportPublic:
    """One own contract's SR report: the SR officer's figures, without anyone's data."""
    return portal.read_contractor_report(
        session=session, actor=user, contract_id=contract_id, as_of=as_of
    )


# --- contractor: SR efforts -------------------------------------------------------------------


@contractor_routes.post(
    "/efforts",
    response_model=SrEffortPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R404, R422),
)
def report_effort(
    body: SrEffortCreate, session: SessionDep, user: ContractorUser, request_id: RequestId
) -> SrEffortPublic:
    """Report social purchasing, a PSO certificate, a training or volunteer work, with evidence;
    it counts once an SR officer approves it."""
    return efforts.report_effort(session=session, actor=user, body=body, request_id=request_id)


@contractor_routes.get(
    "/efforts", response_model=SrEffortsPublic, responses=responses(AUTHED, R422)
)
def list_own_efforts(
    session: SessionDep,
    user: ContractorUser,
    limit: Limit = 20,
    offset: Offset = 0,
    status: EffortStatus = None,
    contract_id: int | None = None,
) -> SrEffortsPublic:
    """The contractor's reported efforts, newest first, with what each credits."""
    return efforts.list_efforts(
        session=session,
        actor=user,
        status=status,
        contract_id=contract_id,
        limit=limit,
        offset=offset,
    )


@contractor_routes.get(
    "/efforts/{effort_id}", response_model=SrEffortPublic, responses=responses(AUTHED, R404)
)
def read_own_effort(effort_id: int, session: SessionDep, user: ContractorUser) -> SrEffortPublic:
    """One of the contractor's reported efforts."""
    return efforts.read_effort(session=session, actor=user, effort_id=effort_id)


EVIDENCE_FILE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The evidence file (PDF, PNG or JPEG) as uploaded",
        "content": {"application/pdf": {}, "image/png": {}, "image/jpeg": {}},
    }
}


def _file_answer(row: SrEffortEvidence) -> Response:
    return Response(
        content=row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{row.filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@contractor_routes.post(
    "/efforts/{effort_id}/evidence",
    response_model=SrEffortPublic,
    responses=responses(AUTHED, R404, R409, R413, R422),
)
def upload_evidence(
    effort_id: int,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: ContractorUser,
    request_id: RequestId,
    file: Annotated[UploadFile, File(description="the evidence: PDF, PNG or JPEG")],
) -> SrEffortPublic:
    """Upload the evidence file of a pending effort (replaces an earlier upload)."""
    return efforts.attach_evidence(
        session=session,
        actor=user,
        effort_id=effort_id,
        filename=file.filename or "",
        data=read_upload(request, file, settings),
        request_id=request_id,
    )


@contractor_routes.get(
    "/efforts/{effort_id}/evidence",
    response_class=Response,
    responses=responses(EVIDENCE_FILE, AUTHED, R404),
)
def own_evidence(
    effort_id: int, session: SessionDep, user: ContractorUser, request_id: RequestId
) -> Response:
    """Download the evidence file of one of the contractor's efforts."""
    return _file_answer(
        efforts.read_evidence(
            session=session, actor=user, effort_id=effort_id, request_id=request_id
        )
    )


# --- contractor: anonymous search and proposal requests --------------------------------------


@contractor_routes.post(
    "/candidate-searches",
    response_model=CandidateSearchPublic,
    responses=responses(AUTHED, R404, R422, R503),
)
def search_candidates(
    body: CandidateSearchCreate,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    matching: MatchingDep,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> CandidateSearchPublic:
    """Anonymous profiles of consenting candidates in reach of one of the contractor's open
    vacancies, ranked as shortlists are; handles valid for this search only."""
    return portal.search_candidates(
        session=session,
        actor=user,
        body=body,
        matching=matching,
        lang=lang,
        request_id=request_id,
    )


@contractor_routes.post(
    "/proposal-requests",
    response_model=ContractorProposalRequestPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R404, R409, R422),
)
def request_proposal(
    body: ProposalRequestCreate, session: SessionDep, user: ContractorUser, request_id: RequestId
) -> ContractorProposalRequestPublic:
    """Ask the coach of a profile from a search to propose them; the coach decides."""
    return portal.request_proposal(session=session, actor=user, body=body, request_id=request_id)


@contractor_routes.get(
    "/proposal-requests",
    response_model=ContractorProposalRequestsPublic,
    responses=responses(AUTHED, R422),
)
def list_own_requests(
    session: SessionDep,
    user: ContractorUser,
    limit: Limit = 20,
    offset: Offset = 0,
    status: RequestStatus = None,
) -> ContractorProposalRequestsPublic:
    """The contractor's requests and what the coaches decided (handles, never people)."""
    return portal.list_contractor_requests(
        session=session, actor=user, status=status, limit=limit, offset=offset
    )


# --- SR officer: decide efforts ---------------------------------------------------------------


@sr_officer_routes.get(
    "/efforts", response_model=SrEffortsPublic, responses=responses(AUTHED, R422)
)
def list_efforts(
    session: SessionDep,
    user: SrOfficerUser,
    limit: Limit = 20,
    offset: Offset = 0,
    status: EffortStatus = None,
    contract_id: int | None = None,
) -> SrEffortsPublic:
    """Efforts reported on the municipality's contracts (``status=pending``: to decide)."""
    return efforts.list_efforts(
        session=session,
        actor=user,
        status=status,
        contract_id=contract_id,
        limit=limit,
        offset=offset,
    )


@sr_officer_routes.get(
    "/efforts/{effort_id}", response_model=SrEffortPublic, responses=responses(AUTHED, R404)
)
def read_effort(effort_id: int, session: SessionDep, user: SrOfficerUser) -> SrEffortPublic:
    """One effort on a contract of the municipality."""
    return efforts.read_effort(session=session, actor=user, effort_id=effort_id)


@sr_officer_routes.get(
    "/efforts/{effort_id}/evidence",
    response_class=Response,
    responses=responses(EVIDENCE_FILE, AUTHED, R404),
)
def effort_evidence(
    effort_id: int, session: SessionDep, user: SrOfficerUser, request_id: RequestId
) -> Response:
    """Download the evidence file of an effort on a contract of the municipality."""
    return _file_answer(
        efforts.read_evidence(
            session=session, actor=user, effort_id=effort_id, request_id=request_id
        )
    )


@sr_officer_routes.post(
    "/efforts/{effort_id}/approve",
    response_model=SrEffortPublic,
    responses=responses(AUTHED, R404, R409, R422),
)
def approve_effort(
    effort_id: int,
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
    body: SrEffortDecision | None = None,
) -> SrEffortPublic:
    """Approve a pending effort: it counts in the contract's realisation from now on."""
    return efforts.decide_effort(
        session=session,
        actor=user,
        effort_id=effort_id,
        approve=True,
        reason=body.reason if body else None,
        request_id=request_id,
    )


@sr_officer_routes.post(
    "/efforts/{effort_id}/reject",
    response_model=SrEffortPublic,
    responses=responses(AUTHED, R404, R409, R422),
)
def reject_effort(
    effort_id: int,
    body: SrEffortDecision,
    session: SessionDep,
    user: SrOfficerUser,
    request_id: RequestId,
) -> SrEffortPublic:
    """Reject a pending effort with a reason; it never counts."""
    return efforts.decide_effort(
        session=session,
        actor=user,
        effort_id=effort_id,
        approve=False,
        reason=body.reason,
        request_id=request_id,
    )


# --- coach: proposal requests -----------------------------------------------------------------


@coach_routes.get(
    "/proposal-requests",
    response_model=CoachProposalRequestsPublic,
    responses=responses(AUTHED, R422),
)
def list_requests(
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    status: RequestStatus = None,
) -> CoachProposalRequestsPublic:
    """Contractors' requests to propose a candidate the coach holds (one audit event each)."""
    return portal.list_coach_requests(
        session=session,
        actor=user,
        status=status,
        limit=limit,
        offset=offset,
        request_id=request_id,
    )


@coach_routes.post(
    "/proposal-requests/{proposal_request_id}/accept",
    response_model=CoachProposalRequestPublic,
    responses=responses(AUTHED, R404, R409, R422),
)
def accept_request(
    proposal_request_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> CoachProposalRequestPublic:
    """Accept: the candidate is proposed for the vacancy through the normal proposal."""
    return portal.accept_request(
        session=session,
        actor=user,
        proposal_request_id=proposal_request_id,
        matching=matching,
        request_id=request_id,
    )


@coach_routes.post(
    "/proposal-requests/{proposal_request_id}/decline",
    response_model=CoachProposalRequestPublic,
    responses=responses(AUTHED, R404, R409, R422),
)
def decline_request(
    proposal_request_id: int,
    body: ProposalRequestDecline,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
) -> CoachProposalRequestPublic:
    """Decline with a reason (kept for the record; the contractor sees only "declined")."""
    return portal.decline_request(
        session=session,
        actor=user,
        proposal_request_id=proposal_request_id,
        reason=body.reason,
        request_id=request_id,
    )
