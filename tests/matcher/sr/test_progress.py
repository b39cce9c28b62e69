"""Contract progress, report rows, durability, the carousel, reach and the matching funnel."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.sr_measure import (
    ContractInput,
    DurabilityCheck,
    add_months,
    carousel_flags,
    contract_obligation,
    contract_report,
    due_checks,
    durability_shares,
    is_short,
    matching_funnel,
    reach,
    report_summary_row,
    report_trace_rows,
    reports_to_sheets,
    table_for_contract,
)
from matcher.sr_tables import PSO_LEVELS, TABLES_DIR, SrTable, load_table, validate_table
from matcher.valuation import PlacementInput
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


# ---------------------------------------------------------------- durability and carousel


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


def test_add_months_clamps() -> None:
    assert add_months(date(2024, 11, 30), 3) == date(2025, 2, 28)
    assert add_months(date(2023, 11, 29), 3) == date(2024, 2, 29)
    assert add_months(date(2025, 1, 1), 12) == date(2026, 1, 1)


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


# ---------------------------------------------------------------- reach


def test_reach_shows_creaming() -> None:
    # Pool: 4 people on step 2 (far from work), 4 on step 5. All 3 placed people are on step 5.
    pool = pd.DataFrame(
        {
            "candidate_key": [f"c{i}" for i in range(8)],
            "ladder_step": [2, 2, 2, None, 5, 5, 5, 5],
            "benefit": ["participatiewet"] * 4 + ["ww"] * 4,
            "target_groups": [
                ["statushouder"],
                "banenafspraak;50plus",
                [],
                None,
                [],
                [],
                [],
                ["50plus"],
            ],
        }
    )
    placements = pd.DataFrame({"candidate_key": ["c4", "c5", "c5", "c7"]})
    out = reach(pool, placements)
    ladder = out[out["dimension"] == "ladder_step"].set_index("value")
    assert list(ladder.index) == ["2", "5", "onbekend"]
    assert ladder.loc["2", "placed"] == 0 and ladder.loc["2", "representation"] == 0
    assert ladder.loc["5", "placed"] == 3 and ladder.loc["5", "placements"] == 4
    # step 5 is half the pool but all of the placed: representation 1 / 0.5 = 2
    assert ladder.loc["5", "representation"] == pytest.approx(2.0)
    benefit = out[out["dimension"] == "benefit"].set_index("value")
    assert benefit.loc["participatiewet", "placement_rate"] == 0
    groups = out[out["dimension"] == "target_groups"].set_index("value")
    assert groups.loc["50plus", "pool"] == 2 and groups.loc["50plus", "placed"] == 1
    assert groups.loc["geen", "pool"] == 5
    assert list(out.columns) == [
        "dimension",
        "value",
        "pool",
        "pool_share",
        "placed",
        "placed_share",
        "placements",
        "placement_rate",
        "representation",
    ]


def test_reach_refuses_unknown_people_and_values() -> None:
    pool = pd.DataFrame(
        {"candidate_key": ["a"], "ladder_step": [3], "benefit": ["ww"], "target_groups": [[]]}
    )
    with pytest.raises(ValueError, match=r"field 'candidate_key' has value 'b' not in the pool"):
        reach(pool, pd.DataFrame({"candidate_key": ["b"]}))
    with pytest.raises(ValueError, match=r"field 'ladder_step' has value '9'"):
        reach(pool.assign(ladder_step=[9]), pd.DataFrame({"candidate_key": ["a"]}))
    with pytest.raises(ValueError, match=r"field 'benefit' has value 'bijstand'"):
        reach(pool.assign(benefit=["bijstand"]), pd.DataFrame({"candidate_key": ["a"]}))


# ---------------------------------------------------------------- matching funnel


def test_matching_funnel_per_model_version() -> None:
    rows = [
        # v1: event log rows; a reached hired at rank 2, b was introduced then rejected at rank 15
        ("v1", "V1", "a", 2, "proposed"),
        ("v1", "V1", "a", 2, "introduced"),
        ("v1", "V1", "a", 2, "hired"),
        ("v1", "V1", "b", 15, "introduced"),
        ("v1", "V1", "b", 15, "rejected"),
        ("v1", "V1", "c", 4, None),
        ("v1", "V2", "d", 11, "hired"),  # hired, but not from the top 10
        # v2: one row per pair with the latest status
        ("v2", "V1", "a", 1, "interviewed"),
        ("v2", "V1", "e", 3, "withdrawn"),
    ]
    df = pd.DataFrame(
        rows, columns=["model_version", "vacancy_ref", "candidate_ref", "rank", "status"]
    )
    out = matching_funnel(df).set_index("model_version")
    v1, v2 = out.loc["v1"], out.loc["v2"]
    assert [
        int(v1[c])
        for c in ("shortlisted", "proposed", "introduced", "interviewed", "hired", "hired_top10")
    ] == [
        4,
        3,
        3,
        2,
        2,
        1,
    ]
    assert v1["top10_share_of_hires"] == pytest.approx(0.5)
    assert [
        int(v2[c]) for c in ("shortlisted", "proposed", "introduced", "interviewed", "hired")
    ] == [2, 2, 1, 1, 0]
    assert pd.isna(v2["top10_share_of_hires"])
    assert (
        int(matching_funnel(df, top_k=20).set_index("model_version").loc["v1", "hired_top20"]) == 2
    )


def test_matching_funnel_refuses_bad_rows() -> None:
    row = {
        "model_version": "v",
        "vacancy_ref": "V",
        "candidate_ref": "a",
        "rank": 1,
        "status": "placed",
    }
    with pytest.raises(ValueError, match=r"field 'status' has value 'placed'; allowed: proposed"):
        matching_funnel([row])
    with pytest.raises(ValueError, match=r"field 'rank' has value 0"):
        matching_funnel([{**row, "status": None, "rank": 0}])
    with pytest.raises(ValueError, match=r"missing column\(s\) rank"):
        matching_funnel([{k: v for k, v in row.items() if k != "rank"}])
