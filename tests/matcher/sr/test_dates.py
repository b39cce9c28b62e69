"""Calendar months for SR terms and follow-ups."""

from __future__ import annotations

from datetime import date

from matcher.sr.dates import add_months


def test_add_months_clamps() -> None:
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2023, 11, 29), 3) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 1), 12) == date(2026, 1, 1)
