"""Shortlists in both directions: order, reasons, missing skills, filters, batching."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.features import pair_frame
from matcher.index import CandidateIndex, VacancyIndex
from matcher.profiles import CandidateProfile, ConceptRef
from matcher.ranker import BaselineScorer, SRRanker
from matcher.shortlist import shortlist, shortlist_many, vacancies_for_candidate
from tests.matcher.conftest import (
    AS_OF,
    make_candidate,
    make_vacancy,
    mini_taxonomy,
    random_candidate,
    random_world,
)


def small_index() -> CandidateIndex:
    return CandidateIndex.build(
        [
            make_candidate(
                id=1,
                skills=(
                    ConceptRef("sk_heftruck"),
                    ConceptRef("sk_orderpicken"),
                    ConceptRef("sk_vca"),
                ),
            ),
            make_candidate(id=2),  # lacks VCA
            make_candidate(id=3, skills=(), occupations=(), lat=52.2, hours_per_week=16.0),
            make_candidate(id=4, benefit="none"),
        ],
        taxonomy=mini_taxonomy(),
    )


def test_best_candidate_first_with_reasons_and_missing_skills() -> None:
    result = shortlist(
        small_index(),
        make_vacancy(),
        scorer=BaselineScorer(),
        taxonomy=mini_taxonomy(),
        as_of=AS_OF,
    )
    assert [e.candidate_id for e in result.entries] == [1, 2, 3]
    assert [e.rank for e in result.entries] == [1, 2, 3]
    first, second, third = result.entries
    assert "heeft 3 van 3 vereiste vaardigheden: heftruck, orderpicken, VCA" in first.reasons
    assert first.missing_skills == ()
    assert second.missing_skills == ("VCA",)
    assert "mist VCA" in second.reasons
    assert third.missing_skills == ("heftruck", "orderpicken", "VCA")
    assert any(r.startswith("woont") and "km van de werkplek" in r for r in third.reasons)
    assert all(1 <= len(e.reasons) <= 5 for e in result.entries)
    assert result.n_considered == 4 and result.n_eligible == 3 and result.excluded == []
    assert first.as_json()["candidate_ref"] == "K-1" and first.as_json()["reasons"]


def test_english_reasons_and_labels() -> None:
    result = shortlist(
        small_index(),
        make_vacancy(),
        scorer=BaselineScorer(),
        taxonomy=mini_taxonomy(),
        lang="en",
        explain_excluded=True,
        as_of=AS_OF,
    )
    second = result.entries[1]
    assert second.missing_skills == ("VCA safety",) and "lacks VCA safety" in second.reasons
    assert "has 2 of 3 required skills: forklift, order picking" in second.reasons
    (out,) = result.excluded
    assert out.candidate_id == 4 and [r.code for r in out.rules] == ["benefit"]
    assert out.rules[0].text == "benefit does not count for Social Return under this vacancy"


def test_bad_arguments_name_the_allowed_values() -> None:
    with pytest.raises(ValueError, match="allowed: 1..500"):
        shortlist(small_index(), make_vacancy(), scorer=BaselineScorer(), top=0)
    with pytest.raises(ValueError, match="allowed"):
        shortlist(small_index(), make_vacancy(), scorer=BaselineScorer(), lang="de")


def test_restrict_to_a_coach_or_a_subset() -> None:
    cands, (v, *_) = random_world(8, 80, 1)
    index = CandidateIndex.build(cands)
    mine = shortlist(index, v, scorer=BaselineScorer(), top=80, coach_id=1, as_of=AS_OF)
    everyone = shortlist(index, v, scorer=BaselineScorer(), top=80, as_of=AS_OF)
    coach = {c.id for c in cands if c.coach_id == 1}
    assert {e.candidate_id for e in mine.entries} == {
        e.candidate_id for e in everyone.entries
    } & coach
    some = shortlist(
        index, v, scorer=BaselineScorer(), top=80, candidate_ids=[1, 2, 3], as_of=AS_OF
    )
    assert {e.candidate_id for e in some.entries} <= {1, 2, 3}


def test_scores_match_per_pair_scoring_and_batching(trained_ranker: SRRanker) -> None:
    cands, vacs = random_world(9, 120, 8)
    index = CandidateIndex.build(cands)
    many = shortlist_many(index, vacs, scorer=trained_ranker, top=15, chunk=3, as_of=AS_OF)
    by_id = {c.id: c for c in cands}
    for v, result in zip(vacs, many, strict=True):
        single = shortlist(index, v, scorer=trained_ranker, top=15, as_of=AS_OF)
        # batched BLAS may differ in the last bit, so compare scores to 12 decimals
        assert [(e.candidate_id, round(e.score, 12), e.reasons) for e in single.entries] == [
            (e.candidate_id, round(e.score, 12), e.reasons) for e in result.entries
        ]
        if result.entries:
            pairs = [(by_id[e.candidate_id], v, AS_OF) for e in result.entries]
            np.testing.assert_allclose(
                trained_ranker.score_pairs(pair_frame(pairs)), [e.score for e in result.entries]
            )


def test_vacancies_for_candidate_mirrors_shortlists() -> None:
    cands, vacs = random_world(10, 40, 30)
    index = CandidateIndex.build(cands)
    vindex = VacancyIndex.build(vacs)
    scorer = BaselineScorer()
    for c in cands[:10]:
        mine = vacancies_for_candidate(
            vindex, c, scorer=scorer, top=30, explain_excluded=True, as_of=AS_OF
        )
        for e in mine.entries:
            v = next(v for v in vacs if v.id == e.vacancy_id)
            other = shortlist(index, v, scorer=scorer, top=40, as_of=AS_OF)
            match = [x for x in other.entries if x.candidate_id == c.id]
            assert match and match[0].score == pytest.approx(e.score)
            assert 1 <= len(e.reasons) <= 5
        assert len(mine.entries) + len(mine.excluded) == len(vacs)


def test_ties_are_broken_by_id_and_top_is_respected() -> None:
    twins = [make_candidate(id=i) for i in (5, 3, 9, 1)]
    result = shortlist(
        CandidateIndex.build(twins), make_vacancy(), scorer=BaselineScorer(), top=3, as_of=AS_OF
    )
    assert [e.candidate_id for e in result.entries] == [1, 3, 5]


def test_reasons_are_split_into_what_speaks_for_and_against() -> None:
    result = shortlist(
        small_index(),
        make_vacancy(),
        scorer=BaselineScorer(),
        taxonomy=mini_taxonomy(),
        as_of=AS_OF,
    )
    first, second, third = result.entries
    for e in result.entries:
        assert len(e.polarity) == len(e.reasons)
        assert set(e.reasons_pro) | set(e.reasons_against) == set(e.reasons)
        assert not set(e.reasons_pro) & set(e.reasons_against)
    # holding every required skill speaks for the best candidate, missing VCA against the second
    assert "heeft 3 van 3 vereiste vaardigheden: heftruck, orderpicken, VCA" in first.reasons_pro
    assert "mist VCA" in second.reasons_against and "mist VCA" not in second.reasons_pro
    # the candidate with none of the skills has them against him, not for him
    assert any(r.startswith("heeft geen van de 3") for r in third.reasons_against)
    j = second.as_json()
    assert j["reasons_against"] == list(second.reasons_against)
    assert j["reasons_for"] == list(second.reasons_pro)


def test_vacancies_for_a_candidate_can_be_restricted_to_those_in_reach() -> None:
    vi = VacancyIndex.build(
        [make_vacancy(id=i, required_skills=()) for i in (1, 2, 3)], taxonomy=mini_taxonomy()
    )
    cand = make_candidate(id=9)
    every = vacancies_for_candidate(vi, cand, scorer=BaselineScorer(), as_of=AS_OF)
    assert {e.vacancy_id for e in every.entries} == {1, 2, 3}
    some = vacancies_for_candidate(
        vi, cand, scorer=BaselineScorer(), as_of=AS_OF, vacancy_ids=[3, 1], explain_excluded=True
    )
    assert [e.vacancy_id for e in some.entries] == [1, 3] and some.n_considered == 2


def test_a_municipality_filter_equals_the_list_of_its_candidates() -> None:
    people = [make_candidate(id=i, municipality_id=1 + i % 2) for i in range(1, 9)]
    index = CandidateIndex.build(people, taxonomy=mini_taxonomy())
    by_column = shortlist(
        index, make_vacancy(), scorer=BaselineScorer(), municipality_id=2, as_of=AS_OF
    )
    by_ids = shortlist(
        index,
        make_vacancy(),
        scorer=BaselineScorer(),
        candidate_ids=[p.id for p in people if p.municipality_id == 2],
        as_of=AS_OF,
    )
    assert [e.candidate_id for e in by_column.entries] == [e.candidate_id for e in by_ids.entries]
    assert {e.candidate_id % 2 for e in by_column.entries} == {1}


def test_a_municipality_view_follows_moves_and_removals() -> None:
    """The municipality's rows are remembered per block: after candidates move, leave and join,
    the view still equals the list of the municipality's current candidates."""
    people = [make_candidate(id=i, municipality_id=1 + i % 3) for i in range(1, 31)]
    index = CandidateIndex.build(people, taxonomy=mini_taxonomy())

    def both(members: list[int]) -> tuple[list[int], list[int]]:
        kw = {"scorer": BaselineScorer(), "as_of": AS_OF, "top": 30}
        view = shortlist(index, make_vacancy(), municipality_id=2, **kw)  # type: ignore[arg-type]
        listed = shortlist(index, make_vacancy(), candidate_ids=members, **kw)  # type: ignore[arg-type]
        return [e.candidate_id for e in view.entries], [e.candidate_id for e in listed.entries]

    members = [p.id for p in people if p.municipality_id == 2]
    view, listed = both(members)
    assert view == listed and len(view) == len(members)
    index.upsert(make_candidate(id=members[0], municipality_id=3))  # moved away
    index.remove(members[1])  # left
    index.upsert(make_candidate(id=99, municipality_id=2))  # joined
    members = [*members[2:], 99]
    view, listed = both(members)
    assert view == listed and sorted(view) == sorted(members)


def test_edits_merged_into_a_warm_index_answer_as_a_freshly_built_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A merge hands the block's caches (distance masks, homes, municipality rows, skill
    document frequencies, column-major skills) to the next block, extended by the new rows:
    after rounds of edits, removals and new candidates, every shortlist equals the one from an
    index built afresh over the same profiles."""
    import dataclasses
    import random

    from matcher import features

    monkeypatch.setattr(features, "COLUMN_PATH_MIN", 1)  # the column-major path at any size
    rng = random.Random(17)
    cands, vacs = random_world(17, 400, 10)
    homes = [(c.lat, c.lon) for c in cands[:25]]  # homes are shared, as PC4 centroids are

    def placed(c: CandidateProfile) -> CandidateProfile:
        lat, lon = rng.choice(homes)
        return dataclasses.replace(c, lat=lat, lon=lon, municipality_id=rng.choice([1, 2, 3]))

    current = {c.id: placed(c) for c in cands}
    index = CandidateIndex.build(current.values(), taxonomy=mini_taxonomy())

    def same_as_fresh() -> None:
        fresh = CandidateIndex.build(current.values(), taxonomy=mini_taxonomy())
        for v in vacs:
            for where in ({}, {"municipality_id": 2}):
                got, want = (
                    shortlist(i, v, scorer=BaselineScorer(), as_of=AS_OF, top=25, **where)  # type: ignore[arg-type]
                    for i in (index, fresh)
                )
                assert [(e.candidate_id, e.reasons) for e in got.entries] == [
                    (e.candidate_id, e.reasons) for e in want.entries
                ]
                assert np.allclose([e.score for e in got.entries],
                                   [e.score for e in want.entries], rtol=0, atol=1e-12)  # fmt: skip
                assert got.n_eligible == want.n_eligible
        (ours, _), (theirs, _) = index.arrays(), fresh.arrays()
        n = len(index.skills)  # the same taxonomy columns in both
        assert ours.skills.shape[1] == theirs.skills.shape[1] == n
        assert np.array_equal(features.skill_idf(ours, n), features.skill_idf(theirs, n))

    same_as_fresh()  # every cache is warm now
    next_id = 1000
    for _ in range(4):
        for cid in rng.sample(sorted(current), 12):  # edits: new skills, home, municipality
            current[cid] = placed(random_candidate(rng, cid))
            index.upsert(current[cid])
        for cid in rng.sample(sorted(current), 3):
            del current[cid]
            index.remove(cid)
        for _ in range(5):
            next_id += 1
            current[next_id] = placed(random_candidate(rng, next_id))
            index.upsert(current[next_id])
        same_as_fresh()
    cands_now, _ = index.arrays()
    assert "_df_state" in cands_now.__dict__ and "_within_" in cands_now.__dict__  # carried


def test_shortlist_many_keeps_its_results_when_the_pair_budget_splits_the_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A large pool near many vacancies is scored a few vacancies at a time (bounded memory),
    with the same shortlists as all at once."""
    import matcher.shortlist as sl
    from matcher.ranker import BaselineScorer

    class Counting(BaselineScorer):
        def __init__(self) -> None:
            super().__init__()
            self.batches: list[int] = []

        def score_features(self, F: np.ndarray) -> np.ndarray:
            self.batches.append(len(F))
            return super().score_features(F)

    cands, vacs = random_world(11, 400, 30)
    index = CandidateIndex.build(cands)
    at_once = Counting()
    whole = sl.shortlist_many(index, vacs, scorer=at_once, top=10)
    monkeypatch.setattr(sl, "PAIR_BUDGET", 50)
    bounded = Counting()
    split = sl.shortlist_many(index, vacs, scorer=bounded, top=10)
    assert [[e.as_json() for e in r.entries] for r in split] == [
        [e.as_json() for e in r.entries] for r in whole
    ]
    assert sum(len(r.entries) for r in whole) > 0
    # the budget split the one chunk of 30 vacancies into several scorer calls
    assert len(bounded.batches) > 3 * len(at_once.batches)
