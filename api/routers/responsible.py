"""Responsible matching routes (issue 14), added to each user group's router by a builder:
the fairness audit and the model card (SR officers and admins), the fairness-gate override
(admins), and the record of a coach overruling a served shortlist (coaches).

Each route adapts one use case of ``api.services.fairness`` / ``api.services.model_card``; the
services check, scope and audit, and the request's unit of work commits.

No ``from __future__ import annotations`` here: the endpoints are defined inside the builders,
and FastAPI must see their parameter types as objects, not as names to look up.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi import status as http

from api.deps import RequestId, SessionDep, SettingsDep, require_role
from api.errors import AUTHED, R404, R409, R422, responses
from api.services import fairness, model_card, training
from models.fairness import (
    FairnessAuditPublic,
    FairnessOverride,
    ModelCardPublic,
    OversightCreate,
    OversightDecision,
    OversightsPublic,
)
from models.fairness import OversightPublic as OversightOut
from models.model_versions import ModelVersion, ModelVersionPublic
from models.organisations import Role, User

ModelQuery = Annotated[
    str | None,
    Query(max_length=40, description="one model version (or 'baseline'); default every one"),
]


def add_fairness_reads(router: APIRouter, role: Role, *, whose: str) -> None:
    """``GET /fairness`` and ``GET /model-versions/{id}/card`` for ``role``."""
    Actor = Annotated[User, Depends(require_role(role))]

    @router.get(
        "/fairness",
        response_model=FairnessAuditPublic,
        responses=responses(AUTHED, R404, R422),
        description=f"The fairness audit of {whose}: per model version and group, top-10 reach "
        "against the eligible share, proposal and hire rates, coaches' overrides, ratios to the "
        "best-served group flagged below the floor, with 95% Wilson intervals.",
    )
    def read_fairness(
        session: SessionDep,
        user: Actor,
        settings: SettingsDep,
        request_id: RequestId,
        model: ModelQuery = None,
    ) -> FairnessAuditPublic:
        return fairness.fairness_audit(
            session=session,
            actor=user,
            model_version=model,
            floor=settings.fairness_floor,
            request_id=request_id,
        )

    @router.get(
        "/model-versions/{version_id}/card",
        response_model=ModelCardPublic,
        responses=responses(AUTHED, R404),
        description="The model card (Markdown and data) and the algorithm-register entry of a "
        "ranker version, generated from its stored training run.",
    )
    def read_model_card(
        version_id: int, session: SessionDep, user: Actor, settings: SettingsDep
    ) -> ModelCardPublic:
        mv = training.get_model_version(session=session, version_id=version_id)
        return model_card.model_card(session=session, version=mv.version, settings=settings)


def add_fairness_override(router: APIRouter) -> None:
    """``POST /model-versions/{id}/fairness-override`` for admins."""
    Admin = Annotated[User, Depends(require_role(Role.admin))]

    @router.post(
        "/model-versions/{version_id}/fairness-override",
        response_model=ModelVersionPublic,
        responses=responses(AUTHED, R404, R409, R422),
        description="Serve a version the fairness gate held back; the reason is recorded with "
        "the version and in the audit trail.",
    )
    def override_fairness_gate(
        version_id: int,
        body: FairnessOverride,
        request: Request,
        session: SessionDep,
        admin: Admin,
        request_id: RequestId,
    ) -> ModelVersion:
        return fairness.override_fairness(
            session=session,
            actor=admin,
            version_id=version_id,
            reason=body.reason,
            request_id=request_id,
            matching=getattr(request.app.state, "matching", None),
        )


def add_oversight_routes(router: APIRouter) -> None:
    """``POST`` and ``GET /vacancies/{id}/oversight`` for coaches."""
    Coach = Annotated[User, Depends(require_role(Role.coach))]

    @router.post(
        "/vacancies/{vacancy_id}/oversight",
        response_model=OversightOut,
        status_code=http.HTTP_201_CREATED,
        responses=responses(AUTHED, R404, R409, R422),
        description="Set aside a candidate the served shortlist ranked, or add one it did not "
        "show, with a reason (matcher.vocab.OVERSIGHT_REASONS) and a note; logged next to the "
        "shortlist served to the coach. Only the coach's own candidates.",
    )
    def record_oversight(
        vacancy_id: int,
        body: OversightCreate,
        session: SessionDep,
        user: Coach,
        request_id: RequestId,
    ) -> OversightDecision:
        return fairness.record_oversight(
            session=session,
            actor=user,
            vacancy_id=vacancy_id,
            body=body,
            request_id=request_id,
        )

    @router.get(
        "/vacancies/{vacancy_id}/oversight",
        response_model=OversightsPublic,
        responses=responses(AUTHED, R404),
        description="The coach's own overrides recorded on a vacancy, newest first.",
    )
    def list_oversight(
        vacancy_id: int, session: SessionDep, user: Coach, request_id: RequestId
    ) -> OversightsPublic:
        return fairness.list_oversight(
            session=session, actor=user, vacancy_id=vacancy_id, request_id=request_id
        )
