"""API-only shapes (not tables) that the HTTP routes need beyond the entity families."""

from __future__ import annotations

import datetime as dt

from pydantic import Field as PField
from sqlmodel import Field, SQLModel

from models.candidates import CandidateAnonymous
from models.contracts import ContractBase
from models.organisations import ApiKeyPublic


class TokenPair(SQLModel):
    """An OAuth2 bearer token response, with a refresh token."""

    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int = PField(description="seconds until the access token expires")


class RefreshRequest(SQLModel):
    refresh_token: str = Field(min_length=1)


class ApiKeyCreate(SQLModel):
    user_id: int
    name: str = Field(min_length=1, max_length=120)


class ApiKeyCreated(ApiKeyPublic):
    """Returned once, when the key is made: only its hash is stored."""

    key: str


class ContractCreate(ContractBase):
    """A contract entered by an SR officer; it belongs to the officer's municipality."""

    contractor: str = Field(min_length=1, max_length=200, description="contractor name or KvK")


class CandidateIntroduced(SQLModel):
    """What a contractor sees once a coach introduced the candidate with consent.

    The municipality's reference and the coach to contact; never a BSN, address or benefit.
    """

    referral_id: int
    candidate_ref: str
    skills: list[str]
    occupations: list[str]
    education_level: int | None
    dutch_level: str | None
    hours_per_week: float
    distance_km: float | None
    driving_licences: list[str]
    counts_for_sr: bool
    contact_coach: str | None
    contact_municipality: str | None


class ContractorReferralPublic(SQLModel):
    """A referral to one of the contractor's vacancies: anonymous until a consented introduction."""

    id: int
    vacancy_id: int
    status: str
    status_date: dt.date
    introduced_with_consent: bool
    anonymous: CandidateAnonymous | None = None
    introduced: CandidateIntroduced | None = None


class ContractorReferralsPublic(SQLModel):
    data: list[ContractorReferralPublic]
    count: int


class HireCreate(SQLModel):
    """A contractor confirms a hire; the placement gets these terms."""

    start_date: dt.date
    hours_per_week: float | None = Field(default=None, gt=0, le=60)
    kind: str = Field(default="arbeidsovereenkomst", max_length=30)
    permanent: bool = False


class ContractorPlacementPublic(SQLModel):
    """A placement as the contractor sees it: no candidate identifier."""

    id: int
    vacancy_id: int
    contract_id: int | None
    referral_id: int | None
    start_date: dt.date
    end_date: dt.date | None
    hours_per_week: float
    kind: str
    permanent: bool


class Readiness(SQLModel):
    ready: bool
    reasons: list[str] = []
    model_version: str | None = None


class Liveness(SQLModel):
    status: str = "ok"
