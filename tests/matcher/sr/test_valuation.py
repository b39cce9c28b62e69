"""Hand-computed valuations from the published tables, and properties of the trace."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.sr.tables import SrTable, load_table
from matcher.sr.valuation import (
    PlacementInput,
    ValuationLine,
    round_cents,
    select_block,
    value_placement,
    value_placements,
)
from matcher.vocab import BENEFITS, PLACEMENT_KINDS, TARGET_GROUPS

UTRECHT = load_table("utrecht", date(2025, 1, 1))
RIJNLAND = load_table("holland-rijnland", date(2025, 1, 1))
FAR = date(2030, 1, 1)  # as_of after everything: all realised


def P(pid: object, start: date, end: date | None, hours: float, **kw: object) -> PlacementInput:
    kw.setdefault("benefit", "participatiewet")
    return PlacementInput(pid, str(kw.pop("cand", "k1")), start, end, hours, **kw)  # type: ignore[arg-type]


def E(s: str) -> Decimal:
    return Decimal(s)


# ---------------------------------------------------------------- hand-computed examples


def test_utrecht_participatiewet_half_time_one_year() -> None:
    # 40,000/yr x 18/36 h x 365/365 d = 20,000.00 (2025 is not a leap year)
    v = value_placement(UTRECHT, P(1, date(2025, 1, 1), date(2025, 12, 31), 18), as_of=FAR)
    assert v.realised_eur == E("20000.00")
    (line,) = v.lines
    assert (line.block, line.bonus, line.rate_per_year_eur) == ("participatiewet", None, 40_000)
    assert (line.hours_per_week, line.fulltime_hours, line.days) == (18, 36, 365)
    assert line.hours_fraction == E("0.5")
    assert (line.day_from, line.day_to) == (date(2025, 1, 1), date(2025, 12, 31))


def test_utrecht_pro_rata_hours_32_of_36() -> None:
    # banenafspraak beats participatiewet: 50,000 x 32/36 x 365/365 = 44,444.444... -> 44,444.44
    p = P(1, date(2025, 1, 1), date(2025, 12, 31), 32, target_groups=("banenafspraak",))
    v = value_placement(UTRECHT, p, as_of=FAR)
    assert v.lines[0].block == "banenafspraak"
    assert v.realised_eur == E("44444.44")


def test_utrecht_ww_two_years_counts_one() -> None:
    # WW cap 1 year: 20,000 x 36/36 x 365/365 = 20,000; 2026 is past the cap and credits nothing
    p = P(1, date(2025, 1, 1), date(2026, 12, 31), 36, benefit="ww")
    v = value_placement(UTRECHT, p, as_of=FAR)
    assert v.realised_eur == E("20000.00")
    assert v.lines[-1].day_to == date(2025, 12, 31)


def test_utrecht_participatiewet_outlives_its_two_year_cap() -> None:
    # Cap 2 x 365 = 730 days from 2025-03-01: last counted day 2027-02-28 (2025-03-01 + 729 d).
    # 40,000 x 36/36 x 730/365 = 80,000.00; the months after the cap count nothing.
    p = P(1, date(2025, 3, 1), date(2027, 12, 31), 36)
    v = value_placement(UTRECHT, p, as_of=FAR)
    assert v.realised_eur == E("80000.00")
    assert sum(ln.days for ln in v.lines if ln.days) == 730
    assert v.lines[-1].day_to == date(2027, 2, 28)


def test_rijnland_55plus_bonus_pro_rata() -> None:
    # Participatiewet 30,000 + 55+ bonus 15,000, 24 of 36 hours, 2025-01-01..2025-07-01 = 182 days:
    #   block: 30,000 x 24/36 x 182/365 = 9,972.6027 -> 9,972.60
    #   bonus: 15,000 x 24/36 x 182/365 = 4,986.3014 -> 4,986.30        total 14,958.90
    p = P(1, date(2025, 1, 1), date(2025, 7, 1), 24, target_groups=("50plus", "55plus"))
    v = value_placement(RIJNLAND, p, as_of=FAR)
    assert [(ln.bonus, ln.amount_eur) for ln in v.lines] == [
        (None, E("9972.60")),
        ("55plus", E("4986.30")),
    ]
    assert v.realised_eur == E("14958.90")


def test_utrecht_age_permanent_and_statushouder_bonuses_stack() -> None:
    # WW 20,000 + 50+ 10,000 + statushouder 10,000 + permanent 10,000 = 50,000 for a full year
    p = P(
        1,
        date(2025, 1, 1),
        date(2025, 12, 31),
        40,  # above the full-time basis: counts as 36/36
        benefit="ww",
        permanent=True,
        target_groups=("55plus", "statushouder"),
    )
    v = value_placement(UTRECHT, p, as_of=FAR)
    assert {ln.bonus for ln in v.lines} == {
        None,
        "50plus",
        "statushouder_of_taalachterstand",
        "vast_contract",
    }
    assert all(ln.hours_per_week == 36 for ln in v.lines)
    assert v.realised_eur == E("50000.00")


def test_utrecht_language_gap_flag_earns_the_bonus() -> None:
    p = P(1, date(2025, 1, 1), date(2025, 12, 31), 36, benefit="ww", language_gap=True)
    assert value_placement(UTRECHT, p, as_of=FAR).realised_eur == E("30000.00")


@pytest.mark.parametrize(("table", "expected"), [(UTRECHT, "35000.00"), (RIJNLAND, "25000.00")])
def test_a_bbl_year_is_flat_whatever_the_hours(table: SrTable, expected: str) -> None:
    # BBL year 2025-08-01..2026-07-31 = 365 days, flat per year (not pro rata for hours), no bonus:
    # Utrecht 35,000 x 365/365, Holland Rijnland 25,000 x 365/365
    p = P(1, date(2025, 8, 1), date(2026, 7, 31), 24, kind="bbl", target_groups=("55plus",))
    v = value_placement(table, p, as_of=FAR)
    assert [ln.bonus for ln in v.lines] == [None]
    assert v.lines[0].block == "bbl" and v.lines[0].hours_per_week == 36
    assert v.realised_eur == E(expected)


def test_bol_internship_and_work_experience_per_month() -> None:
    # BOL Utrecht 20,000/yr, 2025-02-01..2025-06-30 = 150 days:
    #   20,000 x 150/365 = 8,219.178 -> 8,219.18
    bol = P(1, date(2025, 2, 1), date(2025, 6, 30), 16, kind="bol_stage")
    assert value_placement(UTRECHT, bol, as_of=FAR).realised_eur == E("8219.18")
    # work experience 750/month = 9,000/yr, January 2025: 9,000 x 31/365 = 764.383 -> 764.38
    wep = P(2, date(2025, 1, 1), date(2025, 1, 31), 20, kind="werkervaringsplaats")
    v = value_placement(UTRECHT, wep, as_of=FAR)
    assert v.realised_eur == E("764.38")
    assert "750.00/month x 12 = 9,000.00/yr" in v.lines[0].explanation


def test_a_leap_year_credits_366_days() -> None:
    # WW Holland Rijnland, 2024 full year at 18/36: 15,000 x 0.5 x 366/365 = 7,520.548 -> 7,520.55
    # (the 1-year cap is 365 days, so 2024-12-31 falls outside it: 365 days -> 7,500.00)
    p = P(1, date(2024, 1, 1), date(2024, 12, 31), 18, benefit="ww")
    assert value_placement(RIJNLAND, p, as_of=FAR).realised_eur == E("7500.00")
    q = P(2, date(2024, 1, 1), date(2024, 12, 31), 18, benefit="participatiewet")
    assert value_placement(RIJNLAND, q, as_of=FAR).realised_eur == E(
        "15041.10"
    )  # 30,000x.5x366/365


def test_realised_and_forecast_split_at_as_of() -> None:
    # Open WW placement in Utrecht, contract 2025; as_of 2025-06-30:
    #   realised 181 days: 20,000 x 181/365 = 9,917.808 -> 9,917.81
    #   forecast 184 days: 20,000 x 184/365 = 10,082.19; together 20,000.00
    p = P(1, date(2025, 1, 1), None, 36, benefit="ww")
    v = value_placements(
        UTRECHT,
        [p],
        as_of=date(2025, 6, 30),
        period_start=date(2025, 1, 1),
        period_end=date(2025, 12, 31),
    )
    assert v.realised_eur == E("9917.81")
    assert v.forecast_eur == E("20000.00")
    assert [(ln.realised, ln.days) for ln in v.lines] == [(True, 181), (False, 184)]


def test_days_outside_the_contract_period_do_not_count() -> None:
    # contract 2025-04-01..2025-09-30 = 183 days: 40,000 x 183/365 = 20,054.79
    p = P(1, date(2025, 1, 1), date(2025, 12, 31), 36)
    v = value_placements(
        UTRECHT, [p], as_of=FAR, period_start=date(2025, 4, 1), period_end=date(2025, 9, 30)
    )
    assert v.realised_eur == E("20054.79")


def test_two_concurrent_placements_share_the_full_time_basis() -> None:
    # Same person, same contract, 24 h + 24 h on the same days: the first (earlier start, then
    # lower id) gets 24/36, the second what is left, 12/36. Participatiewet Utrecht, all of 2025:
    #   40,000 x 24/36 = 26,666.67 and 40,000 x 12/36 = 13,333.33 -> 40,000.00 (one full time)
    a = P("a", date(2025, 1, 1), date(2025, 12, 31), 24)
    b = P("b", date(2025, 1, 1), date(2025, 12, 31), 24)
    v = value_placements(UTRECHT, [b, a], as_of=FAR)
    assert {(ln.placement_id, ln.hours_per_week, ln.amount_eur) for ln in v.lines} == {
        ("a", 24, E("26666.67")),
        ("b", 12, E("13333.33")),
    }
    assert v.realised_eur == E("40000.00")


def test_the_cap_window_spans_a_later_placement() -> None:
    # WW cap window opens 2025-01-01 and ends 2025-12-31; a second WW job from 2025-10-01 counts
    # only until 2025-12-31 (92 days): 20,000 x 92/365 = 5,041.10;
    # the first job Jan-Mar, 90 days: 20,000 x 90/365 = 4,931.51
    a = P("a", date(2025, 1, 1), date(2025, 3, 31), 36, benefit="ww")
    b = P("b", date(2025, 10, 1), date(2026, 6, 30), 36, benefit="ww")
    v = value_placements(UTRECHT, [a, b], as_of=FAR)
    assert [(ln.placement_id, ln.days, ln.amount_eur) for ln in v.lines] == [
        ("a", 90, E("4931.51")),
        ("b", 92, E("5041.10")),
    ]


def test_two_people_do_not_share_a_basis() -> None:
    a = P("a", date(2025, 1, 1), date(2025, 12, 31), 36, cand="k1")
    b = P("b", date(2025, 1, 1), date(2025, 12, 31), 36, cand="k2")
    assert value_placements(UTRECHT, [a, b], as_of=FAR).realised_eur == E("80000.00")


def test_block_selection_picks_the_highest_applicable() -> None:
    def key(table: SrTable, **kw: object) -> str | None:
        b = select_block(table, P(1, date(2025, 1, 1), None, 36, **kw))
        return None if b is None else b.key

    assert key(UTRECHT, benefit="wajong") == "wia_wao"
    assert key(RIJNLAND, benefit="wajong") == "wajong"
    assert key(RIJNLAND, benefit="wajong", target_groups=("banenafspraak",)) == "banenafspraak"
    assert key(RIJNLAND, benefit="nugger") == "nugger"
    assert key(RIJNLAND, benefit="nugger", work_limitation=True) == "nugger_arbeidsbeperking"
    assert key(UTRECHT, benefit="none", target_groups=("vso_pro",)) == "schoolverlater"
    assert key(UTRECHT, benefit="ww", target_groups=("vso_pro",)) == "schoolverlater"
    assert key(UTRECHT, benefit="ioaw") == "participatiewet"
    assert key(UTRECHT, benefit="none") is None
    assert key(UTRECHT, benefit="participatiewet", kind="leerwerkplek") == "participatiewet"
    assert key(UTRECHT, benefit="ww", kind="bbl") == "bbl"


def test_a_placement_without_a_block_is_reported_not_credited() -> None:
    v = value_placement(UTRECHT, P(9, date(2025, 1, 1), None, 36, benefit="none"), as_of=FAR)
    assert v.lines == () and v.realised_eur == 0
    assert "no block of table utrecht 2024.1 applies to benefit 'none'" in v.skipped[0].reason


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        (
            {"kind": "stage"},
            r"placement 1: field 'kind' has value 'stage'; allowed: arbeidsovereenkomst",
        ),
        (
            {"benefit": "bijstand"},
            r"field 'benefit' has value 'bijstand'; allowed: participatiewet",
        ),
        ({"target_groups": ("jong",)}, r"field 'target_groups' has value 'jong'"),
        ({"hours": 0}, r"field 'hours_per_week' has value 0; expected hours per week > 0"),
        ({"end": date(2024, 1, 1)}, r"field 'end_date' has value '2024-01-01'; must not be before"),
    ],
)
def test_invalid_placements_are_refused(kw: dict[str, object], message: str) -> None:
    hours = kw.pop("hours", 20)
    end = kw.pop("end", None)
    with pytest.raises(ValueError, match=message):
        value_placement(UTRECHT, P(1, date(2025, 1, 1), end, hours, **kw), as_of=FAR)  # type: ignore[arg-type]


def test_duplicate_placement_ids_are_refused() -> None:
    p = P(1, date(2025, 1, 1), None, 20)
    with pytest.raises(ValueError, match="placement 1: field 'placement_id' is duplicated"):
        value_placements(UTRECHT, [p, p], as_of=FAR)


def test_round_cents_is_half_up_and_exact() -> None:
    assert round_cents(Fraction(5, 1000)) == E("0.01")
    assert round_cents(Fraction(4999, 1000000)) == E("0.00")
    assert round_cents(Fraction(12345, 1000)) == E("12.35")


# ---------------------------------------------------------------- properties

D0 = date(2024, 1, 1)
TABLES = [UTRECHT, RIJNLAND, load_table("nationaal", date(2025, 1, 1))]


@st.composite
def scenarios(
    draw: st.DrawFn,
) -> tuple[SrTable, list[PlacementInput], date, date | None, date | None]:
    table = draw(st.sampled_from(TABLES))
    n = draw(st.integers(1, 7))
    cands = draw(st.lists(st.sampled_from(["k1", "k2", "k3"]), min_size=n, max_size=n))
    placements = []
    for i, cand in enumerate(cands):
        start = D0 + timedelta(days=draw(st.integers(0, 1200)))
        end = draw(st.none() | st.integers(0, 900).map(lambda d, s=start: s + timedelta(days=d)))
        placements.append(
            PlacementInput(
                placement_id=i,
                candidate_key=cand,
                start_date=start,
                end_date=end,
                hours_per_week=draw(st.sampled_from([4, 12, 18, 24, 25.5, 32, 36, 40])),
                kind=draw(st.sampled_from(PLACEMENT_KINDS)),
                permanent=draw(st.booleans()),
                benefit=draw(st.sampled_from(BENEFITS)),
                target_groups=tuple(draw(st.sets(st.sampled_from(TARGET_GROUPS), max_size=3))),
                work_limitation=draw(st.booleans()),
                language_gap=draw(st.booleans()),
            )
        )
    ps = draw(st.none() | st.integers(0, 700).map(lambda d: D0 + timedelta(days=d)))
    pe = draw(st.none() | st.integers(300, 1800).map(lambda d: D0 + timedelta(days=d)))
    if ps is not None and pe is not None and pe < ps:
        ps, pe = pe, ps
    as_of = D0 + timedelta(days=draw(st.integers(0, 2000)))
    return table, placements, as_of, ps, pe


def _days(line: ValuationLine) -> list[date]:
    assert line.day_from is not None and line.day_to is not None
    return [
        line.day_from + timedelta(days=i) for i in range((line.day_to - line.day_from).days + 1)
    ]


def _oracle(
    table: SrTable, placements: list[PlacementInput], as_of: date, ps: date | None, pe: date | None
) -> dict[tuple[object, date], Decimal]:
    """Credited hours per (placement, day), computed the slow, obvious way: day by day."""
    horizon = pe if pe is not None else as_of
    info = {}
    for p in placements:
        b = select_block(table, p)
        if b is None:
            continue
        first = max(p.start_date, ps) if ps else p.start_date
        last = min(p.end_date or horizon, pe) if pe else (p.end_date or horizon)
        if last >= first:
            info[p.placement_id] = (p, b, first, last)
    window: dict[tuple[str, str], date] = {}
    for p, b, first, _ in sorted(info.values(), key=lambda x: x[2]):
        window.setdefault((p.candidate_key, b.key), first)
    out: dict[tuple[object, date], Decimal] = {}
    days = sorted(
        {f + timedelta(days=i) for _, _, f, la in info.values() for i in range((la - f).days + 1)}
    )
    order = sorted(info.values(), key=lambda x: (x[0].start_date, str(x[0].placement_id)))
    for day in days:
        used: dict[str, Decimal] = defaultdict(Decimal)
        for p, b, first, last in order:
            opens = window[(p.candidate_key, b.key)]
            if not (first <= day <= last):
                continue
            if b.max_days is not None and day > opens + timedelta(days=b.max_days - 1):
                continue
            want = (
                min(Decimal(str(p.hours_per_week)), table.fulltime_hours)
                if b.hours_pro_rata
                else table.fulltime_hours
            )
            give = min(want, table.fulltime_hours - used[p.candidate_key])
            if give > 0:
                used[p.candidate_key] += give
                out[(p.placement_id, day)] = give
    return out


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_trace_matches_a_day_by_day_oracle_and_never_credits_a_day_twice(
    scenario: tuple[SrTable, list[PlacementInput], date, date | None, date | None],
) -> None:
    table, placements, as_of, ps, pe = scenario
    v = value_placements(table, placements, as_of=as_of, period_start=ps, period_end=pe)

    credited: dict[tuple[object, date], Decimal] = {}
    per_candidate_day: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
    for ln in v.lines:
        assert ln.hours_per_week is not None and ln.rate_per_year_eur is not None and ln.days
        # each line's amount is its own arithmetic, rounded once
        assert ln.amount_eur == round_cents(
            Fraction(ln.rate_per_year_eur)
            * Fraction(ln.hours_per_week)
            / Fraction(table.fulltime_hours)
            * ln.days
            / 365
        )
        # realised lines end by as_of, forecast lines start after it
        assert (ln.day_to <= as_of) if ln.realised else (ln.day_from > as_of)  # type: ignore[operator]
        if ln.bonus is not None:
            continue
        for day in _days(ln):
            assert (ln.placement_id, day) not in credited, "a placement-day credited twice"
            credited[(ln.placement_id, day)] = ln.hours_per_week
            per_candidate_day[(ln.candidate_key or "", day)] += ln.hours_per_week
            if ps is not None:
                assert day >= ps
            if pe is not None:
                assert day <= pe
    assert all(h <= table.fulltime_hours for h in per_candidate_day.values())
    assert credited == _oracle(table, placements, as_of, ps, pe)
    assert v.forecast_eur == sum((ln.amount_eur for ln in v.lines), Decimal(0))
    assert v.realised_eur <= v.forecast_eur
