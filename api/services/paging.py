"""One page of rows and the total count: the list use cases of every service share it."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session, col, func, select

T = TypeVar("T")


def paged(
    session: Session,
    model: type[T],
    where: list[Any],
    *,
    limit: int | None,
    offset: int,
    newest_first: bool = False,
) -> tuple[list[T], int]:
    """One page of ``model`` rows matching ``where`` and the total count: oldest id first, or
    with ``newest_first`` by ``created_at`` then id, both descending (inboxes and histories).

    ``limit`` None: every row from ``offset`` on (the command line lists without pages).
    """
    count = session.exec(select(func.count()).select_from(model).where(*where)).one()
    ident = col(model.id)  # type: ignore[attr-defined]
    order = (
        (col(model.created_at).desc(), ident.desc())  # type: ignore[attr-defined]
        if newest_first
        else (ident,)
    )
    stmt = select(model).where(*where).order_by(*order)
    return list(session.exec(stmt.offset(offset).limit(limit)).all()), int(count)
