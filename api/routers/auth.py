"""Log-in: the OAuth2 password flow with short-lived bearer tokens and a refresh token.

The use cases live in ``api.services.users`` (``log_in``, ``refresh_tokens``); a failed log-in
answers 401 and a locked-out account 429 with Retry-After (``api.errors``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import R401, R422, R429, responses
from api.services import users
from models.organisations import LoggedOut, RefreshRequest, TokenPair, User, UserPublic

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/token", response_model=TokenPair, responses=responses(R401, R422, R429))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> TokenPair:
    """Exchange a user name and password for an access and a refresh token (the refresh token
    works once: refreshing gives a new pair)."""
    return users.log_in(
        session=session,
        username=form.username,
        password=form.password,
        settings=settings,
        address=request.client.host if request.client else None,
    )


@router.post("/refresh", response_model=TokenPair, responses=responses(R401, R422))
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Exchange a valid refresh token for a new token pair."""
    return users.refresh_tokens(
        session=session, refresh_token=body.refresh_token, settings=settings
    )


@router.post("/logout", response_model=LoggedOut, responses=responses(R401))
def logout(user: CurrentUser, session: SessionDep) -> LoggedOut:
    """Revoke every access and refresh token of the logged-in user (on every device)."""
    users.log_out(session=session, user=user)
    return LoggedOut()


@router.get("/me", response_model=UserPublic, responses=responses(R401))
def me(user: CurrentUser) -> User:
    """The logged-in user."""
    return user
