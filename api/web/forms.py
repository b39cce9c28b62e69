"""Form pages: a refused form re-renders itself, and the request's unit of work rolls back.

A page handler that shows a form calls its service and, when the service refuses the input
(``FieldError``, a rejected import), raises ``PageAnswer`` with the form page re-rendered: the
message next to its field and the input kept. Raising (instead of returning) makes
``api.deps.get_session`` roll back whatever the service may have flushed before it refused;
``api.web.install`` answers the exception with its page.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from fastapi import Request, Response

from api.services.errors import FieldError


class PageAnswer(Exception):
    """Answer the request with ``response`` after rolling its unit of work back."""

    def __init__(self, response: Response) -> None:
        self.response = response
        super().__init__(response.status_code)


async def page_answer(request: Request, exc: Exception) -> Response:
    """The exception handler: the page the handler rendered."""
    assert isinstance(exc, PageAnswer)
    return exc.response


def field_errors(exc: FieldError, fields: set[str] | frozenset[str]) -> dict[str, str]:
    """The service's message keyed by the form field it names (``_form`` for any other)."""
    return {exc.field if exc.field in fields else "_form": exc.message}


def split_list(text: str) -> list[str]:
    """Items typed one per line or separated by commas or semicolons.

    >>> split_list("heftruck, orderpicken\\nEHBO;")
    ['heftruck', 'orderpicken', 'EHBO']
    """
    return [part.strip() for part in re.split(r"[,;\n]", text) if part.strip()]


def field_texts(obj: object, fields: Sequence[str], lists: Collection[str]) -> dict[str, str]:
    """A stored object's fields as a form shows them: lists one item per line, numbers without
    a trailing ``.0``, nothing for None."""
    out: dict[str, str] = {}
    for name in fields:
        value = getattr(obj, name)
        if name in lists:
            out[name] = "\n".join(value or [])
        elif isinstance(value, float):
            out[name] = f"{value:g}"
        else:
            out[name] = "" if value is None else str(value)
    return out


def form_version(raw: object) -> int | None:
    """The ``version`` an edit form was rendered with (its hidden field), or None when the form
    has none; the save is then refused if someone else saved the record meanwhile."""
    text = str(raw or "").strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None
