"""Contractor pages: the firm's vacancies (post, edit, with a live preview of how the engine
reads the title, skills and licences) and the proposals received, anonymised.

Posting and editing call ``services.vacancies`` (the API's use cases); the preview calls
``services.profiles.vacancy_norm_fields``, the very reading a saved vacancy gets; proposals come
from ``services.disclosure`` (anonymous until a consented introduction, audited).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import OptionalMatchingDep, RequestId, SessionDep
from api.services import contracts, disclosure, referrals, vacancies
from api.services.errors import ConflictError, FieldError, StaleVersionError
from api.services.profiles import vacancy_norm_fields
from api.web.forms import PageAnswer, field_texts, form_version, split_list
from api.web.i18n import translator
from api.web.render import lang_of, redirect, render
from api.web.session import ContractorPage, CsrfChecked
from matcher.normalize import licence_of_skill
from matcher.taxonomy import load_taxonomy
from matcher.vocab import DRIVING_LICENCES, REJECTION_REASONS
from models.organisations import User
from models.referrals import ContractorRejection, InterviewInvitation, IntroductionRequest
from models.vacancies import Vacancy, VacancyCreate, VacancyUpdate

router = APIRouter(prefix="/contractor")

PageSize = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]
#: the form's fields, all text as typed
FIELDS = (
    "ref",
    "title",
    "contract_id",
    "postcode",
    "hours_per_week",
    "positions",
    "start_date",
    "required_skills",
    "optional_skills",
    "description",
    "education_min",
    "dutch_level_min",
    "driving_licence",
)
LISTS = ("required_skills", "optional_skills")


def form_values(vacancy: Vacancy | None) -> dict[str, str]:
    """The form's text for a vacancy (empty for a new one)."""
    if vacancy is None:
        return dict.fromkeys(FIELDS, "") | {"positions": "1"}
    return field_texts(vacancy, FIELDS, LISTS)


def parse_form(values: dict[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """The typed fields from the form's text, and an error per field that is not a number or
    date where one is needed (in the page's words, filled in by the caller)."""
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        text = values.get(name, "").strip()
        if name in LISTS:
            data[name] = split_list(values.get(name, ""))
        elif name in ("hours_per_week",):
            try:
                data[name] = float(text.replace(",", ".")) if text else None
            except ValueError:
                errors[name] = "number"
        elif name in ("positions", "contract_id"):
            if text and not text.isdigit():
                errors[name] = "whole"
            data[name] = int(text) if text.isdigit() else None
        elif name == "start_date":
            try:
                data[name] = dt.date.fromisoformat(text) if text else None
            except ValueError:
                errors[name] = "date"
        else:
            data[name] = text or None
    return data, errors


def _messages(errors: dict[str, str], t: Any) -> dict[str, str]:
    keys = {"number": "vacancy.err.number", "whole": "vacancy.err.whole", "date": "audit.bad_date"}
    return {k: t(keys[v]) if v in keys else v for k, v in errors.items()}


def _validation_errors(exc: ValidationError) -> dict[str, str]:
    out: dict[str, str] = {}
    for err in exc.errors():
        field = str(err["loc"][0]) if err["loc"] else "_form"
        out.setdefault(field if field in FIELDS else "_form", err["msg"])
    return out


def own_contracts(session: Session, user: User) -> list[tuple[str, str]]:
    """The contractor's contracts (for the form's list)."""
    page = contracts.list_contracts(session=session, actor=user, limit=100, offset=0)
    return [(str(c.id), f"{c.ref}" + (f" – {c.title}" if c.title else "")) for c in page.data]


def _form_page(
    request: Request,
    session: Session,
    user: User,
    *,
    vacancy: Vacancy | None,
    values: dict[str, str],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    saved: bool = False,
) -> Response:
    return render(
        request,
        "contractor/vacancy_form.html",
        {
            "vacancy": vacancy,
            "values": values,
            "errors": errors or {},
            "contracts": own_contracts(session, user),
            "licences": list(DRIVING_LICENCES),
            "preview": reading(values, lang_of(request)),
            "saved": saved,
        },
        status_code=status_code,
    )


def reading(values: dict[str, str], lang: str) -> dict[str, Any]:
    """How the engine reads the form as it stands: occupation, required and optional skills,
    licences (skills of the licence kind) and what it did not understand; or why it cannot."""
    data, _ = parse_form(values)
    if not (data.get("title") and data.get("postcode")):
        return {"ready": False}
    raw = {
        "title": data["title"],
        "postcode": data["postcode"],
        "description": data.get("description"),
        "required_skills": data["required_skills"],
        "optional_skills": data["optional_skills"],
        "education_min": data.get("education_min"),
        "dutch_level_min": data.get("dutch_level_min"),
        "driving_licence": data.get("driving_licence"),
        "eligible_benefits": [],
        "eligible_target_groups": [],
    }
    try:
        norm = vacancy_norm_fields(raw)
    except FieldError as exc:
        return {"ready": True, "error": exc.message, "field": exc.field}
    taxonomy = load_taxonomy()

    def label(concept_id: str) -> str:
        try:
            return taxonomy.label(concept_id, lang=lang)
        except ValueError:
            return concept_id

    def concepts(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**c, "label": label(str(c["id"]))} for c in items]

    required = concepts(norm["required_norm"])
    licences = [{**c, "code": code} for c in required if (code := licence_of_skill(str(c["id"])))]
    licence_ids = {c["id"] for c in licences}
    occupation = norm["occupation_norm"]
    return {
        "ready": True,
        "error": None,
        "occupation": {**occupation, "label": label(occupation["id"])} if occupation else None,
        "required": [c for c in required if c["id"] not in licence_ids],
        "optional": concepts(norm["optional_norm"]),
        "licences": licences,
        "licence": norm["driving_licence"],
        "unknown": norm["unknown_terms"],
    }


# --- list ------------------------------------------------------------------------------------


@router.get("/vacancies")
def vacancy_list(
    request: Request,
    session: SessionDep,
    user: ContractorPage,
    limit: PageSize = 25,
    offset: Offset = 0,
) -> Response:
    """The firm's vacancies, with links to edit each and to post a new one."""
    page = vacancies.list_vacancies(session=session, actor=user, limit=limit, offset=offset)
    return render(
        request, "contractor/vacancies.html", {"page": page, "limit": limit, "offset": offset}
    )


@router.get("/vacancies/preview")
def vacancy_preview(request: Request, user: ContractorPage) -> Response:
    """The preview alone (htmx re-renders it while the contractor types)."""
    values = {name: request.query_params.get(name, "") for name in FIELDS}
    return render(
        request,
        "contractor/_vacancy_preview.html",
        {"preview": reading(values, lang_of(request))},
    )


# --- post ------------------------------------------------------------------------------------


@router.get("/vacancies/new")
def new_vacancy_form(request: Request, session: SessionDep, user: ContractorPage) -> Response:
    """The form for a new vacancy, with the preview beside it."""
    return _form_page(request, session, user, vacancy=None, values=form_values(None))


async def _form_text(request: Request) -> dict[str, str]:
    form = await request.form()
    return {name: str(form.get(name) or "") for name in FIELDS}


@router.post("/vacancies/new", dependencies=[CsrfChecked])
async def post_vacancy(
    request: Request,
    session: SessionDep,
    user: ContractorPage,
    matching: OptionalMatchingDep,
) -> Response:
    """Post the vacancy (``services.vacancies.create_vacancy``), then on to its page."""
    values = await _form_text(request)
    t = translator(lang_of(request))
    data, errors = parse_form(values)
    try:
        body = VacancyCreate.model_validate(data) if not errors else None
    except ValidationError as exc:
        body, errors = None, _validation_errors(exc)
    if body is None:
        raise PageAnswer(
            _form_page(
                request,
                session,
                user,
                vacancy=None,
                values=values,
                errors=_messages(errors, t),
                status_code=422,
            )
        )
    try:
        created = vacancies.create_vacancy(
            session=session, actor=user, body=body, matching=matching
        )
    except (FieldError, ConflictError) as exc:
        errors = (
            {exc.field if exc.field in FIELDS else "_form": exc.message}
            if isinstance(exc, FieldError)
            else {"ref": t("vacancy.err.ref_taken")}
        )
        status = 422 if isinstance(exc, FieldError) else 409
        page = _form_page(
            request, session, user, vacancy=None, values=values, errors=errors, status_code=status
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/contractor/vacancies/{created.id}?saved=1")


# --- edit ------------------------------------------------------------------------------------


@router.get("/vacancies/{vacancy_id}")
def vacancy_page(
    request: Request,
    vacancy_id: int,
    session: SessionDep,
    user: ContractorPage,
    saved: bool = False,
) -> Response:
    """One of the firm's vacancies in its form, with how it is read (404 for another's)."""
    found = vacancies.read_vacancy(session=session, actor=user, vacancy_id=vacancy_id)
    return _form_page(request, session, user, vacancy=found, values=form_values(found), saved=saved)


@router.post("/vacancies/{vacancy_id}", dependencies=[CsrfChecked])
async def edit_vacancy(
    request: Request,
    vacancy_id: int,
    session: SessionDep,
    user: ContractorPage,
    matching: OptionalMatchingDep,
) -> Response:
    """Save the changes (``services.vacancies.update_vacancy``); the reading is recomputed."""
    found = vacancies.read_vacancy(session=session, actor=user, vacancy_id=vacancy_id)
    values = await _form_text(request)
    version = form_version((await request.form()).get("version"))
    values["ref"] = found.ref  # the reference is not edited
    values["contract_id"] = "" if found.contract_id is None else str(found.contract_id)
    t = translator(lang_of(request))
    data, errors = parse_form(values)
    changes = {k: v for k, v in data.items() if k not in ("ref", "contract_id")}
    try:
        body = VacancyUpdate.model_validate(changes) if not errors else None
    except ValidationError as exc:
        body, errors = None, _validation_errors(exc)
    try:
        if body is None:
            raise FieldError("_form", None, "")
        vacancies.update_vacancy(
            session=session,
            actor=user,
            vacancy_id=vacancy_id,
            changes=body,
            matching=matching,
            expected_version=version,
        )
    except FieldError as exc:
        if isinstance(exc, StaleVersionError):
            errors = {"_form": t("errors.stale", expected=exc.expected, current=exc.current)}
        elif body is not None:
            errors = {exc.field if exc.field in FIELDS else "_form": exc.message}
        page = _form_page(
            request,
            session,
            user,
            vacancy=found,
            values=values,
            errors=_messages(errors, t),
            status_code=422,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/contractor/vacancies/{vacancy_id}?saved=1")


# --- proposals -------------------------------------------------------------------------------


@router.get("/proposals")
def proposals(
    request: Request,
    session: SessionDep,
    user: ContractorPage,
    request_id: RequestId,
    limit: PageSize = 25,
    offset: Offset = 0,
    saved: int | None = None,
) -> Response:
    """The candidates proposed for the firm's vacancies: anonymous until a coach introduced
    one with consent (``services.disclosure``, audited per candidate), with what the firm can
    do on each: ask for an introduction, invite to an interview, reject with a reason."""
    return _proposals_page(
        request, session, user, request_id, limit=limit, offset=offset, saved=saved
    )


def _proposals_page(
    request: Request,
    session: Session,
    user: User,
    request_id: str,
    *,
    limit: int = 25,
    offset: int = 0,
    saved: int | None = None,
    errors: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    page = disclosure.list_contractor_referrals(
        session=session, actor=user, request_id=request_id, limit=limit, offset=offset
    )
    titles = {
        v.id: f"{v.ref} – {v.title}"
        for v in vacancies.list_vacancies(session=session, actor=user, limit=100, offset=0).data
    }
    return render(
        request,
        "contractor/proposals.html",
        {
            "page": page,
            "titles": titles,
            "limit": limit,
            "offset": offset,
            "saved": saved,
            "errors": errors or {},
            "reject_reasons": REJECTION_REASONS,
        },
        status_code=status_code,
    )


@router.post("/proposals/{referral_id}", dependencies=[CsrfChecked])
def act_on_proposal(
    request: Request,
    session: SessionDep,
    user: ContractorPage,
    request_id: RequestId,
    matching: OptionalMatchingDep,
    referral_id: int,
    action: Annotated[str, Form(pattern="^(request_introduction|invite|reject)$")],
    reason_code: Annotated[str, Form(max_length=30)] = "",
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Ask for an introduction, invite to an interview or reject (``services.referrals``); a
    refusal re-renders the page with the reason on the row."""
    try:
        if action == "request_introduction":
            referrals.request_introduction(
                session=session,
                actor=user,
                referral_id=referral_id,
                body=IntroductionRequest(note=reason.strip() or None),
                request_id=request_id,
            )
        elif action == "invite":
            referrals.invite_to_interview(
                session=session,
                actor=user,
                referral_id=referral_id,
                body=InterviewInvitation(note=reason.strip() or None),
                request_id=request_id,
                matching=matching,
            )
        else:
            referrals.reject_proposal(
                session=session,
                actor=user,
                referral_id=referral_id,
                body=ContractorRejection(reason_code=reason_code, reason=reason.strip() or None),
                request_id=request_id,
                matching=matching,
            )
    except (FieldError, ConflictError) as exc:
        page = _proposals_page(
            request,
            session,
            user,
            request_id,
            errors={referral_id: exc.message if isinstance(exc, FieldError) else str(exc)},
            status_code=422 if isinstance(exc, FieldError) else 409,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/contractor/proposals?saved={referral_id}")
