"""Job seekers held by a municipality's coaches.

Raw text as typed is kept next to its normalised form (stored at import or edit, so matching
never re-parses text). Protected attributes (birth year, gender) are stored only for the
fairness audit; they are never model features and never leave through a public shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import FlexDate


class CandidateBase(SQLModel):
    ref: str = Field(index=True, unique=True, min_length=1, max_length=80)
    postcode: str = Field(max_length=12)
    benefit: str = Field(max_length=30)
    target_groups: list[str] = Field(default_factory=list, sa_type=JSON)
    ladder_step: int | None = Field(default=None, ge=1, le=6)
    education: str | None = Field(default=None, max_length=200)
    skills: list[str] = Field(default_factory=list, sa_type=JSON)
    occupations: list[str] = Field(default_factory=list, sa_type=JSON)
    dutch_level: str | None = Field(default=None, max_length=40)
    driving_licences: list[str] = Field(default_factory=list, sa_type=JSON)
    hours_per_week: float = Field(default=32.0, gt=0, le=60)
    max_travel_km: float = Field(default=25.0, gt=0, le=300)
    available_from: FlexDate | None = None
    unemployed_since: FlexDate | None = None
    consent_share: bool = False


class Candidate(CandidateBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipality.id", index=True)
    coach_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    active: bool = Field(default=True, index=True)
    # normalised form
    pc4: str = Field(max_length=4, index=True)
    lat: float
    lon: float
    education_level: int | None = None
    dutch_level_ord: int | None = None
    skills_norm: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    occupations_norm: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    unknown_terms: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    # fairness audit only: never a feature, never in a public shape
    birth_year: int | None = None
    gender: str | None = Field(default=None, max_length=1)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class CandidateCreate(CandidateBase):
    coach_id: int | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    gender: str | None = Field(default=None, regex="^[mvx]$")


class CandidateUpdate(SQLModel):
    postcode: str | None = Field(default=None, max_length=12)
    benefit: str | None = None
    target_groups: list[str] | None = None
    ladder_step: int | None = Field(default=None, ge=1, le=6)
    education: str | None = None
    skills: list[str] | None = None
    occupations: list[str] | None = None
    dutch_level: str | None = None
    driving_licences: list[str] | None = None
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    max_travel_km: float | None = Field(default=None, gt=0, le=300)
    available_from: FlexDate | None = None
    unemployed_since: FlexDate | None = None
    consent_share: bool | None = None
    coach_id: int | None = None


class ConceptPublic(SQLModel):
    id: str
    label: str
    confidence: float
    implied: bool = False


class UnknownTermPublic(SQLModel):
    text: str
    suggestions: list[str] = []


class CandidatePublic(CandidateBase):
    """What a coach of the candidate's municipality sees."""

    id: int
    municipality_id: int
    coach_id: int | None
    active: bool
    pc4: str
    education_level: int | None
    dutch_level_ord: int | None
    skills_norm: list[dict[str, Any]]
    occupations_norm: list[dict[str, Any]]
    unknown_terms: list[dict[str, Any]]
    updated_at: datetime


class CandidatesPublic(SQLModel):
    data: list[CandidatePublic]
    count: int


class CandidateAnonymous(SQLModel):
    """What a contractor sees of a proposed candidate before a consented introduction.

    No reference, no name, no postcode, no benefit details: only what the job needs.
    """

    referral_id: int
    skills: list[str]
    occupations: list[str]
    education_level: int | None
    dutch_level: str | None
    hours_per_week: float
    distance_km: float | None
    driving_licences: list[str]
    counts_for_sr: bool
