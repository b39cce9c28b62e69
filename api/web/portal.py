"""Contractor-portal pages: a contract's progress bar and anonymised trace, SR efforts (report;
an SR officer decides), the anonymous candidate search with "ask the coach to propose", and the
requests as the contractor and as the candidate's coach see them.

Thin like the routes: each handler calls ``services.portal`` / ``services.efforts`` (the very
use cases of ``/api/v1``) and renders; a refused form re-renders with the message next to its
field (``PageAnswer``, so the unit of work rolls back).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile as StarletteUpload

from api.deps import MatchingDep, OptionalMatchingDep, RequestId, SessionDep
from api.services import efforts, portal
from api.services.errors import ConflictError, FieldError
from api.web.charts import euro
from api.web.forms import PageAnswer, split_list
from api.web.i18n import translator
from api.web.render import lang_of, redirect, render
from api.web.session import CoachPage, ContractorPage, CsrfChecked, SrOfficerPage
from matcher.sr import PSO_LEVELS
from matcher.sr.efforts import EFFORT_KINDS
from matcher.vocab import DRIVING_LICENCES, EDUCATION_LEVELS
from models.contracts import Contract
from models.efforts import EFFORT_STATUSES, SrEffortCreate, SrEffortEvidence
from models.organisations import User
from models.portal import CandidateSearchCreate, ProposalRequestCreate
from models.vacancies import Vacancy, VacancyStatus

router = APIRouter()

PageSize = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]
EFFORT_FIELDS = (
    "contract_id",
    "kind",
    "description",
    "day",
    "amount_eur",
    "hours",
    "pso_level",
    "evidence_ref",
    "evidence_name",
)
SEARCH_FIELDS = (
    "vacancy_id",
    "skills",
    "occupations",
    "hours_min",
    "max_km",
    "education_min",
    "driving_licences",
)


def _number(text: str) -> float | None:
    text = text.strip().replace(" ", "")
    if not text:
        return None
    if "," in text and "." in text:  # 1.234,56 (Dutch) or 1,234.56
        text = (
            text.replace(".", "").replace(",", ".")
            if text.rfind(",") > text.rfind(".")
            else (text.replace(",", ""))
        )
    return float(text.replace(",", "."))


def _pydantic_errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        name = str(err["loc"][0]) if err["loc"] else "_form"
        out.setdefault(name, err["msg"])
    return out


# --- contractor: a contract's progress and trace ---------------------------------------------


@router.get("/contractor/contracts/{contract_id}")
def contract_page(
    request: Request, contract_id: int, session: SessionDep, user: ContractorPage
) -> Response:
    """One own contract: the progress bar (realised and forecast against the obligation), the
    anonymised trace and the efforts reported on it (404 for another firm's contract)."""
    report = portal.read_contractor_report(session=session, actor=user, contract_id=contract_id)
    reported = efforts.list_efforts(session=session, actor=user, contract_id=contract_id, limit=100)
    need = report.obligation_eur or 0.0
    return render(
        request,
        "contractor/contract.html",
        {
            "report": report,
            "efforts": reported,
            "bar_max": max(need, report.forecast_eur, report.realised_eur, 0.01),
            "euro": euro,
        },
    )


# --- contractor: SR efforts --------------------------------------------------------------------


def _own_contracts(session: Session, user: User) -> list[Contract]:
    return list(
        session.exec(
            select(Contract)
            .where(Contract.contractor_id == user.contractor_id)
            .order_by(col(Contract.ref))
        ).all()
    )


def _efforts_page(
    request: Request,
    session: Session,
    user: User,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    page = efforts.list_efforts(session=session, actor=user, limit=100)
    return render(
        request,
        "contractor/efforts.html",
        {
            "page": page,
            "contracts": _own_contracts(session, user),
            "kinds": EFFORT_KINDS,
            "pso_levels": PSO_LEVELS,
            "values": values or {"day": dt.date.today().isoformat()},
            "errors": errors or {},
            "saved": saved,
        },
        status_code=status_code,
    )


@router.get("/contractor/efforts")
def efforts_page(
    request: Request, session: SessionDep, user: ContractorPage, saved: bool = False
) -> Response:
    """The firm's reported SR efforts and the form to report one."""
    return _efforts_page(request, session, user, saved=saved)


@router.post("/contractor/efforts", dependencies=[CsrfChecked])
async def report_effort(
    request: Request, session: SessionDep, user: ContractorPage, request_id: RequestId
) -> Response:
    """Report an effort (``services.efforts.report_effort``); a refusal re-renders the form."""
    form = await request.form()
    values = {name: str(form.get(name) or "") for name in EFFORT_FIELDS}
    t = translator(lang_of(request))
    data: dict[str, Any] = {k: (v.strip() or None) for k, v in values.items()}
    errors: dict[str, str] = {}
    for name in ("amount_eur", "hours"):
        try:
            data[name] = _number(values[name])
        except ValueError:
            errors[name] = t("efforts.err.number")
    if not values["contract_id"].strip().isdigit():
        errors["contract_id"] = t("efforts.err.contract")
    try:
        body = SrEffortCreate.model_validate(data) if not errors else None
    except ValidationError as exc:
        body, errors = None, _pydantic_errors(exc)
    upload = form.get("evidence")
    try:
        if body is None:
            raise FieldError("_form", None, "")
        made = efforts.report_effort(session=session, actor=user, body=body, request_id=request_id)
        if isinstance(upload, StarletteUpload) and upload.filename:
            limit = int(request.app.state.settings.max_upload_mb * 1024 * 1024)
            content = await upload.read(limit + 1)
            if len(content) > limit:
                raise FieldError("evidence", upload.filename, t("efforts.err.too_big"))
            try:
                efforts.attach_evidence(
                    session=session,
                    actor=user,
                    effort_id=made.id,
                    filename=upload.filename,
                    data=content,
                    request_id=request_id,
                )
            except FieldError as exc:
                raise FieldError("evidence", exc.value, exc.message) from exc
    except FieldError as exc:
        if body is not None:
            fields = (*EFFORT_FIELDS, "evidence")
            errors = {exc.field if exc.field in fields else "_form": exc.message}
        page = _efforts_page(request, session, user, values=values, errors=errors, status_code=422)
        raise PageAnswer(page) from exc
    return redirect(request, "/contractor/efforts?saved=1")


def _download(row: SrEffortEvidence) -> Response:
    return Response(
        content=row.content,
        media_type=row.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{row.filename}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get("/contractor/efforts/{effort_id}/evidence")
def own_evidence(
    effort_id: int, session: SessionDep, user: ContractorPage, request_id: RequestId
) -> Response:
    """Download the evidence file of one of the firm's efforts (404 for another's)."""
    return _download(
        efforts.read_evidence(
            session=session, actor=user, effort_id=effort_id, request_id=request_id
        )
    )


@router.get("/sr-officer/efforts/{effort_id}/evidence")
def effort_evidence(
    effort_id: int, session: SessionDep, user: SrOfficerPage, request_id: RequestId
) -> Response:
    """Download the evidence file of an effort on a contract of the municipality."""
    return _download(
        efforts.read_evidence(
            session=session, actor=user, effort_id=effort_id, request_id=request_id
        )
    )


# --- contractor: anonymous search and requests -------------------------------------------------


def _open_vacancies(session: Session, user: User) -> list[Vacancy]:
    return list(
        session.exec(
            select(Vacancy)
            .where(
                Vacancy.contractor_id == user.contractor_id, Vacancy.status == VacancyStatus.open
            )
            .order_by(col(Vacancy.ref))
        ).all()
    )


def _search_page(
    request: Request,
    session: Session,
    user: User,
    *,
    values: dict[str, str],
    result: Any = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "contractor/search.html",
        {
            "vacancies": _open_vacancies(session, user),
            "values": values,
            "result": result,
            "errors": errors or {},
            "education": list(EDUCATION_LEVELS),
            "licences": DRIVING_LICENCES,
        },
        status_code=status_code,
    )


@router.get("/contractor/search")
def search_form(
    request: Request, session: SessionDep, user: ContractorPage, vacancy_id: int | None = None
) -> Response:
    """The search form (filters for one of the firm's open vacancies)."""
    values = dict.fromkeys(SEARCH_FIELDS, "")
    values["vacancy_id"] = "" if vacancy_id is None else str(vacancy_id)
    return _search_page(request, session, user, values=values)


@router.post("/contractor/search", dependencies=[CsrfChecked])
async def search(
    request: Request,
    session: SessionDep,
    user: ContractorPage,
    matching: MatchingDep,
    request_id: RequestId,
) -> Response:
    """Run the search (``services.portal.search_candidates``) and show anonymous profiles."""
    form = await request.form()
    values = {
        name: str(form.get(name) or "") for name in SEARCH_FIELDS if name != "driving_licences"
    }
    licences = [str(x) for x in form.getlist("driving_licences") if str(x)]
    values["driving_licences"] = ",".join(licences)
    t = translator(lang_of(request))
    errors: dict[str, str] = {}
    data: dict[str, Any] = {
        "skills": split_list(values["skills"]),
        "occupations": split_list(values["occupations"]),
        "education_min": values["education_min"].strip() or None,
        "driving_licences": licences,
    }
    if not values["vacancy_id"].strip().isdigit():
        errors["vacancy_id"] = t("search.err.vacancy")
    else:
        data["vacancy_id"] = int(values["vacancy_id"])
    for name in ("hours_min", "max_km"):
        try:
            data[name] = _number(values[name])
        except ValueError:
            errors[name] = t("efforts.err.number")
    try:
        body = CandidateSearchCreate.model_validate(data) if not errors else None
    except ValidationError as exc:
        body, errors = None, _pydantic_errors(exc)
    try:
        if body is None:
            raise FieldError("_form", None, "")
        result = portal.search_candidates(
            session=session,
            actor=user,
            body=body,
            matching=matching,
            lang=lang_of(request),
            request_id=request_id,
        )
    except FieldError as exc:
        if body is not None:
            name = exc.field.split("[")[0]
            errors = {name if name in SEARCH_FIELDS else "_form": exc.message}
        page = _search_page(request, session, user, values=values, errors=errors, status_code=422)
        raise PageAnswer(page) from exc
    return _search_page(request, session, user, values=values, result=result)


@router.post("/contractor/search/request", dependencies=[CsrfChecked])
async def ask_coach(
    request: Request, session: SessionDep, user: ContractorPage, request_id: RequestId
) -> Response:
    """Ask the coach to propose one profile (``services.portal.request_proposal``)."""
    form = await request.form()
    body = ProposalRequestCreate(
        search_token=str(form.get("search_token") or "x" * 8),
        handle=str(form.get("handle") or "none"),
        message=str(form.get("message") or "") or None,
    )
    portal.request_proposal(session=session, actor=user, body=body, request_id=request_id)
    return redirect(request, "/contractor/requests?sent=1")


@router.get("/contractor/requests")
def contractor_requests(
    request: Request,
    session: SessionDep,
    user: ContractorPage,
    sent: bool = False,
    limit: PageSize = 50,
    offset: Offset = 0,
) -> Response:
    """The firm's requests to coaches and what they decided."""
    page = portal.list_contractor_requests(session=session, actor=user, limit=limit, offset=offset)
    return render(
        request,
        "contractor/requests.html",
        {"page": page, "sent": sent, "limit": limit, "offset": offset},
    )


# --- SR officer: decide efforts ---------------------------------------------------------------


@router.get("/sr-officer/efforts")
def officer_efforts(
    request: Request,
    session: SessionDep,
    user: SrOfficerPage,
    status: str = "pending",
    limit: PageSize = 50,
    offset: Offset = 0,
    error: str | None = None,
) -> Response:
    """Efforts reported on the municipality's contracts (pending first), with approve/reject."""
    shown = status if status in EFFORT_STATUSES else None
    page = efforts.list_efforts(
        session=session, actor=user, status=shown, limit=limit, offset=offset
    )
    return render(
        request,
        "sr_officer/efforts.html",
        {
            "page": page,
            "status": shown or "",
            "statuses": EFFORT_STATUSES,
            "limit": limit,
            "offset": offset,
            "error": error,
        },
    )


@router.post("/sr-officer/efforts/{effort_id}/decide", dependencies=[CsrfChecked])
async def decide(
    request: Request,
    effort_id: int,
    session: SessionDep,
    user: SrOfficerPage,
    request_id: RequestId,
) -> Response:
    """Approve or reject (with a reason) one pending effort."""
    form = await request.form()
    approve = str(form.get("decision") or "") == "approve"
    reason = str(form.get("reason") or "")
    try:
        efforts.decide_effort(
            session=session,
            actor=user,
            effort_id=effort_id,
            approve=approve,
            reason=reason,
            request_id=request_id,
        )
    except (FieldError, ConflictError) as exc:
        t = translator(lang_of(request))
        page = officer_efforts(request, session, user, error=t("efforts.err.decide", id=effort_id))
        page.status_code = 422 if isinstance(exc, FieldError) else 409
        raise PageAnswer(page) from exc
    return redirect(request, "/sr-officer/efforts")


# --- coach: proposal requests -----------------------------------------------------------------


@router.get("/coach/requests")
def coach_requests(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    status: str = "pending",
    limit: PageSize = 50,
    offset: Offset = 0,
    error: str | None = None,
) -> Response:
    """Contractors' requests to propose a candidate the coach holds (audited per candidate)."""
    shown = status if status in ("pending", "accepted", "declined") else None
    page = portal.list_coach_requests(
        session=session,
        actor=user,
        status=shown,
        limit=limit,
        offset=offset,
        request_id=request_id,
    )
    return render(
        request,
        "coach/requests.html",
        {"page": page, "status": shown or "", "limit": limit, "offset": offset, "error": error},
    )


@router.post("/coach/requests/{proposal_request_id}/decide", dependencies=[CsrfChecked])
async def coach_decide(
    request: Request,
    proposal_request_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> Response:
    """Accept (a normal proposal) or decline (with a reason) one request."""
    form = await request.form()
    accept = str(form.get("decision") or "") == "accept"
    try:
        if accept:
            portal.accept_request(
                session=session,
                actor=user,
                proposal_request_id=proposal_request_id,
                matching=matching,
                request_id=request_id,
            )
        else:
            portal.decline_request(
                session=session,
                actor=user,
                proposal_request_id=proposal_request_id,
                reason=str(form.get("reason") or ""),
                request_id=request_id,
            )
    except (FieldError, ConflictError) as exc:
        message = exc.message if isinstance(exc, FieldError) else str(exc)
        page = coach_requests(request, session, user, request_id, error=message)
        page.status_code = 422 if isinstance(exc, FieldError) else 409
        raise PageAnswer(page) from exc
    return redirect(request, "/coach/requests")
