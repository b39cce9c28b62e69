"""Domain errors that the app's exception handlers turn into HTTP answers (see
``api.errors.install_error_handlers``) and the CLI into one line on stderr.

Services raise these; routes, pages and CLI commands never catch them to translate them.
"""

from __future__ import annotations


class FieldError(ValueError):
    """A value that is not allowed, with the field it came in and what is allowed.

    ``location`` says where the field was sent (``body``, ``query``, ``path``), so the 422
    answer's ``loc`` names it as FastAPI's own validation would.
    """

    def __init__(self, field: str, value: object, message: str, *, location: str = "body") -> None:
        self.field = field
        self.value = value
        self.message = message
        self.location = location
        shown = "" if value in (None, "") or str(value) in message else f" {value!r}"
        super().__init__(f"{field}{shown}: {message}")


class NotFoundError(LookupError):
    """The object does not exist, or the actor may not know it exists (404 either way)."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class ConflictError(ValueError):
    """The request is valid but clashes with the current state (e.g. a duplicate referral)."""


class ForbiddenError(PermissionError):
    """The actor may see the object but not do this to it (403), e.g. a coach changing a
    candidate another coach holds."""


class UnavailableError(RuntimeError):
    """What the request needs is not there yet (503), e.g. the ranker is still loading."""


class StaleVersionError(FieldError):
    """The writer's precondition failed: the object is no longer at the version the writer read
    (an ``If-Match`` header, or the ``version`` a web form was rendered with). HTTP 412; a page
    shows it next to its form like any other FieldError."""

    def __init__(self, kind: str, key: object, *, expected: int, current: int) -> None:
        self.kind = kind
        self.key = key
        self.expected = expected
        self.current = current
        super().__init__(
            "version",
            expected,
            f"this {kind} was changed by someone else after you read it (you had version "
            f"{expected}, it is now at {current}); nothing was saved: read it again and repeat "
            "your change",
        )


def check_version(kind: str, obj: object, expected: int | None) -> None:
    """Raise StaleVersionError unless ``expected`` is None (no precondition: the last writer
    wins) or the object's ``version``."""
    current = getattr(obj, "version", None)
    if expected is not None and current != expected:
        raise StaleVersionError(
            kind, getattr(obj, "id", None), expected=expected, current=int(current or 0)
        )
