"""Privacy: the rights of the people in the data, and how long we keep what.

- coaches and SR officers export everything held about a candidate of their municipality
  (right of access) and erase it (right to erasure: a coach the candidates they hold, an SR
  officer any of their municipality);
- a coach asks, for one candidate and vacancy, the plain-language explanation to print or send;
- administrators see what the retention job would remove, and run it.

Each route adapts one use case of ``api.services.privacy``; the request's session commits.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import (
    AdminUser,
    CoachUser,
    MatchingDep,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    SettingsDep,
    require_role,
)
from api.errors import AUTHED, R404, R409, R422, R503, responses
from api.services import privacy
from models.organisations import Role, User
from models.privacy import CandidateDataExport, CandidateExplanation, ErasureResult, RetentionPlan

router = APIRouter(prefix="/privacy", tags=["privacy"])

CoachOrSrOfficer = Annotated[User, Depends(require_role(Role.coach, Role.sr_officer))]
Id = Annotated[int, Query(ge=1, le=2**31 - 1)]


@router.get(
    "/candidates/{candidate_id}/export",
    response_model=CandidateDataExport,
    responses=responses(AUTHED, R404, R422),
)
def export_candidate(
    candidate_id: int, session: SessionDep, user: CoachOrSrOfficer, request_id: RequestId
) -> CandidateDataExport:
    """Everything held about one candidate of your municipality (right of access); audited."""
    return privacy.export_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )


@router.post(
    "/candidates/{candidate_id}/erase",
    response_model=ErasureResult,
    responses=responses(AUTHED, R404, R409, R422),
)
def erase_candidate(
    candidate_id: int,
    session: SessionDep,
    user: CoachOrSrOfficer,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> ErasureResult:
    """Erase a candidate's personal data; the pseudonymised row keeps SR reports whole."""
    return privacy.erase_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        request_id=request_id,
        matching=matching,
    )


@router.get(
    "/candidates/{candidate_id}/explanation",
    response_model=CandidateExplanation,
    responses=responses(AUTHED, R404, R422, R503),
)
def explain_for_candidate(
    candidate_id: int,
    vacancy_id: Id,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: MatchingDep,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> CandidateExplanation:
    """Why a candidate was or was not shortlisted for a vacancy, and what would change it."""
    return privacy.explain_for_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        matching=matching,
        top=top,
        lang=lang,
        request_id=request_id,
    )


@router.get("/retention", response_model=RetentionPlan, responses=responses(AUTHED))
def plan_retention(session: SessionDep, user: AdminUser, settings: SettingsDep) -> RetentionPlan:
    """What a retention run would erase and remove now (nothing changes)."""
    return privacy.plan_retention(session=session, settings=settings)


@router.post("/retention", response_model=RetentionPlan, responses=responses(AUTHED))
def run_retention(
    session: SessionDep, user: AdminUser, settings: SettingsDep, matching: OptionalMatchingDep
) -> RetentionPlan:
    """Erase inactive candidates and remove old log entries, as configured; audited."""
    return privacy.run_retention(
        session=session, settings=settings, actor=user, apply=True, matching=matching
    )
