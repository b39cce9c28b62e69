"""HTTP error shapes and the documented error responses every route declares."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import hardening
from api.security import LoginLocked
from api.services.errors import (
    ConflictError,
    FieldError,
    ForbiddenError,
    NotFoundError,
    StaleVersionError,
    UnavailableError,
)
from api.services.files import ImportRejected
from api.services.users import AuthenticationFailed
from models.db import describe_conflict


class ErrorMessage(BaseModel):
    """A plain error: ``{"detail": "..."}``."""

    detail: str


class ValidationErrorItem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str
    input: Any = None


class ValidationErrorMessage(BaseModel):
    """A 422 in FastAPI's own shape: one item per bad field, ``loc`` naming it."""

    detail: list[ValidationErrorItem]


R401: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorMessage, "description": "Not authenticated, or the token/key is invalid"}
}
R403: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorMessage, "description": "The user's role may not use this route"}
}
R404: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorMessage, "description": "No such object, or it is not yours to see"}
}
R409: dict[int | str, dict[str, Any]] = {
    409: {"model": ErrorMessage, "description": "Clashes with the current state"}
}
R412: dict[int | str, dict[str, Any]] = {
    412: {
        "model": ErrorMessage,
        "description": "If-Match names a version the object no longer has: read it again",
    }
}
R413: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorMessage, "description": "The upload is larger than allowed"}
}
R422: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrorMessage, "description": "Bad input; `loc` names the field"}
}
R503: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorMessage, "description": "Not ready yet (the ranker is loading)"}
}
R429: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorMessage, "description": "Too many failed log-ins; try again later"}
}


def responses(*parts: dict[int | str, dict[str, Any]]) -> dict[int | str, dict[str, Any]]:
    """Merge documented error responses: ``responses(R401, R403, R404)``."""
    out: dict[int | str, dict[str, Any]] = {}
    for part in parts:
        out.update(part)
    return out


AUTHED = responses(R401, R403)


def not_found(kind: str) -> HTTPException:
    """A 404 that does not say whether the object exists for someone else."""
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{kind} not found")


def forbidden(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=detail)


def conflict(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_409_CONFLICT, detail=detail)


_PLAIN = (str, int, float, bool, type(None))


def unprocessable(field: str, value: object, message: str, where: str = "body") -> HTTPException:
    """A 422 in FastAPI's validation shape, naming the field, the value and what is allowed."""
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        detail=[
            {
                "loc": [where, field],
                "msg": message,
                "type": "value_error",
                "input": value if isinstance(value, _PLAIN) else str(value),
            }
        ],
    )


def from_field_error(exc: FieldError, where: str | None = None) -> HTTPException:
    """Turn a service's FieldError into a 422 naming the field."""
    return unprocessable(exc.field, exc.value, exc.message, where or exc.location)


def _plain(status_code: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status_code)


def install_error_handlers(app: FastAPI) -> None:
    """Map the service errors to HTTP answers once, so no route catches them.

    NotFoundError -> 404 (a foreign object looks like a missing one), FieldError -> 422 naming
    the field, value and what is allowed, ConflictError -> 409, ForbiddenError -> 403,
    UnavailableError -> 503.
    """

    async def not_found_handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, NotFoundError)
        return _plain(status.HTTP_404_NOT_FOUND, f"{exc.kind} not found")

    async def field_handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, FieldError)
        http = from_field_error(exc)
        return JSONResponse({"detail": http.detail}, status_code=http.status_code)

    async def conflict_handler(request: Request, exc: Exception) -> JSONResponse:
        return _plain(status.HTTP_409_CONFLICT, str(exc))

    async def forbidden_handler(request: Request, exc: Exception) -> JSONResponse:
        return _plain(status.HTTP_403_FORBIDDEN, str(exc))

    async def unavailable_handler(request: Request, exc: Exception) -> JSONResponse:
        return _plain(status.HTTP_503_SERVICE_UNAVAILABLE, str(exc))

    app.add_exception_handler(NotFoundError, not_found_handler)
    app.add_exception_handler(FieldError, field_handler)
    app.add_exception_handler(ConflictError, conflict_handler)
    app.add_exception_handler(ForbiddenError, forbidden_handler)
    app.add_exception_handler(UnavailableError, unavailable_handler)

    # beyond the five: a file with invalid rows answers with its row report (422), a failed
    # log-in 401, a locked-out account 429 with the wait in Retry-After
    async def import_rejected_handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ImportRejected)
        return JSONResponse(
            {"detail": exc.report.model_dump(mode="json")},
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )

    async def authentication_handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse(
            {"detail": str(exc)},
            status_code=status.HTTP_401_UNAUTHORIZED,
            headers={"WWW-Authenticate": "Bearer"},
        )

    async def locked_handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, LoginLocked)
        wait = max(1, int((exc.until - datetime.now(UTC)).total_seconds()))
        return JSONResponse(
            {"detail": f"too many failed log-ins; try again in {wait} seconds"},
            status_code=status.HTTP_429_TOO_MANY_REQUESTS,
            headers={"Retry-After": str(wait)},
        )

    # a stale precondition (If-Match, a form's version) is 412; two writers racing for one row
    # or one unique key is 409 naming the clash, never a 500 (issue 13, finding 1)
    async def stale_version_handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StaleVersionError)
        return _plain(status.HTTP_412_PRECONDITION_FAILED, exc.message)

    async def race_handler(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, IntegrityError | StaleDataError)
        return _plain(status.HTTP_409_CONFLICT, describe_conflict(exc))

    app.add_exception_handler(StaleVersionError, stale_version_handler)
    app.add_exception_handler(IntegrityError, race_handler)
    app.add_exception_handler(StaleDataError, race_handler)
    # 422s never echo a password or more than a short prefix of a value; an unreadable body
    # is a 422 too (FastAPI says 400), so every bad body gets the one documented answer
    app.add_exception_handler(RequestValidationError, hardening.validation_error)
    app.add_exception_handler(StarletteHTTPException, hardening.http_error)
    app.add_exception_handler(DataError, hardening.database_refused)
    app.add_exception_handler(OverflowError, hardening.database_refused)
    app.add_exception_handler(ImportRejected, import_rejected_handler)
    app.add_exception_handler(AuthenticationFailed, authentication_handler)
    app.add_exception_handler(LoginLocked, locked_handler)
