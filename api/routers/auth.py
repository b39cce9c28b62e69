"""Log-in: the OAuth2 password flow with short-lived bearer tokens and a refresh token."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, status
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import CurrentUser, SessionDep, SettingsDep
from api.errors import R401, R422, R429, responses
from api.security import InvalidTokenError, LoginLocked, authenticate, create_token, decode_token
from models.api_schemas import RefreshRequest, TokenPair
from models.organisations import User, UserPublic

router = APIRouter(prefix="/auth", tags=["auth"])


def _pair(user: User, settings: SettingsDep) -> TokenPair:
    return TokenPair(
        access_token=create_token(user, typ="access", settings=settings),
        refresh_token=create_token(user, typ="refresh", settings=settings),
        expires_in=settings.access_token_minutes * 60,
    )


@router.post("/token", response_model=TokenPair, responses=responses(R401, R422, R429))
def login(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: SessionDep,
    settings: SettingsDep,
) -> TokenPair:
    """Exchange a user name and password for an access and a refresh token."""
    try:
        user = authenticate(
            session, username=form.username, password=form.password, settings=settings
        )
    except LoginLocked as exc:
        wait = max(1, int((exc.until - datetime.now(UTC)).total_seconds()))
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            detail=f"too many failed log-ins; try again in {wait} seconds",
            headers={"Retry-After": str(wait)},
        ) from exc
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail="wrong user name or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return _pair(user, settings)


@router.post("/refresh", response_model=TokenPair, responses=responses(R401, R422))
def refresh(body: RefreshRequest, session: SessionDep, settings: SettingsDep) -> TokenPair:
    """Exchange a valid refresh token for a new token pair."""
    try:
        claims = decode_token(body.refresh_token, expected="refresh", settings=settings)
    except InvalidTokenError as exc:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, detail=str(exc), headers={"WWW-Authenticate": "Bearer"}
        ) from exc
    user = session.get(User, claims.user_id)
    if user is None or not user.active:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, detail="user unknown or inactive")
    return _pair(user, settings)


@router.get("/me", response_model=UserPublic, responses=responses(R401))
def me(user: CurrentUser) -> User:
    """The logged-in user."""
    return user
