"""SR efforts in the valuation: each approved effort on its own trace line, amounts by hand."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal

import numpy as np
import pytest

from matcher.explore import ExploreFilters, filter_rows
from matcher.features import LICENCE_BIT, Vocabulary, candidate_arrays
from matcher.profiles import CandidateProfile, ConceptRef
from matcher.sr.efforts import EffortInput, allowed_kinds, check_effort, value_efforts
from matcher.sr.progress import ContractInput, contract_report, report_trace_rows
from matcher.sr.tables import load_table
from matcher.sr.valuation import PlacementInput

UTRECHT = load_table("utrecht", date(2025, 1, 1))
NATIONAAL = load_table("nationaal", date(2025, 1, 1))
C = ContractInput(
    "C-E",
    Decimal(1_000_000),
    start_date=date(2025, 1, 1),
    end_date=date(2025, 12, 31),
    sr_table="utrecht",
)  # obligation 50,000


def _report(
    efforts: list[EffortInput], contract: ContractInput = C, as_of: date = date(2025, 6, 30)
):  # type: ignore[no-untyped-def]
    p = PlacementInput("p1", "k1", date(2025, 1, 1), date(2025, 3, 31), 36, benefit="ww")
    return contract_report(contract, [p], UTRECHT, as_of=as_of, efforts=efforts)


def test_each_kind_by_hand_and_realised_moves_by_the_line() -> None:
    base = _report([])
    efforts = [
        EffortInput(1, "social_purchasing", date(2025, 2, 1), amount_eur=Decimal("1000.10")),
        EffortInput(2, "training", date(2025, 3, 1), amount_eur=Decimal("2500")),
        EffortInput(3, "volunteer", date(2025, 4, 1), hours=Decimal("7.5")),
        EffortInput(4, "pso", date(2025, 5, 1), pso_level="trede_1"),
        EffortInput(5, "social_purchasing", date(2025, 9, 1), amount_eur=Decimal("999")),  # later
    ]
    r = _report(efforts)
    lines = {ln.effort_id: ln for ln in r.lines if ln.effort_id is not None}
    assert sorted(lines) == [1, 2, 3, 4]  # effort 5 is dated after as_of: not done yet
    assert lines[1].amount_eur == Decimal("1000.10")
    assert lines[2].amount_eur == Decimal("2500.00")  # training at cost (factor 1.0)
    assert lines[3].amount_eur == Decimal("750.00")  # 7.5 h x 100
    assert lines[4].amount_eur == Decimal("12500.00")  # 0.25 x 50,000
    assert all(ln.realised and ln.day_from == ln.day_to for ln in lines.values())
    assert r.realised_eur - base.realised_eur == sum(ln.amount_eur for ln in lines.values())
    rows = [row for row in report_trace_rows(r) if row["effort_id"] is not None]
    assert [row["source"] for row in rows] == ["social_purchasing", "training", "volunteer", "pso"]


def test_one_pso_certificate_counts_once() -> None:
    with_level = dataclasses.replace(C, pso_level="trede_2")  # 25,000 credited by the contract
    r = _report(
        [
            EffortInput(8, "pso", date(2025, 2, 1), pso_level="trede_3"),
            EffortInput(9, "pso", date(2025, 3, 1), pso_level="trede_1"),
        ],
        contract=with_level,
    )
    pso = [ln for ln in r.lines if ln.source == "pso"]
    assert [(ln.effort_id, ln.amount_eur) for ln in pso] == [
        (None, Decimal("25000.00")),
        (8, Decimal("25000.00")),  # trede 3 fulfils all: what it adds above trede 2
        (9, Decimal("0.00")),
    ]
    assert sum(ln.amount_eur for ln in pso) == Decimal("50000.00")
    assert "not credited" in pso[2].explanation


def test_tables_say_which_kinds_count() -> None:
    assert allowed_kinds(UTRECHT) == ("social_purchasing", "pso", "training", "volunteer")
    assert "volunteer" not in allowed_kinds(NATIONAAL)
    with pytest.raises(ValueError, match="'kind' has value 'volunteer'"):
        check_effort(EffortInput(1, "volunteer", date(2025, 1, 1), hours=3), NATIONAAL)
    with pytest.raises(ValueError, match="amount_eur"):
        check_effort(EffortInput(1, "training", date(2025, 1, 1)), UTRECHT)
    with pytest.raises(ValueError, match="pso_level"):
        value_efforts(
            UTRECHT,
            [EffortInput(1, "pso", date(2025, 1, 1), pso_level="x")],
            obligation_eur=Decimal(1),
            as_of=date(2025, 1, 1),
        )


def test_explore_filters_are_masks() -> None:
    sv, ov = Vocabulary(), Vocabulary()
    profiles = [
        CandidateProfile(
            id=1,
            ref="K1",
            pc4="3511",
            lat=52.09,
            lon=5.12,
            benefit="ww",
            skills=(ConceptRef("heftruck"), ConceptRef("vca")),
            occupations=(ConceptRef("oc_magazijn"),),
            education_level=3,
            driving_licences=("CE",),
            hours_per_week=36,
        ),
        CandidateProfile(
            id=2,
            ref="K2",
            pc4="3511",
            lat=52.09,
            lon=5.12,
            benefit="ww",
            skills=(ConceptRef("heftruck"),),
            education_level=2,
            hours_per_week=20,
        ),
        CandidateProfile(
            id=3,
            ref="K3",
            pc4="9711",
            lat=53.22,
            lon=6.57,
            benefit="ww",
            skills=(ConceptRef("heftruck"), ConceptRef("vca")),
            hours_per_week=36,
        ),
    ]
    c = candidate_arrays(profiles, sv, ov)
    rows = np.arange(3)

    def ids(**kw: object) -> list[int]:
        f = ExploreFilters(lat=52.09, lon=5.12, **kw)  # type: ignore[arg-type]
        return [int(i) for i in c.ids[filter_rows(c, rows, f)]]

    assert ids() == [1, 2, 3]
    assert ids(skill_cols=(sv.index["heftruck"], sv.index["vca"])) == [1, 3]
    assert ids(skill_cols=(sv.index["vca"], 999)) == []  # a skill nobody has
    assert ids(occupation_cols=(ov.index["oc_magazijn"],)) == [1]
    assert ids(hours_min=32) == [1, 3]
    assert ids(education_min=3) == [1]  # unknown education fails
    assert ids(licence_bits=(LICENCE_BIT["C"],)) == [1]  # CE proves C
    assert ids(max_km=30) == [1, 2]
