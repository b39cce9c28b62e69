"""The one reading of a date that every path shares: files, forms, the API and the CLI.

Accepted: ISO ``2026-03-01`` and Dutch ``01-03-2026`` (day-month-year, as Dutch Excel writes
it). Nothing else: ``03/01/2026`` (day or month first?) is refused rather than guessed.
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["DATE_FORMS", "format_date", "parse_date"]

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DUTCH_DATE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})", re.ASCII)

#: what the error message offers
DATE_FORMS = "2026-03-01 or 01-03-2026 (day-month-year)"


def parse_date(text: str) -> date:
    """Read ISO or Dutch day-month-year text as a date.

    Raises
    ------
    ValueError
        Naming the accepted forms, or why the day does not exist.

    Examples
    --------
    >>> parse_date("2026-03-01"), parse_date("1-3-2026")
    (datetime.date(2026, 3, 1), datetime.date(2026, 3, 1))
    """
    s = text.strip()
    m = _ISO_DATE.fullmatch(s)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _DUTCH_DATE.fullmatch(s)
        if not m:
            raise ValueError(f"is not a date: use {DATE_FORMS}")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ValueError(f"is not a valid date ({exc})") from exc


def format_date(value: date, dialect: str = "en") -> str:
    """ISO for the standard dialect, ``dd-mm-jjjj`` for Dutch Excel (``dialect="nl"``).

    >>> format_date(date(2026, 3, 1)), format_date(date(2026, 3, 1), "nl")
    ('2026-03-01', '01-03-2026')
    """
    return value.strftime("%d-%m-%Y") if dialect == "nl" else value.isoformat()
