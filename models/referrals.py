"""Referrals: a candidate put forward for a vacancy, with its status history.

The history is the outcomes event log of the data contract: one row per status change, keyed by
(referral, status, date). The referral's ``status`` is the latest event's status.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from models.base import utcnow


class Referral(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("candidate_id", "vacancy_id", name="uq_referral_pair"),)

    id: int | None = Field(default=None, primary_key=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    status: str = Field(max_length=20, index=True)
    status_date: dt.date
    proposed_by_id: int | None = Field(default=None, foreign_key="user.id")
    #: the shortlist position and score when the coach proposed, for matching-success figures
    shortlist_rank: int | None = None
    shortlist_score: float | None = None
    model_version: str | None = Field(default=None, max_length=40)
    #: set when a coach introduces the candidate to the contractor with the candidate's consent
    introduced_with_consent: bool = False
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow, index=True)


class ReferralEvent(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("referral_id", "status", "date", name="uq_referral_event"),)

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    status: str = Field(max_length=20)
    date: dt.date
    reason: str | None = Field(default=None, max_length=1000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow)


class ReferralEventPublic(SQLModel):
    status: str
    date: dt.date
    reason: str | None


class ReferralCreate(SQLModel):
    candidate_id: int
    vacancy_id: int
    shortlist_rank: int | None = Field(default=None, ge=1)
    shortlist_score: float | None = None


class ReferralTransition(SQLModel):
    status: str
    date: dt.date | None = None
    reason: str | None = Field(default=None, max_length=1000)
    consent_confirmed: bool = False


class ReferralPublic(SQLModel):
    """A referral as coaches and SR officers see it."""

    id: int
    candidate_id: int
    vacancy_id: int
    status: str
    status_date: dt.date
    shortlist_rank: int | None
    shortlist_score: float | None
    model_version: str | None
    introduced_with_consent: bool
    history: list[ReferralEventPublic] = []


class ReferralsPublic(SQLModel):
    data: list[ReferralPublic]
    count: int
