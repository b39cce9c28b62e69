"""Job coaches: candidates of their municipality, vacancies, shortlists, referrals and the
durability follow-ups of their placements.

Each route adapts one use case of ``api.services`` (candidates, vacancies, matching,
referrals, durability, files): it parses the request, calls the service and returns; the
request's session commits, and service errors map to HTTP answers in ``api.errors``."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi import Response as HttpResponse
from fastapi import status as http
from fastapi.responses import Response

from api.deps import (
    CoachUser,
    MatchingDep,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    SettingsDep,
)
from api.errors import AUTHED, R404, R409, R413, R422, responses
from api.routers import (
    FILE_RESPONSES,
    ExportFormat,
    Limit,
    Offset,
    read_upload,
    run_export,
    run_import,
)
from api.services import candidates, durability, referrals, vacancies
from api.services.importer import ImportReport
from api.services.matching import candidate_matches, shortlist_for
from models.candidates import (
    Candidate,
    CandidateCreate,
    CandidatePublic,
    CandidatesPublic,
    CandidateUpdate,
)
from models.matching import ShortlistPublic, VacancyMatchesPublic
from models.placements import DurabilityCheckCreate
from models.referrals import (
    ReferralCreate,
    ReferralPublic,
    ReferralsPublic,
    ReferralTransition,
)
from models.sr_reports import DueChecksPublic, DurabilityCheckPublic
from models.vacancies import VacanciesPublic, Vacancy, VacancyPublic, VacancyStatus

router = APIRouter(prefix="/coach", tags=["coaches"])
R503: dict[int | str, dict[str, Any]] = {503: {"description": "ranker not loaded"}}


class CoachImportKind(StrEnum):
    candidates = "candidates"
    outcomes = "outcomes"


class CoachExportKind(StrEnum):
    candidates = "candidates"
    vacancies = "vacancies"
    outcomes = "outcomes"
    placements = "placements"


# --- candidates ------------------------------------------------------------------------


@router.get("/candidates", response_model=CandidatesPublic, responses=responses(AUTHED, R422))
def list_candidates(
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    active: bool | None = True,
    mine: bool = False,
    benefit: str | None = None,
    ref: str | None = Query(default=None, max_length=80, description="reference starts with"),
) -> CandidatesPublic:
    """Candidates of the coach's municipality (one audit event per candidate returned)."""
    return candidates.list_candidates(
        session=session,
        actor=user,
        request_id=request_id,
        limit=limit,
        offset=offset,
        active=active,
        mine=mine,
        benefit=benefit,
        ref=ref,
    )


@router.post(
    "/candidates",
    response_model=CandidatePublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R409, R422),
)
def create_candidate(
    body: CandidateCreate,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> Candidate:
    """Add a candidate to the coach's municipality (held by the coach unless coach_id says)."""
    return candidates.create_candidate(
        session=session, actor=user, body=body, request_id=request_id, matching=matching
    )


@router.get(
    "/candidates/{candidate_id}",
    response_model=CandidatePublic,
    responses=responses(AUTHED, R404, R422),
)
def read_candidate(
    candidate_id: int, session: SessionDep, user: CoachUser, request_id: RequestId
) -> Candidate:
    """One candidate of the coach's municipality."""
    return candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )


@router.patch(
    "/candidates/{candidate_id}",
    response_model=CandidatePublic,
    responses=responses(AUTHED, R404, R422),
)
def update_candidate(
    candidate_id: int,
    body: CandidateUpdate,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> Candidate:
    """Change a candidate the coach holds; normalised fields are recomputed."""
    return candidates.update_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        changes=body,
        request_id=request_id,
        matching=matching,
    )


@router.post(
    "/candidates/{candidate_id}/deactivate",
    response_model=CandidatePublic,
    responses=responses(AUTHED, R404, R422),
)
def deactivate_candidate(
    candidate_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> Candidate:
    """Take a candidate the coach holds off every shortlist (the record stays for SR figures)."""
    return candidates.deactivate_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        request_id=request_id,
        matching=matching,
    )


@router.get(
    "/candidates/{candidate_id}/vacancies",
    response_model=VacancyMatchesPublic,
    responses=responses(AUTHED, R404, R422, R503),
)
def vacancies_for_candidate(
    candidate_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: MatchingDep,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> VacancyMatchesPublic:
    """The best open vacancies for one candidate, each score with its reasons."""
    return candidate_matches(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        matching=matching,
        top=top,
        lang=lang,
        request_id=request_id,
    )


# --- vacancies -------------------------------------------------------------------------


@router.get("/vacancies", response_model=VacanciesPublic, responses=responses(AUTHED, R422))
def list_vacancies(
    session: SessionDep,
    user: CoachUser,
    limit: Limit = 20,
    offset: Offset = 0,
    status: VacancyStatus | None = VacancyStatus.open,
    contract_id: int | None = None,
) -> VacanciesPublic:
    """Vacancies in the coach's municipality."""
    return vacancies.list_vacancies(
        session=session,
        actor=user,
        status=status,
        contract_id=contract_id,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/vacancies/{vacancy_id}", response_model=VacancyPublic, responses=responses(AUTHED, R404)
)
def read_vacancy(vacancy_id: int, session: SessionDep, user: CoachUser) -> Vacancy:
    """One vacancy in the coach's municipality."""
    return vacancies.read_vacancy(session=session, actor=user, vacancy_id=vacancy_id)


@router.get(
    "/vacancies/{vacancy_id}/shortlist",
    response_model=ShortlistPublic,
    responses=responses(AUTHED, R404, R422, R503),
)
def shortlist(
    vacancy_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: MatchingDep,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
    explain_excluded: bool = False,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> ShortlistPublic:
    """The best candidates for a vacancy with scores, reasons and missing skills."""
    return shortlist_for(
        session=session,
        actor=user,
        vacancy_id=vacancy_id,
        matching=matching,
        top=top,
        explain_excluded=explain_excluded,
        lang=lang,
        request_id=request_id,
    )


# --- referrals -------------------------------------------------------------------------


@router.get("/referrals", response_model=ReferralsPublic, responses=responses(AUTHED, R422))
def list_referrals(
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    status: str | None = None,
    vacancy_id: int | None = None,
    candidate_id: int | None = None,
) -> ReferralsPublic:
    """Referrals of the municipality's candidates (one audit event per candidate)."""
    return referrals.list_referrals(
        session=session,
        actor=user,
        request_id=request_id,
        limit=limit,
        offset=offset,
        status=status,
        vacancy_id=vacancy_id,
        candidate_id=candidate_id,
    )


@router.post(
    "/referrals",
    response_model=ReferralPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R404, R409, R422),
)
def propose(
    body: ReferralCreate,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> ReferralPublic:
    """Propose a candidate the coach holds for a vacancy in the municipality."""
    return referrals.propose_referral(
        session=session, actor=user, body=body, request_id=request_id, matching=matching
    )


@router.get(
    "/referrals/{referral_id}", response_model=ReferralPublic, responses=responses(AUTHED, R404)
)
def read_referral(
    referral_id: int, session: SessionDep, user: CoachUser, request_id: RequestId
) -> ReferralPublic:
    """One referral of the municipality's candidates, with its history."""
    return referrals.read_referral(
        session=session, actor=user, referral_id=referral_id, request_id=request_id
    )


@router.post(
    "/referrals/{referral_id}/transitions",
    response_model=ReferralPublic,
    responses=responses(AUTHED, R404, R422),
)
def move_referral(
    referral_id: int,
    body: ReferralTransition,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> ReferralPublic:
    """Move a referral of a candidate the coach holds to its next status (reason when it ends)."""
    return referrals.move_referral(
        session=session,
        actor=user,
        referral_id=referral_id,
        body=body,
        request_id=request_id,
        matching=matching,
    )


# --- durability follow-ups --------------------------------------------------------------

#: the answer when a second record for a milestone replaced the first
R200_UPDATED: dict[int | str, dict[str, Any]] = {
    200: {"model": DurabilityCheckPublic, "description": "The milestone's check was updated"}
}


@router.get(
    "/placements/checks-due", response_model=DueChecksPublic, responses=responses(AUTHED, R422)
)
def checks_due(
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    limit: Limit = 20,
    offset: Offset = 0,
    today: Annotated[
        dt.date | None, Query(description="the day to list for (default today)")
    ] = None,
) -> DueChecksPublic:
    """3/6/12-month follow-ups due and not recorded for the municipality's placements."""
    return durability.due_checks(
        session=session, actor=user, request_id=request_id, limit=limit, offset=offset, today=today
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
    user: CoachUser,
    request_id: RequestId,
    response: HttpResponse,
) -> DurabilityCheckPublic:
    """Record a placement's 3/6/12-month follow-up (201; 200 when it replaces an earlier one)."""
    check, created = durability.record_check(
        session=session, actor=user, placement_id=placement_id, body=body, request_id=request_id
    )
    if not created:
        response.status_code = http.HTTP_200_OK
    return check


# --- files -----------------------------------------------------------------------------


@router.post(
    "/imports/{kind}",
    response_model=ImportReport,
    responses=responses(AUTHED, R413, R422),
)
def import_upload(
    kind: CoachImportKind,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    user: CoachUser,
    request_id: RequestId,
    file: Annotated[UploadFile, File(description="CSV or XLSX in the data-contract format")],
    partial: Annotated[bool, Form()] = False,
) -> ImportReport:
    """Import candidates or outcomes into the coach's municipality (row-level report)."""
    data = read_upload(request, file, settings)
    report = run_import(
        session,
        kind=kind.value,
        data=data,
        filename=file.filename or "upload",
        actor=user,
        partial=partial,
        request_id=request_id,
    )
    return report


@router.get(
    "/exports/{kind}",
    response_class=Response,
    responses=responses(FILE_RESPONSES, AUTHED, R422),
)
def export_download(
    kind: CoachExportKind,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    format: ExportFormat = ExportFormat.csv,
) -> Response:
    """Download the municipality's data of one kind as CSV or XLSX."""
    return run_export(session, kind=kind.value, fmt=format, actor=user, request_id=request_id)
