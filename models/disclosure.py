"""What a contractor may see of a candidate: anonymous until a coach introduces the candidate
with the candidate's consent (the shapes ``api.services.disclosure`` fills).

Each is its own type, so a field of the coach's view can never leak into a contractor's answer.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import SQLModel

from models.candidates import CandidateAnonymous


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
    #: true only while a consent recorded for this referral is in force and the candidate shares
    introduced_with_consent: bool
    #: the contractor asked the coach for an introduction that has not been made yet
    introduction_requested: bool = False
    anonymous: CandidateAnonymous | None = None
    introduced: CandidateIntroduced | None = None


class ContractorReferralsPublic(SQLModel):
    data: list[ContractorReferralPublic]
    count: int


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
