"""Job coach pages: the caseload, the open vacancies and a vacancy's shortlist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from sqlmodel import Session, col, select

from api.deps import MatchingDep, OptionalMatchingDep, RequestId, SessionDep
from api.services import candidates, referrals, vacancies
from api.services.matching import candidate_matches, shortlist_for
from api.services.opportunities import doors_for_candidate
from api.web.charts import euro, percent
from api.web.render import lang_of, redirect, render
from api.web.session import CoachPage, CsrfChecked
from matcher.geo import haversine_km
from matcher.taxonomy import load_taxonomy
from matcher.vocab import BENEFITS, PARTICIPATIELADDER
from models.candidates import Candidate
from models.matching import ShortlistEntryPublic, ShortlistPublic
from models.organisations import User
from models.referrals import ReferralCreate
from models.vacancies import Vacancy, VacancyStatus

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
    matching: OptionalMatchingDep,
) -> Response:
    """One candidate: the profile as entered and as the engine read it (labels, not ids), and
    what it did not understand with its nearest suggestions. 404 outside the municipality."""
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    lang = lang_of(request)
    taxonomy = load_taxonomy()
    # what would open doors: only once the index is loaded (a page never waits for it)
    doors = (
        doors_for_candidate(
            session=session,
            actor=user,
            candidate_id=candidate_id,
            matching=matching,
            lang=lang,
            request_id=request_id,
            audit=False,  # read_candidate audited this request's read of the candidate
        )
        if matching is not None and matching.ready and cand.active
        else None
    )

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
            "doors": doors,
        },
    )


@router.get("/candidates/{candidate_id}/vacancies")
def vacancies_in_reach_page(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: MatchingDep,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
) -> Response:
    """The best open vacancies for one candidate among those the coach can act on, each with
    its score, reasons for and against and a link to its shortlist. 404 outside the
    municipality."""
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    result = candidate_matches(
        session=session,
        actor=user,
        candidate_id=candidate_id,
        matching=matching,
        top=top,
        lang=lang_of(request),
        request_id=request_id,
    )
    return render(
        request, "coach/candidate_vacancies.html", {"c": cand, "result": result, "top": top}
    )


@dataclass(frozen=True)
class ShortlistRow:
    """One shortlist entry with what the coach needs beside the score to decide."""

    entry: ShortlistEntryPublic
    candidate: Candidate
    distance_km: float
    why: list[str]
    coach: str | None
    #: what speaks for and against (the "lacks ..." sentence has its own list, missing skills)
    pro: list[str] = field(default_factory=list)
    con: list[str] = field(default_factory=list)
    #: the message key saying why the coach cannot propose this candidate, or None
    blocked: str | None = None


def shortlist_rows(
    session: Session, user: User, vacancy: Vacancy, result: ShortlistPublic
) -> list[ShortlistRow]:
    """The entries joined with their candidates (already audited by the shortlist use case)."""
    ids = [e.candidate_id for e in result.entries]
    found = (
        {c.id: c for c in session.exec(select(Candidate).where(col(Candidate.id).in_(ids)))}
        if ids
        else {}
    )
    names = coach_names(session, {c.coach_id for c in found.values()})
    rows = []
    for e in result.entries:
        c = found[e.candidate_id]
        km = float(haversine_km(c.lat, c.lon, vacancy.lat, vacancy.lon))
        holder = (
            None if c.coach_id is None else ("" if c.coach_id == user.id else names.get(c.coach_id))
        )
        # the "lacks ..." sentence is shown in its own column, from missing_skills
        lacks = ("mist ", "lacks ")
        why = [r for r in e.reasons if not e.missing_skills or not r.startswith(lacks)]
        con = [r for r in e.reasons_against if not e.missing_skills or not r.startswith(lacks)]
        # the service's proposal state when it gave one (holder, consent), else the row's
        held = holder == "" if e.held_by_me is None else e.held_by_me
        share = c.consent_share if e.consent_share is None else e.consent_share
        blocked = (
            "shortlist.not_yours" if not held else ("shortlist.no_consent" if not share else None)
        )
        rows.append(
            ShortlistRow(
                entry=e,
                candidate=c,
                distance_km=km,
                why=why,
                coach=holder,
                pro=list(e.reasons_for),
                con=con,
                blocked=blocked,
            )
        )
    return rows


@router.get("/vacancies/{vacancy_id}/shortlist")
def shortlist_page(
    request: Request,
    vacancy_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: MatchingDep,
    top: Annotated[int, Query(ge=1, le=100)] = 20,
    excluded: bool = False,
    proposed: int | None = None,
) -> Response:
    """The best candidates of the municipality for a vacancy: score as a bar, reasons, missing
    skills, distance, hours, who holds the candidate and the consent state; on request, who was
    left out and by which rule. 404 for a vacancy out of reach."""
    lang = lang_of(request)
    vacancy = vacancies.read_vacancy(session=session, actor=user, vacancy_id=vacancy_id)
    result = shortlist_for(
        session=session,
        actor=user,
        vacancy_id=vacancy_id,
        matching=matching,
        top=top,
        explain_excluded=excluded,
        lang=lang,
        request_id=request_id,
    )
    return render(
        request,
        "coach/shortlist.html",
        {
            "vacancy": vacancy,
            "result": result,
            "rows": shortlist_rows(session, user, vacancy, result),
            "euro": euro,
            "top": top,
            "excluded": excluded,
            "proposed": candidates.read_candidate(
                session=session, actor=user, candidate_id=proposed, request_id=request_id
            )
            if proposed is not None
            else None,
        },
    )


@router.post("/vacancies/{vacancy_id}/shortlist", dependencies=[CsrfChecked])
def propose_from_shortlist(
    request: Request,
    vacancy_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: OptionalMatchingDep,
    candidate_id: Annotated[int, Form()],
    shortlist_rank: Annotated[int | None, Form(ge=1)] = None,
    shortlist_score: Annotated[float | None, Form()] = None,
) -> Response:
    """Propose a candidate the coach holds for this vacancy (the API's propose use case), then
    back to the shortlist, which no longer lists the candidate."""
    referral = referrals.propose_referral(
        session=session,
        actor=user,
        body=ReferralCreate(
            candidate_id=candidate_id,
            vacancy_id=vacancy_id,
            shortlist_rank=shortlist_rank,
            shortlist_score=shortlist_score,
        ),
        request_id=request_id,
        matching=matching,
    )
    return redirect(
        request, f"/coach/vacancies/{vacancy_id}/shortlist?proposed={referral.candidate_id}"
    )
