"""Responsible-matching pages (issue 14): the fairness audit (SR officers and admins), the model
card and algorithm-register entry (SR officers and admins), the fairness-gate override (admins,
from the training page) and a coach's record of overruling a served shortlist.

Each handler calls the same use case as the API (``api.services.fairness``,
``api.services.model_card``) and renders; forms carry the CSRF token and re-render with the
message when the service refuses.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlmodel import Session, col, select

from api.deps import RequestId, SessionDep, SettingsDep
from api.services import fairness, model_card
from api.services.access import get_vacancy_for
from api.services.errors import ConflictError, FieldError
from api.web.forms import PageAnswer
from api.web.render import redirect, render, templates
from api.web.session import AdminPage, CoachPage, CsrfChecked, SrOfficerPage
from matcher.fairness import DIMENSIONS
from matcher.vocab import OVERSIGHT_REASONS
from models import Candidate, ModelVersion
from models.fairness import OversightCreate
from models.organisations import User

router = APIRouter()
# the coach's shortlist page (another module) draws the override forms from the partials
templates.env.globals["oversight_reasons"] = OVERSIGHT_REASONS

ModelFilter = Annotated[str | None, Query(max_length=40)]


def _versions(session: Session) -> list[str]:
    return list(
        session.exec(
            select(ModelVersion.version).order_by(col(ModelVersion.created_at).desc())
        ).all()
    )


def _fairness_page(
    request: Request, session: Session, user: User, settings: Any, model: str | None, rid: str
) -> Response:
    audit = fairness.fairness_audit(
        session=session,
        actor=user,
        model_version=model or None,
        floor=settings.fairness_floor,
        request_id=rid,
    )
    by_version: dict[str, dict[str, list[Any]]] = {}
    for r in audit.data:
        by_version.setdefault(r.model_version, {}).setdefault(r.dimension, []).append(r)
    return render(
        request,
        "sr_officer/fairness.html",
        {
            "audit": audit,
            "tables": by_version,
            "dimensions": DIMENSIONS,
            "model": model or "",
            "versions": ["baseline", *_versions(session)],
            "card_base": "/admin/model-cards/"
            if user.role == "admin"
            else "/sr-officer/model-cards/",
        },
    )


@router.get("/sr-officer/fairness")
def sr_fairness(
    request: Request,
    session: SessionDep,
    user: SrOfficerPage,
    settings: SettingsDep,
    request_id: RequestId,
    model: ModelFilter = None,
) -> Response:
    """The fairness audit of the shortlists served in the officer's municipality."""
    return _fairness_page(request, session, user, settings, model, request_id)


@router.get("/admin/fairness")
def admin_fairness(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    settings: SettingsDep,
    request_id: RequestId,
    model: ModelFilter = None,
) -> Response:
    """The fairness audit of every shortlist served."""
    return _fairness_page(request, session, user, settings, model, request_id)


def _card_page(
    request: Request, session: Session, settings: Any, version: str, fmt: str | None
) -> Response:
    card = model_card.model_card(session=session, version=version, settings=settings)
    if fmt == "md":
        return PlainTextResponse(
            card.markdown,
            media_type="text/markdown; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="modelkaart-{version}.md"'},
        )
    if fmt == "json":
        return JSONResponse(
            {"card": card.card, "register": card.register_entry},
            headers={
                "Content-Disposition": f'attachment; filename="algoritmeregister-{version}.json"'
            },
        )
    return render(request, "sr_officer/model_card.html", {"card": card})


CardFormat = Annotated[str | None, Query(pattern="^(md|json)$")]


@router.get("/sr-officer/model-cards/{version}")
def sr_model_card(
    request: Request,
    session: SessionDep,
    user: SrOfficerPage,
    settings: SettingsDep,
    version: str,
    format: CardFormat = None,
) -> Response:
    """A ranker version's model card and register entry (Markdown and JSON downloads)."""
    return _card_page(request, session, settings, version, format)


@router.get("/admin/model-cards/{version}")
def admin_model_card(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    settings: SettingsDep,
    version: str,
    format: CardFormat = None,
) -> Response:
    """A ranker version's model card and register entry (Markdown and JSON downloads)."""
    return _card_page(request, session, settings, version, format)


@router.get("/admin/model-cards/{version}/override")
def override_form(
    request: Request, session: SessionDep, user: AdminPage, settings: SettingsDep, version: str
) -> Response:
    """The form to serve a version the fairness gate held back, with the card beside it."""
    card = model_card.model_card(session=session, version=version, settings=settings)
    return render(
        request, "sr_officer/model_card.html", {"card": card, "override": True, "errors": {}}
    )


@router.post("/admin/model-cards/{version}/override", dependencies=[CsrfChecked])
def override_post(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    settings: SettingsDep,
    request_id: RequestId,
    version: str,
    reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Serve the held-back version; the reason goes on the version and in the audit trail."""
    try:
        fairness.override_fairness(
            session=session,
            actor=user,
            version=version,
            reason=reason,
            request_id=request_id,
            matching=getattr(request.app.state, "matching", None),
        )
    except (FieldError, ConflictError) as exc:
        card = model_card.model_card(session=session, version=version, settings=settings)
        message = exc.message if isinstance(exc, FieldError) else str(exc)
        page = render(
            request,
            "sr_officer/model_card.html",
            {"card": card, "override": True, "errors": {"reason": message}, "reason": reason},
            status_code=422 if isinstance(exc, FieldError) else 409,
        )
        raise PageAnswer(page) from exc
    return redirect(request, "/admin/training")


# --- a coach overrules the served shortlist ----------------------------------------------------


def _oversight_page(
    request: Request,
    session: Session,
    user: User,
    vacancy_id: int,
    rid: str,
    *,
    errors: dict[str, str] | None = None,
    form: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:

    vacancy = get_vacancy_for(session=session, user=user, vacancy_id=vacancy_id)
    listed = fairness.list_oversight(
        session=session, actor=user, vacancy_id=vacancy_id, request_id=rid
    )
    refs = dict(
        session.exec(
            select(Candidate.id, Candidate.ref).where(
                col(Candidate.id).in_([d.candidate_id for d in listed.data] or [-1])
            )
        ).all()
    )
    return render(
        request,
        "coach/oversight.html",
        {
            "vacancy": vacancy,
            "decisions": listed.data,
            "refs": refs,
            "errors": errors or {},
            "form": form or {},
        },
        status_code=status_code,
    )


@router.get("/coach/vacancies/{vacancy_id}/oversight")
def oversight_page(
    request: Request, session: SessionDep, user: CoachPage, request_id: RequestId, vacancy_id: int
) -> Response:
    """The coach's overrides of the shortlists served for a vacancy, with the add form."""
    return _oversight_page(request, session, user, vacancy_id, request_id)


@router.post("/coach/vacancies/{vacancy_id}/oversight", dependencies=[CsrfChecked])
def oversight_post(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    vacancy_id: int,
    kind: Annotated[str, Form(max_length=20)],
    reason: Annotated[str, Form(max_length=40)],
    note: Annotated[str, Form(max_length=1000)] = "",
    candidate_id: Annotated[int | None, Form()] = None,
    candidate_ref: Annotated[str, Form(max_length=80)] = "",
) -> Response:
    """Record a set-aside (from a shortlist entry) or an added candidate (by reference)."""
    form = {"kind": kind, "reason": reason, "note": note, "candidate_ref": candidate_ref}
    try:
        if candidate_id is None:
            ref = candidate_ref.strip()
            found = session.exec(
                select(Candidate.id).where(
                    Candidate.ref == ref, Candidate.municipality_id == user.municipality_id
                )
            ).first()
            if found is None:
                raise FieldError(
                    "candidate_ref", ref, "is not the reference of a candidate you can see"
                )
            candidate_id = found
        fairness.record_oversight(
            session=session,
            actor=user,
            vacancy_id=vacancy_id,
            body=OversightCreate(
                candidate_id=candidate_id, kind=kind, reason=reason, note=note or None
            ),
            request_id=request_id,
        )
    except (FieldError, ConflictError) as exc:
        field = exc.field if isinstance(exc, FieldError) else "_form"
        if field == "candidate_id":
            field = "candidate_ref"
        message = exc.message if isinstance(exc, FieldError) else str(exc)
        page = _oversight_page(
            request,
            session,
            user,
            vacancy_id,
            request_id,
            errors={field: message},
            form=form,
            status_code=422 if isinstance(exc, FieldError) else 409,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/coach/vacancies/{vacancy_id}/oversight?saved=1")
