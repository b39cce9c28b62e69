"""Job seekers held by a municipality's coaches.

Raw text as typed is kept next to its normalised form (stored at import or edit, so matching
never re-parses text). Protected attributes (birth year, gender) are not part of the profile:
``CandidateCreate``/``CandidateUpdate`` accept them, the services store them apart in
``models.audit_attributes.AuditAttributes`` (fairness audit only), and no public shape has them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from models.base import change_seq_field, utcnow, version_field, versioned
from models.types import (
    MAX_TRAVEL_KM,
    CodeList,
    Finite,
    FlexDate,
    FreeText,
    Gender,
    Id,
    TextList,
)


class CandidateBase(SQLModel):
    # one definition per field (issue 13): Create, Update (below, same types) and Public read
    # these bounds, and the importer validates its rows against CandidateCreate
    ref: FreeText = Field(index=True, unique=True, min_length=1, max_length=80)
    postcode: FreeText = Field(max_length=12)
    benefit: FreeText = Field(max_length=30)
    target_groups: CodeList = Field(default_factory=list, sa_type=JSON)
    ladder_step: int | None = Field(default=None, ge=1, le=6)
    education: FreeText | None = Field(default=None, max_length=200)
    skills: TextList = Field(default_factory=list, sa_type=JSON)
    occupations: TextList = Field(default_factory=list, sa_type=JSON)
    dutch_level: FreeText | None = Field(default=None, max_length=40)
    driving_licences: CodeList = Field(default_factory=list, sa_type=JSON)
    hours_per_week: Finite = Field(default=32.0, gt=0, le=60)
    max_travel_km: Finite = Field(default=25.0, gt=0, le=MAX_TRAVEL_KM)
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
    #: set when the candidate's personal data were erased (right to erasure or retention):
    #: the row stays, pseudonymised, so SR reports keep their totals
    erased_at: datetime | None = Field(default=None, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    #: set by the database on every write (models.base.change_seq_field)
    change_seq: int | None = change_seq_field()
    #: optimistic lock (models.base.versioned); the ETag of a single-object read
    version: int = version_field()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return versioned(cls)


class CandidateCreate(CandidateBase):
    coach_id: Id | None = None
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    gender: Gender | None = Field(default=None, description="m, v or x (fairness audit only)")


class CandidateUpdate(SQLModel):
    """A partial change: a field left out stays as it is. Each field has CandidateBase's type
    and bounds (tests/models/test_validation.py holds them equal); a field the table cannot
    leave empty is not nullable here either, so ``{"skills": null}`` is a 422, not a 500."""

    postcode: FreeText = Field(default=None, max_length=12)
    benefit: FreeText = Field(default=None, max_length=30)
    target_groups: CodeList = Field(default=None)
    ladder_step: int | None = Field(default=None, ge=1, le=6)
    education: FreeText | None = Field(default=None, max_length=200)
    skills: TextList = Field(default=None)
    occupations: TextList = Field(default=None)
    dutch_level: FreeText | None = Field(default=None, max_length=40)
    driving_licences: CodeList = Field(default=None)
    hours_per_week: Finite = Field(default=None, gt=0, le=60)
    max_travel_km: Finite = Field(default=None, gt=0, le=MAX_TRAVEL_KM)
    available_from: FlexDate | None = None
    unemployed_since: FlexDate | None = None
    consent_share: bool = Field(default=None)
    coach_id: Id | None = None  # null: the service answers 422 "a candidate needs a coach"
    # fairness audit only, stored apart (models.audit_attributes); null clears
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    gender: Gender | None = Field(default=None, description="m, v or x (fairness audit only)")


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
    version: int


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
