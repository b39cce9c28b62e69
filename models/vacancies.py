"""SR vacancies that contractors post against their contracts."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import Field as PField
from sqlalchemy import JSON
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from models.base import change_seq_field, utcnow, version_field, versioned
from models.types import MAX_POSITIONS, CodeList, Finite, FlexDate, FreeText, Id, TextList


class VacancyStatus(StrEnum):
    open = "open"
    closed = "closed"


class VacancyBase(SQLModel):
    # one definition per field (issue 13): VacancyUpdate repeats these types and bounds
    # (tests/models/test_validation.py holds them equal); the importer validates against them
    ref: FreeText = Field(index=True, unique=True, min_length=1, max_length=80)
    title: FreeText = Field(min_length=1, max_length=300)
    description: FreeText | None = Field(default=None, max_length=10_000)
    required_skills: TextList = Field(default_factory=list, sa_type=JSON)
    optional_skills: TextList = Field(default_factory=list, sa_type=JSON)
    education_min: FreeText | None = Field(default=None, max_length=200)
    postcode: FreeText = Field(max_length=12)
    hours_per_week: Finite = Field(gt=0, le=60)
    positions: int = Field(default=1, ge=1, le=MAX_POSITIONS)
    start_date: FlexDate | None = None
    eligible_benefits: CodeList = Field(default_factory=list, sa_type=JSON)
    eligible_target_groups: CodeList = Field(default_factory=list, sa_type=JSON)
    dutch_level_min: FreeText | None = Field(default=None, max_length=40)
    driving_licence: FreeText | None = Field(default=None, max_length=4)


class Vacancy(VacancyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    contractor_id: int = Field(foreign_key="contractor.id", index=True)
    contract_id: int | None = Field(default=None, foreign_key="contract.id", index=True)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id", index=True)
    status: VacancyStatus = Field(default=VacancyStatus.open, index=True)
    #: why a stored ``closed`` status holds (filled, withdrawn); a vacancy whose contract ended
    #: is closed on read (``api.services.lifecycle``), not stored, so a changed end date counts
    closed_reason: str | None = Field(default=None, max_length=20)
    closed_on: date | None = None
    # normalised form
    pc4: str = Field(max_length=4)
    lat: float
    lon: float
    occupation_norm: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    required_norm: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    optional_norm: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    unknown_terms: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    education_min_level: int | None = None
    dutch_level_min_ord: int | None = None
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    #: set by the database on every write (models.base.change_seq_field)
    change_seq: int | None = change_seq_field()
    #: optimistic lock (models.base.versioned); the ETag of a single-object read
    version: int = version_field()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return versioned(cls)


class VacancyCreate(VacancyBase):
    contract_id: Id | None = None


class VacancyUpdate(SQLModel):
    # a field the table cannot leave empty is not nullable here: left out = unchanged
    title: FreeText = Field(default=None, min_length=1, max_length=300)
    description: FreeText | None = Field(default=None, max_length=10_000)
    required_skills: TextList = Field(default=None)
    optional_skills: TextList = Field(default=None)
    education_min: FreeText | None = Field(default=None, max_length=200)
    postcode: FreeText = Field(default=None, max_length=12)
    hours_per_week: Finite = Field(default=None, gt=0, le=60)
    positions: int = Field(default=None, ge=1, le=MAX_POSITIONS)
    start_date: FlexDate | None = None
    eligible_benefits: CodeList = Field(default=None)
    eligible_target_groups: CodeList = Field(default=None)
    dutch_level_min: FreeText | None = Field(default=None, max_length=40)
    driving_licence: FreeText | None = Field(default=None, max_length=4)


class VacancyPublic(VacancyBase):
    id: int
    contractor_id: int
    contract_id: int | None
    municipality_id: int | None
    status: VacancyStatus = PField(
        description="open, or closed: filled, its contract ended, or withdrawn (closed_reason)"
    )
    closed_reason: str | None = PField(
        default=None, description="filled, contract_ended or withdrawn; null while open"
    )
    closed_on: date | None = None
    occupation_norm: dict[str, Any] | None
    required_norm: list[dict[str, Any]]
    optional_norm: list[dict[str, Any]]
    unknown_terms: list[dict[str, Any]]
    updated_at: datetime
    version: int


class VacanciesPublic(SQLModel):
    data: list[VacancyPublic]
    count: int
