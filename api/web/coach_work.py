"""Job coach work pages: edit a candidate (what the engine did not understand, with its
suggestions one click away) and the referral board with only the moves the workflow allows.

Saving calls ``services.candidates.update_candidate``; moving a referral calls
``services.referrals.move_referral`` (its ``TRANSITIONS`` table decides the buttons shown).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from api.deps import OptionalMatchingDep, RequestId, SessionDep
from api.services import candidates, referrals
from api.services.errors import ConflictError, FieldError, StaleVersionError
from api.web.forms import PageAnswer, field_texts, form_version, split_list
from api.web.i18n import translator
from api.web.render import lang_of, redirect, render
from api.web.session import CoachPage, CsrfChecked
from matcher.vocab import BENEFITS, CONSENT_METHODS
from models.candidates import Candidate, CandidateUpdate
from models.organisations import User
from models.referrals import ConsentCreate, ConsentWithdrawal, ReferralTransition
from models.vacancies import Vacancy

router = APIRouter(prefix="/coach")

#: the edit form's fields, as text
FIELDS = (
    "postcode",
    "benefit",
    "ladder_step",
    "education",
    "skills",
    "occupations",
    "dutch_level",
    "driving_licences",
    "hours_per_week",
    "max_travel_km",
    "available_from",
)
LISTS = ("skills", "occupations", "driving_licences")
NUMBERS = ("hours_per_week", "max_travel_km")
BOARD = ("proposed", "introduced", "interviewed", "hired", "rejected", "withdrawn")
PER_COLUMN = 15  # six columns: never more than 90 cards on the board


def candidate_values(c: Candidate) -> dict[str, str]:
    out = field_texts(c, FIELDS, LISTS)
    out["consent_share"] = "true" if c.consent_share else ""
    return out


def parse_candidate(values: dict[str, str], t: Any) -> tuple[dict[str, Any], dict[str, str]]:
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        text = values.get(name, "").strip()
        if name in LISTS:
            data[name] = split_list(values.get(name, ""))
        elif name in NUMBERS:
            try:
                data[name] = float(text.replace(",", ".")) if text else None
            except ValueError:
                errors[name] = t("vacancy.err.number")
        elif name == "ladder_step":
            if text and not text.isdigit():
                errors[name] = t("vacancy.err.whole")
            data[name] = int(text) if text.isdigit() else None
        elif name == "available_from":
            try:
                data[name] = dt.date.fromisoformat(text) if text else None
            except ValueError:
                errors[name] = t("audit.bad_date")
        else:
            data[name] = text or None
    data["consent_share"] = values.get("consent_share") == "true"
    # a field left empty that the service needs keeps its value (postcode, hours, benefit)
    for required in ("postcode", "benefit", "hours_per_week", "max_travel_km"):
        if data.get(required) is None:
            data.pop(required, None)
    return data, errors


def _edit_page(
    request: Request,
    cand: Candidate,
    *,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "coach/candidate_edit.html",
        {
            "c": cand,
            "values": values,
            "errors": errors or {},
            "unknown": cand.unknown_terms,
            "benefits": list(BENEFITS),
            "saved": saved,
        },
        status_code=status_code,
    )


@router.get("/candidates/{candidate_id}/edit")
def edit_candidate_form(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    saved: bool = False,
) -> Response:
    """The candidate's profile as a form; what was not understood with its suggestions."""
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    return _edit_page(request, cand, values=candidate_values(cand), saved=saved)


@router.post("/candidates/{candidate_id}/edit", dependencies=[CsrfChecked])
async def edit_candidate(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: OptionalMatchingDep,
) -> Response:
    """Save the form, or take one suggestion for a term that was not understood (the term is
    replaced by the suggestion's label in its list); then back to the form."""
    t = translator(lang_of(request))
    form = await request.form()
    cand = candidates.read_candidate(
        session=session, actor=user, candidate_id=candidate_id, request_id=request_id
    )
    changes: dict[str, Any]
    errors: dict[str, str] = {}
    if form.get("action") == "suggestion":
        field, text, label = (str(form.get(k) or "") for k in ("field", "text", "label"))
        if field not in ("skills", "occupations") or not label:
            raise FieldError("field", field, "a suggestion replaces a skill or an occupation")
        current: list[str] = list(getattr(cand, field) or [])
        changes = {field: [label if item == text else item for item in current]}
        if label not in changes[field]:
            changes[field].append(label)
        values = candidate_values(cand)
    else:
        values = {name: str(form.get(name) or "") for name in (*FIELDS, "consent_share")}
        changes, errors = parse_candidate(values, t)
    body: CandidateUpdate | None = None
    if not errors:
        try:
            body = CandidateUpdate.model_validate(changes)
        except ValidationError as exc:
            for err in exc.errors():
                name = str(err["loc"][0]) if err["loc"] else "_form"
                errors.setdefault(name if name in FIELDS else "_form", err["msg"])
    try:
        if body is None:
            raise FieldError("_form", None, "")
        candidates.update_candidate(
            session=session,
            actor=user,
            candidate_id=candidate_id,
            changes=body,
            request_id=request_id,
            matching=matching,
            expected_version=form_version(form.get("version")),
        )
    except FieldError as exc:
        if isinstance(exc, StaleVersionError):
            errors = {"_form": t("errors.stale", expected=exc.expected, current=exc.current)}
        elif body is not None:
            errors = {exc.field if exc.field in FIELDS else "_form": exc.message}
        raise PageAnswer(
            _edit_page(request, cand, values=values, errors=errors, status_code=422)
        ) from exc
    return redirect(request, f"/coach/candidates/{candidate_id}/edit?saved=1")


# --- the referral board ----------------------------------------------------------------------


def _cards(session: Session, user: User, request_id: str) -> dict[str, Any]:
    columns: dict[str, Any] = {}
    for status in BOARD:
        page = referrals.list_referrals(
            session=session, actor=user, request_id=request_id, status=status, limit=PER_COLUMN
        )
        columns[status] = page
    shown = [r for page in columns.values() for r in page.data]
    cand_ids = sorted({r.candidate_id for r in shown})
    vac_ids = sorted({r.vacancy_id for r in shown})
    held = {
        cid: (ref, coach_id)
        for cid, ref, coach_id in session.exec(
            select(Candidate.id, Candidate.ref, Candidate.coach_id).where(
                col(Candidate.id).in_(cand_ids)
            )
        ).all()
    }
    titles = {
        vid: f"{ref} – {title}"
        for vid, ref, title in session.exec(
            select(Vacancy.id, Vacancy.ref, Vacancy.title).where(col(Vacancy.id).in_(vac_ids))
        ).all()
    }
    return {
        "columns": columns,
        "refs": {cid: ref for cid, (ref, _) in held.items()},
        "mine": {cid for cid, (_, coach) in held.items() if coach == user.id},
        "titles": titles,
        "moves": {s: sorted(referrals.TRANSITIONS[s], key=BOARD.index) for s in BOARD},
        "needs_reason": referrals.NEEDS_REASON,
        "board": BOARD,
        "consent_methods": CONSENT_METHODS,
        # the contractor's actions on each referral, newest last (the coach sees them on the card)
        "contractor_acts": {
            r.id: [h for h in r.history if h.by_role == "contractor"] for r in shown
        },
    }


def _board_page(
    request: Request,
    session: Session,
    user: User,
    request_id: str,
    *,
    errors: dict[int, str] | None = None,
    moved: int | None = None,
    status_code: int = 200,
) -> Response:
    context = _cards(session, user, request_id)
    context.update({"errors": errors or {}, "moved": moved})
    return render(request, "coach/referrals.html", context, status_code=status_code)


@router.get("/referrals")
def referral_board(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    moved: int | None = None,
) -> Response:
    """The municipality's referrals by stage; the coach moves those of candidates they hold."""
    return _board_page(request, session, user, request_id, moved=moved)


@router.post("/referrals", dependencies=[CsrfChecked])
def move(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    matching: OptionalMatchingDep,
    referral_id: Annotated[int, Form()],
    status: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=1000)] = "",
    consent_confirmed: Annotated[bool, Form()] = False,
    consent_method: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Move a referral to a status the table allows (a reason to end it without a hire; how the
    candidate consented when introducing)."""
    try:
        referrals.move_referral(
            session=session,
            actor=user,
            referral_id=referral_id,
            body=ReferralTransition(
                status=status,
                reason=reason.strip() or None,
                consent_confirmed=consent_confirmed,
                consent_method=consent_method.strip() or None,
            ),
            request_id=request_id,
            matching=matching,
        )
    except FieldError as exc:
        page = _board_page(
            request,
            session,
            user,
            request_id,
            errors={referral_id: exc.message},
            status_code=422,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/coach/referrals?moved={referral_id}")


@router.post("/referrals/consent", dependencies=[CsrfChecked])
def consent(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    referral_id: Annotated[int, Form()],
    action: Annotated[str, Form(pattern="^(record|withdraw)$")],
    method: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Record how the candidate consented to the introduction for this referral, or withdraw
    that consent (the contractor no longer sees who the person is)."""
    try:
        if action == "record":
            referrals.record_consent(
                session=session,
                actor=user,
                referral_id=referral_id,
                body=ConsentCreate(method=method),
                request_id=request_id,
            )
        else:
            referrals.withdraw_consent(
                session=session,
                actor=user,
                referral_id=referral_id,
                body=ConsentWithdrawal(reason=reason.strip() or None),
                request_id=request_id,
            )
    except (FieldError, ConflictError) as exc:
        page = _board_page(
            request,
            session,
            user,
            request_id,
            errors={referral_id: exc.message if isinstance(exc, FieldError) else str(exc)},
            status_code=422 if isinstance(exc, FieldError) else 409,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/coach/referrals?moved={referral_id}")
