"""Job coaches: candidates of their municipality, vacancies, shortlists, referrals and the
durability follow-ups of their placements."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi import Response as HttpResponse
from fastapi import status as http
from fastapi.responses import Response
from sqlmodel import col, select

from api.audit import record, record_many
from api.deps import (
    CoachUser,
    RequestId,
    SessionDep,
    SettingsDep,
    get_candidate_for,
    get_matching,
    get_referral_for,
    get_vacancy_for,
    held_by,
    vacancy_scope,
)
from api.errors import (
    AUTHED,
    R404,
    R409,
    R413,
    R422,
    conflict,
    forbidden,
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
    referral_public,
    run_export,
    run_import,
)
from api.services import durability, referrals
from api.services import referrals as referral_service
from api.services.errors import ConflictError, FieldError, NotFoundError
from api.services.importer import ImportReport
from api.services.profiles import apply_candidate_input
from models.base import utcnow
from models.candidates import (
    Candidate,
    CandidateCreate,
    CandidatePublic,
    CandidatesPublic,
    CandidateUpdate,
)
from models.matching import ShortlistPublic, VacancyMatchesPublic
from models.organisations import Role, User
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
MatchingDep = Annotated[Any, Depends(get_matching)]


class CoachImportKind(StrEnum):
    candidates = "candidates"
    outcomes = "outcomes"


class CoachExportKind(StrEnum):
    candidates = "candidates"
    vacancies = "vacancies"
    outcomes = "outcomes"
    placements = "placements"


def _check_coach_id(session: SessionDep, user: User, coach_id: int | None) -> None:
    if coach_id is None:
        return
    other = session.get(User, coach_id)
    if (
        other is None
        or other.role != Role.coach
        or other.municipality_id != user.municipality_id
        or not other.active
    ):
        raise HTTPException(
            http.HTTP_422_UNPROCESSABLE_CONTENT,
            detail=[
                {
                    "loc": ["body", "coach_id"],
                    "msg": "must be an active coach of your municipality",
                    "type": "value_error",
                    "input": coach_id,
                }
            ],
        )


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
    where: list[Any] = [Candidate.municipality_id == user.municipality_id]
    if active is not None:
        where.append(Candidate.active == active)
    if mine:
        where.append(Candidate.coach_id == user.id)
    if benefit:
        where.append(Candidate.benefit == benefit)
    if ref:
        where.append(col(Candidate.ref).startswith(ref, autoescape=True))
    rows, count = paged(session, Candidate, where, limit=limit, offset=offset)
    record_many(
        session,
        user=user,
        action="candidate.list",
        candidate_ids=[c.id for c in rows],
        request_id=request_id,
    )
    session.commit()
    return CandidatesPublic(
        data=[CandidatePublic.model_validate(c) for c in rows], count=int(count)
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
    matching: MatchingDep,
) -> Candidate:
    """Add a candidate to the coach's municipality (held by the coach unless coach_id says)."""
    if session.exec(select(Candidate.id).where(Candidate.ref == body.ref)).first() is not None:
        raise conflict(f"candidate_ref {body.ref!r} already exists")
    _check_coach_id(session, user, body.coach_id)
    assert user.municipality_id is not None
    fields: dict[str, Any] = {
        **body.model_dump(),
        "municipality_id": user.municipality_id,
        "coach_id": body.coach_id or user.id,
        "pc4": "",
        "lat": 0.0,
        "lon": 0.0,
    }
    cand = Candidate(**fields)
    try:
        apply_candidate_input(cand, body.model_dump())
    except FieldError as exc:
        raise from_field_error(exc) from exc
    session.add(cand)
    session.flush()
    record(
        session, user=user, action="candidate.create", candidate_id=cand.id, request_id=request_id
    )
    session.commit()
    if matching is not None and cand.id is not None:
        matching.notify_candidate_changed(cand.id)
    return cand


@router.get(
    "/candidates/{candidate_id}",
    response_model=CandidatePublic,
    responses=responses(AUTHED, R404, R422),
)
def read_candidate(
    candidate_id: int, session: SessionDep, user: CoachUser, request_id: RequestId
) -> Candidate:
    """One candidate of the coach's municipality."""
    try:
        cand = get_candidate_for(session=session, user=user, candidate_id=candidate_id)
    except NotFoundError as exc:
        raise not_found("candidate") from exc
    record(session, user=user, action="candidate.read", candidate_id=cand.id, request_id=request_id)
    session.commit()
    return cand


def _held_candidate(session: SessionDep, user: User, candidate_id: int) -> Candidate:
    try:
        cand = get_candidate_for(session=session, user=user, candidate_id=candidate_id)
    except NotFoundError as exc:
        raise not_found("candidate") from exc
    if not held_by(user, cand):
        raise forbidden("only the coach who holds this candidate may change it")
    return cand


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
    matching: MatchingDep,
) -> Candidate:
    """Change a candidate the coach holds; normalised fields are recomputed."""
    cand = _held_candidate(session, user, candidate_id)
    changes = body.model_dump(exclude_unset=True)
    if "coach_id" in changes:
        if changes["coach_id"] is None:
            raise from_field_error(FieldError("coach_id", None, "a candidate needs a coach"))
        _check_coach_id(session, user, changes["coach_id"])
    try:
        apply_candidate_input(cand, changes)
    except FieldError as exc:
        raise from_field_error(exc) from exc
    if "coach_id" in changes:
        cand.coach_id = changes["coach_id"]
    cand.updated_at = utcnow()
    session.add(cand)
    record(
        session,
        user=user,
        action="candidate.update",
        candidate_id=cand.id,
        request_id=request_id,
        detail="fields: " + ", ".join(sorted(changes)),
    )
    session.commit()
    if matching is not None:
        matching.notify_candidate_changed(candidate_id)
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
    matching: MatchingDep,
) -> Candidate:
    """Take a candidate the coach holds off every shortlist (the record stays for SR figures)."""
    cand = _held_candidate(session, user, candidate_id)
    cand.active = False
    cand.updated_at = utcnow()
    session.add(cand)
    record(
        session,
        user=user,
        action="candidate.deactivate",
        candidate_id=cand.id,
        request_id=request_id,
    )
    session.commit()
    if matching is not None:
        matching.notify_candidate_changed(candidate_id)
    return cand


@router.get(
    "/candidates/{candidate_id}/vacancies",
    response_model=VacancyMatchesPublic,
    responses=responses(AUTHED, R404, R422, {503: {"description": "ranker not loaded"}}),
)
def vacancies_for_candidate(
    candidate_id: int,
    session: SessionDep,
    user: CoachUser,
    request_id: RequestId,
    matching: MatchingDep,
    top: Annotated[int, Query(ge=1, le=100)] = 10,
    lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
) -> Any:
    """The best open vacancies for one candidate, each score with its reasons."""
    try:
        cand = get_candidate_for(session=session, user=user, candidate_id=candidate_id)
    except NotFoundError as exc:
        raise not_found("candidate") from exc
    if matching is None or not matching.ready:
        raise HTTPException(http.HTTP_503_SERVICE_UNAVAILABLE, detail="ranker not loaded")
    result = matching.vacancies_for(session, candidate=cand, top=top, lang=lang)
    record(
        session,
        user=user,
        action="candidate.match",
        candidate_id=cand.id,
        request_id=request_id,
        detail=f"top {top}",
    )
    session.commit()
    return result


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
    where: list[Any] = [vacancy_scope(user)]
    if status is not None:
        where.append(Vacancy.status == status)
    if contract_id is not None:
        where.append(Vacancy.contract_id == contract_id)
    rows, count = paged(session, Vacancy, where, limit=limit, offset=offset)
    return VacanciesPublic(data=[VacancyPublic.model_validate(v) for v in rows], count=int(count))


@router.get(
    "/vacancies/{vacancy_id}", response_model=VacancyPublic, responses=responses(AUTHED, R404)
)
def read_vacancy(vacancy_id: int, session: SessionDep, user: CoachUser) -> Vacancy:
    """One vacancy in the coach's municipality."""
    try:
        return get_vacancy_for(session=session, user=user, vacancy_id=vacancy_id)
    except NotFoundError as exc:
        raise not_found("vacancy") from exc


@router.get(
    "/vacancies/{vacancy_id}/shortlist",
    response_model=ShortlistPublic,
    responses=responses(AUTHED, R404, R422, {503: {"description": "ranker not loaded"}}),
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
) -> Any:
    """The best candidates for a vacancy with scores, reasons and missing skills."""
    try:
        vac = get_vacancy_for(session=session, user=user, vacancy_id=vacancy_id)
    except NotFoundError as exc:
        raise not_found("vacancy") from exc
    if matching is None or not matching.ready:
        raise HTTPException(http.HTTP_503_SERVICE_UNAVAILABLE, detail="ranker not loaded")
    result = matching.shortlist(
        session, vacancy=vac, top=top, coach=user, explain_excluded=explain_excluded, lang=lang
    )
    ids = [e.candidate_id for e in result.entries] + [e.candidate_id for e in result.excluded]
    record_many(
        session,
        user=user,
        action="candidate.shortlist",
        candidate_ids=ids,
        request_id=request_id,
        object_type="vacancy",
        object_id=vac.id,
    )
    session.commit()
    return result


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
    matching: MatchingDep,
) -> ReferralPublic:
    """Propose a candidate the coach holds for a vacancy in the municipality."""
    cand = _held_candidate(session, user, body.candidate_id)
    try:
        vac = get_vacancy_for(session=session, user=user, vacancy_id=body.vacancy_id)
    except NotFoundError as exc:
        raise not_found("vacancy") from exc
    model_version = getattr(matching, "model_version", None) if body.shortlist_rank else None
    try:
        ref = referral_service.propose(
            session=session,
            candidate=cand,
            vacancy=vac,
            actor=user,
            shortlist_rank=body.shortlist_rank,
            shortlist_score=body.shortlist_score,
            model_version=model_version,
        )
    except FieldError as exc:
        raise from_field_error(exc) from exc
    except ConflictError as exc:
        raise conflict(str(exc)) from exc
    record(
        session,
        user=user,
        action="referral.propose",
        candidate_id=cand.id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
    )
    session.commit()
    if matching is not None and cand.id is not None:
        matching.notify_candidate_changed(cand.id)
    return referral_public(session, ref)


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
    matching: MatchingDep,
) -> ReferralPublic:
    """Move a referral of a candidate the coach holds to its next status (reason when it ends)."""
    try:
        ref = get_referral_for(session=session, user=user, referral_id=referral_id)
    except NotFoundError as exc:
        raise not_found("referral") from exc
    _held_candidate(session, user, ref.candidate_id)
    try:
        referral_service.transition(
            session=session,
            referral=ref,
            to_status=body.status,
            on=body.date or dt.date.today(),
            reason=body.reason,
            actor=user,
            consent_confirmed=body.consent_confirmed,
        )
    except FieldError as exc:
        session.rollback()
        raise from_field_error(exc) from exc
    record(
        session,
        user=user,
        action=f"referral.{body.status}",
        candidate_id=ref.candidate_id,
        request_id=request_id,
        object_type="referral",
        object_id=ref.id,
        detail=body.reason,
    )
    session.commit()
    if matching is not None:
        matching.notify_candidate_changed(ref.candidate_id)
    return referral_public(session, ref)


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
