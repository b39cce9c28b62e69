"""Pair features for a candidate and a vacancy, computed with array operations.

The ranker never sees profiles one by one. Candidates and vacancies are turned into columnar
blocks (:class:`CandidateArrays`, :class:`VacancyArrays`: numpy arrays plus sparse skill and
occupation matrices over a shared :class:`Vocabulary`), and :func:`pair_features` computes the
raw pair columns for any list of (candidate row, vacancy row) pairs at once:

* one vacancy against the whole index (a shortlist): a sparse matrix-vector product,
* one candidate against all vacancies (the other direction): the same, transposed,
* arbitrary pairs (training): row-wise sparse products.

Public API
----------
``PAIR_COLUMNS``
    Names of the raw pair columns, in order. No name contains a protected term (age, gender,
    nationality, origin, birth, name, postcode) and no column stands in for one: the blocks hold
    no such field to begin with.
``Vocabulary``
    Growable concept-id to column map (skills, or occupations with their ISCO-08 code).
``candidate_arrays(profiles, skills, occupations)`` / ``vacancy_arrays(...)``
    Build the columnar blocks.
``pair_features(cands, vacs, ci, vi, *, as_of)`` -> ``ndarray`` (n_pairs, len(PAIR_COLUMNS))
``pair_frame(pairs, *, as_of=None)`` -> ``DataFrame``: features for (candidate, vacancy[, as_of])
    profile tuples, for training and tests.
``PairFeaturizer``
    Stateless scikit-learn transformer: accepts such profile pairs or an already computed
    frame/array of ``PAIR_COLUMNS`` and returns a DataFrame with exactly ``PAIR_COLUMNS``.
``haversine_km``
    Re-exported from :mod:`matcher.geo` (vectorised great-circle distance).

Skill weights: a typed skill counts with its normalisation confidence, a skill implied by an
occupation with ``IMPLIED_WEIGHT`` times that. Skill shares weigh each vacancy skill by its own
confidence, so a vaguely recognised requirement counts less.

Specificity: ``specific_skill_share`` also weighs each vacancy skill by how specific it is, its
inverse document frequency among the candidates (:func:`skill_idf`: ``log((n + 1) / (df + 1))
+ 1``), so holding "lassen" says more than holding "samenwerken", which most profiles list. The
IDF is computed once per candidate block (all candidates of the index; cached on the block) and
remembered per skill id, so a small block (one candidate against all vacancies, or a few
profile pairs) uses the IDF of the last full block, and plain weight 1 for a skill it never saw.

Wider taxonomy: ``isco_unit_match`` and ``isco_minor_match`` say whether one of the candidate's
occupations lies in the vacancy occupation's ISCO-08 unit group (4 digits; the same occupation
counts) or minor group (3 digits), times that occupation's confidence.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from matcher.geo import EARTH_RADIUS_KM, haversine_km
from matcher.profiles import CandidateProfile, VacancyProfile
from matcher.vocab import BENEFITS, DRIVING_LICENCES, SR_BENEFITS, TARGET_GROUPS

#: Raw pair columns, in the order of every feature matrix in this package.
PAIR_COLUMNS: tuple[str, ...] = (
    "required_skill_share",  # 0..1: weighted share of required skills the candidate has
    "required_skills_missing",  # count of required skills with no evidence at all
    "optional_skill_share",  # 0..1: same for optional skills (0 when none are listed)
    "occupation_match",  # 0..1: 1 same occupation, .75/.5/.25 same ISCO 4/3/2-digit group
    "education_gap",  # candidate NLQF minus required, clipped to -4..4 (0 if no minimum)
    "education_unknown",  # 1 when the vacancy has a minimum and the candidate's level is unknown
    "dutch_gap",  # candidate Dutch ordinal minus required, clipped to -4..4
    "dutch_unknown",  # 1 when required and unknown
    "distance_km",  # home to workplace, great circle
    "distance_share",  # distance / the candidate's max travel distance
    "hours_fit",  # min(hours wanted, offered) / max(...)
    "ladder_step",  # participatieladder 1..6, 0 when unknown
    "ladder_unknown",
    "months_out_of_work",  # at the reference date, clipped to 0..120, 0 when unknown
    "months_out_of_work_unknown",
    "profile_skill_count",  # number of skills in the profile (sparse profiles say less)
    "specific_skill_share",  # 0..1: required skills held, each weighted by its specificity (IDF)
    "specific_optional_share",  # 0..1: the same for optional skills (0 when none are listed)
    "isco_unit_match",  # 0..1: a candidate occupation in the vacancy's ISCO-08 unit group
    "isco_minor_match",  # 0..1: ... in its minor group (first three digits)
)
COL = {name: i for i, name in enumerate(PAIR_COLUMNS)}

#: Weight of a skill implied by an occupation relative to a typed one.
IMPLIED_WEIGHT = 0.5
#: A candidate block smaller than this takes its skill IDF from ``_IDF_BY_SKILL`` (see above).
MIN_IDF_ROWS = 50
#: Skill id -> IDF of the last full candidate block (the whole index) that computed one.
_IDF_BY_SKILL: dict[str, float] = {}
#: Points (vacancy locations) whose ``within_km`` mask a candidate block remembers.
WITHIN_CACHE = 64
_WITHIN_LOCK = threading.Lock()  # shortlists run on many threads against one block
#: Occupation similarity by the longest shared ISCO-08 prefix (4, 3, 2 digits).
ISCO_SIMILARITY = {4: 0.75, 3: 0.5, 2: 0.25}
#: A licence also proves the ones it includes (Dutch categories: B includes AM, C needs B ...).
LICENCE_INCLUDES: dict[str, tuple[str, ...]] = {
    "AM": (),
    "A": ("AM",),
    "B": ("AM",),
    "BE": ("B", "AM"),
    "C": ("B", "AM"),
    "CE": ("C", "BE", "B", "AM"),
    "D": ("B", "AM"),
}
BENEFIT_BIT = {b: 1 << i for i, b in enumerate(BENEFITS)}
TARGET_BIT = {t: 1 << i for i, t in enumerate(TARGET_GROUPS)}
LICENCE_BIT = {lic: 1 << i for i, lic in enumerate(DRIVING_LICENCES)}
_EPOCH = date(1970, 1, 1)


def day_number(d: date | None) -> float:
    """Days since the features' epoch as a float, NaN for no date (the arrays' date encoding)."""
    return float("nan") if d is None else float((d - _EPOCH).days)


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Points on the unit sphere, shape (n, 3)."""
    p, lmb = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(p) * np.cos(lmb), np.cos(p) * np.sin(lmb), np.sin(p)])


def licence_mask(licences: Iterable[str]) -> int:
    """Bit mask of the licences held, including the ones they imply.

    Examples
    --------
    >>> licence_mask(["CE"]) & LICENCE_BIT["B"] != 0
    True
    """
    mask = 0
    for lic in licences:
        key = lic.strip().upper()
        if key in LICENCE_BIT:
            mask |= LICENCE_BIT[key]
            for inc in LICENCE_INCLUDES.get(key, ()):
                mask |= LICENCE_BIT[inc]
    return mask


@dataclass
class Vocabulary:
    """Concept id to matrix column, growing as new ids appear.

    ``isco`` holds the 4-digit ISCO-08 code per column for occupations (``""`` if unknown).

    Examples
    --------
    >>> v = Vocabulary()
    >>> v.col("s1"), v.col("s2"), v.col("s1")
    (0, 1, 0)
    """

    ids: list[str] = field(default_factory=list)
    index: dict[str, int] = field(default_factory=dict)
    isco: list[str] = field(default_factory=list)
    isco_of: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    def col(self, concept_id: str) -> int:
        """Column of ``concept_id``, adding it if new."""
        c = self.index.get(concept_id)
        if c is None:
            c = len(self.ids)
            self.ids.append(concept_id)
            self.index[concept_id] = c
            self.isco.append(str(self.isco_of.get(concept_id, "") or ""))
        return c

    def __len__(self) -> int:
        return len(self.ids)

    def isco_codes(self, digits: int) -> np.ndarray:
        """Integer ISCO prefix per column (-1 when unknown)."""
        cache: dict[tuple[int, int], np.ndarray] = self.__dict__.setdefault("_isco_cache", {})
        key = (digits, len(self.isco))
        if key not in cache:
            cache[key] = self._isco_codes(digits)
        return cache[key]

    def _isco_codes(self, digits: int) -> np.ndarray:
        return np.array(
            [
                int(c[:digits]) if len(c) >= digits and c[:digits].isdigit() else -1
                for c in self.isco
            ],
            dtype=np.int64,
        )


def skill_idf(cands: CandidateArrays, n_cols: int, vocab: Vocabulary | None = None) -> np.ndarray:
    """Inverse document frequency of every skill column among the candidates of a block.

    ``log((n + 1) / (df + 1)) + 1``: a skill nobody lists weighs ``log(n + 1) + 1``, one that
    everybody lists 1. Cached on the block (a new block comes with every merge of the index);
    a block of at least ``MIN_IDF_ROWS`` rows also remembers it per skill id of ``vocab``, and
    a smaller block takes the remembered value per skill id (1 for a skill never seen).

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, ConceptRef
    >>> sv = Vocabulary()
    >>> ps = [CandidateProfile(id=i, ref=f"K{i}", pc4="3511", lat=52.09, lon=5.12, benefit="ww",
    ...       skills=(ConceptRef("common"),) + ((ConceptRef("rare"),) if i == 0 else ()))
    ...       for i in range(60)]
    >>> idf = skill_idf(candidate_arrays(ps, sv, Vocabulary()), len(sv), sv)
    >>> [round(float(x), 2) for x in idf]
    [1.0, 4.42]
    """
    # a block of the candidate index knows which of its rows are alive (a removed or replaced
    # candidate stays in the block, dead, until it compacts): only the living count. Within a
    # block rows only ever die, so the number alive tells whether the cached IDF still holds.
    alive = cands.__dict__.get("_alive_rows")
    n = len(cands) if alive is None else int(np.count_nonzero(alive))
    cache: dict[tuple[int, int], np.ndarray] = cands.__dict__.setdefault("_idf_cache", {})
    if (n_cols, n) in cache:
        return cache[(n_cols, n)]
    if n < MIN_IDF_ROWS:
        idf = np.ones(n_cols)
        if vocab is not None:
            ids = vocab.ids[:n_cols]
            idf[: len(ids)] = [_IDF_BY_SKILL.get(i, 1.0) for i in ids]
        cache[(n_cols, n)] = idf
        return idf
    df = _document_frequencies(cands, alive)
    width = max(n_cols, len(df))
    df = np.pad(df, (0, width - len(df)))[:n_cols]
    idf = np.log((n + 1.0) / (df + 1.0)) + 1.0
    cache[(n_cols, n)] = idf
    if vocab is not None:
        _IDF_BY_SKILL.update(zip(vocab.ids[:n_cols], idf.tolist(), strict=False))
    return idf


def _document_frequencies(cands: CandidateArrays, alive: np.ndarray | None) -> np.ndarray:
    """Living rows per skill column. Counted once per block, then brought up to date from the
    rows that died and the rows appended since (``carry_caches``): an edit costs its own rows."""
    skills = cands.skills
    state = cands.__dict__.get("_df_state")
    df: np.ndarray
    if state is None:
        if alive is None:
            df = np.bincount(skills.indices, minlength=skills.shape[1]).astype(np.float64)
        else:
            per_entry = np.repeat(np.asarray(alive, dtype=np.float64), np.diff(skills.indptr))
            df = np.bincount(skills.indices, weights=per_entry, minlength=skills.shape[1])
    else:
        counted_alive, counted = state  # rows [0, len(counted_alive)) as they were counted
        k = len(counted_alive)
        now = np.ones(len(cands), dtype=bool) if alive is None else np.asarray(alive)
        df = np.pad(counted, (0, max(0, skills.shape[1] - len(counted))))
        died = np.flatnonzero(counted_alive & ~now[:k])
        if len(died):
            df -= np.bincount(skills[died].indices, minlength=len(df))[: len(df)]
        lo, hi = skills.indptr[k], skills.indptr[len(cands)]
        if hi > lo:  # rows appended since: their living entries
            per_entry = np.repeat(now[k:].astype(np.float64), np.diff(skills.indptr[k:]))
            df += np.bincount(skills.indices[lo:hi], weights=per_entry, minlength=len(df))[
                : len(df)
            ]
    now_alive = np.ones(len(cands), dtype=bool) if alive is None else np.array(alive, copy=True)
    cands.__dict__["_df_state"] = (now_alive, df)
    return df


def carry_caches(old: CandidateArrays, new: CandidateArrays) -> None:
    """``new`` is ``old`` with rows appended (a merge of the candidate index): give ``new`` the
    caches ``old`` built (distance masks per point, distinct homes, municipality rows, skill
    document frequencies, the column-major skills), extended by the appended rows only.

    At 1,000,000 candidates an edit otherwise made the next shortlist rebuild them all (a
    column-major copy of every skill, a bincount over every row, a factorisation of every
    home): 50-75 ms for the first shortlist after each merge instead of 7-9 ms.
    """
    k, n = len(old), len(new)
    tail = slice(k, n)
    with _WITHIN_LOCK:
        masks = dict(old.__dict__.get("_within_", {}))
    if masks:
        unit, cos_travel = new.unit[tail], new.cos_travel[tail]
        new.__dict__["_within_"] = {
            key: np.concatenate(
                [ok, unit @ unit_vectors(np.array([key[0]]), np.array([key[1]]))[0] >= cos_travel]
            )
            for key, ok in masks.items()
        }
    homes = old.__dict__.get("_homes_")
    if homes is not None:
        new.__dict__["_homes_"] = _homes_extended(homes, new, k)
    rows_by_municipality = dict(old.__dict__.get("_municipality_rows_", {}))
    if rows_by_municipality:
        added = new.municipality_id[tail]
        new.__dict__["_municipality_rows_"] = {
            m: np.concatenate([rows, k + np.flatnonzero(added == m)])
            for m, rows in rows_by_municipality.items()
        }
    if "_df_state" in old.__dict__:
        new.__dict__["_df_state"] = old.__dict__["_df_state"]
    csc = old.skills.__dict__.get("_srmatch_csc")
    if csc is not None:
        new.skills.__dict__["_srmatch_csc"] = csc  # covers the first rows, which are the same


def _homes_extended(
    homes: tuple[np.ndarray, np.ndarray, np.ndarray], new: CandidateArrays, k: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    lat, lon, codes = homes
    add_lat, add_lon = new.lat[k:], new.lon[k:]
    if len(lat) == k:  # every row its own point
        return (np.concatenate([lat, add_lat]), np.concatenate([lon, add_lon]),
                np.arange(len(new), dtype=np.int64))  # fmt: skip
    where = {point: i for i, point in enumerate(zip(lat.tolist(), lon.tolist(), strict=True))}
    extra_lat: list[float] = []
    extra_lon: list[float] = []
    added = np.empty(len(add_lat), dtype=np.int64)
    for r, point in enumerate(zip(add_lat.tolist(), add_lon.tolist(), strict=True)):
        code = where.get(point)  # NaN never matches: such a row gets a point of its own
        if code is None:
            code = len(lat) + len(extra_lat)
            where[point] = code
            extra_lat.append(point[0])
            extra_lon.append(point[1])
        added[r] = code
    return (np.concatenate([lat, np.array(extra_lat, dtype=np.float64)]),
            np.concatenate([lon, np.array(extra_lon, dtype=np.float64)]),
            np.concatenate([codes, added]))  # fmt: skip


def _csr(rows: list[list[tuple[int, float]]], n_cols: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((c for r in rows for c, _ in r), dtype=np.int32, count=int(indptr[-1]))
    data = np.fromiter((w for r in rows for _, w in r), dtype=np.float64, count=int(indptr[-1]))
    m = sp.csr_matrix((data, indices, indptr), shape=(len(rows), n_cols))
    m.sum_duplicates()
    return m


def with_cols(m: sp.csr_matrix, n_cols: int) -> sp.csr_matrix:
    """``m`` widened to ``n_cols`` columns in place (cheap: columns only ever grow)."""
    if m.shape[1] < n_cols:
        m.resize(m.shape[0], n_cols)
    return m


@dataclass
class CandidateArrays:
    """Candidates as columns: one entry per row, skills/occupations as sparse rows."""

    ids: np.ndarray
    refs: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    max_travel_km: np.ndarray
    hours: np.ndarray
    education: np.ndarray  # NLQF, nan unknown
    dutch: np.ndarray  # ordinal, nan unknown
    ladder: np.ndarray  # nan unknown
    unemployed_day: np.ndarray  # days since 1970, nan unknown
    available_day: np.ndarray  # nan = available now
    benefit_bit: np.ndarray
    target_mask: np.ndarray
    licence_mask: np.ndarray
    active: np.ndarray
    coach_id: np.ndarray  # -1 none
    municipality_id: np.ndarray  # -1 none
    unit: np.ndarray  # (n, 3) unit vectors of the home location (for the distance rule)
    cos_travel: np.ndarray  # cos of the max travel distance as an angle on the sphere
    skills: sp.csr_matrix  # weights: confidence, implied * IMPLIED_WEIGHT
    occupations: sp.csr_matrix  # confidence

    def __len__(self) -> int:
        return int(self.ids.shape[0])

    def take(self, rows: np.ndarray) -> CandidateArrays:
        """Subset of rows (boolean mask or integer positions)."""
        kw = {
            name: (getattr(self, name)[rows])
            for name in self.__dataclass_fields__
            if name not in ("skills", "occupations")
        }
        return CandidateArrays(**kw, skills=self.skills[rows], occupations=self.occupations[rows])

    def within_km(self, rows: np.ndarray, lat: float, lon: float) -> np.ndarray:
        """Whether each row's home lies within its max travel distance of (lat, lon).

        Exact great-circle test as a dot product of unit vectors (no trigonometry per row).
        The mask over all rows is remembered per point for the last ``WITHIN_CACHE`` points
        (a coach opens the same vacancies again and again); it depends on nothing but the
        block, which never changes, and the point.
        """
        cache: dict[tuple[float, float], np.ndarray] = self.__dict__.setdefault("_within_", {})
        key = (float(lat), float(lon))
        with _WITHIN_LOCK:
            ok = cache.get(key)
        if ok is None:
            u = unit_vectors(np.array([lat]), np.array([lon]))[0]
            cos_d = self.unit @ u  # all rows (contiguous, cheaper than gathering first)
            ok = cos_d >= self.cos_travel  # NaN coordinates compare False
            if not (np.isnan(key[0]) or np.isnan(key[1])):  # NaN is never found again
                with _WITHIN_LOCK:
                    while len(cache) >= WITHIN_CACHE:  # forget the oldest point
                        del cache[next(iter(cache))]
                    cache[key] = ok
        return np.asarray(ok[rows])

    def _homes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct home coordinates (lat, lon) and each row's position among them.

        Homes are PC4 centroids, so 100,000 candidates live at a few thousand points at most.
        Cached on the block, which never changes (a merge of the index makes a new block).
        """
        cached: tuple[np.ndarray, np.ndarray, np.ndarray] | None = self.__dict__.get("_homes_")
        if cached is None:
            z = np.empty(len(self), dtype=np.complex128)
            z.real, z.imag = self.lat, self.lon
            codes, points = pd.factorize(z, use_na_sentinel=False)
            lat, lon = np.ascontiguousarray(points.real), np.ascontiguousarray(points.imag)
            codes = np.asarray(codes, dtype=np.int64)
            # every row must get its own coordinates back (NaN stays NaN, -0.0 may read 0.0,
            # which gives the same distance); otherwise each row is its own point
            if not (
                np.array_equal(lat[codes], self.lat, equal_nan=True)
                and np.array_equal(lon[codes], self.lon, equal_nan=True)
            ):
                lat, lon, codes = self.lat, self.lon, np.arange(len(self), dtype=np.int64)
            cached = (lat, lon, codes)
            self.__dict__["_homes_"] = cached
        return cached

    def distance_km(self, rows: np.ndarray, lat: float, lon: float) -> np.ndarray:
        """``haversine_km(self.lat[rows], self.lon[rows], lat, lon)`` (the same numbers),
        computed once per distinct home rather than once per row."""
        home_lat, home_lon, codes = self._homes()
        where = codes[rows]
        if len(home_lat) >= len(rows):  # no fewer points than rows: nothing to share
            home_lat, home_lon, where = self.lat[rows], self.lon[rows], None
        # the vacancy as full arrays, as the per-row call passes it (the same numpy loops)
        n = len(home_lat)
        d = haversine_km(home_lat, home_lon, np.full(n, lat), np.full(n, lon))
        return d if where is None else np.asarray(d[where])

    @staticmethod
    def concat(parts: Sequence[CandidateArrays], n_skills: int, n_occ: int) -> CandidateArrays:
        """Rows of ``parts`` one after another."""
        kw = {
            name: np.concatenate([getattr(p, name) for p in parts])
            for name in CandidateArrays.__dataclass_fields__
            if name not in ("skills", "occupations")
        }
        skills = sp.vstack([with_cols(p.skills, n_skills) for p in parts], format="csr")
        occ = sp.vstack([with_cols(p.occupations, n_occ) for p in parts], format="csr")
        return CandidateArrays(**kw, skills=skills, occupations=occ)


@dataclass
class VacancyArrays:
    """Vacancies as columns; required and optional skills as sparse rows of confidences."""

    ids: np.ndarray
    refs: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    hours: np.ndarray
    education_min: np.ndarray  # nan none
    dutch_min: np.ndarray  # nan none
    start_day: np.ndarray  # nan none
    benefit_mask: np.ndarray  # eligible benefits
    target_mask: np.ndarray  # 0 = no restriction
    licence_bit: np.ndarray  # 0 = none required
    occupation_col: np.ndarray  # -1 none
    required_count: np.ndarray
    required: sp.csr_matrix
    optional: sp.csr_matrix
    excluded: list[frozenset[int]]
    #: the skill vocabulary the block was built over (for skill ids, e.g. in ``skill_idf``)
    skill_vocab: Vocabulary | None = field(default=None, compare=False, repr=False)

    def __len__(self) -> int:
        return int(self.ids.shape[0])


def candidate_arrays(
    profiles: Sequence[CandidateProfile], skills: Vocabulary, occupations: Vocabulary
) -> CandidateArrays:
    """Columnar block for ``profiles``; new concept ids are added to the vocabularies.

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, ConceptRef
    >>> c = CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12, benefit="ww",
    ...                      skills=(ConceptRef("s1"), ConceptRef("s2", 0.8, implied=True)))
    >>> a = candidate_arrays([c], Vocabulary(), Vocabulary())
    >>> a.skills.toarray().round(2).tolist()
    [[1.0, 0.4]]
    """
    srows = [
        [
            (skills.col(s.id), s.confidence * (IMPLIED_WEIGHT if s.implied else 1.0))
            for s in p.skills
        ]
        for p in profiles
    ]
    orows = [[(occupations.col(o.id), o.confidence) for o in p.occupations] for p in profiles]

    def f(values: Iterable[float | None]) -> np.ndarray:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)

    return CandidateArrays(
        ids=np.array([p.id for p in profiles], dtype=np.int64),
        refs=np.array([p.ref for p in profiles], dtype=object),
        lat=f(p.lat for p in profiles),
        lon=f(p.lon for p in profiles),
        max_travel_km=f(p.max_travel_km for p in profiles),
        hours=f(p.hours_per_week for p in profiles),
        education=f(p.education_level for p in profiles),
        dutch=f(p.dutch_level for p in profiles),
        ladder=f(p.ladder_step for p in profiles),
        unemployed_day=np.array([day_number(p.unemployed_since) for p in profiles]),
        available_day=np.array([day_number(p.available_from) for p in profiles]),
        benefit_bit=np.array([BENEFIT_BIT.get(p.benefit, 0) for p in profiles], dtype=np.int64),
        target_mask=np.array(
            [sum(TARGET_BIT.get(t, 0) for t in set(p.target_groups)) for p in profiles],
            dtype=np.int64,
        ),
        licence_mask=np.array([licence_mask(p.driving_licences) for p in profiles], dtype=np.int64),
        active=np.array([p.active for p in profiles], dtype=bool),
        coach_id=np.array([-1 if p.coach_id is None else p.coach_id for p in profiles], np.int64),
        municipality_id=np.array(
            [-1 if p.municipality_id is None else p.municipality_id for p in profiles], np.int64
        ),
        cos_travel=np.cos(
            np.minimum(
                np.array([p.max_travel_km for p in profiles], dtype=np.float64),
                np.pi * EARTH_RADIUS_KM,
            )
            / EARTH_RADIUS_KM
        ),
        unit=unit_vectors(
            np.array([p.lat for p in profiles], dtype=np.float64),
            np.array([p.lon for p in profiles], dtype=np.float64),
        ).reshape(len(profiles), 3),
        skills=_csr(srows, len(skills)),
        occupations=_csr(orows, len(occupations)),
    )


def vacancy_arrays(
    profiles: Sequence[VacancyProfile], skills: Vocabulary, occupations: Vocabulary
) -> VacancyArrays:
    """Columnar block for vacancy ``profiles``; new concept ids are added to the vocabularies.

    An empty ``eligible_benefits`` means the data-contract default: every benefit but ``none``.

    Examples
    --------
    >>> from matcher.profiles import VacancyProfile, ConceptRef
    >>> v = VacancyProfile(id=7, ref="V7", title="Orderpicker", pc4="3511", lat=52.09, lon=5.12,
    ...                    hours_per_week=32, required_skills=(ConceptRef("s1"),))
    >>> vacancy_arrays([v], Vocabulary(), Vocabulary()).required_count.tolist()
    [1.0]
    """
    rrows = [[(skills.col(s.id), s.confidence) for s in p.required_skills] for p in profiles]
    orows = [[(skills.col(s.id), s.confidence) for s in p.optional_skills] for p in profiles]
    occ = [-1 if p.occupation is None else occupations.col(p.occupation.id) for p in profiles]

    def f(values: Iterable[float | None]) -> np.ndarray:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)

    def benefits(p: VacancyProfile) -> int:
        allowed = p.eligible_benefits or SR_BENEFITS
        return sum(BENEFIT_BIT.get(b, 0) for b in set(allowed))

    return VacancyArrays(
        ids=np.array([p.id for p in profiles], dtype=np.int64),
        refs=np.array([p.ref for p in profiles], dtype=object),
        lat=f(p.lat for p in profiles),
        lon=f(p.lon for p in profiles),
        hours=f(p.hours_per_week for p in profiles),
        education_min=f(p.education_min for p in profiles),
        dutch_min=f(p.dutch_level_min for p in profiles),
        start_day=np.array([day_number(p.start_date) for p in profiles]),
        benefit_mask=np.array([benefits(p) for p in profiles], dtype=np.int64),
        target_mask=np.array(
            [sum(TARGET_BIT.get(t, 0) for t in set(p.eligible_target_groups)) for p in profiles],
            dtype=np.int64,
        ),
        licence_bit=np.array(
            [LICENCE_BIT.get((p.driving_licence or "").strip().upper(), 0) for p in profiles],
            dtype=np.int64,
        ),
        occupation_col=np.array(occ, dtype=np.int64),
        required_count=np.array([float(len(r)) for r in rrows]),
        required=_csr(rrows, len(skills)),
        optional=_csr(orows, len(skills)),
        excluded=[frozenset(p.excluded_candidate_ids) for p in profiles],
        skill_vocab=skills,
    )


def _rowwise_dot(a: sp.csr_matrix, ai: np.ndarray, b: sp.csr_matrix, bi: np.ndarray) -> np.ndarray:
    """``sum_k a[ai[p], k] * b[bi[p], k]`` for every pair p, without a Python loop."""
    n = max(a.shape[1], b.shape[1])
    a, b = with_cols(a, n), with_cols(b, n)
    if len(ai) == 0:
        return np.zeros(0)
    if (
        len(ai) == a.shape[0]
        and len(bi) == b.shape[0]
        and (ai == np.arange(len(ai))).all()
        and (bi == np.arange(len(bi))).all()
    ):  # already aligned row by row
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()
    if (bi == bi[0]).all():  # one vacancy against many candidates: a sparse mat-vec
        return np.asarray(a[ai] @ b[int(bi[0])].T.toarray()).ravel()
    if (ai == ai[0]).all():  # one candidate against many vacancies
        return np.asarray(b[bi] @ a[int(ai[0])].T.toarray()).ravel()
    return np.asarray(a[ai].multiply(b[bi]).sum(axis=1)).ravel()


def _skill_products(
    a: sp.csr_matrix, ai: np.ndarray, blocks: list[sp.csr_matrix], bi: np.ndarray
) -> np.ndarray | None:
    """For one vacancy against many candidates: all skill products with one row gather.

    Column k is ``a[ai] . blocks[k][bi[0]]``, except the last block, which is counted against
    the candidate's skills as 0/1 (how many of those skills are held at all). None when the
    pairs span several vacancies.
    """
    if len(ai) == 0 or not (bi == bi[0]).all():
        return None
    n = max(a.shape[1], *(b.shape[1] for b in blocks))
    v = int(bi[0])
    # the vacancy's rows as dense columns, written straight from the CSR arrays (a row of a
    # canonical CSR holds each column once: the same numbers as ``b[v].toarray()``)
    dense = np.zeros((len(blocks), n))
    for k, b in enumerate(blocks):
        if b.has_canonical_format:
            lo, hi = b.indptr[v], b.indptr[v + 1]
            dense[k, b.indices[lo:hi]] = b.data[lo:hi]
        else:
            dense[k] = with_cols(b, n)[v].toarray().ravel()
    if len(ai) >= COLUMN_PATH_MIN and bool(np.all(ai[1:] > ai[:-1])):
        return _skill_products_by_column(with_cols(a, n), ai, dense)
    sub = with_cols(a, n)[ai]
    out = np.empty((len(ai), len(blocks)))
    out[:, :-1] = sub @ np.ascontiguousarray(dense[:-1].T)
    sub.data = (sub.data != 0).astype(np.float64)
    out[:, -1] = sub @ dense[-1]
    return out


#: from this many candidates on, ``_skill_products`` walks the vacancy's few skill columns
#: (who holds each) instead of gathering every candidate's row
COLUMN_PATH_MIN = 5_000


def _skill_products_by_column(a: sp.csr_matrix, ai: np.ndarray, dense: np.ndarray) -> np.ndarray:
    """``_skill_products`` for many candidates (``ai`` strictly increasing): per skill column
    the vacancy asks for, the candidates holding it, from a column-major copy of ``a`` made
    once per matrix. The work follows the holders of a handful of skills, not the rows of all
    candidates in reach (at 1,000,000 candidates, 220,000 in reach: 24 ms -> a few ms).
    Rows appended after that copy was made (a merge of edits) are gathered row by row."""
    csc, covered = _column_major(a)
    split = int(np.searchsorted(ai, covered))
    head = ai[:split]
    pos = np.full(covered, -1, dtype=np.int32)  # row -> place in ai
    pos[head] = np.arange(len(head), dtype=np.int32)
    out = np.zeros((len(ai), dense.shape[0]))
    for j in np.flatnonzero(dense[:, : csc.shape[1]].any(axis=0)):  # the vacancy's columns
        lo, hi = csc.indptr[j], csc.indptr[j + 1]
        at = pos[csc.indices[lo:hi]]
        keep = at >= 0
        at, held = at[keep], csc.data[lo:hi][keep]
        out[at, :-1] += held[:, None] * dense[:-1, j]
        out[at, -1] += (held != 0) * dense[-1, j]
    if split < len(ai):  # the appended rows
        sub = a[ai[split:]]
        out[split:, :-1] = sub @ np.ascontiguousarray(dense[:-1].T)
        sub.data = (sub.data != 0).astype(np.float64)
        out[split:, -1] = sub @ dense[-1]
    return out


#: the column-major copy is made again once this share of rows came after it
COLUMN_REBUILD_SHARE = 0.05


def _column_major(a: sp.csr_matrix) -> tuple[sp.csc_matrix, int]:
    """``a``'s first rows as CSC and how many rows that is, cached on the matrix. A candidate
    block never changes its rows (only widens); a merged block inherits its predecessor's copy
    (``carry_caches``), which covers the rows the two share, until enough rows came after."""
    cached = a.__dict__.get("_srmatch_csc")
    if cached is not None:
        covered, nnz, csc = cached
        if (
            covered <= a.shape[0]
            and int(a.indptr[covered]) == nnz
            and a.shape[0] - covered <= COLUMN_REBUILD_SHARE * a.shape[0]
        ):
            return csc, covered
    csc = a.tocsc()
    csc.sort_indices()
    a.__dict__["_srmatch_csc"] = (a.shape[0], a.nnz, csc)
    return csc, a.shape[0]


def _nonzero_count(
    a: sp.csr_matrix, ai: np.ndarray, b: sp.csr_matrix, bi: np.ndarray
) -> np.ndarray:
    """How many of b's columns in row bi[p] are non-zero in a's row ai[p]."""
    a_sub, b_sub = a[ai], b[bi]
    a_sub.data = (a_sub.data != 0).astype(np.float64)
    b_sub.data = (b_sub.data != 0).astype(np.float64)
    return _rowwise_dot(a_sub, np.arange(len(ai)), b_sub, np.arange(len(bi)))


def occupation_match(
    cands: CandidateArrays, vacs: VacancyArrays, ci: np.ndarray, vi: np.ndarray, occ: Vocabulary
) -> np.ndarray:
    """Best occupation similarity per pair, times the candidate occupation's confidence."""
    return occupation_levels(cands, vacs, ci, vi, occ)[0]


def occupation_levels(
    cands: CandidateArrays, vacs: VacancyArrays, ci: np.ndarray, vi: np.ndarray, occ: Vocabulary
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair: best occupation similarity, ISCO unit-group match, ISCO minor-group match.

    Each is the maximum over the candidate's occupations of (similarity or 0/1) times that
    occupation's confidence; the same occupation counts as a unit-group and minor-group match.
    """
    n_occ = len(occ)
    m = with_cols(cands.occupations, n_occ)[ci].tocsr()
    n = len(ci)
    if m.nnz == 0:
        return np.zeros(n), np.zeros(n), np.zeros(n)
    vcol = np.repeat(vacs.occupation_col[vi], np.diff(m.indptr))
    same = m.indices == vcol
    sim = same.astype(np.float64)
    group: dict[int, np.ndarray] = {}
    for digits, value in sorted(ISCO_SIMILARITY.items()):
        codes = occ.isco_codes(digits)
        cc = codes[m.indices]
        vc = np.where(vcol >= 0, codes[np.maximum(vcol, 0)], -1)
        hit = (cc >= 0) & (cc == vc)
        group[digits] = hit | same
        sim = np.where(hit & (sim < value), value, sim)
    has_vac = vcol >= 0

    def best(values: np.ndarray) -> np.ndarray:
        scored = sp.csr_matrix((np.where(has_vac, values, 0.0) * m.data, m.indices, m.indptr),
                               shape=m.shape)  # fmt: skip
        return np.asarray(scored.max(axis=1).toarray()).ravel()

    return best(sim), best(group[4].astype(np.float64)), best(group[3].astype(np.float64))


def pair_features(
    cands: CandidateArrays,
    vacs: VacancyArrays,
    ci: np.ndarray,
    vi: np.ndarray,
    *,
    occupations: Vocabulary,
    as_of: date | np.ndarray | None = None,
    distance_km: np.ndarray | None = None,
    skills: Vocabulary | None = None,
    idf: np.ndarray | None = None,
) -> np.ndarray:
    """Raw pair columns (``PAIR_COLUMNS``) for pairs ``(cands[ci[p]], vacs[vi[p]])``.

    Parameters
    ----------
    cands, vacs
        Columnar blocks built over the same vocabularies.
    ci, vi
        Row positions, same length: pair p is candidate row ``ci[p]`` and vacancy row ``vi[p]``.
    occupations
        The occupation vocabulary (for ISCO codes).
    as_of
        Reference date for months out of work: a date, an array of day numbers (days since
        1970-01-01) per pair, or None for the vacancy's start date or else today.
    distance_km
        Precomputed distances per pair (the eligibility rules already computed them).
    skills
        The skill vocabulary, where a full block leaves its IDF for small ones (optional).
    idf
        Skill specificity per skill column, counted over another block (training: the pool a
        shortlist ranks, while ``cands`` holds only the candidates of recorded outcomes);
        default: :func:`skill_idf` of ``cands``. Columns beyond its length weigh 1.

    Returns
    -------
    ndarray of shape (len(ci), len(PAIR_COLUMNS)), float64.

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, VacancyProfile, ConceptRef
    >>> sv, ov = Vocabulary(), Vocabulary()
    >>> c = candidate_arrays([CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12,
    ...     benefit="ww", skills=(ConceptRef("s1"),))], sv, ov)
    >>> req = (ConceptRef("s1"), ConceptRef("s2"))
    >>> v = vacancy_arrays([VacancyProfile(id=7, ref="V7", title="t", pc4="3511", lat=52.09,
    ...     lon=5.12, hours_per_week=32, required_skills=req)], sv, ov)
    >>> f = pair_features(c, v, np.array([0]), np.array([0]), occupations=ov)
    >>> float(f[0, COL["required_skill_share"]]), float(f[0, COL["required_skills_missing"]])
    (0.5, 1.0)
    """
    ci = np.asarray(ci, dtype=np.int64)
    vi = np.asarray(vi, dtype=np.int64)
    n = len(ci)
    # column-major: every column below is written whole, so each write is one contiguous run
    # (a row-major matrix made every column write a stride of 20 values)
    out = np.zeros((n, len(PAIR_COLUMNS)), order="F")
    if n == 0:
        return out
    # skills: plain shares, and shares weighted by specificity (IDF among the candidates)
    n_cols = max(cands.skills.shape[1], vacs.required.shape[1], vacs.optional.shape[1])
    if idf is None:
        weights = skill_idf(cands, n_cols, skills if skills is not None else vacs.skill_vocab)
    else:
        weights = np.ones(n_cols)
        weights[: min(n_cols, len(idf))] = np.asarray(idf, dtype=np.float64)[:n_cols]
    idf = sp.diags(weights)
    required = with_cols(vacs.required, n_cols)
    optional = with_cols(vacs.optional, n_cols)
    blocks = [required, optional, (required @ idf).tocsr(), (optional @ idf).tocsr()]
    present = required.copy()
    present.data = (present.data != 0).astype(np.float64)
    blocks.append(present)
    # one vacancy (a shortlist): its values as scalars, broadcast, not gathered n times
    v: int | np.ndarray = int(vi[0]) if bool((vi == vi[0]).all()) else vi
    totals = [np.asarray(b.sum(axis=1)).ravel()[v] for b in blocks[:4]]
    hits = _skill_products(cands.skills, ci, blocks, vi)
    held = cands.skills[ci] if hits is None else None
    if held is not None:  # many vacancies: row-wise products
        held.data = np.ones_like(held.data)
        hits = np.column_stack(
            [_rowwise_dot(cands.skills, ci, b, vi) for b in blocks[:4]]
            + [_rowwise_dot(held, np.arange(n), blocks[4], vi)]
        )
    assert hits is not None

    def share(k: int, empty: float) -> np.ndarray | float:
        t = totals[k]
        if np.ndim(t) == 0:  # one vacancy: one total, so no per-pair choice to make
            return np.minimum(hits[:, k] / t, 1.0) if t > 0 else empty
        return np.where(t > 0, np.minimum(hits[:, k] / np.where(t > 0, t, 1.0), 1.0), empty)

    out[:, COL["required_skill_share"]] = share(0, 1.0)
    out[:, COL["required_skills_missing"]] = vacs.required_count[v] - hits[:, 4]
    out[:, COL["optional_skill_share"]] = share(1, 0.0)
    out[:, COL["specific_skill_share"]] = share(2, 1.0)
    out[:, COL["specific_optional_share"]] = share(3, 0.0)
    occ_sim, unit, minor = occupation_levels(cands, vacs, ci, vi, occupations)
    out[:, COL["occupation_match"]] = occ_sim
    out[:, COL["isco_unit_match"]] = unit
    out[:, COL["isco_minor_match"]] = minor
    # education and Dutch: gap only where the vacancy sets a minimum
    for gap, unknown, have, need in (
        ("education_gap", "education_unknown", cands.education[ci], vacs.education_min[v]),
        ("dutch_gap", "dutch_unknown", cands.dutch[ci], vacs.dutch_min[v]),
    ):
        if np.ndim(need) == 0:  # one vacancy (a shortlist): its minimum is one value
            if np.isnan(need):
                continue  # no minimum: no gap and nothing unknown (the zeros ``out`` holds)
            known = ~np.isnan(have)
            out[:, COL[gap]] = np.where(known, np.clip(have - need, -4, 4), 0.0)
            out[:, COL[unknown]] = ~known
            continue
        required = ~np.isnan(need)
        known = ~np.isnan(have)
        out[:, COL[gap]] = np.where(required & known, np.clip(have - need, -4, 4), 0.0)
        out[:, COL[unknown]] = (required & ~known).astype(np.float64)
    # travel
    if distance_km is None:
        distance_km = haversine_km(cands.lat[ci], cands.lon[ci], vacs.lat[vi], vacs.lon[vi])
    out[:, COL["distance_km"]] = distance_km
    limit = cands.max_travel_km[ci]
    out[:, COL["distance_share"]] = distance_km / np.where(limit > 0, limit, 1.0)
    # hours
    ch, vh = cands.hours[ci], vacs.hours[v]
    hi = np.maximum(ch, vh)
    out[:, COL["hours_fit"]] = np.where(hi > 0, np.minimum(ch, vh) / np.where(hi > 0, hi, 1), 1.0)
    # participatieladder
    ladder = cands.ladder[ci]
    out[:, COL["ladder_step"]] = np.nan_to_num(ladder, nan=0.0)
    out[:, COL["ladder_unknown"]] = np.isnan(ladder).astype(np.float64)
    # months out of work at the reference date
    if as_of is None:
        ref = np.where(np.isnan(vacs.start_day[v]), day_number(date.today()), vacs.start_day[v])
    elif isinstance(as_of, date):
        ref = np.asarray(day_number(as_of))
    else:
        ref = np.asarray(as_of, dtype=np.float64)
    since = cands.unemployed_day[ci]
    months = np.clip((ref - since) / 30.44, 0, 120)
    out[:, COL["months_out_of_work"]] = np.nan_to_num(months, nan=0.0)
    out[:, COL["months_out_of_work_unknown"]] = np.isnan(since).astype(np.float64)
    indptr = cands.skills.indptr  # the rows asked for, not a difference over every row
    out[:, COL["profile_skill_count"]] = indptr[ci + 1] - indptr[ci]
    return out


PairInput = tuple[CandidateProfile, VacancyProfile] | tuple[CandidateProfile, VacancyProfile, date]


def pair_frame(
    pairs: Sequence[PairInput],
    *,
    as_of: date | None = None,
    isco_of: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """``PAIR_COLUMNS`` for (candidate, vacancy) or (candidate, vacancy, as_of) profile tuples.

    Candidates and vacancies that appear in several pairs are converted once.

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, VacancyProfile
    >>> c = CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12, benefit="ww")
    >>> v = VacancyProfile(id=7, ref="V7", title="t", pc4="3511", lat=52.09, lon=5.22,
    ...                    hours_per_week=32)
    >>> round(float(pair_frame([(c, v)])["distance_km"].iloc[0]), 1)
    6.8
    """
    sv, ov = Vocabulary(), Vocabulary(isco_of=dict(isco_of or {}))
    cand_pos: dict[int, int] = {}
    vac_pos: dict[int, int] = {}
    cands: list[CandidateProfile] = []
    vacs: list[VacancyProfile] = []
    ci = np.empty(len(pairs), dtype=np.int64)
    vi = np.empty(len(pairs), dtype=np.int64)
    days = np.full(len(pairs), np.nan)
    for p, pair in enumerate(pairs):
        c, v = pair[0], pair[1]
        # keyed by object identity as well as id, so two different records never share a row
        if id(c) not in cand_pos:
            cand_pos[id(c)] = len(cands)
            cands.append(c)
        if id(v) not in vac_pos:
            vac_pos[id(v)] = len(vacs)
            vacs.append(v)
        ci[p], vi[p] = cand_pos[id(c)], vac_pos[id(v)]
        when = pair[2] if len(pair) > 2 else as_of  # type: ignore[misc]
        days[p] = day_number(when) if isinstance(when, date) else np.nan
    ca = candidate_arrays(cands, sv, ov)
    va = vacancy_arrays(vacs, sv, ov)
    fallback = np.where(np.isnan(va.start_day[vi]), day_number(date.today()), va.start_day[vi])
    ref = np.where(np.isnan(days), fallback, days)
    values = pair_features(ca, va, ci, vi, occupations=ov, as_of=ref, skills=sv)
    return pd.DataFrame(values, columns=list(PAIR_COLUMNS))


class PairFeaturizer(TransformerMixin, BaseEstimator):
    """Stateless step turning candidate-vacancy pairs into ``PAIR_COLUMNS``.

    ``X`` is either a sequence of ``(CandidateProfile, VacancyProfile[, as_of])`` tuples, or a
    DataFrame / 2-D array already holding the raw pair columns (as the vectorised index path
    computes them). Any other column (e.g. an attached ``birth_year``) is dropped: only
    ``PAIR_COLUMNS`` ever reach the model.

    Parameters
    ----------
    isco_of : mapping, optional
        Occupation id to 4-digit ISCO-08 code, for related-occupation matches of profile pairs.

    Examples
    --------
    >>> import numpy as np
    >>> PairFeaturizer().fit_transform(np.zeros((2, len(PAIR_COLUMNS)))).shape
    (2, 20)
    """

    def __init__(self, isco_of: Mapping[str, str] | None = None) -> None:
        self.isco_of = isco_of

    def fit(self, X: Any, y: Any = None) -> PairFeaturizer:
        """Nothing to learn; records the output width."""
        self.n_features_out_ = len(PAIR_COLUMNS)
        return self

    def transform(self, X: Any) -> pd.DataFrame:
        """Return a DataFrame with exactly ``PAIR_COLUMNS``."""
        if isinstance(X, pd.DataFrame):
            missing = [c for c in PAIR_COLUMNS if c not in X.columns]
            if missing:
                raise ValueError(
                    f"pair frame lacks columns {missing}; expected all of {list(PAIR_COLUMNS)}"
                )
            return X.loc[:, list(PAIR_COLUMNS)].astype(np.float64).reset_index(drop=True)
        if isinstance(X, np.ndarray):
            if X.ndim != 2 or X.shape[1] != len(PAIR_COLUMNS):
                raise ValueError(
                    f"pair array has shape {X.shape}; expected (n, {len(PAIR_COLUMNS)}) "
                    f"with columns {list(PAIR_COLUMNS)}"
                )
            return pd.DataFrame(X.astype(np.float64), columns=list(PAIR_COLUMNS))
        pairs = list(X)
        for p, pair in enumerate(pairs):
            if not (
                isinstance(pair, tuple)
                and len(pair) in (2, 3)
                and isinstance(pair[0], CandidateProfile)
                and isinstance(pair[1], VacancyProfile)
            ):
                raise ValueError(
                    f"pair {p} is {type(pair).__name__}; expected (CandidateProfile, "
                    "VacancyProfile[, date]) or a frame of PAIR_COLUMNS"
                )
        return pair_frame(pairs, isco_of=self.isco_of)

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        """The pair column names."""
        return np.array(PAIR_COLUMNS, dtype=object)

    def __sklearn_tags__(self):  # type: ignore[no-untyped-def]
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        tags.input_tags.two_d_array = False
        return tags
