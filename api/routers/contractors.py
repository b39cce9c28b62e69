"""Contractors: their contracts and vacancies, anonymised referrals, confirming hires, and the
durability follow-ups of placements on their vacancies."""

from __future__ import annotations

from enum import StrEnum

from fastapi import APIRouter, Response
from fastapi import status as http

from api.deps import (
    ContractorUser,
    IfMatch,
    OptionalMatchingDep,
    RequestId,
    SessionDep,
    send_etag,
)
from api.errors import (
    AUTHED,
    R404,
    R409,
    R412,
    R422,
    responses,
)
from api.routers import (
    Limit,
    Offset,
    portal,
)
from api.routers.common import (
    add_contract_reads,
    add_durability_checks,
    add_file_routes,
    add_vacancy_reads,
)
from api.services import disclosure, durability, vacancies
from api.services import referrals as referral_service
from models.disclosure import (
    ContractorPlacementPublic,
    ContractorReferralPublic,
    ContractorReferralsPublic,
)
from models.organisations import Role
from models.placements import HireCreate, Placement
from models.referrals import ContractorRejection, InterviewInvitation, IntroductionRequest
from models.sr_reports import ContractorDueChecksPublic
from models.vacancies import (
    Vacancy,
    VacancyCreate,
    VacancyPublic,
    VacancyUpdate,
)

router = APIRouter(prefix="/contractor", tags=["contractors"])


class ContractorFileKind(StrEnum):
    vacancies = "vacancies"


# --- contracts -------------------------------------------------------------------------


add_contract_reads(router, Role.contractor, whose="the contractor's own contracts")


# --- vacancies -------------------------------------------------------------------------


add_vacancy_reads(router, Role.contractor, whose="the contractor's own vacancies")


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


@router.patch(
    "/vacancies/{vacancy_id}",
    response_model=VacancyPublic,
    responses=responses(AUTHED, R404, R409, R412, R422),
)
def update_vacancy(
    vacancy_id: int,
    body: VacancyUpdate,
    session: SessionDep,
    user: ContractorUser,
    matching: OptionalMatchingDep,
    response: Response,
    if_match: IfMatch,
) -> Vacancy:
    """Change one of the contractor's vacancies; normalised fields are recomputed. With
    If-Match only while the vacancy is at that version (412 otherwise)."""
    vac = vacancies.update_vacancy(
        session=session,
        actor=user,
        vacancy_id=vacancy_id,
        changes=body,
        matching=matching,
        expected_version=if_match,
    )
    send_etag(response, vac)
    return vac


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


@router.post(
    "/referrals/{referral_id}/request-introduction",
    response_model=ContractorReferralPublic,
    responses=responses(AUTHED, R404, R409, R422),
)
def request_introduction(
    referral_id: int,
    body: IntroductionRequest,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
) -> ContractorReferralPublic:
    """Ask the coach to introduce the person behind an anonymous proposal (the coach decides,
    with the candidate's consent)."""
    return referral_service.request_introduction(
        session=session, actor=user, referral_id=referral_id, body=body, request_id=request_id
    )


@router.post(
    "/referrals/{referral_id}/interview",
    response_model=ContractorReferralPublic,
    responses=responses(AUTHED, R404, R422),
)
def invite_to_interview(
    referral_id: int,
    body: InterviewInvitation,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> ContractorReferralPublic:
    """Invite a person introduced with consent to an interview (the referral becomes
    ``interviewed``)."""
    return referral_service.invite_to_interview(
        session=session,
        actor=user,
        referral_id=referral_id,
        body=body,
        request_id=request_id,
        matching=matching,
    )


@router.post(
    "/referrals/{referral_id}/reject",
    response_model=ContractorReferralPublic,
    responses=responses(AUTHED, R404, R422),
)
def reject_referral(
    referral_id: int,
    body: ContractorRejection,
    session: SessionDep,
    user: ContractorUser,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> ContractorReferralPublic:
    """Turn a referral down with a reason from the list (``reason_code``) plus free text."""
    return referral_service.reject_proposal(
        session=session,
        actor=user,
        referral_id=referral_id,
        body=body,
        request_id=request_id,
        matching=matching,
    )


# --- shared with other user groups: durability follow-ups, files -------------------------

add_durability_checks(
    router,
    Role.contractor,
    whose="the contractor's vacancies (anonymised as referrals are)",
    list_due=durability.contractor_due_checks,
    due_model=ContractorDueChecksPublic,
)
add_file_routes(
    router,
    Role.contractor,
    import_kinds=ContractorFileKind,
    export_kinds=ContractorFileKind,
    scope="the contractor's own vacancies",
)

# --- the contractor portal (api.routers.portal): reports, SR efforts, search, requests ---

router.include_router(portal.contractor_routes)
