"""Plain reasons for a score, in Dutch (default) or English.

A score is explained by the features that moved it most. For each entry and each reason group
(``REASON_GROUPS``: related pair columns, e.g. distance and its share of the travel limit) the
group's columns are replaced by the average eligible candidate's values and the scorer is asked
again; the score difference is the group's contribution. This works the same for the baseline
and for any trained model (one batched scorer call per shortlist). The largest contributions,
positive or negative, become up to ``MAX_REASONS`` sentences; when required skills are missing,
the sentence naming them is always among them.

Public API
----------
``contributions(scorer, F, reference) -> ndarray (n, len(REASON_GROUPS))``
``reasons_for(F_row, contrib_row, detail, *, lang="nl") -> list[str]`` (1 to 5 sentences)
``explain(F_row, contrib_row, detail, *, lang="nl") -> list[Reason]``: the same sentences, each
with its polarity (``FOR``: it raised the score, ``AGAINST``: it lowered it, ``NEUTRAL``: said
only because nothing moved the score), so a page can split what speaks for and against.
``ReasonDetail``: what a sentence needs beyond the pair columns (skill labels, hours, levels).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from matcher.features import COL, IMPLIED_WEIGHT, PAIR_COLUMNS
from matcher.vocab import DUTCH_LEVEL_NAMES

MAX_REASONS = 5
LANGS = ("nl", "en")

#: Reason group to the pair columns it covers (every column belongs to exactly one group).
REASON_GROUPS: dict[str, tuple[str, ...]] = {
    "required_skills": ("required_skill_share", "required_skills_missing", "specific_skill_share"),
    "optional_skills": ("optional_skill_share", "specific_optional_share"),
    "occupation": ("occupation_match", "isco_unit_match", "isco_minor_match"),
    "education": ("education_gap", "education_unknown"),
    "dutch": ("dutch_gap", "dutch_unknown"),
    "travel": ("distance_km", "distance_share"),
    "hours": ("hours_fit",),
    "ladder": ("ladder_step", "ladder_unknown"),
    "out_of_work": ("months_out_of_work", "months_out_of_work_unknown"),
    "profile": ("profile_skill_count",),
}
assert sorted(c for cols in REASON_GROUPS.values() for c in cols) == sorted(PAIR_COLUMNS)
_GROUP_COLS = [np.array([COL[c] for c in cols]) for cols in REASON_GROUPS.values()]


class Scorer(Protocol):
    """Anything with ``score_features`` (``BaselineScorer``, ``SRRanker``)."""

    def score_features(self, F: np.ndarray) -> np.ndarray: ...


@dataclass(frozen=True)
class ReasonDetail:
    """Facts a sentence names that the pair columns do not hold."""

    required_held: tuple[str, ...] = ()
    required_missing: tuple[str, ...] = ()
    #: the part of ``required_held`` the candidate only likely has: implied by an occupation
    #: (``likely_from``), never stated
    required_likely: tuple[str, ...] = ()
    likely_from: str | None = None
    optional_held: tuple[str, ...] = ()
    optional_count: int = 0
    occupation_label: str | None = None
    candidate_hours: float | None = None
    vacancy_hours: float | None = None
    max_travel_km: float | None = None
    education: float | None = None
    education_min: float | None = None
    dutch: float | None = None
    dutch_min: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


def contributions(scorer: Scorer, F: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Score minus the score with each reason group set to ``reference``.

    Parameters
    ----------
    scorer
        Has ``score_features``.
    F
        Pair columns of the entries to explain, shape (n, len(PAIR_COLUMNS)).
    reference
        The comparison pair (e.g. the mean over eligible candidates), shape (len(PAIR_COLUMNS),),
        or one comparison row per entry, shape like ``F``.

    Examples
    --------
    >>> from matcher.ranker import BaselineScorer
    >>> F = np.zeros((1, len(PAIR_COLUMNS))); F[0, COL["required_skill_share"]] = 1.0
    >>> c = contributions(BaselineScorer(), F, np.zeros(len(PAIR_COLUMNS)))
    >>> round(float(c[0, 0]), 2)  # required skills added 0.35
    0.35
    """
    F = np.asarray(F, dtype=np.float64)
    n, g = F.shape[0], len(_GROUP_COLS)
    if n == 0:
        return np.zeros((0, g))
    ref = np.broadcast_to(np.asarray(reference, dtype=np.float64), F.shape)
    batch = np.repeat(F[None, :, :], g, axis=0)  # (g, n, features)
    for k, cols in enumerate(_GROUP_COLS):
        batch[k][:, cols] = ref[:, cols]
    scores = scorer.score_features(np.vstack([F, batch.reshape(g * n, -1)]))
    base = scores[:n]
    return np.asarray(base[None, :] - scores[n:].reshape(g, n)).T


def _list(labels: tuple[str, ...], limit: int = 4) -> str:
    shown = ", ".join(labels[:limit])
    return shown + (f" (+{len(labels) - limit})" if len(labels) > limit else "")


def _fmt(x: float) -> str:
    return f"{x:.0f}" if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def _sentence(group: str, f: np.ndarray, d: ReasonDetail, lang: str) -> str | None:
    nl = lang == "nl"
    if group == "required_skills":
        n = len(d.required_held) + len(d.required_missing)
        if n == 0:
            return (
                "vacature vraagt geen specifieke vaardigheden"
                if nl
                else "no specific skills required"
            )
        if not d.required_held:
            return (
                f"heeft geen van de {n} vereiste vaardigheden"
                if nl
                else f"has none of the {n} required skills"
            )
        k = len(d.required_held)
        likely = set(d.required_likely)
        stated = tuple(x for x in d.required_held if x not in likely)
        sentence = (
            f"heeft {k} van {n} vereiste vaardigheden" if nl else f"has {k} of {n} required skills"
        )
        if stated:
            sentence += f": {_list(stated)}"
        if likely:
            source = f" {d.likely_from}" if d.likely_from else ""
            inferred = _list(tuple(x for x in d.required_held if x in likely))
            sentence += (
                f"{';' if stated else ':'} waarschijnlijk, uit beroep{source}: {inferred}"
                if nl
                else f"{';' if stated else ':'} likely, from occupation{source}: {inferred}"
            )
        return sentence
    if group == "optional_skills":
        if d.optional_count == 0:
            return None
        if not d.optional_held:
            return (
                "heeft geen van de gewenste vaardigheden"
                if nl
                else "has none of the preferred skills"
            )
        k, held = len(d.optional_held), _list(d.optional_held)
        n = d.optional_count
        return (
            f"heeft {k} van {n} gewenste vaardigheden: {held}"
            if nl
            else f"has {k} of {n} preferred skills: {held}"
        )
    if group == "occupation":
        m = f[COL["occupation_match"]]
        label = f" ({d.occupation_label})" if d.occupation_label else ""
        if m >= 0.95:
            return (
                f"ervaring met of wens voor dit beroep{label}"
                if nl
                else f"experience in or wish for this occupation{label}"
            )
        if m > 0:
            return (
                f"ervaring met of wens voor een verwant beroep{label}"
                if nl
                else f"experience in or wish for a related occupation{label}"
            )
        return (
            "geen ervaring met of wens voor dit of een verwant beroep"
            if nl
            else "no experience in or wish for this or a related occupation"
        )
    if group == "travel":
        dist = float(f[COL["distance_km"]])
        km = f"{dist:.0f}" if dist >= 1.5 else f"{dist:.1f}"
        s = f"woont {km} km van de werkplek" if nl else f"lives {km} km from the workplace"
        if f[COL["distance_share"]] > 0.75 and d.max_travel_km:
            mx = _fmt(d.max_travel_km)
            s += f" (maximaal {mx} km)" if nl else f" (limit {mx} km)"
        return s
    if group == "hours":
        if d.candidate_hours is None or d.vacancy_hours is None:
            return None
        c, v = _fmt(d.candidate_hours), _fmt(d.vacancy_hours)
        return (
            f"wil {c} uur per week werken, de vacature biedt {v} uur"
            if nl
            else f"wants {c} hours a week, the vacancy offers {v}"
        )
    if group in ("education", "dutch"):
        have, need = (
            (d.education, d.education_min) if group == "education" else (d.dutch, d.dutch_min)
        )
        if need is None:
            return None
        name = {
            "education": ("opleidingsniveau", "education level"),
            "dutch": ("Nederlands", "Dutch"),
        }[group]
        fmt = (
            (lambda x: f"niveau {int(x)}")
            if group == "education"
            else (lambda x: DUTCH_LEVEL_NAMES.get(int(x), str(x)))
        )
        if have is None:
            return (
                f"{name[0]} onbekend (gevraagd {fmt(need)})"
                if nl
                else f"{name[1]} unknown (required {fmt(need)})"
            )
        if have >= need:
            return (
                f"{name[0]} voldoet ({fmt(have)}, gevraagd {fmt(need)})"
                if nl
                else f"{name[1]} meets the minimum ({fmt(have)}, required {fmt(need)})"
            )
        return (
            f"{name[0]} lager dan gevraagd ({fmt(have)}, gevraagd {fmt(need)})"
            if nl
            else f"{name[1]} below the minimum ({fmt(have)}, required {fmt(need)})"
        )
    if group == "ladder":
        if f[COL["ladder_unknown"]]:
            return (
                "trede op de participatieladder onbekend"
                if nl
                else "participation ladder step unknown"
            )
        step = int(f[COL["ladder_step"]])
        return f"participatieladder trede {step}" if nl else f"participation ladder step {step}"
    if group == "out_of_work":
        if f[COL["months_out_of_work_unknown"]]:
            return None
        m = int(round(f[COL["months_out_of_work"]]))
        return f"{m} maanden zonder werk" if nl else f"{m} months out of work"
    if group == "profile":
        n = int(f[COL["profile_skill_count"]])
        return f"profiel noemt {n} vaardigheden" if nl else f"profile lists {n} skills"
    return None


#: A candidate's skill weight at or under this is implied by an occupation, never stated: the
#: normaliser gives implied skills half the occupation's confidence (``IMPLIED_FACTOR``) and the
#: features weigh them by ``IMPLIED_WEIGHT`` again, while a stated skill weighs at least 0.6.
LIKELY_MAX_WEIGHT = 0.5 * IMPLIED_WEIGHT + 1e-9


def missing_sentence(missing: tuple[str, ...], lang: str = "nl") -> str:
    """The sentence naming missing required skills.

    Examples
    --------
    >>> missing_sentence(("rijbewijs C",))
    'mist rijbewijs C'
    """
    return f"mist {_list(missing, 6)}" if lang == "nl" else f"lacks {_list(missing, 6)}"


#: Polarities of a :class:`Reason`.
FOR, AGAINST, NEUTRAL = 1, -1, 0


@dataclass(frozen=True)
class Reason:
    """One sentence and which way its reason group moved the score.

    ``polarity`` is ``FOR`` (the group raised the score against the average eligible
    candidate), ``AGAINST`` (it lowered it; the missing-skills sentence always is) or
    ``NEUTRAL`` (nothing moved the score; the sentence only says what matters most).
    """

    text: str
    polarity: int


def explain(
    f: np.ndarray, contrib: np.ndarray, detail: ReasonDetail, *, lang: str = "nl"
) -> list[Reason]:
    """Up to ``MAX_REASONS`` sentences with their polarity, the largest contributions first.

    Always at least one sentence; when required skills are missing, that sentence is included
    (as ``AGAINST``).

    Examples
    --------
    >>> f = np.zeros(len(PAIR_COLUMNS)); f[COL["distance_km"]] = 7.2
    >>> c = np.zeros(len(REASON_GROUPS)); c[list(REASON_GROUPS).index("travel")] = 0.1
    >>> c[list(REASON_GROUPS).index("ladder")] = -0.05
    >>> [(r.text, r.polarity) for r in explain(f, c, ReasonDetail(required_missing=("VCA",)))]
    [('woont 7 km van de werkplek', 1), ('participatieladder trede 0', -1), ('mist VCA', -1)]
    """
    if lang not in LANGS:
        raise ValueError(f"lang {lang!r} is not supported; allowed: {list(LANGS)}")
    groups: list[str] = list(REASON_GROUPS)
    order = np.argsort(-np.abs(contrib), kind="stable")
    out: list[Reason] = []
    for k in order:
        if len(out) >= MAX_REASONS or abs(contrib[k]) < 1e-6:
            break
        text = _sentence(groups[int(k)], f, detail, lang)
        if text:
            out.append(Reason(text, FOR if contrib[k] > 0 else AGAINST))
    if detail.required_missing:
        miss = missing_sentence(detail.required_missing, lang)
        out = out[: MAX_REASONS - 1] + [Reason(miss, AGAINST)]
    if not out:  # nothing moved the score: say what matters most
        for name in ("required_skills", "travel"):
            text = _sentence(name, f, detail, lang)
            if text:
                out.append(Reason(text, NEUTRAL))
                break
    return out


def reasons_for(
    f: np.ndarray, contrib: np.ndarray, detail: ReasonDetail, *, lang: str = "nl"
) -> list[str]:
    """Up to ``MAX_REASONS`` sentences, the largest contributions first (:func:`explain`
    without the polarities).

    Always at least one sentence; when required skills are missing, that sentence is included.

    Examples
    --------
    >>> f = np.zeros(len(PAIR_COLUMNS)); f[COL["distance_km"]] = 7.2
    >>> c = np.zeros(len(REASON_GROUPS)); c[list(REASON_GROUPS).index("travel")] = 0.1
    >>> reasons_for(f, c, ReasonDetail(required_held=("heftruck",), required_missing=("VCA",)))
    ['woont 7 km van de werkplek', 'mist VCA']
    """
    return [r.text for r in explain(f, contrib, detail, lang=lang)]
