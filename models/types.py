"""Field types shared by the API schemas, so every path reads a value the same way.

``FlexDate``: a date that also accepts the forms the data-contract files accept (ISO
``2026-03-01`` and Dutch ``01-03-2026``), read by ``matcher.dates.parse_date`` — the same
function the file importer uses. Other shared types may join this module.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

from matcher.dates import parse_date


def _to_date(value: Any) -> Any:
    """Text goes through the shared parser; anything else is left to pydantic's own checks."""
    if isinstance(value, str):
        return parse_date(value)
    return value


#: a date that accepts ``2026-03-01`` and ``01-03-2026`` alike (files, forms and JSON)
FlexDate = Annotated[date, BeforeValidator(_to_date)]

__all__ = ["FlexDate"]
