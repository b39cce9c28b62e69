"""The fairness audit's arithmetic (matcher.fairness): group counts, Wilson intervals, ratios to
the best-served group, the gate, and a deliberately biased scorer caught on simulated
shortlists (issue 14, acceptance 1)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import numpy as np
import pytest

from matcher.fairness import (
    AUDIT_ONLY_DIMENSIONS,
    CandidateGroups,
    GroupTable,
    audit_table,
    exposure_rows,
    gate,
    group_labels,
    simulate_selection,
    wilson_interval,
)
from matcher.features import COL, PAIR_COLUMNS
from matcher.profiles import CandidateProfile, VacancyProfile
from matcher.ranker import BaselineScorer, SRRanker
from matcher.vocab import PROTECTED_ATTRIBUTES

AS_OF = date(2026, 6, 1)


def _groups(i: int) -> CandidateGroups:
    rng = np.random.default_rng(i)
    return CandidateGroups(
        benefit=["ww", "wajong", "participatiewet", None][i % 4],
        ladder_step=[1, 3, 5, None][i % 4],
        target_groups=(("banenafspraak",), ("statushouder", "50plus"), ())[i % 3],
        unemployed_since=None if i % 5 == 0 else date(2026, 1, 1).replace(year=2026 - i % 7),
        birth_year=None if i % 6 == 0 else int(1950 + rng.integers(0, 55)),
        gender=["m", "v", "x", None][i % 4],
    )


def test_group_table_counts_agree_with_one_candidate_at_a_time() -> None:
    table = GroupTable()
    for i in range(1, 301):
        table.upsert(i, _groups(i))
    ids = np.array([*range(5, 250, 3), 9999], dtype=np.int64)  # 9999 is unknown: ignored
    counted = table.count(ids, as_of=AS_OF)
    naive: dict[str, Counter[str]] = {}
    for i in ids[:-1]:
        for dim, labels in group_labels(_groups(int(i)), AS_OF).items():
            naive.setdefault(dim, Counter()).update(labels)
    assert counted == {d: dict(c) for d, c in naive.items()}
    table.remove(5)
    assert sum(table.count(ids, as_of=AS_OF)["benefit"].values()) == len(ids) - 2


def test_counts_on_another_day_band_time_out_of_work_and_age_as_of_that_day() -> None:
    """A count packs each row's groups for one day; the next day's count must not reuse it."""
    table = GroupTable()
    for i in range(1, 301):
        table.upsert(i, _groups(i))
    ids = np.arange(1, 301, dtype=np.int64)
    for day in (AS_OF, date(2031, 6, 1), AS_OF):
        naive: dict[str, Counter[str]] = {}
        for i in ids:
            for dim, labels in group_labels(_groups(int(i)), day).items():
                naive.setdefault(dim, Counter()).update(labels)
        assert table.count(ids, as_of=day) == {d: dict(c) for d, c in naive.items()}
    assert (
        table.count(ids, as_of=date(2031, 6, 1))["age_band"]
        != table.count(ids, as_of=AS_OF)["age_band"]
    )


def test_changes_merged_into_the_arrays_count_like_a_fresh_table() -> None:
    rng = np.random.default_rng(11)
    table, ids = GroupTable(), np.arange(1, 400, dtype=np.int64)
    state = {i: _groups(i) for i in range(1, 200)}
    for i, g in state.items():
        table.upsert(i, g)
    table.count(ids, as_of=AS_OF)  # builds the arrays once
    for step in range(6):
        for i in map(int, rng.choice(np.arange(1, 400), size=40, replace=False)):
            if rng.random() < 0.3:
                table.remove(i)
                state.pop(i, None)
            else:
                state[i] = _groups(i + step)
                table.upsert(i, state[i])
        fresh = GroupTable()
        for i, g in state.items():
            fresh.upsert(i, g)
        assert table.count(ids, as_of=AS_OF) == fresh.count(ids, as_of=AS_OF)
        assert list(table.ids()) == sorted(state)


@pytest.mark.parametrize(
    ("groups", "dim", "expected"),
    [
        (CandidateGroups(unemployed_since=date(2026, 3, 1)), "out_of_work", ("<6m",)),
        (CandidateGroups(unemployed_since=date(2025, 3, 1)), "out_of_work", ("1-2y",)),
        (CandidateGroups(unemployed_since=date(2010, 1, 1)), "out_of_work", ("5y+",)),
        (CandidateGroups(), "out_of_work", ("unknown",)),
        (CandidateGroups(birth_year=2003), "age_band", ("<27",)),
        (CandidateGroups(birth_year=1974), "age_band", ("50-54",)),
        (CandidateGroups(birth_year=1960), "age_band", ("55+",)),
        (CandidateGroups(gender="q"), "gender", ("unknown",)),
        (CandidateGroups(benefit="bogus"), "benefit", ("unknown",)),
        (
            CandidateGroups(target_groups=("vso_pro", "50plus")),
            "target_group",
            ("vso_pro", "50plus"),
        ),
    ],
)
def test_group_labels(groups: CandidateGroups, dim: str, expected: tuple[str, ...]) -> None:
    assert group_labels(groups, AS_OF)[dim] == expected


def test_wilson_interval_contains_the_rate_and_narrows_with_counts() -> None:
    lo, hi = wilson_interval(3, 10)
    assert lo < 0.3 < hi
    lo2, hi2 = wilson_interval(300, 1000)
    assert lo < lo2 < 0.3 < hi2 < hi
    assert all(np.isnan(wilson_interval(0, 0)))
    with pytest.raises(ValueError, match="between 0 and trials"):
        wilson_interval(11, 10)


def _row(group: str, eligible: int, top: int, dim: str = "benefit") -> dict[str, object]:
    return {
        "model_version": "v",
        "dimension": dim,
        "group": group,
        "eligible": eligible,
        "top": top,
    }


def test_a_small_group_is_reported_but_neither_the_reference_nor_conclusive() -> None:
    table = audit_table(
        [
            _row("ww", 1000, 100),
            _row("wajong", 1000, 95),
            _row("anw", 10, 5),  # 50%: small, must not become the best-served group
            _row("ioaz", 15, 1),  # 7% of 15: flagged, but too few to count
        ]
    )
    by = {r["group"]: r for r in table.to_dict("records")}
    assert by["ww"]["ratio"] == 1.0 and by["anw"]["small"]
    assert by["ioaz"]["flagged"] and not by["ioaz"]["conclusive"]
    assert not by["wajong"]["flagged"]
    assert gate(table).passed  # the only group below the floor is too small to count
    assert not gate(audit_table([_row("ww", 1000, 100), _row("wia", 1000, 70)])).passed
    assert by["ww"]["selection_low"] < 0.1 < by["ww"]["selection_high"]


def test_proposal_and_hire_rates_and_overrides_join_the_groups() -> None:
    table = audit_table(
        [_row("ww", 500, 50), _row("wia", 500, 50)],
        [
            {
                "model_version": "v",
                "dimension": "benefit",
                "group": "ww",
                "proposed": 20,
                "hired": 10,
            },
            {
                "model_version": "v",
                "dimension": "benefit",
                "group": "wia",
                "proposed": 10,
                "hired": 2,
            },
        ],
        [
            {
                "model_version": "v",
                "dimension": "benefit",
                "group": "wia",
                "set_aside": 3,
                "added": 1,
            }
        ],
    )
    by = {r["group"]: r for r in table.to_dict("records")}
    assert by["ww"]["proposal_rate"] == 0.4 and by["wia"]["proposal_rate"] == 0.2
    assert by["wia"]["proposal_ratio"] == 0.5 and by["wia"]["hire_ratio"] == 0.4
    assert (by["wia"]["set_aside"], by["wia"]["added"], by["ww"]["set_aside"]) == (3, 1, 0)


def test_bad_rows_are_refused_with_the_field() -> None:
    with pytest.raises(ValueError, match="field 'dimension' has value 'colour'"):
        audit_table([_row("ww", 10, 1, dim="colour")])
    with pytest.raises(ValueError, match="top=11 above eligible=10"):
        audit_table([_row("ww", 10, 11)])
    with pytest.raises(ValueError, match="floor"):
        audit_table([_row("ww", 10, 1)], floor=1.5)


class PushDown:
    """A deliberately biased scorer: the baseline, minus a penalty for ladder steps 1-2.

    The pair columns hold no benefit (by design), so the bias works through the ladder step;
    in the world below every Wajong recipient stands on step 2, so the Wajong group suffers.
    """

    def score_features(self, F: np.ndarray) -> np.ndarray:
        base = BaselineScorer().score_features(F)
        low = (F[:, COL["ladder_step"]] > 0) & (F[:, COL["ladder_step"]] <= 2)
        return np.where(low, base - 0.5, base)


def _world(n: int = 300) -> tuple[list[CandidateProfile], list[VacancyProfile], GroupTable]:
    rng = np.random.default_rng(3)
    cands, groups = [], GroupTable()
    for i in range(1, n + 1):
        benefit = ("wajong", "ww", "participatiewet")[i % 3]
        step = 2 if benefit == "wajong" else int(rng.integers(3, 7))
        c = CandidateProfile(
            id=i,
            ref=f"K{i}",
            pc4="3511",
            lat=52.09 + rng.normal(0, 0.04),
            lon=5.12 + rng.normal(0, 0.04),
            benefit=benefit,
            ladder_step=step,
            hours_per_week=float(rng.choice([24, 32, 36])),
        )
        cands.append(c)
        groups.upsert(i, CandidateGroups(benefit=benefit, ladder_step=step))
    # vacancies spread over the area with different hours, so each top 10 differs
    vacs = [
        VacancyProfile(
            id=1000 + k,
            ref=f"V{k}",
            title="t",
            pc4="3511",
            lat=52.09 + rng.normal(0, 0.04),
            lon=5.12 + rng.normal(0, 0.04),
            hours_per_week=float(rng.choice([20, 24, 32, 36])),
        )
        for k in range(40)
    ]
    return cands, vacs, groups


def test_the_audit_flags_the_group_a_biased_scorer_pushes_down() -> None:
    cands, vacs, groups = _world()
    biased = simulate_selection(cands, vacs, scorer=PushDown(), groups=groups, as_of=AS_OF)
    fair = simulate_selection(cands, vacs, scorer=BaselineScorer(), groups=groups, as_of=AS_OF)
    assert biased["eligible"] == fair["eligible"]  # the same people were eligible
    table = audit_table(exposure_rows("biased", biased) + exposure_rows("baseline", fair))
    rows = {(r["model_version"], r["dimension"], r["group"]): r for r in table.to_dict("records")}
    wajong = rows[("biased", "benefit", "wajong")]
    assert wajong["top"] == 0 and wajong["flagged"] and wajong["conclusive"]
    assert rows[("biased", "ladder_step", "2")]["conclusive"]
    assert not rows[("baseline", "benefit", "wajong")]["flagged"]
    verdict = gate(table[table["model_version"] == "biased"])
    assert not verdict.passed and ("benefit", "wajong", 0.0) in verdict.below
    assert gate(table[table["model_version"] == "baseline"]).passed
    # every group is reported with its counts
    assert {r["group"] for r in table.to_dict("records") if r["dimension"] == "benefit"} == {
        "wajong",
        "ww",
        "participatiewet",
    }
    assert sum(fair["top"]["benefit"].values()) == 10 * len(vacs)


def test_no_protected_or_audit_only_attribute_is_a_ranker_feature() -> None:
    rng = np.random.default_rng(0)
    F = rng.random((60, len(PAIR_COLUMNS)))
    y = rng.integers(0, 4, 60)
    ranker = SRRanker(model="logistic").fit(F, y)
    names = [n.lower() for n in ranker.feature_names_] + [c.lower() for c in PAIR_COLUMNS]
    banned = {*PROTECTED_ATTRIBUTES, *AUDIT_ONLY_DIMENSIONS, "age_band", "birth", "sex"}
    assert not [n for n in names for b in banned if b in n]


def test_counts_with_sparse_ids_agree_with_dense_ones() -> None:
    """Ids far apart (no dense id -> row array) are looked up by search: the same counts."""
    dense, sparse = GroupTable(), GroupTable()
    for i in range(1, 201):
        dense.upsert(i, _groups(i))
        sparse.upsert(i * 10_000_019, _groups(i))
    dense.remove(7)
    sparse.remove(7 * 10_000_019)
    ids = np.arange(1, 260, dtype=np.int64)
    assert dense.count(ids, as_of=AS_OF) == sparse.count(ids * 10_000_019, as_of=AS_OF)
    assert sum(dense.count(ids, as_of=AS_OF)["benefit"].values()) == 199
