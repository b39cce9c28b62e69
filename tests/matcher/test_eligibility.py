"""Hard rules: each one excludes with its reason, and no shortlist ever lists a failing pair."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matcher.eligibility import RULES, rule_passes, rule_text
from matcher.index import CandidateIndex
from matcher.profiles import CandidateProfile, VacancyProfile
from matcher.ranker import BaselineScorer
from matcher.shortlist import shortlist
from matcher.vocab import SR_BENEFITS
from tests.matcher.conftest import AS_OF, make_candidate, make_vacancy, random_world

INCLUDES = {"A": {"AM"}, "B": {"AM"}, "BE": {"B", "AM"}, "C": {"B", "AM"},
            "CE": {"C", "BE", "B", "AM"}, "D": {"B", "AM"}, "AM": set()}  # fmt: skip


def failed_rules(c: CandidateProfile, v: VacancyProfile, as_of: date) -> set[str]:
    """The rules written out plainly for one pair: the reference the vectorised code must match."""
    out = set()
    if not c.active:
        out.add("inactive")
    if c.benefit not in (v.eligible_benefits or SR_BENEFITS):
        out.add("benefit")
    if v.eligible_target_groups and not set(c.target_groups) & set(v.eligible_target_groups):
        out.add("target_group")
    p1, p2 = math.radians(c.lat), math.radians(v.lat)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(v.lon - c.lon) / 2) ** 2
    )
    if 2 * 6371.0088 * math.asin(math.sqrt(a)) > c.max_travel_km:
        out.add("distance")
    held = set(c.driving_licences) | {x for lic in c.driving_licences for x in INCLUDES[lic]}
    if v.driving_licence and v.driving_licence not in held:
        out.add("licence")
    if c.available_from and c.available_from > (v.start_date or as_of):
        out.add("availability")
    if c.id in v.excluded_candidate_ids:
        out.add("excluded")
    return out


def rules_of(c: CandidateProfile, v: VacancyProfile) -> set[str]:
    idx = CandidateIndex.build([c])
    cands, _ = idx.arrays()
    passes = rule_passes(cands, idx.vacancy_block([v]), np.array([0]), np.array([0]), as_of=AS_OF)
    return {RULES[r] for r in np.flatnonzero(~passes[:, 0])}


@pytest.mark.parametrize(
    ("candidate", "vacancy", "rule"),
    [
        ({"active": False}, {}, "inactive"),
        ({"benefit": "none"}, {}, "benefit"),
        ({"benefit": "ww"}, {"eligible_benefits": ("participatiewet",)}, "benefit"),
        (
            {"target_groups": ("50plus",)},
            {"eligible_target_groups": ("banenafspraak",)},
            "target_group",
        ),
        ({}, {"eligible_target_groups": ("banenafspraak",)}, "target_group"),
        ({"max_travel_km": 5.0, "lat": 52.37, "lon": 4.90}, {}, "distance"),
        ({"driving_licences": ("B",)}, {"driving_licence": "C"}, "licence"),
        ({"driving_licences": ()}, {"driving_licence": "B"}, "licence"),
        ({"available_from": date(2026, 4, 1)}, {"start_date": date(2026, 3, 1)}, "availability"),
        ({"available_from": date(2026, 2, 1)}, {"start_date": None}, "availability"),
        ({"id": 5}, {"excluded_candidate_ids": frozenset({5})}, "excluded"),
    ],
)
def test_each_rule_excludes_with_its_code(candidate: dict, vacancy: dict, rule: str) -> None:
    c, v = make_candidate(**candidate), make_vacancy(**vacancy)
    assert rules_of(c, v) == {rule}
    assert rules_of(c, v) == failed_rules(c, v, AS_OF)


@pytest.mark.parametrize(
    ("candidate", "vacancy"),
    [
        ({"driving_licences": ("CE",)}, {"driving_licence": "C"}),  # a higher category counts
        ({"driving_licences": ("C",)}, {"driving_licence": "B"}),
        (
            {"target_groups": ("banenafspraak", "50plus")},
            {"eligible_target_groups": ("banenafspraak",)},
        ),
        ({"available_from": date(2026, 3, 1)}, {"start_date": date(2026, 3, 1)}),  # on the day
        ({"benefit": "nugger"}, {}),  # default: every benefit but "none" counts
        ({"max_travel_km": 1.5}, {}),  # 1.3 km away
    ],
)
def test_edges_that_pass(candidate: dict, vacancy: dict) -> None:
    assert rules_of(make_candidate(**candidate), make_vacancy(**vacancy)) == set()


def test_rule_texts_exist_in_both_languages() -> None:
    for code in RULES:
        assert rule_text(code, "nl") and rule_text(code, "en")
    with pytest.raises(ValueError, match="allowed"):
        rule_text("distance", "de")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    n_candidates=st.integers(1, 40),
    top=st.integers(1, 50),
)
def test_no_shortlist_lists_a_candidate_who_fails_a_rule(
    seed: int, n_candidates: int, top: int
) -> None:
    cands, vacs = random_world(seed, n_candidates, 3)
    index = CandidateIndex.build(cands)
    by_id = {c.id: c for c in cands}
    for v in vacs:
        result = shortlist(
            index, v, scorer=BaselineScorer(), top=top, explain_excluded=True, as_of=AS_OF
        )
        eligible = {c.id for c in cands if not failed_rules(c, v, AS_OF)}
        listed = [e.candidate_id for e in result.entries]
        assert set(listed) <= eligible
        assert len(listed) == min(top, len(eligible))
        for e in result.entries:
            assert 1 <= len(e.reasons) <= 5 and all(e.reasons)
        scores = [e.score for e in result.entries]
        assert scores == sorted(scores, reverse=True)
        # whoever is left out is explained, with exactly the rules that failed
        assert {x.candidate_id for x in result.excluded} == set(by_id) - eligible
        for x in result.excluded:
            assert {r.code for r in x.rules} == failed_rules(by_id[x.candidate_id], v, AS_OF)
