"""Privacy pages for the job coach: a candidate's rights, and an explanation for the person.

- ``/coach/candidates/{id}/privacy``: download everything held (JSON), open the printable
  overview, erase the candidate (typing the reference to confirm);
- ``/coach/candidates/{id}/privacy/overview``: the printable overview (right of access);
- ``/coach/candidates/{id}/explanation?vacancy_id=``: for one vacancy, in plain words, why the
  candidate was or was not shortlisted and what would change it, to print or send.

Each handler calls one use case of ``api.services.privacy`` and renders.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import JSONResponse

from api.deps import MatchingDep, OptionalMatchingDep, RequestId, SessionDep
from api.services import candidates, privacy, vacancies
from api.web.forms import PageAnswer
from api.web.i18n import translator
from api.web.render import lang_of, redirect, render, templates
from api.web.session import CoachPage, CsrfChecked
from models.privacy import CandidateDataExport
from models.vacancies import VacancyStatus

router = APIRouter(prefix="/coach")


def render_privacy_export(data: CandidateDataExport, *, lang: str = "nl") -> str:
    """The printable overview as a standalone HTML document (also written by the CLI)."""
    template = templates.env.get_template("privacy/overview_document.html")
    return template.render(d=data, t=translator(lang), lang=lang)


def _privacy_page(
    request: Request,
    cand_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: str,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=cand_id, request_id=request_id
    )
    open_vacancies = vacancies.list_vacancies(
        session=session, actor=user, status=VacancyStatus.open, limit=100, offset=0
    )
    return render(
        request,
        "privacy/candidate.html",
        {"c": cand, "error": error, "vacancies": open_vacancies.data},
        status_code=status_code,
    )


@router.get("/candidates/{candidate_id}/privacy")
def privacy_page(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
) -> Response:
    """The candidate's rights: access (JSON, printable), an explanation per vacancy, erasure."""
    return _privacy_page(request, candidate_id, session, user, request_id)


@router.get("/candidates/{candidate_id}/privacy/export.json")
def export_json(
    candidate_id: int, session: SessionDep, user: CoachPage, request_id: RequestId
) -> Response:
    """Everything held about the candidate, as a JSON download; audited."""
    data = privacy.export_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    return JSONResponse(
        data.model_dump(mode="json"),
        headers={
            "Content-Disposition": f'attachment; filename="candidate-{candidate_id}.json"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/candidates/{candidate_id}/privacy/overview")
def overview(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
) -> Response:
    """The printable overview of everything held (right of access); audited."""
    data = privacy.export_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    return Response(
        render_privacy_export(data, lang=lang_of(request)),
        media_type="text/html; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )


@router.post("/candidates/{candidate_id}/erase", dependencies=[CsrfChecked])
def erase(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: OptionalMatchingDep,
    confirm_ref: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Erase after the coach typed the candidate's reference; then back to the caseload."""
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    if confirm_ref.strip() != cand.ref:
        t = translator(lang_of(request))
        raise PageAnswer(
            _privacy_page(
                request,
                candidate_id,
                session,
                user,
                request_id,
                error=t("privacy.confirm_mismatch"),
                status_code=422,
            )
        )
    privacy.erase_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        request_id=request_id,
        matching=matching,
    )
    return redirect(request, "/coach/candidates?erased=1")


@router.get("/candidates/{candidate_id}/explanation")
def explanation(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: MatchingDep,
    vacancy_id: Annotated[int, Query(ge=1, le=2**31 - 1)],
) -> Response:
    """For one vacancy: why the candidate was or was not shortlisted, what would change it."""
    lang = lang_of(request)
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    exp = privacy.explain_for_candidate(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        vacancy_id=vacancy_id,
        matching=matching,
        lang=lang,
        request_id=request_id,
    )
    return render(request, "privacy/explanation.html", {"c": cand, "e": exp})
