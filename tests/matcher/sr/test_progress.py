"""Contract progress: obligation, status, penalty, report rows and sheets, and the trace."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.sr.progress import (
    ContractInput,
    contract_obligation,
    contract_report,
    report_summary_row,
    report_trace_rows,
    reports_to_sheets,
    table_for_contract,
)
from matcher.sr.tables import PSO_LEVELS, TABLES_DIR, SrTable, load_table, validate_table
from matcher.sr.valuation import PlacementInput
from matcher.vocab import BENEFITS, PLACEMENT_KINDS, TARGET_GROUPS

UTRECHT = load_table("utrecht", date(2025, 1, 1))
RIJNLAND = load_table("holland-rijnland", date(2025, 1, 1))
NATIONAAL = load_table("nationaal", date(2025, 1, 1))
Y25 = {"start_date": date(2025, 1, 1), "end_date": date(2025, 12, 31)}


def E(s: str) -> Decimal:
    return Decimal(s)


def P(pid: object, start: date, end: date | None, hours: float, **kw: Any) -> PlacementInput:
    kw.setdefault("benefit", "participatiewet")
    return PlacementInput(pid, kw.pop("cand", "k1"), start, end, hours, **kw)  # type: ignore[arg-type]


def _table_with(**changes: Any) -> SrTable:
    raw = json.loads((TABLES_DIR / "utrecht-2024.json").read_text(encoding="utf-8"))
    raw.update(changes)
    return validate_table(raw, "utrecht-2024.json")


# ---------------------------------------------------------------- obligation and status


def test_status_met() -> None:
    # obligation 5% x 400,000 = 20,000; a full-time Participatiewet year in Utrecht realises 40,000
    c = ContractInput("C-MET", 400_000, sr_table="utrecht", **Y25)
    r = contract_report(
        c, [P(1, date(2025, 1, 1), date(2025, 12, 31), 36)], UTRECHT, as_of=date(2026, 1, 15)
    )
    assert (r.obligation.amount_eur, r.realised_eur, r.status) == (
        E("20000.00"),
        E("40000.00"),
        "met",
    )
    assert r.shortfall_eur == 0 and r.penalty_eur is None and r.realised_pct == E("200.0")


def test_status_on_track() -> None:
    # as_of 2025-03-31: realised 40,000 x 90/365 = 9,863.01 < 20,000; forecast 40,000 >= 20,000
    c = ContractInput("C-ON", 400_000, **Y25)
    r = contract_report(c, [P(1, date(2025, 1, 1), None, 36)], UTRECHT, as_of=date(2025, 3, 31))
    assert (r.realised_eur, r.forecast_eur, r.status) == (E("9863.01"), E("40000.00"), "on_track")
    assert r.shortfall_eur == E("10136.99") and r.forecast_shortfall_eur == 0


def test_status_behind_with_a_penalty_where_the_table_defines_one() -> None:
    # Obligation 5% x 1,000,000 = 50,000. One WW person, 18/36 h, all of 2025 in Utrecht:
    # 20,000 x 0.5 = 10,000 forecast; shortfall at the end 40,000; penalty 1.5 x 40,000 = 60,000
    table = _table_with(penalty_factor=1.5)
    c = ContractInput("C-BEHIND", 1_000_000, **Y25)
    p = P(1, date(2025, 1, 1), None, 18, benefit="ww")
    r = contract_report(c, [p], table, as_of=date(2025, 7, 1))
    assert r.status == "behind"
    assert r.forecast_eur == E("10000.00")
    assert r.forecast_shortfall_eur == E("40000.00")
    assert r.penalty_eur == E("60000.00")
    # after the end the forecast is what was realised and the penalty is final
    end = contract_report(c, [p], table, as_of=date(2026, 2, 1))
    assert end.realised_eur == end.forecast_eur == E("10000.00")
    assert end.shortfall_eur == E("40000.00") and end.penalty_eur == E("60000.00")


def test_social_purchasing_volunteer_hours_and_pso_count_with_a_trace_line() -> None:
    # obligation 5% x 200,000 = 10,000; PSO trede 1 = 0.25 x 10,000 = 2,500;
    # invoices 3,000 x 1.0 = 3,000; volunteer 12 h x 100 = 1,200 -> 6,700 realised
    c = ContractInput(
        "C-MIX", 200_000, pso_level="trede_1", social_purchasing_eur=3000, volunteer_hours=12, **Y25
    )
    r = contract_report(c, [], UTRECHT, as_of=date(2025, 6, 1))
    assert [(ln.source, ln.amount_eur) for ln in r.lines] == [
        ("social_purchasing", E("3000.00")),
        ("volunteer", E("1200.00")),
        ("pso", E("2500.00")),
    ]
    assert r.realised_eur == E("6700.00") and r.status == "behind"
    assert "12 h x 100.00/h = 1,200.00" in r.lines[1].explanation
    with pytest.raises(ValueError, match="does not value volunteer hours"):
        contract_report(c, [], RIJNLAND, as_of=date(2025, 6, 1))


def test_pso_trede_3_fulfils_the_obligation() -> None:
    c = ContractInput("C-PSO", 500_000, pso_level="trede_3", **Y25)
    r = contract_report(c, [], UTRECHT, as_of=date(2025, 2, 1))
    assert r.status == "met" and r.realised_eur == r.obligation.amount_eur == E("25000.00")


@pytest.mark.parametrize(
    ("contract", "applies", "reason"),
    [
        (ContractInput("A", 1_000_000, category="werken", **Y25), True, "5% of 1,000,000.00"),
        (ContractInput("B", 249_999, category="diensten"), False, "below the threshold 250,000.00"),
        (
            ContractInput("C", 1_000_000, category="leveringen"),
            False,
            "no SR obligation for category leveringen",
        ),
        (
            ContractInput("D", 1_000_000, start_date=date(2025, 1, 1), end_date=date(2025, 6, 29)),
            False,
            "shorter than 6 months",
        ),
        (
            ContractInput("E", 1_000_000, start_date=date(2025, 1, 1), end_date=date(2025, 6, 30)),
            True,
            "5%",
        ),
        (ContractInput("F", 1_000_000, sr_percentage=2), True, "2% of"),
    ],
)
def test_national_obligation_rules(contract: ContractInput, applies: bool, reason: str) -> None:
    o = contract_obligation(contract, NATIONAAL)
    assert o.applies is applies and reason in o.reason
    assert (o.amount_eur > 0) is applies


def test_no_obligation_means_met() -> None:
    r = contract_report(ContractInput("X", 100_000), [], NATIONAAL, as_of=date(2025, 1, 1))
    assert r.status == "met" and r.obligation.amount_eur == 0 and r.realised_pct is None


def test_obligation_cap() -> None:
    table = _table_with(cap_eur=300_000)
    o = contract_obligation(ContractInput("Big", 10_000_000), table)  # 5% = 500,000 -> 300,000
    assert o.amount_eur == E("300000.00") and "capped" in o.reason


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"category": "bouw"}, r"contract C: field 'category' has value 'bouw'; allowed: werken"),
        ({"pso_level": "trede_4"}, r"field 'pso_level' has value 'trede_4'; allowed: aspirant"),
        ({"value_eur": -1}, r"field 'value_eur' has value -1; expected a number >= 0"),
        ({"sr_percentage": 101}, r"field 'sr_percentage' has value 101; expected a percentage"),
        (
            {"start_date": date(2025, 2, 1), "end_date": date(2025, 1, 1)},
            r"field 'end_date' has value '2025-01-01'; must not be before",
        ),
    ],
)
def test_invalid_contracts_are_refused(kw: dict[str, Any], message: str) -> None:
    kw.setdefault("value_eur", 100_000)
    with pytest.raises(ValueError, match=message):
        contract_report(ContractInput("C", **kw), [], UTRECHT, as_of=date(2025, 1, 1))


def test_table_for_contract_uses_the_named_table_valid_on_the_start() -> None:
    c = ContractInput("C", 1, sr_table="holland-rijnland", start_date=date(2025, 5, 1))
    assert table_for_contract(c).region == "holland-rijnland"
    early = ContractInput("C", 1, sr_table="utrecht", start_date=date(2023, 2, 7))
    assert table_for_contract(early).valid_from == date(2024, 1, 1)  # the earliest version
    with pytest.raises(ValueError, match="unknown SR table 'zwolle'"):
        table_for_contract(ContractInput("C", 1, sr_table="zwolle"))


# ---------------------------------------------------------------- rows and sheets


def test_rows_and_sheets_are_plain_and_add_up() -> None:
    c = ContractInput("R/1:x", 400_000, contractor="Bouw BV", **Y25)
    ps = [
        P(1, date(2025, 1, 1), None, 24, target_groups=("50plus",)),
        P(2, date(2025, 1, 1), None, 36, benefit="none"),
    ]
    r = contract_report(c, ps, UTRECHT, as_of=date(2025, 6, 30))
    summary = report_summary_row(r)
    assert summary["contract_ref"] == "R/1:x" and summary["status"] == r.status
    assert summary["placements_credited"] == 1 and summary["placements_not_credited"] == 1
    rows = report_trace_rows(r)
    assert rows[-1]["amount_eur"] == 0.0 and rows[-1]["explanation"].startswith("not credited")
    assert {row["bonus"] for row in rows[:-1]} == {None, "50plus"}
    assert sum(Decimal(str(row["amount_eur"])) for row in rows) == r.forecast_eur
    assert rows[0]["hours_fraction"] == pytest.approx(2 / 3, abs=1e-6)
    for row in rows:
        assert all(v is None or isinstance(v, str | int | float | bool) for v in row.values())
    sheets = reports_to_sheets([r, r])
    assert list(sheets) == ["contracts", "R_1_x", "R_1_x (2)"]
    assert len(sheets["contracts"]) == 2


# ---------------------------------------------------------------- property: reports add up


@st.composite
def contract_scenarios(
    draw: st.DrawFn,
) -> tuple[ContractInput, list[PlacementInput], SrTable, date]:
    table = draw(st.sampled_from([UTRECHT, RIJNLAND, NATIONAAL]))
    start = date(2024, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    end = start + timedelta(days=draw(st.integers(0, 1100)))
    contract = ContractInput(
        "C",
        draw(st.integers(0, 3_000_000)),
        start_date=start,
        end_date=end,
        category=draw(st.none() | st.sampled_from(["werken", "diensten", "leveringen"])),
        pso_level=draw(st.none() | st.sampled_from(PSO_LEVELS)),
        social_purchasing_eur=draw(st.decimals(0, 50_000, places=2)),
        volunteer_hours=draw(st.integers(0, 40)) if table.volunteer_hour_eur is not None else 0,
    )
    placements = [
        PlacementInput(
            i,
            draw(st.sampled_from(["a", "b"])),  # few people: overlaps on one person are common
            s := start + timedelta(days=draw(st.integers(-100, 900))),
            draw(st.none() | st.integers(0, 700).map(lambda d, s=s: s + timedelta(days=d))),
            draw(st.sampled_from([8, 18, 25.5, 36])),
            kind=draw(st.sampled_from(PLACEMENT_KINDS)),
            permanent=draw(st.booleans()),
            benefit=draw(st.sampled_from(BENEFITS)),
            target_groups=tuple(draw(st.sets(st.sampled_from(TARGET_GROUPS), max_size=2))),
        )
        for i in range(draw(st.integers(0, 6)))
    ]
    as_of = start + timedelta(days=draw(st.integers(-30, 1300)))
    return contract, placements, table, as_of


@settings(max_examples=150, deadline=None)
@given(contract_scenarios())
def test_every_report_trace_adds_up_to_its_totals(
    scenario: tuple[ContractInput, list[PlacementInput], SrTable, date],
) -> None:
    contract, placements, table, as_of = scenario
    r = contract_report(contract, placements, table, as_of=as_of)
    assert r.realised_eur == sum((ln.amount_eur for ln in r.lines if ln.realised), Decimal(0))
    assert r.forecast_eur == sum((ln.amount_eur for ln in r.lines), Decimal(0))
    rows = report_trace_rows(r)
    assert sum(Decimal(str(row["amount_eur"])) for row in rows) == r.forecast_eur
    if r.final:  # after the end date: met or not_met, nothing in between
        assert r.status in ("met", "not_met")
        assert (r.status == "not_met") == (r.shortfall_eur > 0)
    else:
        assert r.status in ("met", "on_track", "behind")
    assert r.realised_eur <= r.forecast_eur
    assert r.shortfall_eur == max(r.obligation.amount_eur - r.realised_eur, 0)
    if r.status == "met":
        assert r.realised_eur >= r.obligation.amount_eur
    # no candidate-day above full time: per person and day the block hours add up to <= 36
    per_day: dict[tuple[str | None, date], Decimal] = {}
    for ln in r.lines:
        if ln.source != "placement" or ln.bonus is not None:
            continue
        assert ln.day_from is not None and ln.day_to is not None and ln.hours_per_week is not None
        assert contract.start_date is not None and contract.end_date is not None
        assert contract.start_date <= ln.day_from <= ln.day_to <= contract.end_date
        for i in range((ln.day_to - ln.day_from).days + 1):
            key = (ln.candidate_key, ln.day_from + timedelta(days=i))
            per_day[key] = per_day.get(key, Decimal(0)) + ln.hours_per_week
    assert all(h <= table.fulltime_hours for h in per_day.values())
