"""Durability checks and shares, short placements and the carousel."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from matcher.sr.durability import (
    DurabilityCheck,
    carousel_flags,
    due_checks,
    durability_shares,
    is_short,
)
from matcher.sr.valuation import PlacementInput


def P(pid: object, start: date, end: date | None, hours: float, **kw: Any) -> PlacementInput:
    kw.setdefault("benefit", "participatiewet")
    return PlacementInput(pid, kw.pop("cand", "k1"), start, end, hours, **kw)  # type: ignore[arg-type]


def test_due_checks_and_shares() -> None:
    a = P("a", date(2025, 1, 31), None, 20)  # 3 months -> 2025-04-30 (clamped), 6 -> 2025-07-31
    b = P("b", date(2025, 6, 1), date(2025, 7, 1), 20, cand="k2")  # 3 months -> 2025-09-01
    checks = [
        DurabilityCheck("a", 3, date(2025, 5, 2), still_employed=True, off_benefit=False),
        DurabilityCheck("a", 3, date(2025, 5, 9), still_employed=True, off_benefit=True),  # latest
    ]
    due = due_checks([a, b], checks, today=date(2025, 9, 10))
    assert [(d.placement_id, d.months, d.due_on, d.days_overdue) for d in due] == [
        ("a", 6, date(2025, 7, 31), 41),
        (
            "b",
            3,
            date(2025, 9, 1),
            9,
        ),  # due even though the placement ended: it asks about the person
    ]
    soon = due_checks([a, b], checks, today=date(2025, 7, 20), horizon_days=14)
    assert [(d.placement_id, d.months, d.days_overdue) for d in soon] == [("a", 6, 0)]
    shares = {s.months: s for s in durability_shares([a, b], checks, today=date(2025, 9, 10))}
    assert (shares[3].due, shares[3].checked, shares[3].share_off_benefit) == (2, 1, 1.0)
    assert shares[12].checked == 0 and shares[12].share_still_employed is None


def test_checks_are_validated() -> None:
    a = P("a", date(2025, 1, 1), None, 20)
    with pytest.raises(ValueError, match=r"field 'months' has value 9; allowed: 3, 6, 12"):
        due_checks(
            [a], [DurabilityCheck("a", 9, date(2025, 10, 1), True, True)], today=date(2026, 1, 1)
        )
    with pytest.raises(ValueError, match=r"field 'placement_id' has value 'zz'"):
        durability_shares(
            [a], [DurabilityCheck("zz", 3, date(2025, 4, 1), True, True)], today=date(2026, 1, 1)
        )


def test_short_placement_boundary() -> None:
    assert is_short(P(1, date(2025, 3, 1), date(2025, 8, 30), 20))
    assert not is_short(P(1, date(2025, 3, 1), date(2025, 8, 31), 20))  # six full months
    assert not is_short(P(1, date(2025, 3, 1), None, 20))


def test_carousel_flags_three_short_placements_within_two_years() -> None:
    def short(pid: str, start: date, cand: str = "k1") -> PlacementInput:
        return P(pid, start, start + timedelta(days=60), 20, cand=cand)

    ps = [
        short("a", date(2023, 1, 1)),
        short("b", date(2024, 3, 1)),
        short("c", date(2024, 12, 31)),  # a..c start within two years
        P("long", date(2025, 2, 1), date(2026, 2, 1), 20),  # a lasting job does not count
        short("x", date(2022, 1, 1), "k2"),
        short("y", date(2023, 6, 1), "k2"),
        short("z", date(2024, 1, 1), "k2"),  # x..z span two years and a day: not within two years
        short("p", date(2025, 1, 1), "k3"),
        short("q", date(2025, 2, 1), "k3"),
    ]
    flags = carousel_flags(ps)
    assert [(f.candidate_key, f.placement_ids, f.first_start) for f in flags] == [
        ("k1", ("a", "b", "c"), date(2023, 1, 1))
    ]
    assert [f.candidate_key for f in carousel_flags(ps, min_placements=2)] == ["k1", "k2", "k3"]
