"""Hard rules: who may appear on a shortlist at all, each failure with its reason.

A candidate who fails any rule is never scored or ranked. Rules work on columnar blocks
(:mod:`matcher.features`) for any list of (candidate row, vacancy row) pairs, so the same code
serves a shortlist (one vacancy, all candidates), the other direction (one candidate, all
vacancies) and batches.

Rules, in order (``RULES``):

``inactive``
    the candidate's profile is not active.
``benefit``
    the candidate's benefit is not among the benefits that count for Social Return under this
    vacancy (``VacancyProfile.eligible_benefits``; empty means every benefit but ``none``). The
    contract's SR table is expected to be folded into ``eligible_benefits`` /
    ``eligible_target_groups`` by whoever builds the vacancy profile.
``target_group``
    the vacancy restricts to target groups and the candidate belongs to none of them.
``distance``
    the workplace is further than the candidate's maximum travel distance.
``licence``
    the vacancy requires a driving licence the candidate does not hold (a higher category
    counts: CE proves C, BE and B; see ``matcher.features.LICENCE_INCLUDES``).
``availability``
    the candidate is available only after the vacancy's start date (no start date: after the
    reference date ``as_of``).
``excluded``
    already placed on, or in an open referral for, this vacancy.

Public API
----------
``rule_passes(cands, vacs, ci, vi, *, as_of=None, distance_km=None) -> ndarray``
    Boolean, shape (len(RULES), n_pairs): which pair passes which rule.
``failed_reasons(passes, columns, lang="nl") -> list[list[RuleFailure]]``
    The failed rules (code and text) of the pairs at ``columns`` of a ``rule_passes`` result.
``rule_text(code, lang="nl") -> str``
    The plain-text reason for one rule code (``RULE_TEXT``: Dutch and English).
``counts_for_sr_pairs(pairs) -> ndarray`` and ``counts_for_sr(benefit, target_groups, ...) -> bool``
    Whether a person counts for Social Return under a vacancy: the ``benefit`` and
    ``target_group`` rules alone, for callers without the rest of a profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import numpy as np

from matcher.features import (
    CandidateArrays,
    VacancyArrays,
    Vocabulary,
    candidate_arrays,
    day_number,
    haversine_km,
    vacancy_arrays,
)
from matcher.profiles import CandidateProfile, VacancyProfile

RULES: tuple[str, ...] = (
    "inactive",
    "benefit",
    "target_group",
    "distance",
    "licence",
    "availability",
    "excluded",
)

RULE_TEXT: dict[str, dict[str, str]] = {
    "nl": {
        "inactive": "profiel is niet actief",
        "benefit": "uitkering telt niet mee voor Social Return bij deze vacature",
        "target_group": "hoort niet bij een doelgroep die deze vacature vraagt",
        "distance": "werkplek ligt verder dan de maximale reisafstand",
        "licence": "mist het vereiste rijbewijs",
        "availability": "pas beschikbaar na de startdatum",
        "excluded": "werkt al via een plaatsing, of is al voorgedragen voor deze vacature",
    },
    "en": {
        "inactive": "profile is not active",
        "benefit": "benefit does not count for Social Return under this vacancy",
        "target_group": "not in a target group this vacancy requires",
        "distance": "workplace is beyond the maximum travel distance",
        "licence": "lacks the required driving licence",
        "availability": "available only after the start date",
        "excluded": "already at work in a placement, or already proposed for this vacancy",
    },
}


@dataclass(frozen=True, slots=True)
class RuleFailure:
    """One failed hard rule: its code and plain-text reason."""

    code: str
    text: str


def rule_text(code: str, lang: str = "nl") -> str:
    """Plain-text reason for a rule code.

    Examples
    --------
    >>> rule_text("distance", "en")
    'workplace is beyond the maximum travel distance'
    """
    if lang not in RULE_TEXT:
        raise ValueError(f"lang {lang!r} is not supported; allowed: {sorted(RULE_TEXT)}")
    if code not in RULE_TEXT[lang]:
        raise ValueError(f"rule {code!r} is unknown; allowed: {list(RULES)}")
    return RULE_TEXT[lang][code]


def rule_passes(
    cands: CandidateArrays,
    vacs: VacancyArrays,
    ci: np.ndarray,
    vi: np.ndarray,
    *,
    as_of: date | None = None,
    distance_km: np.ndarray | None = None,
) -> np.ndarray:
    """Which pairs pass which hard rule.

    Parameters
    ----------
    cands, vacs
        Columnar blocks.
    ci, vi
        Row positions of the pairs (same length).
    as_of
        Reference date for vacancies without a start date (default today).
    distance_km
        Precomputed distances per pair.

    Returns
    -------
    Boolean array of shape (len(RULES), n_pairs); a pair is eligible when its column is all
    True (``passes.all(axis=0)``).

    Examples
    --------
    >>> from matcher.features import Vocabulary, candidate_arrays, vacancy_arrays
    >>> from matcher.profiles import CandidateProfile, VacancyProfile
    >>> sv, ov = Vocabulary(), Vocabulary()
    >>> c = candidate_arrays([CandidateProfile(id=1, ref="K1", pc4="1011", lat=52.37, lon=4.90,
    ...     benefit="ww", max_travel_km=10)], sv, ov)
    >>> v = vacancy_arrays([VacancyProfile(id=7, ref="V7", title="t", pc4="3511", lat=52.09,
    ...     lon=5.12, hours_per_week=32)], sv, ov)
    >>> dict(zip(RULES, rule_passes(c, v, np.array([0]), np.array([0]))[:, 0].tolist()))["distance"]
    False
    """
    ci = np.asarray(ci, dtype=np.int64)
    vi = np.asarray(vi, dtype=np.int64)
    n = len(ci)
    passes = np.ones((len(RULES), n), dtype=bool)
    if n == 0:
        return passes
    if distance_km is None:
        distance_km = haversine_km(cands.lat[ci], cands.lon[ci], vacs.lat[vi], vacs.lon[vi])
    passes[0] = cands.active[ci]
    passes[1] = (cands.benefit_bit[ci] & vacs.benefit_mask[vi]) != 0
    tmask = vacs.target_mask[vi]
    passes[2] = (tmask == 0) | ((cands.target_mask[ci] & tmask) != 0)
    # a missing coordinate can never prove the distance rule
    passes[3] = np.nan_to_num(distance_km, nan=np.inf) <= cands.max_travel_km[ci]
    lic = vacs.licence_bit[vi]
    passes[4] = (lic == 0) | ((cands.licence_mask[ci] & lic) != 0)
    today = day_number(as_of or date.today())
    deadline = np.where(np.isnan(vacs.start_day[vi]), today, vacs.start_day[vi])
    avail = cands.available_day[ci]
    passes[5] = np.isnan(avail) | (avail <= deadline)
    passes[6] = ~_excluded(cands, vacs, ci, vi)
    return passes


def _excluded(
    cands: CandidateArrays, vacs: VacancyArrays, ci: np.ndarray, vi: np.ndarray
) -> np.ndarray:
    out = np.zeros(len(ci), dtype=bool)
    cid = cands.ids[ci]
    # loop over the (few) distinct vacancies, never over candidates
    for v in [vi[0]] if (vi == vi[0]).all() else np.unique(vi):
        excl = vacs.excluded[int(v)]
        if excl:
            sel = vi == v
            out[sel] = np.isin(cid[sel], np.fromiter(excl, dtype=np.int64, count=len(excl)))
    return out


def failed_reasons(
    passes: np.ndarray, columns: np.ndarray, lang: str = "nl"
) -> list[list[RuleFailure]]:
    """The failed rules of the pairs at ``columns`` of a ``rule_passes`` result.

    Examples
    --------
    >>> p = np.ones((len(RULES), 2), dtype=bool); p[3, 1] = False
    >>> [f.code for f in failed_reasons(p, np.array([1]))[0]]
    ['distance']
    """
    texts = [rule_text(code, lang) for code in RULES]
    fails = ~passes[:, columns]
    return [
        [RuleFailure(RULES[r], texts[r]) for r in np.flatnonzero(fails[:, j])]
        for j in range(fails.shape[1])
    ]


def counts_for_sr(
    benefit: str,
    target_groups: Sequence[str] = (),
    *,
    eligible_benefits: Sequence[str] = (),
    eligible_target_groups: Sequence[str] = (),
) -> bool:
    """Whether one person counts for Social Return under one vacancy's eligibility.

    The scalar face of :func:`counts_for_sr_pairs`: empty ``eligible_benefits`` means every
    benefit but ``none``, empty ``eligible_target_groups`` no restriction.

    Examples
    --------
    >>> counts_for_sr("ww")
    True
    >>> counts_for_sr("none")
    False
    >>> counts_for_sr("ww", eligible_benefits=("participatiewet",))
    False
    >>> counts_for_sr("wia", ("50plus",), eligible_target_groups=("50plus", "statushouder"))
    True
    >>> counts_for_sr("wia", (), eligible_target_groups=("statushouder",))
    False
    """
    pair = SrPair(
        benefit, tuple(target_groups), tuple(eligible_benefits), tuple(eligible_target_groups)
    )
    return bool(counts_for_sr_pairs([pair])[0])


class SrPair(NamedTuple):
    """A person's benefit and target groups beside a vacancy's SR eligibility."""

    benefit: str
    target_groups: tuple[str, ...] = ()
    eligible_benefits: tuple[str, ...] = ()
    eligible_target_groups: tuple[str, ...] = ()


def counts_for_sr_pairs(pairs: Sequence[SrPair]) -> np.ndarray:
    """Whether each person counts for Social Return under the vacancy beside them.

    The ``benefit`` and ``target_group`` rules of :func:`rule_passes`, run on a block of the
    pairs (one call for all of them), for callers that show the answer without the rest of a
    profile, such as a contractor's anonymised proposals.

    Examples
    --------
    >>> counts_for_sr_pairs([SrPair("ww"), SrPair("ww", (), ("wia",))]).tolist()
    [True, False]
    """
    if not pairs:
        return np.zeros(0, dtype=bool)
    nowhere = float("nan")  # no place needed: the distance rule is not asked
    cands = [
        CandidateProfile(
            id=i,
            ref="",
            pc4="",
            lat=nowhere,
            lon=nowhere,
            benefit=p.benefit,
            target_groups=tuple(p.target_groups),
        )
        for i, p in enumerate(pairs)
    ]
    vacs = [
        VacancyProfile(
            id=i,
            ref="",
            title="",
            pc4="",
            lat=nowhere,
            lon=nowhere,
            hours_per_week=0.0,
            eligible_benefits=tuple(p.eligible_benefits),
            eligible_target_groups=tuple(p.eligible_target_groups),
        )
        for i, p in enumerate(pairs)
    ]
    rows = np.arange(len(pairs), dtype=np.int64)
    skills, occupations = Vocabulary(), Vocabulary()
    passes = rule_passes(
        candidate_arrays(cands, skills, occupations),
        vacancy_arrays(vacs, skills, occupations),
        rows,
        rows,
        distance_km=np.zeros(len(pairs)),
    )
    return passes[RULES.index("benefit")] & passes[RULES.index("target_group")]
