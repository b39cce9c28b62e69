"""Who is looking at a page: the session cookie, its sliding renewal, and the CSRF check.

- The session cookie holds a signed access token (``api.security.create_token``), HttpOnly,
  SameSite=Lax, and Secure outside demo mode. While the user works, every page view more than
  a minute into the token's life re-issues it, so the session only ends after
  ``access_token_minutes`` without a request (or at log-out).
- CSRF: a random value in its own HttpOnly cookie; every form carries an HMAC of it under the
  app's secret (``csrf_token`` in the template). A POST whose token does not match is refused
  with 403 before its handler runs, so nothing changes. The value is replaced at log-in.

Cookies are not written here directly: the functions leave them on ``request.state`` and
``api.web.render.finish`` puts them on whatever response the page returns.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import Depends, Request, Response
from sqlmodel import Session

from api.config import Settings
from api.deps import SessionDep, SettingsDep
from api.security import InvalidTokenError, create_token, decode_token
from models.organisations import Role, User

SESSION_COOKIE = "srmatch_session"
CSRF_COOKIE = "srmatch_csrf"
CSRF_FIELD = "csrf_token"
#: a token is re-issued once it is older than this, so a working user is never logged out
RENEW_AFTER = timedelta(minutes=1)

START_PAGES: dict[Role, str] = {
    Role.coach: "/coach/candidates",
    Role.sr_officer: "/sr-officer/dashboard",
    Role.contractor: "/contractor/contracts",
    Role.admin: "/admin/users",
}


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who the page is for, as the layout shows it; a plain copy, usable after a rollback."""

    id: int
    username: str
    full_name: str
    role: Role

    @classmethod
    def of(cls, user: User) -> Viewer:
        assert user.id is not None
        return cls(user.id, user.username, user.full_name, Role(user.role))


class LoginRequired(Exception):
    """No valid session: the page answers with a redirect to the log-in page."""

    def __init__(self, next_path: str, *, expired: bool = False) -> None:
        self.next_path = next_path
        self.expired = expired
        super().__init__(next_path)


class PageForbidden(Exception):
    """A logged-in user whose role may not open this page (403)."""


class CsrfRefused(Exception):
    """A form posted without a matching CSRF token (403; nothing was changed)."""


def start_page(user: User) -> str:
    """Where ``user`` lands after log-in."""
    return START_PAGES.get(Role(user.role), "/login")


def safe_next(value: str | None) -> str | None:
    """A local path to go back to after log-in, or None (never another site).

    >>> safe_next("/coach/candidates?ref=CL"), safe_next("//evil.example/"), safe_next("http://x")
    ('/coach/candidates?ref=CL', None, None)
    """
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return None
    return value


# --- cookies -------------------------------------------------------------------------------


def _secure(settings: Settings) -> bool:
    return not settings.demo_mode


def apply_cookies(request: Request, response: Response) -> Response:
    """Write the cookies this request decided on (session renewal, CSRF value, log-out)."""
    settings: Settings = request.app.state.settings
    state = request.state
    token: str | None = getattr(state, "set_session", None)
    if token is not None:
        response.set_cookie(
            SESSION_COOKIE,
            token,
            max_age=settings.access_token_minutes * 60,
            httponly=True,
            samesite="lax",
            secure=_secure(settings),
            path="/",
        )
    if getattr(state, "clear_session", False):
        response.delete_cookie(
            SESSION_COOKIE, httponly=True, samesite="lax", secure=_secure(settings), path="/"
        )
    csrf: str | None = getattr(state, "set_csrf", None)
    if csrf is not None:
        response.set_cookie(
            CSRF_COOKIE, csrf, httponly=True, samesite="lax", secure=_secure(settings), path="/"
        )
    return response


def start_session(request: Request, user: User, token: str) -> None:
    """Log ``user`` in with the access token the log-in gave, and a fresh CSRF value."""
    request.state.set_session = token
    request.state.set_csrf = secrets.token_urlsafe(32)
    request.state.viewer = Viewer.of(user)


def end_session(request: Request) -> None:
    """Log out: the session cookie is removed and the CSRF value replaced."""
    request.state.clear_session = True
    request.state.set_csrf = secrets.token_urlsafe(32)


# --- CSRF ----------------------------------------------------------------------------------


def _csrf_value(request: Request) -> str:
    pending: str | None = getattr(request.state, "set_csrf", None)
    if pending:
        return pending
    value = request.cookies.get(CSRF_COOKIE)
    if not value or len(value) < 20:
        value = secrets.token_urlsafe(32)
        request.state.set_csrf = value
    return value


def _sign(secret: str, value: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + value.encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token this page's forms carry (an HMAC of the CSRF cookie's value)."""
    settings: Settings = request.app.state.settings
    return _sign(settings.secret_key, _csrf_value(request))


async def check_csrf(request: Request) -> None:
    """Refuse (403) a form whose token does not match this browser's CSRF cookie."""
    settings: Settings = request.app.state.settings
    cookie = request.cookies.get(CSRF_COOKIE)
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not cookie or not isinstance(sent, str) or not sent:
        raise CsrfRefused("missing CSRF token")
    if not hmac.compare_digest(sent, _sign(settings.secret_key, cookie)):
        raise CsrfRefused("CSRF token does not match")


CsrfChecked = Depends(check_csrf)


# --- the user behind the cookie ------------------------------------------------------------


def _here(request: Request) -> str:
    path = request.url.path
    return f"{path}?{request.url.query}" if request.url.query else path


def session_user(request: Request, session: Session, settings: Settings) -> User | None:
    """The active user of a valid session cookie (renewing it when due), else None."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        claims = decode_token(token, expected="access", settings=settings)
    except InvalidTokenError:
        return None
    user = session.get(User, claims.user_id)
    if user is None or not claims.current_for(user):  # logged out or a new password since
        return None
    ttl = timedelta(minutes=settings.access_token_minutes)
    if claims.expires_at - datetime.now(UTC) < ttl - RENEW_AFTER:
        request.state.set_session = create_token(user, typ="access", settings=settings)
    request.state.viewer = Viewer.of(user)
    return user


def page_user(request: Request, session: SessionDep, settings: SettingsDep) -> User:
    """The logged-in user, or a redirect to the log-in page (coming back here afterwards)."""
    user = session_user(request, session, settings)
    if user is None:
        raise LoginRequired(_here(request), expired=SESSION_COOKIE in request.cookies)
    return user


PageUser = Annotated[User, Depends(page_user)]


def page_role(*roles: Role) -> Callable[[User], Awaitable[User]]:
    """Only ``roles`` may open the page (403 page for the others), with their organisation."""
    allowed = frozenset(roles)

    async def guard(user: PageUser) -> User:  # no I/O: no worker thread
        if user.role not in allowed:
            raise PageForbidden(f"role {user.role} may not open this page")
        if user.role in (Role.coach, Role.sr_officer) and user.municipality_id is None:
            raise PageForbidden("user has no municipality")
        if user.role == Role.contractor and user.contractor_id is None:
            raise PageForbidden("user has no contractor")
        return user

    return guard


CoachPage = Annotated[User, Depends(page_role(Role.coach))]
SrOfficerPage = Annotated[User, Depends(page_role(Role.sr_officer))]
ContractorPage = Annotated[User, Depends(page_role(Role.contractor))]
AdminPage = Annotated[User, Depends(page_role(Role.admin))]
