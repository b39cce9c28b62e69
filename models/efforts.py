"""SR efforts other than placements, reported by a contractor and decided by an SR officer.

Social purchasing from a social enterprise, a PSO certificate, a training, volunteer work: a
contractor reports one against a contract with evidence (a description, the amount or hours,
the date, optionally a document reference); an SR officer of the contract's municipality
approves or rejects it with a reason. Approved efforts count in the contract's realisation
through its building-block table (``matcher.sr.efforts``), each on its own trace line.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field as PField
from sqlalchemy import LargeBinary
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import Id

#: the states of a reported effort; only ``approved`` counts
EFFORT_STATUSES: tuple[str, ...] = ("pending", "approved", "rejected")


class SrEffort(SQLModel, table=True):
    """One reported effort (money in cents, exact)."""

    id: int | None = Field(default=None, primary_key=True)
    contract_id: int = Field(foreign_key="contract.id", index=True)
    contractor_id: int = Field(foreign_key="contractor.id", index=True)
    kind: str = Field(max_length=30)
    description: str = Field(max_length=1000)
    day: dt.date
    #: invoice value or cost excl. VAT in cents (social purchasing, training)
    amount_cents: int | None = Field(default=None, ge=0)
    #: hours of volunteer or knowledge support
    hours: float | None = Field(default=None, ge=0)
    pso_level: str | None = Field(default=None, max_length=20)
    #: the evidence: a document reference (invoice number, certificate number) and file name
    evidence_ref: str | None = Field(default=None, max_length=200)
    evidence_name: str | None = Field(default=None, max_length=200)
    status: str = Field(default="pending", max_length=20, index=True)
    reported_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: dt.datetime | None = None
    decision_reason: str | None = Field(default=None, max_length=1000)
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow, index=True)


class SrEffortEvidence(SQLModel, table=True):
    """The evidence file of an effort (one per effort; a new upload replaces it), kept apart
    from the effort so that lists never load file contents."""

    id: int | None = Field(default=None, primary_key=True)
    effort_id: int = Field(foreign_key="sreffort.id", unique=True, index=True)
    filename: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    size: int = Field(ge=0)
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id")
    uploaded_at: dt.datetime = Field(default_factory=utcnow)


class SrEffortCreate(SQLModel):
    """A contractor reports an effort against one of its contracts."""

    contract_id: Id
    kind: str = PField(max_length=30, description="social_purchasing, pso, training or volunteer")
    description: str = PField(min_length=3, max_length=1000)
    day: dt.date = PField(description="the invoice, certificate, training or work date")
    amount_eur: float | None = PField(
        default=None, ge=0, le=100_000_000, description="excl. VAT (social purchasing, training)"
    )
    hours: float | None = PField(default=None, ge=0, le=100_000, description="volunteer work")
    pso_level: str | None = PField(
        default=None, max_length=20, description="aspirant, basis, trede_1, trede_2 or trede_3"
    )
    evidence_ref: str | None = PField(
        default=None, max_length=200, description="invoice or certificate number, document link"
    )
    evidence_name: str | None = PField(default=None, max_length=200, description="file name")


class SrEffortDecision(SQLModel):
    """An SR officer's decision; a rejection needs a reason."""

    reason: str | None = PField(default=None, max_length=1000)


class EvidenceFilePublic(SQLModel):
    """An uploaded evidence file: its name, type, size and SHA-256 (the content is a download)."""

    filename: str
    media_type: str
    size: int
    sha256: str
    uploaded_at: dt.datetime


class SrEffortPublic(SQLModel):
    """A reported effort as its contractor and the SR officers of its municipality see it;
    ``credited_eur`` is what its trace line credits today (0 until approved)."""

    id: int
    contract_id: int
    contract_ref: str
    contractor: str
    kind: str
    description: str
    day: dt.date
    amount_eur: float | None
    hours: float | None
    pso_level: str | None
    evidence_ref: str | None
    evidence_name: str | None
    evidence_file: EvidenceFilePublic | None = None
    status: str
    decision_reason: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    credited_eur: float


class SrEffortsPublic(SQLModel):
    data: list[SrEffortPublic]
    count: int


__all__ = [
    "EFFORT_STATUSES",
    "SrEffort",
    "SrEffortCreate",
    "EvidenceFilePublic",
    "SrEffortDecision",
    "SrEffortEvidence",
    "SrEffortPublic",
    "SrEffortsPublic",
]
