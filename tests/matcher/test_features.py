"""Pair features: values, agreement of the vectorised paths, index writes, protected attributes."""

from __future__ import annotations

import dataclasses
from datetime import date

import numpy as np
import pandas as pd
import pytest

from matcher.features import COL, PAIR_COLUMNS, PairFeaturizer, pair_features, pair_frame
from matcher.index import CandidateIndex, VacancyIndex
from matcher.profiles import CandidateProfile, ConceptRef
from matcher.ranker import BaselineScorer, SRRanker
from matcher.shortlist import shortlist
from matcher.vocab import PROTECTED_ATTRIBUTES
from tests.matcher.conftest import AS_OF, make_candidate, make_vacancy, mini_taxonomy, random_world

PROTECTED_TERMS = (*PROTECTED_ATTRIBUTES, "birth", "name", "postcode", "pc4", "nation", "sex")


def features_of(c, v, **kw) -> pd.Series:
    isco = {k: o.isco08 for k, o in mini_taxonomy().occupations.items()}
    return pair_frame([(c, v, AS_OF)], isco_of=isco, **kw).iloc[0]


def test_skill_shares_weigh_confidence_and_implied_skills() -> None:
    v = make_vacancy()  # requires heftruck, orderpicken, VCA; optional klantcontact
    typed = features_of(make_candidate(), v)
    assert typed["required_skill_share"] == pytest.approx(2 / 3)
    assert typed["required_skills_missing"] == 2 - 2 + 1
    implied = features_of(
        make_candidate(
            skills=(ConceptRef("sk_heftruck"), ConceptRef("sk_orderpicken", implied=True))
        ),
        v,
    )
    assert implied["required_skill_share"] == pytest.approx((1 + 0.5) / 3)
    unsure = features_of(make_candidate(skills=(ConceptRef("sk_heftruck", 0.6),)), v)
    assert unsure["required_skill_share"] == pytest.approx(0.6 / 3)
    assert (
        features_of(make_candidate(), make_vacancy(required_skills=()))["required_skill_share"]
        == 1.0
    )


@pytest.mark.parametrize(
    ("occupations", "expected"),
    [
        (("oc_orderpicker",), 1.0),  # same occupation
        (("oc_magazijnmedewerker",), 0.5),  # ISCO 9329 vs 9321: same minor group 932
        (("oc_schoonmaker",), 0.0),  # 9112: same major group 9 only
        (("oc_kok", "oc_orderpicker"), 1.0),
        ((), 0.0),
    ],
)
def test_occupation_match_by_isco_group(occupations: tuple[str, ...], expected: float) -> None:
    c = make_candidate(occupations=tuple(ConceptRef(o) for o in occupations))
    assert features_of(c, make_vacancy())["occupation_match"] == pytest.approx(expected)


def test_gaps_distance_hours_and_unknowns() -> None:
    c = make_candidate(
        education_level=None,
        dutch_level=1,
        hours_per_week=24.0,
        ladder_step=None,
        unemployed_since=date(2025, 1, 15),
    )
    f = features_of(c, make_vacancy(education_min=3, dutch_level_min=3, hours_per_week=32.0))
    assert (f["education_unknown"], f["education_gap"]) == (1.0, 0.0)
    assert (f["dutch_unknown"], f["dutch_gap"]) == (0.0, -2.0)
    assert f["hours_fit"] == pytest.approx(0.75)
    assert f["distance_km"] == pytest.approx(1.33, abs=0.05)
    assert f["distance_share"] == pytest.approx(f["distance_km"] / 25.0)
    assert (f["ladder_unknown"], f["ladder_step"]) == (1.0, 0.0)
    assert f["months_out_of_work"] == pytest.approx(12, abs=0.1)


def test_one_vacancy_without_minimums_or_skills_gives_the_many_vacancy_values() -> None:
    """A shortlist's single vacancy takes the scalar path (one total, one minimum); a vacancy
    with no education or Dutch minimum and no skills asked must come out as in a batch of
    many vacancies: shares 1 (required) and 0 (optional), no gaps, nothing unknown."""
    cands = [
        make_candidate(id=1, education_level=None, dutch_level=None),
        make_candidate(id=2, education_level=4, dutch_level=1),
        make_candidate(id=3, skills=()),
    ]
    bare = make_vacancy(
        id=2,
        ref="V-bare",
        education_min=None,
        dutch_level_min=None,
        required_skills=(),
        optional_skills=(),
    )
    vacs = [make_vacancy(), bare]
    index = CandidateIndex.build(cands, taxonomy=mini_taxonomy())
    arrays, _ = index.arrays()
    block = index.vacancy_block(vacs)
    n = len(cands)
    ci, vi = np.repeat(np.arange(n), 2), np.tile(np.arange(2), n)
    batch = pair_features(arrays, block, ci, vi, occupations=index.occupations, as_of=AS_OF)
    for j in range(2):
        one = pair_features(
            arrays, block, np.arange(n), np.full(n, j), occupations=index.occupations, as_of=AS_OF
        )
        np.testing.assert_allclose(one, batch[vi == j])
    one = pair_features(
        arrays, block, np.arange(n), np.full(n, 1), occupations=index.occupations, as_of=AS_OF
    )
    for column, value in (
        ("required_skill_share", 1.0),
        ("specific_skill_share", 1.0),
        ("optional_skill_share", 0.0),
        ("specific_optional_share", 0.0),
        ("education_gap", 0.0),
        ("education_unknown", 0.0),
        ("dutch_gap", 0.0),
        ("dutch_unknown", 0.0),
    ):
        assert one[:, COL[column]].tolist() == [value] * n, column
    with_minimums = pair_features(
        arrays, block, np.arange(n), np.zeros(n, dtype=int), occupations=index.occupations,
        as_of=AS_OF,
    )  # fmt: skip
    assert with_minimums[:, COL["education_unknown"]].tolist() == [1.0, 0.0, 0.0]
    assert with_minimums[:, COL["dutch_unknown"]].tolist() == [1.0, 0.0, 0.0]
    assert with_minimums[1, COL["dutch_gap"]] == -1.0  # level 1 against a minimum of 2


def test_vectorised_paths_agree_with_per_pair_frames() -> None:
    cands, vacs = random_world(3, 60, 6)
    index = CandidateIndex.build(cands, taxonomy=mini_taxonomy())
    arrays, _ = index.arrays()
    block = index.vacancy_block(vacs)
    n, m = len(cands), len(vacs)
    # all pairs at once (training path), one vacancy vs all, one candidate vs all
    ci, vi = np.repeat(np.arange(n), m), np.tile(np.arange(m), n)
    every = pair_features(arrays, block, ci, vi, occupations=index.occupations, as_of=AS_OF)
    for j in range(m):
        one_vac = pair_features(
            arrays, block, np.arange(n), np.full(n, j), occupations=index.occupations, as_of=AS_OF
        )
        np.testing.assert_allclose(one_vac, every[vi == j])
    # without a reference date (each vacancy's start, else today): one vacancy's values are
    # taken once and broadcast, many vacancies' gathered per pair
    every_now = pair_features(arrays, block, ci, vi, occupations=index.occupations)
    for j in range(m):
        one_now = pair_features(
            arrays, block, np.arange(n), np.full(n, j), occupations=index.occupations
        )
        np.testing.assert_allclose(one_now, every_now[vi == j])
    one_cand = pair_features(
        arrays,
        block,
        np.zeros(m, dtype=int),
        np.arange(m),
        occupations=index.occupations,
        as_of=AS_OF,
    )
    np.testing.assert_allclose(one_cand, every[ci == 0])
    isco = {k: o.isco08 for k, o in mini_taxonomy().occupations.items()}
    frame = pair_frame(
        [(cands[i], vacs[j], AS_OF) for i, j in zip(ci, vi, strict=True)], isco_of=isco
    )
    np.testing.assert_allclose(frame.to_numpy(), every)


def test_index_writes_match_a_fresh_build() -> None:
    cands, vacs = random_world(5, 80, 2)
    index = CandidateIndex.build(cands[:50])
    version = index.version
    for c in cands[50:]:
        index.upsert(c)
    changed = dataclasses.replace(
        cands[3], skills=(ConceptRef("sk_nieuw_vak"),), max_travel_km=40.0
    )
    index.upsert(changed)
    for cid in (7, 8, 9, 999):
        index.remove(cid)
    assert index.version == version + 30 + 1 + 4
    expected = [changed if c.id == changed.id else c for c in cands if c.id not in (7, 8, 9)]
    fresh = CandidateIndex.build(expected)
    assert len(index) == len(fresh) == len(expected)
    for v in vacs:
        a = shortlist(index, v, scorer=BaselineScorer(), top=80, as_of=AS_OF)
        b = shortlist(fresh, v, scorer=BaselineScorer(), top=80, as_of=AS_OF)
        assert [(e.candidate_id, round(e.score, 12)) for e in a.entries] == [
            (e.candidate_id, round(e.score, 12)) for e in b.entries
        ]
    # many removals trigger a compaction; the index stays correct
    for c in cands[10:60]:
        index.remove(c.id)
    arrays, alive = index.arrays()
    assert alive.all() and len(arrays) == len(index)


def test_vacancy_index_writes() -> None:
    vi = VacancyIndex.build([make_vacancy(id=1), make_vacancy(id=2)])
    vi.upsert(make_vacancy(id=3))
    vi.remove(1)
    assert sorted(vi.block().ids.tolist()) == [2, 3] and vi.version == 2


def test_featurizer_validates_and_names_its_columns() -> None:
    fz = PairFeaturizer()
    assert list(fz.get_feature_names_out()) == list(PAIR_COLUMNS)
    with pytest.raises(ValueError, match="lacks columns"):
        fz.transform(pd.DataFrame({"distance_km": [1.0]}))
    with pytest.raises(ValueError, match="expected"):
        fz.transform(np.zeros((2, 3)))
    with pytest.raises(ValueError, match="CandidateProfile"):
        fz.transform([("a", "b")])


# --- acceptance 3: protected attributes are not features -------------------------------------


@dataclasses.dataclass(frozen=True, slots=True)
class CandidateWithPersonalData(CandidateProfile):
    """A candidate record that also carries protected attributes the ranker must ignore."""

    birth_year: int = 1990
    gender: str = "v"
    nationality: str = "NL"
    origin: str = "NL"
    name: str = "Anna"


def test_protected_attributes_are_not_features(trained_ranker: SRRanker) -> None:
    names = [str(n).lower() for n in trained_ranker.pipeline_[:-1].get_feature_names_out()]
    assert names == [n.lower() for n in trained_ranker.feature_names_]
    assert [n for n in names if any(t in n for t in PROTECTED_TERMS)] == []
    assert list(trained_ranker.pipeline_[-1].feature_names_in_) == list(PAIR_COLUMNS)


def test_changing_protected_attributes_changes_no_score(trained_ranker: SRRanker) -> None:
    cands, vacs = random_world(11, 30, 4)
    variants = [
        {
            "birth_year": 1958,
            "gender": "m",
            "nationality": "SY",
            "origin": "SY",
            "name": "Mohammed",
        },
        {"birth_year": 2003, "gender": "v", "nationality": "NL", "origin": "NL", "name": "Anna"},
        {"birth_year": 1975, "gender": "x", "nationality": "PL", "origin": "PL", "name": "Piotr"},
    ]
    scores = []
    for extra in variants:
        people = [CandidateWithPersonalData(**fields_of(c), **extra) for c in cands]
        pairs = [(c, v, AS_OF) for c in people for v in vacs]
        scores.append(trained_ranker.score_pairs(pairs))
        index = CandidateIndex.build(people)
        lists = [shortlist(index, v, scorer=trained_ranker, top=30, as_of=AS_OF) for v in vacs]
        scores.append(np.array([e.score for r in lists for e in r.entries]))
    for k in range(2, len(scores)):  # pair scores vs pair scores, shortlists vs shortlists
        np.testing.assert_array_equal(scores[k], scores[k % 2])
    # a frame with protected columns attached: they are dropped before the model
    frame = pair_frame([(c, v, AS_OF) for c in cands for v in vacs])
    tagged = frame.assign(birth_year=1950, gender="m", nationality="SY")
    np.testing.assert_array_equal(
        trained_ranker.score_pairs(frame), trained_ranker.score_pairs(tagged)
    )


def fields_of(c: CandidateProfile) -> dict:
    return {f.name: getattr(c, f.name) for f in dataclasses.fields(c)}


@pytest.mark.parametrize(
    ("occupations", "unit", "minor"),
    [
        (("oc_orderpicker",), 1.0, 1.0),  # the same occupation is in its own unit group
        (("oc_magazijnmedewerker",), 0.0, 1.0),  # 9329 vs 9321: same minor group 932 only
        (("oc_schoonmaker",), 0.0, 0.0),  # 9112
        (("oc_kok", "oc_magazijnmedewerker"), 0.0, 1.0),  # the best of several occupations
        ((), 0.0, 0.0),
    ],
)
def test_isco_unit_and_minor_group_columns(
    occupations: tuple[str, ...], unit: float, minor: float
) -> None:
    c = make_candidate(occupations=tuple(ConceptRef(o) for o in occupations))
    f = features_of(c, make_vacancy())
    assert (f["isco_unit_match"], f["isco_minor_match"]) == (unit, minor)
    unsure = make_candidate(occupations=tuple(ConceptRef(o, 0.5) for o in occupations))
    assert features_of(unsure, make_vacancy())["isco_minor_match"] == pytest.approx(minor / 2)


def test_specific_skills_weigh_more_than_common_ones() -> None:
    """Skill specificity is its IDF among the candidates of the block."""
    from matcher.features import Vocabulary, candidate_arrays, skill_idf, vacancy_arrays

    # 60 candidates: everybody lists "samenwerken", one in six "lassen"
    cands = [
        make_candidate(
            id=i,
            ref=f"K-{i}",
            skills=(ConceptRef("sk_samenwerken"),) + ((ConceptRef("sk_lassen"),) if i % 6 else ()),
        )
        for i in range(1, 61)
    ]
    cands[0] = make_candidate(id=1, ref="K-1", skills=(ConceptRef("sk_lassen"),))
    cands[1] = make_candidate(id=2, ref="K-2", skills=(ConceptRef("sk_samenwerken"),))
    sv, ov = Vocabulary(), Vocabulary()
    ca = candidate_arrays(cands, sv, ov)
    idf = skill_idf(ca, len(sv), sv)
    assert idf[sv.index["sk_lassen"]] > idf[sv.index["sk_samenwerken"]] >= 1.0
    v = make_vacancy(required_skills=(ConceptRef("sk_lassen"), ConceptRef("sk_samenwerken")))
    va = vacancy_arrays([v], sv, ov)
    F = pair_features(ca, va, np.array([0, 1]), np.array([0, 0]), occupations=ov, skills=sv)
    plain = F[:, PAIR_COLUMNS.index("required_skill_share")]
    specific = F[:, PAIR_COLUMNS.index("specific_skill_share")]
    assert plain[0] == plain[1] == pytest.approx(0.5)  # one of two either way
    assert specific[0] > 0.5 > specific[1]  # but "lassen" says more
    w_l, w_s = idf[sv.index["sk_lassen"]], idf[sv.index["sk_samenwerken"]]
    assert specific[0] == pytest.approx(w_l / (w_l + w_s))
    # a block of one candidate (the candidate-to-vacancies direction) reuses the vocabulary's IDF
    one = candidate_arrays(cands[:1], sv, ov)
    single = pair_features(one, va, np.array([0]), np.array([0]), occupations=ov, skills=sv)
    assert single[0, PAIR_COLUMNS.index("specific_skill_share")] == pytest.approx(specific[0])
    # several vacancies at once (training) give the same values as one at a time
    va2 = vacancy_arrays([v, make_vacancy(id=101, ref="V-101")], sv, ov)
    both = pair_features(
        ca, va2, np.array([0, 1, 0]), np.array([0, 0, 1]), occupations=ov, skills=sv
    )
    assert np.allclose(both[:2], F)


def test_distance_per_home_is_the_per_row_haversine_to_the_last_bit() -> None:
    from matcher.features import Vocabulary, candidate_arrays, haversine_km

    rng = np.random.default_rng(7)
    homes = [(52.09, 5.12), (51.92, 4.48), (53.22, 6.57), (0.0, -0.0), (-0.0, 0.0)]
    coords = [homes[int(i)] for i in rng.integers(0, len(homes), 300)]
    coords += [(float("nan"), 5.0), (52.0, float("nan")), (float("nan"), float("nan"))]
    profiles = [
        CandidateProfile(id=i, ref=f"K{i}", pc4="3511", lat=lat, lon=lon, benefit="ww")
        for i, (lat, lon) in enumerate(coords)
    ]
    cands = candidate_arrays(profiles, Vocabulary(), Vocabulary())
    rows = np.flatnonzero(rng.random(len(coords)) < 0.7)
    rows = np.concatenate([rows, [len(coords) - 3, len(coords) - 2, len(coords) - 1]])
    for lat, lon in [(52.1, 5.05), (0.0, 0.0), (51.92, 4.48)]:
        want = haversine_km(
            cands.lat[rows], cands.lon[rows], np.full(len(rows), lat), np.full(len(rows), lon)
        )
        got = cands.distance_km(rows, lat, lon)
        assert np.array_equal(got, want, equal_nan=True)
        assert np.isnan(got[-3:]).all()
    assert len(cands._homes()[0]) <= len(homes) + 3  # shared, not one point per row


def test_skill_products_of_one_vacancy_equal_the_row_wise_products() -> None:
    import scipy.sparse as sp

    from matcher.features import _rowwise_dot, _skill_products

    rng = np.random.default_rng(3)
    cands = sp.random(60, 12, density=0.3, random_state=4, format="csr")
    vac = sp.random(3, 12, density=0.4, random_state=5, format="csr")
    # a block with its columns out of order (as a sparse product leaves them)
    messy = sp.csr_matrix((vac.data[::-1], vac.indices[::-1], vac.indptr), shape=vac.shape)
    messy.has_sorted_indices = False
    blocks = [vac, messy, vac]
    rows = np.sort(rng.choice(60, 25, replace=False))
    vi = np.full(len(rows), 1)
    got = _skill_products(cands, rows, blocks, vi)
    assert got is not None
    for k, b in enumerate(blocks[:-1]):
        assert np.allclose(got[:, k], _rowwise_dot(cands, rows, b, vi), rtol=0, atol=1e-12)
    # the last block against the candidate's skills as 0/1
    held = (cands[rows].toarray() != 0).astype(np.float64) @ vac[1].toarray().ravel()
    assert np.allclose(got[:, -1], held, rtol=0, atol=1e-12)


def test_within_km_remembers_points_and_answers_as_a_fresh_block() -> None:
    from matcher.features import WITHIN_CACHE, Vocabulary, candidate_arrays

    rng = np.random.default_rng(11)
    profiles = [
        CandidateProfile(
            id=i, ref=f"K{i}", pc4="3511", lat=float(52 + rng.random()),
            lon=float(5 + rng.random()), benefit="ww", max_travel_km=float(rng.integers(5, 60)),
        )
        for i in range(200)
    ]  # fmt: skip
    cands = candidate_arrays(profiles, Vocabulary(), Vocabulary())
    rows = np.flatnonzero(rng.random(200) < 0.5)
    points = [(float(52 + rng.random()), float(5 + rng.random())) for _ in range(WITHIN_CACHE + 9)]
    for lat, lon in points + points[::-1] + [(float("nan"), 5.0)]:
        fresh = candidate_arrays(profiles, Vocabulary(), Vocabulary())
        assert np.array_equal(cands.within_km(rows, lat, lon), fresh.within_km(rows, lat, lon))
    remembered = cands.__dict__["_within_"]
    assert len(remembered) == WITHIN_CACHE
    assert not any(np.isnan(k).any() for k in remembered)  # a NaN point is not kept


def test_within_km_equals_the_row_by_row_dot_product_on_shared_homes() -> None:
    """Homes are PC4 centroids shared by many rows (and some have no coordinates): the
    distance pre-filter answers for the asked rows exactly as one dot product per row."""
    from matcher.features import Vocabulary, candidate_arrays, unit_vectors

    rng = np.random.default_rng(12)
    homes = [(float(51 + 2 * rng.random()), float(4 + 2 * rng.random())) for _ in range(40)]
    homes.append((float("nan"), float("nan")))  # a postcode without coordinates
    profiles = []
    for i in range(3000):
        lat, lon = homes[int(rng.integers(len(homes)))]
        profiles.append(
            CandidateProfile(id=i, ref=f"K{i}", pc4="3511", lat=lat, lon=lon, benefit="ww",
                             max_travel_km=float(rng.choice([5, 10, 25, 40, 400])))
        )  # fmt: skip
    cands = candidate_arrays(profiles, Vocabulary(), Vocabulary())
    assert len(cands._homes()[0]) == len(homes)  # the block found the shared homes
    rows = np.flatnonzero(rng.random(len(profiles)) < 0.6)
    for lat, lon in [*homes[:10], (52.1, 5.1), (50.0, 3.0)]:
        u = unit_vectors(np.array([lat]), np.array([lon]))[0]
        by_row = (cands.unit @ u) >= cands.cos_travel
        assert np.array_equal(cands.within_km(rows, lat, lon), by_row[rows])
        assert 0 < by_row.sum() < len(profiles) or np.isnan(lat)


def test_skill_products_by_column_match_the_row_gather(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many candidates against one vacancy: walking the vacancy's skill columns gives the
    same pair columns as gathering every candidate's row."""
    import matcher.features as features
    from matcher.index import CandidateIndex
    from tests.matcher.conftest import random_world

    cands, vacs = random_world(5, 600, 12)
    index = CandidateIndex.build(cands)
    block, _ = index.arrays()
    vblock = index.vacancy_block(vacs)
    rows = np.arange(0, len(block), 2)  # every other candidate, increasing
    by_row, by_column = [], []
    for v in range(len(vacs)):
        vi = np.full(len(rows), v)
        monkeypatch.setattr(features, "COLUMN_PATH_MIN", 10**9)
        by_row.append(pair_features(block, vblock, rows, vi, occupations=index.occupations))
        monkeypatch.setattr(features, "COLUMN_PATH_MIN", 1)
        by_column.append(pair_features(block, vblock, rows, vi, occupations=index.occupations))
    np.testing.assert_allclose(np.vstack(by_column), np.vstack(by_row), rtol=0, atol=1e-12)
    assert np.vstack(by_row)[:, COL["required_skill_share"]].max() > 0  # skills were held
    # rows out of order (or repeated) take the row gather, whatever the size
    shuffled = rows[::-1].copy()
    vi = np.zeros(len(shuffled), dtype=np.int64)
    got = pair_features(block, vblock, shuffled, vi, occupations=index.occupations)
    np.testing.assert_allclose(got[::-1], by_row[0], rtol=0, atol=1e-12)
