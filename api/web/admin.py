"""Administrator pages: the users."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from api.deps import SessionDep
from api.services import users
from api.web.render import render
from api.web.session import AdminPage

router = APIRouter(prefix="/admin")


@router.get("/users")
def user_list(
    request: Request,
    session: SessionDep,
    user: AdminPage,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    """Every user with role and state, one page of at most 100."""
    page = users.list_users(session=session, limit=limit, offset=offset)
    return render(request, "admin/users.html", {"page": page, "limit": limit, "offset": offset})
