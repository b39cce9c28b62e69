"""Log-in, log-out, the language switch and the root URL."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from api.deps import SessionDep, SettingsDep
from api.security import LoginLocked, decode_token
from api.services.users import AuthenticationFailed, log_in, log_out
from api.web.i18n import LANG_COOKIE, LANGS, pick_lang, translator
from api.web.render import lang_of, redirect, render
from api.web.session import (
    CsrfChecked,
    end_session,
    safe_next,
    session_user,
    start_page,
    start_session,
)
from models.organisations import User

router = APIRouter(include_in_schema=False)


@router.get("/")
def root(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """The user's start page when logged in, else the log-in page."""
    user = session_user(request, session, settings)
    return redirect(request, start_page(user) if user is not None else "/login")


@router.get("/login")
def login_page(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    next: str | None = None,
    bye: bool = False,
) -> Response:
    """The log-in form (or straight on to the start page for a logged-in user)."""
    user = session_user(request, session, settings)
    if user is not None:
        return redirect(request, safe_next(next) or start_page(user))
    return render(
        request,
        "auth/login.html",
        {"next": safe_next(next), "bye": bye, "values": {}, "errors": {}, "message": None},
    )


@router.post("/login", dependencies=[CsrfChecked])
def login(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=80)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str | None, Form()] = None,
) -> Response:
    """Check the credentials (the same log-in use case as the API); on success open a session."""
    t = translator(lang_of(request))
    errors: dict[str, str] = {}
    if not username.strip():
        errors["username"] = t("login.required")
    if not password:
        errors["password"] = t("login.required")
    message: str | None = None
    status = 422
    if not errors:
        try:
            pair = log_in(
                session=session,
                username=username.strip(),
                password=password,
                settings=settings,
                address=request.client.host if request.client else None,
            )
        except AuthenticationFailed:
            message, status = t("login.failed"), 401
        except LoginLocked as exc:
            wait = max(1, int((exc.until - datetime.now(UTC)).total_seconds()))
            message, status = t("login.locked", seconds=wait), 429
        else:
            claims = decode_token(pair.access_token, expected="access", settings=settings)
            user = session.get(User, claims.user_id)
            assert user is not None  # log_in just found it
            start_session(request, user, pair.access_token)
            return redirect(request, safe_next(next) or start_page(user))
    return render(
        request,
        "auth/login.html",
        {
            "next": safe_next(next),
            "bye": False,
            "values": {"username": username},
            "errors": errors,
            "message": message,
        },
        status_code=status,
    )


@router.post("/logout", dependencies=[CsrfChecked])
def logout(request: Request, session: SessionDep, settings: SettingsDep) -> Response:
    """End the session and revoke the user's tokens (a copied cookie stops working too); back
    to the log-in page."""
    user = session_user(request, session, settings)
    if user is not None:
        log_out(session=session, user=user)
        request.state.set_session = None  # no renewed cookie for a revoked token
    end_session(request)
    return redirect(request, "/login?bye=1")


@router.get("/lang/{code}")
def switch_language(request: Request, code: str, next: str | None = None) -> Response:
    """Remember the chosen language (a preference cookie) and go back to the page."""
    response = redirect(request, safe_next(next) or "/")
    if code in LANGS:
        response.set_cookie(
            LANG_COOKIE, pick_lang(code), max_age=365 * 24 * 3600, samesite="lax", path="/"
        )
    return response
