"""Field types shared by the API schemas, so every path reads a value the same way.

``FlexDate``: a date that also accepts the forms the data-contract files accept (ISO
``2026-03-01`` and Dutch ``01-03-2026``), read by ``matcher.dates.parse_date`` — the same
function the file importer uses. Other shared types may join this module.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, ValidationInfo

from matcher import vocab
from matcher.dates import parse_date
from matcher.interchange import BSN_REASON, contains_bsn


def _to_date(value: Any) -> Any:
    """Text goes through the shared parser; anything else is left to pydantic's own checks."""
    if isinstance(value, str):
        return parse_date(value)
    return value


#: a date that accepts ``2026-03-01`` and ``01-03-2026`` alike (files, forms and JSON)
FlexDate = Annotated[date, BeforeValidator(_to_date)]

# --- free text, lists and bounds (issue 13): one definition per field for every path -----
#
# Each free-text type refuses NUL characters (PostgreSQL cannot store them), is capped in length
# before anything else runs (a 1 MB "skill" is refused at once, never normalised), and runs the
# BSN guard on its NFKC form, so full-width digits of a citizen service number are caught too.
# Integers that become keys are bounded to a signed 32-bit INTEGER, the narrowest key column the
# two databases share.

#: the largest id, offset or count a request may name (PostgreSQL INTEGER, SQLite too)
MAX_INT32 = 2**31 - 1
#: a one-line value: a reference, a title, a skill, a name
MAX_SHORT = 200
#: a title of a contract or vacancy
MAX_TITLE = 300
#: free text: a description
MAX_TEXT = 10_000
#: items in one list (skills, occupations, target groups, ...)
MAX_ITEMS = 50
#: one list item (a skill or occupation as typed)
MAX_ITEM = 200
#: the travel distance a candidate may give (one bound for files, the API and pages)
MAX_TRAVEL_KM = vocab.MAX_TRAVEL_KM
#: places one vacancy may offer
MAX_POSITIONS = 1000

NUL_REASON = "must not contain NUL (\\x00) characters"


def refuse_nul(value: str) -> str:
    """The value unchanged, or ValueError when it holds a NUL character."""
    if "\x00" in value:
        raise ValueError(NUL_REASON)
    return value


def refuse_bsn(value: str, *, allow_kvk: bool = False) -> str:
    """The value unchanged, or ValueError when it (NFKC-normalised) holds a probable BSN.

    >>> refuse_bsn("heftruck")
    'heftruck'
    >>> refuse_bsn("１１１２２２３３３")
    Traceback (most recent call last):
    ...
    ValueError: value looks like a BSN (citizen service number); srmatch never stores BSNs
    """
    refuse_nul(value)
    if contains_bsn(value, allow_kvk=allow_kvk):
        raise ValueError(BSN_REASON)
    return value


def _refuse_bsn_allow_kvk(value: str) -> str:
    return refuse_bsn(value, allow_kvk=True)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


#: any free text stored (the length cap comes from the field's own ``max_length``)
FreeText = Annotated[str, AfterValidator(refuse_bsn)]
#: free text in a field that may hold an 8-digit KvK number (a contractor's name or KvK)
KvkText = Annotated[str, AfterValidator(_refuse_bsn_allow_kvk)]
#: one list item: a skill, an occupation as typed
ListItem = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_ITEM),
    AfterValidator(refuse_bsn),
]
#: a list of free-text items (skills, occupations)
TextList = Annotated[list[ListItem], Field(max_length=MAX_ITEMS)]
#: a list of closed-vocabulary codes (benefits, target groups, licences): short, capped
CodeList = Annotated[
    list[Annotated[str, StringConstraints(max_length=40), AfterValidator(refuse_nul)]],
    Field(max_length=MAX_ITEMS),
]
#: a float that must be a real number (JSON NaN/Infinity are refused)
Finite = Annotated[float, AfterValidator(_finite)]
#: the genders the fairness audit records (never a model feature)
Gender = Literal["m", "v", "x"]  # vocab.GENDERS (a test holds them equal); an enum in the schema


def known_sr_table(value: str) -> str:
    """The value unchanged when an SR building-block table of that name exists, else ValueError
    naming the known ones (a contract with an unknown table cannot be valued in a report)."""
    from matcher.sr.tables import load_all  # reads the table files once, when first needed

    known = sorted({t.region for t in load_all()})
    if value not in known:
        raise ValueError(f"unknown SR table {value[:60]!r}; known tables: {', '.join(known)}")
    return value


def known_pso_level(value: str | None) -> str | None:
    """None or a PSO certificate step of ``matcher.sr.tables.PSO_LEVELS``, else ValueError."""
    from matcher.sr.tables import PSO_LEVELS

    if value is not None and value not in PSO_LEVELS:
        raise ValueError(f"{value[:40]!r} is not a PSO step; allowed: {', '.join(PSO_LEVELS)}")
    return value


def ordered_dates(start: date | None, end: date | None, *, what: str = "start_date") -> None:
    """ValueError when ``end`` precedes ``start`` (both given)."""
    if start is not None and end is not None and end < start:
        raise ValueError(f"end_date {end.isoformat()} is before {what} {start.isoformat()}")


def end_not_before_start(end: date | None, info: ValidationInfo) -> date | None:
    """A field validator for ``end_date``: ValueError when it precedes the ``start_date`` given
    with it (so the 422 names ``end_date``)."""
    ordered_dates(info.data.get("start_date"), end)
    return end


#: an id named in a body (a foreign key): bounded to the key column's range
Id = Annotated[int, Field(ge=1, le=MAX_INT32)]

__all__ = [
    "MAX_INT32",
    "MAX_ITEM",
    "MAX_ITEMS",
    "MAX_POSITIONS",
    "MAX_SHORT",
    "MAX_TEXT",
    "MAX_TITLE",
    "MAX_TRAVEL_KM",
    "NUL_REASON",
    "CodeList",
    "Finite",
    "FlexDate",
    "FreeText",
    "Gender",
    "Id",
    "KvkText",
    "ListItem",
    "TextList",
    "refuse_bsn",
    "refuse_nul",
]
