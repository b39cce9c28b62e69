"""Users, API keys and logging in: the use cases behind the admin routes, ``srmatch users`` and
the log-in routes.

Coaches and SR officers belong to a municipality, contractor users to a contractor, admins to
neither: ``create_user`` holds that rule for every caller (the admin route passes ids, the CLI
and the demo loader pass names through ``create_user_named``). Nothing here commits, except the
failed-log-in throttle, which must count even when the request then fails (see ``log_in``).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from api.config import Settings
from api.security import (
    InvalidTokenError,
    authenticate,
    create_token,
    decode_token,
    hash_password,
    new_api_key,
)
from api.services.contracts import find_contractor
from api.services.errors import ConflictError, FieldError, NotFoundError
from api.services.paging import paged
from models import Contractor, Municipality, Role, User
from models.organisations import (
    ApiKey,
    ApiKeyCreated,
    ApiKeyPublic,
    ApiKeysPublic,
    LoginThrottle,
    RefreshToken,
    TokenPair,
    UserPublic,
    UsersPublic,
    UserUpdate,
)
from models.types import NUL_REASON

MIN_PASSWORD = 10


class AuthenticationFailed(Exception):
    """Wrong credentials or an unusable token (401); the message says which, never more."""


# --- users -------------------------------------------------------------------------------


def list_users(
    *,
    session: Session,
    limit: int | None,
    offset: int,
    role: Role | None = None,
    municipality_id: int | None = None,
    contractor_id: int | None = None,
    active: bool | None = None,
) -> UsersPublic:
    """One page of users, filtered by role, organisation or state (oldest first)."""
    where: list[Any] = []
    if role is not None:
        where.append(User.role == role)
    if municipality_id is not None:
        where.append(User.municipality_id == municipality_id)
    if contractor_id is not None:
        where.append(User.contractor_id == contractor_id)
    if active is not None:
        where.append(User.active == active)
    rows, count = paged(session, User, where, limit=limit, offset=offset)
    return UsersPublic(data=[UserPublic.model_validate(u) for u in rows], count=count)


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    municipality_id: int | None = None,
    contractor_id: int | None = None,
    active: bool = True,
    password_hash: str | None = None,
) -> User:
    """Add a user (flushed, not committed); the organisation must exist and fit the role.

    ``password_hash`` lets a bulk loader hash one password once for many users.
    """
    try:
        role_ = Role(role)
    except ValueError as exc:
        allowed = ", ".join(r.value for r in Role)
        raise FieldError("role", role, f"{role!r} is not one of: {allowed}") from exc
    if len(password) < MIN_PASSWORD:
        raise FieldError("password", "***", f"must be at least {MIN_PASSWORD} characters")
    if session.exec(select(User.id).where(User.username == username)).first() is not None:
        raise ConflictError(f"username {username!r} is taken")
    if role_ in (Role.coach, Role.sr_officer):
        if municipality_id is None or session.get(Municipality, municipality_id) is None:
            raise FieldError(
                "municipality_id",
                municipality_id,
                f"a {role_.value} needs an existing municipality",
            )
        if contractor_id is not None:
            raise FieldError(
                "contractor_id", contractor_id, f"a {role_.value} belongs to no contractor"
            )
    elif role_ is Role.contractor:
        if contractor_id is None or session.get(Contractor, contractor_id) is None:
            raise FieldError(
                "contractor_id", contractor_id, "a contractor user needs an existing contractor"
            )
        if municipality_id is not None:
            raise FieldError(
                "municipality_id", municipality_id, "a contractor user belongs to no municipality"
            )
    user = User(
        username=username,
        full_name=full_name,
        role=role_,
        municipality_id=municipality_id,
        contractor_id=contractor_id,
        active=active,
        password_hash=password_hash or hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def create_user_named(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    municipality: str | None = None,
    contractor: str | None = None,
    password_hash: str | None = None,
) -> User:
    """``create_user`` with the organisation named: a municipality by name, a contractor by
    name or KvK number (the command line and the demo loader)."""
    municipality_id = contractor_id = None
    if municipality:
        muni = session.exec(select(Municipality).where(Municipality.name == municipality)).first()
        if muni is None:
            raise FieldError("municipality", municipality, "no municipality with this name")
        municipality_id = muni.id
    elif role in (Role.coach, Role.sr_officer):
        raise FieldError("municipality", "", f"a {Role(role).value} belongs to a municipality")
    if contractor:
        found = find_contractor(session=session, name_or_kvk=contractor)
        if found is None:
            raise FieldError("contractor", contractor, "no contractor with this name or KvK number")
        contractor_id = found.id
    elif role == Role.contractor:
        raise FieldError("contractor", "", "a contractor user belongs to a contractor")
    return create_user(
        session=session,
        username=username,
        password=password,
        role=role,
        full_name=full_name,
        municipality_id=municipality_id,
        contractor_id=contractor_id,
        password_hash=password_hash,
    )


def get_user(*, session: Session, user_id: int) -> User:
    """One user, else NotFoundError."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError("user", user_id)
    return user


def update_user(*, session: Session, actor: User, user_id: int, changes: UserUpdate) -> User:
    """Change a user's name, (de)activate them, or set a new password (lifts a lock-out)."""
    user = get_user(session=session, user_id=user_id)
    given = changes.model_dump(exclude_unset=True)
    if given.get("active") is False and user.id == actor.id:
        raise FieldError("active", False, "you cannot deactivate yourself")
    if given.get("full_name") is not None:
        user.full_name = given["full_name"]
    if given.get("active") is not None:
        user.active = given["active"]
    if given.get("password"):
        user.password_hash = hash_password(given["password"])
        user.failed_logins, user.locked_until = 0, None
        # a new password revokes the user's tokens and lifts any log-in pause on the name
        user.token_version = int(user.token_version or 0) + 1
        name = user.username.casefold()
        session.execute(
            delete(LoginThrottle).where(
                or_(
                    col(LoginThrottle.key) == f"user:{name}",
                    col(LoginThrottle.key).startswith(f"pair:{name}|", autoescape=True),
                )
            )
        )
    session.add(user)
    session.flush()
    return user


# --- API keys ----------------------------------------------------------------------------


def list_api_keys(
    *,
    session: Session,
    limit: int,
    offset: int,
    user_id: int | None = None,
    revoked: bool | None = None,
) -> ApiKeysPublic:
    """One page of API keys (prefixes only; the keys themselves are never stored)."""
    where: list[Any] = []
    if user_id is not None:
        where.append(ApiKey.user_id == user_id)
    if revoked is not None:
        where.append(
            col(ApiKey.revoked_at).is_not(None) if revoked else col(ApiKey.revoked_at).is_(None)
        )
    rows, count = paged(session, ApiKey, where, limit=limit, offset=offset)
    return ApiKeysPublic(data=[ApiKeyPublic.model_validate(k) for k in rows], count=count)


def create_api_key(*, session: Session, user_id: int, name: str) -> ApiKeyCreated:
    """Issue a key for an active contractor user's own system; the key is returned only here."""
    owner = session.get(User, user_id)
    if owner is None or owner.role != Role.contractor or not owner.active:
        raise FieldError("user_id", user_id, "must be an active contractor user")
    key, prefix, key_hash = new_api_key()
    assert owner.id is not None
    row = ApiKey(user_id=owner.id, name=name, prefix=prefix, key_hash=key_hash)
    session.add(row)
    session.flush()
    return ApiKeyCreated.model_validate(row, update={"key": key})


def revoke_api_key(*, session: Session, key_id: int) -> ApiKey:
    """Revoke a key at once (idempotent: a revoked key keeps its first revocation time)."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFoundError("API key", key_id)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(row)
        session.flush()
    return row


# --- logging in --------------------------------------------------------------------------


def token_pair(user: User, settings: Settings) -> TokenPair:
    """A fresh access and refresh token for ``user`` (the refresh token is not recorded: use
    :func:`issue_tokens` for one that ``refresh_tokens`` accepts)."""
    return TokenPair(
        access_token=create_token(user, typ="access", settings=settings),
        refresh_token=create_token(user, typ="refresh", settings=settings),
        expires_in=settings.access_token_minutes * 60,
    )


def issue_tokens(
    *, session: Session, user: User, settings: Settings, family: str | None = None
) -> TokenPair:
    """A fresh token pair whose refresh token is recorded, usable once (flushed, not committed).

    ``family`` links the tokens rotated from one log-in, so a reused one revokes them all.
    """
    assert user.id is not None
    now = datetime.now(UTC)
    jti = uuid.uuid4().hex
    session.add(
        RefreshToken(
            jti=jti,
            user_id=user.id,
            family=family or jti,
            expires_at=now + timedelta(hours=settings.refresh_token_hours),
        )
    )
    session.flush()
    return TokenPair(
        access_token=create_token(user, typ="access", settings=settings, now=now),
        refresh_token=create_token(user, typ="refresh", settings=settings, now=now, jti=jti),
        expires_in=settings.access_token_minutes * 60,
    )


def log_in(
    *,
    session: Session,
    username: str,
    password: str,
    settings: Settings,
    address: str | None = None,
) -> TokenPair:
    """A token pair for these credentials; AuthenticationFailed (401) for wrong ones and
    ``api.security.LoginLocked`` (429) while the name or the client ``address`` is paused.

    The throttle (``api.security.authenticate``) counts each attempt in its own short
    transaction, committed before the password is checked: the caller's unit of work rolls
    back when the log-in fails, and the attempt must count all the same. Call it before the
    caller's session has started a transaction.
    """
    if "\x00" in username or "\x00" in password:
        field = "username" if "\x00" in username else "password"
        raise FieldError(field, "***" if field == "password" else username[:40], NUL_REASON)
    with Session(session.get_bind(), expire_on_commit=False) as own:
        user = authenticate(
            own, username=username, password=password, settings=settings, address=address
        )
        own.commit()
    if user is None:
        raise AuthenticationFailed("wrong user name or password")
    return issue_tokens(session=session, user=user, settings=settings)


def _revoke_family(session: Session, user_id: int, family: str) -> None:
    """A refresh token used twice: someone else may hold it. Revoke its family and every token
    of the user (in its own transaction: the refused request rolls back)."""
    with Session(session.get_bind()) as own:
        own.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family) == family, col(RefreshToken.used_at).is_(None))
            .values(used_at=datetime.now(UTC))
        )
        own.execute(
            update(User).where(col(User.id) == user_id).values(token_version=User.token_version + 1)
        )
        own.commit()


def refresh_tokens(*, session: Session, refresh_token: str, settings: Settings) -> TokenPair:
    """A new token pair for a valid, unused refresh token of an active user (rotation: the old
    one is used up); AuthenticationFailed otherwise. A reused refresh token revokes its family
    and every token of its user."""
    try:
        claims = decode_token(refresh_token, expected="refresh", settings=settings)
    except InvalidTokenError as exc:
        raise AuthenticationFailed(str(exc)) from exc
    user = session.get(User, claims.user_id)
    if not claims.current_for(user):
        raise AuthenticationFailed("token revoked, or user unknown or inactive")
    assert user is not None
    row = session.get(RefreshToken, claims.jti)
    if row is None or row.user_id != user.id:
        raise AuthenticationFailed("refresh token unknown")
    # used once: the UPDATE only matches while the token is unused, so of two parallel
    # refreshes with one token exactly one wins
    used = session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.jti) == row.jti, col(RefreshToken.used_at).is_(None))
        .values(used_at=datetime.now(UTC))
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        user_id, family = row.user_id, row.family
        session.rollback()  # ends this transaction: the revocation commits on its own
        _revoke_family(session, user_id, family)
        raise AuthenticationFailed("refresh token already used; log in again")
    return issue_tokens(session=session, user=user, settings=settings, family=row.family)


def log_out(*, session: Session, user: User) -> None:
    """Revoke every token of ``user``: access tokens by the raised ``token_version``, refresh
    tokens also by being used up (flushed, not committed)."""
    user.token_version = int(user.token_version or 0) + 1
    session.add(user)
    session.execute(
        update(RefreshToken)
        .where(col(RefreshToken.user_id) == user.id, col(RefreshToken.used_at).is_(None))
        .values(used_at=datetime.now(UTC))
    )
    session.flush()


__all__ = [
    "AuthenticationFailed",
    "create_api_key",
    "create_user",
    "create_user_named",
    "get_user",
    "list_api_keys",
    "list_users",
    "issue_tokens",
    "log_in",
    "log_out",
    "refresh_tokens",
    "revoke_api_key",
    "token_pair",
    "update_user",
]
