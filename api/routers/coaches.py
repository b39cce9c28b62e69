"""Job coaches: candidates of their municipality, vacancies, shortlists, referrals and the
durability follow-ups of their placements.

Each route adapts one use case of ``api.services`` (candidates, vacancies, matching,
referrals, durability, files): it parses the request, calls the service and returns; the
request's session commits, and service errors map to HTTP answers in ``api.errors``."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi import status as http

from api.deps import (
    CoachUser,
    IfMatch,
    MatchingDep,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    send_etag,
)
from api.errors import AUTHED, R404, R409, R412, R422, responses
from api.routers import (
    Limit,
    Offset,
    portal,
)
from api.routers.common import (
    add_durability_checks,
    add_file_routes,
    add_referral_reads,
    add_vacancy_reads,
)
from api.routers.responsible import add_oversight_routes
from api.services import candidates, durability, referrals
from api.services.matching import candidate_matches, shortlist_for
from api.services.opportunities import doors_for_candidate
from models.candidates import (
    Candidate,
    CandidateCreate,
    CandidatePublic,
    CandidatesPublic,
    CandidateUpdate,
)
from models.matching import ShortlistPublic, VacancyMatchesPublic
from models.opportunities import DoorsPublic
from models.organisations import Role
from models.referrals import (
    ConsentCreate,
    ConsentWithdrawal,
    ReferralCreate,
    ReferralPublic,
    ReferralTransition,
)
from models.sr_reports import DueChecksPublic
from models.vacancies import VacancyStatus

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
    candidate_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    response: Response,
) -> Candidate:
    """One candidate of the coach's municipality; its ETag is its version (for If-Match)."""
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    send_etag(response, cand)
    return cand


@router.patch(
    "/candidates/{candidate_id}",
    response_model=CandidatePublic,
    responses=responses(AUTHED, R404, R409, R412, R422),
)
def update_candidate(
    candidate_id: int,
    body: CandidateUpdate,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
    response: Response,
    if_match: IfMatch,
) -> Candidate:
    """Change a candidate the coach holds; normalised fields are recomputed. With If-Match
    only while the candidate is at that version (412 otherwise); without it the last writer
    wins."""
    cand = candidates.update_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        changes=body,
        request_id=request_id,
        matching=matching,
        expected_version=if_match,
    )
    send_etag(response, cand)
    return cand


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


@router.get(
    "/candidates/{candidate_id}/doors",
    response_model=DoorsPublic,
    responses=responses(AUTHED, R404, R422, R503),
)
def doors(
    candidate_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: MatchingDep,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> DoorsPublic:
    """What would open doors: the skills, certificates or licences whose gain would make the
    candidate eligible for, or rank in the top 10 of, the most open vacancies in reach."""
    return doors_for_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        matching=matching,
        limit=limit,
        lang=lang,
        request_id=request_id,
    )


# --- vacancies -------------------------------------------------------------------------


add_vacancy_reads(
    router,
    Role.coach,
    whose="the vacancies in the coach's municipality",
    default_status=VacancyStatus.open,
)


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


@router.post(
    "/referrals/{referral_id}/transitions",
    response_model=ReferralPublic,
    responses=responses(AUTHED, R404, R409, R412, R422),
)
def move_referral(
    referral_id: int,
    body: ReferralTransition,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
    response: Response,
    if_match: IfMatch,
) -> ReferralPublic:
    """Move a referral of a candidate the coach holds to its next status (reason when it ends);
    with If-Match only while the referral is at that version (412 otherwise)."""
    moved = referrals.move_referral(
        session=session,
        actor=user,
        referral_id=referral_id,
        body=body,
        request_id=request_id,
        matching=matching,
        expected_version=if_match,
    )
    send_etag(response, moved)
    return moved


@router.post(
    "/referrals/{referral_id}/consent",
    response_model=ReferralPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R404, R409, R422),
)
def record_consent(
    referral_id: int,
    body: ConsentCreate,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
) -> ReferralPublic:
    """Record how the candidate consented to be introduced for this referral (in_person,
    signed, phone): needed before an introduction shows the contractor who the person is."""
    return referrals.record_consent(
        session=session, actor=user, referral_id=referral_id, body=body, request_id=request_id
    )


@router.post(
    "/referrals/{referral_id}/consent/withdraw",
    response_model=ReferralPublic,
    responses=responses(AUTHED, R404, R422),
)
def withdraw_consent(
    referral_id: int,
    body: ConsentWithdrawal,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
) -> ReferralPublic:
    """The candidate withdrew the consent for this referral: the contractor no longer sees who
    the person is, at once (audited)."""
    return referrals.withdraw_consent(
        session=session, actor=user, referral_id=referral_id, body=body, request_id=request_id
    )


# --- shared with other user groups: referral reads, durability follow-ups, files ----------

add_oversight_routes(router)
add_referral_reads(router, Role.coach, whose="the municipality's candidates")
add_durability_checks(
    router,
    Role.coach,
    whose="the municipality's candidates",
    list_due=durability.due_checks,
    due_model=DueChecksPublic,
)
add_file_routes(
    router,
    Role.coach,
    import_kinds=CoachImportKind,
    export_kinds=CoachExportKind,
    scope="the coach's municipality",
)

# --- the contractor portal (api.routers.portal): reports, SR efforts, search, requests ---

router.include_router(portal.coach_routes)
