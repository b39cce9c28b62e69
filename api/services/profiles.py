"""Turn raw candidate and vacancy input into stored rows with their normalised form.

Called on import and on every edit, so matching never re-parses text. Errors name the field,
the value and what is allowed (``FieldError``); text the taxonomy does not understand is kept
on the row (``unknown_terms``) with the nearest suggestions, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from matcher.geo import get_geo
from matcher.normalize import (
    Match,
    NormalizedProfile,
    get_normalizer,
    normalize_dutch_level,
    normalize_education,
    normalize_licences,
    normalize_postcode,
)
from matcher.profiles import CandidateProfile, ConceptRef, VacancyProfile
from matcher.vocab import BENEFITS, SR_BENEFITS, TARGET_GROUPS
from models.candidates import Candidate
from models.vacancies import Vacancy

from api.services.errors import FieldError


@dataclass(frozen=True)
class Place:
    postcode: str
    pc4: str
    lat: float
    lon: float


def locate(field: str, raw: str) -> Place:
    """Validate a postcode and find its coordinates, or raise FieldError naming ``field``."""
    try:
        postcode = normalize_postcode(raw)
        lat, lon = get_geo().coords(postcode)
    except ValueError as exc:
        raise FieldError(field, raw, str(exc)) from exc
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
            "suggestions": [{"id": s[0], "label": s[1], "score": round(s[2], 1)} for s in m.suggestions],
        }
        for m in matches
    ]


def apply_candidate_input(
    candidate: Candidate, data: Mapping[str, Any], *, normalized: NormalizedProfile | None = None
) -> Candidate:
    """Set raw fields from ``data`` on ``candidate`` and recompute its normalised form.

    ``normalized`` lets a batch import pass skills already normalised in one batch.
    """
    for key, value in data.items():
        if key in Candidate.model_fields and not key.endswith("_norm"):
            setattr(candidate, key, value)
    _check_enum("benefit", candidate.benefit, BENEFITS)
    candidate.target_groups = _check_list("target_groups", candidate.target_groups, TARGET_GROUPS)
    place = locate("postcode", candidate.postcode)
    candidate.pc4, candidate.lat, candidate.lon = place.pc4, place.lat, place.lon
    unknown: list[dict[str, Any]] = []
    candidate.education_level = _education("education", candidate.education, unknown)
    candidate.dutch_level_ord = _level("dutch_level", candidate.dutch_level, normalize_dutch_level)
    try:
        candidate.driving_licences = list(normalize_licences(candidate.driving_licences))
    except ValueError as exc:
        raise FieldError("driving_licences", candidate.driving_licences, str(exc)) from exc
    if normalized is None:
        normalized = get_normalizer().profile(candidate.skills, candidate.occupations)
    candidate.skills_norm = concept_dicts(normalized.skills)
    candidate.occupations_norm = concept_dicts(normalized.occupations)
    occupation_texts = set(candidate.occupations)
    candidate.unknown_terms = unknown + unknown_dicts(
        "skills", [m for m in normalized.unknown if m.text not in occupation_texts]
    ) + unknown_dicts("occupations", [m for m in normalized.unknown if m.text in occupation_texts])
    return candidate


def apply_vacancy_input(
    vacancy: Vacancy, data: Mapping[str, Any], *, normalized: NormalizedProfile | None = None
) -> Vacancy:
    """Set raw fields from ``data`` on ``vacancy`` and recompute its normalised form."""
    for key, value in data.items():
        if key in Vacancy.model_fields and not key.endswith("_norm"):
            setattr(vacancy, key, value)
    vacancy.eligible_benefits = _check_list("eligible_benefits", vacancy.eligible_benefits, BENEFITS)
    vacancy.eligible_target_groups = _check_list(
        "eligible_target_groups", vacancy.eligible_target_groups, TARGET_GROUPS
    )
    place = locate("postcode", vacancy.postcode)
    vacancy.pc4, vacancy.lat, vacancy.lon = place.pc4, place.lat, place.lon
    unknown: list[dict[str, Any]] = []
    vacancy.education_min_level = _education("education_min", vacancy.education_min, unknown)
    vacancy.dutch_level_min_ord = _level(
        "dutch_level_min", vacancy.dutch_level_min, normalize_dutch_level
    )
    if vacancy.driving_licence:
        try:
            (vacancy.driving_licence,) = normalize_licences([vacancy.driving_licence])
        except ValueError as exc:
            raise FieldError("driving_licence", vacancy.driving_licence, str(exc)) from exc
    norm = get_normalizer()
    title = norm.titles([vacancy.title])[0]
    vacancy.occupation_norm = (
        {"id": title.concept_id, "confidence": round(title.confidence, 4), "implied": False}
        if title.concept_id
        else None
    )
    required = norm.skills(vacancy.required_skills)
    optional = norm.skills(vacancy.optional_skills)
    vacancy.required_norm = _dedupe(required)
    vacancy.optional_norm = [
        c for c in _dedupe(optional) if c["id"] not in {r["id"] for r in vacancy.required_norm}
    ]
    vacancy.unknown_terms = (
        unknown
        + unknown_dicts("title", [title] if title.concept_id is None else [])
        + unknown_dicts("required_skills", [m for m in required if m.concept_id is None])
        + unknown_dicts("optional_skills", [m for m in optional if m.concept_id is None])
    )
    return vacancy


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
        skills=_refs(c.skills_norm),
        occupations=_refs(c.occupations_norm),
        driving_licences=tuple(c.driving_licences),
        hours_per_week=c.hours_per_week,
        max_travel_km=c.max_travel_km,
        available_from=c.available_from,
        unemployed_since=c.unemployed_since,
        municipality_id=c.municipality_id,
        coach_id=c.coach_id,
        active=c.active,
    )


def vacancy_profile(v: Vacancy, *, excluded_candidate_ids: frozenset[int] = frozenset()) -> VacancyProfile:
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
        required_skills=_refs(v.required_norm),
        optional_skills=_refs(v.optional_norm),
        education_min=v.education_min_level,
        dutch_level_min=v.dutch_level_min_ord,
        driving_licence=v.driving_licence,
        positions=v.positions,
        start_date=v.start_date,
        eligible_benefits=tuple(v.eligible_benefits) or SR_BENEFITS,
        eligible_target_groups=tuple(v.eligible_target_groups),
        contractor_id=v.contractor_id,
        contract_id=v.contract_id,
        municipality_id=v.municipality_id,
        excluded_candidate_ids=excluded_candidate_ids,
    )
