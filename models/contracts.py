"""Awarded contracts that carry a Social Return obligation."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import computed_field, field_validator
from sqlalchemy import BigInteger
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from models.base import utcnow, version_field, versioned
from models.types import (
    MAX_TITLE,
    Finite,
    FlexDate,
    FreeText,
    KvkText,
    end_not_before_start,
    known_pso_level,
    known_sr_table,
)

#: the largest amount of cents a money column takes: EUR 10 trillion, far beyond any contract,
#: well inside BIGINT (a 32-bit INTEGER stopped at EUR 21,474,836.47, issue 13 finding 12)
MAX_CENTS = 10**15


class ContractBase(SQLModel):
    ref: FreeText = Field(index=True, unique=True, min_length=1, max_length=80)
    title: FreeText | None = Field(default=None, max_length=MAX_TITLE)
    category: FreeText | None = Field(default=None, max_length=20)
    #: contract value excl. VAT in euro cents: money is exact, never a float
    value_cents: int = Field(gt=0, le=MAX_CENTS, sa_type=BigInteger)
    sr_percentage: Finite = Field(default=5.0, ge=0, le=100)
    start_date: FlexDate | None = None
    end_date: FlexDate | None = None
    sr_table: FreeText = Field(default="nationaal", max_length=60)
    #: PSO certificate step held by the contractor for this contract, if any
    pso_trede: FreeText | None = Field(default=None, max_length=20)
    #: invoice value (cents, excl. VAT) bought from social enterprises for this contract
    social_purchasing_cents: int = Field(default=0, ge=0, le=MAX_CENTS, sa_type=BigInteger)


class Contract(ContractBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    contractor_id: int = Field(foreign_key="contractor.id", index=True)
    municipality_id: int | None = Field(default=None, foreign_key="municipality.id", index=True)
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow, index=True)
    #: optimistic lock (models.base.versioned); the ETag of a single-object read
    version: int = version_field()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return versioned(cls)


class ContractPublic(ContractBase):
    id: int
    contractor_id: int
    municipality_id: int | None
    version: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def value_eur(self) -> float:
        return self.value_cents / 100


class ContractsPublic(SQLModel):
    data: list[ContractPublic]
    count: int


class ContractCreate(ContractBase):
    """A contract entered by an SR officer; it belongs to the officer's municipality."""

    contractor: KvkText = Field(min_length=1, max_length=200, description="contractor name or KvK")

    # what a report needs to value the contract (issue 13 finding 5): checked on the way in,
    # here and in ContractUpdate, so a stored contract can always be reported on
    _sr_table = field_validator("sr_table")(known_sr_table)
    _pso = field_validator("pso_trede")(known_pso_level)

    _end_date = field_validator("end_date")(end_not_before_start)


class ContractUpdate(SQLModel):
    """An SR officer's change to a contract: only the fields sent change (PATCH)."""

    title: FreeText | None = Field(default=None, max_length=MAX_TITLE)
    category: FreeText | None = Field(default=None, max_length=20)
    # not nullable where the table is not: left out = unchanged, null = 422
    value_cents: int = Field(default=None, gt=0, le=MAX_CENTS)
    sr_percentage: Finite = Field(default=None, ge=0, le=100)
    start_date: FlexDate | None = None
    end_date: FlexDate | None = None
    sr_table: FreeText = Field(default=None, max_length=60)
    pso_trede: FreeText | None = Field(default=None, max_length=20)
    social_purchasing_cents: int = Field(default=None, ge=0, le=MAX_CENTS)

    _sr_table = field_validator("sr_table")(known_sr_table)
    _pso = field_validator("pso_trede")(known_pso_level)

    _end_date = field_validator("end_date")(end_not_before_start)
