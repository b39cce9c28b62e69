"""Placements (hires that count for Social Return) and their durability checks."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import FlexDate


class PlacementBase(SQLModel):
    start_date: FlexDate
    end_date: FlexDate | None = None
    hours_per_week: float = Field(gt=0, le=60)
    kind: str = Field(default="arbeidsovereenkomst", max_length=30)
    permanent: bool = False


class Placement(PlacementBase, table=True):
    __table_args__ = (
        UniqueConstraint("candidate_id", "vacancy_id", "start_date", name="uq_placement"),
    )

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    contract_id: int | None = Field(default=None, foreign_key="contract.id", index=True)
    referral_id: int | None = Field(default=None, foreign_key="referral.id")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class PlacementCreate(PlacementBase):
    candidate_id: int
    vacancy_id: int


class PlacementPublic(PlacementBase):
    id: int
    candidate_id: int
    vacancy_id: int
    contract_id: int | None


class PlacementsPublic(SQLModel):
    data: list[PlacementPublic]
    count: int


class DurabilityCheck(SQLModel, table=True):
    """Is the person still employed (and off benefits) 3, 6 or 12 months after the start?"""

    __table_args__ = (UniqueConstraint("placement_id", "months", name="uq_durability_check"),)

    id: int | None = Field(default=None, primary_key=True)
    placement_id: int = Field(foreign_key="placement.id", index=True)
    months: int = Field(ge=3, le=12)
    checked_on: FlexDate
    still_employed: bool
    off_benefit: bool
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: datetime = Field(default_factory=utcnow)


class DurabilityCheckCreate(SQLModel):
    months: int = Field(ge=3, le=12)
    checked_on: FlexDate
    still_employed: bool
    off_benefit: bool


class HireCreate(SQLModel):
    """A contractor confirms a hire; the placement gets these terms."""

    start_date: FlexDate
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    kind: str = Field(default="arbeidsovereenkomst", max_length=30)
    permanent: bool = False


class PlacementEnd(SQLModel):
    """When a placement ended (or ends: a fixed term); null when it runs on after all."""

    end_date: FlexDate | None


class PlacementEndPublic(SQLModel):
    """A placement's period after recording its end: no candidate id (contractors get it too)."""

    id: int
    vacancy_id: int
    contract_id: int | None
    start_date: FlexDate
    end_date: FlexDate | None
