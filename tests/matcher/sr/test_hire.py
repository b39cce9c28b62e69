"""The SR value a hire would credit: the valuation engine asked about one year at given hours."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from matcher.sr.hire import hire_value
from matcher.sr.tables import load_table

DAY = date(2025, 3, 1)


def test_value_is_the_block_rate_pro_rata_for_hours_plus_bonuses() -> None:
    t = load_table("holland-rijnland", DAY)
    ww = t.block("ww").value_per_year_eur
    v = hire_value(t, hours_per_week=18, benefit="ww", start=DAY)
    assert v.block == "ww" and v.per_year_eur == (ww * 18 / t.fulltime_hours).quantize(
        Decimal("0.01")
    )
    bonus = hire_value(t, hours_per_week=18, benefit="ww", target_groups=("55plus",), start=DAY)
    assert bonus.per_year_eur > v.per_year_eur and len(bonus.explanation) == 2


def test_hours_above_full_time_count_as_full_time() -> None:
    t = load_table("holland-rijnland", DAY)
    full = hire_value(t, hours_per_week=float(t.fulltime_hours), benefit="participatiewet")
    more = hire_value(t, hours_per_week=60, benefit="participatiewet")
    assert full.per_year_eur == more.per_year_eur == t.block("participatiewet").value_per_year_eur


def test_no_block_no_value_and_bad_hours_refused() -> None:
    t = load_table("utrecht", DAY)
    none = hire_value(t, hours_per_week=36, benefit="none", start=DAY)
    assert not none.counts and none.per_year_eur == 0 and none.block is None
    with pytest.raises(ValueError, match="hours_per_week"):
        hire_value(t, hours_per_week=0, benefit="ww")
