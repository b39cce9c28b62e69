"""Administrators: users, API keys, ranker training runs and their results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi import status as http
from sqlmodel import col, func, select

from api.deps import AdminUser, SessionDep
from api.errors import AUTHED, R404, R409, R422, conflict, not_found, responses, unprocessable
from api.routers import Limit, Offset, paged
from api.security import hash_password, new_api_key
from api.services import training
from models.api_schemas import ApiKeyCreate, ApiKeyCreated
from models.model_versions import ModelVersion, ModelVersionPublic, ModelVersionsPublic
from models.organisations import (
    ApiKey,
    ApiKeyPublic,
    ApiKeysPublic,
    Contractor,
    Municipality,
    Role,
    User,
    UserCreate,
    UserPublic,
    UsersPublic,
    UserUpdate,
)

router = APIRouter(prefix="/admin", tags=["admin"])


# --- users -----------------------------------------------------------------------------


@router.get("/users", response_model=UsersPublic, responses=responses(AUTHED, R422))
def list_users(
    session: SessionDep,
    user: AdminUser,
    limit: Limit = 20,
    offset: Offset = 0,
    role: Role | None = None,
    municipality_id: int | None = None,
    contractor_id: int | None = None,
    active: bool | None = None,
) -> UsersPublic:
    """All users, filtered by role, organisation or state."""
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
    return UsersPublic(data=[UserPublic.model_validate(u) for u in rows], count=int(count))


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R409, R422),
)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser) -> User:
    """Add a user; coaches and SR officers need a municipality, contractor users a contractor."""
    if session.exec(select(User.id).where(User.username == body.username)).first() is not None:
        raise conflict(f"username {body.username!r} is taken")
    if body.role in (Role.coach, Role.sr_officer):
        if body.municipality_id is None or session.get(Municipality, body.municipality_id) is None:
            raise unprocessable(
                "municipality_id",
                body.municipality_id,
                f"a {body.role.value} needs an existing municipality",
            )
        if body.contractor_id is not None:
            raise unprocessable(
                "contractor_id", body.contractor_id, f"a {body.role.value} belongs to no contractor"
            )
    elif body.role == Role.contractor:
        if body.contractor_id is None or session.get(Contractor, body.contractor_id) is None:
            raise unprocessable(
                "contractor_id",
                body.contractor_id,
                "a contractor user needs an existing contractor",
            )
        if body.municipality_id is not None:
            raise unprocessable(
                "municipality_id",
                body.municipality_id,
                "a contractor user belongs to no municipality",
            )
    user = User.model_validate(
        body.model_dump(exclude={"password"}),
        update={"password_hash": hash_password(body.password)},
    )
    session.add(user)
    session.commit()
    return user


def _user(session: SessionDep, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise not_found("user")
    return user


@router.get("/users/{user_id}", response_model=UserPublic, responses=responses(AUTHED, R404))
def read_user(user_id: int, session: SessionDep, admin: AdminUser) -> User:
    """One user."""
    return _user(session, user_id)


@router.patch(
    "/users/{user_id}", response_model=UserPublic, responses=responses(AUTHED, R404, R422)
)
def update_user(user_id: int, body: UserUpdate, session: SessionDep, admin: AdminUser) -> User:
    """Change a user's name, (de)activate them, or set a new password (lifts a lock-out)."""
    user = _user(session, user_id)
    changes = body.model_dump(exclude_unset=True)
    if changes.get("active") is False and user.id == admin.id:
        raise unprocessable("active", False, "you cannot deactivate yourself")
    if "full_name" in changes and changes["full_name"] is not None:
        user.full_name = changes["full_name"]
    if "active" in changes and changes["active"] is not None:
        user.active = changes["active"]
    if changes.get("password"):
        user.password_hash = hash_password(changes["password"])
        user.failed_logins, user.locked_until = 0, None
    session.add(user)
    session.commit()
    return user


# --- API keys --------------------------------------------------------------------------


@router.get("/api-keys", response_model=ApiKeysPublic, responses=responses(AUTHED, R422))
def list_api_keys(
    session: SessionDep,
    admin: AdminUser,
    limit: Limit = 20,
    offset: Offset = 0,
    user_id: int | None = None,
    revoked: bool | None = None,
) -> ApiKeysPublic:
    """API keys (prefixes only; the keys themselves are never stored)."""
    where: list[Any] = []
    if user_id is not None:
        where.append(ApiKey.user_id == user_id)
    if revoked is not None:
        where.append(
            col(ApiKey.revoked_at).is_not(None) if revoked else col(ApiKey.revoked_at).is_(None)
        )
    rows, count = paged(session, ApiKey, where, limit=limit, offset=offset)
    return ApiKeysPublic(data=[ApiKeyPublic.model_validate(k) for k in rows], count=int(count))


@router.post(
    "/api-keys",
    response_model=ApiKeyCreated,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R422),
)
def create_api_key(body: ApiKeyCreate, session: SessionDep, admin: AdminUser) -> ApiKeyCreated:
    """Issue an API key for a contractor user's own system; the key is shown only this once."""
    owner = session.get(User, body.user_id)
    if owner is None or owner.role != Role.contractor or not owner.active:
        raise unprocessable("user_id", body.user_id, "must be an active contractor user")
    key, prefix, key_hash = new_api_key()
    assert owner.id is not None
    row = ApiKey(user_id=owner.id, name=body.name, prefix=prefix, key_hash=key_hash)
    session.add(row)
    session.commit()
    return ApiKeyCreated.model_validate(row, update={"key": key})


@router.post(
    "/api-keys/{key_id}/revoke", response_model=ApiKeyPublic, responses=responses(AUTHED, R404)
)
def revoke_api_key(key_id: int, session: SessionDep, admin: AdminUser) -> ApiKey:
    """Revoke an API key at once (idempotent)."""
    row = session.get(ApiKey, key_id)
    if row is None:
        raise not_found("API key")
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
        session.add(row)
        session.commit()
    return row


# --- ranker training runs --------------------------------------------------------------


@router.get(
    "/model-versions", response_model=ModelVersionsPublic, responses=responses(AUTHED, R422)
)
def list_model_versions(
    session: SessionDep,
    admin: AdminUser,
    limit: Limit = 20,
    offset: Offset = 0,
    accepted: bool | None = None,
) -> ModelVersionsPublic:
    """Training runs, newest first, with their metrics next to the baseline's."""
    where: list[Any] = []
    if accepted is not None:
        where.append(ModelVersion.accepted == accepted)
    count = session.exec(select(func.count()).select_from(ModelVersion).where(*where)).one()
    rows = session.exec(
        select(ModelVersion)
        .where(*where)
        .order_by(col(ModelVersion.created_at).desc(), col(ModelVersion.id).desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return ModelVersionsPublic(
        data=[ModelVersionPublic.model_validate(m) for m in rows], count=int(count)
    )


@router.get(
    "/model-versions/{version_id}",
    response_model=ModelVersionPublic,
    responses=responses(AUTHED, R404),
)
def read_model_version(version_id: int, session: SessionDep, admin: AdminUser) -> ModelVersion:
    """One training run and its results."""
    row = session.get(ModelVersion, version_id)
    if row is None:
        raise not_found("model version")
    return row


@router.post(
    "/model-versions",
    response_model=dict[str, Any],
    responses=responses(AUTHED),
)
def train_model(request: Request, session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    """Train a ranker on the recorded outcomes now; it serves only if it beats the baseline."""
    session.commit()  # end the log-in read before training opens its own session
    result = training.train_model(request.app.state.engine, settings=request.app.state.settings)
    matching = getattr(request.app.state, "matching", None)
    if matching is not None:
        matching.notify_model_changed()
    return result
