"""Awarded contracts that carry a Social Return obligation."""

from __future__ import annotations

from datetime import datetime

from pydantic import computed_field
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import FlexDate


class ContractBase(SQLModel):
    ref: str = Field(index=True, unique=True, min_length=1, max_length=80)
    title: str | None = Field(default=None, max_length=300)
    category: str | None = Field(default=None, max_length=20)
    #: contract value excl. VAT in euro cents: money is exact, never a float
    value_cents: int = Field(gt=0)
    sr_percentage: float = Field(default=5.0, ge=0, le=100)
    start_date: FlexDate | None = None
    end_date: FlexDate | None = None
    sr_table: str = Field(default="nationaal", max_length=60)
    #: PSO certificate step held by the contractor for this contract, if any
    pso_trede: str | None = Field(default=None, max_length=20)
    #: invoice value (cents, excl. VAT) bought from social enterprises for this contract
    social_purchasing_cents: int = Field(default=0, ge=0)


class Contract(ContractBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    contractor_id: int = Field(foreign_key="contractor.id", index=True)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)


class ContractPublic(ContractBase):
    id: int
    contractor_id: int
    municipality_id: int | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value_eur(self) -> float:
        return self.value_cents / 100


class ContractsPublic(SQLModel):
    data: list[ContractPublic]
    count: int


class ContractCreate(ContractBase):
    """A contract entered by an SR officer; it belongs to the officer's municipality."""

    contractor: str = Field(min_length=1, max_length=200, description="contractor name or KvK")


class ContractUpdate(SQLModel):
    """An SR officer's change to a contract: only the fields sent change (PATCH)."""

    title: str | None = Field(default=None, max_length=300)
    category: str | None = Field(default=None, max_length=20)
    value_cents: int | None = Field(default=None, gt=0)
    sr_percentage: float | None = Field(default=None, ge=0, le=100)
    start_date: FlexDate | None = None
    end_date: FlexDate | None = None
    sr_table: str | None = Field(default=None, min_length=1, max_length=60)
    pso_trede: str | None = Field(default=None, max_length=20)
    social_purchasing_cents: int | None = Field(default=None, ge=0)
