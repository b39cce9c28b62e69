"""Administrators: users, API keys, ranker training runs and their results.

Each route adapts one use case of ``api.services.users`` or ``api.services.training``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi import status as http

from api.deps import AdminUser, SessionDep
from api.errors import AUTHED, R404, R409, R422, responses
from api.routers import Limit, Offset
from api.routers.responsible import add_fairness_override, add_fairness_reads
from api.services import training, users
from api.services.matching import MatchingService
from models.model_versions import ModelVersion, ModelVersionPublic, ModelVersionsPublic
from models.organisations import (
    ApiKey,
    ApiKeyCreate,
    ApiKeyCreated,
    ApiKeyPublic,
    ApiKeysPublic,
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
    return users.list_users(
        session=session,
        limit=limit,
        offset=offset,
        role=role,
        municipality_id=municipality_id,
        contractor_id=contractor_id,
        active=active,
    )


@router.post(
    "/users",
    response_model=UserPublic,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R409, R422),
)
def create_user(body: UserCreate, session: SessionDep, admin: AdminUser) -> User:
    """Add a user; coaches and SR officers need a municipality, contractor users a contractor."""
    return users.create_user(
        session=session,
        username=body.username,
        password=body.password,
        role=body.role,
        full_name=body.full_name,
        municipality_id=body.municipality_id,
        contractor_id=body.contractor_id,
        active=body.active,
    )


@router.get("/users/{user_id}", response_model=UserPublic, responses=responses(AUTHED, R404))
def read_user(user_id: int, session: SessionDep, admin: AdminUser) -> User:
    """One user."""
    return users.get_user(session=session, user_id=user_id)


@router.patch(
    "/users/{user_id}", response_model=UserPublic, responses=responses(AUTHED, R404, R422)
)
def update_user(user_id: int, body: UserUpdate, session: SessionDep, admin: AdminUser) -> User:
    """Change a user's name, (de)activate them, or set a new password (lifts a lock-out)."""
    return users.update_user(session=session, actor=admin, user_id=user_id, changes=body)


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
    return users.list_api_keys(
        session=session, limit=limit, offset=offset, user_id=user_id, revoked=revoked
    )


@router.post(
    "/api-keys",
    response_model=ApiKeyCreated,
    status_code=http.HTTP_201_CREATED,
    responses=responses(AUTHED, R422),
)
def create_api_key(body: ApiKeyCreate, session: SessionDep, admin: AdminUser) -> ApiKeyCreated:
    """Issue an API key for a contractor user's own system; the key is shown only this once."""
    return users.create_api_key(session=session, user_id=body.user_id, name=body.name)


@router.post(
    "/api-keys/{key_id}/revoke", response_model=ApiKeyPublic, responses=responses(AUTHED, R404)
)
def revoke_api_key(key_id: int, session: SessionDep, admin: AdminUser) -> ApiKey:
    """Revoke an API key at once (idempotent)."""
    return users.revoke_api_key(session=session, key_id=key_id)


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
    return training.list_model_versions(
        session=session, limit=limit, offset=offset, accepted=accepted
    )


@router.get(
    "/model-versions/{version_id}",
    response_model=ModelVersionPublic,
    responses=responses(AUTHED, R404),
)
def read_model_version(version_id: int, session: SessionDep, admin: AdminUser) -> ModelVersion:
    """One training run and its results."""
    return training.get_model_version(session=session, version_id=version_id)


@router.post(
    "/model-versions",
    response_model=dict[str, Any],
    responses=responses(AUTHED),
)
def train_model(request: Request, session: SessionDep, admin: AdminUser) -> dict[str, Any]:
    """Train a ranker on the recorded outcomes now; it serves only if it beats the baseline."""
    # the runtime need not be ready: an accepted model is loaded into it after the commit
    matching: MatchingService | None = request.app.state.matching
    return training.train(session=session, settings=request.app.state.settings, matching=matching)


# --- responsible matching: the fairness audit, model cards, the fairness-gate override ------

add_fairness_reads(router, Role.admin, whose="every shortlist served")
add_fairness_override(router)
