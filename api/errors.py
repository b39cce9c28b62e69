"""HTTP error shapes and the documented error responses every route declares."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, status
from pydantic import BaseModel

from api.services.errors import FieldError


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
R413: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorMessage, "description": "The upload is larger than allowed"}
}
R422: dict[int | str, dict[str, Any]] = {
    422: {"model": ValidationErrorMessage, "description": "Bad input; `loc` names the field"}
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


def from_field_error(exc: FieldError, where: str = "body") -> HTTPException:
    """Turn a service's FieldError into a 422 naming the field."""
    return unprocessable(exc.field, exc.value, exc.message, where)
