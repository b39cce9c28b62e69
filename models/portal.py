"""The contractor portal's own shapes: what a contractor may see, and nothing more.

- :class:`ContractorContractReportPublic`: the SR officer's contract report (the same
  computation) without anything about the people placed: no candidate reference, no building
  block or bonus (they name a benefit, a target group or an age), no yearly rate; block and bonus
  lines of one placement period are one line.
- :class:`CandidateSearch` and :class:`AnonymousProfilePublic`: an anonymous search of
  consenting candidates for one of the contractor's open vacancies. Each result carries a
  *handle* valid for that search only (a fresh random string per search and candidate), never
  a name, reference, postcode, benefit or internal candidate id.
- :class:`ProposalRequest`: "ask the coach to propose" one of those profiles; the candidate's
  coach accepts (a normal proposal) or declines.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import Field as PField
from pydantic import StringConstraints
from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from models.base import utcnow
from models.types import Id

#: one search term (a skill or occupation as typed)
Term = Annotated[str, StringConstraints(max_length=100)]

# --- contract reports as a contractor sees them -----------------------------------------------


class ContractorTraceLinePublic(SQLModel):
    """One credited amount of the contractor's own contract, anonymised.

    ``source`` is ``placement`` (a placement period: its block and bonuses summed) or the kind of
    an SR effort (``effort_id`` then names the contractor's reported effort) or a contract field
    (``social_purchasing``, ``volunteer``, ``pso``). A placement credited nothing has amount 0 and
    says why without naming a benefit.
    """

    source: str
    placement_id: int | None = None
    effort_id: int | None = None
    hours_per_week: float | None = None
    fulltime_hours: float | None = None
    hours_fraction: float | None = None
    days: int | None = None
    day_from: dt.date | None = None
    day_to: dt.date | None = None
    realised: bool
    amount_eur: float
    explanation: str


class ContractorContractReportPublic(SQLModel):
    """Where the contractor's contract stands on ``as_of`` (the SR officer's figures)."""

    contract_id: int
    contract_ref: str
    title: str | None = None
    sr_table: str
    sr_table_version: str
    as_of: dt.date
    start_date: dt.date | None
    end_date: dt.date | None
    value_eur: float
    sr_percentage: float
    obligation_applies: bool
    obligation_basis: str
    obligation_eur: float
    realised_eur: float
    realised_pct: float | None
    forecast_eur: float
    status: str
    status_final: bool = False
    shortfall_eur: float
    forecast_shortfall_eur: float
    penalty_eur: float | None
    placements_credited: int
    placements_not_credited: int
    trace: list[ContractorTraceLinePublic]


class ContractorContractReportsPublic(SQLModel):
    data: list[ContractorContractReportPublic]
    count: int


# --- anonymous candidate search ---------------------------------------------------------------


class CandidateSearch(SQLModel, table=True):
    """One search: its opaque token, and per handle the candidate behind it (server side only)."""

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=64, unique=True, index=True)
    contractor_id: int = Field(foreign_key="contractor.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    #: {handle: candidate id}; never leaves the server
    handles: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    filters: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: dt.datetime = Field(default_factory=utcnow)
    expires_at: dt.datetime


class CandidateSearchCreate(SQLModel):
    """Search anonymous profiles in reach of one of the contractor's open vacancies."""

    vacancy_id: Id
    skills: list[Term] = PField(default_factory=list, max_length=20, description="holds every one")
    occupations: list[Term] = PField(default_factory=list, max_length=20, description="any of")
    hours_min: float | None = PField(default=None, ge=0, le=60)
    max_km: float | None = PField(default=None, gt=0, le=300, description="from the workplace")
    education_min: str | None = PField(
        default=None, max_length=20, description="education code: mbo2, mbo3, havo, hbo, ..."
    )
    driving_licences: list[Annotated[str, StringConstraints(max_length=4)]] = PField(
        default_factory=list, max_length=7
    )
    top: int = PField(default=20, ge=1, le=100)


class AnonymousProfilePublic(SQLModel):
    """A consenting candidate as an employer may see them: no name, reference, postcode,
    benefit, target group or id; ``handle`` is valid for this search only."""

    handle: str
    rank: int
    score: float
    occupations: list[str]
    skills: list[str]
    education_level: int | None = PField(description="NLQF level; null when unknown")
    dutch_level: str | None
    hours_per_week: float
    distance_km: int | None = PField(description="whole km from the workplace")
    driving_licences: list[str]
    available_from: dt.date | None
    reasons: list[str]
    missing_skills: list[str]


class CandidateSearchPublic(SQLModel):
    token: str
    vacancy_id: int
    vacancy_ref: str
    model_version: str
    expires_at: dt.datetime
    considered: int = PField(description="consenting candidates that passed the filters")
    eligible: int = PField(description="of those, how many pass the hard rules")
    data: list[AnonymousProfilePublic]
    count: int


# --- proposal requests ------------------------------------------------------------------------

#: the states of a request; the coach moves pending to accepted or declined
PROPOSAL_REQUEST_STATUSES: tuple[str, ...] = ("pending", "accepted", "declined")


class ProposalRequest(SQLModel, table=True):
    """A contractor asks the coach of an anonymous profile to propose that person."""

    id: int | None = Field(default=None, primary_key=True)
    contractor_id: int = Field(foreign_key="contractor.id", index=True)
    vacancy_id: int = Field(foreign_key="vacancy.id", index=True)
    candidate_id: int = Field(foreign_key="candidate.id", index=True)
    #: the handle the contractor saw, so they recognise the profile in their list
    handle: str = Field(max_length=40)
    message: str | None = Field(default=None, max_length=1000)
    status: str = Field(default="pending", max_length=20, index=True)
    requested_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_by_id: int | None = Field(default=None, foreign_key="user.id")
    decided_at: dt.datetime | None = None
    decline_reason: str | None = Field(default=None, max_length=1000)
    referral_id: int | None = Field(default=None, foreign_key="referral.id")
    created_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow, index=True)


class ProposalRequestCreate(SQLModel):
    search_token: str = PField(min_length=8, max_length=64)
    handle: str = PField(min_length=4, max_length=40)
    message: str | None = PField(default=None, max_length=1000)


class ProposalRequestDecline(SQLModel):
    reason: str = PField(min_length=1, max_length=1000)


class ContractorProposalRequestPublic(SQLModel):
    """A request as the contractor sees it: the handle, never the person; the coach's reason
    for declining stays with the coach (it may say something about the person)."""

    id: int
    vacancy_id: int
    vacancy_ref: str
    handle: str
    message: str | None
    status: str
    referral_id: int | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class ContractorProposalRequestsPublic(SQLModel):
    data: list[ContractorProposalRequestPublic]
    count: int


class CoachProposalRequestPublic(SQLModel):
    """A request as the candidate's coach sees it."""

    id: int
    candidate_id: int
    candidate_ref: str
    vacancy_id: int
    vacancy_ref: str
    vacancy_title: str
    contractor: str
    message: str | None
    status: str
    decline_reason: str | None
    referral_id: int | None
    created_at: dt.datetime
    decided_at: dt.datetime | None


class CoachProposalRequestsPublic(SQLModel):
    data: list[CoachProposalRequestPublic]
    count: int


__all__ = [
    "PROPOSAL_REQUEST_STATUSES",
    "AnonymousProfilePublic",
    "CandidateSearch",
    "CandidateSearchCreate",
    "CandidateSearchPublic",
    "CoachProposalRequestPublic",
    "CoachProposalRequestsPublic",
    "ContractorContractReportPublic",
    "ContractorContractReportsPublic",
    "ContractorProposalRequestPublic",
    "ContractorProposalRequestsPublic",
    "ContractorTraceLinePublic",
    "ProposalRequest",
    "ProposalRequestCreate",
    "ProposalRequestDecline",
]
