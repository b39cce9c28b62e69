"""What would open doors: gains checked against the real shortlists they claim to change."""

from __future__ import annotations

import random
from dataclasses import replace
from types import SimpleNamespace

import pytest

from matcher.index import CandidateIndex
from matcher.opportunities import near_miss_gaps, open_doors
from matcher.profiles import ConceptRef
from matcher.ranker import BaselineScorer
from matcher.shortlist import shortlist_many
from tests.matcher.conftest import (
    AS_OF,
    make_candidate,
    make_vacancy,
    mini_taxonomy,
    random_candidate,
)


def taxonomy_with_certificates() -> SimpleNamespace:
    tax = mini_taxonomy()
    for sid, s in tax.skills.items():
        s.kind = "certificate" if sid == "sk_vca" else "skill"
    return tax


def world(seed: int = 3, n: int = 150) -> tuple[CandidateIndex, list, object]:
    rng = random.Random(seed)
    pool = [random_candidate(rng, i) for i in range(1, n)]
    me = make_candidate(id=999, skills=(ConceptRef("sk_orderpicken"),), driving_licences=())
    vacancies = [
        make_vacancy(id=100 + k, driving_licence=lic, required_skills=req)
        for k, (lic, req) in enumerate(
            [
                (None, (ConceptRef("sk_heftruck"), ConceptRef("sk_vca"))),
                (None, (ConceptRef("sk_vca"),)),
                ("C", (ConceptRef("sk_orderpicken"),)),
                (None, (ConceptRef("sk_koken"),)),
            ]
        )
    ]
    tax = mini_taxonomy()
    return CandidateIndex.build([*pool, me], taxonomy=tax), vacancies, me


def in_top(index: CandidateIndex, vacancies: list, cid: int) -> set[int]:
    results = shortlist_many(index, vacancies, scorer=BaselineScorer(), top=10, as_of=AS_OF)
    return {e.vacancy_id for r in results for e in r.entries if e.candidate_id == cid}


def test_each_door_opens_exactly_the_shortlists_it_claims() -> None:
    index, vacancies, me = world()
    tax = mini_taxonomy()
    doors = open_doors(
        index, me, vacancies, scorer=BaselineScorer(), taxonomy=tax, limit=20, as_of=AS_OF
    )
    assert doors, "a candidate without VCA, forklift and licence C has doors to open"
    assert [(-d.top, -d.vacancies) for d in doors] == sorted((-d.top, -d.vacancies) for d in doors)
    before = in_top(index, vacancies, me.id)
    for d in doors:
        gained = (
            replace(me, driving_licences=(d.id,))
            if d.kind == "licence"
            else replace(me, skills=(*me.skills, ConceptRef(d.id)))
        )
        index.upsert(gained)
        after = in_top(index, vacancies, me.id)
        index.upsert(me)
        assert set(d.top_vacancy_ids) == after - before, d
        assert d.top == len(d.top_vacancy_ids)
    lic = next(d for d in doors if d.kind == "licence")
    assert lic.id == "C" and lic.vacancy_ids == (102,) and lic.label == "rijbewijs C"
    vca = next(d for d in doors if d.id == "sk_vca")
    assert set(vca.vacancy_ids) == {100, 101} and vca.label == "VCA"


def test_nothing_to_gain_and_bad_arguments() -> None:
    index, vacancies, me = world()
    assert open_doors(index, me, [], scorer=BaselineScorer()) == []
    everything = replace(
        me,
        skills=tuple(ConceptRef(s) for s in mini_taxonomy().skills),
        driving_licences=("CE",),
    )
    assert open_doors(index, everything, vacancies, scorer=BaselineScorer(), as_of=AS_OF) == []
    with pytest.raises(ValueError, match="top=0"):
        open_doors(index, me, vacancies, scorer=BaselineScorer(), top=0)


def test_near_misses_count_the_missing_certificate_and_licence_per_candidate() -> None:
    tax = taxonomy_with_certificates()
    a = make_candidate(id=1, skills=(ConceptRef("sk_heftruck"),), driving_licences=())
    b = make_candidate(id=2, skills=(ConceptRef("sk_heftruck"),), driving_licences=("C",))
    far = make_candidate(id=3, skills=(), lat=53.2, lon=6.5)  # fails the distance rule
    c = make_candidate(id=4, skills=(), driving_licences=())  # misses two required skills
    index = CandidateIndex.build([a, b, far, c], taxonomy=tax)
    v1 = make_vacancy(id=10, required_skills=(ConceptRef("sk_heftruck"), ConceptRef("sk_vca")))
    v2 = make_vacancy(id=11, required_skills=(ConceptRef("sk_vca"),), driving_licence="C")
    gaps = near_miss_gaps(index, [v1, v2], taxonomy=tax, as_of=AS_OF)
    by = {(g.kind, g.id): g for g in gaps}
    # VCA: a and b on v1 (only VCA missing), b on v2; a and c fail v2's licence only, so they
    # count for the licence there; c misses two skills on v1 (not a near miss)
    vca = by[("certificate", "sk_vca")]
    assert (vca.candidates, vca.vacancies) == (2, 2)
    assert (by[("licence", "C")].candidates, by[("licence", "C")].vacancies) == (2, 1)
    assert ("skill", "sk_heftruck") not in by  # skills are not counted unless asked for
    skills = near_miss_gaps(index, [v1], kinds=("skill",), max_missing=2, taxonomy=tax, as_of=AS_OF)
    assert [(g.id, g.candidates) for g in skills] == [("sk_heftruck", 1)]
    only_a = near_miss_gaps(index, [v1, v2], candidate_ids=[1], taxonomy=tax, as_of=AS_OF)
    assert {(g.id, g.candidates) for g in only_a} == {("sk_vca", 1), ("C", 1)}
    with pytest.raises(ValueError, match="kinds"):
        near_miss_gaps(index, [v1], kinds=("diploma",))
