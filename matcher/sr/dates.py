"""Calendar arithmetic shared by the SR measures: months that end on the last day of a month.

Contract terms (:mod:`matcher.sr.progress`) and follow-up dates and short placements
(:mod:`matcher.sr.durability`) count calendar months, not days.
"""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """``day`` plus calendar months, clamped to the end of a shorter month.

    Examples
    --------
    >>> add_months(date(2025, 8, 31), 6)
    datetime.date(2026, 2, 28)
    """
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


__all__ = ["add_months"]
