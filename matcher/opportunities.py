"""What would open doors: the skills, certificates and licences whose gain counts most.

Two questions, answered with the same index, hard rules (:mod:`matcher.eligibility`), pair
features and scorer as the shortlists (:mod:`matcher.shortlist`), so "you would be in the top
10" means exactly what the coach's shortlist would show:

:func:`open_doors` (one candidate)
    For every skill, certificate or driving licence that some vacancy in reach asks for (required
    or preferred) and the candidate lacks, the candidate is scored again with it gained, against
    all vacancies in reach at once. A gain counts for a vacancy when

    - ``vacancies``: the candidate would be eligible afterwards and the gain closes a gap there
      (a licence the candidate lacked and the vacancy requires: newly eligible; a skill: one of
      its required skills the candidate misses);
    - ``top``: the candidate would rank in the top ``top`` of the vacancy's shortlist afterwards
      (the score beats the ``top``-th best other eligible candidate of the pool) and does not
      now.

    The gains with the most ``top``, then ``vacancies``, come first.

:func:`near_miss_gaps` (a municipality)
    Among near misses, pairs (vacancy, candidate) held back by one thing the candidate could
    acquire: eligible on every hard rule except the driving licence, or eligible but missing at
    most ``max_missing`` required skills. Per missing certificate (or licence, or skill): how
    many distinct candidates and vacancies it holds back, so the SR team can buy the right
    training.

No Python loop runs over the candidate pool: the pool is array work per vacancy (as in a
shortlist); the gains of one candidate are scored as one small block per 40 gains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import numpy as np

from matcher.eligibility import RULES, rule_passes
from matcher.features import LICENCE_BIT, candidate_arrays, haversine_km
from matcher.index import CandidateIndex
from matcher.profiles import CandidateProfile, ConceptRef, VacancyProfile
from matcher.reasons import Scorer
from matcher.shortlist import _prepare

#: gains scored per block: below ``matcher.features.MIN_IDF_ROWS``, so the block is scored with
#: the pool's remembered skill IDF exactly as a shortlist would
_GAIN_BLOCK = 40
_LICENCE_RULE = RULES.index("licence")
KINDS = ("skill", "certificate", "licence")


@dataclass(frozen=True)
class Door:
    """One gain and what it would open among the vacancies in reach."""

    kind: str  # "skill", "certificate" or "licence"
    id: str  # skill id or licence category
    label: str
    vacancies: int
    top: int
    vacancy_ids: tuple[int, ...] = ()
    top_vacancy_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Gap:
    """One missing certificate, licence or skill among a pool's near misses."""

    kind: str
    id: str
    label: str
    candidates: int
    vacancies: int


def _kind_of(taxonomy: Any, skill_id: str) -> str:
    skills = getattr(taxonomy, "skills", None) or {}
    s = skills.get(skill_id)
    return str(getattr(s, "kind", "skill")) if s is not None else "skill"


def _label(taxonomy: Any, concept_id: str, lang: str) -> str:
    if taxonomy is not None and hasattr(taxonomy, "label"):
        try:
            return str(taxonomy.label(concept_id, lang=lang))
        except (KeyError, ValueError):
            pass
    return concept_id


def licence_label(category: str, lang: str = "nl") -> str:
    """A driving licence category as a coach reads it.

    >>> licence_label("C"), licence_label("C", "en")
    ('rijbewijs C', 'driving licence C')
    """
    return f"rijbewijs {category}" if lang == "nl" else f"driving licence {category}"


@dataclass(frozen=True)
class TopScores:
    """Per vacancy (in the order given): the pool's best ``top + 1`` scores, best first, and
    whose they are. What a candidate must beat does not depend on the candidate (only that they
    are not counted against themselves), so a caller may keep this while the index and scorer
    stay the same."""

    vacancy_ids: tuple[int, ...]
    top: int
    scores: tuple[np.ndarray, ...]
    ids: tuple[np.ndarray, ...]

    def thresholds(self, exclude_id: int) -> np.ndarray:
        """Per vacancy: the ``top``-th best score among the others (-inf: fewer eligible)."""
        out = np.full(len(self.vacancy_ids), -np.inf)
        for v, (sc, who) in enumerate(zip(self.scores, self.ids, strict=True)):
            others = sc[who != exclude_id]
            if len(others) >= self.top:
                out[v] = others[self.top - 1]
        return out


def top_scores(
    index: CandidateIndex,
    vacancies: Sequence[VacancyProfile],
    *,
    scorer: Scorer,
    pool_ids: Iterable[int] | None = None,
    municipality_id: int | None = None,
    top: int = 10,
    as_of: date | None = None,
) -> TopScores:
    """The best ``top + 1`` eligible pool candidates' scores per vacancy (see ``TopScores``).

    Examples
    --------
    >>> from matcher.ranker import BaselineScorer
    >>> idx = CandidateIndex.build([CandidateProfile(id=i, ref=f"K{i}", pc4="3511", lat=52.09,
    ...     lon=5.12, benefit="ww") for i in (1, 2)])
    >>> v = VacancyProfile(id=7, ref="V7", title="t", pc4="3511", lat=52.09, lon=5.12,
    ...     hours_per_week=32)
    >>> t = top_scores(idx, [v], scorer=BaselineScorer(), top=1)
    >>> bool(t.thresholds(exclude_id=1)[0] > -np.inf), sorted(t.ids[0].tolist())
    (True, [1, 2])
    """
    vacs = index.vacancy_block(list(vacancies))
    cands, alive = index.arrays()
    mask = alive.copy()
    if pool_ids is not None:
        mask &= np.isin(cands.ids, np.fromiter(pool_ids, dtype=np.int64))
    if municipality_id is not None:
        mask &= cands.municipality_id == municipality_id
    rows = np.flatnonzero(mask)
    groups = [
        _prepare(
            cands, vacs, rows, np.full(len(rows), v, np.int64), index.occupations, as_of, False
        )
        for v in range(len(vacancies))
    ]
    sizes = [len(g.eligible) for g in groups]
    scores = (
        scorer.score_features(np.vstack([g.F for g in groups if len(g.eligible)]))
        if sum(sizes)
        else np.zeros(0)
    )
    bounds = np.cumsum([0, *sizes])
    best, whose = [], []
    for g, a, b in zip(groups, bounds[:-1], bounds[1:], strict=True):
        sc, ids = scores[a:b], cands.ids[g.ci[g.eligible]]
        k = min(top + 1, len(sc))
        pick = np.argsort(-sc, kind="stable")[:k] if k else np.zeros(0, dtype=np.int64)
        best.append(sc[pick])
        whose.append(ids[pick])
    return TopScores(tuple(v.id for v in vacancies), top, tuple(best), tuple(whose))


def _score_variants(
    index: CandidateIndex,
    vacs: Any,
    m: int,
    variants: Sequence[CandidateProfile],
    *,
    scorer: Scorer,
    as_of: date | None,
) -> np.ndarray:
    """Scores of each variant against each vacancy, shape (len(variants), m); -inf where a
    hard rule fails."""
    out = np.full((len(variants), m), -np.inf)
    for start in range(0, len(variants), _GAIN_BLOCK):
        chunk = variants[start : start + _GAIN_BLOCK]
        block = candidate_arrays(list(chunk), index.skills, index.occupations)
        ci = np.repeat(np.arange(len(chunk), dtype=np.int64), m)
        vi = np.tile(np.arange(m, dtype=np.int64), len(chunk))
        g = _prepare(block, vacs, ci, vi, index.occupations, as_of, True)
        if len(g.eligible):
            s = scorer.score_features(g.F)
            out[start + ci[g.eligible], vi[g.eligible]] = s
    return out


def open_doors(
    index: CandidateIndex,
    candidate: CandidateProfile,
    vacancies: Sequence[VacancyProfile],
    *,
    scorer: Scorer,
    pool_ids: Iterable[int] | None = None,
    municipality_id: int | None = None,
    top: int = 10,
    limit: int = 5,
    taxonomy: Any = None,
    lang: str = "nl",
    as_of: date | None = None,
    pool_top: TopScores | None = None,
) -> list[Door]:
    """The few gains that would open the most of ``vacancies`` to ``candidate``.

    Parameters
    ----------
    index
        The candidate index the shortlists use (the pool the candidate competes with).
    candidate
        The candidate's profile as indexed.
    vacancies
        The open vacancies in reach (those the coach can act on).
    scorer
        The serving scorer.
    pool_ids, municipality_id
        Who the candidate competes with on these shortlists: these candidates, those of this
        municipality (default: everyone indexed).
    top
        "In the top ``top``" of a vacancy's shortlist.
    limit
        How many gains to return (those that open nothing are never returned).
    taxonomy, lang
        Labels and kinds (skill or certificate) of the skills.
    as_of
        Reference date for availability.
    pool_top
        ``top_scores`` of these vacancies computed earlier with the same index, scorer and
        pool (computed here when missing or for other vacancies).

    Examples
    --------
    >>> from matcher.ranker import BaselineScorer
    >>> me = CandidateProfile(id=1, ref="K1", pc4="3511", lat=52.09, lon=5.12, benefit="ww")
    >>> idx = CandidateIndex.build([me])
    >>> vs = [VacancyProfile(id=i, ref=f"V{i}", title="t", pc4="3511", lat=52.09, lon=5.12,
    ...       hours_per_week=32, required_skills=(ConceptRef("vca"),), driving_licence=lic)
    ...       for i, lic in ((1, None), (2, None), (3, "C"))]
    >>> [(d.id, d.vacancies, d.top) for d in open_doors(idx, me, vs, scorer=BaselineScorer())]
    [('C', 1, 1), ('vca', 2, 0)]
    """
    if top < 1 or limit < 1:
        raise ValueError(f"top={top}, limit={limit}: both must be at least 1")
    m = len(vacancies)
    if m == 0:
        return []
    vacs = index.vacancy_block(list(vacancies))
    held = {c.id for c in candidate.skills}
    base_block = candidate_arrays([candidate], index.skills, index.occupations)
    have_lic = int(base_block.licence_mask[0])
    gains: list[tuple[str, str]] = []  # (kind, id)
    seen: set[tuple[str, str]] = set()
    for v in vacancies:
        for ref in (*v.required_skills, *v.optional_skills):
            key = ("skill", ref.id)
            if ref.id not in held and key not in seen:
                seen.add(key)
                gains.append(key)
        lic = v.driving_licence
        if lic and not (have_lic & LICENCE_BIT.get(lic, 0)) and ("licence", lic) not in seen:
            seen.add(("licence", lic))
            gains.append(("licence", lic))
    if not gains:
        return []
    variants = [candidate] + [
        replace(candidate, skills=(*candidate.skills, ConceptRef(gid)))
        if kind == "skill"
        else replace(candidate, driving_licences=(*candidate.driving_licences, gid))
        for kind, gid in gains
    ]
    scores = _score_variants(index, vacs, m, variants, scorer=scorer, as_of=as_of)
    ids_in_order = tuple(v.id for v in vacancies)
    if pool_top is None or pool_top.vacancy_ids != ids_in_order or pool_top.top != top:
        pool_top = top_scores(
            index,
            vacancies,
            scorer=scorer,
            pool_ids=pool_ids,
            municipality_id=municipality_id,
            top=top,
            as_of=as_of,
        )
    thr = pool_top.thresholds(exclude_id=candidate.id)
    elig0 = np.isfinite(scores[0])
    top0 = elig0 & (scores[0] > thr)
    ids = np.array([v.id for v in vacancies], dtype=np.int64)
    doors = []
    for k, (kind, gid) in enumerate(gains, start=1):
        elig = np.isfinite(scores[k])
        if kind == "licence":
            closes = elig & ~elig0
        else:
            closes = elig & np.array(
                [any(r.id == gid for r in v.required_skills) for v in vacancies]
            )
        new_top = elig & (scores[k] > thr) & ~top0
        if not closes.any() and not new_top.any():
            continue
        doors.append(
            Door(
                kind=kind if kind == "licence" else _kind_of(taxonomy, gid),
                id=gid,
                label=licence_label(gid, lang)
                if kind == "licence"
                else _label(taxonomy, gid, lang),
                vacancies=int(closes.sum()),
                top=int(new_top.sum()),
                vacancy_ids=tuple(int(i) for i in ids[closes]),
                top_vacancy_ids=tuple(int(i) for i in ids[new_top]),
            )
        )
    doors.sort(key=lambda d: (-d.top, -d.vacancies, d.label))
    return doors[:limit]


def near_miss_gaps(
    index: CandidateIndex,
    vacancies: Sequence[VacancyProfile],
    *,
    candidate_ids: Iterable[int] | None = None,
    municipality_id: int | None = None,
    max_missing: int = 1,
    kinds: Sequence[str] = ("certificate", "licence"),
    limit: int = 10,
    taxonomy: Any = None,
    lang: str = "nl",
    as_of: date | None = None,
) -> list[Gap]:
    """The certificates (by default; or licences, skills) most often missing among near misses.

    Parameters
    ----------
    index
        The candidate index.
    vacancies
        The open vacancies of the municipality.
    candidate_ids, municipality_id
        The pool: these candidates, those of this municipality (default: everyone indexed).
    max_missing
        A pair eligible on the hard rules is a near miss when it misses at least one and at most
        this many required skills.
    kinds
        Which gaps to count: any of ``KINDS``.
    limit
        How many gaps to return, most candidates first.

    Examples
    --------
    >>> from matcher.taxonomy import load_taxonomy
    >>> tax = load_taxonomy()
    >>> vca = next(s for s in tax.skills.values() if s.kind == "certificate")
    >>> idx = CandidateIndex.build([CandidateProfile(id=i, ref=f"K{i}", pc4="3511", lat=52.09,
    ...     lon=5.12, benefit="ww") for i in (1, 2)], taxonomy=tax)
    >>> v = VacancyProfile(id=7, ref="V7", title="t", pc4="3511", lat=52.09, lon=5.12,
    ...     hours_per_week=32, required_skills=(ConceptRef(vca.id),), driving_licence="C")
    >>> [(g.kind, g.candidates) for g in near_miss_gaps(idx, [v], taxonomy=tax)]
    [('licence', 2)]
    >>> [(g.id == vca.id, g.candidates) for g in near_miss_gaps(idx, [v], kinds=("certificate",),
    ...     taxonomy=tax)]
    []
    """
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise ValueError(f"field 'kinds' has value {bad[0]!r}; allowed: {', '.join(KINDS)}")
    if max_missing < 1:
        raise ValueError(f"field 'max_missing' has value {max_missing!r}; expected >= 1")
    if not vacancies:
        return []
    cands, alive = index.arrays()
    mask = alive.copy()
    if candidate_ids is not None:
        mask &= np.isin(cands.ids, np.fromiter(candidate_ids, dtype=np.int64))
    if municipality_id is not None:
        mask &= cands.municipality_id == municipality_id
    rows = np.flatnonzero(mask)
    vacs = index.vacancy_block(list(vacancies))
    skill_ids = index.skills.ids
    who: dict[tuple[str, str], set[int]] = {}
    where: dict[tuple[str, str], set[int]] = {}

    def count(key: tuple[str, str], cand_ids: np.ndarray, vacancy_id: int) -> None:
        if len(cand_ids):
            who.setdefault(key, set()).update(cand_ids.tolist())
            where.setdefault(key, set()).add(vacancy_id)

    for v, profile in enumerate(vacancies):
        near = cands.within_km(rows, float(vacs.lat[v]), float(vacs.lon[v]))
        ci = rows[near]
        vi = np.full(len(ci), v, dtype=np.int64)
        dist = haversine_km(cands.lat[ci], cands.lon[ci], vacs.lat[vi], vacs.lon[vi])
        passes = rule_passes(cands, vacs, ci, vi, as_of=as_of, distance_km=dist)
        others = np.delete(passes, _LICENCE_RULE, axis=0).all(axis=0)
        if "licence" in kinds and profile.driving_licence:
            count(
                ("licence", profile.driving_licence),
                cands.ids[ci[others & ~passes[_LICENCE_RULE]]],
                profile.id,
            )
        req = vacs.required[v].indices
        if not len(req):
            continue
        ok = ci[others & passes[_LICENCE_RULE]]
        if not len(ok):
            continue
        # (eligible, required); a skill newer than the candidate block is held by nobody
        held = np.zeros((len(ok), len(req)), dtype=bool)
        known = req < cands.skills.shape[1]
        if known.any():
            held[:, known] = cands.skills[ok][:, req[known]].toarray() > 0
        n_missing = (~held).sum(axis=1)
        close = (n_missing >= 1) & (n_missing <= max_missing)
        for j, col in enumerate(req):
            sid = skill_ids[int(col)]
            kind = _kind_of(taxonomy, sid)
            if kind in kinds:
                count((kind, sid), cands.ids[ok[close & ~held[:, j]]], profile.id)
    gaps = [
        Gap(
            kind=kind,
            id=gid,
            label=licence_label(gid, lang) if kind == "licence" else _label(taxonomy, gid, lang),
            candidates=len(who[(kind, gid)]),
            vacancies=len(where[(kind, gid)]),
        )
        for kind, gid in who
    ]
    gaps.sort(key=lambda g: (-g.candidates, -g.vacancies, g.label))
    return gaps[:limit]


__all__ = [
    "KINDS",
    "Door",
    "Gap",
    "TopScores",
    "licence_label",
    "near_miss_gaps",
    "open_doors",
    "top_scores",
]
