"""Shortlists: the best eligible candidates for a vacancy, and the best vacancies for a candidate.

Every request is array work over the index: hard rules (:mod:`matcher.eligibility`) as boolean
masks, pair features (:mod:`matcher.features`) for the eligible pairs only, one scorer call, a
top-k selection with ``np.argpartition``, and reasons (:mod:`matcher.reasons`) for the k entries
that are returned. No Python loop runs over all candidates.

Public API
----------
``shortlist(index, vacancy, *, scorer, top=20, explain_excluded=False, taxonomy=None,
lang="nl", candidate_ids=None, coach_id=None, as_of=None) -> ShortlistResult``
``shortlist_many(index, vacancies, *, scorer, top=20, ..., chunk=64) -> list[ShortlistResult]``
    The same for many vacancies, scoring a chunk of vacancies in one model call (``--all``).
``vacancies_for_candidate(vacancy_index, candidate, *, scorer, top=20, ...) -> ShortlistResult``
    The other direction: same rules, features, scorer and reasons.

``ShortlistResult.entries`` are :class:`ShortlistEntry` (candidate_id, candidate_ref,
vacancy_id, vacancy_ref, score, rank, reasons, missing_skills); ``ShortlistResult.excluded``
(only with ``explain_excluded=True``) are :class:`Excluded` with the failed rules (code and
text). ``ShortlistEntry.as_json()`` / ``Excluded.as_json()`` give the CLI/API shape
(``candidate_ref``, ``score``, ``reasons``, ...): the one place an entry is shaped.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import scipy.sparse as sp

from matcher.eligibility import RuleFailure, failed_reasons, rule_passes
from matcher.features import (
    COL,
    CandidateArrays,
    VacancyArrays,
    Vocabulary,
    haversine_km,
    pair_features,
)
from matcher.index import CandidateIndex, VacancyIndex
from matcher.profiles import CandidateProfile, VacancyProfile
from matcher.reasons import (
    LANGS,
    LIKELY_MAX_WEIGHT,
    ReasonDetail,
    Scorer,
    contributions,
    explain,
)

MAX_TOP = 500
#: ``shortlist_many`` scores a chunk of vacancies at once up to this many eligible pairs
#: (20 float64 columns each: 160 MB of features), whatever the pool size
PAIR_BUDGET = 1_000_000


@dataclass(frozen=True)
class ShortlistEntry:
    """One shortlist entry."""

    candidate_id: int
    candidate_ref: str
    vacancy_id: int
    vacancy_ref: str
    score: float
    rank: int
    reasons: tuple[str, ...]
    missing_skills: tuple[str, ...]
    #: per reason: ``FOR`` (1), ``AGAINST`` (-1) or ``NEUTRAL`` (0), see ``matcher.reasons``
    polarity: tuple[int, ...] = ()

    @property
    def reasons_against(self) -> tuple[str, ...]:
        """The reasons that lowered the score (missing skills among them)."""
        return tuple(r for r, p in zip(self.reasons, self.polarity, strict=False) if p < 0)

    @property
    def reasons_pro(self) -> tuple[str, ...]:
        """The reasons that raised the score, or say what matters most (neutral)."""
        signs = self.polarity + (0,) * (len(self.reasons) - len(self.polarity))
        return tuple(r for r, p in zip(self.reasons, signs, strict=True) if p >= 0)

    def as_json(self) -> dict[str, Any]:
        """Plain dict for ``--json`` and the API (``reasons`` split into ``reasons_for`` and
        ``reasons_against`` as well)."""
        return {
            "candidate_id": self.candidate_id,
            "candidate_ref": self.candidate_ref,
            "vacancy_id": self.vacancy_id,
            "vacancy_ref": self.vacancy_ref,
            "score": round(self.score, 4),
            "rank": self.rank,
            "reasons": list(self.reasons),
            "missing_skills": list(self.missing_skills),
            "reasons_for": list(self.reasons_pro),
            "reasons_against": list(self.reasons_against),
        }


@dataclass(frozen=True)
class Excluded:
    """A candidate-vacancy pair left out by hard rules, with why."""

    candidate_id: int
    candidate_ref: str
    vacancy_id: int
    vacancy_ref: str
    rules: tuple[RuleFailure, ...]

    def as_json(self) -> dict[str, Any]:
        """Plain dict for ``--json`` and the API."""
        return {
            "candidate_id": self.candidate_id,
            "candidate_ref": self.candidate_ref,
            "vacancy_id": self.vacancy_id,
            "vacancy_ref": self.vacancy_ref,
            "rules": [r.code for r in self.rules],
            "reasons": [r.text for r in self.rules],
        }


@dataclass
class ShortlistResult:
    """Entries best first; excluded pairs when asked for; counts for context."""

    entries: list[ShortlistEntry]
    excluded: list[Excluded] = field(default_factory=list)
    n_considered: int = 0
    n_eligible: int = 0
    index_version: int = 0
    #: ids of every eligible candidate, for the fairness audit's group counts
    eligible_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def _labeler(taxonomy: Any, vocab: Vocabulary, lang: str) -> Callable[[str], str]:
    if taxonomy is not None and hasattr(taxonomy, "label"):

        def label(cid: str) -> str:
            try:
                return str(taxonomy.label(cid, lang=lang))
            except (KeyError, ValueError):
                return cid

        return label
    return lambda cid: str(vocab.labels.get(cid, cid))


def _check(top: int, lang: str) -> None:
    if not 1 <= top <= MAX_TOP:
        raise ValueError(f"top={top} is out of range; allowed: 1..{MAX_TOP}")
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r} is not supported; allowed: {list(LANGS)}")


@dataclass
class _Group:
    ci: np.ndarray  # candidate rows of the pairs considered
    vi: np.ndarray  # vacancy rows
    passes: np.ndarray
    eligible: np.ndarray  # positions into ci/vi
    F: np.ndarray  # features of the eligible pairs
    dist: np.ndarray = field(default_factory=lambda: np.zeros(0))  # km, per considered pair
    scores: np.ndarray = field(default_factory=lambda: np.zeros(0))
    top: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # into eligible
    contrib: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))


def _prepare(
    cands: CandidateArrays,
    vacs: VacancyArrays,
    ci: np.ndarray,
    vi: np.ndarray,
    occ: Vocabulary,
    as_of: date | None,
    explain_excluded: bool,
) -> _Group:
    one = len(vi) > 0 and len(ci) > 1 and bool((vi == vi[0]).all())
    if not explain_excluded and one:
        # one vacancy: drop everyone beyond their travel distance first with a dot product
        # (exact; they fail the distance rule anyway), so trigonometry and the other rules
        # only run on the nearby candidates
        v = int(vi[0])
        near = cands.within_km(ci, float(vacs.lat[v]), float(vacs.lon[v]))
        ci, vi = ci[near], vi[near]
    if one:  # trigonometry once per distinct home (PC4 centroids), not once per candidate
        v = int(vi[0]) if len(vi) else 0
        dist = cands.distance_km(ci, float(vacs.lat[v]), float(vacs.lon[v]))
    else:
        dist = haversine_km(cands.lat[ci], cands.lon[ci], vacs.lat[vi], vacs.lon[vi])
    passes = rule_passes(cands, vacs, ci, vi, as_of=as_of, distance_km=dist)
    eligible = np.flatnonzero(passes.all(axis=0))
    F = pair_features(
        cands,
        vacs,
        ci[eligible],
        vi[eligible],
        occupations=occ,
        as_of=as_of,
        distance_km=dist[eligible],
    )
    return _Group(ci, vi, passes, eligible, F, dist=dist)


def _top_k(scores: np.ndarray, tiebreak: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k best scores, best first; ties broken by the smaller id."""
    if len(scores) > k:
        # everything scoring at least the k-th best, so ties at the boundary are decided by id
        kth = np.partition(-scores, k - 1)[k - 1]
        cand = np.flatnonzero(-scores <= kth)
    else:
        cand = np.arange(len(scores))
    order = np.lexsort((tiebreak[cand], -scores[cand]))
    return np.asarray(cand[order[:k]])


def _score_groups(
    groups: list[_Group], scorer: Scorer, top: int, tiebreak: Callable[[_Group], np.ndarray]
) -> None:
    """Score all groups in one call, select the top, and compute contributions in one call."""
    sizes = [len(g.eligible) for g in groups]
    if sum(sizes):
        # one group (a single shortlist): its own matrix, not a copy of it
        stacked = groups[0].F if len(groups) == 1 else np.vstack([g.F for g in groups])
        scores = scorer.score_features(stacked)
    else:
        scores = np.zeros(0)
    bounds = np.cumsum([0, *sizes])
    refs, tops = [], []
    for g, a, b in zip(groups, bounds[:-1], bounds[1:], strict=True):
        g.scores = scores[a:b]
        g.top = _top_k(g.scores, tiebreak(g), top) if len(g.scores) else np.zeros(0, np.int64)
        if len(g.top):
            tops.append(g.F[g.top])
        if len(g.top):
            refs.append(np.repeat(g.F.mean(axis=0, keepdims=True), len(g.top), axis=0))
    if not tops:
        return
    # contributions against each group's own average eligible pair, in one batched call
    allF, allRef = np.vstack(tops), np.vstack(refs)
    contrib = contributions(scorer, allF, allRef)
    pos = 0
    for g in groups:
        g.contrib = contrib[pos : pos + len(g.top)]
        pos += len(g.top)


def _row(m: sp.csr_matrix, r: int) -> tuple[np.ndarray, np.ndarray]:
    """Column indices and values of one CSR row, without building a matrix."""
    a, b = m.indptr[r], m.indptr[r + 1]
    return m.indices[a:b], m.data[a:b]


def _detail(
    cands: CandidateArrays,
    vacs: VacancyArrays,
    c: int,
    v: int,
    skills: Vocabulary,
    occ: Vocabulary,
    label: Callable[[str], str],
) -> ReasonDetail:
    """What the sentences name, for one returned entry (only ever called for the top k)."""
    cols, vals = _row(cands.skills, c)
    have = set(cols[vals > 0].tolist())
    likely = set(cols[(vals > 0) & (vals <= LIKELY_MAX_WEIGHT)].tolist())  # implied, not stated
    occ_cols, occ_vals = _row(cands.occupations, c)
    likely_from = label(occ.ids[int(occ_cols[occ_vals.argmax()])]) if len(occ_cols) else None
    req = _row(vacs.required, v)[0].tolist()
    opt = _row(vacs.optional, v)[0].tolist()
    ids = skills.ids
    oc = int(vacs.occupation_col[v])

    def num(x: float) -> float | None:
        return None if np.isnan(x) else float(x)

    return ReasonDetail(
        required_held=tuple(label(ids[s]) for s in req if s in have),
        required_missing=tuple(label(ids[s]) for s in req if s not in have),
        required_likely=tuple(label(ids[s]) for s in req if s in likely),
        likely_from=likely_from if likely & set(req) else None,
        optional_held=tuple(label(ids[s]) for s in opt if s in have),
        optional_count=len(opt),
        occupation_label=label(occ.ids[oc]) if oc >= 0 else None,
        candidate_hours=num(cands.hours[c]),
        vacancy_hours=num(vacs.hours[v]),
        max_travel_km=num(cands.max_travel_km[c]),
        education=num(cands.education[c]),
        education_min=num(vacs.education_min[v]),
        dutch=num(cands.dutch[c]),
        dutch_min=num(vacs.dutch_min[v]),
    )


def _result(
    g: _Group,
    cands: CandidateArrays,
    vacs: VacancyArrays,
    skills: Vocabulary,
    occ: Vocabulary,
    label: Callable[[str], str],
    lang: str,
    explain_excluded: bool,
    version: int,
) -> ShortlistResult:
    entries = []
    for rank, t in enumerate(g.top, start=1):
        p = int(g.eligible[t])
        c, v = int(g.ci[p]), int(g.vi[p])
        d = _detail(cands, vacs, c, v, skills, occ, label)
        reasons = explain(g.F[t], g.contrib[rank - 1], d, lang=lang)
        entries.append(
            ShortlistEntry(
                candidate_id=int(cands.ids[c]),
                candidate_ref=str(cands.refs[c]),
                vacancy_id=int(vacs.ids[v]),
                vacancy_ref=str(vacs.refs[v]),
                score=float(g.scores[t]),
                rank=rank,
                reasons=tuple(r.text for r in reasons),
                missing_skills=d.required_missing,
                polarity=tuple(r.polarity for r in reasons),
            )
        )
    excluded: list[Excluded] = []
    if explain_excluded:
        out = np.flatnonzero(~g.passes.all(axis=0))
        for pos, rules in zip(out, failed_reasons(g.passes, out, lang), strict=True):
            c, v = int(g.ci[pos]), int(g.vi[pos])
            detailed = tuple(
                _with_distance(r, float(g.dist[pos]), float(cands.max_travel_km[c]), lang)
                if r.code == "distance"
                else r
                for r in rules
            )
            excluded.append(
                Excluded(
                    int(cands.ids[c]),
                    str(cands.refs[c]),
                    int(vacs.ids[v]),
                    str(vacs.refs[v]),
                    detailed,
                )
            )
    return ShortlistResult(
        entries, excluded, len(g.ci), len(g.eligible), version, cands.ids[g.ci[g.eligible]]
    )


def _with_distance(rule: RuleFailure, km: float, limit: float, lang: str) -> RuleFailure:
    """The distance rule with its numbers, so a coach can see by how much it failed."""
    if lang == "en":
        return RuleFailure(rule.code, f"{rule.text}: {km:.0f} km, at most {limit:.0f} km")
    return RuleFailure(rule.code, f"{rule.text}: {km:.0f} km, maximaal {limit:.0f} km")


#: municipalities whose rows a block remembers (a region's installation holds a few dozen)
MUNICIPALITY_CACHE = 256
_MUNICIPALITY_LOCK = threading.Lock()


def _municipality_rows(cands: CandidateArrays, municipality_id: int) -> np.ndarray:
    """Rows of one municipality's candidates, ascending, cached on the block."""
    cache: dict[int, np.ndarray] = cands.__dict__.setdefault("_municipality_rows_", {})
    with _MUNICIPALITY_LOCK:
        rows = cache.get(municipality_id)
    if rows is None:
        rows = np.flatnonzero(cands.municipality_id == municipality_id)
        with _MUNICIPALITY_LOCK:
            while len(cache) >= MUNICIPALITY_CACHE:
                del cache[next(iter(cache))]
            cache[municipality_id] = rows
    return rows


def _candidate_rows(
    cands: CandidateArrays,
    alive: np.ndarray,
    candidate_ids: Iterable[int] | None,
    coach_id: int | None,
    municipality_id: int | None = None,
) -> np.ndarray:
    if candidate_ids is None and coach_id is None and municipality_id is not None:
        # a coach's usual view: the municipality's rows, found once per block (it never
        # changes; a merge makes a new one), then only the living among them
        rows = _municipality_rows(cands, municipality_id)
        return rows[alive[rows]]
    mask = alive.copy()
    if candidate_ids is not None:
        mask &= np.isin(cands.ids, np.fromiter(candidate_ids, dtype=np.int64))
    if coach_id is not None:
        mask &= cands.coach_id == coach_id
    if municipality_id is not None:  # a column compare, not a list of 100,000 ids
        mask &= cands.municipality_id == municipality_id
    return np.flatnonzero(mask)


def shortlist(
    index: CandidateIndex,
    vacancy: VacancyProfile,
    *,
    scorer: Scorer,
    top: int = 20,
    explain_excluded: bool = False,
    taxonomy: Any = None,
    lang: str = "nl",
    candidate_ids: Iterable[int] | None = None,
    coach_id: int | None = None,
    as_of: date | None = None,
    municipality_id: int | None = None,
) -> ShortlistResult:
    """The best eligible candidates for one vacancy, with reasons.

    Parameters
    ----------
    index
        The candidate index.
    vacancy
        The vacancy profile (its ``excluded_candidate_ids`` are never listed).
    scorer
        ``BaselineScorer()`` or a fitted ``SRRanker``.
    top
        Number of entries (1..500).
    explain_excluded
        Also list every considered candidate who failed a hard rule, with the rules.
    taxonomy
        For skill and occupation labels in ``lang`` (else the index's Dutch labels or ids).
    lang
        ``"nl"`` or ``"en"``.
    candidate_ids, coach_id, municipality_id
        Restrict to these candidates / to one coach's candidates / to one municipality's.
    as_of
        Reference date for availability without start date and months out of work.

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, VacancyProfile, ConceptRef
    >>> from matcher.ranker import BaselineScorer
    >>> idx = CandidateIndex.build([
    ...     CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12, benefit="ww",
    ...                      skills=(ConceptRef("heftruck"),)),
    ...     CandidateProfile(id=2, ref="K2", pc4="9711", lat=53.22, lon=6.57, benefit="ww")])
    >>> v = VacancyProfile(id=7, ref="V7", title="Heftruckchauffeur", pc4="3512", lat=52.10,
    ...                    lon=5.13, hours_per_week=32, required_skills=(ConceptRef("heftruck"),))
    >>> r = shortlist(idx, v, scorer=BaselineScorer(), explain_excluded=True)
    >>> [e.candidate_ref for e in r.entries], [x.candidate_ref for x in r.excluded]
    (['K1'], ['K2'])
    >>> r.entries[0].reasons[0].startswith("heeft 1 van 1 vereiste vaardigheden")
    True
    """
    return shortlist_many(
        index,
        [vacancy],
        scorer=scorer,
        top=top,
        explain_excluded=explain_excluded,
        taxonomy=taxonomy,
        lang=lang,
        candidate_ids=candidate_ids,
        coach_id=coach_id,
        as_of=as_of,
        municipality_id=municipality_id,
    )[0]


def shortlist_many(
    index: CandidateIndex,
    vacancies: Sequence[VacancyProfile],
    *,
    scorer: Scorer,
    top: int = 20,
    explain_excluded: bool = False,
    taxonomy: Any = None,
    lang: str = "nl",
    candidate_ids: Iterable[int] | None = None,
    coach_id: int | None = None,
    as_of: date | None = None,
    chunk: int = 64,
    municipality_id: int | None = None,
) -> list[ShortlistResult]:
    """Shortlists for many vacancies (``shortlist --all``), one result per vacancy, in order.

    Vacancies are processed in chunks of ``chunk`` (fewer when their eligible pairs reach
    ``PAIR_BUDGET``): rules and features per vacancy as array operations, then one scorer call
    (and one for the reasons) per chunk.

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, VacancyProfile
    >>> from matcher.ranker import BaselineScorer
    >>> idx = CandidateIndex.build([CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09,
    ...                                              lon=5.12, benefit="ww")])
    >>> vs = [VacancyProfile(id=i, ref=f"V{i}", title="t", pc4="3511", lat=52.09, lon=5.12,
    ...                      hours_per_week=32) for i in (1, 2)]
    >>> [len(r.entries) for r in shortlist_many(idx, vs, scorer=BaselineScorer())]
    [1, 1]
    """
    _check(top, lang)
    cands, alive = index.arrays()
    version = index.version
    rows = _candidate_rows(cands, alive, candidate_ids, coach_id, municipality_id)
    vacs = index.vacancy_block(list(vacancies))
    label = _labeler(taxonomy, index.skills, lang)
    results: list[ShortlistResult] = []
    groups: list[_Group] = []

    def flush() -> None:
        _score_groups(groups, scorer, top, lambda g: cands.ids[g.ci[g.eligible]])
        results.extend(
            _result(
                g,
                cands,
                vacs,
                index.skills,
                index.occupations,
                label,
                lang,
                explain_excluded,
                version,
            )
            for g in groups
        )
        groups.clear()

    pairs = 0
    for v in range(len(vacancies)):  # one iteration per vacancy, never per candidate
        groups.append(
            _prepare(
                cands,
                vacs,
                rows,
                np.full(len(rows), v, dtype=np.int64),
                index.occupations,
                as_of,
                explain_excluded,
            )
        )
        pairs += len(groups[-1].eligible)
        # a chunk ends at ``chunk`` vacancies or ``PAIR_BUDGET`` eligible pairs, whichever
        # comes first: a large pool near many vacancies never holds them all at once
        if len(groups) >= max(1, chunk) or pairs >= PAIR_BUDGET:
            flush()
            pairs = 0
    if groups:
        flush()
    return results


def vacancies_for_candidate(
    vacancy_index: VacancyIndex,
    candidate: CandidateProfile,
    *,
    scorer: Scorer,
    top: int = 20,
    explain_excluded: bool = False,
    taxonomy: Any = None,
    lang: str = "nl",
    as_of: date | None = None,
    vacancy_ids: Iterable[int] | None = None,
) -> ShortlistResult:
    """The best vacancies for one candidate, with the same rules, scores and reasons.

    ``vacancy_ids`` restricts the search to these vacancies (e.g. those the asking coach can
    act on); the others are neither considered nor listed as excluded.

    Examples
    --------
    >>> from matcher.profiles import CandidateProfile, VacancyProfile
    >>> from matcher.ranker import BaselineScorer
    >>> vi = VacancyIndex.build([VacancyProfile(id=i, ref=f"V{i}", title="t", pc4="3511",
    ...     lat=52.09 + i / 10, lon=5.12, hours_per_week=32) for i in (1, 2, 5)])
    >>> c = CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12, benefit="ww")
    >>> [e.vacancy_ref for e in vacancies_for_candidate(vi, c, scorer=BaselineScorer()).entries]
    ['V1', 'V2']
    """
    _check(top, lang)
    vacs = vacancy_index.block()
    cands = vacancy_index.candidate_block(candidate)
    rows = np.arange(len(vacs), dtype=np.int64)
    if vacancy_ids is not None:
        rows = rows[np.isin(vacs.ids, np.fromiter(vacancy_ids, dtype=np.int64))]
    g = _prepare(
        cands,
        vacs,
        np.zeros(len(rows), dtype=np.int64),
        rows,
        vacancy_index.occupations,
        as_of,
        True,  # one candidate: all vacancies are few, keep every rule result
    )
    _score_groups([g], scorer, top, lambda g: vacs.ids[g.vi[g.eligible]])
    label = _labeler(taxonomy, vacancy_index.skills, lang)
    return _result(
        g,
        cands,
        vacs,
        vacancy_index.skills,
        vacancy_index.occupations,
        label,
        lang,
        explain_excluded,
        vacancy_index.version,
    )


__all__ = [
    "COL",
    "Excluded",
    "ShortlistEntry",
    "ShortlistResult",
    "shortlist",
    "shortlist_many",
    "vacancies_for_candidate",
]
