"""Referrals: a candidate put forward for a vacancy, with its status history.

The history is the outcomes event log of the data contract: one row per status change, keyed by
(referral, status, date). The referral's ``status`` is the latest event's status.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from models.base import utcnow, version_field, versioned
from models.types import MAX_INT32, Finite, FlexDate, Id


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
    #: set only by the referral service, when a coach introduces the candidate to the contractor
    #: with a consent record (``ReferralConsent``) in force; cleared when that consent is withdrawn
    introduced_with_consent: bool = False
    #: whether the person counts for SR under the vacancy's contract, fixed when proposed (a
    #: contractor's later edit of the vacancy's eligibility never changes the answer)
    counts_for_sr: bool | None = None
    #: whole kilometres between the candidate and the workplace, fixed when proposed (moving
    #: the vacancy must not let a contractor triangulate where the candidate lives)
    distance_km: float | None = None
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow, index=True)
    #: optimistic lock (models.base.versioned); the ETag of a single-object read
    version: int = version_field()

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return versioned(cls)


class ReferralEvent(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("referral_id", "status", "date", "action", name="uq_referral_event"),
    )

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    status: str = Field(max_length=20)
    date: dt.date
    reason: str | None = Field(default=None, max_length=1000)
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    created_at: dt.datetime = Field(default_factory=utcnow)
    #: ``status`` for a status change, else the action (matcher.vocab.REFERRAL_ACTIONS)
    action: str = Field(default="status", max_length=30)
    #: a rejection's reason from matcher.vocab.REJECTION_REASONS (``reason`` holds free text)
    reason_code: str | None = Field(default=None, max_length=30)


class ReferralConsent(SQLModel, table=True):
    """The candidate's consent to be introduced to the contractor for one referral: who recorded
    it, when and how (matcher.vocab.CONSENT_METHODS); ``withdrawn_at`` once withdrawn."""

    id: int | None = Field(default=None, primary_key=True)
    referral_id: int = Field(foreign_key="referral.id", index=True)
    method: str = Field(max_length=20)
    given_on: dt.date
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_at: dt.datetime = Field(default_factory=utcnow)
    withdrawn_at: dt.datetime | None = None
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user.id")
    withdrawn_reason: str | None = Field(default=None, max_length=1000)


class ReferralConsentPublic(SQLModel):
    method: str
    given_on: dt.date
    recorded_by: str | None = None
    recorded_at: dt.datetime
    withdrawn_at: dt.datetime | None = None
    withdrawn_reason: str | None = None


class ConsentCreate(SQLModel):
    """The coach records how the candidate consented to be introduced for this referral."""

    method: str = Field(description="in_person, signed or phone")
    given_on: dt.date | None = Field(default=None, description="default today")


class ConsentWithdrawal(SQLModel):
    reason: str | None = Field(default=None, max_length=1000)


class ReferralEventPublic(SQLModel):
    status: str
    date: dt.date
    reason: str | None
    action: str = "status"
    reason_code: str | None = None
    #: the role of who recorded the event (coach, contractor, sr_officer, admin), if known
    by_role: str | None = None


class ReferralCreate(SQLModel):
    candidate_id: Id
    vacancy_id: Id
    shortlist_rank: int | None = Field(default=None, ge=1, le=MAX_INT32)
    #: a finite number (JSON NaN would be stored and then break every read of the referral)
    shortlist_score: Finite | None = None


class ReferralTransition(SQLModel):
    status: str
    date: FlexDate | None = None
    reason: str | None = Field(default=None, max_length=1000)
    #: to ``introduced``: how the candidate consented (in_person, signed, phone), recorded first
    consent_method: str | None = None
    #: deprecated: true only confirms a consent already recorded for this referral
    consent_confirmed: bool = False
    reason_code: str | None = None


class InterviewInvitation(SQLModel):
    """A contractor invites an introduced candidate to an interview."""

    date: dt.date | None = Field(default=None, description="default today")
    note: str | None = Field(default=None, max_length=1000)


class ContractorRejection(SQLModel):
    """A contractor turns a proposal down: a reason from the list plus free text."""

    reason_code: str = Field(description="one of matcher.vocab.REJECTION_REASONS")
    reason: str | None = Field(default=None, max_length=1000)
    date: FlexDate | None = None


class IntroductionRequest(SQLModel):
    """A contractor asks the coach to introduce the person behind an anonymous proposal."""

    note: str | None = Field(default=None, max_length=1000)


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
    counts_for_sr: bool | None = None
    #: the consent in force for this referral (None: none recorded, or withdrawn)
    consent: ReferralConsentPublic | None = None
    #: the contractor asked for an introduction and none has been made yet
    introduction_requested: bool = False
    version: int
    history: list[ReferralEventPublic] = []


class ReferralsPublic(SQLModel):
    data: list[ReferralPublic]
    count: int
