"""Turn raw candidate and vacancy input into stored rows with their normalised form.

Called on import and on every edit, so matching never re-parses text. Errors name the field,
the value and what is allowed (``FieldError``); text the taxonomy does not understand is kept
on the row (``unknown_terms``) with the nearest suggestions, never dropped.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from api.services.errors import FieldError
from matcher.geo import get_geo
from matcher.normalize import (
    Match,
    NormalizedProfile,
    dutch_level_in,
    get_normalizer,
    licence_of_skill,
    licences_in,
    normalize_dutch_level,
    normalize_education,
    normalize_licences,
    normalize_postcode,
    read_description,
)
from matcher.profiles import CandidateProfile, ConceptRef, VacancyProfile
from matcher.vocab import BENEFITS, DRIVING_LICENCES, SR_BENEFITS, TARGET_GROUPS
from models.candidates import Candidate
from models.vacancies import Vacancy


@dataclass(frozen=True)
class Place:
    postcode: str
    pc4: str
    lat: float
    lon: float


def locate(field: str, raw: str) -> Place:
    """Validate a postcode and find its coordinates, or raise FieldError naming ``field``."""
    try:
        return _place(raw)
    except ValueError as exc:
        raise FieldError(field, raw, str(exc)) from exc


@functools.lru_cache(maxsize=1 << 16)
def _place(raw: str) -> Place:
    # a large import meets the same few thousand postcodes again and again
    postcode = normalize_postcode(raw)
    lat, lon = get_geo().coords(postcode)
    return Place(postcode=postcode, pc4=postcode[:4], lat=float(lat), lon=float(lon))


def _check_enum(field: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise FieldError(field, value, f"{value!r} is not one of: {', '.join(allowed)}")
    return value


def _check_list(field: str, values: Sequence[str], allowed: Sequence[str]) -> list[str]:
    return [_check_enum(field, v, allowed) for v in values]


def _level(field: str, raw: str | None, parse: Any) -> int | None:
    if raw is None or not str(raw).strip():
        return None
    try:
        return parse(raw)  # type: ignore[no-any-return]
    except ValueError as exc:
        raise FieldError(field, raw, str(exc)) from exc


def _education(field: str, raw: str | None, unknown: list[dict[str, Any]]) -> int | None:
    """An education the parser does not know is kept raw and reported, not refused."""
    try:
        return _level(field, raw, normalize_education)
    except FieldError as exc:
        unknown.append({"field": field, "text": raw, "reason": exc.message, "suggestions": []})
        return None


def concept_dicts(refs: Sequence[ConceptRef]) -> list[dict[str, Any]]:
    """ConceptRefs as stored JSON."""
    return [
        {"id": r.id, "confidence": round(float(r.confidence), 4), "implied": bool(r.implied)}
        for r in refs
    ]


def unknown_dicts(field: str, matches: Sequence[Match]) -> list[dict[str, Any]]:
    """Unmatched text with its nearest suggestions, as stored JSON."""
    return [
        {
            "field": field,
            "text": m.text,
            "reason": "not in the taxonomy",
            "suggestions": [
                {"id": s[0], "label": s[1], "score": round(s[2], 2)} for s in m.suggestions
            ],
        }
        for m in matches
    ]


CANDIDATE_RAW = (
    "postcode",
    "benefit",
    "target_groups",
    "ladder_step",
    "education",
    "skills",
    "occupations",
    "dutch_level",
    "driving_licences",
    "hours_per_week",
    "max_travel_km",
    "available_from",
    "unemployed_since",
    "consent_share",
)
VACANCY_RAW = (
    "title",
    "description",
    "required_skills",
    "optional_skills",
    "education_min",
    "postcode",
    "hours_per_week",
    "positions",
    "start_date",
    "eligible_benefits",
    "eligible_target_groups",
    "dutch_level_min",
    "driving_licence",
)


def candidate_norm_fields(
    raw: Mapping[str, Any], *, normalized: NormalizedProfile | None = None
) -> dict[str, Any]:
    """The normalised fields of a candidate from its raw fields (see CANDIDATE_RAW).

    Raises FieldError for a value that is not allowed. ``normalized`` lets a batch import pass
    skills normalised for many profiles at once.
    """
    _check_enum("benefit", raw["benefit"], BENEFITS)
    _check_list("target_groups", raw.get("target_groups") or [], TARGET_GROUPS)
    place = locate("postcode", raw["postcode"])
    unknown: list[dict[str, Any]] = []
    education_level = _education("education", raw.get("education"), unknown)
    dutch = _level("dutch_level", raw.get("dutch_level"), normalize_dutch_level)
    try:
        licences = list(normalize_licences(raw.get("driving_licences") or []))
    except ValueError as exc:
        raise FieldError("driving_licences", raw.get("driving_licences"), str(exc)) from exc
    skills, occupations = list(raw.get("skills") or []), list(raw.get("occupations") or [])
    if normalized is None:
        normalized = get_normalizer().profile(skills, occupations)
    # A licence typed among the skills ("B-rijbewijs", "CE") is stored as its licence concept
    # (the raw driving_licences stay as typed, so an export gives back what was imported);
    # candidate_profile counts it as a licence. A Dutch level there ("NT2 B1") fills the level.
    stated: set[str] = set()
    moved: set[str] = set()
    for text in skills:
        codes = licences_in(text)
        level = dutch_level_in(text)
        if codes:
            stated.update(codes)
            moved.add(text)
        elif level is not None:
            dutch = level if dutch is None else dutch
            moved.add(text)
    refs = [r for r in normalized.skills if licence_of_skill(r.id) is None or not r.implied]
    if stated:  # the difference once, not once per licence code
        not_held = stated - {licence_of_skill(r.id) for r in refs}
        refs += [ConceptRef(LICENCE_SKILL[c], 1.0) for c in DRIVING_LICENCES if c in not_held]
    normalized = NormalizedProfile(
        skills=tuple(refs),
        occupations=normalized.occupations,
        unknown=tuple(m for m in normalized.unknown if m.text not in moved)
        if moved
        else normalized.unknown,
    )
    occupation_texts = set(occupations)
    return {
        "pc4": place.pc4,
        "lat": place.lat,
        "lon": place.lon,
        "education_level": education_level,
        "dutch_level_ord": dutch,
        "driving_licences": licences,
        "skills_norm": concept_dicts(normalized.skills),
        "occupations_norm": concept_dicts(normalized.occupations),
        "unknown_terms": unknown
        + unknown_dicts("skills", [m for m in normalized.unknown if m.text not in occupation_texts])
        + unknown_dicts(
            "occupations", [m for m in normalized.unknown if m.text in occupation_texts]
        ),
    }


def apply_candidate_input(
    candidate: Candidate, data: Mapping[str, Any], *, normalized: NormalizedProfile | None = None
) -> Candidate:
    """Set the raw profile fields (CANDIDATE_RAW) found in ``data`` and recompute the
    normalised form; other keys (coach, municipality, ...) are the caller's business."""
    for key in CANDIDATE_RAW:
        if key in data:
            setattr(candidate, key, data[key])
    raw = {k: getattr(candidate, k) for k in CANDIDATE_RAW}
    for key, value in candidate_norm_fields(raw, normalized=normalized).items():
        setattr(candidate, key, value)
    return candidate


def vacancy_norm_fields(
    raw: Mapping[str, Any], *, matches: Mapping[str, Match] | None = None
) -> dict[str, Any]:
    """The normalised fields of a vacancy from its raw fields (see VACANCY_RAW).

    ``matches`` maps already-normalised skill texts (and ``"title:" + title``) to their Match,
    so a batch import normalises every distinct string once.
    """
    _check_list("eligible_benefits", raw.get("eligible_benefits") or [], BENEFITS)
    _check_list("eligible_target_groups", raw.get("eligible_target_groups") or [], TARGET_GROUPS)
    place = locate("postcode", raw["postcode"])
    unknown: list[dict[str, Any]] = []
    education_min_level = _education("education_min", raw.get("education_min"), unknown)
    dutch_min = _level("dutch_level_min", raw.get("dutch_level_min"), normalize_dutch_level)
    licence = raw.get("driving_licence")
    if licence:
        try:
            (licence,) = normalize_licences([licence])
        except ValueError as exc:
            raise FieldError("driving_licence", licence, str(exc)) from exc
    matches = matches or {}
    norm = get_normalizer()
    title = matches.get("title:" + raw["title"]) or norm.titles([raw["title"]])[0]

    def skills(texts: Sequence[str]) -> list[Match]:
        todo = [t for t in texts if t not in matches]
        found = dict(zip(todo, norm.skills(todo), strict=True)) if todo else {}
        return [matches.get(t) or found[t] for t in texts]

    # Licences listed as required skills or stated in the description are stored as licence
    # concepts among the required skills (the raw driving_licence stays as typed);
    # vacancy_profile turns the most demanding one into the licence the vacancy requires.
    # A Dutch level listed as a skill ("Nederlands B1") fills the minimum level.
    stated: set[str] = set()
    required_texts: list[str] = []
    for text in raw.get("required_skills") or []:
        level = dutch_level_in(text)
        if licences_in(text):
            stated.update(licences_in(text))
        elif level is not None:
            dutch_min = level if dutch_min is None else dutch_min
        else:
            required_texts.append(text)
    optional_texts = [t for t in raw.get("optional_skills") or [] if dutch_level_in(t) is None]
    required = skills(required_texts)
    optional = skills(optional_texts)
    # what the description states: skills (optional where it says "is een pre"), licences
    reading = read_description(raw.get("description") or "", norm)
    stated.update(reading.licences)
    stated -= {licence_of_skill(m.concept_id or "") for m in required}
    licence_refs = [
        Match(code, LICENCE_SKILL[code], code, 1.0, "exact")
        for code in DRIVING_LICENCES
        if code in stated
    ]
    mined_required = [_mined(m) for m in reading.required]
    mined_optional = [_mined(m) for m in reading.optional]
    required_norm = _dedupe([*required, *licence_refs, *mined_required])
    required_ids = {r["id"] for r in required_norm}
    optional = optional + mined_optional
    return {
        "pc4": place.pc4,
        "lat": place.lat,
        "lon": place.lon,
        "education_min_level": education_min_level,
        "dutch_level_min_ord": dutch_min,
        "driving_licence": licence or None,
        "occupation_norm": (
            {"id": title.concept_id, "confidence": round(title.confidence, 4), "implied": False}
            if title.concept_id
            else None
        ),
        "required_norm": required_norm,
        "optional_norm": [c for c in _dedupe(optional) if c["id"] not in required_ids],
        "unknown_terms": unknown
        + unknown_dicts("title", [title] if title.concept_id is None else [])
        + unknown_dicts("required_skills", [m for m in required if m.concept_id is None])
        + unknown_dicts("optional_skills", [m for m in optional if m.concept_id is None]),
    }


def apply_vacancy_input(vacancy: Vacancy, data: Mapping[str, Any]) -> Vacancy:
    """Set the raw fields (VACANCY_RAW) found in ``data`` and recompute the normalised form."""
    for key in VACANCY_RAW:
        if key in data:
            setattr(vacancy, key, data[key])
    raw = {k: getattr(vacancy, k) for k in VACANCY_RAW}
    for key, value in vacancy_norm_fields(raw).items():
        setattr(vacancy, key, value)
    return vacancy


#: Driving licence code to the taxonomy concept that stands for it.
LICENCE_SKILL: dict[str, str] = {code: f"sk_rijbewijs_{code.lower()}" for code in DRIVING_LICENCES}


def _licences(items: Sequence[Mapping[str, Any]] | None) -> set[str]:
    """Licence codes of the stated (not implied) licence concepts among stored skills."""
    codes = {licence_of_skill(str(i["id"])) for i in items or () if not i.get("implied")}
    return {c for c in codes if c is not None}


#: A skill read from a vacancy's description counts this share of its match confidence: a
#: sentence is a weaker statement than a list of required skills.
DESCRIPTION_FACTOR = 0.9


def _mined(m: Match) -> Match:
    return Match(
        m.text, m.concept_id, m.label, round(DESCRIPTION_FACTOR * m.confidence, 4), m.method
    )


def _dedupe(matches: Sequence[Match]) -> list[dict[str, Any]]:
    best: dict[str, float] = {}
    for m in matches:
        if m.concept_id is not None:
            best[m.concept_id] = max(best.get(m.concept_id, 0.0), m.confidence)
    return [{"id": k, "confidence": round(v, 4), "implied": False} for k, v in best.items()]


def _refs(items: Sequence[Mapping[str, Any]] | None) -> tuple[ConceptRef, ...]:
    return tuple(
        ConceptRef(id=str(i["id"]), confidence=float(i["confidence"]), implied=bool(i["implied"]))
        for i in items or ()
    )


def candidate_profile(c: Candidate) -> CandidateProfile:
    """The stored row as the matcher sees it (no protected attributes cross this line)."""
    assert c.id is not None
    return CandidateProfile(
        id=c.id,
        ref=c.ref,
        pc4=c.pc4,
        lat=c.lat,
        lon=c.lon,
        benefit=c.benefit,
        target_groups=tuple(c.target_groups),
        ladder_step=c.ladder_step,
        education_level=c.education_level,
        dutch_level=c.dutch_level_ord,
        skills=_refs([i for i in c.skills_norm or () if licence_of_skill(str(i["id"])) is None]),
        occupations=_refs(c.occupations_norm),
        driving_licences=tuple(
            code
            for code in DRIVING_LICENCES
            if code in set(c.driving_licences) | _licences(c.skills_norm)
        ),
        hours_per_week=c.hours_per_week,
        max_travel_km=c.max_travel_km,
        available_from=c.available_from,
        unemployed_since=c.unemployed_since,
        municipality_id=c.municipality_id,
        coach_id=c.coach_id,
        active=c.active,
    )


def vacancy_profile(
    v: Vacancy, *, excluded_candidate_ids: frozenset[int] = frozenset()
) -> VacancyProfile:
    """The stored vacancy as the matcher sees it; empty eligibility means the contract default."""
    assert v.id is not None
    occ = v.occupation_norm
    return VacancyProfile(
        id=v.id,
        ref=v.ref,
        title=v.title,
        pc4=v.pc4,
        lat=v.lat,
        lon=v.lon,
        hours_per_week=v.hours_per_week,
        occupation=ConceptRef(id=occ["id"], confidence=float(occ["confidence"])) if occ else None,
        required_skills=_refs(
            [i for i in v.required_norm or () if licence_of_skill(str(i["id"])) is None]
        ),
        optional_skills=_refs(v.optional_norm),
        education_min=v.education_min_level,
        dutch_level_min=v.dutch_level_min_ord,
        driving_licence=v.driving_licence
        or max(_licences(v.required_norm), key=DRIVING_LICENCES.index, default=None),
        positions=v.positions,
        start_date=v.start_date,
        eligible_benefits=tuple(v.eligible_benefits) or SR_BENEFITS,
        eligible_target_groups=tuple(v.eligible_target_groups),
        contractor_id=v.contractor_id,
        contract_id=v.contract_id,
        municipality_id=v.municipality_id,
        excluded_candidate_ids=excluded_candidate_ids,
    )
