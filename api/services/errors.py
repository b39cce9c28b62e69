"""Domain errors that routes turn into HTTP answers and the CLI into one line on stderr."""

from __future__ import annotations


class FieldError(ValueError):
    """A value that is not allowed, with the field it came in and what is allowed."""

    def __init__(self, field: str, value: object, message: str) -> None:
        self.field = field
        self.value = value
        self.message = message
        shown = "" if value in (None, "") or str(value) in message else f" {value!r}"
        super().__init__(f"{field}{shown}: {message}")


class NotFoundError(LookupError):
    """The object does not exist, or the actor may not know it exists."""

    def __init__(self, kind: str, key: object) -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"{kind} {key!r} not found")


class ConflictError(ValueError):
    """The request is valid but clashes with the current state (e.g. a duplicate referral)."""
