"""One page of rows and the total count: the list use cases of every service share it."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

T = TypeVar("T")


def paged(
    session: Session, model: type[T], where: list[Any], *, limit: int | None, offset: int
) -> tuple[list[T], int]:
    """One page of ``model`` rows matching ``where`` (oldest id first) and the total count.

    ``limit`` None: every row from ``offset`` on (the command line lists without pages).
    """
    count = session.exec(select(func.count()).select_from(model).where(*where)).one()
    stmt = select(model).where(*where).order_by(col(model.id))  # type: ignore[attr-defined]
    return list(session.exec(stmt.offset(offset).limit(limit)).all()), int(count)
