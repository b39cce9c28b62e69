"""Liveness, readiness and Prometheus metrics (metrics for admins only)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import Engine, text

from api.deps import AdminUser
from api.errors import AUTHED, responses
from api.services.matching import MatchingService
from models.db import SchemaOutdatedError, check_schema, database_writable
from models.health import Liveness, Readiness

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Liveness)
def healthz() -> Liveness:
    """The process is alive."""
    return Liveness()


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness, "description": "Not ready; reasons say why"}},
)
def readyz(request: Request) -> Readiness | JSONResponse:
    """Ready when the database answers and accepts writes (every audited read writes), its
    schema is current and the ranker is loaded."""
    reasons: list[str] = []
    # both are set by the lifespan; until it has run they are absent
    engine: Engine | None = getattr(request.app.state, "engine", None)
    if engine is None:
        reasons.append("no database engine (start-up not finished)")
    else:
        try:
            with engine.connect() as conn:
                conn.execute(text("select 1"))
            check_schema(engine)
        except SchemaOutdatedError as exc:
            reasons.append(str(exc))
        except Exception as exc:  # any failure to reach the database means: not ready
            reasons.append(f"database unreachable: {type(exc).__name__}")
        else:
            refused = database_writable(engine)
            if refused is not None:
                reasons.append(refused)
    matching: MatchingService | None = getattr(request.app.state, "matching", None)
    model_version = matching.model_version if matching is not None else None
    if matching is None or not matching.ready:
        reasons.append("ranker not loaded")
    body = Readiness(ready=not reasons, reasons=reasons, model_version=model_version)
    if reasons:
        return JSONResponse(status_code=503, content=body.model_dump(mode="json"))
    return body


@router.get(
    "/metrics",
    response_class=Response,
    responses=responses(
        {200: {"description": "Prometheus text format", "content": {"text/plain": {}}}}, AUTHED
    ),
)
def metrics(request: Request, admin: AdminUser) -> Response:
    """Request counts and latencies in the Prometheus text format."""
    return Response(
        content=generate_latest(request.app.state.metrics.registry),
        media_type=CONTENT_TYPE_LATEST,
    )
