"""Job coach pages: the caseload, the open vacancies and a vacancy's shortlist."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlmodel import Session, col, select

from api.deps import RequestId, SessionDep
from api.services import candidates, vacancies
from api.web.charts import percent
from api.web.render import lang_of, render
from api.web.session import CoachPage
from matcher.taxonomy import load_taxonomy
from matcher.vocab import BENEFITS, PARTICIPATIELADDER
from models.organisations import User
from models.vacancies import VacancyStatus

router = APIRouter(prefix="/coach")

PageSize = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


def coach_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    """Display names of the coaches holding the listed candidates."""
    wanted = sorted(i for i in ids if i is not None)
    if not wanted:
        return {}
    rows = session.exec(
        select(User.id, User.full_name, User.username).where(col(User.id).in_(wanted))
    ).all()
    return {uid: (name or username) for uid, name, username in rows if uid is not None}


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@router.get("/candidates")
def caseload(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    ref: Annotated[str | None, Query(max_length=80)] = None,
    benefit: Annotated[str | None, Query(max_length=30)] = None,
    consent: Annotated[str | None, Query(pattern="^(yes|no)?$")] = None,
    mine: bool = False,
    limit: PageSize = 25,
    offset: Offset = 0,
) -> Response:
    """The candidates of the coach's municipality: search by reference, benefit and consent;
    the filters live in the URL; one page of at most 100 rows."""
    page = candidates.list_candidates(
        session=session,
        actor=user,
        request_id=request_id,
        limit=limit,
        offset=offset,
        mine=mine,
        benefit=benefit or None,
        ref=(ref or "").strip() or None,
        consent=_yes_no(consent),
    )
    context = {
        "page": page,
        "coaches": coach_names(session, {c.coach_id for c in page.data}),
        "filters": {"ref": ref or "", "benefit": benefit or "", "consent": consent or ""},
        "mine": mine,
        "benefit_options": [(b, b) for b in BENEFITS],
        "limit": limit,
        "offset": offset,
    }
    # htmx asks for the results only when the filter form changes
    template = (
        "coach/_caseload_results.html"
        if request.headers.get("hx-request") == "true"
        else "coach/caseload.html"
    )
    return render(request, template, context)


@router.get("/vacancies")
def open_vacancies(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    limit: PageSize = 25,
    offset: Offset = 0,
) -> Response:
    """The open vacancies in the coach's municipality, each with a link to its shortlist."""
    page = vacancies.list_vacancies(
        session=session, actor=user, status=VacancyStatus.open, limit=limit, offset=offset
    )
    return render(request, "coach/vacancies.html", {"page": page, "limit": limit, "offset": offset})


@router.get("/candidates/{candidate_id}")
def candidate_page(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
) -> Response:
    """One candidate: the profile as entered and as the engine read it (labels, not ids), and
    what it did not understand with its nearest suggestions. 404 outside the municipality."""
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    lang = lang_of(request)
    taxonomy = load_taxonomy()

    def label(concept_id: str) -> str:
        try:
            return taxonomy.label(concept_id, lang=lang)
        except ValueError:  # an id from another taxonomy version: show the id itself
            return concept_id

    def labelled(concepts: list[dict[str, object]]) -> list[dict[str, object]]:
        return [{**c, "label": label(str(c["id"]))} for c in concepts]

    return render(
        request,
        "coach/candidate.html",
        {
            "c": cand,
            "skills": labelled(cand.skills_norm),
            "occupations": labelled(cand.occupations_norm),
            "unknown": cand.unknown_terms,
            "coach": coach_names(session, {cand.coach_id}).get(cand.coach_id or 0),
            "ladder": PARTICIPATIELADDER,
            "percent": percent,
        },
    )
