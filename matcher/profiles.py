"""The normalised shapes the matcher works on: a candidate and a vacancy as concept ids and numbers.

They are built from stored database rows (the normalised form is stored at import or edit, so
matching never re-parses text) and hold no protected attributes: age, gender, nationality and
origin are not even representable here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ConceptRef:
    """A taxonomy concept found in a profile.

    ``implied`` marks a skill that comes from an occupation's usual skills rather than from
    what was typed, and counts weaker.
    """

    id: str
    confidence: float = 1.0
    implied: bool = False


@dataclass(frozen=True, slots=True)
class CandidateProfile:
    """A job seeker as the ranker sees them."""

    id: int
    ref: str
    pc4: str
    lat: float
    lon: float
    benefit: str
    target_groups: tuple[str, ...] = ()
    ladder_step: int | None = None
    education_level: int | None = None
    dutch_level: int | None = None
    skills: tuple[ConceptRef, ...] = ()
    occupations: tuple[ConceptRef, ...] = ()
    driving_licences: tuple[str, ...] = ()
    hours_per_week: float = 32.0
    max_travel_km: float = 25.0
    available_from: date | None = None
    unemployed_since: date | None = None
    municipality_id: int | None = None
    coach_id: int | None = None
    active: bool = True


@dataclass(frozen=True, slots=True)
class VacancyProfile:
    """An SR vacancy as the ranker sees it."""

    id: int
    ref: str
    title: str
    pc4: str
    lat: float
    lon: float
    hours_per_week: float
    occupation: ConceptRef | None = None
    required_skills: tuple[ConceptRef, ...] = ()
    optional_skills: tuple[ConceptRef, ...] = ()
    education_min: int | None = None
    dutch_level_min: int | None = None
    driving_licence: str | None = None
    positions: int = 1
    start_date: date | None = None
    eligible_benefits: tuple[str, ...] = ()
    eligible_target_groups: tuple[str, ...] = ()
    contractor_id: int | None = None
    contract_id: int | None = None
    municipality_id: int | None = None
    #: candidate ids already placed on or in an open referral for this vacancy
    excluded_candidate_ids: frozenset[int] = field(default_factory=frozenset)
