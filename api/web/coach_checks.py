"""Coach pages: the durability follow-ups due (which candidate, which placement, which
milestone 3/6/12, due since when), recording one, and recording that a placement ended.

The list is ``services.durability.due_checks`` (audited per candidate shown), a recorded check
``services.durability.record_check`` (audited): the same use cases as
``GET /api/v1/coach/placements/checks-due`` and ``POST .../checks``; a placement's end is
``services.durability.end_placement`` (``PATCH /api/v1/coach/placements/{id}``). A refused
check or end re-renders the list with the message next to its row.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from api.deps import RequestId, SessionDep
from api.services import durability
from api.services.errors import FieldError
from api.web.forms import PageAnswer
from api.web.render import redirect, render
from api.web.session import CoachPage, CsrfChecked
from models.organisations import User
from models.placements import DurabilityCheckCreate, PlacementEnd

router = APIRouter(prefix="/coach")

PageSize = Annotated[int, Query(ge=1, le=100)]
Offset = Annotated[int, Query(ge=0)]


def _page(
    request: Request,
    session: Session,
    user: User,
    *,
    request_id: str | None,
    limit: int,
    offset: int,
    saved: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    page = durability.due_checks(
        session=session, actor=user, request_id=request_id, limit=limit, offset=offset
    )
    return render(
        request,
        "coach/checks.html",
        {
            "page": page,
            "limit": limit,
            "offset": offset,
            "today": dt.date.today(),
            "saved": saved,
            "errors": errors or {},
            "values": values or {},
        },
        status_code=status_code,
    )


@router.get("/checks")
def checks_due(
    request: Request,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
    limit: PageSize = 25,
    offset: Offset = 0,
    saved: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """The follow-ups due for the placements of the municipality's candidates, oldest first."""
    return _page(
        request, session, user, request_id=request_id, limit=limit, offset=offset, saved=saved
    )


def _yes(form: Any, name: str) -> bool | None:
    value = str(form.get(name) or "")
    return {"yes": True, "no": False}.get(value)


@router.post("/checks/{placement_id}", dependencies=[CsrfChecked])
async def record_check(
    request: Request,
    placement_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
) -> Response:
    """Record one follow-up of a placement (``services.durability.record_check``)."""
    form = await request.form()
    key = f"{placement_id}-{form.get('months')}"
    values = {
        "months": str(form.get("months") or ""),
        "checked_on": str(form.get("checked_on") or ""),
        "still_employed": _yes(form, "still_employed"),
        "off_benefit": _yes(form, "off_benefit"),
    }
    try:
        try:
            body = DurabilityCheckCreate.model_validate(values)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = str(first["loc"][0]) if first["loc"] else "_form"
            raise FieldError(field, first.get("input"), first["msg"]) from exc
        durability.record_check(
            session=session,
            actor=user,
            placement_id=placement_id,
            body=body,
            request_id=request_id,
        )
    except FieldError as exc:
        page = _page(
            request,
            session,
            user,
            request_id=request_id,
            limit=25,
            offset=0,
            errors={key: f"{exc.field}: {exc.message}"},
            values={key: values},
            status_code=422,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/coach/checks?saved={key}")


@router.post("/placements/{placement_id}/end", dependencies=[CsrfChecked])
async def end_placement(
    request: Request,
    placement_id: int,
    session: SessionDep,
    user: CoachPage,
    request_id: RequestId,
) -> Response:
    """Record the day a placement ended (``services.durability.end_placement``, audited)."""
    form = await request.form()
    key = f"end-{placement_id}"
    text = str(form.get("end_date") or "")
    try:
        try:
            body = PlacementEnd.model_validate({"end_date": text or None})
        except ValidationError as exc:
            first = exc.errors()[0]
            raise FieldError("end_date", text, first["msg"]) from exc
        durability.end_placement(
            session=session,
            actor=user,
            placement_id=placement_id,
            body=body,
            request_id=request_id,
        )
    except FieldError as exc:
        page = _page(
            request,
            session,
            user,
            request_id=request_id,
            limit=25,
            offset=0,
            errors={key: f"{exc.field}: {exc.message}"},
            values={key: {"end_date": text}},
            status_code=422,
        )
        raise PageAnswer(page) from exc
    return redirect(request, f"/coach/checks?saved={key}")
